"""Rules over the network's spans, where learning is weak. Each takes the
document's sentences (lists of words) and their spans, and returns new spans
(a `Rule`; those that ask the dictionary take its answer as a function too,
bound by `default_rules`).

- `join_persons`: «Анной Викторовной» + «Сорокиной» side by side are one name.
- `propagate`: a name tagged in one place, with one type, is tagged
  wherever it recurs in the document.
- `balance_quotes`: a name does not end in the middle of its quotes
  («Киностудии КИТ → «Киностудии КИТ»; «РУ» → РУ).
- `nested_places`: the place inside an organization's name («МИД Литвы»)
  is also a LOC mention of its own, nested in the ORG.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from functools import partial
from typing import NamedTuple

from ..document import EntityType
from ..referents import Reference

Words = Sequence[str]


class TokenSpan(NamedTuple):
    """Tokens [start, end) of one sentence: a name, or a word that refers to
    an entity without naming it (`reference`: «иранские» → Иран)."""
    start: int
    end: int
    type: EntityType
    reference: Reference | None = None


Rule = Callable[[Sequence[Words], list[list[TokenSpan]]], list[list[TokenSpan]]]


def default_rules(is_place: Callable[[str], bool], name_part: Callable[[str], str | None]) -> list[Rule]:
    """The rules in the order they apply: quotes first (a name's words are
    settled before it is joined or looked for elsewhere), nested places last
    (inside the organizations found by then)."""
    return [balance_quotes, partial(join_persons, name_part=name_part), propagate,
            partial(nested_places, is_place=is_place)]


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


def balance_quotes(sentences: Sequence[Words], spans: list[list[TokenSpan]]) -> list[list[TokenSpan]]:
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
            if start < end:
                fixed.append(span._replace(start=start, end=end))
        out.append(fixed)
    return out


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
    out = []
    for words, sent_spans in zip(sentences, spans):
        taken = [False] * len(words)
        for span in sent_spans:
            taken[span.start:span.end] = [True] * (span.end - span.start)
        added = list(sent_spans)
        i = 0
        while i < len(words):
            found = None
            if not taken[i] and words[i][:1].isupper():
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


def _inside_longer_name(words: Words, start: int, size: int) -> bool:
    """The match continues into capitalized words: part of another name."""
    before = start > 0 and words[start - 1][:1].isupper() and start - 1 > 0
    after = start + size < len(words) and words[start + size][:1].isupper()
    return before or after


def nested_places(sentences: Sequence[Words], spans: list[list[TokenSpan]],
                  is_place: Callable[[str], bool]) -> list[list[TokenSpan]]:
    """LOC spans for the place names inside ORG spans (not their first word)."""
    out = []
    for words, sent_spans in zip(sentences, spans):
        added = list(sent_spans)
        for span in sent_spans:
            if span.type != 'ORG' or span.end - span.start < 2:
                continue
            i = span.start + 1
            while i < span.end:
                if is_place(words[i]):
                    j = i + 1
                    while j < span.end and is_place(words[j]):
                        j += 1
                    added.append(TokenSpan(i, j, 'LOC'))
                    i = j
                else:
                    i += 1
        out.append(sorted(added, key=lambda s: (s.start, -s.end)))
    return out
