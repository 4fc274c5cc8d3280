"""Readers of annotated corpora that users bring, mapped to PER / LOC / ORG.

Every reader is a generator of ``GoldDoc(id, text, spans)``; span offsets are
character offsets into ``text`` (``end`` exclusive). The mapping of each
format to the three types follows Natasha's naeval (the same as the
evaluation harness' reference readers):

* factRuEval-2016 (dir of ``.txt`` / ``.spans`` / ``.objects``): Person → PER
  from its first to its last span; Org → ORG (its org_name spans); Location
  and LocOrg → LOC (their loc_name spans). ``org_places=True`` instead joins
  an org name with the places of the same Org object written right next to
  it («Конгресса» + «США» → ORG «Конгресса США»), the outer convention of
  BSNLP and NEREL.
* BSNLP / SlavicNER (dir of ``.txt`` / ``.tsv``, searched recursively):
  PER, LOC, ORG kept with lemma (``normal``) and entity id; PRO, EVT dropped.
* brat standoff (``.txt`` / ``.ann``) with a type mapping, NEREL's by default;
  NEREL's WORKS_AS relations (PERSON → PROFESSION) also give ``roles``, with
  the WORKPLACE targets of the profession or the person.
* JSONL: one object a line, ``{"id", "text", "entities": [{"start", "end",
  "type", "normal"}]}``.

Overlapping spans are resolved as in the reference: the earliest, then the
longest span of an overlapping group is kept (the flat, outer view).
"""
import glob
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .document import TYPES


@dataclass
class GoldSpan:
    start: int
    end: int
    type: str
    normal: str | None = None   # base form, where the corpus gives one
    entity: str | None = None   # entity id (cluster), where given


@dataclass
class GoldRole:
    """A person and a profession the corpus says they have (offsets of both
    spans), and where the profession or the person works."""
    person: tuple[int, int]
    profession: tuple[int, int]
    workplaces: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class GoldDoc:
    id: str
    text: str
    spans: list = field(default_factory=list)
    roles: list[GoldRole] | None = None     # None: the corpus does not annotate roles


def _read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def drop_overlaps(spans):
    """Keep the earliest, then longest span of each overlapping group."""
    out, last = [], None
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if last is not None and last.end > s.start:
            continue
        out.append(s)
        last = s
    return out


# --- factRuEval-2016 ------------------------------------------------------

def _factru_lines(path):
    with open(path, encoding='utf-8') as f:
        for line in f:
            parts = line.split('#')[0].split()
            if parts:
                yield parts


def _join_org_places(text, parts):
    """Org object parts (type, start, end) → ORG spans in outer convention:
    runs of org_name and loc_name spans separated by whitespace only, that
    hold at least one org_name."""
    parts = sorted((p for p in parts if p[0] in ('org_name', 'loc_name')),
                   key=lambda p: (p[1], -p[2]))
    runs: list[dict] = []
    for p in parts:
        if runs:
            run = runs[-1]
            if p[1] < run['end']:            # nested or overlapping: absorb
                run['end'] = max(run['end'], p[2])
                run['org'] |= p[0] == 'org_name'
                continue
            if not text[run['end']:p[1]].strip():
                run['end'] = p[2]
                run['org'] |= p[0] == 'org_name'
                continue
        runs.append({'start': p[1], 'end': p[2], 'org': p[0] == 'org_name'})
    return [GoldSpan(r['start'], r['end'], 'ORG') for r in runs if r['org']]


def read_factru(path, org_places=False) -> Iterator[GoldDoc]:
    for txt in sorted(glob.glob(os.path.join(path, '*.txt'))):
        base = txt[:-4]
        if not os.path.exists(base + '.objects') or not os.path.exists(base + '.spans'):
            continue
        text = _read(txt)
        spans = {}
        for line in _factru_lines(base + '.spans'):
            sid, stype, start, size = line[0], line[1], int(line[2]), int(line[3])
            spans[sid] = (stype, start, start + size)
        gold = []
        for line in _factru_lines(base + '.objects'):
            otype, ids = line[1], line[2:]
            parts = [spans[i] for i in ids if i in spans]
            if not parts:
                continue
            if otype == 'Person':
                gold.append(GoldSpan(min(p[1] for p in parts), max(p[2] for p in parts), 'PER'))
            elif otype == 'Org':
                if org_places:
                    gold.extend(drop_overlaps(_join_org_places(text, parts)))
                else:
                    names = [GoldSpan(p[1], p[2], 'ORG') for p in parts if p[0] == 'org_name']
                    gold.extend(drop_overlaps(names))
            elif otype in ('LocOrg', 'Location'):
                names = [GoldSpan(p[1], p[2], 'LOC') for p in parts if p[0] == 'loc_name']
                gold.extend(drop_overlaps(names))
        yield GoldDoc(os.path.basename(base), text, drop_overlaps(gold))


# --- BSNLP / SlavicNER ----------------------------------------------------

BSNLP_TYPES = {'PER': 'PER', 'LOC': 'LOC', 'ORG': 'ORG'}


