"""Words that refer to a place or a party without naming it: a relational
adjective («иранские» → Иран), a demonym («американцев» → США), a
party-member noun («демократов» → Демократическая партия).

The table (models/links/references.tsv) is built from data by
scripts/build_tables.py (`write_table`), not written by hand: every place
name pymorphy3's dictionary knows (Geox nouns) is put through the
derivation rules of Russian (иран-ск-ий, америк-анск-ий, росси-йск-ий,
иран-ец, росси-янин, ...) and a derived word is kept when the dictionary
knows it as an adjective or as a noun for a person. A word that two places
could give is kept only when one of them is a country or a region of
ISO 3166 (links.py), and it then names that country by the name the
project links («британский» → Великобритания, «американский» → США). The
party-member nouns are the one short list written by hand (MEMBERS).

At run time a word is looked up by its form (reference-forms.tsv holds
every form of the table's words, so nothing is analysed); both tables load
once per process."""
from __future__ import annotations

import functools
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

from . import assets, geonames, links
from .corpora import read_ann
from .document import EntityType, MentionKind

TABLE = 'references.tsv'


class Reference(NamedTuple):
    word: str            # the referring word's dictionary form (lower case, ё as е)
    kind: MentionKind    # 'adjective', 'demonym', 'member' or 'body' (mention.kind)
    type: EntityType     # of the entity it refers to
    name: str            # the entity's name, nominative; of a body, its place's («Великобритания»)


@functools.cache
def table() -> dict[str, Reference]:
    """Dictionary form (lower case, ё as е) → Reference."""
    path = assets.models_dir() / 'links' / TABLE
    out = {}
    for line in path.read_text(encoding='utf-8').splitlines():
        if line and not line.startswith('#'):
            word, kind, type, name = line.split('\t')
            out[word] = Reference(word, kind, type, name)      # type: ignore[arg-type]  # as written by build()
    return out


FORMS = 'reference-forms.tsv'


@functools.cache
def forms() -> dict[str, str]:
    """Every form of the table's words (lower case, ё as е) → its dictionary
    form, so that a word is looked up without being analysed (analysing
    every word that might be one cost a fifth of the pipeline's time)."""
    path = assets.models_dir() / 'links' / FORMS
    return dict(line.split('\t') for line in path.read_text(encoding='utf-8').splitlines()
                if line and not line.startswith('#'))


BODIES = 'bodies.tsv'


@functools.cache
def bodies() -> dict[str, str]:
    """Every form of the nouns that make one organization with a place's
    adjective before them («британского правительства», «российских
    властей»; learned by scripts/learn_bodies.py) → the noun's dictionary form."""
    path = assets.models_dir() / 'links' / BODIES
    out: dict[str, str] = {}
    for line in path.read_text(encoding='utf-8').splitlines():
        if line and not line.startswith('#'):
            lemma, _, _, words = line.split('\t')
            out.update((word, lemma) for word in words.split(' '))
    return out


def lookup(word: str) -> Reference | None:
    """The Reference a word (any form of it) is, or None."""
    lemma = forms().get(word.lower().replace('ё', 'е'))
    return None if lemma is None else table()[lemma]


# --- building the table (scripts/build_tables.py) -------------------------

# What a place name loses at its end, and what the derived word adds
# (Иран → иран|ский, Америка → америк|анский, Россия → росс|ийский, Литва →
# лит|овский, Польша → поль|ский is not among them: irregular words are left out).
STRIP = ('ия', 'ья', 'ея', 'ва', 'а', 'я', 'ь', 'й', 'ы', 'и', 'о', 'е', '')
ADJECTIVE_ENDINGS = ('ский', 'ийский', 'ейский', 'анский', 'янский', 'инский', 'ьский', 'овский', 'енский')
DEMONYM_ENDINGS = ('ец', 'анец', 'янец', 'инец', 'ейец', 'иец', 'анин', 'янин', 'иянин', 'ич')
# A city in -ск gives its adjective with -ий alone (Новосибирск → новосибирский,
# Курск → курский, not the river Кура's), if it has BIG_CITY people or more: a
# small town's is mostly a word of its own (Ленинск: ленинский, Советск: советский).
BIG_CITY = 100_000
# ... and wins over another place of the word if it has BIGGER_CITY (Курск, Томск,
# Иркутск over the rivers Кура, Томь, Иркут; not Уральск, 330 k, over Урал)
BIGGER_CITY = 400_000
PERSONAL_NAMES = frozenset({'Name', 'Patr', 'Surn'})
# Derived words whose usual sense is not the place: «русский» (the language,
# the people; Русь), «олимпийский» (the Games; Олимпия), «горский»
# (highland; Горки), and words for a people that the dictionary derives from
# a town of the same root.
NOT_PLACES = frozenset({'русский', 'русич', 'олимпийский', 'горский', 'славянский', 'римский',
                        'троянский', 'спартанский', 'спартанец', 'вавилонский', 'византийский',
                        'мирский', 'советский', 'полянский', 'полянин', 'горянин', 'горец',
                        'морянин', 'северянин', 'южанин', 'океанский', 'лесной', 'сельский',
                        'дачный', 'островной', 'столичный', 'ливанец',
                        # a month; a district or a surname more often than the city
                        'ноябрьский', 'дзержинский', 'свердловский', 'петропавловский', 'северский'})
