"""The cleaned view of a text that the analysis reads, and its offset map.

Text copied from web pages, Word or OCR carries characters that break
tokens and lemmas without changing what a reader sees: soft hyphens and
zero-width characters inside words, non-breaking and thin spaces, combining
stress marks («Ма́скате»), exotic quotes and hyphens, HTML entity leftovers
(`&nbsp;`, `&laquo;`, `&#171;`), and Latin look-alike letters inside
Cyrillic words («Mосква» with a Latin M).

`clean(text, base)` returns a `View`: the analysis string with those
repaired, and for each of its characters the [start, end) it covers in the
original (a block of a longer text starts at `base` in it).
Invisible characters vanish; a combining mark joins the letter before it
(composed where Unicode can: и + ◌̆ → й), so a mention never ends inside a
letter; an entity becomes one character spanning the whole `&...;`.
Offsets found in the view go back through `View.span`, and mention texts
are sliced from the original, never from the view.

Text with nothing to repair, the usual case, costs one regex search and
gets an identity view without a map.

(All-capitals sentences are recased by the morphology, `Morph.recase`:
that needs the dictionary.)"""
from __future__ import annotations

import html
import re
import unicodedata
from array import array

# Characters that carry nothing for the analysis: soft hyphen, zero-width
# spaces and joiners, direction marks, word joiner, invisible operators, BOM,
# variation selectors, combining grapheme joiner.
INVISIBLE = ('\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f'
             '\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0')
# Combining marks (stress marks above all): composed with the letter before
# them where Unicode has the composed letter (й, ё), dropped otherwise.
COMBINING = '\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f'
# Spaces of every width, and controls other than tab and line breaks: each
# becomes one plain space.
SPACES = ('\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000'
          '\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f')
# Lone surrogates (from JSON escapes) are not text, and no encoder can write
# them out: each becomes a line break, so that no sentence, token or mention
# (whose text is sliced from the original) can hold one.
SURROGATES = '\ud800-\udfff'
# Letters without a Unicode name in this Python (Tangut): pymorphy3 fails on
# them (`unicodedata.name` raises), so the analysis sees U+FFFD instead.
UNNAMED = '\U00017000-\U00018aff\U00018d00-\U00018d7f'
REPLACE = {
    # hyphens and minus signs: «Нью‑Йорк» with a non-breaking hyphen is one word
    '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2043': '-', '\ufe63': '-', '\uff0d': '-',
    '\u2212': '-',
    '\u2015': '—', '\ufe58': '—', '\u2e3a': '—', '\u2e3b': '—',
    # quotes razdel does not split off words
    '\u2039': '«', '\u203a': '»',
    '\u201e': '"', '\u201c': '"', '\u201d': '"', '\u201f': '"', '\u2033': '"', '\u2036': '"',
    '\u301d': '"', '\u301e': '"', '\uff02': '"',
    '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\uff07': "'",
}
ENTITY = r'&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});'
SPECIAL = re.compile('[%s%s%s%s%s%s]|%s' % (INVISIBLE, COMBINING, SPACES, SURROGATES, UNNAMED,
                                             ''.join(REPLACE), ENTITY))
SPECIAL_CHAR = re.compile('[%s%s%s%s%s%s&]' % (INVISIBLE, COMBINING, SPACES, SURROGATES, UNNAMED,
                                               ''.join(REPLACE)))
IS_INVISIBLE = re.compile('[%s]' % INVISIBLE)
IS_COMBINING = re.compile('[%s]' % COMBINING)
IS_SPACE = re.compile('[%s]' % SPACES)
IS_UNNAMED = re.compile('[%s]' % UNNAMED)
IS_SURROGATE = re.compile('[%s]' % SURROGATES)

# A run of Latin letters: Latin-Cyrillic neighbours are checked around each
# (two plain scans cost a tenth of one regex with look-arounds).
LATIN = re.compile('[A-Za-z]+')
WORD = re.compile(r'[^\W\d_]+')
LATIN_CYRILLIC = dict(zip('ABCEHKMOPTXYaceopxy', 'АВСЕНКМОРТХУасеорху'))
CYRILLIC_LATIN = {cyrillic: latin for latin, cyrillic in LATIN_CYRILLIC.items()}
TO_CYRILLIC = str.maketrans(LATIN_CYRILLIC)
TO_LATIN = str.maketrans(CYRILLIC_LATIN)


