"""Documents as spaCy Docs, the "extractor" spaCy component, DocBin output."""
from __future__ import annotations

import importlib
import subprocess
import sys
import tomllib

import pytest
import spacy
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy import displacy
from spacy.tokens import DocBin, Span
from test_html import NESTED_TEXT, nested_document

from extractor import spacy_doc

WHITESPACE_TEXT = '  Владимир Путин\nприбыл  в Москву.\n\n\tМИД России   сообщил. \n'


@pytest.fixture(scope='module')
def nlp():
    return spacy.blank('ru')


def spans(doc):
    return [(s.text, s.label_, s._.normal, s._.entity_id) for s in doc.spans['extractor']]


def expected_spans(document):
    found = [(m.start, -m.end, m.text, e.type, m.normal, e.id) for e in document.entities for m in e.mentions]
    return [f[2:] for f in sorted(found)]


def test_text_tokens_lemmas_and_mentions(extractor, nlp):
    document = extractor(WHITESPACE_TEXT)
    doc = document.to_spacy(nlp)
    assert doc.text == WHITESPACE_TEXT
    words = [t for t in doc if not t.is_space]
    assert [(t.idx, t.idx + len(t)) for t in words] == [(t.start, t.end) for t in document.tokens]
    assert [(t.lemma_, t.pos_) for t in words] == [(t.lemma, t.pos) for t in document.tokens]
    assert spans(doc) == expected_spans(document)
    nested = [s for s in doc.spans['extractor']
              if any(o.start_char <= s.start_char and s.end_char <= o.end_char and o != s
                     for o in doc.spans['extractor'])]
    assert nested, 'the text has a place inside an organization name'
    assert [s.text for s in doc.ents] == [s.text for s in doc.spans['extractor'] if s not in nested]
    assert len(list(doc.sents)) == len(document.sentences)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(['Путин', 'в', 'Москве', 'МИД', '.', ',', '«', '»', 'Ivan',
                                 ' ', '  ', '\n', '\n\n', '\t', ' \n ', '\u00a0', '\r\n']), max_size=25))
def test_doc_text_is_the_text(extractor, words):
    text = ''.join(words)
    assert extractor(text).to_spacy(spacy_doc.Vocab()).text == text


def test_nested_mentions_in_spans_outermost_in_ents(extractor, nlp):
    doc = nested_document(extractor).to_spacy(nlp)
    assert doc.text == NESTED_TEXT
    assert spans(doc) == [('МИД Литвы', 'ORG', 'МИД Литвы', 'E1'), ('Литвы', 'LOC', 'Литва', 'E2'),
                          ('Ригу', 'LOC', 'Рига', 'E3')]
    assert [(s.text, s.label_, s._.entity_id) for s in doc.ents] == [('МИД Литвы', 'ORG', 'E1'), ('Ригу', 'LOC', 'E3')]


def test_a_compound_is_one_span_of_its_first_place(extractor, nlp):
    """«Российско-американские» holds two mentions inside one token; a spaCy
    span is whole tokens, and keeps its extension values by its offsets."""
    document = extractor('Российско-американские отношения обсудили в Москве.')
    russia = next(e.id for e in document.entities if e.normal == 'Россия')
    doc = document.to_spacy(nlp)
    assert [s for s in spans(doc) if s[0] == 'Российско-американские'] == \
        [('Российско-американские', 'LOC', 'российский', russia)]


def test_extensions_register_once():
    spacy_doc.register_extensions()
    importlib.reload(spacy_doc)          # Span.set_extension of a name taken would raise
    assert Span.get_extension('normal') == (None, None, None, None)
    # an extension of that name registered by someone else is left alone
    assert Span.remove_extension('entity_id') == (None, None, None, None)
    try:
        Span.set_extension('entity_id', default='theirs')
        spacy_doc.register_extensions()
        assert Span.get_extension('entity_id') == ('theirs', None, None, None)
    finally:
        Span.remove_extension('entity_id')
        Span.set_extension('entity_id', default=None)


def test_component_fills_the_same_fields(extractor):
    nlp = spacy.blank('ru')
    nlp.add_pipe('extractor')
    doc = nlp(WHITESPACE_TEXT)
    assert doc.text == WHITESPACE_TEXT
    assert spans(doc) == expected_spans(extractor(WHITESPACE_TEXT))
    assert {t.lemma_ for t in doc if t.text == 'Москву'} == {'Москва'}
    html = displacy.render(doc, style='ent')
    assert 'Москву' in html and 'LOC' in html
    assert displacy.render(doc, style='span', options={'spans_key': 'extractor'})


@pytest.fixture
def forkserver():
    """spaCy's nlp.pipe(n_process=2) forks after its queues' feeder threads
    have started (Python 3.12 warns of that fork): with forkserver it forks
    from a clean process, and the component loads its models in each worker."""
    import multiprocessing
    before = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method('forkserver', force=True)
    yield
    multiprocessing.set_start_method(before, force=True)


