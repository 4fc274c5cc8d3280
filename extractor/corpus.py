"""The entities of many documents grouped into the entities of a corpus.

Read one document at a time, each document's entities are first pooled
by (type, key of their normal form): «Трамп» in forty articles is one
*name*, kept as its counts and members only, never the documents. When
all are read, names are joined (a union of names is a corpus entity):

- Places and bodies: a name's key is its normal form in lower case, ё as
  е, a known alias for its head replaced by the alias group's key
  («Министерство иностранных дел России» and «МИД России» share
  «мид россии»; «РФ» and «Россия» share «россия»), a company's legal
  form left out («Uniper SE», «ПАО Газпром»). An abbreviation joins
  its expansion when both are names of the corpus and the expansion is the
  only one («ОБСЕ» ↔ «Организация по безопасности и сотрудничеству в
  Европе»); a known alias is never read as an abbreviation.
- People are joined more carefully than within a document, where a bare
  surname goes to the nearest full name: across documents a name joins a
  fuller one (resolve.person_fits: «Трамп», «Д. Трамп» → «Дональд Трамп»;
  «Владимир Путин» → «Владимир Владимирович Путин»), or one as full read
  another way (same_word: «Асии Биби» / «Асия Биби»), only when exactly
  one corpus entity fits it. Fuller names are joined first, so that by the
  time a bare «Клинтон» is looked at, «Билл Клинтон» and «Хиллари
  Клинтон» are two entities, and it joins neither: it stays an entity of
  its own (wrongly split, rather than wrongly merged).

The result does not depend on the order the documents come in: names are
compared in an order of their own (fullest first, then alphabetical), the
members are sorted by document and entity, and the ids (C1, C2...) go by
descending mentions, then type and name."""
from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import msgspec

from . import atomic
from .document import Document
from .links import code as place_code
from .resolve import (
    ALIASES,
    acronyms,
    alpha_words,
    as_cyrillic,
    country_tail,
    is_initial,
    key,
    name_length,
    person_fits,
    same_word,
)

__all__ = [
    'CorpusEntity',
    'Indexer',
    'Member',
    'index_bag',
    'index_documents',
    'index_folder',
    'index_outputs',
    'pool_outputs',
    'read_index',
    'read_outputs',
    'write_index',
]


class Member(msgspec.Struct, frozen=True, order=True):
    document: str        # the document's output path relative to OUT, without .json
    entity: str          # the entity's id in that document


class CorpusEntity(msgspec.Struct):
    """One line of OUT/entities.jsonl."""
    id: str
    type: str
    normal: str                      # the fullest name
    names: list[str]                 # the mentions' normal forms, most frequent first
    documents: int
    mentions: int
    links: dict[str, Any]
    members: list[Member]


# --- documents as the index reads them: only what matching needs ---

class _Mention(msgspec.Struct):
    normal: str
    kind: str | None = None       # a word that refers without naming: not one of the names


class _Entity(msgspec.Struct):
    id: str
    type: str
    normal: str
    mentions: list[_Mention]
    links: dict[str, Any] = {}       # not in every document (older outputs)


class _Document(msgspec.Struct):
    schema_version: int              # required: a JSON file that is not a document is not read
    entities: list[_Entity]


_decoder = msgspec.json.Decoder(_Document)


def _document_name(relative: str) -> str:
    """An output's path relative to OUT without .json, '/'-separated; bytes
    of a file name that are not UTF-8 written \\xNN (as a document's id)."""
    name = relative.removesuffix('.json').replace(os.sep, '/')
    return os.fsencode(name).decode('utf-8', 'backslashreplace')


def read_outputs(out_dir: str) -> Iterator[tuple[str, str]]:
    """(document, path) for every JSON output under `out_dir`, in name order;
    document is the path relative to `out_dir` without .json, '/'-separated."""
    found = []
    for top, dirs, files in os.walk(out_dir):
        dirs.sort()
        for name in files:
            if name.endswith('.json') and not name.startswith('.'):
                path = os.path.join(top, name)
                found.append((_document_name(os.path.relpath(path, out_dir)), path))
    return iter(sorted(found))


# --- names: documents' entities pooled by type and key ---

