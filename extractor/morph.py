"""Lemma and Universal Dependencies part of speech of a word, by pymorphy3.

Words repeat a lot in news, so analyses are cached per word form: the
cache makes the morphology cost of a repeated word a dict lookup."""
from __future__ import annotations

from typing import NamedTuple

import pymorphy3

# OpenCorpora grammemes that mark a proper name: its lemma keeps a capital.
PROPER = frozenset({'Name', 'Surn', 'Patr', 'Geox', 'Orgn', 'Trad'})

UD_POS = {
    'NOUN': 'NOUN', 'ADJF': 'ADJ', 'ADJS': 'ADJ', 'COMP': 'ADJ',
    'VERB': 'VERB', 'INFN': 'VERB', 'PRTF': 'VERB', 'PRTS': 'VERB', 'GRND': 'VERB',
    'NUMR': 'NUM', 'ADVB': 'ADV', 'NPRO': 'PRON', 'PRED': 'ADV',
    'PREP': 'ADP', 'CONJ': 'CCONJ', 'PRCL': 'PART', 'INTJ': 'INTJ',
}
SUBORDINATING = frozenset({'что', 'чтобы', 'если', 'когда', 'хотя', 'потому', 'поскольку',
                           'пока', 'будто', 'словно', 'ибо', 'раз', 'как', 'чем', 'так'})
AUXILIARY = frozenset({'быть'})
DETERMINERS = frozenset({'этот', 'тот', 'такой', 'весь', 'каждый', 'свой', 'мой', 'твой',
                         'наш', 'ваш', 'его', 'её', 'их', 'какой', 'который', 'чей',
                         'некоторый', 'всякий', 'любой', 'сам', 'самый', 'никакой', 'другой'})


class Analysis(NamedTuple):
    lemma: str
    pos: str
    proper: bool


def ud_pos(parse, word: str) -> str:
    tag = parse.tag
    pos = tag.POS
    if pos is None:
        if 'PNCT' in tag:
            return 'PUNCT'
        if 'NUMB' in tag or 'ROMN' in tag:
            return 'NUM'
        if 'LATN' in tag:
            return 'PROPN' if word[:1].isupper() else 'X'
        return 'SYM' if not any(c.isalnum() for c in word) else 'X'
    lemma = parse.normal_form
    if pos == 'NOUN' and PROPER & tag.grammemes:
        return 'PROPN'
    if pos in ('VERB', 'INFN') and lemma in AUXILIARY:
        return 'AUX'
    if pos == 'CONJ' and lemma in SUBORDINATING:
        return 'SCONJ'
    if pos == 'ADJF' and lemma in DETERMINERS:
        return 'DET'
    if pos == 'NPRO' and lemma in DETERMINERS:
        return 'DET'
    return UD_POS.get(pos, 'X')


class Morph:
    """pymorphy3 with a per-word cache. Load once, share across documents."""

    def __init__(self, analyzer: pymorphy3.MorphAnalyzer | None = None, cache_size: int = 200_000):
        self.analyzer = analyzer or pymorphy3.MorphAnalyzer()
        self.cache: dict[str, Analysis] = {}
        self.cache_size = cache_size

    def parse(self, word: str):
        return self.analyzer.parse(word)

    def analyse(self, word: str) -> Analysis:
        hit = self.cache.get(word)
        if hit is not None:
            return hit
        parse = self.analyzer.parse(word)[0]
        proper = bool(PROPER & parse.tag.grammemes)
        lemma = parse.normal_form
        if 'LATN' in parse.tag or 'UNKN' in parse.tag:
            lemma = word if word[:1].isupper() else word.lower()
            proper = word[:1].isupper()
        elif proper and 'Abbr' in parse.tag and word.isupper():
            lemma = lemma.upper()                      # США, МИД
        elif proper:
            lemma = lemma[:1].upper() + lemma[1:]
        result = Analysis(lemma, ud_pos(parse, word), proper)
        if len(self.cache) >= self.cache_size:
            self.cache.clear()      # bounded memory on endless streams
        self.cache[word] = result
        return result

    def analyse_sentence(self, words: list[str]) -> list[Analysis]:
        """The analyses of a sentence's words."""
        return [self.analyse(w) for w in words]