class View:
    """The analysis text; `start(i)` / `end(j)` turn its offsets into the
    original's, `span(i, j)` into the whole text's (where the original
    starts at `base`). Without a map (`starts is None`) the two texts are one."""
    __slots__ = ('base', 'ends', 'starts', 'text')

    def __init__(self, text: str, starts: array | None = None, ends: array | None = None, base: int = 0):
        self.text = text
        self.starts = starts
        self.ends = ends
        self.base = base

    def span(self, i: int, j: int) -> tuple[int, int]:
        """The view's [i, j) as [start, end) in the whole text."""
        if self.starts is None or self.ends is None:
            return self.base + i, self.base + j
        return self.base + self.starts[i], self.base + self.ends[j - 1]

    def start(self, i: int) -> int:
        """Original offset where the view's character i begins."""
        return i if self.starts is None else self.starts[i]

    def end(self, j: int) -> int:
        """Original offset where a view span ending at j (exclusive) ends."""
        return j if self.ends is None else self.ends[j - 1]


def clean(text: str, base: int = 0) -> View:
    if not SPECIAL_CHAR.search(text) and not mixed(text):
        return View(text, base=base)
    out: list[str] = []
    starts, ends = array('l'), array('l')
    pos = 0
    for match in SPECIAL.finditer(text):
        a, b = match.span()
        if a > pos:
            out.append(text[pos:a])
            starts.extend(range(pos, a))
            ends.extend(range(pos + 1, a + 1))
        pos = b
        char = match.group()
        if len(char) > 1:
            named = entity(char)
            if named is None:                   # unknown entity: left as written
                out.append(match.group())
                starts.extend(range(a, b))
                ends.extend(range(a + 1, b + 1))
                continue
            char = named
        if IS_INVISIBLE.match(char):
            continue
        if IS_COMBINING.match(char):
            if out:                             # belongs to the letter before it
                composed = unicodedata.normalize('NFC', out[-1][-1] + char)
                if len(composed) == 1:
                    out[-1] = out[-1][:-1] + composed
                ends[-1] = b
            continue
        if IS_SPACE.match(char):
            char = ' '
        elif IS_SURROGATE.match(char):
            char = '\n'
        elif IS_UNNAMED.match(char):
            char = '\ufffd'
        out.append(REPLACE.get(char, char))
        starts.append(a)
        ends.append(b)
    if pos < len(text):
        out.append(text[pos:])
        starts.extend(range(pos, len(text)))
        ends.extend(range(pos + 1, len(text) + 1))
    view = ''.join(out)
    if mixed(view):
        view = WORD.sub(one_script, view)       # one character for one: the map holds
    return View(view, starts, ends, base)


def mixed(text: str) -> bool:
    """Whether a Latin letter stands next to a Cyrillic one."""
    for run in LATIN.finditer(text):
        a, b = run.span()
        if a and ('А' <= text[a - 1] <= 'я' or text[a - 1] in 'Ёё'):
            return True
        if b < len(text) and ('А' <= text[b] <= 'я' or text[b] in 'Ёё'):
            return True
    return False


def entity(reference: str) -> str | None:
    """The character an HTML entity stands for, or None if it is not one."""
    char = html.unescape(reference)
    if len(char) != 1 or char == reference:
        return None
    return char


def one_script(match: re.Match) -> str:
    """A word in two scripts, written in the script most of its letters are in,
    when the odd letters have look-alikes there («Mосква» → «Москва»)."""
    word = match.group()
    cyrillic = sum(1 for c in word if 'А' <= c <= 'я' or c in 'Ёё')
    latin = sum(1 for c in word if c.isascii())
    if not cyrillic or not latin:
        return word
    if cyrillic >= latin:
        if all(c in LATIN_CYRILLIC for c in word if c.isascii()):
            return word.translate(TO_CYRILLIC)
    elif all(c in CYRILLIC_LATIN for c in word if not c.isascii()):
        return word.translate(TO_LATIN)
    return word
