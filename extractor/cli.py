"""The command line: parses arguments, calls the library, prints results.
No NLP here."""
from __future__ import annotations

import argparse
import os
import sys

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='extractor',
        description='People, places and organizations in Russian text, as JSON.')
    parser.add_argument('--version', action='version', version='%(prog)s ' + _version())
    commands = parser.add_subparsers(dest='command', required=True, metavar='COMMAND')

    extract = commands.add_parser('extract', help='one text (a file, or standard input) -> one JSON document')
    extract.add_argument('file', nargs='?', default='-', metavar='FILE|-')
    extract.add_argument('--tokens', action='store_true', help='also output sentences and tokens with lemmas')
    extract.add_argument('--format', choices=['json', 'html'], default='json',
                         help='json (default), or html: a page with the mentions highlighted')

    batch = commands.add_parser('batch', help='many files -> one JSON document each')
    batch.add_argument('inputs', nargs='+', metavar='INPUT', help='files or directories (searched recursively)')
    batch.add_argument('-o', '--output', required=True, metavar='OUT',
                       help='output directory (with --jsonl: the output .jsonl file)')
    batch.add_argument('--workers', type=_positive, default=1, metavar='N', help='worker processes (default 1)')
    batch.add_argument('--scheduler', metavar='tcp://HOST:PORT',
                       help='run on a Dask distributed cluster (pip install extractor[dask])')
    batch.add_argument('--glob', default='*.txt', metavar='PATTERN', help="file names to take (default '*.txt')")
    batch.add_argument('--jsonl', action='store_true',
                       help='INPUT is one .jsonl file of {"id", "text"} lines; OUT a .jsonl file')
    batch.add_argument('--tokens', action='store_true', help='also output sentences and tokens with lemmas')
    batch.add_argument('--format', action='append', choices=['json', 'csv', 'spacy'], default=[],
                       help='besides OUT/a.json for each input (always written): csv adds OUT/mentions.csv, '
                            'one row per mention; spacy adds OUT/a.spacy, a spaCy DocBin; repeatable')
    batch.add_argument('--html', action='store_true',
                       help='also OUT/a.html, a page per document, and OUT/index.html, an overview')
    batch.add_argument('--progress', action=argparse.BooleanOptionalAction, default=None,
                       help='progress bar on stderr (default: when stderr is a terminal)')

    evaluate = commands.add_parser('evaluate', help='precision, recall and F1 against an annotated corpus')
    evaluate.add_argument('--format', required=True, choices=['factru', 'bsnlp', 'brat', 'jsonl'])
    evaluate.add_argument('path', metavar='PATH', help='the corpus: a directory (a .jsonl file for jsonl)')
    evaluate.add_argument('--view', choices=['outer', 'factru', 'nested'],
                          help="how nested mentions are read (default: the corpus' own convention)")
    evaluate.add_argument('--workers', type=_positive, default=1, metavar='N')

    # listed for --help; main() hands `train` and its options to training.cli
    commands.add_parser('train', help='fine-tune the NER model (needs the train extra: torch)')

    schema = commands.add_parser('schema', help='print the JSON Schema of the output document')
    schema.add_argument('--indent', type=int, default=2)
    return parser


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError('must be at least 1')
    return number


def _version() -> str:
    from . import __version__
    return __version__


def run() -> None:
    """The `extractor` program."""
    # One BLAS thread per process, set before NumPy starts its threads: the
    # network's matrices are small, and an idle BLAS thread spins on a core
    # that a --workers process needs.
    # (Training is left to torch's own choice, or its --threads.)
    if sys.argv[1:2] != ['train']:
        for name in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
            os.environ.setdefault(name, '1')
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            pass
    # Everything is written and closed: skip tearing down the models' heap
    # object by object (about 0.07 s at every exit).
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ['train']:          # its own options, --help included
        from .training.cli import main as train_main
        return train_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == 'extract':
            return cmd_extract(args)
        if args.command == 'batch':
            return cmd_batch(args, parser)
        if args.command == 'evaluate':
            return cmd_evaluate(args, parser)
        if args.command == 'schema':
            import json
            from .document import json_schema
            print(json.dumps(json_schema(), ensure_ascii=False, indent=args.indent))
            return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    return EXIT_USAGE


