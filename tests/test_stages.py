"""The Extractor's stages as constructor arguments: replaced, left out, and
carried whole to other processes by pickling."""
from __future__ import annotations

import multiprocessing
import pickle
from pathlib import Path

import pytest

from extractor import Extractor, assets
from extractor.ner import Recognizer, TokenSpan
from extractor.ner.rules import default_rules

CORPUS = Path(__file__).resolve().parent.parent / 'corpus' / 'texts'
# a text on which Natasha's pack and the project's find different names
VOLGA = (CORPUS / 'volga-bridge.txt').read_text(encoding='utf-8')
NESTED = 'Министерство иностранных дел Литвы сообщило, что Аббас Аракчи прибыл в Маскат.'


@pytest.fixture(scope='module')
def natasha():
    return Extractor(ner_model=assets.NEWS_NER)


def outputs(extractor: Extractor) -> list[bytes]:
    return [extractor(p.read_text(encoding='utf-8')).to_bytes(tokens=True) for p in sorted(CORPUS.glob('*.txt'))]


def mentions(doc) -> list[tuple]:
    return sorted((m.start, m.end, e.type) for e in doc.entities for m in e.mentions)


def test_pickled_extractor_keeps_its_pack(natasha, extractor):
    clone = pickle.loads(pickle.dumps(natasha))
    assert clone.recognizer.tagger.pack_path == assets.NEWS_NER
    assert outputs(clone) == outputs(natasha)
    # the pack matters on this text, so an extractor that dropped it would differ
    assert natasha(VOLGA).to_bytes() != extractor(VOLGA).to_bytes()


def test_pickle_carries_arguments_not_models(natasha):
    # the models load again where it is unpickled: what travels is a few paths
    assert len(pickle.dumps(natasha)) < 2000
    assert len(pickle.dumps(Extractor(recognizer=every_capital, resolver=None))) < 2000


def test_stages_pickle_as_what_they_were_loaded_from(extractor):
    recognizer = pickle.loads(pickle.dumps(extractor.recognizer))
    assert len(pickle.dumps(extractor.recognizer)) < 2000 and len(pickle.dumps(extractor.normalizer)) < 2000
    words = [['Министр', 'иностранных', 'дел', 'Литвы', 'прибыл', 'в', 'Маскат', '.']]
    assert recognizer(words) == extractor.recognizer(words)
    # its rules ask the dictionary of the morphology unpickled with them
    bound = {rule.func.__name__: rule.keywords for rule in recognizer.rules if hasattr(rule, 'keywords')}
    assert bound['join_persons']['name_part'].__self__ is bound['nested_places']['is_place'].__self__


def _documents(extractor: Extractor, texts: list[str]) -> list[bytes]:
    return [extractor(text).to_bytes(tokens=True) for text in texts]


def test_spawned_worker_gets_every_argument(natasha):
    """A process started fresh (spawn: the default on macOS and Windows, and
    Dask's) rebuilds the Extractor it is sent, non-default pack included."""
    texts = [VOLGA, NESTED]
    with multiprocessing.get_context('spawn').Pool(1) as pool:
        there = pool.apply(_documents, (natasha, texts))
    assert there == _documents(natasha, texts)


def every_capital(sentences):
    """A recognizer that is a plain function: every capitalized word a LOC."""
    return [[TokenSpan(i, i + 1, 'LOC') for i, word in enumerate(words) if word[:1].isupper()]
            for words in sentences]


def test_replaced_recognizer():
    doc = Extractor(recognizer=every_capital)('Вчера в Маскате и Омане шел дождь.')
    assert [(e.type, e.normal) for e in doc.entities] == [('LOC', 'Вчера'), ('LOC', 'Маскат'), ('LOC', 'Оман')]


def test_recognizer_rules_are_a_list(extractor):
    """Without its rules the network's spans stand alone: the place nested
    in the ministry's name is found by a rule (rules.nested_places)."""
    tagger = extractor.recognizer.tagger
    bare = Extractor(recognizer=Recognizer(tagger, rules=[]))
    ruled = Extractor(recognizer=Recognizer(tagger, default_rules(extractor.morph.is_place,
                                                                  extractor.morph.name_part,
                                                                  extractor.morph.oblique)))
    assert mentions(ruled(NESTED)) == mentions(extractor(NESTED))
    assert ('LOC', 'Литва') in {(e.type, e.normal) for e in extractor(NESTED).entities}
    assert ('LOC', 'Литва') not in {(e.type, e.normal) for e in bare(NESTED).entities}


def test_no_normalizer_keeps_mentions_as_written(extractor):
    # (the grouping would still spell a person's words as in the fullest name)
    doc = Extractor(normalizer=None, resolver=None)(VOLGA)
    assert mentions(doc) == mentions(extractor(VOLGA))
    assert all(m.normal == m.text for e in doc.entities for m in e.mentions)
    assert any(m.normal != m.text for e in extractor(VOLGA).entities for m in e.mentions)
    grouped = Extractor(normalizer=None)(VOLGA)
    assert mentions(grouped) == mentions(doc)
    assert {e.normal for e in grouped.entities} <= {m.text for e in doc.entities for m in e.mentions}


def test_no_resolver_gives_an_entity_per_mention(extractor):
    grouped = extractor(VOLGA)
    doc = Extractor(resolver=None)(VOLGA)
    assert all(len(e.mentions) == 1 for e in doc.entities)
    assert [e.id for e in doc.entities] == ['E%d' % n for n in range(1, len(doc.entities) + 1)]
    starts = [e.mentions[0].start for e in doc.entities]
    assert starts == sorted(starts)
    assert mentions(doc) == mentions(grouped)
    assert len(doc.entities) > len(grouped.entities)


def test_a_recognizer_and_a_pack_do_not_combine():
    with pytest.raises(ValueError, match='ner_model'):
        Extractor(ner_model=assets.NEWS_NER, recognizer=every_capital)
