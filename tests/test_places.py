"""The gazetteer of place names (extractor/places.py, models/links/places.tsv)."""
from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest

from extractor import places

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_table_is_fresh():
    pytest.importorskip('pycountry')
    header = (ROOT / 'models' / 'links' / places.TABLE).read_text(encoding='utf-8').splitlines()[1]
    if 'pycountry %s' % version('pycountry') not in header:
        pytest.skip('the table was built from another pycountry (%s): its names may differ' % header)
    assert sorted(' '.join(words) for words in places.gazetteer().names.values()) == places.build(), \
        'rebuild it: python scripts/build_tables.py'


def test_nominatives_undo_endings():
    assert {'небраска', 'квебек'} <= places.nominatives('Небраске') | places.nominatives('Квебеке')
    assert 'северная' in places.nominatives('Северной')
    assert places.nominatives('Сомали') == {'сомали'} | places.nominatives('Сомали')


def test_gazetteer():
    g = places.Gazetteer(['Северная Каролина', 'Айова', 'Гвинея', 'Гвиней', 'Нью-Йорк'])
    assert g.nominative(['Северной', 'Каролине']) == ['Северная', 'Каролина']
    assert g.nominative(['Айове']) == ['Айова']
    assert g.nominative(['Нью-Йорке']) == ['Нью-Йорк']
    assert ['айова'] in g and ['Айове'] not in g
    assert g.nominative(['Гвинее']) is None            # two names fit: none is chosen
    assert g.nominative(['Каролине']) is None          # a part of a name is no name
