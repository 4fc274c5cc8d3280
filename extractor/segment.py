"""Sentences and tokens with razdel, as character offsets into the text.

A line break ends a sentence too: news text puts headlines, datelines and
list items on lines of their own, and razdel alone would glue them to the
next sentence.

Long inputs are cut where it is safe, so that memory stays bounded and
razdel (whose sentence rules slow down on long runs of quotes or dots) never
sees more than a window at a time: `blocks` cuts a text into pieces of at
most BLOCK characters at line breaks, else at sentence ends, else at
whitespace, else anywhere
(never before a combining mark); a line longer than WINDOW is sentenized a
window at a time, keeping razdel's boundaries and cutting at whitespace only
where a window holds no sentence end. `stream_blocks` makes the same cuts
in a text that arrives in pieces (a long file read a piece at a time)."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from razdel import sentenize
from razdel.segmenters.punct import DASHES, ENDINGS
from razdel.segmenters.tokenize import ATOM, INT, LAT, OTHER, PUNCT, RU, SMILE

LINE = re.compile(r'[^\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+')
BLOCK = 1 << 16      # characters analysed at a time
WINDOW = 4096        # characters of one line razdel sentenizes at a time


class Span(NamedTuple):
    start: int
    end: int
    text: str


def blocks(text: str, size: int = BLOCK) -> Iterator[tuple[int, int]]:
    """[start, end) pieces of at most `size` characters that cover `text`."""
    start, length = 0, len(text)
    while length - start > size:
        end = cut(text, start, start + size)
        yield start, end
        start = end
    if start < length or not length:
        yield start, length


def stream_blocks(pieces: Iterable[str], size: int = BLOCK) -> Iterator[tuple[int, str]]:
    """The blocks of a text that arrives in pieces, as (start, block text):
    cut exactly where blocks() cuts the whole text, holding no more than a
    piece and a block of it."""
    buffer, base, pos = '', 0, 0              # base: where buffer starts in the text
    for piece in pieces:
        buffer, base, pos = buffer[pos:] + piece, base + pos, 0
        while len(buffer) - pos > size:       # cut() looks one character past the limit
            end = cut(buffer, pos, pos + size)
            yield base + pos, buffer[pos:end]
            pos = end
    if pos < len(buffer) or not base + pos:
        yield base + pos, buffer[pos:]


# the end of a sentence and the space after it, before a capital (or a quote, a digit)
SENTENCE_END = re.compile(r'[.!?…][»"\')]*\s+(?=[«"(]?[А-ЯЁA-Z0-9])')


def cut(text: str, start: int, limit: int) -> int:
    """Where to end a piece that begins at `start` and may not pass `limit`:
    after the last line break in its second half, else after its last
    sentence end there (a name is never cut in two: a text of one long line
    cut at a space split «Владимир | Путин»), else after its last space,
    else at `limit`, moved back off combining marks."""
    half = start + (limit - start) // 2
    for breaks in ('\n', '\r', '\u2029', '\u2028'):
        at = text.rfind(breaks, half, limit)
        if at >= 0:
            return at + 1
    last = None
    for last in SENTENCE_END.finditer(text, half, limit):
        pass
    if last is not None:
        return last.end()
    for at in range(limit - 1, half, -1):
        if text[at].isspace():
            return at + 1
    end = limit
    while end > start + 1 and unicodedata.combining(text[end]):
        end -= 1
    return end


def sentences(text: str) -> Iterator[Span]:
    for line in LINE.finditer(text):
        if line.end() - line.start() <= WINDOW:
            base = line.start()
            for s in sentenize(line.group()):
                yield Span(base + s.start, base + s.stop, s.text)
        else:
            yield from long_line(text, line.start(), line.end())


def long_line(text: str, start: int, end: int) -> Iterator[Span]:
    """razdel's sentences of a long line, found a window at a time: all but
    the last sentence of a window are final, the next window starts at the
    last one. A window without a sentence end is cut at whitespace."""
    while start < end:
        limit = start + WINDOW
        if limit >= end:
            piece = text[start:end]
            for s in sentenize(piece):
                yield Span(start + s.start, start + s.stop, s.text)
            return
        found = list(sentenize(text[start:limit]))
        if len(found) > 1:
            for s in found[:-1]:
                yield Span(start + s.start, start + s.stop, s.text)
            start += found[-1].start
            continue
        stop = cut(text, start, limit)
        for s in sentenize(text[start:stop]):
            yield Span(start + s.start, start + s.stop, s.text)
        start = stop


def tokens(sentence: Span) -> list[Span]:
    """razdel tokens of one sentence, offsets shifted into the whole text."""
    base, text = sentence.start, sentence.text
    return [Span(base + start, base + end, text[start:end]) for start, end in token_bounds(text)]


Atom = tuple[int, int, str]       # start, end, razdel's atom type (RU, LAT, INT, PUNCT, OTHER)


def token_bounds(text: str) -> list[tuple[int, int]]:
    """razdel.tokenize(text) as (start, end) pairs: the same atoms and join
    rules, without razdel's objects for every pair of atoms (it made a third
    of the pipeline's segmenting time). Atoms join only where nothing
    separates them, and then when any of razdel's rules says so
    (tests/test_segment.py checks it against razdel itself)."""
    atoms: list[Atom] = [(m.start(), m.end(), m.lastgroup or OTHER) for m in ATOM.finditer(text)]
    if not atoms:
        return []
    bounds = []
    token_start = atoms[0][0]
    for i in range(1, len(atoms)):
        before_end, start = atoms[i - 1][1], atoms[i][0]
        if start != before_end or not joins(text, atoms, i, token_start):
            bounds.append((token_start, before_end))
            token_start = start
    bounds.append((token_start, atoms[-1][1]))
    return bounds


def joins(text: str, atoms: list[Atom], i: int, token_start: int) -> bool:
    """Whether razdel joins atoms i - 1 and i, which touch; the token being
    built began at `token_start`. razdel's rules (razdel/segmenters/tokenize.py)
    only ever join, so their order does not matter."""
    left_start, left_end, left_type = atoms[i - 1]
    right_start, right_end, right_type = atoms[i]
    left, right = text[left_start:left_end], text[right_start:right_end]
    # «2112» rules: around a mark, the atoms on either side of it decide
    for marks, numbers_only in ((DASHES, False), ('_', False), ('.,', True), ('/\\', True)):
        # the atom before the mark and the one after it (none at either end of the text)
        if left in marks and i >= 2:
            a, b = atoms[i - 2], atoms[i]
        elif left not in marks and right in marks and i + 1 < len(atoms):
            a, b = atoms[i - 1], atoms[i + 1]
        else:
            continue
        if numbers_only:
            if a[2] == INT and b[2] == INT:
                return True
        elif a[2] != PUNCT and b[2] != PUNCT:
            return True
    if left_type == PUNCT and right_type == PUNCT:
        if SMILE.match(text[token_start:left_end] + right):
            return True
        if left in ENDINGS and right in ENDINGS:
            return True
        if left + right in ('--', '**'):
            return True
    if left_type == OTHER and right_type in (OTHER, RU, LAT):
        return True
    if left_type in (OTHER, RU, LAT) and right_type == OTHER:
        return True
    return left.lower() == 'yahoo' and right == '!'


def segment(text: str) -> Iterator[tuple[Span, list[Span]]]:
    """Each sentence with its tokens; sentences without tokens are dropped."""
    for sent in sentences(text):
        toks = tokens(sent)
        if toks:
            yield sent, toks