# Party members in the news: member noun → party (hand-written; the issue
# asks for these few, and no data here maps them).
MEMBERS = {
    'демократ': 'Демократическая партия',
    'республиканец': 'Республиканская партия',
    'консерватор': 'Консервативная партия',
    'тори': 'Консервативная партия',
    'лейборист': 'Лейбористская партия',
}


def derived(place: str, endings: tuple[str, ...]) -> set[str]:
    out: set[str] = set()
    for cut in STRIP:
        if cut and not place.endswith(cut):
            continue
        stem = place[:len(place) - len(cut)]
        if len(stem) >= 3:
            out.update(stem + ending for ending in endings)
    return out


def proper_case(name: str) -> str:
    """A dictionary lemma as a place is written: «абу-даби» → «Абу-Даби»,
    «рио-де-жанейро» → «Рио-де-Жанейро»."""
    parts = name.split('-')
    return '-'.join(p if i and p in ('де', 'ла', 'на', 'он', 'дю', 'ле', 'эль', 'ан') else p[:1].upper() + p[1:]
                    for i, p in enumerate(parts))


def build(analyzer=None) -> dict[str, Reference]:
    """Derived word → Reference, from pymorphy3's dictionary and the ISO 3166
    table (about a minute: it reads the whole dictionary)."""
    import pymorphy3

    analyzer = analyzer or pymorphy3.MorphAnalyzer()
    places, adjectives, people = set(), set(), set()
    for word, tag, _, _, index in analyzer.dictionary.iter_known_words():
        if index:
            continue                       # the dictionary form only
        if tag.POS == 'NOUN' and 'Geox' in tag.grammemes:
            if len(word) >= 4:             # «Цар», «Инд», «Ван» give common words
                places.add(word)
        elif tag.grammemes & PERSONAL_NAMES:
            continue                       # «Артемович» is a patronymic, not a man of Артемово
        elif tag.POS == 'ADJF' and 'Qual' not in tag.grammemes:
            adjectives.add(word)
        elif tag.POS == 'NOUN' and 'anim' in tag.grammemes and 'masc' in tag.grammemes:
            people.add(word)
    codes = links.table()
    names = display_names()
    sources: dict[tuple[str, MentionKind], set[str]] = defaultdict(set)
    cities: dict[str, str] = {}            # adjective → the city in -ск it was made from
    for place in places:
        for word in derived(place, ADJECTIVE_ENDINGS) & adjectives:
            sources[word, 'adjective'].add(place)
        if place.endswith('ск') and big_city(place) and place + 'ий' in adjectives:
            sources[place + 'ий', 'adjective'].add(place)
            cities[place + 'ий'] = place
        for word in derived(place, DEMONYM_ENDINGS) & people:
            sources[word, 'demonym'].add(place)
    out: dict[str, Reference] = {}
    for (word, kind), found in sorted(sources.items()):
        key = word.replace('ё', 'е')
        if key in NOT_PLACES or key in out:
            continue
        linked = {codes[links.key(p)] for p in found if codes.get(links.key(p), '-') != '-'}
        if len(linked) == 1:
            code = linked.pop()
            name = names.get(code) or proper_case(next(p for p in sorted(found) if codes.get(links.key(p)) == code))
        elif not linked and len(found) == 1:
            name = proper_case(found.pop())
        elif not linked and (city := cities.get(word)) and big_city(city, BIGGER_CITY):
            name = proper_case(city)       # «томский»: Томск, not the river Томь
        elif not linked and len(others := found - {cities.get(word)}) == 1:
            name = proper_case(others.pop())   # «уральский»: Урал, as before the cities in -ск
        else:
            continue                       # two places could be meant
        out[key] = Reference(key, kind, 'LOC', name.replace('ё', 'е'))
    learned = assets.models_dir() / 'links' / LEARNED
    for line in learned.read_text(encoding='utf-8').splitlines() if learned.exists() else ():
        if line and not line.startswith('#'):
            word, name = line.split('\t')
            if word not in NOT_PLACES:       # over a derived word: the data names the place («белорусский» → Белоруссия, not Белорусь)
                out[word] = Reference(word, 'adjective' if word.endswith('ий') else 'demonym', 'LOC', name)
    for word, party in MEMBERS.items():
        out[word] = Reference(word, 'member', 'ORG', party)
    return out


def big_city(place: str, people: int = BIG_CITY) -> bool:
    """Whether GeoNames' most populous city of the name has `people` or more."""
    found = geonames.cities(links.key(place))
    return bool(found) and found[0].bears_name and found[0].population >= people


