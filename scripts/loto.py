"""Leave-one-topic-out: the NER pack trained on three BSNLP topics, the whole
pipeline scored on the fourth, for each topic in turn.

Each fold trains with the shipped recipe (models/ner/MODEL_CARD.md): the 92
factRuEval training docs ×3, the BSNLP topics other than the held-out one,
NEREL train; 5 epochs, lr 1e-3, blend 0.85. Then
``extractor.Extractor(ner_model=PACK)`` runs over the held-out topic, over
NEREL dev and over the 30 held-out factRuEval docs (both held out from every
fold: their rows are the mean ± sd over the folds' packs). Scored with
extractor/evaluate.py in the shared scorer's views: BSNLP and NEREL in
'outer' (every kind of mention) and 'names' (names only), factRuEval in
'factru'.

    python scripts/loto.py [--seeds 1 2 3] [--folds ryanair] [--reuse] [--json loto.json]
    python scripts/loto.py --ner-model models/ner/slovnet_ner_extractor_v1.tar
    python scripts/loto.py --from-json loto.json      # the table again, without running

Packs are cached in --cache under a key of the recipe, the fold, the seed and
the training code; --reuse takes a cached pack instead of training again (a
rules-only change needs no retraining).
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(os.path.dirname(ROOT), 'shared', 'data')
# The shipped recipe (MODEL_CARD.md); training.cli's defaults give the rest.
RECIPE = {'factru_weight': 3, 'epochs': 5, 'lr': 1e-3, 'blend': 0.85, 'batch_size': 32}
COLS = ('tok_PER', 'tok_LOC', 'tok_ORG', 'span_micro', 'norm_acc', 'bcubed_f1')
# The code whose change changes a trained pack: the training package and the readers;
# v2's module (and the runtime's suffix function it imports) only for v2 packs.
CODE = ['extractor/corpora.py'] + sorted(os.path.relpath(p, ROOT) for p in
                                         glob.glob(os.path.join(ROOT, 'extractor', 'training', '*.py')))
V2_ONLY = ['extractor/training/v2.py', 'extractor/ner/slovnet.py']


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def stems(path: str, needs: tuple[str, ...]) -> list[str]:
    """Doc names (file names less .txt) in byte order, of the docs that have every file of `needs`."""
    out = []
    for txt in sorted(glob.glob(os.path.join(path, '*.txt'))):
        base = txt[:-4]
        if all(os.path.exists(base + ext) for ext in needs):
            out.append(os.path.basename(base))
    return out


def link_docs(src: str, names: list[str], dst: str, exts: tuple[str, ...]) -> str:
    """A dir of symlinks to these docs' files."""
    os.makedirs(dst, exist_ok=True)
    for name in names:
        for ext in exts:
            os.symlink(os.path.join(os.path.abspath(src), name + ext), os.path.join(dst, name + ext))
    return dst


def factru_split(path: str) -> tuple[list[str], list[str]]:
    """MODEL_CARD's split: in byte order, every 4th doc from the 4th is held out (30 of 122)."""
    names = stems(path, ('.spans', '.objects'))
    return [n for i, n in enumerate(names) if i % 4 != 3], [n for i, n in enumerate(names) if i % 4 == 3]


class Splits:
    """The dirs of one run, as symlinks under `tmp`; `docs` keeps the first N
    docs of each corpus (smoke tests, quick looks)."""
    FACTRU = ('.txt', '.spans', '.objects')
    BSNLP = ('.txt', '.tsv')
    BRAT = ('.txt', '.ann')

    def __init__(self, data: str, tmp: str, docs: int | None):
        self.data, self.tmp, self.docs = data, tmp, docs
        self.made: dict[str, str] = {}       # each dir is linked once, then reused
        self.topics = sorted(d for d in os.listdir(os.path.join(data, 'bsnlp-ru'))
                             if os.path.isdir(os.path.join(data, 'bsnlp-ru', d)))
        train, test = factru_split(os.path.join(data, 'factru-dev'))
        self.factru_train = self._link('factru-dev', train, 'factru-train', self.FACTRU)
        self.factru_test = self._link('factru-dev', test, 'factru-test', self.FACTRU)
        self.nerel_train = self._subset(os.path.join('nerel', 'train'), self.BRAT)
        self.nerel_dev = self._subset(os.path.join('nerel', 'dev'), self.BRAT)

    def _link(self, src: str, names: list[str], dst: str, exts: tuple[str, ...]) -> str:
        return link_docs(os.path.join(self.data, src), names[:self.docs], os.path.join(self.tmp, dst), exts)

    def _subset(self, src: str, exts: tuple[str, ...]) -> str:
        if self.docs is None:
            return os.path.join(self.data, src)
        if src not in self.made:
            names = stems(os.path.join(self.data, src), exts[1:])
            self.made[src] = self._link(src, names, src.replace(os.sep, '-'), exts)
        return self.made[src]

    def topic(self, topic: str) -> str:
        return self._subset(os.path.join('bsnlp-ru', topic), self.BSNLP)

    def bsnlp_train(self, held_out: str | None) -> str:
        """A dir holding the topics other than `held_out` (the reader searches it recursively)."""
        dst = os.path.join(self.tmp, 'bsnlp-without-%s' % held_out)
        if dst in self.made:
            return dst
        self.made[dst] = dst
        os.makedirs(dst)
        for t in self.topics:
            if t != held_out:
                os.symlink(os.path.abspath(self.topic(t)), os.path.join(dst, t))
        return dst


