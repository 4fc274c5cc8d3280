"""Long files read a piece at a time: the blocks, the decoding and the
documents are exactly those of reading the file whole."""
import codecs
import json
from pathlib import Path

import pytest
from test_long_inputs import unpunctuated

from extractor import batch, textfile
from extractor.segment import blocks, stream_blocks

CORPUS = Path(__file__).resolve().parent.parent / 'corpus' / 'texts'
NEWS = '\n\n'.join(p.read_text(encoding='utf-8') for p in sorted(CORPUS.glob('*.txt')))


@pytest.mark.parametrize('text', [
    '', 'а' * 3000, 'строка\n' * 700, unpunctuated(5000), NEWS,
    'x' * 499 + '\u0301' * 10 + 'y' * 600,
], ids=['empty', 'token', 'lines', 'words', 'news', 'combining-at-cut'])
@pytest.mark.parametrize('piece', [1, 7, 333, 5000])
def test_stream_blocks_cut_where_blocks_cut(text, piece):
    pieces = [text[i:i + piece] for i in range(0, len(text), piece)]
    whole = [(start, text[start:end]) for start, end in blocks(text, 500)]
    assert list(stream_blocks(pieces, 500)) == whole


def encoded_files(root: Path) -> dict[str, bytes]:
    text = (NEWS + '\n') * 3 + 'Эмодзи 🙂 на стыке.\n'
    files = {enc: text.encode(enc, errors='replace') for enc in
             ('utf-8', 'utf-8-sig', 'utf-16', 'utf-16-le', 'utf-16-be', 'cp1251', 'koi8-r')}
    files['broken-utf-8'] = text.encode()[:999] + b'\xff\xfe' + text.encode()[1001:]
    files['broken-bom'] = codecs.BOM_UTF8 + text.encode()[:3000] + b'\xff' + text.encode()[3000:]
    files['binary'] = bytes(range(256)) * 40
    files['empty'] = b''
    for name, data in files.items():
        (root / (name + '.txt')).write_bytes(data)
    return files


def test_stream_decodes_as_read(tmp_path, monkeypatch):
    monkeypatch.setattr(textfile, 'PIECE', 5)      # pieces split characters and UTF-16 units
    for name in encoded_files(tmp_path):
        path = str(tmp_path / (name + '.txt'))
        try:
            expected = textfile.read(path)
        except textfile.NotText as e:
            expected = 'NotText: %s' % str(e).split(':')[0]
        try:
            pieces, encoding = textfile.stream(path)
            got = (''.join(pieces), encoding)
        except textfile.NotText as e:
            got = 'NotText: %s' % str(e).split(':')[0]
        assert got == expected, name


def test_batch_streams_long_files_with_the_same_outputs(extractor, tmp_path, monkeypatch):
    source = tmp_path / 'in'
    source.mkdir()
    encoded_files(source)
    (source / 'long.txt').write_text(NEWS * 40, encoding='utf-8')          # several blocks
    whole = batch.run(extractor, [str(source)], str(tmp_path / 'whole'), progress=False)
    monkeypatch.setattr(textfile, 'STREAM', 0)
    opened = []
    stream = textfile.stream
    monkeypatch.setattr(textfile, 'stream', lambda path: opened.append(path) or stream(path))
    streamed = batch.run(extractor, [str(source)], str(tmp_path / 'streamed'), progress=False)
    assert len(opened) == 11                 # all but the empty file, which is never longer than 0
    assert (whole.done, len(whole.failed)) == (streamed.done, len(streamed.failed)) == (10, 2)
    for path in sorted((tmp_path / 'whole').glob('*.json')):
        assert path.read_bytes() == (tmp_path / 'streamed' / path.name).read_bytes(), path.name
    reasons = [[json.loads(line)['reason'].split(':')[0] for line in
                (tmp_path / out / 'errors.jsonl').read_text(encoding='utf-8').splitlines()]
               for out in ('whole', 'streamed')]
    assert reasons[0] == reasons[1]


def test_extract_command_streams_long_files_with_the_same_output(tmp_path, monkeypatch, capsysbinary):
    from extractor import cli
    path = tmp_path / 'long.txt'
    path.write_text(NEWS * 40, encoding='utf-8')
    assert cli.main(['extract', str(path)]) == 0
    whole = capsysbinary.readouterr().out
    streamed = []
    stream = textfile.stream
    monkeypatch.setattr(textfile, 'stream', lambda path: streamed.append(path) or stream(path))
    monkeypatch.setattr(textfile, 'STREAM', 0)
    assert cli.main(['extract', str(path)]) == 0
    assert streamed == [str(path)]
    assert capsysbinary.readouterr().out == whole
    assert json.loads(whole)['entities']
