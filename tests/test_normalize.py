"""Normal forms, case by case: tests/data/normal_cases.tsv (type, mention,
expected nominative), a class of cases under each comment line."""
from __future__ import annotations

from pathlib import Path

import pytest
from razdel import tokenize

DATA = Path(__file__).parent / 'data'


def cases(name: str) -> list[tuple[str, ...]]:
    """The rows of a tab-separated table in tests/data ("#" lines are comments)."""
    text = (DATA / name).read_text(encoding='utf-8')
    return [tuple(line.split('\t')) for line in text.splitlines() if line and not line.startswith('#')]


CASES = cases('normal_cases.tsv')


@pytest.fixture(scope='module')
def normalizer():
    from extractor.morph import Morph
    from extractor.normalize import Normalizer
    return Normalizer(Morph())


def normal(normalizer, type: str, text: str) -> str:
    toks = list(tokenize(text))
    words = normalizer([t.text for t in toks], type)
    pieces, pos = [], 0
    for tok, word in zip(toks, words):
        pieces += [text[pos:tok.start], word]
        pos = tok.stop
    return ''.join(pieces)


@pytest.mark.parametrize('type,mention,expected', CASES)
def test_normalizer(normalizer, type, mention, expected):
    assert normal(normalizer, type, mention) == expected


def test_case_table_is_read():
    assert len(CASES) > 140 and all(len(row) == 3 for row in CASES)


# A person's first name and surname through the whole pipeline: sentence,
# the person's normal form, first, last ("-": none).
@pytest.mark.parametrize('sentence,name,first,last', cases('name_parts.tsv'))
def test_name_parts(extractor, sentence, name, first, last):
    people = {e.normal: (e.first, e.last) for e in extractor(sentence).entities if e.type == 'PER'}
    assert people.get(name) == (None if first == '-' else first, None if last == '-' else last), people


# Through the whole pipeline, on small real sentences: (sentence, mention text, normal).
SENTENCES = [
    ('Вчера в Нижнем Новгороде открылась выставка.', 'Нижнем Новгороде', 'Нижний Новгород'),
    ('Премьер встретился с Анной Викторовной Сорокиной в Москве.', 'Анной Викторовной Сорокиной',
     'Анна Викторовна Сорокина'),
    ('Сотрудники Организации Объединенных Наций прибыли в Женеву.', 'Организации Объединенных Наций',
     'Организация Объединенных Наций'),
    ('Акции «Аэрофлота» выросли.', 'Аэрофлота', 'Аэрофлот'),
    ('Туристы отдыхали на Мальдивах две недели.', 'Мальдивах', 'Мальдивы'),
]


@pytest.mark.parametrize('sentence,text,expected', SENTENCES)
def test_pipeline_normal(extractor, sentence, text, expected):
    doc = extractor(sentence)
    mentions = {m.text: m.normal for e in doc.entities for m in e.mentions}
    assert mentions.get(text) == expected, mentions


def test_shipped_name_tables_are_natashas_lists():
    """names.py reads the first-name and surname lists from DAWGs in
    models/names/ (scripts/build_tables.py writes them): they must hold
    exactly Natasha's lists, or the readings of names would drift from them."""
    from extractor import names
    first, last = names.name_lists()
    assert not isinstance(first, frozenset), 'the tables do not ship'
    listed_first, listed_last = names.natasha_lists()
    assert set(first.keys()) == listed_first
    assert set(last.keys()) == listed_last
    assert 'петров' in last and 'мария' in first and 'маскат' not in first


@pytest.mark.parametrize('separator', ['. ', '.'])
def test_long_names_of_initials_parse_each_letter_once(extractor, monkeypatch, separator):
    """The network reads a run of random initials as a few names of
    hundreds of words; a capital letter has thirty readings, and parsing
    each letter of each such name again ran at 17-33 k characters a second.
    Counted: pymorphy is asked about each distinct word a few times at most."""
    from collections import Counter

    from shapes import SHAPES, initials

    spec = SHAPES['initials']
    text = initials(spec['test_size'], separator, spec['seed'])
    calls = Counter()
    parse = extractor.morph.parse

    def counting(word):
        calls[word] += 1
        return parse(word)
    monkeypatch.setattr(extractor.morph, 'parse', counting)
    doc = extractor(text, tokens=False)
    assert max(len(m.text) for e in doc.entities for m in e.mentions) > 100     # the long names are there
    assert max(calls.values(), default=0) <= 3, calls.most_common(3)


def test_apostrophe_kept_as_written_and_one_surname(extractor):
    """The view reads ’ as ' (clean.py); the normal form keeps the text's own
    apostrophe, and «О'Лири» alone joins «Майкл О’Лири»."""
    doc = extractor("Глава Ryanair Майкл О’Лири заявил. Позже О'Лири уехал.")
    people = [(e.normal, [m.normal for m in e.mentions]) for e in doc.entities if e.type == 'PER']
    assert people == [('Майкл О’Лири', ['Майкл О’Лири', "О'Лири"])]
