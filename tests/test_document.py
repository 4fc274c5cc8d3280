"""Contract 1: the JSON document, validated against the shipped schema."""
import json
from pathlib import Path

import jsonschema
import pytest
from conftest import assert_offsets

import extractor
from extractor.document import from_json, json_schema

SCHEMA_FILE = Path(extractor.__file__).parent / 'schema' / 'document-v1.json'
CORPUS = Path(__file__).resolve().parent.parent / 'corpus'


def test_shipped_schema_is_generated_from_the_types():
    shipped = json.loads(SCHEMA_FILE.read_text(encoding='utf-8'))
    assert shipped == json_schema()
    jsonschema.Draft202012Validator.check_schema(shipped)      # and is a schema at all


def test_schema_command_prints_the_shipped_schema():
    """`extractor schema`, in a process of its own, prints the file the package ships."""
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, '-m', 'extractor', 'schema'], capture_output=True, check=True)
    assert json.loads(proc.stdout) == json.loads(SCHEMA_FILE.read_text(encoding='utf-8'))


@pytest.fixture(scope='module')
def corpus_docs(extractor):
    docs = []
    for line in (CORPUS / 'gold.jsonl').read_text(encoding='utf-8').splitlines():
        record = json.loads(line)
        docs.append((record, extractor(record['text'], id=record['id'])))
    return docs


def test_real_outputs_validate(corpus_docs):
    schema = json.loads(SCHEMA_FILE.read_text(encoding='utf-8'))
    for _, doc in corpus_docs:
        jsonschema.validate(doc.to_dict(), schema)
        jsonschema.validate(doc.to_dict(tokens=True), schema)


def test_json_round_trip(corpus_docs):
    for _, doc in corpus_docs:
        assert from_json(doc.to_json(tokens=True)) == doc
        assert json.loads(doc.to_json()) == doc.to_dict()


def test_write_gives_the_bytes_of_to_bytes(extractor, corpus_docs):
    """write() streams entity by entity; the bytes are to_bytes()'s, whatever the id holds."""
    import io
    docs = [doc for _, doc in corpus_docs]
    docs.append(extractor('Текст без имён.', id='"entities":[] и ещё \\"entities\\":[]'))
    assert not docs[-1].entities
    for doc in docs:
        for tokens in (False, True):
            out = io.BytesIO()
            doc.write(out, tokens=tokens)
            assert out.getvalue() == doc.to_bytes(tokens=tokens)


def test_tokens_only_when_asked(corpus_docs):
    record, doc = corpus_docs[0]
    assert 'tokens' not in doc.to_dict() and 'sentences' not in doc.to_dict()
    data = doc.to_dict(tokens=True)
    text = record['text']
    assert data['tokens'] and data['sentences']
    assert_offsets(text, data)
    for tok in data['tokens']:
        assert tok['lemma'] and tok['pos']


def test_lemmas_and_pos(extractor):
    doc = extractor('В Маскате завершился первый раунд переговоров.')
    tokens = {t.text: (t.lemma, t.pos) for t in doc.tokens}
    assert tokens['Маскате'] == ('Маскат', 'PROPN')
    assert tokens['завершился'] == ('завершиться', 'VERB')
    assert tokens['переговоров'] == ('переговоры', 'NOUN')
    assert tokens['В'] == ('в', 'ADP')
    assert tokens['.'][1] == 'PUNCT'


def test_mention_sentences(extractor):
    text = 'Иран готов к переговорам.\nВ Маскате прошла встреча.'
    doc = extractor(text)
    by_text = {m.text: m for e in doc.entities for m in e.mentions}
    assert by_text['Иран'].sentence == 0
    assert by_text['Маскате'].sentence == 1
    second = doc.sentences[1]
    assert second.start <= by_text['Маскате'].start < second.end


def test_corpus_entities_found(corpus_docs):
    """Most gold (type, normal) pairs of our own corpus come out."""
    gold = found = 0
    for record, doc in corpus_docs:
        pairs = {(e.type, e.normal) for e in doc.entities}
        for g in record['entities']:
            gold += 1
            found += (g['type'], g['normal']) in pairs
    assert found / gold >= 0.75


def test_extract_function():
    doc = extractor.extract('В Маскате завершился первый раунд переговоров.')
    assert doc.entities[0].normal == 'Маскат'
    assert doc.schema_version == 1
