"""A mention's nominative normal form, with pymorphy3, agreement and name rules.

Places and organizations: the head noun of a name goes to the nominative
and the words before it that agree with it follow its gender and number
(«Великом Новгороде» → «Великий Новгород», «Багамских островов» →
«Багамские острова»); a genitive tail stays as written («Министерства
обороны Франции» → «Министерство обороны Франции»). A quoted name after
a generic word is an apposition and stays («ПАО «Лукойл»»); a name that is
only quoted is normalized inside its quotes («"Газпрома"» → «"Газпром"»).

Persons: every word of a name stands in one case and the name has one
gender, so the reading of each word is chosen jointly for the whole name
(«Екатерине Сергеевне Ковалёвой» → «Екатерина Сергеевна Ковалёва»); words
pymorphy does not know are read by the declension of names (`names.py`).
Foreign names decline as Russian writes them: Chinese, Korean and
Vietnamese ones in their last word only («Ким Чен Ына» → «Ким Чен Ын»),
«-младший» with the name it follows («Кеннеди-младшего» → «Кеннеди-младший»).

A place the gazetteer knows (`places.py`, from ISO 3166) gets its name
there: a mention written as a name of it stays («Аризона»), an inflected
form of one becomes it («Панджабе» → «Панджаб»). Where neither ISO 3166
nor the morphology gives a known place, GeoNames' Russian city names
(`geonames.py`) do, in the same way («Гаваре» → «Гавар», «Тусоне» →
«Тусон», not pymorphy3's «Тусоня»).

Abbreviations («МИДа» → «МИД»), Latin words, numbers and indeclinable
names stay as they are. Capitalization and ё (or its absence) are kept as
written, but for a person's or a place's words in capitals, which get the
case they usually have («ТЕГЕРАН» → «Тегеран»; «США» stays)."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from itertools import product
from typing import Literal, NamedTuple, Protocol, overload

from . import geonames, names, places
from .document import EntityType

Role = Literal['first', 'middle', 'last']
PERSON_PARTS = frozenset({'Name', 'Surn', 'Patr'})
ROLE: dict[str, Role] = {'Name': 'first', 'Patr': 'middle', 'Surn': 'last'}
AGREEING = frozenset({'ADJF', 'PRTF', 'NUMR'})
BASE_CASE = {'gen2': 'gent', 'acc2': 'accs', 'loc2': 'loct', 'voct': 'nomn',
             'gen1': 'gent', 'loc1': 'loct'}
CASES = ('nomn', 'gent', 'datv', 'accs', 'ablt', 'loct')
# a surname's ending: a consonant and -а («Маска», «Стармера»), and those of
# Slavic women's surnames («Петрова», «Радваньска»), which are nominatives
FOREIGN_A = re.compile(r'[бвгджзклмнпрстфхцчшщ]а$', re.IGNORECASE)
FEMALE_SURNAME = re.compile(r'(ова|ева|ёва|ина|ына|ая|[ьвнрлм]ска|цка)$', re.IGNORECASE)
QUOTES = frozenset('"«»„“”\'')
NAMED = frozenset({'Geox', 'Name', 'Surn', 'Patr'})
ABBR_WITH_ENDING = re.compile(r'^([A-ZА-ЯЁ]{2,})([а-яё]{1,3})$')     # МИДа, ОПЕКом



class NormalForm(Sequence[str]):
    """The normal form of a mention word by word, and each word's role in a
    person's name where it is known. It reads as its sequence of words: the
    grouping compares names word by word (resolve.py)."""
    __slots__ = ('roles', 'words')

    def __init__(self, words: list[str], roles: list[Role | None]):
        self.words = words
        self.roles = roles

    @classmethod
    def as_written(cls, words: Sequence[str]) -> NormalForm:
        """The words unchanged, no roles known."""
        return cls(list(words), [None] * len(words))

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i):
        return self.words[i]

    def __len__(self) -> int:
        return len(self.words)

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.words         # not Sequence's loop over __iter__: asked for every name compared

    def __repr__(self) -> str:
        return 'NormalForm(%r, %r)' % (self.words, self.roles)


class NameReading(NamedTuple):
    """One way to read a word of a person's name."""
    nominative: str
    case: str | None         # None: indeclinable, fits any case
    gender: str | None       # 'masc', 'femn', or None: either
    number: str              # 'sing' or 'plur'
    score: float
    role: Role | None
    sure: bool = False       # the role is the dictionary's (pymorphy's Name / Surn / Patr), not a list's


# «-младший», «-старший» after a name, by ending: the stem of its nominative,
# and the (case, gender) of the name it agrees with.
EPITHET_ENDINGS = {
    'ий': {('nomn', 'masc')}, 'его': {('gent', 'masc'), ('accs', 'masc')}, 'ему': {('datv', 'masc')},
    'им': {('ablt', 'masc')}, 'ем': {('loct', 'masc')}, 'ая': {('nomn', 'femn')},
    'ей': {('gent', 'femn'), ('datv', 'femn'), ('ablt', 'femn'), ('loct', 'femn')},
    'ую': {('accs', 'femn')}, 'ею': {('ablt', 'femn')},
}
EPITHETS = {stem + ending: (stem, cases) for stem in ('младш', 'старш')
            for ending, cases in EPITHET_ENDINGS.items()}

