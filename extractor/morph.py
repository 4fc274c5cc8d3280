"""Lemma and Universal Dependencies part of speech of a word, by pymorphy3.

Words repeat a lot in news, so analyses are cached per word form: the
cache makes the morphology cost of a repeated word a dict lookup.

`Morph.recase` restores the case of an all-capitals sentence for the
analysis («МИНИСТР ИНОСТРАННЫХ ДЕЛ ИРАНА» → «Министр иностранных дел
Ирана»), so that the NER model and the normal forms see text as it is
usually written; it asks the dictionary which words are names."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple, Protocol, overload

import pymorphy3
import pymorphy3_dicts_ru

from .document import Token

WORD = re.compile(r'[^\W\d_]+')
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


# lemmas pymorphy spells otherwise than the gold standards
VARIANTS = {'должный': 'должен'}


def choose(parses):
    """pymorphy's first reading, except that a lexicalized adjective beats
    the participle it comes from («образованный», «заслуженный»)."""
    first = parses[0]
    if first.tag.POS == 'PRTF':
        for p in parses:
            if p.tag.POS == 'ADJF' and p.tag.case == first.tag.case:
                return p
    return first


def proper_lemma(parse, lemma: str) -> str:
    """A woman's surname or patronymic keeps its gender («Политковской» →
    «Политковская», «Ивановна»), where pymorphy's lemma is the man's."""
    if parse.tag.gender == 'femn' and {'Surn', 'Patr'} & parse.tag.grammemes:
        try:
            form = parse.inflect({'nomn', 'sing', 'femn'})
        except (ValueError, KeyError):
            form = None
        if form:
            lemma = form.word
    return lemma[:1].upper() + lemma[1:]


def shouting(sentence: str) -> bool:
    """An all-capitals sentence («ИРАН И США ДОГОВОРИЛИСЬ»): no lower-case
    letter, and a word of two letters or more."""
    return sentence.isupper() and any(len(w) > 1 for w in WORD.findall(sentence))


class Morph:
    """pymorphy3 with a per-word cache. Load once, share across documents."""

    def __init__(self, analyzer: pymorphy3.MorphAnalyzer | None = None, cache_size: int = 200_000):
        # The dictionary's path given, pymorphy3 does not search every
        # installed package's entry points for it (a tenth of the start-up).
        self.given = analyzer               # what it was built from, for pickling
        if analyzer is None:
            path = os.environ.get(pymorphy3.MorphAnalyzer.DICT_PATH_ENV_VARIABLE) or pymorphy3_dicts_ru.get_path()
            analyzer = pymorphy3.MorphAnalyzer(path=path, lang='ru')
        self.analyzer = analyzer
        self.cache: dict[str, Analysis] = {}
        self.places: dict[str, bool] = {}
        self.cache_size = cache_size

    def __reduce__(self):
        # rebuilt from what it was given (by default: the dictionary loaded
        # again where it is unpickled); the caches start empty
        return type(self), (self.given, self.cache_size)

    def parse(self, word: str):
        """pymorphy3's readings; a word it cannot read (it raises ValueError on
        letters Python has no name for) is read as an unknown word."""
        try:
            return self.analyzer.parse(word)
        except ValueError:
            return self.analyzer.parse('\ufffd')

    def is_place(self, word: str) -> bool:
        """A capitalized word whose likeliest reading is a place name
        (Литвы, США, Токио)."""
        hit = self.places.get(word)
        if hit is None:
            hit = False
            if word[:1].isupper():
                parse = self.parse(word)[0]
                hit = parse.tag.POS == 'NOUN' and 'Geox' in parse.tag.grammemes
            if len(self.places) > 100_000:
                self.places.clear()
            self.places[word] = hit
        return hit

    def noun_forms(self, lemma: str) -> list[str]:
        """Every form of a noun by the dictionary's paradigms of its noun
        readings, also with е for ё (texts often write е), sorted: the word
        lists that the rules and tables test a word against without
        analysing it (scripts/build_forms.py, scripts/learn_bodies.py)."""
        words = {lemma}
        for parse in self.parse(lemma):
            if parse.tag.POS == 'NOUN' and parse.normal_form == lemma:
                words.update(form.word for form in parse.lexeme)
        return sorted(words | {w.replace('ё', 'е') for w in words})

    def oblique(self, word: str) -> bool:
        """Whether a word is a noun or adjective that no reading puts in the
        nominative («Первого», «Ленинграда»: whose, not what)."""
        readings = [p.tag for p in self.parse(word) if p.tag.POS in ('NOUN', 'ADJF', 'PRTF')]
        return bool(readings) and all(t.case != 'nomn' for t in readings)

    def name_part(self, word: str) -> str | None:
        """'first', 'middle' or 'last' when the likeliest reading of a
        capitalized word is a first name, patronymic or surname."""
        if not word[:1].isupper():
            return None
        grammemes = self.parse(word)[0].tag.grammemes
        for grammeme, part in (('Name', 'first'), ('Patr', 'middle'), ('Surn', 'last')):
            if grammeme in grammemes:
                return part
        return None

    def analyse(self, word: str) -> Analysis:
        hit = self.cache.get(word)
        if hit is not None:
            return hit
        parses = self.parse(word)
        parse = choose(parses)
        proper = bool(PROPER & parse.tag.grammemes)
        lemma = parse.normal_form
        if 'LATN' in parse.tag or 'UNKN' in parse.tag:
            lemma = word if word[:1].isupper() else word.lower()
            proper = word[:1].isupper()
        elif proper and 'Abbr' in parse.tag and word.isupper():
            lemma = lemma.upper()                      # США, МИД
        elif proper:
            lemma = proper_lemma(parse, lemma)
        elif 'PREP' in parse.tag or 'COMP' in parse.tag:
            lemma = word.lower()                        # «во», «со»; «больше», «раньше»
        lemma = VARIANTS.get(lemma, lemma)
        result = Analysis(lemma, ud_pos(parse, word), proper)
        if len(self.cache) >= self.cache_size:
            self.cache.clear()      # bounded memory on endless streams
        self.cache[word] = result
        return result

    def analyse_sentence(self, words: Sequence[str]) -> list[Analysis]:
        """The analyses of a sentence's words (see analyse_at)."""
        return [self.analyse_at(words, i) for i in range(len(words))]

    def analyse_at(self, words: Sequence[str], i: int) -> Analysis:
        """The analysis of words[i] in its sentence: the few lemma choices
        that depend on the neighbours are settled by context rules (each a
        function of the words around it and their own analyses), so a word
        can be analysed without the rest of its sentence."""
        analysis = self.analyse(words[i])
        rule = CONTEXT_RULES.get(analysis.lemma)
        return analysis if rule is None else rule(self, words, i) or analysis

    def recase(self, words: Sequence[str]) -> list[str]:
        """The words of an all-capitals sentence in the case they usually have:
        abbreviations the dictionary knows stay upper (МИД, США), proper names
        get a capital (Иран, Аббас, Аракчи), and so do words the dictionary
        does not know that read as words («РУБИО», «ЦЗИНЬПИНОМ»: news names),
        a noun right after a first name («ЭММАНУЭЛЬ МАКРОН»: «макрон» is
        a diacritic too) and a short one before such a name («СИ»); other
        words it does not know stay upper («СУАР»), the rest is lower, and
        the sentence starts with a capital."""
        out = []
        first = True
        after_name = False                      # the word before was a first name
        for i, word in enumerate(words):
            if not word.isupper() or not any(c.isalpha() for c in word):
                out.append(word)
                after_name = False
                continue
            letters = sum(1 for c in word if c.isalpha())
            name = False
            if letters == 1:
                initial = i + 1 < len(words) and words[i + 1] == '.'
                word = word if initial else word.lower()
            elif not any('А' <= c <= 'я' or c in 'Ёё' for c in word):
                pass                                # Latin (REUTERS): left to the model
            else:
                parse = self.parse(word)[0]
                tag = parse.tag
                if 'Abbr' in tag:
                    pass
                elif tag.grammemes & PROPER or ('UNKN' in tag or not parse.is_known) and reads_as_word(word) \
                        or after_name and tag.POS == 'NOUN' or tag.POS == 'NOUN' and letters <= 3 \
                        and i + 1 < len(words) and self.unknown_name(words[i + 1]):   # «СИ ЦЗИНЬПИН»: «си» is a note too
                    word = '-'.join(part[:1].upper() + part[1:].lower() for part in word.split('-'))
                    name = 'Name' in tag
                elif not parse.is_known:
                    pass                            # an abbreviation the dictionary does not know («СУАР»)
                else:
                    word = word.lower()
            if first:
                word = word[:1].upper() + word[1:]
            first = False
            after_name = name
            out.append(word)
        return out

    def unknown_name(self, word: str) -> bool:
        """Whether an all-capitals word is one the dictionary does not know
        that reads as a word: a name, as recase reads it."""
        return word.isupper() and not self.parse(word)[0].is_known and reads_as_word(word)

    def next_pos(self, words: Sequence[str], i: int) -> str | None:
        """The part of speech of the next word (cached like every word)."""
        if i + 1 >= len(words):
            return None
        return self.analyse(words[i + 1]).pos