def read_bsnlp(path, types=BSNLP_TYPES) -> Iterator[GoldDoc]:
    for txt in sorted(glob.glob(os.path.join(path, '**', '*.txt'), recursive=True)):
        tsv = txt[:-4] + '.tsv'
        if not os.path.exists(tsv):
            continue
        text = _read(txt)
        gold = []
        with open(tsv, encoding='utf-8') as f:
            for line in f:
                parts = line.rstrip('\n').split('\t')
                if len(parts) < 6:
                    continue
                first, last, mention, lemma, type, eid = parts[:6]
                if type not in types:
                    continue
                start, stop = int(first), int(last)
                if text[start:stop] != mention:
                    continue  # misaligned annotation: skip rather than guess
                gold.append(GoldSpan(start, stop, types[type], lemma, eid))
        rel = os.path.relpath(txt, path)[:-4]
        yield GoldDoc(rel.replace(os.sep, '__'), text, drop_overlaps(gold))


# --- brat standoff (NEREL) ------------------------------------------------

NEREL_TYPES = {
    'PERSON': 'PER',
    'ORGANIZATION': 'ORG',
    'COUNTRY': 'LOC', 'CITY': 'LOC', 'LOCATION': 'LOC', 'DISTRICT': 'LOC',
    # NEREL's files write STATE_OR_PROVINCE; STATE_OR_PROV is the short name
    # some tools use. Both are places.
    'STATE_OR_PROVINCE': 'LOC', 'STATE_OR_PROV': 'LOC',
}


@dataclass
class BratSpan:
    type: str
    start: int           # a discontinuous span (``start stop;start stop``) from its first start
    stop: int            # to its last stop
    text: str


@dataclass
class BratAnnotations:
    """What one .ann file says: its T lines by id, its relations (kind,
    arg1, arg2) and its references (span id, item: «Wikidata:Q399»), in
    file order."""
    spans: dict[str, BratSpan] = field(default_factory=dict)
    relations: list[tuple[str, str, str]] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)


def read_ann(path) -> BratAnnotations:
    out = BratAnnotations()
    with open(path, encoding='utf-8') as f:
        for line in f:
            cols = line.rstrip('\n').split('\t')
            if len(cols) < 2:
                continue
            if cols[0].startswith('T'):
                type, *offsets = cols[1].split(' ', 1)
                if not offsets:
                    continue
                ranges = offsets[0].split(';')
                out.spans[cols[0]] = BratSpan(type, int(ranges[0].split()[0]), int(ranges[-1].split()[-1]),
                                              cols[2] if len(cols) > 2 else '')
            elif cols[0].startswith('R'):
                parts = cols[1].split()
                if len(parts) == 3 and parts[1].startswith('Arg1:') and parts[2].startswith('Arg2:'):
                    out.relations.append((parts[0], parts[1][5:], parts[2][5:]))
            elif cols[0].startswith('N'):
                parts = cols[1].split()
                if len(parts) >= 3 and parts[0] == 'Reference':
                    out.references.append((parts[1], parts[2]))
    return out


def read_brat(path, types=NEREL_TYPES) -> Iterator[GoldDoc]:
    """A dir of brat .ann/.txt pairs (not recursive). Discontinuous spans
    (``start stop;start stop``) become one span from the first start to the
    last stop. Wikidata references (N lines) give ``entity``."""
    for ann in sorted(glob.glob(os.path.join(path, '*.ann'))):
        txt = ann[:-4] + '.txt'
        if not os.path.exists(txt):
            continue
        text = _read(txt)
        found = read_ann(ann)
        refs: dict[str, str] = {}
        for span_id, item in found.references:
            refs.setdefault(span_id, item)
        gold = [GoldSpan(s.start, s.stop, types[s.type], entity=refs.get(span_id))
                for span_id, s in found.spans.items() if s.type in types]
        yield GoldDoc(os.path.basename(ann)[:-4], text, drop_overlaps(gold),
                      brat_roles(found.spans, found.relations))


def brat_roles(spans: dict[str, BratSpan], relations: list[tuple[str, str, str]]) -> list[GoldRole]:
    """NEREL's WORKS_AS pairs, each with the WORKPLACE targets of its profession and its person."""
    workplaces: dict[str, list[tuple[int, int]]] = {}
    for kind, source, target in relations:
        if kind == 'WORKPLACE' and target in spans:
            workplaces.setdefault(source, []).append((spans[target].start, spans[target].stop))
    roles = []
    for kind, person, profession in relations:
        if kind != 'WORKS_AS' or person not in spans or profession not in spans:
            continue
        if spans[person].type != 'PERSON' or spans[profession].type != 'PROFESSION':
            continue
        roles.append(GoldRole((spans[person].start, spans[person].stop),
                              (spans[profession].start, spans[profession].stop),
                              workplaces.get(profession, []) + workplaces.get(person, [])))
    return roles


# --- JSONL ----------------------------------------------------------------

def read_jsonl(path) -> Iterator[GoldDoc]:
    """One JSON object a line: {"id", "text", "entities": [{"start", "end",
    "type", "normal"}]}; types outside PER/LOC/ORG are dropped."""
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            data = json.loads(line)
            gold = [GoldSpan(int(e['start']), int(e['end']), e['type'],
                             e.get('normal'), e.get('entity'))
                    for e in data.get('entities', []) if e.get('type') in TYPES]
            yield GoldDoc(str(data.get('id', number)), data['text'], drop_overlaps(gold))


READERS: dict[str, Callable[..., Iterator[GoldDoc]]] = {
    'factru': read_factru,
    'bsnlp': read_bsnlp,
    'brat': read_brat,
    'jsonl': read_jsonl,
}
