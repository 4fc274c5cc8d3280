"""Person names that pymorphy3's dictionary does not know.

pymorphy3 knows common Russian first names, patronymics and surnames, but
news is full of foreign and rare ones («Рыжиковым», «Гренелла», «Асии»),
which its guesser turns into adjectives, verbs or plural nouns. Here a
name word is read by the Russian declension of names: for a word form, the
nominatives it may come from, with the case and gender each reading
implies. Which reading is right is decided by the whole name (all its
words share one case and gender) and by the first- and last-name lists
that ship with Natasha (`natasha/data/dict`), which say whether a
nominative is a name people are actually called."""
from __future__ import annotations

import re
from collections.abc import Container
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import dawg

VOWELS = 'аеёиоуыэюя'
HUSHING = 'гкхжшщчц'          # after these Russian spells и, not ы / я


class Reading(NamedTuple):
    nominative: str          # lower case
    case: str | None         # None: indeclinable, any case
    gender: str | None       # 'masc', 'femn' or None for either
    score: float = 0.5       # how typical this reading is


# Surnames in -ов/-ев/-ёв/-ин/-ын: a word ending -> (nominative ending, case, gender) readings.
POSSESSIVE_SURNAME = re.compile(r'^(.+(?:ов|ев|ёв|ин|ын))(а|у|ым|е|ой|ою|ы|ых|ыми)?$')
POSSESSIVE_ENDINGS = {
    '': [('', 'nomn', 'masc')],
    'а': [('', 'gent', 'masc'), ('', 'accs', 'masc'), ('а', 'nomn', 'femn')],
    'у': [('', 'datv', 'masc'), ('а', 'accs', 'femn')],
    'ым': [('', 'ablt', 'masc')],
    'е': [('', 'loct', 'masc')],
    'ой': [('а', c, 'femn') for c in ('gent', 'datv', 'ablt', 'loct')],
    'ою': [('а', 'ablt', 'femn')],
}
# Adjectival surnames and names: «Достоевского», «Ковалевской», «Толстой».
ADJECTIVAL = re.compile(r'^(.+(?:ск|цк|ой|н))(ий|ого|ому|им|ом|ая|ой|ую|ою)$')
ADJECTIVAL_ENDINGS = {
    'ий': [('ий', 'nomn', 'masc')],
    'ого': [('ий', 'gent', 'masc'), ('ий', 'accs', 'masc')],
    'ому': [('ий', 'datv', 'masc')],
    'им': [('ий', 'ablt', 'masc')],
    'ом': [('ий', 'loct', 'masc')],
    'ая': [('ая', 'nomn', 'femn')],
    'ой': [('ая', c, 'femn') for c in ('gent', 'datv', 'ablt', 'loct')],
    'ую': [('ая', 'accs', 'femn')],
    'ою': [('ая', 'ablt', 'femn')],
}


def readings(word: str) -> list[Reading]:
    """Nominatives a name word may come from (lower case, all readings)."""
    w = word.lower()
    out: list[Reading] = []
    if len(w) < 2 or not w.isalpha():
        return [Reading(w, None, None)]
    m = POSSESSIVE_SURNAME.match(w)
    if m:
        stem, ending = m.group(1), m.group(2) or ''
        out.extend(Reading(stem + e, c, g, 0.7) for e, c, g in POSSESSIVE_ENDINGS.get(ending, ()))
    m = ADJECTIVAL.match(w)
    if m and len(m.group(1)) > 2:
        stem, ending = m.group(1), m.group(2)
        out.extend(Reading(stem + e, c, g) for e, c, g in ADJECTIVAL_ENDINGS[ending])
    out.extend(nominal(w))
    seen, unique = set(), []
    for r in out:
        if r not in seen:
            seen.add(r)
            unique.append(r)
    return unique


