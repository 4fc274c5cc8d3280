"""Rules over the network's spans, where learning is weak. Each takes the
document's sentences (lists of words) and their spans, and returns new spans
(a `Rule`; those that ask the dictionary take its answer as a function too,
bound by `default_rules`).

- `join_persons`: «Анной Викторовной» + «Сорокиной» side by side are one name.
- `propagate`: a name tagged in one place, with one type, is tagged
  wherever it recurs in the document.
- `surname_forms`: the surname of a person named in full is that person
  where it recurs declined («Илон Маск» … «Маска встретил»).
- `balance_quotes`: a name does not end in the middle of its quotes
  («Киностудии КИТ → «Киностудии КИТ»; «РУ» → РУ), straight ones
  counted by parity (РИА "Новости → РИА "Новости").
- `balance_parentheses`: nor in the middle of its parentheses
  («Кировоградской (Кропивницкой) области» is one name, «Фонда борьбы с
  коррупцией (ФБК» two).
- `not_names`: names that are not people, places or organizations
  (diseases, laws, events, products: «ВИЧ», «Brexit», «Брекзиту»)
  are dropped, as listed in data/not_names.txt.
- `after_kinds`: a quoted name (or one with a digit) right after a common
  noun that says it is no person, organization or place («договор СНВ-3»,
  «вакцина «Спутник V»», «опера «Борис Годунов»») is dropped.
- `sentence_start`: a capitalized first word of a sentence that the
  document also writes in lower case («Лоукостер», «Маэстро») is no name.
- `region_names`: a region's name the gazetteer knows («Пензенской
  области») is a LOC where the network found nothing.
- `coordinated_regions`: regions that share their noun («в Новосибирской
  и Томской областях») are a LOC each, read with the noun in the singular.
- `regional_bodies`: a state body, «по» and a place are one ORG («ГУ МВД
  по Свердловской области»), listed in data/regional_bodies.txt.
- `institutions_not_places`: a «place» that opens with an institution's
  abbreviation («МЧС») is an organization.
- `nested_places`: the place inside an institution's name («МИД Литвы»)
  is also a LOC mention of its own, nested in the ORG; in a proper name
  («Почта России», «Голос Америки») it is part of the name.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Sequence
from functools import cache, partial
from pathlib import Path
from typing import NamedTuple

from ..document import EntityType
from ..places import gazetteer
from ..referents import Reference

Words = Sequence[str]


class TokenSpan(NamedTuple):
    """Tokens [start, end) of one sentence: a name, or a word that refers to
    an entity without naming it (`reference`: «иранские» → Иран); `part`:
    only the characters [a, b) of its one token («российско» and
    «американских» of «российско-американских»)."""
    start: int
    end: int
    type: EntityType
    reference: Reference | None = None
    part: tuple[int, int] | None = None
    # the words a name is read by, where they are not its tokens: a conjunct
    # of coordinated regions («Новосибирской и Томской областях» is read as
    # «Новосибирской области» and «Томской области»)
    read_as: tuple[str, ...] | None = None


Rule = Callable[[Sequence[Words], list[list[TokenSpan]]], list[list[TokenSpan]]]


def default_rules(is_place: Callable[[str], bool], name_part: Callable[[str], str | None],
                  oblique: Callable[[str], bool]) -> list[Rule]:
    """The rules in the order they apply: quotes first (a name's words are
    settled before it is joined, looked up or looked for elsewhere), what is
    no name dropped before it is looked for elsewhere, nested places last
    (inside the organizations found by then)."""
    institutions = WordList('institutions.txt', word_forms)
    return [balance_quotes, balance_parentheses, partial(not_names, forms=WordList('not_names.txt', phrases)),
            partial(after_kinds, kinds=WordList('kinds.txt', word_forms), oblique=oblique), sentence_start,
            partial(join_persons, name_part=name_part), propagate, partial(surname_forms, is_place=is_place),
            region_names, coordinated_regions,
            partial(regional_bodies, bodies=WordList('regional_bodies.txt', word_forms)),
            partial(institutions_not_places, heads=institutions),
            partial(nested_places, is_place=is_place, heads=institutions)]


DATA = Path(__file__).parent / 'data'


class WordList:
    """A list of data/ as `read` reads it, once per process; pickled as the
    two (a Recognizer reaches workers as its rules)."""

    def __init__(self, name: str, read: Callable[[str], frozenset[str]]):
        self.name, self.read = name, read
        self.words = read(name)

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def __reduce__(self):
        return WordList, (self.name, self.read)


@cache
def phrases(name: str) -> frozenset[str]:
    """A list of data/ one phrase a line (not_names.txt: lower-case forms,
    words joined by spaces)."""
    with open(DATA / name, encoding='utf-8') as f:
        return frozenset(line.rstrip('\n') for line in f if line.strip() and not line.startswith('#'))


def not_name_forms() -> frozenset[str]:
    return phrases('not_names.txt')


@cache
def word_forms(name: str) -> frozenset[str]:
    """A word list of data/ (institutions.txt, kinds.txt): every form of
    each noun, lower case."""
    forms: set[str] = set()
    with open(DATA / name, encoding='utf-8') as f:
        for line in f:
            if line.strip() and not line.startswith('#'):
                forms.update(line.partition(':')[2].split())
    return frozenset(forms)


def join_persons(sentences: Sequence[Words], spans: list[list[TokenSpan]],
                 name_part: Callable[[str], str | None]) -> list[list[TokenSpan]]:
    """Two PER spans side by side are one name when the first ends in a first
    name or a patronymic and the second is one word: «Анной Викторовной» +
    «Сорокиной». (Joining every adjacent pair hurt on NEREL, where lists of
    people stand side by side.)"""
    out = []
    for words, sent_spans in zip(sentences, spans):
        joined: list[TokenSpan] = []
        for span in sorted(sent_spans):
            last = joined[-1] if joined else None
            if last and last.type == span.type == 'PER' and last.end == span.start \
                    and span.end - span.start == 1 and name_part(words[last.end - 1]) in ('first', 'middle'):
                joined[-1] = TokenSpan(last.start, span.end, 'PER')
            else:
                joined.append(span)
        out.append(joined)
    return out


OPEN_QUOTES = frozenset('«„“"\'')
CLOSE_QUOTES = frozenset('»“”"\'')
QUOTES = OPEN_QUOTES | CLOSE_QUOTES
STRAIGHT = '"'          # opens and closes: only how many there are tells which


def balance_quotes(sentences: Sequence[Words], spans: list[list[TokenSpan]]) -> list[list[TokenSpan]]:
    """Spans that hold one quote of a pair take the other, or let theirs go:
    «Киностудии КИТ → «Киностудии КИТ», РИА "Новости → РИА "Новости",
    РУ» → РУ."""
    out = []
    for words, sent_spans in zip(sentences, spans):
        fixed = []
        for span in sent_spans:
            start, end = span.start, span.end
            while start < end and words[start] in CLOSE_QUOTES - OPEN_QUOTES:
                start += 1                            # a stray closing quote first
            while start < end and words[end - 1] in OPEN_QUOTES - CLOSE_QUOTES:
                end -= 1                              # a stray opening quote last
            depth = 0
            for w in words[start:end]:
                if w in OPEN_QUOTES - CLOSE_QUOTES:
                    depth += 1
                elif w in CLOSE_QUOTES - OPEN_QUOTES:
                    depth -= 1
            if depth > 0 and end < len(words) and words[end] in CLOSE_QUOTES:
                end += 1                              # take the closing quote too
            elif depth < 0 and words[end - 1] in CLOSE_QUOTES:
                end -= 1                              # no opening quote: drop the closing one
            if words[start:end].count(STRAIGHT) % 2:  # РИА "Новости, "РУ, РУ"
                if end < len(words) and words[end] == STRAIGHT:
                    end += 1
                elif words[start] == STRAIGHT:
                    start += 1
                elif words[end - 1] == STRAIGHT:
                    end -= 1
            if start < end:
                fixed.append(span._replace(start=start, end=end))
        out.append(fixed)
    return out


def balance_parentheses(sentences: Sequence[Words], spans: list[list[TokenSpan]]) -> list[list[TokenSpan]]:
    """A span that holds one parenthesis of a pair: a person's name that
    takes the closing one right after it is one name with its original
    spelling («Вольфганг Бюхеле (Wolfgang Büchele», as BSNLP writes it); one
    that a name of its type ends right before is that name with an
    alternative inside («Кировоградской (Кропивницкой) области», which the
    network tags as «Кировоградской» and «Кропивницкой) области»); any other
    is two names, cut there («Фонда борьбы с коррупцией (ФБК»: the
    abbreviation is a name of its own, as NEREL writes it)."""
    out = []
    for words, sent_spans in zip(sentences, spans):
        if not any(w in ('(', ')') for s in sent_spans for w in words[s.start:s.end]):
            out.append(sent_spans)
            continue
        ends = {s.end: s for s in sent_spans}
        dropped: set[TokenSpan] = set()
        fixed = []
        for span in sent_spans:
            cut = unmatched_parenthesis(words, span)
            if cut is None:
                fixed.append(span)
                continue
            before = ends.get(span.start - 1)
            if words[cut] == ')' and span.start > 0 and words[span.start - 1] == '(' \
                    and before is not None and before.type == span.type and before.reference is None:
                dropped.add(before)
                fixed.append(span._replace(start=before.start))
                continue
            if words[cut] == '(' and span.type == 'PER' and span.end < len(words) and words[span.end] == ')':
                fixed.append(span._replace(end=span.end + 1))       # the original spelling, closed right after
                continue
            # a piece without a capital is no name («(Кропивницкой) области»: not «области»)
            fixed += [part for part in (span._replace(end=cut), span._replace(start=cut + 1))
                      if any(w[:1].isupper() for w in words[part.start:part.end])]
        out.append(sorted((s for s in fixed if s not in dropped), key=lambda s: (s.start, -s.end)))
    return out


def unmatched_parenthesis(words: Words, span: TokenSpan) -> int | None:
    """The first parenthesis in a span that has no pair in it, or None."""
    opened: list[int] = []
    for i in range(span.start, span.end):
        if words[i] == '(':
            opened.append(i)
        elif words[i] == ')':
            if not opened:
                return i
            opened.pop()
    return opened[0] if opened else None


def _named(span: TokenSpan) -> bool:
    """A span of a name, not of another kind of mention (a relational
    adjective «российские», which is lower case anywhere but first)."""
    return span.reference is None


def not_names(sentences: Sequence[Words], spans: list[list[TokenSpan]],
              forms: Container[str]) -> list[list[TokenSpan]]:
    """Drops the spans whose words (lower case, without the quotes around
    them) are in `forms`: «ВИЧ», «Brexit», «"Брекзиту"»."""
    out = []
    for words, sent_spans in zip(sentences, spans):
        kept = []
        for span in sent_spans:
            start, end = span.start, span.end
            while start < end and words[start] in QUOTES:
                start += 1
            while start < end and words[end - 1] in QUOTES:
                end -= 1
            if not _named(span) or ' '.join(words[start:end]).lower() not in forms:
                kept.append(span)
        out.append(kept)
    return out


def after_kinds(sentences: Sequence[Words], spans: list[list[TokenSpan]],
                kinds: Container[str], oblique: Callable[[str], bool]) -> list[list[TokenSpan]]:
    """Drops the spans right after one of `kinds` (lower case) that are
    quoted or hold a digit: «договор СНВ-3», «вакцина «Спутник V»», «опера
    «Борис Годунов»». An unquoted name there is mostly the thing's owner:
    «законы ЕС», «премия СССР»; and an unquoted PER, whom the thing is named
    after or who made it: «орден Ленина», «оперы Мусоргского»; so is a
    quoted one that starts with a word in an oblique case (`oblique`: the
    thing's name stays in the nominative): «сериал «Первого канала»». The
    quoted names listed after a dropped one go too: «спектакли «Лабиринт»
    и «Тишина»»."""
    out = []
    for words, sent_spans in zip(sentences, spans):
        kept = []
        dropped = -1                                  # where the last dropped name's quotes close
        for span in sent_spans:
            i = span.start - 1                        # the noun, or the quote after it
            quoted = words[span.start] in OPEN_QUOTES
            if not quoted and i >= 0 and words[i] in OPEN_QUOTES:
                quoted, i = True, i - 1
            named = quoted or any(c.isdigit() for w in words[span.start:span.end] for c in w)
            # the next of a list of such names: «спектакли «Лабиринт» и «Тишина»»
            listed = quoted and i >= 1 and words[i] in (',', 'и') and i - 1 <= dropped
            if not listed and ((span.type == 'PER' and not quoted) or not named or i < 0
                               or words[i].lower() not in kinds or quoted and oblique(words[span.start])):
                kept.append(span)
            else:
                dropped = span.end + (span.end < len(words) and words[span.end] in CLOSE_QUOTES)
        out.append(kept)
    return out


def sentence_start(sentences: Sequence[Words], spans: list[list[TokenSpan]]) -> list[list[TokenSpan]]:
    """Drops a one-word span first in its sentence that the document writes
    in lower case elsewhere: a common word, capitalized only there
    («Лоукостер предложил...» after «Ирландский лоукостер отменил...»)."""
    first = [k for k, (words, sent_spans) in enumerate(zip(sentences, spans))
             if any(s.start == 0 and s.end == 1 and _named(s) for s in sent_spans) and words[0][1:].islower()]
    if not first:
        return spans
    lower = {w for words in sentences for w in words if w[:1].islower()}
    out = list(spans)
    for k in first:
        if sentences[k][0].lower() in lower:
            out[k] = [s for s in spans[k] if not (s.start == 0 and s.end == 1 and _named(s))]
    return out


# A surname's endings in the oblique cases, by how its nominative ends, for
# those not in -ов, -ев, -ин (possessive_forms): Маск: Маска, Маску, Маском, Маске
SURNAME_CASES = (('ий', ('ого', 'ому', 'им', 'ом')), ('ый', ('ого', 'ому', 'ым', 'ом')),
                 ('ой', ('ого', 'ому', 'ым', 'ом')), ('ая', ('ой', 'ую')), ('ь', ('я', 'ю', 'ем', 'е')),
                 ('', ('а', 'у', 'ом', 'е')))
CONSONANTS = frozenset('бвгджзклмнпрстфхцчшщ')


def surname_forms(sentences: Sequence[Words], spans: list[list[TokenSpan]],
                  is_place: Callable[[str], bool]) -> list[list[TokenSpan]]:
    """The surname of a person named in full («Илон Маск»), declined and
    alone elsewhere in the document, is that person where the network found
    nothing there («Маска встретил канцлер»: it reads «Маска» as a mask), or
    an organization of that word and lower-case words after it («Решение
    Фроловой-Семеновой обжаловано»). Never a word the dictionary knows as a
    place («Иван Иванов … в Иванове»)."""
    forms: set[str] = set()
    for words, sent_spans in zip(sentences, spans):
        for span in sent_spans:
            if span.type == 'PER' and span.end - span.start >= 2 and _named(span):
                last = words[span.end - 1]
                if last[:1].isupper() and last.replace('-', '').isalpha():
                    forms.update(oblique_surnames(last))
    if not forms:
        return spans
    out = []
    for words, sent_spans in zip(sentences, spans):
        sent_spans = [TokenSpan(s.start, s.start + 1, 'PER') if s.type == 'ORG' and _named(s)
                      and words[s.start] in forms and all(w.islower() for w in words[s.start + 1:s.end])
                      and not is_place(words[s.start]) else s
                      for s in sent_spans]
        taken = {i for s in sent_spans for i in range(s.start, s.end)}
        found = [TokenSpan(i, i + 1, 'PER') for i, w in enumerate(words)
                 if w in forms and i not in taken and (i + 1 == len(words) or not words[i + 1][:1].isupper())
                 and (i == 0 or not words[i - 1][:1].isupper() or words[i - 1] in QUOTES or not words[i - 1].isalpha())
                 and not is_place(w)]
        out.append(sorted(sent_spans + found, key=lambda s: (s.start, -s.end)) if found else sent_spans)
    return out


# A surname in -ов, -ев, -ин as written in any case, either gender: its stem
# and the endings of both genders' forms (Ивлееву: Ивлеев, Ивлеева, Ивлеевой, ...)
POSSESSIVE_SURNAME = re.compile(r'^(\w{2,}(?:ов|ев|ёв|ин|ын))(|а|у|ым|ом|е|ой|ою)$')
POSSESSIVE_ENDINGS = ('', 'а', 'у', 'ым', 'е', 'ой')


def oblique_surnames(surname: str) -> list[str]:
    """The forms of a Russian-declined surname, from the form a text wrote
    («Маск»: «Маска», «Маску», ...; «Ивлееву»: «Ивлеевой», ...; each part of
    «Фролову-Семенову»); none for one that does not decline («Моди»)."""
    if '-' in surname:
        parts = [possessive_forms(part) for part in surname.split('-')]
        if all(parts) and len(parts) == 2:
            return ['-'.join(pair) for pair in zip(*parts, strict=True)]
        return []
    forms = possessive_forms(surname)
    if forms:
        return forms
    lower = surname.lower()
    for ending, endings in SURNAME_CASES:
        if lower.endswith(ending) and (ending or lower[-1:] in CONSONANTS) and len(lower) - len(ending) >= 2:
            stem = surname[:len(surname) - len(ending)]
            return [stem + e for e in endings]
    return []


def possessive_forms(word: str) -> list[str]:
    """Every form of a surname in -ов, -ев, -ин, from any of them; none for another."""
    match = POSSESSIVE_SURNAME.match(word)
    return [match.group(1) + ending for ending in POSSESSIVE_ENDINGS] if match else []


def key(words: Words, span: TokenSpan) -> tuple[str, ...]:
    return tuple(w.lower() for w in words[span.start:span.end])


def propagate(sentences: Sequence[Words], spans: list[list[TokenSpan]]) -> list[list[TokenSpan]]:
    """Untagged recurrences of a capitalized name tagged elsewhere, same form."""
    known: dict[tuple, Counter] = defaultdict(Counter)
    for words, sent_spans in zip(sentences, spans):
        for span in sent_spans:
            if words[span.start][:1].isupper():
                known[key(words, span)][span.type] += 1
    names = {k: c.most_common(1)[0][0] for k, c in known.items() if len(c) == 1}
    if not names:
        return spans
    longest = max(len(k) for k in names)
    firsts = {k[0] for k in names}           # most capitalized words start no known name
    out = []
    for words, sent_spans in zip(sentences, spans):
        taken = [False] * len(words)
        for span in sent_spans:
            taken[span.start:span.end] = [True] * (span.end - span.start)
        added = list(sent_spans)
        i = 0
        while i < len(words):
            found = None
            if not taken[i] and words[i][:1].isupper() and words[i].lower() in firsts:
                for size in range(min(longest, len(words) - i), 0, -1):
                    k = tuple(w.lower() for w in words[i:i + size])
                    if k in names and not any(taken[i:i + size]) and \
                            not _inside_longer_name(words, i, size):
                        found = TokenSpan(i, i + size, names[k])
                        break
            if found:
                added.append(found)
                i = found.end
            else:
                i += 1
        out.append(sorted(added))
    return out


# The nouns of regions' names, in every case of the singular («Пензенской области»)
REGION_NOUNS = frozenset(['область', 'области', 'областью', 'край', 'края', 'краю', 'краем', 'крае',
                          'округ', 'округа', 'округу', 'округом', 'округе'])


def region_names(sentences: Sequence[Words], spans: list[list[TokenSpan]]) -> list[list[TokenSpan]]:
    """A capitalized adjective and a region's noun that the gazetteer
    (places.py: ISO 3166's regions) knows, declined, are a LOC where the
    network found no name: «Прокуратура Пензенской области организовала…»
    (it tags nothing in that sentence)."""
    out = []
    for words, sent_spans in zip(sentences, spans):
        taken = {i for s in sent_spans for i in range(s.start, s.end)}
        found = [TokenSpan(i, i + 2, 'LOC') for i in range(len(words) - 1)
                 if words[i][:1].isupper() and i not in taken and i + 1 not in taken and region_name(words, i)]
        out.append(sorted(sent_spans + found, key=lambda s: (s.start, -s.end)) if found else sent_spans)
    return out


# A region's noun after coordinated names, plural or singular («в Курской
# и Белгородской областях», «… области»), and its singular in the same case
SHARED_REGION_NOUNS = {
    'областях': 'области', 'областей': 'области', 'областям': 'области', 'областями': 'областью',
    'районах': 'районе', 'районов': 'района', 'районам': 'району', 'районами': 'районом', 'районы': 'район',
    'краях': 'крае', 'краев': 'края', 'краёв': 'края', 'краям': 'краю', 'краями': 'краем',
    'округах': 'округе', 'округов': 'округа', 'округам': 'округу', 'округами': 'округом',
    **{noun: noun for noun in REGION_NOUNS}, 'район': 'район', 'района': 'района', 'району': 'району',
    'районом': 'районом', 'районе': 'районе'}
# a district's adjective in the case of the singular «район» it is read with
# (districts are no ISO 3166 regions: the gazetteer does not know them)
DISTRICT_ADJECTIVES = {'район': ('ий', 'ый', 'ой'), 'района': ('ого',), 'району': ('ому',),
                       'районом': ('им', 'ым'), 'районе': ('ом',)}


def region_name(words: Words, i: int) -> bool:
    """Whether words[i] and the next are a region's adjective and noun that
    the gazetteer knows, declined («Пензенской области»)."""
    return words[i + 1].lower() in REGION_NOUNS and bool(gazetteer().nominative(words[i:i + 2]))


def coordinated_regions(sentences: Sequence[Words], spans: list[list[TokenSpan]]) -> list[list[TokenSpan]]:
    """Regions that share their noun («в Новосибирской и Томской областях»,
    «Курской, Брянской и Белгородской областей») are a LOC each, read with
    that noun in the singular: «Новосибирской» as «Новосибирской области»,
    «Томской областях» as «Томской области». Not inside a person's or an
    organization's name."""
    out = []
    for words, sent_spans in zip(sentences, spans):
        found: list[TokenSpan] = []
        for i, word in enumerate(words):
            single = SHARED_REGION_NOUNS.get(word.lower())
            if single is None:
                continue
            names = conjuncts(words, i, single)
            if len(names) < 2 or any(s.type != 'LOC' and s.start < i + 1 and names[0] < s.end for s in sent_spans):
                continue
            found += [TokenSpan(k, k + 1, 'LOC', read_as=(words[k], single)) for k in names[:-1]]
            found.append(TokenSpan(names[-1], i + 1, 'LOC', read_as=(words[names[-1]], single)))
        if not found:
            out.append(sent_spans)
            continue
        covered = {k for s in found for k in range(s.start, s.end)}
        kept = [s for s in sent_spans if not any(k in covered for k in range(s.start, s.end))]
        out.append(sorted(kept + found, key=lambda s: (s.start, -s.end)))
    return out


def conjuncts(words: Words, noun: int, single: str) -> list[int]:
    """The capitalized adjectives right before a region's noun, joined by
    «и» or «или» (the last two) and commas (those before), first to last,
    each a region with that noun in the singular (`single`): one the
    gazetteer knows, or a district's adjective in the noun's case; none
    unless there are two or more («между Россией и Курской областью»: none)."""
    def region(k: int) -> bool:
        if k < 0 or not words[k][:1].isupper() or len(words[k]) <= 3:
            return False
        if single in DISTRICT_ADJECTIVES:
            return words[k].lower().endswith(DISTRICT_ADJECTIVES[single])
        return bool(gazetteer().nominative([words[k], single]))

    if noun < 3 or not region(noun - 1) or words[noun - 2].lower() not in ('и', 'или') or not region(noun - 3):
        return []
    names = [noun - 3, noun - 1]
    k = noun - 4
    while k >= 1 and words[k] == ',' and region(k - 1):
        names.insert(0, k - 1)
        k -= 2
    return names


# Words that may open a regional office's name before its body («ГУ МВД»,
# «Главное управление МВД», «Следственное управление СК»), lower case.
OFFICE_HEADS = frozenset(['гу', 'су', 'гсу', 'управление', 'управления', 'управлению', 'управлением', 'управлении'])
OFFICE_ADJECTIVES = ('главн', 'следственн', 'территориальн', 'региональн')
COUNTRY_AFTER_BODY = frozenset(['россии', 'рф'])


def regional_bodies(sentences: Sequence[Words], spans: list[list[TokenSpan]],
                    bodies: Container[str]) -> list[list[TokenSpan]]:
    """A state body, «по» and the place the network found are one ORG: «ГУ
    МВД по Свердловской области», «УФСБ России по Пермскому краю»,
    «Управление Роспотребнадзора по Москве» (`bodies`: lower case). The
    capitalized words that open the office's name before the body («ГУ»,
    «Главное управление») are part of it; the place is part of the name, as
    after any preposition (nested_places), and the spans inside it go."""
    out = []
    for words, sent_spans in zip(sentences, spans):
        found = []
        for span in sent_spans:
            j = span.start - 2                         # the word before «по»
            if span.type != 'LOC' or j < 0 or words[span.start - 1].lower() != 'по' \
                    or words[span.start].lower() in COUNTRY_AFTER_BODY:
                continue                               # «МВД по России»: no region
            if words[j].lower() in COUNTRY_AFTER_BODY and j > 0:
                j -= 1
            if words[j].lower() not in bodies or not words[j][:1].isupper():
                continue
            start = j
            if start > 0 and words[start - 1].lower() in OFFICE_HEADS and words[start - 1][:1].isupper():
                start -= 1
            elif start > 1 and words[start - 1].lower() in OFFICE_HEADS \
                    and words[start - 2].lower().startswith(OFFICE_ADJECTIVES) and words[start - 2][:1].isupper():
                start -= 2
            # a longer head the network found stays: «Главное следственное управление СК России по Москве»
            start = min([start] + [s.start for s in sent_spans if s.type == 'ORG' and s.start < start < s.end
                                   and s.end <= span.start])
            found.append(TokenSpan(start, span.end, 'ORG'))
        if found:
            sent_spans = [s for s in sent_spans if not any(f.start < s.end and s.start < f.end for f in found)]
            sent_spans = sorted(sent_spans + found, key=lambda s: (s.start, -s.end))
        out.append(sent_spans)
    return out


def _inside_longer_name(words: Words, start: int, size: int) -> bool:
    """The match continues into capitalized words: part of another name."""
    before = start > 0 and words[start - 1][:1].isupper() and start - 1 > 0
    after = start + size < len(words) and words[start + size][:1].isupper()
    return before or after


# After one of these the place belongs to the name: «ГУ МЧС по
# Санкт-Петербургу», «Организация по безопасности и сотрудничеству в Европе»
# (factRuEval annotates them whole).
PREPOSITIONS = frozenset(['в', 'во', 'на', 'по', 'при', 'у', 'для', 'из', 'от', 'с', 'со', 'под', 'над'])


def institutions_not_places(sentences: Sequence[Words], spans: list[list[TokenSpan]],
                            heads: Container[str]) -> list[list[TokenSpan]]:
    """A name the network tagged as a place that opens with an institution's
    noun in capitals is an organization: «Министр МЧС Александр Куренков»
    (LOC «МЧС»), «МИД России»."""
    return [[s._replace(type='ORG') if s.type == 'LOC' and _named(s) and words[s.start].isupper()
             and words[s.start].lower() in heads else s for s in sent_spans]
            for words, sent_spans in zip(sentences, spans)]


def nested_places(sentences: Sequence[Words], spans: list[list[TokenSpan]],
                  is_place: Callable[[str], bool], heads: Container[str]) -> list[list[TokenSpan]]:
    """LOC spans for the place names inside ORG spans, after an
    institution's noun (`heads`, lower case) and before any preposition:
    «МИД Литвы», «Верховный суд США», and a region the gazetteer knows:
    «Правительство Новосибирской области». Elsewhere the place is part of a
    proper name: «Почта России», «Голос Америки», «Банк Москвы»."""
    out = []
    for words, sent_spans in zip(sentences, spans):
        added = list(sent_spans)
        for span in sent_spans:
            if span.type != 'ORG' or span.end - span.start < 2:
                continue
            i = span.start + 1
            headed = words[span.start].lower() in heads
            while i < span.end and words[i].lower() not in PREPOSITIONS:
                if not headed:
                    headed = words[i].lower() in heads
                    i += 1
                elif is_place(words[i]):
                    j = i + 1
                    while j < span.end and is_place(words[j]):
                        j += 1
                    added.append(TokenSpan(i, j, 'LOC'))
                    i = j
                elif i + 1 < span.end and region_name(words, i):
                    added.append(TokenSpan(i, i + 2, 'LOC'))     # «Правительство Новосибирской области»
                    i += 2
                else:
                    i += 1
        out.append(sorted(added, key=lambda s: (s.start, -s.end)))
    return out