def test_component_in_worker_processes(forkserver):
    import warnings
    warnings.simplefilter('error', DeprecationWarning)
    nlp = spacy.blank('ru')
    nlp.add_pipe('extractor')
    texts = ['Путин прибыл в Москву.', 'МИД Литвы сообщил.', 'В Берлине тепло.', 'Ничего.']
    docs = list(nlp.pipe(texts, n_process=2, batch_size=1))
    assert [d.text for d in docs] == texts
    assert [s._.normal for s in docs[0].spans['extractor']] == ['Путин', 'Москва']
    assert [s._.entity_id for s in docs[2].ents] == ['E1']


def test_docbin_keeps_extensions(extractor, nlp):
    document = nested_document(extractor)
    data = spacy_doc.docbin([document, extractor(WHITESPACE_TEXT)])
    docs = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
    assert spans(docs[0]) == spans(document.to_spacy(nlp))
    assert docs[1].text == WHITESPACE_TEXT


def test_batch_format_spacy(tmp_path, nlp):
    source = tmp_path / 'in'
    source.mkdir()
    (source / 'a.txt').write_text(WHITESPACE_TEXT, encoding='utf-8')
    out = tmp_path / 'out'
    result = subprocess.run([sys.executable, '-m', 'extractor', 'batch', str(source), '-o', str(out),
                             '--format', 'spacy'], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (out / 'a.json').exists()
    [doc] = DocBin().from_disk(out / 'a.spacy').get_docs(nlp.vocab)
    assert doc.text == WHITESPACE_TEXT
    assert ('Москву', 'LOC', 'Москва', 'E2') in spans(doc)


# In a fresh interpreter, which has imported nothing of the project (in
# this one spacy_doc is imported, and its factory registered, already).
ENTRY_POINT = '''
import importlib.metadata, json, sys
import spacy
[point] = [p for p in importlib.metadata.entry_points(group='spacy_factories') if p.name == 'extractor']
before = sorted(m for m in sys.modules if m.partition('.')[0] == 'extractor')
nlp = spacy.blank('ru')
nlp.add_pipe('extractor')
doc = nlp('Путин прибыл в Москву.')
print(json.dumps({'entry_point': point.value, 'before': before,
                  'loaded': 'extractor.spacy_doc' in sys.modules,
                  'spans': [[s.text, s.label_, s._.normal] for s in doc.spans['extractor']]}))
'''


def test_factory_entry_point(tmp_path):
    """spaCy finds the component by the installed entry point alone."""
    import json
    project = tomllib.loads((ROOT / 'pyproject.toml').read_text(encoding='utf-8'))
    target = project['project']['entry-points']['spacy_factories']['extractor']
    module, _, name = target.partition(':')
    assert getattr(importlib.import_module(module), name) is spacy_doc.make_component
    # run outside the repository, so that its tree is not on sys.path by way of the working directory
    proc = subprocess.run([sys.executable, '-c', ENTRY_POINT], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got['entry_point'] == target
    assert got['before'] == [] and got['loaded']
    assert got['spans'] == [['Путин', 'PER', 'Путин'], ['Москву', 'LOC', 'Москва']]


def test_needs_text_and_tokens(extractor, nlp):
    from extractor.document import from_json
    with pytest.raises(ValueError):
        from_json(extractor('Путин').to_bytes()).to_spacy(nlp)
    with pytest.raises(ValueError):
        extractor('Путин', tokens=False).to_spacy(nlp)


def test_component_config_names_the_stages():
    from extractor import Extractor, assets
    from extractor.pipeline import default_extractor

    nlp = spacy.blank('ru')
    nlp.add_pipe('extractor', config={'ner_model': assets.NEWS_NER, 'resolve': False})
    component = nlp.get_pipe('extractor')
    doc = nlp(WHITESPACE_TEXT)
    assert component.extractor.recognizer.tagger.pack_path == assets.NEWS_NER
    assert spans(doc) == expected_spans(Extractor(ner_model=assets.NEWS_NER, resolver=None)(WHITESPACE_TEXT))
    assert len({s._.entity_id for s in doc.spans['extractor']}) == len(doc.spans['extractor'])
    # saved and loaded, the pipeline keeps its config
    assert nlp.config['components']['extractor']['ner_model'] == assets.NEWS_NER

    plain = spacy.blank('ru')
    plain.add_pipe('extractor', config={'normalize': False})
    as_written = plain('МИД Литвы сообщил.')
    assert [(s.text, s._.normal) for s in as_written.spans['extractor']] == [('МИД Литвы', 'МИД Литвы'),
                                                                          ('Литвы', 'Литвы')]

    default = spacy.blank('ru')
    default.add_pipe('extractor')
    default('Путин')
    assert default.get_pipe('extractor').extractor is default_extractor()


def test_reprs_say_what_was_configured(extractor):
    from extractor import assets
    from extractor.runner import LocalRunner
    nlp = spacy.blank('ru')
    component = nlp.add_pipe('extractor', config={'ner_model': assets.NEWS_NER, 'resolve': False})
    assert repr(component).startswith("ExtractorComponent(name='extractor', set_morphology=True, ner_model=")
    assert 'resolver=None' in repr(component)
    assert repr(LocalRunner(extractor)) == 'LocalRunner(Extractor())'
