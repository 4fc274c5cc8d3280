"""The canonical example: ../shared/samples/oman-talks.txt."""
import json
import subprocess
import sys
from collections import Counter

import pytest
from conftest import SAMPLE, assert_offsets


@pytest.fixture(scope='module')
def doc(extractor, sample_text):
    return extractor(sample_text, id='oman-talks')


def entity(doc, type, normal):
    found = [e for e in doc.entities if e.type == type and e.normal == normal]
    assert found, '%s «%s» not found in %s' % (type, normal, [(e.type, e.normal) for e in doc.entities])
    return found[0]


def test_person_with_all_mentions(doc):
    arakchi = entity(doc, 'PER', 'Аббас Аракчи')
    assert [m.text for m in arakchi.mentions].count('Аракчи') == 2
    assert len(arakchi.mentions) == 3
    assert all('Аракчи' in m.text for m in arakchi.mentions)


def test_muscat_mentions_normalized(doc, sample_text):
    muscat = entity(doc, 'LOC', 'Маскат')
    assert len(muscat.mentions) == sample_text.count('Маскате') == 3
    assert {m.normal for m in muscat.mentions} == {'Маскат'}


@pytest.mark.parametrize('type,normal', [
    ('LOC', 'Оман'), ('LOC', 'Иран'), ('LOC', 'США'), ('LOC', 'Тегеран'),
    ('LOC', 'Вашингтон'), ('LOC', 'Ближний Восток'), ('ORG', 'Axios'), ('ORG', 'МИД'),
])
def test_expected_entities(doc, type, normal):
    entity(doc, type, normal)


def test_no_entity_listed_twice(doc):
    counts = Counter((e.type, e.normal) for e in doc.entities)
    assert [k for k, n in counts.items() if n > 1] == []


def test_offsets_point_into_text(doc, sample_text):
    assert doc.entities and doc.tokens
    assert_offsets(sample_text, doc)


def test_order_and_ids(doc):
    firsts = [e.mentions[0].start for e in doc.entities]
    assert firsts == sorted(firsts)
    assert [e.id for e in doc.entities] == ['E%d' % i for i in range(1, len(doc.entities) + 1)]
    for e in doc.entities:
        starts = [m.start for m in e.mentions]
        assert starts == sorted(starts)


def test_cli_gives_the_library_entities(doc):
    out = subprocess.run([sys.executable, '-m', 'extractor', 'extract', str(SAMPLE)],
                         capture_output=True, check=True)
    data = json.loads(out.stdout)
    assert data['schema_version'] == 1
    assert data['entities'] == doc.to_dict()['entities']
