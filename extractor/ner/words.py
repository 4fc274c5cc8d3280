"""The word → id table of a NER pack, as a DAWG file in models/ner/.

A slovnet pack keeps its words as a gzipped list, and turning its 250 000
words into a dict took 80 ms, a third of the start-up (and of every worker's
wait before its first file). The same table as an IntDAWG loads in under a
millisecond and looks a word up as fast as the dict.

A table is named by the SHA-1 of the pack's gzipped word list, so it is used
only for a pack with exactly that list: Natasha's news pack and the
project's (which copies it byte for byte) share one; any other pack loads
its own list as before.

    python scripts/build_tables.py    # writes models/ner/words_<digest>.dawg
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import dawg
from slovnet.const import WORD
from slovnet.exec.pack import Pack, vocab_name

from .. import assets


def table_path(pack: Pack) -> Path:
    digest = hashlib.sha1(pack.read(vocab_name(WORD))).hexdigest()
    return assets.models_dir() / 'ner' / ('words_%s.dawg' % digest[:12])


def load(pack: Pack) -> dawg.IntDAWG | None:
    """The table of this pack's word list, or None when none ships."""
    path = table_path(pack)
    return dawg.IntDAWG().load(str(path)) if path.is_file() else None


def pack_words(pack: Pack) -> dict[str, int]:
    """The pack's own table (slowly): word → id, as slovnet's Vocab makes it."""
    return pack.load_vocab(WORD).item_ids


def write(pack_path: str) -> Path:
    """Writes the table of the pack's word list into models/ner/."""
    with Pack(pack_path) as pack:
        path = table_path(pack)
        table = dawg.IntDAWG(pack_words(pack).items())
    table.save(str(path))
    return path
