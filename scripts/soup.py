"""Averages the weights of slovnet NER packs of one network (a "model soup"):
packs fine-tuned from the same start with different seeds, averaged array by
array; vocabularies, meta and integer arrays must be the same in all.

    python scripts/soup.py OUT.tar PACK.tar PACK.tar [...]

Measured leave-one-topic-out and not shipped (models/ner/MODEL_CARD.md,
"Weight averaging")."""
from __future__ import annotations

import contextlib
import io
import json
import sys
import tarfile

import numpy as np


def array_types(model: object, found: dict[int, str] | None = None) -> dict[int, str]:
    """Array number → dtype, from a pack's model.json."""
    found = {} if found is None else found
    if isinstance(model, dict):
        if 'array' in model and 'dtype' in model:
            found[model['array']] = model['dtype']
        for value in model.values():
            array_types(value, found)
    elif isinstance(model, list):
        for value in model:
            array_types(value, found)
    return found


def soup(out: str, packs: list[str]) -> None:
    with contextlib.ExitStack() as stack:
        write_soup(out, [stack.enter_context(tarfile.open(p)) for p in packs])


def write_soup(out: str, tars: list[tarfile.TarFile]) -> None:
    names = tars[0].getnames()
    if any(t.getnames() != names for t in tars):
        raise SystemExit('the packs do not hold the same members')
    types = array_types(json.loads(tars[0].extractfile('model.json').read()))
    with tarfile.open(out, 'w') as w:
        for name in names:
            datas = [t.extractfile(name).read() for t in tars]
            data = datas[0]
            if name.startswith('arrays/') and types[int(name[7:].split('.')[0])].startswith('float'):
                dtype = types[int(name[7:].split('.')[0])]
                arrays = np.stack([np.frombuffer(d, dtype=dtype) for d in datas]).astype(np.float64)
                data = arrays.mean(axis=0).astype(dtype).tobytes()
            elif any(d != data for d in datas):
                raise SystemExit('%s differs between the packs and is not a float array' % name)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            w.addfile(info, io.BytesIO(data))


if __name__ == '__main__':
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    soup(sys.argv[1], sys.argv[2:])