def nominal(w: str) -> list[Reading]:
    """Noun declension: consonant stems (masculine; feminine ones do not
    decline), -а/-я stems (either gender), other vowels: indeclinable."""
    last, stem = w[-1], w[:-1]
    out: list[Reading] = []
    if last not in VOWELS:
        # «Меллоном», «Соботкой»: more often an instrumental than a nominative
        oblique = w.endswith(('ом', 'ой')) and len(w) > 5
        out.append(Reading(w, 'nomn', 'masc', 0.3 if oblique else 0.5))
        out.append(Reading(w, None, 'femn', 0.4))     # «Анн Идальго», «Норин», «Мэй»
    elif last in 'оиуюэые' and not w.endswith(('ии', 'ие', 'ию')):
        # «Шойгу», «Гёте», «Аракчи»; a final -у/-ю is more often a dative
        out.append(Reading(w, None, None, 0.4 if last in 'уюы' else 0.6 if last in 'иоэ' else 0.5))
    # Oblique forms of a masculine consonant stem: «Рааба», «Курцем», «Скрипаля».
    masc = {'а': ('gent',), 'у': ('datv',), 'е': ('loct',), 'я': ('gent',), 'ю': ('datv',)}
    # (not after ь: «Моуринью» is no dative of a «Моуриньь»)
    if last in masc and len(stem) > 1 and stem[-1] not in VOWELS + 'ь':
        soft = last in 'яю'
        base = stem + ('ь' if soft and stem[-1] not in 'жшщчц' else '')
        for case in masc[last]:
            out.append(Reading(base, case, 'masc'))
        if last in 'ая':
            out.append(Reading(base, 'accs', 'masc'))
    if last == 'я' and len(stem) > 1 and stem[-1] in VOWELS:      # «Мэя» → «Мэй»
        out.append(Reading(stem + 'й', 'gent', 'masc'))
    if w.endswith(('ом', 'ем', 'ём')) and len(w) > 3:
        base = w[:-2]
        if w[-2] != 'о' and base[-1] not in 'жшщчц':
            base += 'й' if base[-1] in VOWELS else 'ь'
        out.append(Reading(base, 'ablt', 'masc'))
    # First declension: «Раджа», «Асия», «Никита» in every case.
    if last in 'ая':
        # after a consonant, an unknown word's -а is as often a man's genitive
        # («Болтона», «Джейкобса») as a nominative
        out.append(Reading(w, 'nomn', None, 0.4 if stem[-1:] not in VOWELS else 0.5))
    if len(stem) > 1:
        hush = stem[-1] in HUSHING
        a = stem + 'а'
        ya = stem + 'я'
        if last == 'ы':
            out.append(Reading(a, 'gent', None))
        if last == 'и':
            if stem.endswith('и'):                       # Асии → Асия
                out += [Reading(ya, c, None) for c in ('gent', 'datv', 'loct')]
            else:
                out.append(Reading(a if hush else ya, 'gent', None))
        if last == 'е':
            out += [Reading(a, c, None) for c in ('datv', 'loct')]
            if stem.endswith('и'):                       # «Асие» (a common misspelling)
                out.append(Reading(ya, 'datv', None))
            elif stem[-1] not in VOWELS:
                out += [Reading(ya, c, None) for c in ('datv', 'loct')]
        if last == 'у' and stem[-1] not in VOWELS:
            # (after a vowel: Portuguese «Антониу», «Жоау», not an «Антониа»)
            out.append(Reading(a, 'accs', None))
        if last == 'ю':
            # «-ью» ends Portuguese names («Моуринью») more often than it is
            # the accusative of an «-ья» name the dictionary does not know
            out.append(Reading(ya, 'accs', None, 0.3 if stem[-1] == 'ь' else 0.5))
    if w.endswith(('ой', 'ою')) and len(w) > 3:
        out.append(Reading(w[:-2] + 'а', 'ablt', None))
    if w.endswith(('ей', 'ею')) and len(w) > 3:
        out.append(Reading(w[:-2] + 'я', 'ablt', None))
    return out


def name_tables() -> list[Path]:
    """The DAWGs of the first-name and the surname list, in models/names/."""
    from .assets import models_dir
    return [models_dir() / 'names' / name for name in ('first_names.dawg', 'surnames.dawg')]


@lru_cache(maxsize=1)
def name_lists() -> tuple[Container[str], Container[str]]:
    """Known first names and (masculine) surnames, lower case with ё as е.

    Read from DAWGs of Natasha's lists (written by scripts/build_tables.py):
    they load in a millisecond, where sets of the lists' 190 000 lines took
    50 ms in every process."""
    first, last = (dawg.CompletionDAWG().load(str(path)) for path in name_tables())
    return first, last


def natasha_lists() -> tuple[frozenset[str], frozenset[str]]:
    """The lists themselves, from `natasha/data/dict`."""
    from .assets import natasha_data
    base = natasha_data() / 'dict'

    def load(name: str) -> frozenset[str]:
        with open(base / name, encoding='utf-8') as f:
            text = f.read().replace('ё', 'е')
        # lines are names, some with a «# comment» after them
        return frozenset(line.partition('#')[0].strip() for line in text.splitlines()) - {''}
    return load('first.txt') | load('maybe_first.txt'), load('last.txt')


def write_name_tables() -> list[Path]:
    """Writes the DAWGs that name_lists() reads."""
    paths = name_tables()
    for names, path in zip(natasha_lists(), paths):
        path.parent.mkdir(exist_ok=True)
        dawg.CompletionDAWG(names).save(str(path))
    return paths


def is_first_name(nominative: str) -> bool:
    return nominative.replace('ё', 'е') in name_lists()[0]


def is_surname(nominative: str) -> bool:
    last = name_lists()[1]
    w = nominative.replace('ё', 'е')
    if w in last:
        return True
    # feminine forms: Захарова → захаров, Ковалевская → ковалевский
    if w.endswith(('ова', 'ева', 'ина', 'ына')) and w[:-1] in last:
        return True
    return w.endswith('ая') and w[:-2] + 'ий' in last
