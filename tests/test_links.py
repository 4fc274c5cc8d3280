"""Links (extractor/links.py): cases as data through the whole pipeline, and
the targets on the dev gold of places (tests/data/links_gold.tsv, the
project's own: the linker was written beside it)."""
import csv
import io
import json
import pickle
from pathlib import Path

import pytest

from extractor import Extractor, extract, links, tables

ROOT = Path(__file__).resolve().parent.parent

DATA = Path(__file__).parent / 'data'


@pytest.mark.parametrize('case', json.loads((DATA / 'links_cases.json').read_text(encoding='utf-8')),
                         ids=lambda case: case['text'][:40])
def test_case(case):
    found = {e.normal: (e.links or {}).get('iso3166') for e in extract(case['text']).entities}
    assert {name: found.get(name, 'not found') for name in case['links']} == case['links']


def gold():
    lines = (DATA / 'links_gold.tsv').read_text(encoding='utf-8').splitlines()
    rows = list(csv.DictReader((line for line in lines if not line.startswith('#')), delimiter='\t'))
    return [(r['normal'], int(r['mentions']), r['iso3166']) for r in rows if r['iso3166'] != '?']


@pytest.mark.parametrize('weighted', [False, True], ids=['forms', 'mentions'])
def test_gold_targets(weighted):
    linkable = right = linked = wrong = 0
    for normal, mentions, code in gold():
        weight = mentions if weighted else 1
        got = (links.link(normal, 'LOC') or {}).get('iso3166')
        linkable += weight * (code != 'none')
        right += weight * (got == code)
        linked += weight * (got is not None)
        wrong += weight * (got is not None and got != code)
    assert len(gold()) >= 300
    assert right / linkable >= 0.95
    assert wrong / linked <= 0.01


def test_keys():
    assert links.key('Соединённое  Королевство') == links.key('соединенное королевство')
    assert links.link('Белгородская обл', 'LOC') == {'iso3166': 'RU-BEL'}
    assert links.link('Иран', 'ORG') is None and links.link('Иран', 'PER') is None


def test_no_linker_and_pickle():
    assert all(e.links is None for e in Extractor(linker=None)('Переговоры в Иране.').entities)
    again = pickle.loads(pickle.dumps(Extractor(linker=None)))
    assert again.linker is None


def test_csv_column():
    doc = extract('Переговоры в Иране и в Маскате.')
    out = io.StringIO()
    csv.writer(out).writerows(tables.rows(doc))
    column = tables.COLUMNS.index('links')
    cells = {row[5]: row[column] for row in csv.reader(io.StringIO(out.getvalue()))}
    assert cells['Иране'] == 'iso3166=IR' and cells['Маскате'] == ''


def test_html_shows_code():
    assert '>IR</code>' in extract('Переговоры в Иране.').to_html()


def test_shipped_table_is_fresh():
    pytest.importorskip('pycountry')
    from importlib.metadata import version
    header = (ROOT / 'models' / 'links' / 'iso3166.tsv').read_text(encoding='utf-8').splitlines()[1]
    if '# pycountry %s ' % version('pycountry') not in header + ' ':
        pytest.skip('the table was built from another pycountry (%s): its names may differ' % header)
    shipped = links.table()
    assert links.build() == shipped, 'rebuild it: python scripts/build_tables.py'


def test_spacy_extension():
    spacy = pytest.importorskip('spacy')
    doc = extract('Переговоры в Иране и в Маскате.').to_spacy(spacy.blank('ru'))
    assert {s.text: s._.links for s in doc.spans['extractor']} == {'Иране': {'iso3166': 'IR'}, 'Маскате': None}