# Chinese (Palladius), Korean and Vietnamese names, as Russian spells them,
# are a surname and a given name of a syllable or two: «Си Цзиньпин», «Ким
# Чен Ын», «Ли Кэцян». Only the last word declines, as a masculine consonant
# stem («Си Цзиньпина», «Ким Чен Ыну»); the rest never does.
EAST_ASIAN_SURNAMES = frozenset([
    'Ван', 'Ли', 'Чжан', 'Лю', 'Чэнь', 'Чэн', 'Ян', 'Хуан', 'Чжао', 'Чжоу', 'Сюй', 'Сунь', 'Ма',
    'Чжу', 'Ху', 'Го', 'Хэ', 'Гао', 'Линь', 'Ло', 'Чжэн', 'Лян', 'Се', 'Сун', 'Тан', 'Хань',
    'Фэн', 'Дэн', 'Цао', 'Пэн', 'Цзэн', 'Сяо', 'Тянь', 'Дун', 'Пань', 'Юань', 'Цай', 'Цзян',
    'Юй', 'Ду', 'Вэй', 'Су', 'Люй', 'Дин', 'Жэнь', 'Яо', 'Шэнь', 'Чжун', 'Цуй', 'Тань', 'Фань',
    'Ляо', 'Ши', 'Цзинь', 'Цзя', 'Ся', 'Фу', 'Фан', 'Цзоу', 'Сюн', 'Бай', 'Мэн', 'Цинь', 'Цю',
    'Хоу', 'Инь', 'Сюэ', 'Янь', 'Дуань', 'Лэй', 'Лун', 'Шао', 'Вань', 'Цянь', 'Хао', 'Кун',
    'Си', 'Вэнь', 'Гу', 'Мао', 'Цзи', 'Лай', 'Кан', 'Ким', 'Пак', 'Чон', 'Чхве', 'Чо', 'Юн',
    'Чан', 'Лим', 'Хан', 'Со', 'Син', 'Квон', 'Хван', 'Ан', 'Сон', 'Рю', 'Хон', 'Мун', 'Ко',
    'Нам', 'Пэ', 'Пэк', 'Хо', 'Но', 'Ро', 'Ха', 'Мин', 'Ом', 'Нгуен', 'Фам', 'Хоанг', 'Ву',
    'Во', 'Данг', 'Буй', 'До', 'Нго', 'Зыонг', 'Ле',
])
SYLLABLES = re.compile(
    r'(?:(?:цз|чж|чх|кх|тх|пх|ч|ц|ш|ж|с|з|б|п|м|ф|д|т|н|л|г|к|х|р|й|в)?'
    r'(?:юань|уань|уай|уэй|ань|энь|ынь|инь|янь|юнь|ай|ан|ао|эй|эн|ын|ыль|эр|ин|ян|яо|юй|юн|уа|уй|уо|ун|'
    r'ыонг|онг|анг|унг|ынг|инг|енг|ьен|оу|ок|оль|ол|ом|он|ёль|ён|ёк|ык|ук|ум|иль|им|ик|ир|ек|ен|ель|ам|ак|аль|а|э|и|я|е|ю|у|о|ы|ё))+')
EAST_ASIAN_ENDINGS = (('ом', ''), ('ем', 'ь'), ('а', ''), ('у', ''), ('е', ''), ('я', 'ь'), ('ю', 'ь'))
# Japanese names in Russian spelling (Polivanov's: «Фумио Кисида», «Синдзо
# Абэ», «Ёсихидэ Суга») are open syllables and «н»; a surname in -а declines
# as a noun in -а («Кисиды», «Кисиде»), never as a consonant stem («Кисид»)
JAPANESE = re.compile(r'(?:(?:дз|[кгсдтнхмрбпвфцшчй])?[аиуэоёюяеы]й?|н)+')     # (е, ы: declined)
# what only Japanese names have of these syllables (many African, Pakistani and
# Latin names are open syllables too: «Модибо Сидибе», «Сакибу Нисару»)
JAPANESE_MARK = re.compile(r'дз|[кгсдтнхмрбп]э|цу|фу|[ст]ё')
JAPANESE_ENDINGS = (('ой', 'а'), ('ою', 'а'), ('ы', 'а'), ('е', 'а'), ('у', 'а'))     # (-и: «Мотэги» is one)


@functools.cache
def city_gazetteer() -> places.Gazetteer:
    """GeoNames' Russian city names (their keys: lower case, restore_case
    gives them the mention's capitals), for the places ISO 3166 has not."""
    return places.Gazetteer(list(geonames.table()))


def hyphens_as_spaces(words: Sequence[str]) -> list[str]:
    return ' '.join(words).replace('-', ' ').split()


