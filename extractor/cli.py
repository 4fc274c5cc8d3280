"""The command line: parses arguments, calls the library, prints results.
No NLP here."""
from __future__ import annotations

import argparse
import errno
import os
import signal
import sys

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog='extractor',
        description='People, places and organizations in Russian text, as JSON.')
    parser.add_argument('--version', action='version', version='%(prog)s ' + _version())
    commands = parser.add_subparsers(dest='command', required=True, metavar='COMMAND')

    extract = commands.add_parser('extract', help='one text (a file, or standard input) -> one JSON document')
    extract.add_argument('file', nargs='?', default=None, metavar='FILE|-',
                         help='the text file; - or nothing: standard input')
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
                            'one row per mention, and OUT/roles.csv, one row per phrase giving a role; '
                            'spacy adds OUT/a.spacy, a spaCy DocBin; repeatable')
    batch.add_argument('--csv-bom', action='store_true',
                       help='write OUT/mentions.csv and roles.csv starting with a UTF-8 BOM, so that spreadsheets read its Cyrillic right')
    batch.add_argument('--html', action='store_true',
                       help='also OUT/a.html, a page per document, and OUT/index.html, an overview')
    batch.add_argument('--follow-symlinks', action='store_true',
                       help='follow symlinks that lead out of their INPUT (default: list them as not read)')
    batch.add_argument('--progress', action=argparse.BooleanOptionalAction, default=None,
                       help='progress bar on stderr (default: when stderr is a terminal)')

    evaluate = commands.add_parser('evaluate', help='precision, recall and F1 against an annotated corpus')
    evaluate.add_argument('--format', required=True, choices=['factru', 'bsnlp', 'brat', 'jsonl'])
    evaluate.add_argument('path', metavar='PATH', help='the corpus: a directory (a .jsonl file for jsonl)')
    evaluate.add_argument('--view', choices=['outer', 'names', 'factru', 'nested'],
                          help="how nested mentions are read (default: the corpus' own convention)")
    evaluate.add_argument('--workers', type=_positive, default=1, metavar='N')

    entities = commands.add_parser('entities', help="a batch's top entities (OUT/entities.jsonl) as a table")
    entities.add_argument('out', metavar='OUT', help='the output directory of a batch')
    entities.add_argument('--top', type=_positive, default=20, metavar='N', help='how many (default 20)')

    # listed for --help; main() hands `train` and its options to training.cli
    commands.add_parser('train', help='fine-tune the NER model (needs the train extra: torch)')

    schema = commands.add_parser('schema', help='print the JSON Schema of the output document')
    schema.add_argument('--indent', type=int, default=2)
    return parser, {'extract': extract, 'batch': batch, 'evaluate': evaluate, 'schema': schema, 'entities': entities,
                    'train': commands.choices['train']}


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError('must be at least 1')
    return number


def _version() -> str:
    from . import __version__
    return __version__


