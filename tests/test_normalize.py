"""Normal forms, case by case: (type, mention, expected nominative)."""
from __future__ import annotations

import pytest
from razdel import tokenize

CASES = [
    # plural-only places and plural heads
    ('LOC', 'Нидерландах', 'Нидерланды'),
    ('LOC', 'Мальдивами', 'Мальдивы'),
    ('LOC', 'Альпах', 'Альпы'),
    ('LOC', 'Курильских островов', 'Курильские острова'),
    ('LOC', 'Канарскими островами', 'Канарские острова'),
    ('LOC', 'Объединенных Арабских Эмиратах', 'Объединенные Арабские Эмираты'),
    # agreement inside multiword names, genitive tails stay
    ('ORG', 'Европейского парламента', 'Европейский парламент'),
    ('ORG', 'Русского географического общества', 'Русское географическое общество'),
    ('ORG', 'Центральному банку', 'Центральный банк'),
    ('ORG', 'Государственной думе', 'Государственная дума'),
    ('ORG', 'Министерством финансов Германии', 'Министерство финансов Германии'),
    ('ORG', 'Службы внешней разведки', 'Служба внешней разведки'),
    ('ORG', 'Верховным судом Индии', 'Верховный суд Индии'),
    ('LOC', 'Нижнем Новгороде', 'Нижний Новгород'),
    ('LOC', 'Северной Америке', 'Северная Америка'),
    ('LOC', 'Красной площади', 'Красная площадь'),
    ('LOC', 'Белого моря', 'Белое море'),
    ('LOC', 'Южной Корее', 'Южная Корея'),
    ('ORG', 'Всемирной организации здравоохранения', 'Всемирная организация здравоохранения'),
    ('ORG', 'высшим судом страны', 'высший суд страны'),
    # persons: female names, surnames and patronymics keep their gender
    ('PER', 'Анне Викторовне Сорокиной', 'Анна Викторовна Сорокина'),
    ('PER', 'Ольгой Петровной', 'Ольга Петровна'),
    ('PER', 'Ирины Волковой', 'Ирина Волкова'),
    ('PER', 'Волковой', 'Волкова'),
    ('PER', 'Марии Захаровой', 'Мария Захарова'),
    ('PER', 'Натальей Ивановой', 'Наталья Иванова'),
    ('PER', 'Елену Ковалевскую', 'Елена Ковалевская'),
    ('PER', 'Сергею Ивановичу Павлову', 'Сергей Иванович Павлов'),
    ('PER', 'Петра Николаевича', 'Петр Николаевич'),
    ('PER', 'Николаем Соболевым', 'Николай Соболев'),
    ('PER', 'Дмитрия Медведева', 'Дмитрий Медведев'),
    ('PER', 'Юрием Гагариным', 'Юрий Гагарин'),
    ('PER', 'Льва Толстого', 'Лев Толстой'),
    # unknown surnames keep their suffix
    ('PER', 'Груздиковым', 'Груздиков'),
    ('PER', 'Алексеем Пескарёвым', 'Алексей Пескарёв'),
    ('PER', 'Светланы Тряпицыной', 'Светлана Тряпицына'),
    ('PER', 'Бориса Шмелькина', 'Борис Шмелькин'),
    # foreign names: declined consonant stems, indeclinable vowels
    ('PER', 'Марком Седвиллом', 'Марк Седвилл'),
    ('PER', 'Ричарда Гренелла', 'Ричард Гренелл'),
    ('PER', 'Эммануэлем Макроном', 'Эммануэль Макрон'),
    ('PER', 'Ангеле Меркель', 'Ангела Меркель'),
    ('PER', 'Терезы Мэй', 'Тереза Мэй'),
    ('PER', 'Маттео Сальвини', 'Маттео Сальвини'),
    ('PER', 'Сергея Шойгу', 'Сергей Шойгу'),
    ('PER', 'Виктора Гюго', 'Виктор Гюго'),
    ('PER', 'Джузеппе Верди', 'Джузеппе Верди'),
    ('PER', 'Асии Биби', 'Асия Биби'),
    ('PER', 'Имран Хан', 'Имран Хан'),
    ('PER', 'В. Путиным', 'В. Путин'),
    # hyphenated places
    ('LOC', 'Ростове-на-Дону', 'Ростов-на-Дону'),
    ('LOC', 'Петропавловске-Камчатском', 'Петропавловск-Камчатский'),
    ('LOC', 'Улан-Удэ', 'Улан-Удэ'),
    ('LOC', 'Санкт-Петербурге', 'Санкт-Петербург'),
    # ё and capitals kept, Latin and abbreviations unchanged
    ('PER', 'Артёмом Королёвым', 'Артём Королёв'),
    ('PER', 'Артемом Королевым', 'Артем Королев'),
    ('LOC', 'Великих Луках', 'Великие Луки'),
    ('ORG', 'Google', 'Google'),
    ('ORG', 'Financial Times', 'Financial Times'),
    ('ORG', 'НАТО', 'НАТО'),
    ('ORG', 'ФСБ России', 'ФСБ России'),
    ('ORG', 'ОПЕКом', 'ОПЕК'),
    ('ORG', 'британского МИДа', 'британский МИД'),
    # quoted organizations: inside the quotes when quoted alone, an apposition stays
    ('ORG', '«Ростелекома»', '«Ростелеком»'),
    ('ORG', '"Спартака"', '"Спартак"'),
    ('ORG', 'Сбербанка', 'Сбербанк'),
    ('ORG', 'ПАО «Роснефть»', 'ПАО «Роснефть»'),
    ('ORG', 'компанией «Транснефть»', 'компания «Транснефть»'),
    # adjectival mentions: masculine singular nominative
    ('LOC', 'французских', 'французский'),
]


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