def best_by_form(options: Sequence[NameReading]) -> dict[tuple[str, str, str], NameReading]:
    """(case, number, gender) → the reading of highest score that fits it (the
    first of equals): a reading without a case fits every case, one without a
    gender both genders."""
    out: dict[tuple[str, str, str], NameReading] = {}
    for option in options:
        for case in CASES if option.case is None else (option.case,):
            for gender in ('masc', 'femn') if option.gender is None else (option.gender,):
                form = (case, option.number, gender)
                if form not in out or option.score > out[form].score:
                    out[form] = option
    return out


def restore_case(original: str, word: str) -> str:
    """Give `word` the capitalization (and missing ё) of `original`."""
    if 'ё' not in original.lower():
        word = word.replace('ё', 'е').replace('Ё', 'Е')
    if original.isupper() and len(original) > 1:
        return word.upper()
    parts, orig_parts = word.split('-'), original.split('-')
    out = []
    for i, part in enumerate(parts):
        model = orig_parts[i] if i < len(orig_parts) else orig_parts[-1]
        part = part[:1].upper() + part[1:] if model[:1].isupper() else part
        out.append(part)
    return '-'.join(out)


def is_cyrillic_word(word: str) -> bool:
    return any('а' <= c <= 'я' or c in 'ёЁ' or 'А' <= c <= 'Я' for c in word)


def frozen(word: str) -> bool:
    """Words that never change: abbreviations, Latin, numbers, punctuation."""
    if not is_cyrillic_word(word) or ABBR_WITH_ENDING.match(word):
        return True
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


# Particles that open foreign surnames («Микеле де Паскале», «Ван дер Берг»,
# «Урсула фон дер Ляйен»), lower case; resolve.py matches names by them too
PARTICLES = frozenset({'де', 'ди', 'да', 'дель', 'делла', 'дела', 'дос', 'дас', 'ду', 'дю', 'ле', 'ла', 'ван',
                       'фон', 'дер', 'ден', 'ибн', 'бен', 'бин', 'аль', 'эль', 'ter', 'van', 'von', 'der',
                       'den', 'de', 'di', 'da', 'dos', 'du', 'le', 'la', 'del', 'della', 'ibn', 'bin', 'al', 'el'})


def after_particle(words: Sequence[str], i: int) -> bool:
    """A foreign surname after its particle that ends in a vowel does not
    decline in Russian: «де Паскале» stays (not «Паскаль», whose locative it
    looks like)."""
    return i > 0 and words[i - 1] in PARTICLES and words[i][-1:].lower() in 'еиоуэю'


def shouted(word: str) -> bool:
    """An all-capitals Cyrillic word of two letters or more («ТЕГЕРАН», «МИД»)."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters) and is_cyrillic_word(word)


def is_initial(word: str) -> bool:
    letters = word.rstrip('.')
    return len(letters) == 1 and letters.isupper()


def case_of(parse) -> str | None:
    case = parse.tag.case
    return BASE_CASE.get(case, case)


def inflect(parse, grammemes: set[str]) -> str | None:
    try:
        form = parse.inflect(grammemes)
    except (ValueError, KeyError):
        return None
    return form.word if form else None


class Parser(Protocol):
    """What the normalizer asks of the morphology: pymorphy3's readings."""

    def parse(self, word: str) -> list: ...