class Interrupted(KeyboardInterrupt):
    """SIGTERM (or SIGINT), raised where the program is: it stops the
    workers, removes temporaries, and the summary is still printed."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum, frame) -> None:
    raise Interrupted(signum)


def run() -> None:
    """The `extractor` program."""
    # One BLAS thread per process, set before NumPy starts its threads: the
    # network's matrices are small, and an idle BLAS thread spins on a core
    # that a --workers process needs (and forking a process that has them
    # is what Python 3.12 warns of).
    # (Training is left to torch's own choice, or its --threads.)
    if sys.argv[1:2] != ['train']:
        for name in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
            os.environ.setdefault(name, '1')
    code = main()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except BrokenPipeError:
            pass
        except OSError as e:
            if stream is sys.stdout:
                _say('cannot write to standard output: %s' % (e.strerror or e))
                code = code or EXIT_FAILED
    # Everything is written and closed: skip tearing down the models' heap
    # object by object (about 0.07 s at every exit).
    os._exit(code)


def _say(message: str) -> None:
    if sys.stderr is None:
        return
    try:
        print('extractor: ' + message, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Exit status: 0 done; 1 some inputs failed, or an output could not be
    written; 2 a usage error found before any work (a bad option, a missing
    input, an output that cannot be made); 128 + N stopped by signal N
    (130 Ctrl-C, 143 SIGTERM)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ['train']:          # its own options, --help included
        from .training.cli import main as train_main
        return train_main(argv[1:])
    parser, commands = build_parser()
    args = parser.parse_args(argv)
    usage = commands[args.command]
    restore = _on_sigterm()
    try:
        if args.command == 'extract':
            return cmd_extract(args, usage)
        if args.command == 'batch':
            return cmd_batch(args, usage)
        if args.command == 'evaluate':
            return cmd_evaluate(args, usage)
        if args.command == 'entities':
            return cmd_entities(args, usage)
        if args.command == 'schema':
            import json

            from .document import json_schema
            sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=args.indent) + '\n')
            return EXIT_OK
    except KeyboardInterrupt as e:
        return 128 + getattr(e, 'signum', signal.SIGINT)
    except BrokenPipeError:
        return EXIT_OK                 # the reader went away (| head): nothing more to say
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EBADF, errno.EIO, errno.EPIPE, errno.EFBIG):
            _say('cannot write to standard output: %s' % (e.strerror or e))
            return EXIT_FAILED
        raise
    finally:
        restore()
    return EXIT_USAGE


def _on_sigterm():
    """SIGTERM raises Interrupted, as Ctrl-C raises KeyboardInterrupt; the
    returned function puts the old handler back."""
    import threading
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGTERM, _interrupt)
    return lambda: signal.signal(signal.SIGTERM, previous)


def cmd_extract(args, usage: argparse.ArgumentParser) -> int:
    from . import textfile
    from .batch import read_document
    from .pipeline import Extractor

    if sys.stdout is None:
        _say('cannot write to standard output: it is closed')
        return EXIT_FAILED
    if args.file is None and sys.stdin is not None and sys.stdin.isatty():
        _say('reading the text from standard input; end it with Ctrl-D (or give FILE, or - )')
    from_stdin = args.file in (None, '-')
    if not from_stdin and not os.path.exists(args.file):
        usage.error('no such file: %s' % args.file)
    name = '<stdin>' if from_stdin else args.file
    whole = args.tokens or args.format == 'html'
    try:
        if from_stdin:
            with textfile.spool(sys.stdin.buffer) as path:
                doc, _ = read_document(Extractor(), path, None, args.tokens, whole, source=None)
        else:
            doc_id = os.path.splitext(os.path.basename(args.file))[0]
            doc, _ = read_document(Extractor(), args.file, doc_id, args.tokens, whole, source=args.file)
    except (OSError, textfile.NotText) as e:
        _say('%s: %s' % (name, getattr(e, 'strerror', None) or e))
        return EXIT_FAILED
    if args.format == 'html':
        sys.stdout.write(doc.to_html())
    else:
        doc.write(sys.stdout.buffer, tokens=args.tokens)
        sys.stdout.buffer.write(b'\n')
    sys.stdout.flush()
    return EXIT_OK


def cmd_evaluate(args, usage: argparse.ArgumentParser) -> int:
    from .corpora import READERS
    from .evaluate import VIEWS, evaluate
    from .pipeline import Extractor

    if not os.path.exists(args.path):
        usage.error('no such file or directory: %s' % args.path)
    docs = list(READERS[args.format](args.path))
    if not docs:
        _say('no %s documents under %s' % (args.format, args.path))
        return EXIT_FAILED
    report = evaluate(Extractor(), docs, args.view or VIEWS[args.format], args.workers)
    print('%d documents, %s format' % (len(docs), args.format))
    print(report.table())
    return EXIT_OK


def cmd_entities(args, usage: argparse.ArgumentParser) -> int:
    """The first N lines of OUT/entities.jsonl (most mentioned first); the
    index is built from OUT's JSON outputs when the batch wrote none."""
    import itertools

    from .corpus import index_folder, read_index
    from .discovery import ENTITIES

    if not os.path.isdir(args.out):
        usage.error('no such directory: %s' % args.out)
    path = os.path.join(args.out, ENTITIES)
    found = read_index(path) if os.path.exists(path) else iter(index_folder(args.out))
    rows = [(e.id, e.type, e.normal, str(e.documents), str(e.mentions)) for e in itertools.islice(found, args.top)]
    if not rows and not os.path.exists(path):
        _say('%s: no batch output here (no %s, no documents\' JSON): run extractor batch ... -o %s first'
             % (args.out, ENTITIES, args.out))
        return EXIT_FAILED
    if os.path.exists(path):              # the rest: the index's lines, not read as entities
        with open(path, 'rb') as f:
            more = sum(1 for line in f if line.strip()) - len(rows)
    else:
        more = sum(1 for _ in found)
    rows.insert(0, ('id', 'type', 'normal', 'documents', 'mentions'))
    widths = [max(len(r[n]) for r in rows) for n in range(5)]
    for r in rows:
        print('  '.join(c.rjust(w) if n > 2 else c.ljust(w) for n, (c, w) in enumerate(zip(r, widths))).rstrip())
    if more:
        print('... %d more (--top N shows more)' % more)
    return EXIT_OK