@dataclass
class _Name:
    type: str
    key: str
    spellings: Counter = field(default_factory=Counter)   # entity normal forms with this key, by documents
    names: Counter = field(default_factory=Counter)       # mention normal forms, by mentions (names only)
    mentions: int = 0                                     # every mention, names or not
    members: list[Member] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)

    @property
    def normal(self) -> str:
        return min(self.spellings.items(), key=lambda item: (-item[1], item[0]))[0]

    @property
    def words(self) -> list[str]:
        return alpha_words(self.normal.split())


def name_key(type: str, normal: str) -> str:
    """Lower case, ё as е, an organization's legal form left out («ПАО»,
    «SE»), and a known alias at the head of a place's or body's name
    replaced by its group's key («Министерство иностранных дел
    России» → «мид россии»), a body's country at its end by its code («мид
    iso:RU»); a place ISO 3166 links, its code."""
    k = key(normal)
    if type == 'PER':
        return k
    if type == 'LOC' and (code := place_code(normal)):     # «США» and «Америка» are one place
        return 'iso:' + code
    if type == 'ORG':
        # a company's legal form does not tell it apart («Uniper SE», «Блю Стрим
        # Пайплайн Компани Б. В.», «ПАО Газпром»)
        k = LEGAL_FORM_TAIL.sub('', LEGAL_FORM_HEAD.sub('', k)) or k
    words = k.split()
    for n in range(len(words), 0, -1):
        head = ' '.join(words[:n])
        if head in ALIASES:
            k = ' '.join([ALIASES[head], *words[n:]])
            break
    # a body's country by its code: «МИД Британии» and «МИД Великобритании» are one
    return country_tail(k) if type == 'ORG' else k


# Legal forms of companies, as a name key writes them (lower case): after
# the name (foreign ones, dots and spaces as written) or before it (Russian;
# and a news agency's «ИА», «ИА REGNUM» / «REGNUM»).
LEGAL_FORM_TAIL = re.compile(r'(?:,?\s+(?:ag|аг|se|sa|s\.\s?a|plc|ltd|inc|llc|gmbh|corp|n\.?\s?v|b\.?\s?v|б\.?\s?в)\.*)+$')
LEGAL_FORM_HEAD = re.compile(r'^(?:ооо|оао|зао|пао|ао|нао|иа)\s+(?=\S)')


class Indexer:
    """`add(document, entities)` for each document, then `entities()`."""

    def __init__(self) -> None:
        self.names: dict[tuple[str, str], _Name] = {}

    def add(self, document: str, entities: Iterable[Any]) -> None:
        """The entities of one document (Entity, or as read by read_outputs)."""
        for e in entities:
            k = (e.type, name_key(e.type, e.normal))
            name = self.names.get(k)
            if name is None:
                name = self.names[k] = _Name(e.type, k[1])
            name.spellings[e.normal] += 1
            # names only: «иранский» refers to Иран but is not a name of it
            name.names.update(m.normal for m in e.mentions if m.kind is None)
            name.mentions += len(e.mentions)
            name.members.append(Member(document, e.id))
            links = getattr(e, 'links', None)
            if links:
                name.links.append(dict(links))

    def merge(self, other: Indexer) -> None:
        """Pools another indexer's documents into this one's (a Dask reduce
        step): the same as if this one had been given them."""
        for k, theirs in other.names.items():
            name = self.names.get(k)
            if name is None:
                self.names[k] = name = _Name(theirs.type, theirs.key)
            name.spellings.update(theirs.spellings)
            name.names.update(theirs.names)
            name.mentions += theirs.mentions
            name.members += theirs.members
            name.links += theirs.links

    def add_file(self, document: str, path: str) -> None:
        with open(path, 'rb') as f:
            data = f.read()
        self.add(document, _decoder.decode(data).entities)

    def entities(self) -> list[CorpusEntity]:
        names = sorted(self.names.values(), key=lambda n: (n.type, n.key))
        groups = _Groups(len(names))
        join_people(groups, [(i, n) for i, n in enumerate(names) if n.type == 'PER'])
        others = [(i, n) for i, n in enumerate(names) if n.type != 'PER']
        join_spellings(groups, others)          # first: an abbreviation of two spellings of one name has one expansion
        join_abbreviations(groups, others)
        join_shortened(groups, others)
        pooled: dict[int, list[_Name]] = {}
        for i, n in enumerate(names):
            pooled.setdefault(groups.find(i), []).append(n)
        out = [_entity(group) for group in pooled.values()]
        out.sort(key=lambda e: (-e.mentions, e.type, e.normal, e.members[0]))
        for number, e in enumerate(out, 1):
            e.id = 'C%d' % number
        return out


