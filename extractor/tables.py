"""Mentions as a table: one CSV row per mention, written as documents come.

Columns: document (its id), entity (its id within the document), type,
normal (the entity's normal form), text (the mention as written),
mention_normal (the mention's own nominative form), start, end (code point
offsets, end exclusive), sentence (index of the mention's sentence)."""
from __future__ import annotations

import csv
import os
from typing import IO

from .document import Document

COLUMNS = ('document', 'entity', 'type', 'normal', 'text', 'mention_normal', 'start', 'end', 'sentence')


def rows(document: Document):
    """The document's mentions in text order (entity order breaks ties)."""
    found = [(m.start, -m.end, n, e, m) for n, e in enumerate(document.entities) for m in e.mentions]
    found.sort(key=lambda r: r[:3])
    for _, _, _, entity, m in found:
        yield (document.id or '', entity.id, entity.type, entity.normal, m.text, m.normal,
               m.start, m.end, m.sentence)


class MentionTable:
    """`with MentionTable(path) as table: table.add(doc)` writes PATH
    atomically: until the block ends without an error, readers see the old
    file (or none)."""

    def __init__(self, path: str):
        self.path = path
        self.tmp = os.path.join(os.path.dirname(path) or '.', '.%s.%d.tmp' % (os.path.basename(path), os.getpid()))
        self.file: IO[str] | None = None

    def __enter__(self) -> MentionTable:
        os.makedirs(os.path.dirname(self.path) or '.', exist_ok=True)
        # newline='' lets the csv module write its own \r\n and keep line
        # breaks inside quoted fields intact.
        self.file = open(self.tmp, 'w', encoding='utf-8', newline='')
        self.writer = csv.writer(self.file)
        self.writer.writerow(COLUMNS)
        return self

    def add(self, document: Document) -> None:
        self.writer.writerows(rows(document))

    def __exit__(self, kind, error, trace) -> None:
        assert self.file is not None
        self.file.close()
        if kind is None:
            os.replace(self.tmp, self.path)
        else:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
