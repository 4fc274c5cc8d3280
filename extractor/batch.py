"""Many files in, one JSON document per file out.

Finds the inputs (recursively, never looping through symlinks), skips those
whose output is already complete and newer than the input, runs the rest in
worker processes, writes each output atomically (temporary file, then
rename), and lists the inputs that could not be processed, with the reason,
in OUT/errors.jsonl. Knows nothing of NLP beyond calling the Extractor.

Besides the JSON, on request (`Outputs`): an HTML page per document
(OUT/a.html) and an overview OUT/index.html; a spaCy DocBin per document
(OUT/a.spacy); a table of all mentions, OUT/mentions.csv. The overview and
the table are built at the end by reading the JSON outputs back one at a
time, so they cover inputs skipped as up to date too."""
from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import sys
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Protocol

import msgspec

from . import textfile
from .document import Document, from_json
from .pipeline import Extractor

ERRORS = 'errors.jsonl'


class Runner(Protocol):
    """Runs fn(extractor, item) over items, results in input order: an
    Extractor (local processes) or a cluster.DaskRunner."""

    def map(self, fn: Callable[[Extractor, Any], Any], items: Iterable[Any], workers: int = 1) -> Iterator[Any]:
        ...
INDEX = 'index.html'
MENTIONS = 'mentions.csv'


@dataclass(frozen=True)
class Job:
    source: str        # the input file, as found under its INPUT argument
    output: str        # where its JSON goes
    id: str            # its path relative to its INPUT, without the extension


@dataclass(frozen=True)
class Outputs:
    """What a batch writes besides each document's JSON."""
    html: bool = False      # OUT/a.html per document, and OUT/index.html
    spacy: bool = False     # OUT/a.spacy per document: a DocBin with user data
    csv: bool = False       # OUT/mentions.csv: one row per mention

    def files(self, job: Job) -> list[str]:
        """The outputs of one input; the JSON first."""
        stem = os.path.splitext(job.output)[0]
        return [job.output] + [stem + suffix for suffix, wanted in
                               (('.html', self.html), ('.spacy', self.spacy)) if wanted]


@dataclass(frozen=True)
class Outcome:
    job: Job
    error: str | None = None


@dataclass
class Summary:
    done: int = 0
    skipped: int = 0
    failed: list[Outcome] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def line(self) -> str:
        return '%d processed, %d up to date, %d failed' % (self.done, self.skipped, len(self.failed))


def find_inputs(inputs: Iterable[str], pattern: str) -> Iterator[tuple[str, str]]:
    """(path, path relative to its INPUT) of every matching file, sorted
    within each directory. Directory symlinks are followed once each."""
    for top in inputs:
        if os.path.isfile(top):
            yield top, os.path.basename(top)
            continue
        if not os.path.isdir(top):
            raise FileNotFoundError(top)
        seen: set[tuple[int, int]] = set()
        yield from _walk(top, top, pattern, seen)


def _walk(top: str, directory: str, pattern: str, seen: set) -> Iterator[tuple[str, str]]:
    try:
        st = os.stat(directory)
    except OSError:
        return
    if (st.st_dev, st.st_ino) in seen:
        return                                 # a symlink back into the tree
    seen.add((st.st_dev, st.st_ino))
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError:
            continue
        if is_dir:
            yield from _walk(top, entry.path, pattern, seen)
        elif is_file and fnmatch.fnmatch(entry.name, pattern):
            yield entry.path, os.path.relpath(entry.path, top)


def plan(inputs: Iterable[str], out_dir: str, pattern: str) -> list[Job]:
    jobs = []
    inside_out = os.path.realpath(out_dir) + os.sep
    real_dirs: dict[str, str] = {}
    for path, rel in find_inputs(inputs, pattern):
        if _realpath(path, real_dirs).startswith(inside_out):
            continue                            # our own outputs, when OUT is inside INPUT
        stem = str(Path(rel).with_suffix(''))
        jobs.append(Job(path, os.path.join(out_dir, stem + '.json'), stem.replace(os.sep, '/')))
    return jobs