class Normalizer:
    def __init__(self, morph: Parser, cache_size: int = 50_000):
        self.morph = morph
        self.readings_cache: dict[str, list[NameReading]] = {}
        self.parses_cache: dict[str, list] = {}
        self.genitives: dict[str, str] = {}        # place name → its genitive (genitive())
        # A mention's normal form depends on its words and type only, and news
        # repeats its names from article to article: each is worked out once.
        self.forms: dict[tuple[EntityType, tuple[str, ...]], NormalForm] = {}
        self.cache_size = cache_size

    def __reduce__(self):
        # rebuilt from its morphology; the caches start empty
        return type(self), (self.morph, self.cache_size)

    def __call__(self, words: Sequence[str], type: EntityType) -> NormalForm:
        """Nominative form of each word of a mention (a new object each call:
        the caller may change it)."""
        key = (type, tuple(words))
        form = self.forms.get(key)
        if form is None:
            if len(self.forms) >= self.cache_size:
                self.forms.clear()             # bounded memory on endless streams
            form = self.forms[key] = self.normal_form(words, type)
        return NormalForm(list(form.words), list(form.roles))

    def normal_form(self, words: Sequence[str], type: EntityType) -> NormalForm:
        inner = self.inner_alternative(words, type)
        if inner is not None:
            return inner
        end = next((i for i, w in enumerate(words) if w == '('), len(words))   # a gloss stays
        words = self.recased(words, end, type)
        out = NormalForm.as_written(words)
        if type == 'PER':
            self.person(words, out, end)
        else:
            self.name(words, out.words, end, type == 'LOC')
            if type == 'LOC':
                self.place(words, out.words, end)
        return out

    def inner_alternative(self, words: Sequence[str], type: EntityType) -> NormalForm | None:
        """A name with an alternative in parentheses inside it, each read with
        the words after them: «Кировоградской (Кропивницкой) области» →
        «Кировоградская (Кропивницкая) область»."""
        if '(' not in words:
            return None
        opening = words.index('(')
        closing = next((i for i in range(opening + 1, len(words)) if words[i] == ')'), None)
        if not opening or closing is None or closing == opening + 1 or closing + 1 == len(words) \
                or '(' in words[closing:]:
            return None
        before, inside, after = words[:opening], words[opening + 1:closing], words[closing + 1:]
        main = self.normal_form([*before, *after], type)
        other = self.normal_form([*inside, *after], type)
        return NormalForm([*main.words[:opening], '(', *other.words[:len(inside)], ')', *main.words[opening:]],
                          [*main.roles[:opening], None, *other.roles[:len(inside)], None, *main.roles[opening:]])

    # --- all capitals ----------------------------------------------------

    def recased(self, words: Sequence[str], end: int, type: EntityType) -> Sequence[str]:
        """The words of a mention with its all-capitals words in the case they
        usually have («ТЕГЕРАН» → «Тегеран», «ДОНАЛЬД ТРАМП» → «Дональд
        Трамп», «ЧЕРНОЕ МОРЕ» → «Черное море»); abbreviations stay («США», «ДНР»), and so do the
        capitals of an organization's name («НАТО», «ХАМАС»)."""
        if type == 'ORG' or not any(shouted(w) for w in words[:end]):
            return words                       # an organization's capitals are its spelling (ХАМАС, «ФОКУС МЕДИА»)
        out = list(words)
        for i in range(end):
            if shouted(out[i]):
                out[i] = self.recase_word(out[i], i == 0)
        return out

    def recase_word(self, word: str, first: bool) -> str:
        letters = [c for c in word if c.isalpha()]
        if len(letters) <= 3:
            return word                        # ДНР, ФРГ, ЕС: read letter by letter
        parse = self.parse(word)[0]
        grammemes = parse.tag.grammemes
        if parse.is_known:
            if 'Abbr' in grammemes or ('Orgn' in grammemes and not NAMED & grammemes):
                return word                    # НАТО, ЮНЕСКО; ХАМАС, ЛУКОЙЛ are written so too
            proper = bool(NAMED & grammemes)
        else:
            # unknown: a name when it is long and reads as a word (not СУАР)
            vowels = sum(1 for c in letters if c in 'АЕЁИОУЫЭЮЯ')
            if len(letters) < 5 or 3 * vowels < len(letters):
                return word
            proper = True
        parts = word.split('-')
        if proper or first:
            return '-'.join(part[:1] + part[1:].lower() for part in parts)
        return word.lower()

    # --- places: the gazetteer -----------------------------------------

    def place(self, words: Sequence[str], out: list[str], end: int) -> None:
        """A place the gazetteer knows: a mention written as one of its names
        is in the nominative and stays; an inflected form of one of its names
        («Небраске», «Квебеке») is that name, where the morphology's normal
        form is not a name the gazetteer has; failing both, a city's."""
        span = words[:end]
        if not span or not all(w.replace('-', '').replace("'", '').isalpha() for w in span):
            return
        gazetteer = places.gazetteer()
        if span in gazetteer:
            out[:end] = span
            return
        if out[:end] in gazetteer:
            return
        found = gazetteer.nominative(span)
        if found:
            out[:end] = [restore_case(w, name) for w, name in zip(span, found)]
        else:
            self.city(span, out, end)

    def city(self, span: Sequence[str], out: list[str], end: int) -> None:
        """A city GeoNames has in Russian, where the morphology's normal form
        is none: the mention as written when it is one («Тоттенем», not
        «Тоттень»), else the one city name it is an inflected form of
        («Оксон-Хилле»: the table's keys write hyphens as spaces)."""
        cities = city_gazetteer()
        if hyphens_as_spaces(out[:end]) in cities:
            return
        parts = hyphens_as_spaces(span)
        if parts in cities:
            out[:end] = span
            return
        found = cities.nominative(parts)
        if not found:
            return
        words, i = [], 0                    # back to the mention's words, each as many parts as it has
        for word in span:
            n = word.count('-') + 1
            words.append('-'.join(found[i:i + n]))
            i += n
        if all(self.may_read_as(w, name) for w, name in zip(span, words)):
            out[:end] = [restore_case(w, name) for w, name in zip(span, words)]

    def may_read_as(self, word: str, name: str) -> bool:
        """Whether a city name may be the nominative of a word: a word
        pymorphy3 does not know may be any («Гаваре»), one it knows only its
        place readings' («Хабаровском»: Хабаровск; «Претории» is not
        «Преториа», a spelling GeoNames also has, but pymorphy3's «преторий»)."""
        parses = self.parse(word)
        if not any(p.is_known for p in parses):
            return True
        return any(p.is_known and 'Geox' in p.tag.grammemes and places.key(p.normal_form) == places.key(name)
                   for p in parses)

    # --- persons ------------------------------------------------------

    def person(self, words: Sequence[str], out: NormalForm, end: int) -> None:
        slots = [i for i in range(end) if not frozen(words[i]) and not is_initial(words[i])
                 and any(c.isalpha() for c in words[i]) and not after_particle(words, i)]
        if not slots:
            return
        if is_east_asian([words[i] for i in slots]):
            east_asian(words, out, slots)
            return
        if self.is_japanese([words[i] for i in slots]):
            japanese(words, out, slots)
            return
        # «Кеннеди-младшего»: the name declines (or not) as it would alone, and
        # «-младший» agrees with it; its ending says the case and gender.
        stems: dict[int, str] = {}
        epithets: dict[int, tuple[str, str]] = {}
        allowed: set[tuple[str, str]] | None = None
        for i in slots:
            stem, _, tail = words[i].rpartition('-')
            form = EPITHETS.get(tail.lower()) if stem else None
            if form:
                stems[i], epithets[i] = stem, (tail, form[0])
                allowed = form[1] if allowed is None else allowed & form[1]
        # The parts of a hyphenated name are read as words of the name
        # («Азию-Биби», «Салтыкова-Щедрина»); a part before the last may also
        # stay as written («Жан-Поля», «Рис-Могга»), and a lower-case one
        # («Саифа-ул-Мулука») always does.
        units: dict[tuple[int, int], list[NameReading]] = {}
        parts: dict[int, list[str]] = {}
        for i in slots:
            name = stems.get(i, words[i])
            parts[i] = name.split('-')
            if len(parts[i]) > 1 and any(r.sure for r in self.name_readings(name)):
                parts[i] = [name]               # «Жан-Поля»: the dictionary reads it whole
            for k, part in enumerate(parts[i]):
                if not part[:1].isupper() and len(parts[i]) > 1:
                    continue
                readings = self.name_readings(part)
                if k < len(parts[i]) - 1:
                    readings = readings + [NameReading(part.lower(), None, None, 'sing', 0.3, None)]
                units[i, k] = readings
        # each unit's best reading for each (case, number, gender) it fits, looked up below
        best_fits = {unit: best_by_form(options) for unit, options in units.items()}
        # a woman's foreign surname does not take -а: «Илона Маска», «Кира Стармера» are
        # a man's name in the genitive (Илон Маск, Кир Стармер), not a woman's in the
        # nominative, nor a man's with names in -а (a first name not in -а keeps
        # «Андрес Иньеста», «Давид Сильва» nominatives)
        first, last = slots[0], slots[-1]
        foreign_a = len(slots) > 1 and len(parts[last]) == 1 and FOREIGN_A.search(words[last]) is not None \
            and not FEMALE_SURNAME.search(words[last]) and not any(r.sure for r in units[last, 0]) \
            and words[first].lower().endswith('а') and may_be_mans(units.get((first, 0), []))
        best, best_score, best_gender = None, None, 'masc'
        for case, number, gender in product(CASES, ('sing', 'plur'), ('masc', 'femn')):
            if allowed is not None and (number == 'plur' or (case, gender) not in allowed):
                continue
            score = 0.15 if gender == 'masc' else 0.0     # news names more men
            if foreign_a and case == 'nomn':
                score -= 2.0
            chosen: dict[tuple[int, int], NameReading] = {}
            for unit, fits in best_fits.items():
                pick = fits.get((case, number, gender))
                if pick is not None:
                    chosen[unit] = pick
                    # a reading that leaves the word as written wins a tie
                    score += pick.score + (0.05 if pick.case == 'nomn' else 0.0)
                else:
                    score -= 1.0
            if best_score is None or score > best_score:
                best, best_score, best_gender = chosen, score, gender
        assert best is not None
        for i in slots:
            read = [(k, best[i, k]) for k in range(len(parts[i])) if (i, k) in best]
            if not read:
                continue
            pieces = list(parts[i])
            for k, reading in read:
                pieces[k] = restore_case(pieces[k], reading.nominative)
            word = '-'.join(pieces)
            if i in epithets:
                tail, stem = epithets[i]
                word += '-' + restore_case(tail, stem + ('ая' if best_gender == 'femn' else 'ий'))
            out.words[i] = word
            # «О'Нил», «Д'Артаньян»: a particle and an apostrophe make a surname
            apostrophe = i >= 2 and words[i - 1] == "'" and len(words[i - 2]) == 1
            # a lower-case particle («де», «ван») is part of a surname, not a name of its own
            out.roles[i] = 'last' if apostrophe else next((r.role for _, r in reversed(read) if r.role), None) \
                if words[i][:1].isupper() else None
        first_name_first(out, best)

    def is_japanese(self, words: Sequence[str]) -> bool:
        """A given name and a surname of Japanese syllables, one of them with
        a syllable only Japanese names have, neither a name the dictionary
        knows («Анна Сугава» is not one)."""
        return len(words) == 2 and all(JAPANESE.fullmatch(w.lower()) for w in words) \
            and any(JAPANESE_MARK.search(w.lower()) for w in words) \
            and not any(r.sure for w in words for r in self.name_readings(w))

    def name_readings(self, word: str) -> list[NameReading]:
        """(nominative, case, gender, number, score, role) readings of a name
        word; cached, since a document names the same people again and again."""
        hit = self.readings_cache.get(word)
        if hit is None:
            if len(self.readings_cache) > 50_000:
                self.readings_cache.clear()
            hit = self.readings_cache[word] = self._name_readings(word)
        return hit

    def genitive(self, name: str) -> str:
        """A place's name in the genitive, for the name of its body («Великобритания»
        → «Великобритании», «Южная Корея» → «Южной Кореи», «США» as it is):
        each word by its first nominative reading; one without stays as written."""
        hit = self.genitives.get(name)
        if hit is None:
            words = []
            for word in name.split(' '):
                reading = next((p for p in self.parse(word) if p.tag.case == 'nomn'), None)
                declined = inflect(reading, {'gent'}) if reading is not None else None
                words.append(restore_case(word, declined) if declined else word)
            hit = self.genitives[name] = ' '.join(words)     # a few hundred places at most
        return hit

    def parse(self, word: str) -> list:
        """pymorphy's readings of a word of a place's or organization's name;
        cached, since names repeat, and a capital letter alone (a mention made
        of initials runs to thousands) has thirty readings, four times the
        cost of a word. About a kilobyte a word: a few megabytes at most."""
        hit = self.parses_cache.get(word)
        if hit is None:
            if len(self.parses_cache) >= 4096:
                self.parses_cache.clear()
            hit = self.parses_cache[word] = self.morph.parse(word)
        return hit

    def _name_readings(self, word: str) -> list[NameReading]:
        out: list[NameReading] = []
        known_name = False
        for p in self.morph.parse(word):
            if not p.is_known or p.tag.POS not in ('NOUN', 'ADJF'):
                continue
            grammemes = p.tag.grammemes
            parts = PERSON_PARTS & grammemes
            known_name |= bool(parts)
            number = 'plur' if p.tag.number == 'plur' else 'sing'
            gender = p.tag.gender if p.tag.gender in ('masc', 'femn') else None
            if 'Fixd' in grammemes:
                out.append(NameReading(word.lower(), None, gender, 'sing', 0.6 + 0.5 * p.score,
                                       ROLE[min(parts)] if parts else None, bool(parts)))
                continue
            target = {'nomn', number} | ({gender} if gender and number == 'sing' else set())
            nominative = inflect(p, target) or inflect(p, {'nomn', number})
            if not nominative:
                continue
            if parts:
                score, role = 0.6 + 0.5 * p.score, ROLE[min(parts)]
            else:
                score, role = (0.6 if p.tag.POS == 'NOUN' else 0.3) + 0.5 * p.score, None
            if case_of(p) == 'nomn' and number == 'sing' and nominative.replace('ё', 'е') != word.lower().replace('ё', 'е'):
                continue                      # a nominative is as written («Уль» is no «Уля»)
            out.append(NameReading(nominative, case_of(p), gender, number, score, role, bool(parts)))
        for declined in names.readings(word):
            out.append(NameReading(declined.nominative, declined.case, declined.gender, 'sing',
                                   declined.score - (0.2 if known_name else 0.0), None))
        # The name lists say which nominatives people are really called by.
        ranked = []
        for reading in out:
            if names.is_first_name(reading.nominative) and reading.role in (None, 'first'):
                reading = reading._replace(score=reading.score + 1.0, role=reading.role or 'first')
            elif names.is_surname(reading.nominative) and reading.role in (None, 'last'):
                reading = reading._replace(score=reading.score + 0.7, role=reading.role or 'last')
            ranked.append(reading)
        return ranked

    # --- places and organizations --------------------------------------

    def name(self, words: Sequence[str], out: list[str], end: int, place: bool = False) -> None:
        for i in range(end):
            m = ABBR_WITH_ENDING.match(words[i])
            if m:
                out[i] = m.group(1)
        quotes = [i for i in range(end) if words[i] in QUOTES]
        start = 0
        if quotes:
            first = quotes[0]
            if any(is_cyrillic_word(w) for w in words[:first]):
                end = first                    # «компания "Аэрофлот"»: the name stays
            else:
                start = first + 1              # «"Аэрофлота"»: the name inside the quotes
                end = quotes[1] if len(quotes) > 1 else end
        if not place and self.person_named(words[start:end]):
            # a club or a ship named after a person declines as the person does («Салавата Юлаева»)
            form = NormalForm.as_written(words[start:end])
            self.person(words[start:end], form, end - start)
            out[start:end] = form.words
            return
        self.phrase(words, out, start, end, place)

    def person_named(self, words: Sequence[str]) -> bool:
        """Whether a name is a first name and a surname, as the dictionary
        is sure of them («Салават Юлаев»)."""
        if len(words) != 2 or not all(w[:1].isupper() and is_cyrillic_word(w) for w in words):
            return False
        first, last = words
        return any('Name' in p.tag for p in self.parse(first)[:2]) and any('Surn' in p.tag for p in self.parse(last))

    def phrase(self, words: Sequence[str], out: list[str], start: int, end: int, place: bool = False) -> None:
        span = range(start, end)
        parses = {i: None if frozen(words[i]) else self.parse(words[i]) for i in span}
        head = self.find_head(words, parses, start, end)
        if head is None:
            # Only adjectives («британских»): the masculine singular nominative;
            # a place's name keeps a gender its singular forms all have («реке
            # Раздольной»: Раздольная)
            for i in span:
                opts = parses[i]
                adj = [p for p in opts or () if p.tag.POS in AGREEING]
                if adj and opts and opts[0].tag.POS in AGREEING:     # (adj: opts is not empty)
                    genders = {p.tag.gender for p in adj} if all(p.tag.number == 'sing' for p in adj) else set()
                    gender = genders.pop() if place and genders in ({'femn'}, {'neut'}) else 'masc'
                    form = adjective(max(adj, key=plain), 'sing', gender)
                    if form:
                        out[i] = restore_case(words[i], form)
            return
        before = [parses[i] for i in range(start, head)]
        if parses[head] is None:
            if head == start:
                return                         # «МИД Соединенного Королевства»
            # an abbreviation as head («британского МИД»): its gender from pymorphy
            abbr = [p for p in self.parse(out[head]) if p.tag.POS == 'NOUN']
            number, gender = 'sing', (abbr[0].tag.gender if abbr else None) or 'masc'
            head_case = None
        else:
            head_parse = self.head_parse(words[head], parses[head], before, place)
            if head_parse is None or 'Fixd' in head_parse.tag:
                return
            number = 'plur' if head_parse.tag.number == 'plur' else 'sing'
            gender = head_parse.tag.gender or 'masc'
            head_case = case_of(head_parse)
            if head_case != 'nomn':
                form = self.head_nominative(words[head], head_parse, number)
                if form is None:
                    return
                out[head] = restore_case(words[head], form)
        for i in range(start, head):
            opts = parses[i]
            if opts is None:
                continue
            fits = [p for p in opts if p.tag.POS in AGREEING and p.tag.number == number
                    and (head_case is None or case_of(p) == head_case)
                    and (number == 'plur' or p.tag.gender in (gender, None))]
            if fits:
                form = adjective(max(fits, key=plain), number, gender)
                if form:
                    out[i] = restore_case(words[i], form)

    @staticmethod
    def find_head(words, parses, start, end) -> int | None:
        """The first noun of the name; words before it may agree with it."""
        for i in range(start, end):
            options = parses[i]
            if options is None:
                if words[i].isalpha() and is_cyrillic_word(words[i]):
                    return i
                continue
            adjectives = [p for p in options if p.tag.POS in AGREEING]
            if adjectives and (options[0].tag.POS in AGREEING or agrees_with_next(adjectives, parses.get(i + 1))):
                continue                       # «Черному морю»: «Черному» is read as a noun first
            if any(p.tag.POS == 'NOUN' for p in options) or not options[0].is_known:
                return i
        return None

    @staticmethod
    def head_parse(word, options, before, place=False):
        """The noun reading of the head that the words before it agree with."""
        nouns = [p for p in options if p.tag.POS == 'NOUN'] or list(options)
        known = [p for p in nouns if p.is_known]
        if not known:
            # a guess: trust a reading that leaves the word as written
            same = [p for p in nouns if case_of(p) == 'nomn' and p.tag.number != 'plur'
                    and p.normal_form == word.lower()]
            if same:
                return same[0]
            if all(p.tag.number == 'plur' for p in nouns):
                return None                    # a guess of a plural only («Финам»: «Фины»): as written
        nouns = known or nouns

        def agrees(p):
            for opts in before:
                if opts is None:
                    continue
                if not any(agreement(a, p) for a in opts):
                    return False
            return True

        def rank(p):
            # a place's name reads as a place first («Жирону»: Жирона, not Жирон)
            return (agrees(p), place and 'Geox' in p.tag.grammemes,
                    bool({'Geox', 'Orgn', 'Name', 'Surn', 'Pltm'} & p.tag.grammemes),
                    p.score + (0.2 if case_of(p) == 'nomn' else 0.0))
        return max(nouns, key=rank)

    def head_nominative(self, word: str, parse, number: str) -> str | None:
        if '-' in word and not parse.is_known:
            # «Комсомольске-на-Амуре»: only the first part declines
            first, _, rest = word.partition('-')
            if rest.split('-')[0].lower() in ('на', 'над', 'под', 'де', 'ла', 'сюр'):
                options = [p for p in self.parse(first) if p.tag.POS == 'NOUN']
                if options:
                    form = inflect(options[0], {'nomn', 'sing'})
                    if form:
                        return form + '-' + rest.lower()
        return inflect(parse, {'nomn', number})


