"""Mentions as a table: one CSV row per mention, written as documents come;
and the people's roles (`RoleTable`, OUT/roles.csv): one row per phrase
that gives a role, with the columns of ROLE_COLUMNS.

Columns:

- document: the document's id
- source: the document's source (the input file's path), empty when none
- entity: the entity's id within the document
- type: PER, LOC or ORG
- normal: the entity's normal form
- text: the mention as written
- mention_normal: the mention's own nominative form
- start, end: code point offsets into the text, end exclusive
- sentence: index of the mention's sentence
- links: the entity's links as `scheme=id`, `;` between them
  (`iso3166=IR`), empty when none
- kind: empty for a name, else how the mention refers to its entity
  (`adjective`, `demonym`, `member`, `body`: mention.kind)

A spreadsheet reads a cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return as a formula (a file named `=HYPERLINK(...).txt`, an ORG
«+Ромашка»), so such a text cell is written with a leading apostrophe, as
OWASP recommends (`'=HYPERLINK(...)`); so is one that already starts with
apostrophes before such a character, which keeps it reversible: `unescape()`
gives the value back. The numbers (start, end, sentence) are never escaped.
With `bom=True` the file starts with a UTF-8 BOM, which spreadsheets need to
read it as UTF-8 rather than a legacy code page."""
from __future__ import annotations

import contextlib
import csv
import io
import re
from typing import Self

from . import atomic
from .document import Document

COLUMNS = ('document', 'source', 'entity', 'type', 'normal', 'text', 'mention_normal',
           'start', 'end', 'sentence', 'links', 'kind')

ROLE_COLUMNS = ('document', 'source', 'entity', 'person', 'title', 'org', 'org_normal',
                'text', 'start', 'end')

FORMULA = re.compile(r"'*[=+\-@\t\r]")


def escape(cell: str) -> str:
    """A text cell that no spreadsheet runs as a formula."""
    return "'" + cell if FORMULA.match(cell) else cell


def unescape(cell: str) -> str:
    """The value escape() was given."""
    return cell[1:] if cell.startswith("'") and FORMULA.match(cell) else cell


def rows(document: Document):
    """The document's mentions in text order (entity order breaks ties)."""
    found = [(m.start, -m.end, n, e, m) for n, e in enumerate(document.entities) for m in e.mentions]
    found.sort(key=lambda r: r[:3])
    doc_id, source = escape(document.id or ''), escape(document.source or '')
    for _, _, _, entity, m in found:
        yield (doc_id, source, escape(entity.id), escape(entity.type), escape(entity.normal),
               escape(m.text), escape(m.normal), m.start, m.end, m.sentence, escape(links_cell(entity.links)),
               m.kind or '')


def role_rows(document: Document):
    """The phrases that give the people's roles, in text order: who, which
    title, of which org (its id and normal form, empty when not said), where."""
    names = {e.id: e.normal for e in document.entities}
    found = [(m.start, -m.end, n, e, r, m) for n, e in enumerate(document.entities)
             for r in e.roles or () for m in r.mentions]
    found.sort(key=lambda r: r[:3])
    doc_id, source = escape(document.id or ''), escape(document.source or '')
    for _, _, _, entity, role, m in found:
        yield (doc_id, source, escape(entity.id), escape(entity.normal), escape(role.title), escape(role.org or ''),
               escape(names.get(role.org or '', '')), escape(m.text), m.start, m.end)


def links_cell(links: dict[str, str] | None) -> str:
    """An entity's links as one cell: "iso3166=IR", "" when none."""
    return ';'.join('%s=%s' % item for item in sorted((links or {}).items()))


class MentionTable:
    """`with MentionTable(path) as table: table.add(doc)` writes PATH
    atomically (atomic.replacing): until the block ends without an error,
    readers see the old file (or none). `bom=True` starts the file with a
    UTF-8 BOM; `mode`: its permissions."""

    def __init__(self, path: str, bom: bool = False, mode: int | None = None):
        self.path = path
        self.encoding = 'utf-8-sig' if bom else 'utf-8'
        self.mode = mode
        self.stack = contextlib.ExitStack()

    def __enter__(self) -> Self:
        raw = self.stack.enter_context(atomic.replacing(self.path, self.mode))
        # newline='' lets the csv module write its own \r\n and keep line
        # breaks inside quoted fields intact.
        self.file = io.TextIOWrapper(raw, encoding=self.encoding, newline='')
        self.writer = csv.writer(self.file)
        self.writer.writerow(self.columns)
        return self

    columns: tuple[str, ...] = COLUMNS

    def add(self, document: Document) -> None:
        self.writer.writerows(rows(document))

    def __exit__(self, kind, error, trace) -> bool | None:
        if kind is None:
            self.file.flush()
        self.file.detach()            # the raw file is closed by atomic.replacing
        return self.stack.__exit__(kind, error, trace)


class RoleTable(MentionTable):
    """OUT/roles.csv as MentionTable writes mentions.csv: a row per role phrase."""
    columns = ROLE_COLUMNS

    def add(self, document: Document) -> None:
        self.writer.writerows(role_rows(document))