def _entity(group: list[_Name]) -> CorpusEntity:
    members = sorted(m for n in group for m in n.members)
    names: Counter = Counter()
    spellings: Counter = Counter()
    for n in group:
        names.update(n.names)
        spellings.update(n.spellings)
    # the fullest name: most full words, then in most documents, then alphabetical
    normal = min(spellings, key=lambda s: (*(-x for x in name_length(s.split())), -spellings[s], s))
    return CorpusEntity(
        id='', type=group[0].type, normal=normal,
        names=[s for s, _ in sorted(names.items(), key=lambda item: (-item[1], item[0]))],
        documents=len({m.document for m in members}), mentions=sum(n.mentions for n in group),
        links=_links([found for n in group for found in n.links]), members=members)


def _links(found: list[dict[str, Any]]) -> dict[str, Any]:
    """Per kind of link, the value most members have (ties: the least in
    JSON order), so the order documents come in does not matter."""
    values: dict[str, Counter] = {}
    for one in found:
        for kind, value in one.items():
            values.setdefault(kind, Counter())[msgspec.json.encode(value)] += 1
    return {kind: msgspec.json.decode(min(c.items(), key=lambda item: (-item[1], item[0]))[0])
            for kind, c in sorted(values.items())}


class _Groups:
    """Union-find over the names' numbers; a group is named by its least number."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def close(a: str, b: str) -> bool:
    """One name in two spellings: read in two ways (same_word: «Захаров» /
    «Захарова») or transliterated two ways, one letter apart («Дэвис» /
    «Девис», «Раб» / «Рааб», «Хуссейн» / «Хусейн»)."""
    if same_word(a, b):
        return True
    a, b = key(a), key(b)
    if min(len(a), len(b)) < 3 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    n = 0
    while n < len(a) and a[n] == b[n]:
        n += 1
    # one letter changed, or one letter more in b
    return a[n + 1:] == b[n + 1:] if len(a) == len(b) else a[n:] == b[n + 1:]


def _shortened(a: str, b: str) -> bool:
    """`a` is `b` or its initial («Т.», «Дж.» for «Джереми»)."""
    letters = a.rstrip('.')
    return bool(letters) and (a.endswith('.') or is_initial(a)) and key(b).startswith(key(letters))


def person_matches(short: list[str], full: list[str]) -> bool:
    """`short` may name the person `full` names: it fits (person_fits), or
    it is as long, its surname one close to full's (close()) and each
    other word one close to full's, or its initial, or a name with the
    same initial («Азия Биби» / «Асия Биби»)."""
    if person_fits(short, full):
        return True
    if len(short) != len(full) or not close(short[-1], full[-1]):
        return False
    if len(short) == 1:
        return False                     # two spellings of a bare name: too little to go on
    exact = same_word(short[-1], full[-1])
    for a, b in zip(short[:-1], full[:-1]):
        if close(a, b) or _shortened(a, b) or _shortened(b, a):
            continue
        if exact and key(a)[:1] == key(b)[:1]:
            continue
        return False
    return True


def _compatible(a: list[str], b: list[str]) -> bool:
    """Two full names that may be one person's: first and last names match
    («Асия Норин Биби», «Асия (Азии) Биби»), so that a name fitting both is
    not ambiguous."""
    return len(a) > 1 and len(b) > 1 and person_matches([a[0], a[-1]], [b[0], b[-1]])


def person_words(normal: str) -> list[str]:
    """The words of a person's name; an initial written close up is a word
    of its own («Т.Мэй» → «Т.», «Мэй»)."""
    return alpha_words(re.findall(r'[^\s.]+\.?', normal))


def _person_buckets(words: list[str]) -> list[tuple[str, str]]:
    """Where a person's name is filed: by the first two letters of its
    surname (close() needs those in common but for a change in the first
    two letters), by its first word, and, a full name, by its first word
    and its surname's first letter, where a spelling that differs in the
    surname's second letter («Тереза Мей» / «Тереза Мэй») finds it."""
    if not words:
        return []
    buckets = [('last', key(words[-1])[:2]), ('first', key(words[0]))]
    if len(words) > 1:
        buckets.append(('named', key(words[0]) + ' ' + key(words[-1])[:1]))
    return buckets


