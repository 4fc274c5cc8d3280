"""Sentences and tokens with razdel, as character offsets into the text.

A line break ends a sentence too: news text puts headlines, datelines and
list items on lines of their own, and razdel alone would glue them to the
next sentence."""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from razdel import sentenize, tokenize

LINE = re.compile(r'[^\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+')


class Span(NamedTuple):
    start: int
    end: int
    text: str


def sentences(text: str) -> Iterator[Span]:
    for line in LINE.finditer(text):
        base = line.start()
        for s in sentenize(line.group()):
            yield Span(base + s.start, base + s.stop, s.text)


def tokens(sentence: Span) -> list[Span]:
    """razdel tokens of one sentence, offsets shifted into the whole text."""
    base = sentence.start
    return [Span(base + t.start, base + t.stop, t.text) for t in tokenize(sentence.text)]


def segment(text: str) -> Iterator[tuple[Span, list[Span]]]:
    """Each sentence with its tokens; sentences without tokens are dropped."""
    for sent in sentences(text):
        toks = tokens(sent)
        if toks:
            yield sent, toks
