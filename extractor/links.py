"""Links: an entity's normal form and type → its identifiers in public
registries (`entity.links`), only where the name alone is sure of one.

`iso3166`: a country's ISO 3166-1 alpha-2 code («Иран» → IR), a region's
ISO 3166-2 code («Татарстан» → RU-TA, «Джорджия» → US-GA, «Грузия» → GE).
The names come from pycountry's Russian translations of ISO 3166 and from
the project's own table (models/links/names.tsv: short forms such as
«Россия», «Британия», Russia's regions, and the names never linked). A name
two places share (a region in two countries, «Вашингтон» the city and the
state) is left unlinked, but for the regions of different countries that
share a name («Пенджаб»: India's and Pakistan's), which the document's
other places may decide (`code_among`, geonames.link). Only LOC entities
are linked.

pycountry loads slowly (a quarter of a second), so the table is built from
it and names.tsv by scripts/build_tables.py (`write_table`) into
models/links/iso3166.tsv, which ships; it is read once per process, on the
first lookup, and each lookup is a dict lookup."""
from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from collections.abc import Collection, Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

from . import assets
from .document import EntityType

# ISO 3166-2 subdivisions whose Russian names are taken as they are: kinds
# of region not named after a city. The rest (provinces, departments,
# districts, cantons, a Spanish or Italian province called after its city)
# share their names with cities, and are linked only through names.tsv or
# when their name says it is a region (REGION_WORDS).
SUBDIVISION_KINDS = {
    ('US', 'State'), ('US', 'District'), ('DE', 'Land'), ('ES', 'Autonomous community'),
    ('IT', 'Region'), ('CN', 'Province'), ('CN', 'Autonomous region'), ('GB', 'Country'),
    ('GB', 'Province'), ('CA', 'Province'), ('CA', 'Territory'), ('AU', 'State'),
    ('UA', 'Republic'), ('UA', 'City'), ('FR', 'Metropolitan region'),
}
REGION_WORDS = re.compile(r'\b(область|край|республика|автономный|автономная|округ|штат|провинция|'
                          r'губерния|воеводство|графство|федеральная земля)\b', re.IGNORECASE)
SPACES = re.compile(r'[\s\u2010-\u2015-]+')


ALTERNATIVE = re.compile(r' ?\([^()]*\)')


def key(name: str) -> str:
    """A name as looked up: lower case, ё as е, no stress marks, dashes and
    spaces as one space, «обл» written out."""
    name = unicodedata.normalize('NFD', name.lower())
    name = ''.join(c for c in name if c != '\u0301')
    name = unicodedata.normalize('NFC', name).replace('ё', 'е').replace('’', "'")
    name = SPACES.sub(' ', name).strip(' .')
    return re.sub(r'\bобл$', 'область', name)


def link(normal: str, type: EntityType) -> dict[str, str] | None:
    """The links of an entity of this normal form and type (None: none)."""
    if type != 'LOC':
        return None
    found = code(normal)
    return {'iso3166': found} if found else None


def code(name: str) -> str | None:
    """The ISO 3166 code of a place's name, where the name alone is sure of
    one; a name with an alternative inside is read without it
    («Кировоградская (Кропивницкая) область»)."""
    found = table().get(key(name))
    if found is None and '(' in name:
        found = table().get(key(ALTERNATIVE.sub('', name)))
    return found


TABLE = 'iso3166.tsv'


@functools.cache
def rows() -> dict[str, str]:
    """Name key → its code, or the codes of the regions that share it
    one space apart, as shipped in models/links/iso3166.tsv."""
    path = assets.models_dir() / 'links' / TABLE
    return dict(line.split('\t') for line in path.read_text(encoding='utf-8').splitlines()
                if line and not line.startswith('#'))


@functools.cache
def table() -> dict[str, str]:
    """Name key → ISO 3166 code, for the names sure of one."""
    return {name: code for name, code in rows().items() if ' ' not in code}


@functools.cache
def shared() -> dict[str, tuple[str, ...]]:
    """Name key → the ISO 3166-2 codes of the regions of different
    countries that share it («Пенджаб»: IN-PB, PK-PB)."""
    return {name: tuple(codes.split(' ')) for name, codes in rows().items() if ' ' in codes}


def code_among(name: str, countries: Collection[str]) -> str | None:
    """The code of a region's name that regions of several countries share,
    where exactly one of them is in `countries` (ISO 3166-1 codes: those
    of the document's other places)."""
    found = [code for code in shared().get(key(name), ()) if code.split('-')[0] in countries]
    return found[0] if len(found) == 1 else None