# Forms pymorphy lemmatizes to a variant the gold standards (UD Russian,
# GramEval) keep apart: prepositions keep their vowel («во», «со», «об»);
# a possessive «его / её / их» before a noun is its own lemma; a
# comparative used as an adverb («больше», «раньше») is its own lemma.
NOMINAL = frozenset({'NOUN', 'PROPN', 'ADJ', 'DET', 'NUM'})


def possessive(morph: Morph, words, i):
    if words[i].lower() in POSSESSIVES and morph.next_pos(words, i) in NOMINAL:
        return Analysis(words[i].lower(), 'DET', False)
    return None


POSSESSIVES = frozenset({'его', 'её', 'ее', 'их'})


def every(morph: Morph, words, i):
    """«все люди»: the determiner «весь»; «все пришли», «всё»: as written."""
    if morph.next_pos(words, i) in NOMINAL:
        return Analysis('весь', 'DET', False)
    return None


def demonstrative(morph: Morph, words, i):
    """«того / тем / том» alone is the pronoun «то»; before a noun, «тот»."""
    if words[i].lower() in ('то', 'того', 'тому', 'тем', 'том') and \
            morph.next_pos(words, i) not in NOMINAL:
        return Analysis('то', 'PRON', False)
    return None


def self_or_most(morph: Morph, words, i):
    """«в самом деле», «самые большие»: «самый» before a noun or adjective."""
    if morph.next_pos(words, i) in NOMINAL:
        return Analysis('самый', 'ADJ', False)
    return None