def agreement(adjective, noun) -> bool:
    """An agreeing word fits a noun in case and number, and in the singular
    in gender («Черном море»: not «мора», a woman's name)."""
    if adjective.tag.POS not in AGREEING or case_of(adjective) != case_of(noun) \
            or adjective.tag.number != noun.tag.number:
        return False
    return noun.tag.number == 'plur' or noun.tag.gender is None or \
        adjective.tag.gender is None or adjective.tag.gender == noun.tag.gender


def agrees_with_next(adjectives, following) -> bool:
    """Some reading of a word agrees with a noun reading of the next word."""
    return bool(following) and any(agreement(a, n) for a in adjectives for n in following
                                   if n.tag.POS == 'NOUN')


def is_east_asian(words: Sequence[str]) -> bool:
    """A surname of the list, then one or two words made of syllables."""
    return 2 <= len(words) <= 3 and words[0] in EAST_ASIAN_SURNAMES and \
        all(SYLLABLES.fullmatch(w.lower()) for w in words[1:])


def east_asian(words: Sequence[str], out: NormalForm, slots: list[int]) -> None:
    """«Ким Чен Ына» → «Ким Чен Ын»; the surname is the first word."""
    last = words[slots[-1]]
    lower = last.lower()
    for ending, replacement in EAST_ASIAN_ENDINGS:
        stem = lower[:-len(ending)] + replacement
        if lower.endswith(ending) and len(stem) > 1 and stem[-1] not in names.VOWELS \
                and SYLLABLES.fullmatch(stem):
            out.words[slots[-1]] = restore_case(last, stem)
            break
    out.roles[slots[0]] = 'last'
    for i in slots[1:]:
        out.roles[i] = 'first'