def cmd_batch(args, usage: argparse.ArgumentParser) -> int:
    from . import batch
    from .runner import Runner

    if args.jsonl:
        if len(args.inputs) != 1 or not os.path.isfile(args.inputs[0]):
            usage.error('--jsonl takes exactly one input file')
        if args.html or args.csv_bom or set(args.format) - {'json'}:
            usage.error('--html and --format csv/spacy write into an output directory, not with --jsonl')
    else:
        missing = [p for p in args.inputs if not os.path.lexists(p)]
        if missing:
            usage.error('no such file or directory: %s' % ', '.join(missing))
        if os.path.exists(args.output) and not os.path.isdir(args.output):
            usage.error('output %s exists and is not a directory' % args.output)
    runner: Runner
    if args.scheduler:
        if args.workers > 1:
            usage.error('--workers and --scheduler do not combine: the cluster has its own workers')
        from .cluster import DaskRunner, connect
        try:
            client = connect(args.scheduler)
        except (OSError, TimeoutError) as e:
            _say('cannot reach the scheduler at %s: %s' % (args.scheduler, e))
            return EXIT_FAILED
        runner = DaskRunner(client)
    else:
        from .pipeline import Extractor
        from .runner import LocalRunner
        client, runner = None, LocalRunner(Extractor())
    try:
        summary = _run_batch(args, batch, runner)
    except batch.PlanError as e:
        _say(str(e))
        return EXIT_USAGE
    finally:
        if client is not None:
            client.close()
    for outcome in summary.failed:
        _say('%s: %s' % (outcome.job.source, outcome.error))
    for path, reason in summary.not_read:
        _say('%s: not read: %s' % (path, reason))
    _say(summary.line())
    return summary.exit_code


def _run_batch(args, batch, runner):
    if args.jsonl:
        from . import jsonl
        try:
            summary = jsonl.run_jsonl(runner, args.inputs[0], args.output, args.workers,
                                      progress=args.progress, tokens=args.tokens)
        except jsonl.RunError as e:     # OUT is the input, cannot be written, ...: one line, no summary
            _say(str(e))
            raise SystemExit(e.exit_code)
    else:
        outputs = batch.Outputs(html=args.html, spacy='spacy' in args.format, csv='csv' in args.format or args.csv_bom,
                                csv_bom=args.csv_bom)
        summary = batch.run(runner, args.inputs, args.output, args.glob, args.workers,
                            progress=args.progress, tokens=args.tokens, outputs=outputs,
                            follow_symlinks=args.follow_symlinks)
    return summary
