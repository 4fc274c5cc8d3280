"""A gazetteer of place names in Russian, for the normal forms of places
pymorphy3 does not know or reads wrongly.

The names are the Russian ones of ISO 3166 as pycountry translates them
(countries, and every subdivision that has a Russian name: states,
provinces, regions, cities with a region's status) and the project's own
names in models/links/names.tsv. pycountry loads slowly, so the list is
built from it by scripts/build_tables.py (`write_table`) into
models/links/places.tsv, which ships and is read once per process.

A mention is matched by the nominatives its words may come from: Russian
declension ends words in a few ways («Небраске», «Айове», «Квебеке»), and
each oblique ending is undone in the few ways it can be (`nominatives`);
where exactly one gazetteer name fits, it is the normal form. A mention
written as a gazetteer name is in the nominative already and stays."""
from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from . import assets, links

TABLE = 'places.tsv'
MAX_WORDS = 4

# Oblique endings of a word → the nominative endings they may come from:
# nouns of the first declension («Небраске», «Аляски», «Сербии»), of the
# second («Квебеке», «Уругвая»), of the third («Сибири»), plural-only
# names («Филиппинах») and the adjectives before them («Северной»).
ENDINGS: dict[str, tuple[str, ...]] = {
    'а': ('',), 'я': ('ь', 'й'),
    'у': ('', 'а'), 'ю': ('ь', 'й', 'я'),
    'е': ('', 'а', 'я', 'ь', 'й'),
    'и': ('а', 'я', 'ь', 'ы', 'и'), 'ы': ('а', 'ы'),
    'ой': ('а', 'ая', 'ый', 'ой'), 'ою': ('а', 'ая'),
    'ей': ('я', 'ь', 'яя'), 'ею': ('я', 'ь'),
    'ом': ('', 'ый', 'ой', 'ое'), 'ем': ('ь', 'й', 'ий', 'ее'), 'ём': ('ь',),
    'ым': ('ый', 'ое', 'ые'), 'им': ('ий', 'ее', 'ие'),
    'ого': ('ый', 'ой', 'ое'), 'его': ('ий', 'ее'),
    'ому': ('ый', 'ой', 'ое'), 'ему': ('ий', 'ее'),
    'ую': ('ая',), 'юю': ('яя',),
    'ах': ('ы', 'и'), 'ях': ('и',), 'ами': ('ы', 'и'), 'ями': ('и',), 'ам': ('ы', 'и'), 'ям': ('и',),
    'ов': ('ы',), 'ых': ('ые',), 'их': ('ие',), 'ыми': ('ые',), 'ими': ('ие',),
}


def key(name: str) -> str:
    """A name as looked up: lower case, ё as е, words one space apart
    (hyphens stay: «Нью-Йорке» is one word of a mention)."""
    return ' '.join(name.lower().replace('ё', 'е').replace('’', "'").split())


def nominatives(word: str) -> set[str]:
    """The keys of the nominatives a word form may come from, itself among them."""
    w = key(word)
    out = {w}
    for n in (3, 2, 1):
        if len(w) > n + 1:
            stem, ending = w[:-n], w[-n:]
            out.update(stem + e for e in ENDINGS.get(ending, ()))
    return out


class Gazetteer:
    """Names by key («северная каролина» → «Северная Каролина»), and the
    keys of the multiword ones by their first word."""

    def __init__(self, names: Sequence[str]):
        self.names: dict[str, list[str]] = {}
        self.by_first: dict[str, list[list[str]]] = {}
        for name in names:
            words = key(name).split(' ')
            self.names[' '.join(words)] = name.split(' ')
            self.by_first.setdefault(words[0], []).append(words)

    def __contains__(self, words: Sequence[str]) -> bool:
        return key(' '.join(words)) in self.names

    def nominative(self, words: Sequence[str]) -> list[str] | None:
        """The gazetteer name, word by word, that the words of a mention are
        an inflected form of, when there is exactly one."""
        if not 0 < len(words) <= MAX_WORDS:
            return None
        options = [nominatives(w) for w in words]
        found = {' '.join(name) for first in options[0] for name in self.by_first.get(first, ())
                 if len(name) == len(words) and all(w in o for w, o in zip(name, options))}
        if len(found) != 1:
            return None
        return self.names[found.pop()]


@functools.cache
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, models/links/places.tsv."""
    path = assets.models_dir() / 'links' / TABLE
    return Gazetteer([line for line in path.read_text(encoding='utf-8').splitlines()
                      if line and not line.startswith('#')])


def write_table() -> Path:
    """Writes models/links/places.tsv from pycountry and names.tsv."""
    path = assets.models_dir() / 'links' / TABLE
    lines = ['# Russian place names, one a line, in the nominative as spelled: the gazetteer of',
             '# extractor/places.py, made by scripts/build_tables.py from pycountry %s' % version('pycountry'),
             '# (LGPL-2.1; its data from Debian iso-codes, its Russian translations of ISO 3166-1',
             '# and ISO 3166-2) and models/links/names.tsv (this project, MIT).']
    path.write_text('\n'.join(lines + build()) + '\n', encoding='utf-8')
    return path


def build() -> list[str]:
    """The names, one spelling per key (the first in sorted order), sorted."""
    names = {name for name, _, _ in links.country_names()}
    names.update(name for name, _ in links.subdivision_names())
    names.update(name.strip() for name, _ in links.own_names_as_written())
    by_key: dict[str, str] = {}
    for name in sorted(n.strip() for n in names):
        # one line a name: a comma or parenthesis marks a list or a gloss, not a name
        if name and not any(c in name for c in ',()[];/'):
            by_key.setdefault(key(name), ' '.join(name.split()))
    return sorted(by_key.values())
