"""Descriptive mentions: words that refer to an entity without naming it
(«иранские СМИ», «глава иранского МИД», «американцев», «демократов»), as
spans with a `reference` (extractor/referents.py has the table).

A word counts when it is written in lower case, or begins its sentence
(«Иранская сторона»), or is all a one-word LOC the network tagged («Иранская»
read as a place); a compound of such adjectives is a mention of each place
(«российско-американских»: «российско» of Россия, «американских» of США,
parts of one token). It does not count inside a name of a person or a place,
nor before «язык» («на английском языке» names a language); inside an
organization's name it is a mention nested in it («британского МИД»), as a
place inside one is («МИД Литвы»). Before a noun for a body of
state that NEREL marks with it as one organization («британского
правительства», «российских властей»), the two are also an ORG mention of
kind "body", of that body of the place («Правительство Великобритании»)."""
from __future__ import annotations

from collections.abc import Sequence

from ..referents import Reference, bodies, lookup
from .rules import TokenSpan, Words


def descriptive_mentions(sentences: Sequence[Words], spans: list[list[TokenSpan]]) -> list[list[TokenSpan]]:
    out = []
    for words, sent_spans in zip(sentences, spans):
        # the table holds every form of its words: a dict lookup a word, no analysis
        refs = [lookup(word) for word in words]
        # a compound of places' adjectives refers to each («российско-американских»)
        parts = {i: found for i, word in enumerate(words)
                 if refs[i] is None and '-' in word and (found := compound(word))}
        if not any(refs) and not parts:
            out.append(sent_spans)           # most sentences: no word could refer
            continue
        inside: list[str | None] = [None] * len(words)     # the type of the name a word is in
        for span in sent_spans:
            for i in range(span.start, span.end):
                if inside[i] != 'ORG':       # ORG wins: a nested LOC is still inside an ORG
                    inside[i] = span.type
        kept = []
        for span in sent_spans:
            ref = refs[span.start]
            if span.end - span.start == 1 and span.type == 'LOC' and span.read_as is None \
                    and words[span.start][:1].isupper() \
                    and ref is not None and ref.kind == 'adjective' and not place_form(words[span.start], ref):
                inside[span.start] = None    # «Иранская» tagged as a place: the adjective it is
                continue
            kept.append(span)
        first = next((i for i, w in enumerate(words) if w[:1].isalpha()), None)
        for i, (word, ref) in enumerate(zip(words, refs)):
            if (ref is None and i not in parts) or inside[i] in ('PER', 'LOC') or \
                    not (word[:1].islower() or (i == first and inside[i] is None)):
                continue
            if i + 1 < len(words) and words[i + 1].lower().startswith('язык'):
                continue
            if ref is None:
                kept += [TokenSpan(i, i + 1, part_ref.type, part_ref, part) for part, part_ref in parts[i]]
                continue
            kept.append(TokenSpan(i, i + 1, ref.type, ref))
            body = body_after(words, i, ref, inside)
            if body is not None:
                kept.append(body)
        out.append(sorted(kept, key=lambda s: (s.start, -s.end)))
    return out


# the endings of a place's name in the cases that a form of its adjective may share
NAME_ENDINGS = ('', 'а', 'у', 'ом', 'е')


# The first parts of compound adjectives that are not their adjective's stem
# and «о» («франко-германский»: французский; «российско-»: российский is regular)
COMBINING_FORMS = {'франко': 'французский', 'англо': 'английский', 'австро': 'австрийский',
                   'итало': 'итальянский', 'греко': 'греческий', 'русско': 'российский'}
# Compounds that name peoples, languages or traditions, not places
NOT_COMPOUNDS = ('индоевропейск', 'индо-европейск', 'англо-саксонск', 'греко-римск', 'иудео-христианск')


def compound(word: str) -> list[tuple[tuple[int, int], Reference]] | None:
    """The parts of a compound of places' adjectives, each with its
    characters in the word and its Reference («российско-американских»:
    Россия, США), or None when a part refers to nothing. All parts but the
    last are combining forms in -о («российско», «американо», «франко»)."""
    parts = word.split('-')
    if len(parts) < 2 or word.lower().startswith(NOT_COMPOUNDS):
        return None
    last = lookup(parts[-1])
    if last is None or last.kind != 'adjective':
        return None
    out, at = [], 0
    for part in parts[:-1]:
        ref = combining_form(part)
        if ref is None:
            return None
        out.append(((at, at + len(part)), ref))
        at += len(part) + 1
    out.append(((at, len(word)), last))
    return out


def combining_form(part: str) -> Reference | None:
    """The place's adjective a combining form in -о stands for: its stem
    and an adjective's ending («российско», «американо»: американ-ский)."""
    part = part.lower().replace('ё', 'е')
    if part in COMBINING_FORMS:
        return lookup(COMBINING_FORMS[part])
    if len(part) < 4 or not part.endswith('о'):
        return None
    stem = part[:-1]
    for ending in ('ий', 'ый', 'ский'):
        ref = lookup(stem + ending)
        if ref is not None and ref.kind == 'adjective':
            return ref
    return None


def place_form(word: str, ref: Reference) -> bool:
    """Whether a capitalized word is its place's own name, declined, though
    an adjective's form too: «под Смоленском» (Смоленск, or «смоленском»)."""
    name = ref.name.lower().replace('ё', 'е')
    return word.lower().replace('ё', 'е') in {name + ending for ending in NAME_ENDINGS}


def body_after(words: Words, i: int, ref: Reference, inside: list[str | None]) -> TokenSpan | None:
    """A place's adjective and the noun after it that together are one
    organization («британского правительства», «российских властей»:
    scripts/learn_bodies.py learned which nouns from NEREL): an ORG span of
    both, whose reference is the place; the adjective stays a mention of the
    place, nested in it."""
    if ref.kind != 'adjective' or i + 1 >= len(words) or inside[i + 1] is not None:     # an adjective's is a place
        return None
    noun = bodies().get(words[i + 1].lower().replace('ё', 'е'))
    if noun is None:
        return None
    return TokenSpan(i, i + 2, 'ORG', Reference(noun, 'body', 'ORG', ref.name))