def cmd_extract(args) -> int:
    from . import textfile
    from .batch import read_document
    from .pipeline import Extractor

    name = '<stdin>' if args.file == '-' else args.file
    try:
        if args.file == '-':
            text, encoding = textfile.decode(sys.stdin.buffer.read())
            doc = Extractor()(text, encoding=encoding, tokens=args.tokens)
        else:
            doc_id = os.path.splitext(os.path.basename(args.file))[0]
            doc = read_document(Extractor(), args.file, doc_id, args.tokens,
                                whole=args.tokens or args.format == 'html')
    except (OSError, textfile.NotText) as e:
        print('extractor: %s: %s' % (name, getattr(e, 'strerror', None) or e), file=sys.stderr)
        return EXIT_FAILED
    if args.format == 'html':
        sys.stdout.write(doc.to_html())
    else:
        doc.write(sys.stdout.buffer, tokens=args.tokens)
        sys.stdout.buffer.write(b'\n')
    sys.stdout.flush()
    return EXIT_OK


def cmd_evaluate(args, parser: argparse.ArgumentParser) -> int:
    from .corpora import READERS
    from .evaluate import VIEWS, evaluate
    from .pipeline import Extractor

    if not os.path.exists(args.path):
        parser.error('no such file or directory: %s' % args.path)
    docs = list(READERS[args.format](args.path))
    if not docs:
        print('extractor: no %s documents under %s' % (args.format, args.path), file=sys.stderr)
        return EXIT_FAILED
    report = evaluate(Extractor(), docs, args.view or VIEWS[args.format], args.workers)
    print('%d documents, %s format' % (len(docs), args.format))
    print(report.table())
    return EXIT_OK


def cmd_batch(args, parser: argparse.ArgumentParser) -> int:
    from . import batch
    from .pipeline import Extractor

    if args.jsonl:
        if len(args.inputs) != 1 or not os.path.isfile(args.inputs[0]):
            parser.error('--jsonl takes exactly one input file')
        if args.html or set(args.format) - {'json'}:
            parser.error('--html and --format csv/spacy write into an output directory, not with --jsonl')
    else:
        missing = [p for p in args.inputs if not os.path.exists(p)]
        if missing:
            parser.error('no such file or directory: %s' % ', '.join(missing))
        if os.path.exists(args.output) and not os.path.isdir(args.output):
            parser.error('output %s exists and is not a directory' % args.output)
    if args.scheduler:
        if args.workers > 1:
            parser.error('--workers and --scheduler do not combine: the cluster has its own workers')
        from .cluster import DaskRunner, connect
        try:
            client = connect(args.scheduler)
        except (OSError, TimeoutError) as e:
            print('extractor: cannot reach the scheduler at %s: %s' % (args.scheduler, e), file=sys.stderr)
            return EXIT_FAILED
        extractor = DaskRunner(client)
    else:
        client, extractor = None, Extractor()
    try:
        summary = _run_batch(args, batch, extractor)
    finally:
        if client is not None:
            client.close()
    for outcome in summary.failed:
        print('extractor: %s: %s' % (outcome.job.source, outcome.error), file=sys.stderr)
    print('extractor: ' + summary.line(), file=sys.stderr)
    return summary.exit_code


def _run_batch(args, batch, extractor):
    if args.jsonl:
        from . import jsonl
        try:
            summary = jsonl.run_jsonl(extractor, args.inputs[0], args.output, args.workers,
                                      progress=args.progress, tokens=args.tokens)
        except jsonl.RunError as e:     # OUT is the input, cannot be written, ...: one line, no summary
            print('extractor: %s' % e, file=sys.stderr)
            raise SystemExit(e.exit_code)
    else:
        outputs = batch.Outputs(html=args.html, spacy='spacy' in args.format, csv='csv' in args.format)
        summary = batch.run(extractor, args.inputs, args.output, args.glob, args.workers,
                            progress=args.progress, tokens=args.tokens, outputs=outputs)
    return summary