def display_names() -> dict[str, str]:
    """ISO 3166 code → the name an entity of that place gets when the text
    only refers to it: the first name models/links/names.tsv gives it,
    else pycountry's Russian common name or name."""
    names: dict[str, list[str]] = defaultdict(list)
    for name, code in links.own_names_as_written():
        names[code].append(name)
    pycountry_names: dict[str, dict[str, str]] = defaultdict(dict)
    for name, code, attribute in links.country_names():
        pycountry_names[code][attribute] = name
    for code, by_attribute in pycountry_names.items():
        common = by_attribute.get('common_name') or by_attribute.get('name')
        if common and ',' not in common and '(' not in common:
            names[code].append(common)
    # the fewest words, then the first: «Башкортостан», not «Республика Башкортостан»
    return {code: min(found, key=lambda name: name.count(' ')) for code, found in names.items() if code != '-'}


LEARNED = 'references-nerel.tsv'
NEREL_PLACES = ('COUNTRY', 'CITY', 'STATE_OR_PROVINCE')


def learn_from_nerel(directory: str | Path, analyzer=None) -> Path:
    """Writes models/links/references-nerel.tsv: the words derivation misses
    («немецкий» → Германия, «французский» → Франция), learned from a NEREL
    training directory (brat). A lower-case place span (COUNTRY, CITY,
    STATE_OR_PROVINCE) linked to a Wikidata item whose capitalized mentions
    are an ISO 3166 place of links.py gives its dictionary form → that
    place; a word two places would get is left out. Only NEREL's *train*
    part, never what is evaluated on."""
    import pymorphy3

    analyzer = analyzer or pymorphy3.MorphAnalyzer()
    words: dict[str, set[str]] = defaultdict(set)      # word → Wikidata items
    places: dict[str, set[str]] = defaultdict(set)     # Wikidata item → ISO codes of its names
    for ann in sorted(Path(directory).glob('*.ann')):
        annotations = read_ann(ann)
        for target, item in annotations.references:
            span = annotations.spans.get(target)
            if span is None or span.type not in NEREL_PLACES or ' ' in span.text:
                continue
            text = span.text
            if text[:1].islower():
                parse = analyzer.parse(text)[0]
                # adjectives and words for people only («столицы» is CITY too)
                if parse.tag.POS == 'ADJF' and parse.normal_form.endswith('ий') or \
                        parse.tag.POS == 'NOUN' and 'anim' in parse.tag.grammemes:
                    words[parse.normal_form.replace('ё', 'е')].add(item)
            elif code := links.code(analyzer.parse(text)[0].normal_form):
                places[item].add(code)
    names = display_names()
    learned = {}
    for word, items in sorted(words.items()):
        found = {code for item in items for code in places.get(item, ())}
        if len(found) == 1 and (name := names.get(next(iter(found)))):
            learned[word] = name
    path = assets.models_dir() / 'links' / LEARNED
    lines = ['# word (dictionary form)<TAB>the place it refers to, learned from NEREL v1.1 train',
             '# (extractor/referents.py learn_from_nerel: lower-case place spans and their Wikidata links)']
    lines += ['%s\t%s' % item for item in learned.items()]
    path.write_text('\n'.join(lines) + '\n', encoding='utf-8')
    return path


def build_forms(references: dict[str, Reference], analyzer=None) -> dict[str, str]:
    """Form → dictionary form, for every form of every word of the table
    (its paradigms in pymorphy3's dictionary); a form two words share goes
    to the first in alphabetical order."""
    import pymorphy3

    analyzer = analyzer or pymorphy3.MorphAnalyzer()
    out: dict[str, str] = {}
    for word in sorted(references):
        out.setdefault(word, word)           # the word itself, whatever the dictionary says
        for parse in analyzer.parse(word):
            if parse.normal_form.replace('ё', 'е') != word:
                continue
            for form in parse.lexeme:
                out.setdefault(form.word.replace('ё', 'е'), word)
    return out


def write_table() -> list[Path]:
    folder = assets.models_dir() / 'links'
    references = build()
    lines = ['# derived word (dictionary form, ё as е)<TAB>kind<TAB>type<TAB>name of what it refers to;',
             '# made by scripts/build_tables.py (extractor/referents.py) from pymorphy3-dicts-ru',
             '# (OpenCorpora, CC BY-SA 3.0), models/links/iso3166.tsv and the MEMBERS list.']
    lines += ['\t'.join(ref) for _, ref in sorted(references.items())]
    (folder / TABLE).write_text('\n'.join(lines) + '\n', encoding='utf-8')
    lines = ['# form<TAB>dictionary form of the words in references.tsv, by pymorphy3-dicts-ru\'s paradigms',
             '# (scripts/build_tables.py, extractor/referents.py build_forms)']
    lines += ['%s\t%s' % item for item in sorted(build_forms(references).items())]
    (folder / FORMS).write_text('\n'.join(lines) + '\n', encoding='utf-8')
    return [folder / TABLE, folder / FORMS]
