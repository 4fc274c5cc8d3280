"""Documents as HTML pages: the text with its mentions highlighted beside the
list of entities, and an overview page of a batch.

Pages are Jinja2 templates (`templates/`) with autoescaping, so the text
shows as text whatever it holds. Each page is one self-contained file:
styles and the little script are inline, nothing is fetched.

In the text every mention is one `<mark class="mention">` element with
`data-entity` (the entity id), `data-type`, `data-normal` and, for a word
that refers without naming, `data-kind` (mention.kind); a mention
inside another («Литвы» in «МИД Литвы») is a `mark` inside the outer one.
A phrase that gives a person's role («Министр иностранных дел Ирана») is a
`<mark class="role">` with the person's `data-entity` and `data-title`.
Mentions that cross without nesting (none of the project's recognizers make
them, but a Document may hold them) are split: the later part of the cut
mention is a `<mark class="mention-part">`, so `.mention` counts mentions."""
from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import quote

import jinja2

from .document import TYPES, Document, Entity, Mention, Role, RoleMention

TYPE_NAMES = {'PER': 'person', 'LOC': 'place', 'ORG': 'organization'}

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader('extractor', 'templates'),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)


class Mark(NamedTuple):
    entity: Entity
    mention: Mention | RoleMention
    role: Role | None = None            # a phrase giving the entity's role, not a mention of it


class Piece(NamedTuple):
    """One step of the highlighted text: 'text', 'open' or 'close'."""
    kind: str
    text: str = ''
    mark: Mark | None = None
    part: bool = False          # an 'open' that continues a mention cut by a crossing one


def pieces(text: str, document: Document) -> Iterator[Piece]:
    """The text as plain runs and properly nested open/close steps."""
    marks = [Mark(e, m) for e in document.entities for m in e.mentions if m.end > m.start]
    marks += [Mark(e, m, r) for e in document.entities for r in e.roles or () for m in r.mentions if m.end > m.start]
    # a role phrase around the mentions it holds («Министр иностранных дел Ирана»)
    marks.sort(key=lambda k: (k.mention.start, -k.mention.end, k.role is None))
    bounds = sorted({0, len(text)} | {k.mention.start for k in marks} | {k.mention.end for k in marks})
    stack: list[Mark] = []
    position = 0
    following = 0
    for bound in bounds:
        if bound > position:
            yield Piece('text', text[position:bound])
            position = bound
        if any(k.mention.end == bound for k in stack):
            # Close down to the deepest mark ending here; reopen the ones
            # above it that go on (they cross it).
            reopen = []
            while any(k.mention.end == bound for k in stack):
                mark = stack.pop()
                yield Piece('close')
                if mark.mention.end != bound:
                    reopen.append(mark)
            for mark in reversed(reopen):
                yield Piece('open', mark=mark, part=True)
                stack.append(mark)
        while following < len(marks) and marks[following].mention.start == bound:
            mark = marks[following]
            yield Piece('open', mark=mark)
            stack.append(mark)
            following += 1


def name_parts(entity: Entity) -> list[tuple[str, str]]:
    return [(label, value) for label, value in
            (('first', entity.first), ('middle', entity.middle), ('last', entity.last)) if value]


def roles(entity: Entity, document: Document) -> list[tuple[str, str | None, int]]:
    """A person's roles: title, the normal form of its org (None: not said), how many phrases give it."""
    names = {e.id: e.normal for e in document.entities}
    return [(r.title, names.get(r.org) if r.org else None, len(r.mentions)) for r in entity.roles or ()]


def forms(entity: Entity) -> list[tuple[str, int]]:
    """The distinct mention texts of an entity with their counts, commonest first."""
    return Counter(m.text for m in entity.mentions).most_common()


def document_html(document: Document, text: str | None = None, index: str | None = None) -> str:
    """The page of one document. `text` defaults to `document.text`;
    `index`, when given, is the link back to the batch overview."""
    text = document.text if text is None else text
    if text is None:
        raise ValueError('the document has no text: pass the text it was extracted from')
    counts = Counter(e.type for e in document.entities)
    return _ENV.get_template('document.html').render(
        document=document,
        title=document.id or document.source or 'extractor',
        pieces=pieces(text, document),
        entities=document.entities,
        mentions=sum(len(e.mentions) for e in document.entities),
        counts=[(t, counts[t]) for t in TYPES],
        type_names=TYPE_NAMES,
        name_parts=name_parts,
        forms=forms,
        roles=lambda entity: roles(entity, document),
        index=index,
    )