def _person_lookup(words: list[str]) -> list[tuple[str, str]]:
    keys = [('last', key(words[-1])[:2])]
    if len(words) == 1:
        keys.append(('first', key(words[0])))
    else:
        keys.append(('named', key(words[0]) + ' ' + key(words[-1])[:1]))
    return keys


def join_people(groups: _Groups, people: list[tuple[int, _Name]]) -> None:
    """Each name, fullest first, joins the groups of fuller (or as full)
    names that it matches when there is one, or when they are all full
    names with the same first and last names (then they become one); it
    stays apart when it matches none, or people who differ («Клинтон»:
    «Билл Клинтон», «Хиллари Клинтон»)."""
    named = [(i, n, person_words(n.normal)) for i, n in people]
    named = [p for p in named if p[2]]
    named.sort(key=lambda p: (*(-x for x in name_length(p[2])), p[1].key))
    buckets: dict[tuple[str, str], list[tuple[int, list[str]]]] = {}
    rep: dict[int, list[str]] = {}       # per group: its fullest name
    order: dict[int, int] = {}           # per group: when it was made
    for i, _, words in named:
        seen: set[int] = set()
        fits = set()
        for b in _person_lookup(words):
            for j, other in buckets.get(b, ()):
                if j in seen:
                    continue
                seen.add(j)
                if person_matches(words, other) or (len(words) == len(other) == 1 and same_word(words[0], other[0])):
                    fits.add(groups.find(j))
        if fits and all(_compatible(rep[a], rep[b]) for a in fits for b in fits if a < b):
            for j in fits:
                groups.union(i, j)
            rep[groups.find(i)] = rep[min(fits, key=lambda j: order[j])]
        else:
            rep[i] = words
        order[groups.find(i)] = order.get(groups.find(i), len(order))
        for b in _person_buckets(words):
            buckets.setdefault(b, []).append((i, words))


def join_abbreviations(groups: _Groups, names: list[tuple[int, _Name]]) -> None:
    """«ОБСЕ» joins «Организация по безопасности и сотрудничеству в Европе»,
    «ФБР США» joins «Федеральное бюро расследований США», when that
    expansion is the only one among the names."""
    expansions: dict[tuple[str, str, tuple[str, ...]], set[int]] = {}
    for i, n in names:
        words = n.normal.split()
        for cut in range(2, len(words) + 1):
            for abbreviation in acronyms(words[:cut]):
                expansions.setdefault((n.type, abbreviation, tuple(key(w) for w in words[cut:])), set()).add(i)
    for i, n in names:
        words = n.normal.split()
        head = words[0] if words else ''
        if len(head) < 2 or not head.isupper() or key(head) in ALIASES:
            continue
        fits = {groups.find(j) for j in expansions.get((n.type, as_cyrillic(head), tuple(key(w) for w in words[1:])),
                                                        ())}
        if len(fits) == 1:
            groups.union(i, fits.pop())


def join_shortened(groups: _Groups, names: list[tuple[int, _Name]]) -> None:
    """A name without its tail joins the fuller ones that start with it
    («Верховный суд» → «Верховный суд Пакистана») when they are all one
    entity; with «Верховный суд США» there too, it stays apart. A tail that
    opens with a number names another thing («Nord Stream AG» is not
    «Nord Stream 2 AG»)."""
    heads: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for i, n in names:
        words = tuple(n.key.split())
        for cut in range(1, len(words)):
            if not words[cut][:1].isdigit():
                heads.setdefault((n.type, words[:cut]), []).append(i)
    for i, n in sorted(names, key=lambda p: (-len(p[1].key.split()), p[1].key)):
        fits = {groups.find(j) for j in heads.get((n.type, tuple(n.key.split())), ())}
        if len(fits) == 1:
            groups.union(i, fits.pop())


SPELLING_LETTERS = 7       # the shortest word that join_spellings lets differ


