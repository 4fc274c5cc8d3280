"""OUT/mentions.csv: one row per mention of every document in the batch."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.document import Document, Entity, Mention
from extractor.tables import COLUMNS, MentionTable, escape, rows, unescape

# Cell values a spreadsheet would run as formulas, and others it would not:
# each with the cell the table must write for it.
CELLS = json.loads((Path(__file__).parent / 'data' / 'csv_cells.json').read_text(encoding='utf-8'))
TEXT_COLUMNS = ('document', 'source', 'entity', 'type', 'normal', 'text', 'mention_normal')
FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')


def run_batch(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', 'extractor', 'batch', *map(str, args)],
                          capture_output=True, text=True, check=False)


def read_table(path, encoding='utf-8'):
    with open(path, encoding=encoding, newline='') as f:
        return list(csv.DictReader(f))


def test_csv_has_every_mention(tmp_path, sample_text):
    source = tmp_path / 'in'
    source.mkdir()
    texts = {'oman': sample_text,
             'quotes': 'Сказал «Газпром», а "Роснефть", молчит; Путин,\nв Москве.'}
    for name, text in texts.items():
        (source / (name + '.txt')).write_text(text, encoding='utf-8')
    out = tmp_path / 'out'
    result = run_batch(source, '-o', out, '--format', 'csv')
    assert result.returncode == 0, result.stderr
    table = read_table(out / 'mentions.csv')
    assert tuple(table[0].keys()) == COLUMNS
    expected = []
    for name in texts:
        data = json.loads((out / (name + '.json')).read_text(encoding='utf-8'))
        for e in data['entities']:
            for m in e['mentions']:
                expected.append((name, data['source'], e['id'], e['type'], e['normal'], m['text'],
                                 m['normal'], m['start'], m['end'], m['sentence']))
    got = [(r['document'], r['source'], r['entity'], r['type'], r['normal'], r['text'],
            r['mention_normal'], int(r['start']), int(r['end']), int(r['sentence'])) for r in table]
    assert sorted(got) == sorted(expected)
    for document, path, *_, text, _, start, end, _ in got:
        assert texts[document][start:end] == text
        assert path == str(source / (document + '.txt'))
    # within a document, rows follow the text
    oman = [r for r in got if r[0] == 'oman']
    assert [r[7] for r in oman] == sorted(r[7] for r in oman)


def test_csv_covers_skipped_documents_and_json_is_unchanged(tmp_path):
    source = tmp_path / 'in'
    source.mkdir()
    (source / 'a.txt').write_text('Путин прибыл в Москву.', encoding='utf-8')
    out = tmp_path / 'out'
    assert run_batch(source, '-o', out).returncode == 0
    plain = (out / 'a.json').read_bytes()
    result = run_batch(source, '-o', out, '--format', 'csv', '--format', 'json')
    assert '0 processed, 1 up to date' in result.stderr
    assert (out / 'a.json').read_bytes() == plain
    assert {r['text'] for r in read_table(out / 'mentions.csv')} >= {'Путин', 'Москву'}


def test_table_is_atomic(tmp_path, extractor):
    path = tmp_path / 'mentions.csv'
    try:
        with MentionTable(str(path)) as table:
            table.add(extractor('Путин прибыл в Москву.', id='a'))
            raise RuntimeError('killed')
    except RuntimeError:
        pass
    assert list(tmp_path.iterdir()) == []
    with MentionTable(str(path)) as table:
        table.add(extractor('Путин прибыл в Москву.', id='a'))
    assert len(read_table(path)) == len(list(rows(extractor('Путин прибыл в Москву.', id='a'))))


def document_of(value: str) -> Document:
    """A document whose every text field is `value`."""
    mention = Mention(start=3, end=9, text=value, normal=value, sentence=2)
    return Document(schema_version=1, id=value, source=value,
                    entities=[Entity(id='E1', type='ORG', normal=value, mentions=[mention])])


@pytest.mark.parametrize('case', CELLS, ids=[repr(c['value']) for c in CELLS])
def test_cells_a_spreadsheet_would_run_are_neutralised(tmp_path, case):
    value, written = case['value'], case['written']
    assert escape(value) == written
    assert unescape(written) == value
    path = tmp_path / 'mentions.csv'
    with MentionTable(str(path)) as table:
        table.add(document_of(value))
    [row] = read_table(path)
    for column in ('document', 'source', 'normal', 'text', 'mention_normal'):
        assert row[column] == written
        assert not row[column].startswith(FORMULA_STARTS)
    # the numbers stay numbers
    assert (row['start'], row['end'], row['sentence']) == ('3', '9', '2')


def test_negative_looking_numbers_are_not_text():
    # start/end/sentence are ints in rows(): escape() never sees them
    row = next(rows(document_of('-1')))
    assert row[7:10] == (3, 9, 2)
    assert row[0] == "'-1"


def test_a_hostile_file_name_gives_a_neutral_document_cell(tmp_path):
    source = tmp_path / 'in'
    source.mkdir()
    name = '=HYPERLINK("http:__example.org","click")'
    (source / (name + '.txt')).write_text('Путин прибыл в Москву.', encoding='utf-8')
    out = tmp_path / 'out'
    result = run_batch(source, '-o', out, '--format', 'csv')
    assert result.returncode == 0, result.stderr
    table = read_table(out / 'mentions.csv')
    assert table
    for row in table:
        assert row['document'] == "'" + name
        assert unescape(row['document']) == name
        assert all(not row[column].startswith(FORMULA_STARTS) for column in TEXT_COLUMNS)


@pytest.mark.parametrize('bom', [False, True])
def test_bom_is_written_only_when_asked(tmp_path, extractor, bom):
    path = tmp_path / 'mentions.csv'
    doc = extractor('Путин прибыл в Москву.', id='a', source='in/a.txt')
    with MentionTable(str(path), bom=bom) as table:
        table.add(doc)
        table.add(doc)
    data = path.read_bytes()
    assert data.startswith(b'\xef\xbb\xbf') == bom
    assert data.count(b'\xef\xbb\xbf') == int(bom)         # once, not per document
    table = read_table(path, encoding='utf-8-sig')
    assert tuple(table[0]) == COLUMNS
    assert [r['text'] for r in table] == ['Путин', 'Москву'] * 2
    assert {r['source'] for r in table} == {'in/a.txt'}


def test_csv_bom_option_writes_the_table_with_a_bom(tmp_path):
    import subprocess
    import sys
    src = tmp_path / 'in'
    src.mkdir()
    (src / 'a.txt').write_text('Аббас Аракчи прибыл в Маскат.', encoding='utf-8')
    proc = subprocess.run([sys.executable, '-m', 'extractor', 'batch', str(src), '-o', str(tmp_path / 'out'),
                           '--csv-bom'], capture_output=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    data = (tmp_path / 'out' / 'mentions.csv').read_bytes()
    assert data.startswith(b'\xef\xbb\xbfdocument,source,') and data.count(b'\xef\xbb\xbf') == 1
    assert 'Аббас Аракчи' in data.decode('utf-8-sig')
