"""Learns which nouns make a place's adjective and themselves one
organization («британского правительства», «российских властей»,
«американской армии») from NEREL's train split, and writes
models/links/bodies.tsv.

    python scripts/learn_bodies.py ../shared/data/nerel/train [-o models/links/bodies.tsv]

Every place adjective of the reference table (extractor/referents.py) written
in lower case and followed by a noun is an occurrence of that noun. NEREL
marks the pair as one ORGANIZATION («российских властей»), or the adjective
alone as a place («российских компаний»), or neither. A noun goes into the
table when the pair is an organization in at least MIN_COUNT occurrences and
in more than half of them: «власть» (30 of 37), «правительство» (13 of 13),
not «компания» (0 of 7), «СМИ» (0 of 22) or «спецслужба» (2 of 4). Each noun is written with
every form of it, so that the pipeline looks a word up without analysing it.

Only train is read: NEREL dev, BSNLP and factRuEval stay held out."""
from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

from extractor.corpora import read_brat
from extractor.morph import Morph
from extractor.referents import BODIES, lookup
from extractor.segment import segment

MIN_COUNT = 3
HEADER = """\
# noun (dictionary form)<TAB>pairs NEREL marks one organization<TAB>pairs it does not<TAB>every form of the noun
# A place's adjective and one of these nouns are one ORG («британского правительства»: mention.kind "body").
# Learned from NEREL v1.1 train (CC BY 4.0) by scripts/learn_bodies.py: kept where the pair is an
# ORGANIZATION in at least {min_count} occurrences and in more than half of them.
"""


def occurrences(train: str, morph: Morph) -> dict[str, Counter]:
    """noun lemma → Counter of 'org' / 'other' over its occurrences after a place adjective."""
    out: dict[str, Counter] = defaultdict(Counter)
    for doc in read_brat(train):
        orgs = {(s.start, s.end) for s in doc.spans if s.type == 'ORG'}
        for _, tokens in segment(doc.text):
            for adjective, noun in pairwise(tokens):
                ref = lookup(adjective.text)
                if ref is None or ref.kind != 'adjective' or not adjective.text[:1].islower():
                    continue
                analysis = morph.analyse(noun.text)
                if analysis.pos != 'NOUN':
                    continue
                whole = (adjective.start, noun.end) in orgs
                out[analysis.lemma.lower()]['org' if whole else 'other'] += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('train', help="NEREL's train directory")
    ap.add_argument('-o', '--output', type=Path,
                    default=Path(__file__).resolve().parent.parent / 'models' / 'links' / BODIES)
    args = ap.parse_args()
    morph = Morph()
    counts = occurrences(args.train, morph)
    kept = sorted(lemma for lemma, c in counts.items() if c['org'] >= MIN_COUNT and c['org'] > c['other'])
    with open(args.output, 'w', encoding='utf-8') as f:
        f.write(HEADER.format(min_count=MIN_COUNT))
        f.writelines('%s\t%d\t%d\t%s\n' % (lemma, counts[lemma]['org'], counts[lemma]['other'],
                                               ' '.join(morph.noun_forms(lemma))) for lemma in kept)
    for lemma in kept:
        print('%-16s %3d of %3d' % (lemma, counts[lemma]['org'], sum(counts[lemma].values())))


if __name__ == '__main__':
    main()