def may_be_mans(readings: Sequence[NameReading]) -> bool:
    """Whether a first name in -а may be a man's in the genitive: the
    dictionary has it so («Эрика»: Эрик, «Мартина»: Мартин), or it is no
    woman's name («Лиама», «Райана»); not a man's name in the nominative
    («Никита», «Фома»). «Кира» (Кир only in the name lists, as «Анн» is for
    «Анна») stays a woman's name: a miss for «Кира Стармера»."""
    if any(r.sure and r.gender == 'masc' and r.case == 'nomn' for r in readings):
        return False
    if any(r.sure and r.gender == 'masc' and r.case in ('gent', 'accs') and r.role == 'first' for r in readings):
        return True
    return not any(r.role == 'first' and r.gender == 'femn' and r.case == 'nomn' for r in readings)


def japanese(words: Sequence[str], out: NormalForm, slots: list[int]) -> None:
    """«Фумио Кисиды» → «Фумио Кисида»: only the surname, last, declines, as
    a noun in -а; the given name is first."""
    last = words[slots[-1]]
    lower = last.lower()
    for ending, replacement in JAPANESE_ENDINGS:
        stem = lower[:-len(ending)]
        if lower.endswith(ending) and len(stem) > 1 and stem[-1] in 'дгкстрмнпбвхз' \
                and JAPANESE.fullmatch(stem + replacement):
            out.words[slots[-1]] = restore_case(last, stem + replacement)
            break
    out.roles[slots[0]] = 'first'
    out.roles[slots[-1]] = 'last'


