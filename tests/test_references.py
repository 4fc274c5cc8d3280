"""Words that refer to an entity without naming it (mention.kind): the table
derived from the dictionary, and such mentions through the pipeline."""
from __future__ import annotations

from pathlib import Path

import pytest

from extractor import referents

DATA = Path(__file__).parent / 'data' / 'references'


def rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding='utf-8').splitlines()
    return [line.split('\t') for line in lines if line and not line.startswith('#')]


@pytest.mark.parametrize('word,kind,name', rows('derived_words.tsv'))
def test_derived_word_refers_to_its_place(word, kind, name):
    ref = referents.lookup(word)
    assert ref is not None, word
    assert (ref.kind, ref.name) == (kind, name)


@pytest.mark.parametrize('word', [row[0] for row in rows('not_references.txt')])
def test_word_of_another_sense_is_not_in_the_table(word):
    assert referents.lookup(word) is None


@pytest.mark.parametrize('sentence,text,kind,normal,entity', rows('cases.tsv'))
def test_descriptive_mention(extractor, sentence, text, kind, normal, entity):
    doc = extractor(sentence)
    found = [(m, e) for e in doc.entities for m in e.mentions if m.text == text]
    if kind == '-':
        assert not found, found
        return
    [(mention, owner)] = found
    assert (mention.kind, mention.normal, owner.normal) == (kind, normal, entity)
    assert sentence[mention.start:mention.end] == text


@pytest.mark.parametrize('text,entity,mentions', rows('groups.tsv'))
def test_references_and_names_form_one_entity(extractor, text, entity, mentions):
    doc = extractor(text)
    got = {e.normal: ' | '.join(m.text for m in e.mentions) for e in doc.entities}
    assert got.get(entity) == mentions, got


def test_names_are_unmarked_in_json(extractor):
    data = extractor('Иранские СМИ сообщили, что Иран готов.').to_dict()
    [iran] = [e for e in data['entities'] if e['normal'] == 'Иран']
    assert [m.get('kind') for m in iran['mentions']] == ['adjective', None]
    assert 'kind' not in iran['mentions'][1]


@pytest.mark.slow
def test_table_is_as_built():
    """The shipped table is what build() makes (rebuild: scripts/build_tables.py)."""
    pytest.importorskip('pycountry')
    built = referents.build()
    shipped = referents.table()
    assert built == shipped
    assert referents.build_forms(built) == referents.forms()


@pytest.mark.shared
def test_bodies_table_is_as_learned(shared, tmp_path):
    """The shipped nouns of bodies are what scripts/learn_bodies.py learns from NEREL train."""
    import subprocess
    import sys
    out = tmp_path / 'bodies.tsv'
    script = Path(__file__).parent.parent / 'scripts' / 'learn_bodies.py'
    subprocess.run([sys.executable, str(script), str(shared / 'data' / 'nerel' / 'train'), '-o', str(out)],
                   check=True, capture_output=True)
    shipped = referents.assets.models_dir() / 'links' / referents.BODIES
    assert out.read_text(encoding='utf-8') == shipped.read_text(encoding='utf-8')
