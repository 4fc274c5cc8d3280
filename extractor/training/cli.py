"""``extractor train``: fine-tune slovnet's news NER on annotated corpora.

  extractor train --bsnlp DIR --brat DIR --factru DIR -o model.tar
  extractor train --data jsonl:my.jsonl --data bsnlp:DIR:0.5 -o model.tar

Starts from the stock Natasha pack (or --init PACK), keeps the navec news
embeddings frozen and writes a pack that ``slovnet.NER.load(path)`` followed
by ``.navec(natasha.NewsEmbedding())`` runs with NumPy, like the stock one.
"""
import argparse
import logging
import random
import sys
import time

KINDS = ('factru', 'bsnlp', 'brat', 'jsonl')


def parser():
    p = argparse.ArgumentParser(prog='extractor train', description=__doc__.split('\n\n')[0])
    for kind in KINDS:
        p.add_argument('--' + kind, action='append', default=[], metavar='PATH',
                       help='%s corpus (repeatable)' % kind)
    p.add_argument('--data', action='append', default=[], metavar='KIND:PATH[:WEIGHT]',
                   help='a corpus of KIND (%s), optionally with a weight: times seen '
                        'per epoch, fractions sample (repeatable)' % ', '.join(KINDS))
    p.add_argument('--dev', action='append', default=[], metavar='KIND:PATH',
                   help='score this corpus after each epoch (not trained on)')
    p.add_argument('--init', default=None, help='start pack (default: Natasha news NER)')
    p.add_argument('--arch', choices=('v1', 'v2'), default='v1',
                   help='v1: the start pack\'s network; v2: that network (its trunk) plus an embedding '
                        'of each word\'s last letters and a fourth, dilated convolution (training/v2.py)')
    p.add_argument('--suffix-size', type=int, default=3, help='v2: letters of the suffix')
    p.add_argument('--suffix-dim', type=int, default=32, help='v2: suffix embedding size')
    p.add_argument('--suffix-min-count', type=int, default=3,
                   help='v2: suffixes seen fewer times in the training data are unknown')
    p.add_argument('--dilation', type=int, default=2, help='v2: dilation of the fourth convolution')
    p.add_argument('--epochs', type=int, default=5)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--batch-size', type=int, default=32)
    p.add_argument('--blend', type=float, default=0.85,
                   help='weight of the trained model against the start one (default 0.7)')
    p.add_argument('--bn', choices=('frozen', 'train'), default='frozen',
                   help='batch norm running statistics: keep the start ones or update')
    p.add_argument('--lower-case', choices=('keep', 'drop'), default='drop',
                   help='spans written in lower case («российских», «правительство»): '
                        'keep as entities, or drop to O (default)')
    p.add_argument('--factru-orgs', choices=('outer', 'names'), default='outer',
                   help='factRuEval orgs: outer = the org name joined with the places of the '
                        'same Org object next to it («МИД Литвы»), as BSNLP/NEREL (default); '
                        'names = org_name spans only, places stay LOC («МИД» + «Литвы»)')
    p.add_argument('--max-tokens', type=int, default=60, help='tokens per training chunk')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--threads', type=int, default=None,
                   help='torch CPU threads (default: torch\'s choice; 1 is faster on a busy machine)')
    p.add_argument('--max-steps', type=int, default=None, help='stop after N steps (smoke tests)')
    p.add_argument('--id', default=None, help='meta id of the pack (default: slovnet_ner_extractor_ARCH)')
    p.add_argument('-o', '--output', required=True, metavar='OUT.tar')
    p.add_argument('-q', '--quiet', action='store_true')
    return p


def specs(args):
    from .data import parse_spec
    out: list[tuple[str, str, float]] = []
    for kind in KINDS:
        out.extend((kind, path, 1.0) for path in getattr(args, kind))
    out.extend(parse_spec(s) for s in args.data)
    return out