def _realpath(path: str, real_dirs: dict[str, str]) -> str:
    """os.path.realpath(path), resolving each directory once, not once per file."""
    if os.path.islink(path):
        return os.path.realpath(path)
    directory, name = os.path.split(path)
    real = real_dirs.get(directory)
    if real is None:
        real = real_dirs[directory] = os.path.realpath(directory)
    return os.path.join(real, name)


def up_to_date(job: Job, outputs: Outputs = Outputs()) -> bool:
    """Outputs are only ever renamed into place whole, so existing is complete."""
    try:
        source = os.stat(job.source).st_mtime_ns
        return all(os.stat(path).st_mtime_ns >= source for path in outputs.files(job))
    except OSError:
        return False


def progress_bar(progress: bool | None, **options):
    """A tqdm bar on stderr; with `progress` None, when stderr is a terminal.
    tqdm is imported only to show one (a fifth of the start-up's imports)."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return _NoBar()
    from tqdm import tqdm
    return tqdm(**options)


class _NoBar:
    def update(self) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> '_NoBar':
        return self

    def __exit__(self, *exc) -> None:
        pass


def write_atomic(path: str, data: bytes | Callable[[BinaryIO], None]) -> None:
    """A reader sees the old file or the whole new one, never a part.
    `data`: the bytes, or a function that writes them to a file."""
    directory = os.path.dirname(path) or '.'
    tmp = os.path.join(directory, '.%s.%d.tmp' % (os.path.basename(path), os.getpid()))
    try:
        out = open(tmp, 'wb')
    except FileNotFoundError:
        # Only then: a mkdir per file locks the parent directory, which
        # workers writing side by side wait on.
        os.makedirs(directory, exist_ok=True)
        out = open(tmp, 'wb')
    try:
        with out as f:
            if callable(data):
                data(f)
            else:
                f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def process(extractor: Extractor, job: Job, tokens: bool = False, outputs: Outputs = Outputs()) -> Outcome:
    """One file: read, decode, extract, write. Errors become an Outcome."""
    try:
        doc = read_document(extractor, job.source, job.id, tokens or outputs.spacy,
                            whole=tokens or outputs.html or outputs.spacy)
    except textfile.NotText as e:
        return Outcome(job, str(e))
    except OSError as e:
        return Outcome(job, 'cannot read: %s' % (e.strerror or e))
    except Exception as e:  # a bug on one input must not stop the batch
        return Outcome(job, 'extraction failed: %s: %s' % (type(e).__name__, e))
    try:
        def write_json(f: BinaryIO) -> None:
            doc.write(f, tokens=tokens)
            f.write(b'\n')
        write_atomic(job.output, write_json)
        path = os.path.splitext(job.output)[0]
        if outputs.html:
            from .render import back_to_index, document_html
            write_atomic(path + '.html', document_html(doc, index=back_to_index(job.id)).encode('utf-8'))
        if outputs.spacy:
            from .spacy_doc import docbin
            write_atomic(path + '.spacy', docbin([doc]))
    except OSError as e:
        return Outcome(job, 'cannot write %s: %s' % (job.output, e.strerror or e))
    except Exception as e:  # a bug on one input must not stop the batch
        return Outcome(job, 'extraction failed: %s: %s' % (type(e).__name__, e))
    return Outcome(job)


def read_document(extractor: Extractor, path: str, id: str | None, tokens: bool, whole: bool) -> Document:
    """The document of one file. A long file is read a piece at a time and
    never held whole, unless the outputs need its text or tokens (`whole`).
    Raises textfile.NotText and OSError."""
    if not whole and os.path.getsize(path) > textfile.STREAM:
        pieces, encoding = textfile.stream(path)
        return extractor.stream(pieces, id=id, source=path, encoding=encoding)
    text, encoding = textfile.read(path)
    return extractor(text, id=id, source=path, encoding=encoding, tokens=tokens)


def run(extractor: Runner, inputs: list[str], out_dir: str, pattern: str = '*.txt',
        workers: int = 1, progress: bool | None = None, tokens: bool = False,
        outputs: Outputs = Outputs()) -> Summary:
    summary = Summary()
    jobs = plan(inputs, out_dir, pattern)
    todo = [job for job in jobs if not up_to_date(job, outputs)]
    if outputs.spacy:
        from . import spacy_doc  # noqa: F401  imported once here, before workers fork
    summary.skipped = len(jobs) - len(todo)
    os.makedirs(out_dir, exist_ok=True)
    bar = progress_bar(progress, total=len(todo), unit='file')
    for outcome in extractor.map(partial(process, tokens=tokens, outputs=outputs), todo, workers):
        if outcome.error:
            summary.failed.append(outcome)
        else:
            summary.done += 1
        bar.update()
    bar.close()
    errors = ''.join(json.dumps({'path': o.job.source, 'reason': o.error}, ensure_ascii=False) + '\n'
                     for o in summary.failed)
    write_atomic(os.path.join(out_dir, ERRORS), errors.encode('utf-8'))
    if outputs.html or outputs.csv:
        collect(jobs, out_dir, summary.failed, outputs)
    return summary


def collect(jobs: list[Job], out_dir: str, failed: list[Outcome], outputs: Outputs) -> None:
    """OUT/index.html and OUT/mentions.csv from the JSON outputs, read back
    one document at a time in input order."""
    from .render import Overview
    from .tables import MentionTable

    reasons = {o.job.source: o.error for o in failed}
    overview = Overview()
    with contextlib.ExitStack() as stack:
        table = stack.enter_context(MentionTable(os.path.join(out_dir, MENTIONS))) if outputs.csv else None
        for job in jobs:
            if job.source in reasons:
                overview.fail(job.source, reasons[job.source] or '')
                continue
            try:
                with open(job.output, 'rb') as f:
                    document = from_json(f.read())
            except (OSError, msgspec.DecodeError) as e:
                overview.fail(job.source, 'cannot read %s: %s' % (job.output, e))
                continue
            if table is not None:
                table.add(document)
            overview.add(document, job.id + '.html' if outputs.html else None)
    if outputs.html:
        write_atomic(os.path.join(out_dir, INDEX), overview.html().encode('utf-8'))


# --- JSON lines: {"id", "text"} per line in, one document per line out ---

def read_jsonl(path: str) -> Iterator[tuple[int, str | None, str | None, str | None]]:
    """(line number, id, text, error) for each non-empty line."""
    with open(path, encoding='utf-8', errors='replace') as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text = record['text']
                if not isinstance(text, str):
                    raise TypeError('"text" is not a string')
                id = record.get('id')
                yield number, None if id is None else str(id), text, None
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                yield number, None, None, '%s line %d: %s' % (path, number, e)


def _extract_line(extractor: Extractor, item, tokens: bool = False) -> tuple[int, str | None, bytes | None, str | None]:
    number, id, text, error = item
    if error:
        return number, id, None, error
    try:
        return number, id, extractor(text, id=id, tokens=tokens).to_bytes(tokens=tokens), None
    except Exception as e:
        return number, id, None, '%s: %s' % (type(e).__name__, e)


def run_jsonl(extractor: Runner, source: str, output: str, workers: int = 1,
              progress: bool | None = None, tokens: bool = False) -> Summary:
    """Documents in input order; bad lines go to OUTPUT's .errors.jsonl."""
    summary = Summary()
    errors = []
    tmp = output + '.tmp'
    with open(tmp, 'wb') as out, progress_bar(progress, unit='doc') as bar:
        for number, id, data, error in extractor.map(partial(_extract_line, tokens=tokens), read_jsonl(source), workers):
            if error:
                errors.append({'line': number, 'id': id, 'reason': error})
                summary.failed.append(Outcome(Job(source, output, id or ''), error))
            else:
                out.write(data + b'\n')
                summary.done += 1
            bar.update()
    os.replace(tmp, output)
    errors_path = str(Path(output).with_suffix('')) + '.errors.jsonl'
    if errors or os.path.exists(errors_path):
        write_atomic(errors_path, ''.join(json.dumps(e, ensure_ascii=False) + '\n' for e in errors).encode())
    return summary
