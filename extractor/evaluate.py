"""Precision, recall and F1 of the pipeline against an annotated corpus.

Token level per type, as Natasha's naeval counts it (a token is a hit when
it lies inside a predicted and a gold span of the same type), and strict
spans (start, end and type equal). Where the corpus gives them, also the
normal-form accuracy on mentions found with exact bounds, and the B-cubed F1
of the grouping, and on a corpus that annotates who works as what (NEREL's
WORKS_AS), the (person, role) pairs (`score_roles`). Nested output is
flattened the way the corpus annotates (`flatten`): BSNLP, NEREL and our
JSONL keep the outermost mention of every kind; factRuEval keeps names only
and splits an ORG around the places inside it («МИД» + LOC «Литвы»); 'names'
is the outer view of names only. These are the shared scorer's views
(``/work/shared/tools/score.py``)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from razdel import tokenize

from .corpora import GoldDoc
from .document import TYPES, Document

TRIM = ' \t\n\r,.;:-–—«»"\'()'
VIEWS = {'factru': 'factru', 'bsnlp': 'outer', 'brat': 'outer', 'jsonl': 'outer'}


@dataclass(frozen=True)
class Predicted:
    start: int
    end: int
    type: str
    normal: str | None = None
    entity: str | None = None
    kind: str | None = None     # None or 'name' for a name; 'adjective', 'demonym', ... otherwise

    @property
    def is_name(self) -> bool:
        return self.kind in (None, 'name')


@dataclass
class Counts:
    """Hits among predictions, predictions, hits among gold, gold."""
    hit_p: int = 0
    pred: int = 0
    hit_g: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        self.hit_p += other.hit_p
        self.pred += other.pred
        self.hit_g += other.hit_g
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.hit_p / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.hit_g / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class RoleCounts(Counts):
    """Counts of (person, role) pairs, and of the found ones whose org is right."""
    org_right: int = 0
    with_workplace: int = 0        # found pairs whose gold names a workplace

    def lines(self) -> list[str]:
        return ['roles  pairs  %9.4f %9.4f %9.4f %7d %7d' % (self.precision, self.recall, self.f1, self.pred, self.gold),
                'roles: org right in %.4f of %d found pairs (%.4f of the %d whose gold names a workplace)'
                % (self.org_right / self.hit_g if self.hit_g else 0.0, self.hit_g,
                   self.org_right / self.with_workplace if self.with_workplace else 0.0, self.with_workplace)]


@dataclass
class Report:
    tokens: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})
    spans: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})
    norm_found: int = 0
    norm_hit: int = 0
    b3_p: float = 0.0
    b3_r: float = 0.0
    b3_n: int = 0
    roles: RoleCounts | None = None      # where the corpus annotates roles

    @property
    def norm_accuracy(self) -> float | None:
        return self.norm_hit / self.norm_found if self.norm_found else None

    @property
    def bcubed_f1(self) -> float | None:
        if not self.b3_n:
            return None
        p, r = self.b3_p / self.b3_n, self.b3_r / self.b3_n
        return 2 * p * r / (p + r) if p + r else 0.0

    @staticmethod
    def micro(counts: dict[str, Counts]) -> Counts:
        """The counts of all three types together."""
        total = Counts()
        for c in counts.values():
            total.add(c)
        return total

    def table(self) -> str:
        lines = ['%-6s %-6s %9s %9s %9s %7s %7s' % ('level', 'type', 'precision', 'recall', 'f1', 'pred', 'gold')]
        for level, counts in (('token', self.tokens), ('span', self.spans)):
            for name, c in [(t, counts[t]) for t in TYPES] + [('micro', self.micro(counts))]:
                lines.append('%-6s %-6s %9.4f %9.4f %9.4f %7d %7d'
                             % (level, name, c.precision, c.recall, c.f1, c.pred, c.gold))
        if self.norm_accuracy is not None:
            lines.append('normal form accuracy %.4f (%d mentions found with exact bounds)'
                         % (self.norm_accuracy, self.norm_found))
        if self.bcubed_f1 is not None:
            lines.append('grouping B-cubed F1 %.4f' % self.bcubed_f1)
        if self.roles is not None:
            lines += self.roles.lines()
        return '\n'.join(lines)


def inner(a: Predicted, b: Predicted) -> bool:
    """a lies inside b and is not b."""
    return b.start <= a.start and a.end <= b.end and (a.start, a.end) != (b.start, b.end)


def flatten(mentions: list[Predicted], view: str, text: str) -> list[Predicted]:
    """Nested mentions seen as a corpus annotates them: 'outer' (every kind),
    'factru' or 'names' (names only: factRuEval annotates no adjectives)."""
    if view in ('factru', 'names'):
        mentions = [m for m in mentions if m.is_name]
        view = 'outer' if view == 'names' else view
    if view not in ('outer', 'factru'):
        return mentions
    out = []
    for m in mentions:
        if any(inner(m, o) for o in mentions):
            continue
        kids = sorted((k for k in mentions if inner(k, m)), key=lambda k: k.start)
        if view == 'factru' and m.type == 'ORG' and kids and all(k.type == 'LOC' for k in kids):
            pos = m.start
            for k in kids + [Predicted(m.end, m.end, 'LOC')]:
                piece = text[pos:k.start]
                lead = len(piece) - len(piece.lstrip(TRIM))
                core = piece.strip(TRIM)
                if core:
                    out.append(Predicted(pos + lead, pos + lead + len(core), m.type, m.normal, m.entity, m.kind))
                pos = k.end
            out.extend(kids)
        else:
            out.append(m)
    return out


def token_types(tokens, spans: Sequence[tuple[int, int, str]]) -> list[str | None]:
    types: list[str | None] = [None] * len(tokens)
    spans = sorted(spans)
    j = 0
    for i, tok in enumerate(tokens):
        while j < len(spans) and spans[j][1] <= tok.start:
            j += 1
        k = j
        while k < len(spans) and spans[k][0] < tok.stop:
            if spans[k][0] <= tok.start and tok.stop <= spans[k][1]:
                types[i] = spans[k][2]
                break
            k += 1
    return types


def score_document(report: Report, doc: GoldDoc, predicted: list[Predicted], view: str) -> None:
    pred = flatten(predicted, view, doc.text)
    gold = [(s.start, s.end, s.type) for s in doc.spans if s.type in TYPES]
    pspans = [(m.start, m.end, m.type) for m in pred if m.type in TYPES]
    tokens = list(tokenize(doc.text))
    for g, p in zip(token_types(tokens, gold), token_types(tokens, pspans)):
        for t in set(TYPES) & {g, p}:
            c = report.tokens[t]
            c.pred += p == t
            c.hit_p += p == t and g == t
            c.gold += g == t
            c.hit_g += p == t and g == t
    gold_set, pred_set = set(gold), set(pspans)
    for t in TYPES:
        gold_spans = {s for s in gold_set if s[2] == t}
        pred_spans = {s for s in pred_set if s[2] == t}
        c = report.spans[t]
        c.pred += len(pred_spans)
        c.gold += len(gold_spans)
        c.hit_p += len(gold_spans & pred_spans)
        c.hit_g += len(gold_spans & pred_spans)
    by_bounds = {(m.start, m.end): m for m in pred}
    found = [(s, by_bounds[(s.start, s.end)]) for s in doc.spans if (s.start, s.end) in by_bounds]
    for s, m in found:
        # of names only: gold lemmas of adjectives follow no one rule («американские» stays)
        if s.normal is not None and m.is_name:
            report.norm_found += 1
            report.norm_hit += (m.normal or '') == s.normal
    clustered = [(s, m) for s, m in found if s.entity]
    gold_of: defaultdict[str | None, set[int]] = defaultdict(set)
    pred_of: defaultdict[str | None, set[int]] = defaultdict(set)
    for i, (s, m) in enumerate(clustered):
        gold_of[s.entity].add(i)
        pred_of[m.entity].add(i)
    for i, (s, m) in enumerate(clustered):
        gold_cluster, pred_cluster = gold_of[s.entity], pred_of[m.entity]
        report.b3_p += len(gold_cluster & pred_cluster) / len(pred_cluster)
        report.b3_r += len(gold_cluster & pred_cluster) / len(gold_cluster)
        report.b3_n += 1


def overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_roles(counts: RoleCounts, gold: GoldDoc, document: Document) -> None:
    """(person, role) pairs: a predicted pair is a person entity and one
    mention of one of its roles; it matches a gold pair (WORKS_AS) when one
    of the entity's mentions overlaps the gold person and the role mention
    overlaps the gold profession. The org of a found gold pair is right
    when the org entity of a matching role has a mention overlapping one of
    the pair's gold workplaces."""
    spans = {e.id: [(m.start, m.end) for m in e.mentions] for e in document.entities}
    predicted = [(spans[e.id], role.org, (m.start, m.end))
                 for e in document.entities for role in e.roles or () for m in role.mentions]
    truth = gold.roles or []

    def matches(pair, g) -> bool:
        person, _, mention = pair
        return overlap(mention, g.profession) and any(overlap(p, g.person) for p in person)

    counts.pred += len(predicted)
    counts.gold += len(truth)
    counts.hit_p += sum(any(matches(p, g) for g in truth) for p in predicted)
    for g in truth:
        found = [p for p in predicted if matches(p, g)]
        if not found:
            continue
        counts.hit_g += 1
        counts.with_workplace += bool(g.workplaces)
        counts.org_right += any(org is not None and any(overlap(s, w) for s in spans[org] for w in g.workplaces)
                                for _, org, _ in found)


def predicted_mentions(document) -> list[Predicted]:
    return [Predicted(m.start, m.end, e.type, m.normal, e.id, m.kind)
            for e in document.entities for m in e.mentions]


def evaluate_views(extractor, docs: Iterable[GoldDoc], views: Sequence[str], workers: int = 1) -> dict[str, Report]:
    """One run of the pipeline, scored under each view."""
    reports = {view: Report() for view in views}
    roles: RoleCounts | None = None
    docs = list(docs)
    results = extractor.pipe(((d.id, d.text) for d in docs), workers=workers)
    for doc, result in zip(docs, results):
        predicted = predicted_mentions(result)
        for view, report in reports.items():
            score_document(report, doc, predicted, view)
        if doc.roles is not None:
            if roles is None:       # the same in every view: counted once, shared by the reports
                roles = RoleCounts()
                for report in reports.values():
                    report.roles = roles
            score_roles(roles, doc, result)
    return reports


def evaluate(extractor, docs: Iterable[GoldDoc], view: str, workers: int = 1) -> Report:
    return evaluate_views(extractor, docs, [view], workers)[view]
