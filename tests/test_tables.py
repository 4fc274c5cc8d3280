"""OUT/mentions.csv: one row per mention of every document in the batch."""
from __future__ import annotations

import csv
import json
import subprocess
import sys

from extractor.tables import COLUMNS, MentionTable, rows


def run_batch(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', 'extractor', 'batch', *map(str, args)],
                          capture_output=True, text=True)


def read_table(path):
    with open(path, encoding='utf-8', newline='') as f:
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
                expected.append((name, e['id'], e['type'], e['normal'], m['text'], m['normal'],
                                 m['start'], m['end'], m['sentence']))
    got = [(r['document'], r['entity'], r['type'], r['normal'], r['text'], r['mention_normal'],
            int(r['start']), int(r['end']), int(r['sentence'])) for r in table]
    assert sorted(got) == sorted(expected)
    for document, *_, text, _, start, end, _ in got:
        assert texts[document][start:end] == text
    # within a document, rows follow the text
    oman = [r for r in got if r[0] == 'oman']
    assert [r[6] for r in oman] == sorted(r[6] for r in oman)


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
