"""How right the links are, on the project's gold of place mentions
(tests/data/place_links_gold.tsv: NEREL dev and BSNLP-ru mentions, each
with the links it should get, "-" none, "?" left out).

Each gold document is run through the Extractor; a gold mention takes the
links of the found entity one of whose mentions overlaps it (none when no
LOC entity does). Per scheme (iso3166, geonames) and for both together,
over (mention, scheme) pairs:

- right: of the pairs whose link exists in the gold, the share given that link;
- wrong: of the links given, the share that differ from the gold
  (a link given where the gold has none is wrong too).

    python scripts/link_accuracy.py [/work/shared/data] [--list]

--list prints the mentions missed or linked wrong."""
from __future__ import annotations

import argparse
import csv
import os
from collections import Counter
from pathlib import Path

from extractor import Extractor
from extractor.corpora import read_brat, read_bsnlp

GOLD = Path(__file__).resolve().parent.parent / 'tests' / 'data' / 'place_links_gold.tsv'
SCHEMES = ('iso3166', 'geonames')


def read_gold(path=GOLD) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding='utf-8').splitlines() if not line.startswith('#')]
    return [row for row in csv.DictReader(lines, delimiter='\t', quoting=csv.QUOTE_NONE) if row['links'] != '?']


def parse(cell: str) -> dict[str, str]:
    return dict(item.split('=', 1) for item in cell.split(';')) if cell != '-' else {}


def texts(data: str, wanted: set[str]) -> dict[str, str]:
    """The gold's documents: 'nerel-dev/ID' and 'bsnlp-ru/ID' → text."""
    out = {}
    for doc in read_brat(os.path.join(data, 'nerel', 'dev')):
        out['nerel-dev/' + doc.id] = doc.text
    for topic in sorted(os.listdir(os.path.join(data, 'bsnlp-ru'))):
        for doc in read_bsnlp(os.path.join(data, 'bsnlp-ru', topic)):
            out['bsnlp-ru/' + doc.id] = doc.text
    return {k: v for k, v in out.items() if k in wanted}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('data', nargs='?', default='/work/shared/data')
    parser.add_argument('--list', action='store_true')
    args = parser.parse_args()
    gold = read_gold()
    docs = texts(args.data, {row['document'] for row in gold})
    ex = Extractor()
    found = {name: ex(text) for name, text in docs.items()}
    counts: Counter = Counter()
    for row in gold:
        start, end = int(row['start']), int(row['end'])
        entity = next((e for e in found[row['document']].entities if e.type == 'LOC'
                       and any(m.start < end and start < m.end for m in e.mentions)), None)
        given = (entity.links if entity else None) or {}
        want = parse(row['links'])
        for scheme in SCHEMES:
            g, w = given.get(scheme), want.get(scheme)
            counts[scheme, 'linkable'] += w is not None
            counts[scheme, 'right'] += w is not None and g == w
            counts[scheme, 'found'] += w is not None and entity is not None
            counts[scheme, 'given'] += g is not None
            counts[scheme, 'wrong'] += g is not None and g != w
            if args.list and g != w:
                print('%s\t%s\t%s\t%s: gold %s, given %s\tfound %s' % (
                    row['document'], row['text'], row['place'], scheme, w, g, found_as(found[row['document']], start, end)))
    print('%d gold mentions in %d documents' % (len(gold), len(docs)))
    # found: the linkable pairs whose mention the extractor found as a place; right/found leaves its NER out
    print('%-10s %9s %7s %6s %6s %11s %6s %6s' % ('scheme', 'linkable', 'right', 'share', 'found', 'right/found',
                                                 'given', 'wrong'))
    for scheme in (*SCHEMES, 'all'):
        keys = SCHEMES if scheme == 'all' else (scheme,)
        c = {k: sum(counts[s, k] for s in keys) for k in ('linkable', 'right', 'found', 'given', 'wrong')}
        print('%-10s %9d %7d %6.3f %6d %11.3f %6d %6.3f' % (
            scheme, c['linkable'], c['right'], c['right'] / max(c['linkable'], 1), c['found'],
            c['right'] / max(c['found'], 1), c['given'], c['wrong'] / max(c['given'], 1)))


def found_as(doc, start: int, end: int) -> str:
    """What the extractor made of a gold mention: the type, normal form and
    kind of each found mention overlapping it ("-": none)."""
    seen = ['%s %s/%s' % (e.type, e.normal, m.kind or 'name') for e in doc.entities for m in e.mentions
            if m.start < end and start < m.end]
    return '; '.join(seen) or '-'


if __name__ == '__main__':
    main()
