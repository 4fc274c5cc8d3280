"""Cross-document grouping measured on BSNLP topics: B-cubed over found mentions.

Each topic's documents are run through the Extractor and indexed as one
corpus (extractor.corpus). A found mention that overlaps a gold mention
(PER, LOC, ORG) takes that gold mention's entity id, which BSNLP shares
across the documents of a topic; B-cubed precision and recall compare the
corpus entities of those mentions with the gold ids. The baseline groups
the documents' entities by (type, normal form) instead.

    python scripts/corpus_bcubed.py [/work/shared/data/bsnlp-ru] [--cache DIR]

--cache keeps each topic's documents (JSON) so that a rerun skips the
extraction."""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter

from extractor.corpora import read_bsnlp
from extractor.corpus import index_documents
from extractor.document import from_json


def documents(topic_dir: str, cache: str | None):
    """(gold document, found document) pairs of a topic."""
    from extractor import Extractor
    ex = None
    for gold in read_bsnlp(topic_dir):
        path = os.path.join(cache, gold.id + '.json') if cache else None
        if path and os.path.exists(path):
            with open(path, 'rb') as f:
                doc = from_json(f.read())
        else:
            ex = ex or Extractor()
            doc = ex(gold.text)
            if path:
                os.makedirs(cache, exist_ok=True)
                with open(path, 'w', encoding='utf-8') as f:
                    f.write(doc.to_json())
        yield gold, doc


def bcubed(pairs: list[tuple[object, object]]) -> tuple[float, float, float]:
    """Precision, recall, F1 of (system cluster, gold cluster) per item."""
    both = Counter(pairs)
    system = Counter(s for s, _ in pairs)
    gold = Counter(g for _, g in pairs)
    n = len(pairs)
    if not n:
        return 0.0, 0.0, 0.0
    p = sum(c * c / system[s] for (s, _), c in both.items()) / n
    r = sum(c * c / gold[g] for (_, g), c in both.items()) / n
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def items(gold_docs, docs):
    """(document, entity id, gold id) for each found mention overlapping a gold mention."""
    for gold, doc in zip(gold_docs, docs):
        spans = sorted(gold.spans, key=lambda s: s.start)
        for e in doc.entities:
            for m in e.mentions:
                hit = next((s for s in spans if s.start < m.end and m.start < s.end), None)
                if hit is not None:
                    yield gold.id, e, hit.entity


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('data', nargs='?', default='/work/shared/data/bsnlp-ru')
    parser.add_argument('--cache')
    args = parser.parse_args(argv)
    topics = sorted(t for t in os.listdir(args.data) if os.path.isdir(os.path.join(args.data, t)))
    print('%-12s %6s %6s | %-20s | %-20s' % ('topic', 'docs', 'items', 'baseline P / R / F1', 'corpus P / R / F1'))
    totals: dict[str, list] = {'baseline': [], 'corpus': []}
    for topic in topics:
        cache = os.path.join(args.cache, topic) if args.cache else None
        pairs = list(documents(os.path.join(args.data, topic), cache))
        golds, docs = [g for g, _ in pairs], [d for _, d in pairs]
        of = {}
        for ce in index_documents((g.id, d) for g, d in pairs):
            for m in ce.members:
                of[m.document, m.entity] = ce.id
        found = list(items(golds, docs))
        base = [((e.type, e.normal), g) for _, e, g in found]
        mine = [(of[d, e.id], g) for d, e, g in found]
        totals['baseline'] += [((topic, s), (topic, g)) for s, g in base]
        totals['corpus'] += [((topic, s), (topic, g)) for s, g in mine]
        print('%-12s %6d %6d | %s | %s' % (topic, len(docs), len(found),
              ' / '.join('%.3f' % x for x in bcubed(base)), ' / '.join('%.3f' % x for x in bcubed(mine))))
        sys.stdout.flush()
    print('%-12s %6s %6d | %s | %s' % ('all', '', len(totals['corpus']),
          ' / '.join('%.3f' % x for x in bcubed(totals['baseline'])),
          ' / '.join('%.3f' % x for x in bcubed(totals['corpus']))))
    return 0


if __name__ == '__main__':
    sys.exit(main())