def code_sha(arch: str = 'v1') -> str:
    h = hashlib.sha256()
    for rel in [r for r in CODE if r not in V2_ONLY] if arch == 'v1' else sorted(set(CODE + V2_ONLY)):
        with open(os.path.join(ROOT, rel), 'rb') as f:
            h.update(rel.encode() + b'\0' + f.read())
    return h.hexdigest()


def pack_key(held_out: str, train_topics: list[str], seed: int, args) -> dict:
    key = {'recipe': RECIPE, 'held_out': held_out, 'train_topics': train_topics, 'seed': seed,
           'docs': args.docs, 'max_steps': args.max_steps, 'epochs': args.epochs,
           'data': os.path.abspath(args.data), 'code': code_sha(args.arch)}
    if args.arch != 'v1':                  # v1's keys stay those of before there was a choice
        key['arch'] = args.arch
    return key


def train_pack(splits: Splits, held_out: str, seed: int, args) -> tuple[str, float, bool]:
    """(pack path, training seconds, whether it came from the cache)."""
    key = pack_key(held_out, [t for t in splits.topics if t != held_out], seed, args)
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:12]
    arch = '' if args.arch == 'v1' else args.arch + '-'
    path = os.path.join(args.cache, '%s%s-s%d-%s.tar' % (arch, held_out, seed, digest))
    meta = path[:-4] + '.json'
    if args.reuse and os.path.exists(path) and os.path.exists(meta):
        with open(meta, encoding='utf-8') as f:
            return path, json.load(f)['train_s'], True
    from extractor.training.cli import main as train
    os.makedirs(args.cache, exist_ok=True)
    argv = ['--data', 'factru:%s:%g' % (splits.factru_train, RECIPE['factru_weight']),
            '--bsnlp', splits.bsnlp_train(held_out), '--brat', splits.nerel_train,
            '--epochs', str(args.epochs), '--lr', str(RECIPE['lr']), '--blend', str(RECIPE['blend']),
            '--batch-size', str(args.batch_size or RECIPE['batch_size']),
            '--seed', str(seed), '--threads', str(args.threads), '--arch', args.arch, '-q', '-o', path + '.part']
    if args.max_steps:
        argv += ['--max-steps', str(args.max_steps)]
    t0 = time.perf_counter()
    if train(argv) != 0:
        raise SystemExit('training without %s failed' % held_out)
    seconds = time.perf_counter() - t0
    os.replace(path + '.part', path)       # a killed run leaves no half pack under the real name
    with open(meta, 'w', encoding='utf-8') as f:
        json.dump(dict(key, train_s=round(seconds, 1), argv=argv), f, ensure_ascii=False, indent=1)
    return path, seconds, False


def metrics(report) -> dict:
    from extractor.evaluate import Report
    out: dict = {'tok_%s' % t: c.f1 for t, c in report.tokens.items()}
    out['span_micro'] = Report.micro(report.spans).f1
    if report.norm_accuracy is not None:
        out['norm_acc'] = report.norm_accuracy
    if report.bcubed_f1 is not None:
        out['bcubed_f1'] = report.bcubed_f1
    out['counts'] = {level: {t: [c.hit_p, c.pred, c.hit_g, c.gold] for t, c in counts.items()}
                     for level, counts in (('token', report.tokens), ('span', report.spans))}
    return out