def join_spellings(groups: _Groups, names: list[tuple[int, _Name]]) -> None:
    """A name of two words or more joins those written a letter apart in
    one of its words, of seven letters or more («Техрик-э-Лабаик Пакистан»
    / «Техрик-э-Лабайк Пакистан», transliterated two ways), when they are
    all spellings of one another. A single word never does, nor a short
    one: «Иран» / «Ирак», «МВД Пакистана» / «МИД Пакистана», «посольство
    Гамбии» / «посольство Замбии» name two things."""
    # Words a letter apart (one changed, or one more) share the word or the
    # word less one letter: filed so, each finds its neighbours without a
    # scan of every name with the same other words («… России»: thousands).
    spelled: list[tuple[int, tuple, str]] = []
    near: dict[tuple[tuple, str], list[tuple[int, str]]] = {}
    for i, n in names:
        words = n.key.split()
        if len(words) < 2:
            continue
        for at, word in enumerate(words):
            if len(word) >= SPELLING_LETTERS:
                rest = (n.type, at, *words[:at], *words[at + 1:])
                spelled.append((i, rest, word))
                for less in _less_one_letter(word):
                    near.setdefault((rest, less), []).append((i, word))
    for i, rest, word in spelled:
        fits = {(j, other) for less in _less_one_letter(word) for j, other in near[rest, less]
                if other != word and close(word, other)}
        if fits and all(close(a, b) for _, a in fits for _, b in fits if a < b):
            for j, _ in fits:
                groups.union(i, j)


def _less_one_letter(word: str) -> set[str]:
    """The word, and the word with each of its letters left out."""
    return {word, *(word[:k] + word[k + 1:] for k in range(len(word)))}


# --- the library ---

def index_documents(documents: Iterable[tuple[str, Document]]) -> list[CorpusEntity]:
    """The corpus entities of (name, Document) pairs; the name is what
    members[].document says."""
    indexer = Indexer()
    for name, document in documents:
        indexer.add(name, document.entities)
    return indexer.entities()


def index_bag(bag):
    """The corpus index of a dask.bag of (name, Document) pairs, as a
    map-reduce on the cluster: each partition pools its documents' entities
    (Indexer.add), the pools are merged eight at a time, and the names are
    joined where the last merge ran. No document leaves its worker; what
    `.compute()` returns is the list of CorpusEntity, the same as
    index_documents over the same pairs.

        docs = extract_bag(db.from_sequence(items, npartitions=8))    # (id, text) items
        entities = index_bag(docs.map(lambda d: (d.id, d))).compute()
    """
    return bag.reduction(_pool_partition, _merge_pools, split_every=8).apply(Indexer.entities)


def _pool_partition(pairs: Iterable[tuple[str, Document]]) -> Indexer:
    indexer = Indexer()
    for name, document in pairs:
        indexer.add(name, document.entities)
    return indexer


def _merge_pools(pools: Iterable[Indexer]) -> Indexer:
    merged = Indexer()
    for pool in pools:
        merged.merge(pool)
    return merged


def index_folder(out_dir: str) -> list[CorpusEntity]:
    """The corpus entities of every JSON output under `out_dir` (a batch's
    OUT), read one at a time; files that are not documents are passed over."""
    indexer = Indexer()
    for name, path in read_outputs(out_dir):
        try:
            indexer.add_file(name, path)
        except (OSError, msgspec.DecodeError):
            continue
    return indexer.entities()


def read_index(path: str) -> Iterator[CorpusEntity]:
    """The entities of an entities.jsonl, one line at a time."""
    decoder = msgspec.json.Decoder(CorpusEntity)
    with open(path, 'rb') as f:
        for line in f:
            if line.strip():
                yield decoder.decode(line)


def index_outputs(out_dir: str, outputs: Iterable[str]) -> list[CorpusEntity]:
    """The corpus entities of these JSON outputs under `out_dir`, read one
    at a time; one that cannot be read (gone, or not a document) is left out."""
    return pool_outputs(out_dir, outputs).entities()


def pool_outputs(out_dir: str, outputs: Iterable[str]) -> Indexer:
    """These JSON outputs pooled into an Indexer (the map step of a batch's
    index: pools of parts of OUT are merged with Indexer.merge)."""
    indexer = Indexer()
    for path in outputs:
        try:
            indexer.add_file(_document_name(os.path.relpath(path, out_dir)), path)
        except (OSError, msgspec.DecodeError):
            continue
    return indexer


def encode(entities: Iterable[CorpusEntity]) -> bytes:
    """The lines of entities.jsonl."""
    return b''.join(msgspec.json.encode(e) + b'\n' for e in entities)


def write_index(path: str, entities: Iterable[CorpusEntity], mode: int | None = None) -> None:
    """entities.jsonl, whole or not at all."""
    atomic.write(path, lambda f: f.writelines(msgspec.json.encode(e) + b'\n' for e in entities), mode)
