"""Learns the attachment model of extractor/attachment.py from NEREL's
train split and writes models/roles/attachment.json.

    python scripts/learn_attachment.py ../shared/data/nerel/train [-o models/roles/attachment.json]

The pipeline runs on each train text with the patterns of roles.py alone;
the role phrases they give to nobody are the cases. Each (phrase, person
of the document) is a row of attachment.FEATURES, labelled 1 when NEREL
says the person WORKS_AS that phrase's profession. A logistic regression
(L2, Newton's method) learns the weights. The threshold of a choice is the
one that gives the best (person, role) pair F1 over the whole of train,
with every phrase scored by a model that did not see its document (five
folds by document), counted on top of the pairs the patterns find.

Only train is read: the dev split stays held out for `extractor evaluate`."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from extractor.attachment import FEATURES, Candidates
from extractor.corpora import read_brat
from extractor.evaluate import RoleCounts, overlap, score_roles
from extractor.pipeline import Extractor
from extractor.roles import Roles, load_titles

FOLDS = 5
L2 = 1.0


class Leftovers(Roles):
    """The patterns alone, keeping the phrases they give to nobody."""
    left: tuple = ()

    def attach(self, phrases, entities):
        self.left = super().attach(phrases, entities)
        return self.left


def cases(path: str):
    """Per document: (rows of features, labels, phrase index of each row), and the counts of the patterns."""
    extractor = Extractor(roles=None)            # its models loaded once, its morphology shared with the roles
    roles = extractor.roles = Leftovers(load_titles(), extractor.morph)
    counts = RoleCounts()
    docs = []
    for gold in read_brat(path):
        document = extractor(gold.text, id=gold.id)
        score_roles(counts, gold, document)
        people = Candidates(document.entities)
        rows, labels, phrase_of = [], [], []
        for k, phrase in enumerate(roles.left):
            if phrase.plural:
                continue                    # left to nobody (Attachment.choose)
            professions = [g for g in gold.roles or () if overlap((phrase.start, phrase.end), g.profession)]
            for person, values in people.features(phrase, roles.titles.share):
                rows.append(values)
                labels.append(any(overlap((m.start, m.end), g.person) for g in professions for m in person.mentions))
                phrase_of.append(k)
        docs.append((np.array(rows, dtype=float).reshape(-1, len(FEATURES)), np.array(labels, dtype=float),
                     np.array(phrase_of, dtype=int)))
    return docs, counts


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logistic regression weights, by Newton's method (the bias not penalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], L2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def best_choices(docs, weights_of) -> list[tuple[float, bool]]:
    """(score, right) of the best person of each phrase, by the weights for each document."""
    out = []
    for n, (x, y, phrase_of) in enumerate(docs):
        if not len(y):
            continue
        scores = 1 / (1 + np.exp(-x @ weights_of(n)))
        for k in np.unique(phrase_of):
            rows = np.flatnonzero(phrase_of == k)
            best = rows[np.argmax(scores[rows])]
            out.append((float(scores[best]), bool(y[best])))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('train')
    parser.add_argument('-o', '--output', default=str(Path(__file__).parent.parent / 'models/roles/attachment.json'))
    args = parser.parse_args()
    docs, counts = cases(args.train)
    fold = [n % FOLDS for n in range(len(docs))]
    fold_weights = []
    for f in range(FOLDS):
        train = [d for n, d in enumerate(docs) if fold[n] != f]
        fold_weights.append(fit(np.vstack([d[0] for d in train]), np.concatenate([d[1] for d in train])))
    held_out = best_choices(docs, lambda n: fold_weights[fold[n]])

    def f1(threshold: float) -> float:
        taken = [right for score, right in held_out if score >= threshold]
        hit_p, hit_g = counts.hit_p + sum(taken), counts.hit_g + sum(taken)
        p, r = hit_p / (counts.pred + len(taken)), hit_g / counts.gold
        return 2 * p * r / (p + r)

    threshold = max((t / 100 for t in range(5, 100)), key=f1)
    base = f1(2.0)
    weights = fit(np.vstack([d[0] for d in docs]), np.concatenate([d[1] for d in docs]))
    taken = [right for score, right in held_out if score >= threshold]
    with open(args.output, 'w', encoding='utf-8') as f:
        json.dump({'about': 'extractor/attachment.py: whose role a phrase is; learned from NEREL train '
                            '(github.com/nerel-ds/NEREL, CC BY 4.0) by scripts/learn_attachment.py',
                   'features': FEATURES, 'weights': [round(float(w), 6) for w in weights],
                   'threshold': threshold,
                   'train': {'phrases': len(held_out), 'rows': int(sum(len(d[1]) for d in docs)),
                             'pair_f1_patterns': round(base, 4), 'pair_f1_with_model_held_out': round(f1(threshold), 4),
                             'chosen_held_out': len(taken), 'right_held_out': int(sum(taken))}},
                  f, ensure_ascii=False, indent=1)
        f.write('\n')
    print('%d phrases left by the patterns; pair F1 on train %.4f -> %.4f (out of fold), threshold %.2f: '
          '%d chosen, %d right' % (len(held_out), base, f1(threshold), threshold, len(taken), sum(taken)))
    for name, w in zip(FEATURES, weights, strict=True):
        print('  %-20s %+.3f' % (name, w))


if __name__ == '__main__':
    main()