def first_name_first(out: NormalForm, chosen: dict[tuple[int, int], NameReading]) -> None:
    """Russian news writes a first name before the surname: in a name of two
    words or more, the first is its first name and the last its surname,
    whatever the name lists say («Хакан Фидан»: «хакан» is on the surname
    list, «фидан» on the first names'), unless the dictionary is sure of a
    role (pymorphy's Name / Surn), which then stays and keeps its place."""
    roles = out.roles
    named = [i for i, w in enumerate(out.words) if roles[i] is not None or
             (any(c.isalpha() for c in w) and not is_initial(w) and not frozen(w) and w[:1].isupper())]
    if len(named) < 2:
        return
    sure = {i for (i, _), reading in chosen.items() if reading.sure}
    known = {roles[i] for i in sure}
    if 'first' not in known and named[0] not in sure:
        roles[named[0]] = 'first'
    if 'last' not in known and named[-1] not in sure:
        roles[named[-1]] = 'last'
    if 'last' not in roles and roles[named[-1]] == 'first':
        roles[named[-1]] = 'last'          # two first names: the second is the surname («Педро Энрике»)


def plain(p):
    """«Великом» is both an adjective and a comparative degree: take the plain one."""
    return ('Qual' not in p.tag, 'Supr' not in p.tag, 'Cmp2' not in p.tag, p.score)