@functools.cache
def state_forms() -> dict[str, frozenset[str]]:
    """The start of a country's official name → the countries whose names
    start so («исламская республика» → IR, PK, AF, MR; «королевство» → ...):
    a text about one of them calls it so («вооруженные силы Исламской
    Республики»). Forms that are themselves a name in the table are left out."""
    codes = table()
    found: dict[str, set[str]] = {}
    for name, country in codes.items():
        if len(country) != 2:
            continue                        # countries only
        words = name.split(' ')
        for n in range(1, len(words)):
            form = ' '.join(words[:n])
            if form not in codes:
                found.setdefault(form, set()).add(country)
    return {form: frozenset(found_codes) for form, found_codes in found.items()}


def write_table() -> Path:
    """Writes models/links/iso3166.tsv from pycountry and names.tsv."""
    path = assets.models_dir() / 'links' / TABLE
    lines = ['# name key<TAB>ISO 3166 code, made by scripts/build_tables.py (extractor/links.py) from',
             '# pycountry %s (LGPL-2.1; its data from Debian iso-codes, its Russian translations)' % version('pycountry'),
             '# and models/links/names.tsv (this project, MIT).']
    lines += ['%s\t%s' % item for item in sorted(build().items())]
    lines += ['# names that regions of several countries share: read with the document\'s other places']
    lines += ['%s\t%s' % (name, ' '.join(codes)) for name, codes in sorted(build_shared().items())]
    path.write_text('\n'.join(lines) + '\n', encoding='utf-8')
    return path


def build() -> dict[str, str]:
    """Name key → ISO 3166 code, names two codes share left out."""
    countries: dict[str, set[str]] = {}
    regions: dict[str, set[str]] = {}
    for russian, code, _ in country_names():
        countries.setdefault(key(russian), set()).add(code)
    for russian, region in subdivision_names():
        if (region.country_code, region.type) in SUBDIVISION_KINDS or REGION_WORDS.search(russian):
            regions.setdefault(key(russian), set()).add(region.code)
    # a country's name wins over a region's («Люксембург»); names shared stay out
    found = {name: codes for name, codes in regions.items() if name not in countries}
    found.update(countries)
    result = {name: next(iter(codes)) for name, codes in found.items() if len(codes) == 1}
    for name, code in own_names():          # the project's names override, "-" removes
        if code == '-':
            result.pop(name, None)
        else:
            result[name] = code
    return result


def build_shared() -> dict[str, list[str]]:
    """Name key → the codes of the regions of two countries or more that
    share it, for the names build() leaves out (and names.tsv does not
    give a code). Every kind of region: a city of the name is linked
    first (geonames.link)."""
    sure = build()
    countries = {key(russian) for russian, _, _ in country_names()}
    given = {name for name, code in own_names() if code != '-'}
    regions: dict[str, set[str]] = {}
    for russian, region in subdivision_names():
        regions.setdefault(key(russian), set()).add(region.code)
    return {name: sorted(codes) for name, codes in regions.items()
            if name not in sure and name not in countries and name not in given
            and len({code.split('-')[0] for code in codes}) > 1}


def country_names() -> Iterator[tuple[str, str, str]]:
    """pycountry's Russian names of the countries: (name, alpha-2 code,
    which of its names: 'name', 'common_name' or 'official_name'); names
    pycountry does not translate are left out. (pycountry: the test extra;
    only scripts/build_tables.py needs it.)"""
    import pycountry

    russian = gettext.translation('iso3166-1', pycountry.LOCALES_DIR, languages=['ru'])
    for country in pycountry.countries:
        for attribute in ('name', 'common_name', 'official_name'):
            english = getattr(country, attribute, None)
            if english and (name := russian.gettext(english)) != english:
                yield name, country.alpha_2, attribute


def subdivision_names() -> Iterator[tuple[str, Any]]:
    """pycountry's Russian names of ISO 3166-2 subdivisions: (name, the
    pycountry subdivision), the untranslated left out."""
    import pycountry

    russian = gettext.translation('iso3166-2', pycountry.LOCALES_DIR, languages=['ru'])
    for region in pycountry.subdivisions:
        if (name := russian.gettext(region.name)) != region.name:
            yield name, region


def own_names() -> list[tuple[str, str]]:
    """(name key, code) of models/links/names.tsv, in file order."""
    return [(key(name), code) for name, code in own_names_as_written()]


def own_names_as_written() -> list[tuple[str, str]]:
    """(name, code) of models/links/names.tsv, in file order, names as spelled there."""
    path = assets.models_dir() / 'links' / 'names.tsv'
    pairs = []
    for line in path.read_text(encoding='utf-8').splitlines():
        if line.strip() and not line.startswith('#'):
            name, code = line.split('\t')
            pairs.append((name, code.strip()))
    return pairs