def score(pack: str, sets: list[tuple[str, str, str, tuple[str, ...]]], workers: int) -> list[dict]:
    """sets: (name, reader, dir, views). One row per set and view."""
    from extractor import Extractor
    from extractor.corpora import READERS
    from extractor.evaluate import evaluate_views
    extractor = Extractor(ner_model=pack)
    rows: list[dict] = []
    for name, reader, path, views in sets:
        docs = list(READERS[reader](path))
        reports = evaluate_views(extractor, docs, views, workers)
        rows.extend({'set': name, 'view': v, 'docs': len(docs), **metrics(r)} for v, r in reports.items())
    return rows


def cell(values: list[float]) -> str:
    if not values:
        return '-'
    if len(values) == 1:
        return '%.4f' % values[0]
    return '%.4f ± %.4f' % (statistics.mean(values), statistics.stdev(values))


def table(rows: list[dict], folds: list[str], trained: bool) -> str:
    """Markdown: per fold the held-out topic, NEREL dev and factRuEval under
    that fold's pack, then the means over folds (± sd over folds and seeds)."""
    def pick(**where):
        return [r for r in rows if all(r.get(k) == v for k, v in where.items())]

    def line(label, view, group):
        cells = [cell([r[c] for r in group if c in r]) for c in COLS]
        return '| %s | %s | %d | %s |' % (label, view, len(group), ' | '.join(cells))

    # runs: how many scores (folds × seeds) a cell is the mean of
    out = ['| set | view | runs | %s |' % ' | '.join(COLS), '|---|---|---|%s' % ('---|' * len(COLS))]
    names = list(dict.fromkeys(r['set'] for r in rows))
    views = {n: list(dict.fromkeys(r['view'] for r in rows if r['set'] == n)) for n in names}
    topics = [n for n in names if n.startswith('bsnlp ')]
    for name in topics:
        topic = name.split()[1]
        for view in views[name]:
            if trained:
                out.append(line('%s (held out)' % name, view, pick(set=name, view=view, fold=topic)))
            else:
                out.append(line('%s (pack given)' % name, view, pick(set=name, view=view)))
    for view in dict.fromkeys(v for n in topics for v in views[n]):
        group = [r for r in rows if r['set'] in topics and r['view'] == view
                 and (not trained or r['set'] == 'bsnlp ' + r['fold'])]
        out.append(line('**bsnlp held-out topic, mean of folds**' if trained else '**bsnlp, mean of topics**',
                        view, group))
    for name in names:
        if name in topics:
            continue
        for fold in folds if trained else []:
            for view in views[name]:
                out.append(line('%s, pack without %s' % (name, fold), view, pick(set=name, view=view, fold=fold)))
        for view in views[name]:
            out.append(line('**%s, mean**' % name if trained else name, view, pick(set=name, view=view)))
    return '\n'.join(out)


def result(args, argv, rows: list[dict], runs: list[dict], seconds: float) -> dict:
    return {'argv': sys.argv[1:] if argv is None else argv, 'recipe': RECIPE, 'arch': args.arch,
            'data': os.path.abspath(args.data),
            'docs': args.docs, 'ner_model': args.ner_model, 'seeds': args.seeds, 'total_s': round(seconds, 1),
            'runs': runs, 'rows': rows}


