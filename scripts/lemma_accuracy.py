"""Token lemma accuracy of the project's Morph against CoNLL-U gold.

    python scripts/lemma_accuracy.py [FILE.conllu ...]

Default files: ../shared/data/lemma-dev/*.conllu. Lemmas are compared in
lower case with ё read as е; PUNCT, NUM, SYM and X tokens are skipped.
Prints accuracy overall and per gold UD POS for each file, and the cost of
lemmatizing in µs per token (cold cache: every sentence seen once)."""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.morph import Morph

SKIP = frozenset({'PUNCT', 'NUM', 'SYM', 'X'})
DEFAULT = ROOT.parent / 'shared' / 'data' / 'lemma-dev'


def sentences(path: Path):
    """Lists of (word, lemma, pos) per sentence; multiword ranges skipped."""
    sent = []
    for line in path.open(encoding='utf-8'):
        line = line.rstrip('\n')
        if not line:
            if sent:
                yield sent
            sent = []
            continue
        if line.startswith('#'):
            continue
        cols = line.split('\t')
        if len(cols) < 4 or not cols[0].isdigit():
            continue
        sent.append((cols[1], cols[2], cols[3]))
    if sent:
        yield sent


def norm(lemma: str) -> str:
    return lemma.lower().replace('ё', 'е')


def evaluate(morph: Morph, path: Path, errors: Counter | None = None):
    total, hit = Counter(), Counter()
    tokens = 0
    elapsed = 0.0
    for sent in sentences(path):
        words = [w for w, _, _ in sent]
        t0 = time.perf_counter()
        analyses = morph.analyse_sentence(words)
        elapsed += time.perf_counter() - t0
        tokens += len(words)
        for (word, gold, pos), a in zip(sent, analyses):
            if pos in SKIP:
                continue
            ok = norm(a.lemma) == norm(gold)
            total[pos] += 1
            hit[pos] += ok
            if not ok and errors is not None:
                errors[(pos, word, a.lemma, gold)] += 1
    return total, hit, tokens, elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('files', nargs='*', type=Path)
    ap.add_argument('--errors', type=int, default=0, help='print the N most frequent errors')
    args = ap.parse_args()
    files = args.files or sorted(DEFAULT.glob('*.conllu'))
    for path in files:
        morph = Morph()                      # a fresh cache per file: honest cost
        errors: Counter = Counter()
        total, hit, tokens, elapsed = evaluate(morph, path, errors)
        n, h = sum(total.values()), sum(hit.values())
        print('%s: %.4f (%d/%d)  %.1f µs/token' % (path.name, h / n, h, n, elapsed / tokens * 1e6))
        for pos in sorted(total, key=lambda p: -total[p]):
            print('    %-6s %.4f  %5d' % (pos, hit[pos] / total[pos], total[pos]))
        for (pos, word, got, gold), c in errors.most_common(args.errors):
            print('    %3d %-6s %s -> %s | gold %s' % (c, pos, word, got, gold))


if __name__ == '__main__':
    main()