def what(morph: Morph, words, i):
    """«с чем», «о чём»: the pronoun «что» after a preposition."""
    # (no rule makes or unmakes a preposition: the previous word's own analysis is the one)
    if i > 0 and morph.analyse(words[i - 1]).pos == 'ADP':
        return Analysis('что', 'PRON', False)
    return None


CONTEXT_RULES = {
    'он': possessive, 'она': possessive, 'они': possessive, 'оно': possessive,
    'тот': demonstrative, 'тем': demonstrative, 'сам': self_or_most, 'чем': what, 'всё': every,
}


class InSentence(Protocol):
    def analyse_at(self, words: Sequence[str], i: int) -> Analysis: ...


class SentenceTokens(Sequence[Token]):
    """A sentence's tokens, each analysed when it is first read (in its
    sentence, Morph.analyse_at): a reader of a few of them (the roles, near
    a title) pays for those only. Their words and offsets need no analysis."""

    __slots__ = ('made', 'morph', 'offsets', 'texts', 'words')

    def __init__(self, morph: InSentence, words: list[str], offsets: list[tuple[int, int]], texts: list[str]):
        self.morph = morph
        self.words = words              # as analysed
        self.offsets = offsets          # (start, end) in the document
        self.texts = texts              # as written
        self.made: list[Token | None] = [None] * len(words)

    def __len__(self) -> int:
        return len(self.words)

    @overload
    def __getitem__(self, i: int) -> Token: ...

    @overload
    def __getitem__(self, i: slice) -> list[Token]: ...

    def __getitem__(self, i: int | slice) -> Token | list[Token]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self.words)))]
        token = self.made[i]
        if token is None:
            lemma, pos, _ = self.morph.analyse_at(self.words, i)
            token = self.made[i] = Token(*self.offsets[i], self.texts[i], lemma, pos)
        return token

    def __iter__(self) -> Iterator[Token]:
        return (self[i] for i in range(len(self.words)))


def reads_as_word(word: str) -> bool:
    """An all-capitals word the dictionary does not know that reads as a word,
    not letters: five letters or more (signs aside), a quarter of them
    vowels («РУБИО», «ЦЗИНЬПИНОМ»; not «СУАР», «ВСУ», «МВФСБ»)."""
    letters = [c for c in word.upper() if c.isalpha() and c not in 'ЬЪ']
    vowels = sum(1 for c in letters if c in 'АЕЁИОУЫЭЮЯ')
    return len(letters) >= 5 and 4 * vowels >= len(letters)