def print_report(result: dict) -> None:
    """The table and its notes, from the numbers main() keeps (or --json wrote)."""
    trained = not result.get('ner_model')
    folds = list(dict.fromkeys(r['fold'] for r in result['runs'] if 'fold' in r))
    if not trained:
        folds = [r['set'].split()[1] for r in result['rows'] if r['set'].startswith('bsnlp ')]
    print('Leave-one-topic-out, %s; data %s%s' % (
        'pack %s' % result['ner_model'] if not trained else 'recipe %s, arch %s, seeds %s' % (
            json.dumps(result['recipe']), result.get('arch', 'v1'), ' '.join(map(str, result.get('seeds', [1])))),
        result.get('data', '?'), ', first %d docs of each corpus' % result['docs'] if result.get('docs') else ''))
    print()
    print(table(result['rows'], list(dict.fromkeys(folds)), trained))
    print()
    print('Token F1 per type, strict span micro F1, normal-form accuracy (names found with exact bounds), '
          'B-cubed F1 of the grouping; mean ± sd where several runs. View outer: every kind of mention; '
          'names: mentions without a kind (or kind "name"); factru: names, ORG split around its places. '
          'The same numbers as /work/shared/tools/score.py, except bcubed_f1 on NEREL, which that '
          'scorer does not compute (the project\'s reader takes the Wikidata ids).')
    if not trained:
        print('The pack was given, not trained here: a BSNLP topic it was trained on is not held out '
              '(the shipped pack saw asia_bibi, brexit and nord_stream).')
    for run in result['runs']:
        if 'fold' in run:
            print('- without %s, seed %d: train %.0f s%s, score %.0f s; %s' % (
                run['fold'], run['seed'], run['train_s'], ' (cached)' if run['cached'] else '',
                run['eval_s'], run['pack']))
    if 'total_s' in result:
        print('- total %.0f s' % result['total_s'])


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', default=DATA, help='dir with bsnlp-ru/, factru-dev/, nerel/{train,dev} (%(default)s)')
    p.add_argument('--folds', nargs='+', metavar='TOPIC', help='held-out topics to run (default: every topic)')
    p.add_argument('--seeds', nargs='+', type=int, default=[1])
    p.add_argument('--arch', choices=('v1', 'v2'), default='v1', help='the network trained (extractor train --arch)')
    p.add_argument('--ner-model', metavar='PACK',
                   help='score this pack on every set instead of training (its BSNLP rows are held out '
                        'only for topics it was not trained on: for the shipped pack, ryanair only)')
    p.add_argument('--cache', default=os.path.join(ROOT, '.scratch', 'loto'), help='trained packs (%(default)s)')
    p.add_argument('--reuse', action='store_true', help='use a cached pack of the same key instead of training')
    p.add_argument('--workers', type=int, default=1, help='pipeline processes while scoring')
    p.add_argument('--threads', type=int, default=1, help='torch threads while training')
    p.add_argument('--json', metavar='FILE', help='write every number here (rewritten after each fold)')
    p.add_argument('--from-json', metavar='FILE', help='print the table of a --json file (of a partial run too)')
    # smaller runs: smoke tests, quick looks (not the protocol's numbers)
    p.add_argument('--docs', type=int, help='keep the first N docs of each corpus')
    p.add_argument('--epochs', type=int, default=RECIPE['epochs'])
    p.add_argument('--max-steps', type=int)
    p.add_argument('--batch-size', type=int)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.from_json:
        with open(args.from_json, encoding='utf-8') as f:
            print_report(json.load(f))
        return 0
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix='loto-') as tmp:
        splits = Splits(args.data, tmp, args.docs)
        folds = args.folds or splits.topics
        unknown = set(folds) - set(splits.topics)
        if unknown:
            parser().error('no such BSNLP topic: %s (have %s)' % (', '.join(sorted(unknown)), ', '.join(splits.topics)))
        common = [('nerel dev', 'brat', splits.nerel_dev, ('outer', 'names')),
                  ('factru 30 held out', 'factru', splits.factru_test, ('factru',))]
        rows: list[dict] = []
        runs: list[dict] = []

        def save():
            if args.json:
                with open(args.json, 'w', encoding='utf-8') as f:
                    json.dump(result(args, argv, rows, runs, time.perf_counter() - t_start), f,
                              ensure_ascii=False, indent=1)

        if args.ner_model:
            t0 = time.perf_counter()
            sets = [('bsnlp ' + t, 'bsnlp', splits.topic(t), ('outer', 'names')) for t in folds] + common
            rows.extend(dict(r, fold=None, seed=None) for r in score(args.ner_model, sets, args.workers))
            runs.append({'pack': os.path.abspath(args.ner_model), 'eval_s': round(time.perf_counter() - t0, 1)})
            save()
        for seed in [] if args.ner_model else args.seeds:
            for fold in folds:
                say('fold %s, seed %d: training' % (fold, seed))
                pack, train_s, cached = train_pack(splits, fold, seed, args)
                say('fold %s, seed %d: %s %s (%.0f s); scoring' % (fold, seed, 'cached' if cached else 'trained',
                                                                  pack, train_s))
                t0 = time.perf_counter()
                sets = [('bsnlp ' + fold, 'bsnlp', splits.topic(fold), ('outer', 'names'))] + common
                rows.extend(dict(r, fold=fold, seed=seed) for r in score(pack, sets, args.workers))
                eval_s = time.perf_counter() - t0
                runs.append({'fold': fold, 'seed': seed, 'pack': os.path.abspath(pack), 'cached': cached,
                             'train_s': round(train_s, 1), 'eval_s': round(eval_s, 1)})
                say('fold %s, seed %d: scored in %.0f s' % (fold, seed, eval_s))
                save()
    print_report(result(args, argv, rows, runs, time.perf_counter() - t_start))
    return 0


if __name__ == '__main__':
    sys.exit(main())
