"""decode(), read() and stream() decide alike on the same bytes."""
import json
from pathlib import Path

import pytest

from extractor import textfile

CASES = json.loads((Path(__file__).parent / 'data' / 'decode_cases.json').read_text(encoding='utf-8'))


def build(parts) -> bytes:
    """Each part: a text repeated and encoded, cut to a number of bytes."""
    data = b''
    for text, encoding, size in parts:
        unit = text.encode(encoding)
        data += (unit * (size // len(unit) + 1))[:size]
    return data


def outcome(call, *args):
    try:
        text, encoding = call(*args)
    except textfile.NotText as e:
        return 'NotText', str(e)
    return (text if isinstance(text, str) else ''.join(text)), encoding


@pytest.mark.parametrize('case', CASES, ids=[c['why'] for c in CASES])
def test_decode_read_and_stream_agree(tmp_path, case):
    data = build(case['parts'])
    path = tmp_path / 'input.txt'
    path.write_bytes(data)
    decoded = outcome(textfile.decode, data)
    assert outcome(textfile.read, str(path)) == decoded
    assert outcome(textfile.stream, str(path)) == decoded
    if 'read_as' in case:
        assert decoded[1] == case['read_as']