ADJ_ENDINGS = ('ыми', 'ими', 'ого', 'его', 'ому', 'ему', 'ыми', 'ая', 'яя', 'ое', 'ее', 'ые', 'ие',
               'ый', 'ий', 'ой', 'ей', 'ым', 'им', 'ом', 'ем', 'ую', 'юю', 'ых', 'их')


def adjective(parse, number: str, gender: str) -> str | None:
    """The nominative of an agreeing word. Superlatives keep their stem
    («высшим» → «высший», where pymorphy would give «высочайший»)."""
    if {'Supr', 'Cmp2'} & parse.tag.grammemes and parse.tag.POS == 'ADJF':
        word = parse.word
        for e in ADJ_ENDINGS:
            if word.endswith(e) and len(word) > len(e) + 2:
                stem = word[:-len(e)]
                soft = e[0] in 'иеяю' and stem[-1] not in 'гкхжшщчц'
                if number == 'plur':
                    return stem + ('ие' if soft or stem[-1] in 'гкхжшщч' else 'ые')
                if gender == 'femn':
                    return stem + ('яя' if soft else 'ая')
                if gender == 'neut':
                    return stem + ('ее' if soft or stem[-1] in 'жшщч' else 'ое')
                return stem + ('ий' if soft or stem[-1] in 'гкхжшщч' else 'ый')
    grammemes = {'nomn', number} if number == 'plur' else {'nomn', 'sing', gender or 'masc'}
    return inflect(parse, grammemes)