def main(argv=None):
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format='%(asctime)s %(message)s', stream=sys.stderr)
    log = logging.getLogger('extractor.train')
    corpora = specs(args)
    if not corpora:
        parser().error('no training data: give --factru/--bsnlp/--brat/--jsonl or --data')
    try:
        import torch
    except ImportError:
        print('extractor train needs PyTorch: pip install "extractor[train]"', file=sys.stderr)
        return 2

    from natasha import NewsEmbedding
    from natasha.data import NEWS_NER

    from . import data
    from .pack import Source, export, load_torch
    from .train import blend, inputs, train

    random.seed(args.seed)
    torch.manual_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)

    t0 = time.perf_counter()
    navec = NewsEmbedding()
    source = Source(args.init or NEWS_NER)
    model = load_torch(source, navec)
    pack_id = args.id or 'slovnet_ner_extractor_' + args.arch
    options = {'max_tokens': args.max_tokens, 'lower_case': args.lower_case == 'keep'}
    readers = {'org_places': args.factru_orgs == 'outer'}

    groups = []
    for kind, path, weight in corpora:
        items = list(data.examples(data.read_docs(kind, path, **readers), source.vocabs, kind, **options))
        log.info('%s %s: %d chunks, %d tokens, weight %g', kind, path, len(items),
                 sum(len(e.word_ids) for e in items), weight)
        if not items:
            print('no documents in %s %s' % (kind, path), file=sys.stderr)
            return 2
        groups.append((items, weight))

    keep: tuple[str, ...] = ()
    batch_inputs, extra = inputs, lambda model: None
    if args.arch == 'v2':
        from . import v2
        config = v2.Config(args.suffix_size, args.suffix_dim, args.suffix_min_count, args.dilation)
        model = v2.build(model, groups, config)
        log.info('v2: %d suffixes of %d letters, %d-d; dilation %d', len(model.suffixes), config.suffix_size,
                 config.suffix_dim, config.dilation)
        batch_inputs, keep, extra = model.inputs, v2.KEEP, v2.members
    start = {k: v.clone() for k, v in model.state_dict().items()}

    def write(model, path):
        """The pack of `model` (v2: its trunk's pack and the v2 members)."""
        export(getattr(model, 'trunk', model), source, path, pack_id, extra(model))

    dev = [(s, data.parse_spec(s)[0], list(data.read_docs(*data.parse_spec(s)[:2], **readers)))
           for s in args.dev]

    def on_epoch(epoch, model):
        """Scores the blended snapshot the way users would get it: through
        the whole pipeline, with the project's scorer."""
        if not dev:
            return
        import copy
        import tempfile

        from ..evaluate import VIEWS, Report, evaluate
        from ..pipeline import Extractor
        snap = blend(copy.deepcopy(model), start, args.blend, keep)
        with tempfile.NamedTemporaryFile(suffix='.tar') as tmp:
            write(snap, tmp.name)
            extractor = Extractor(ner_model=tmp.name)
        for spec, kind, docs in dev:
            report = evaluate(extractor, docs, VIEWS[kind])
            scores = ['tok_%s=%.4f' % (t, c.f1) for t, c in report.tokens.items()]
            scores.append('span_micro=%.4f' % Report.micro(report.spans).f1)
            log.info('epoch %d dev %s: %s', epoch + 1, spec, ' '.join(scores))

    pads = {name: source.vocabs[name].pad_id for name in ('word', 'shape', 'tag')}
    model = train(model, groups, pads, epochs=args.epochs, lr=args.lr,
                  batch_size=args.batch_size, seed=args.seed, max_steps=args.max_steps,
                  bn=args.bn, on_epoch=on_epoch, inputs=batch_inputs)
    model = blend(model, start, args.blend, keep)
    write(model, args.output)
    log.info('wrote %s in %.1fs', args.output, time.perf_counter() - t0)
    return 0


if __name__ == '__main__':
    sys.exit(main())