def back_to_index(relative: str) -> str:
    """The link from the page at `relative` (under OUT) to OUT/index.html."""
    depth = relative.count('/')
    return '../' * depth + 'index.html'


@dataclass
class CorpusPages:
    """OUT/entities.html: a section per corpus entity (OUT/entities.jsonl)
    that two documents or more mention, with its names, links, the roles
    its documents give it and the documents, linked to their pages. The
    roles are gathered one document at a time (`add`): only the paged
    entities' members are kept, never a document."""
    entities: list                      # corpus.CorpusEntity, in the index's order
    pages: bool = False                 # the documents have .html pages to link to
    file: str = 'entities.html'         # its own name under OUT
    min_documents: int = 2              # who gets a section
    member_of: dict[tuple[str, str], int] = field(default_factory=dict)    # (document, entity id) → index
    roles: list[Counter] = field(default_factory=list)

    @classmethod
    def of(cls, corpus: Iterable, pages: bool, file: str, min_documents: int = 2) -> CorpusPages:
        found = cls([e for e in corpus if e.documents >= min_documents], pages, file, min_documents=min_documents)
        for k, entity in enumerate(found.entities):
            found.roles.append(Counter())
            for m in entity.members:
                found.member_of[m.document, m.entity] = k
        return found

    def add(self, name: str, document: Document) -> None:
        """The roles one document (`name`: as the index names it) gives the paged entities."""
        names = {e.id: e.normal for e in document.entities}
        for entity in document.entities:
            k = self.member_of.get((name, entity.id))
            if k is not None:
                for role in entity.roles or ():
                    self.roles[k][role.title, names.get(role.org) if role.org else None] += 1

    def href(self, entity) -> str | None:
        """The link from OUT/index.html to an entity's section, if it has one."""
        return '%s#%s' % (quote(self.file), entity.id) if entity.documents >= self.min_documents else None

    def html(self, title: str = 'extractor: entities across documents') -> str:
        return _ENV.get_template('entities.html').render(
            title=title,
            entities=[(e, sorted(self.roles[k].items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or '')),
                       [(name, quote(name + '.html') if self.pages else None)
                        for name in sorted({m.document for m in e.members})])
                      for k, e in enumerate(self.entities)],
            type_names=TYPE_NAMES,
        )


@dataclass
class Overview:
    """The batch overview, aggregated one document at a time: per document a
    row of counts; the top entities come from the corpus index (`corpus`:
    OUT/entities.jsonl's entities, `pages`: their sections, if written).
    No document is kept."""
    top: int = 100
    corpus: list = field(default_factory=list)          # corpus.CorpusEntity
    pages: CorpusPages | None = None
    rows: list[dict] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def add(self, document: Document, page: str | None) -> None:
        """`page`: the document's HTML page relative to OUT (POSIX path)."""
        counts = Counter(e.type for e in document.entities)
        self.rows.append({
            'id': document.id or document.source or '',
            'href': quote(page) if page else None,
            'counts': [counts[t] for t in TYPES],
            'entities': len(document.entities),
            'mentions': sum(len(e.mentions) for e in document.entities),
        })

    def fail(self, source: str, reason: str) -> None:
        self.failed.append((source, reason))

    def leaders(self) -> list[tuple[str, str, int, int, str | None]]:
        """(normal, type, documents, mentions, link to its section) of the
        top corpus entities: by number of documents, then of mentions, then
        by the index's order."""
        top = heapq.nsmallest(self.top, enumerate(self.corpus), key=lambda ke: (-ke[1].documents, -ke[1].mentions, ke[0]))
        return [(e.normal, e.type, e.documents, e.mentions, self.pages.href(e) if self.pages else None)
                for _, e in top]

    def html(self, title: str = 'extractor: batch overview') -> str:
        totals = [sum(r['counts'][i] for r in self.rows) for i in range(len(TYPES))]
        return _ENV.get_template('index.html').render(
            title=title,
            rows=self.rows,
            failed=self.failed,
            leaders=self.leaders(),
            distinct=len(self.corpus),
            totals=list(zip(TYPES, totals)),
            mentions=sum(r['mentions'] for r in self.rows),
            types=TYPES,
            type_names=TYPE_NAMES,
        )
