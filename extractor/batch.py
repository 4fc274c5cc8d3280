"""Many files in, one JSON document per file out: the run loop.

`discovery` decides which files are read and where their outputs go;
`atomic` writes each output whole or not at all; a `Runner` (runner.py,
cluster.py) runs `process` on each file, here or on workers. This module
decides what is up to date, keeps the summary, and writes the batch's own
files: OUT/errors.jsonl, and on request OUT/index.html and
OUT/mentions.csv and roles.csv, built at the end by reading the JSON outputs back one at
a time, so they cover inputs skipped as up to date too.

Resume: an output is up to date when its JSON records (`provenance`) the
same project version, NER model, options and input (size and SHA-256), the
same source path, and the outputs beside it (.html, .spacy) are no older
than the JSON. Anything else is redone.

Failures: an input that cannot be read or analysed is listed with the
reason and the rest go on; a failure to write stops the batch at once
(the disk is full, or OUT is not writable: the next would fail too). An
interrupt (KeyboardInterrupt, which the command line raises for SIGTERM
too) stops the workers, and what was done is still summarised and listed."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import TYPE_CHECKING, BinaryIO, Self

import msgspec

from . import assets, atomic, textfile
from .discovery import ENTITIES, ENTITY_PAGES, ERRORS, INDEX, MENTIONS, ROLES, Job, PlanError, plan
from .document import Document, InputStamp, Provenance, from_json
from .runner import ItemFailed, Runner

if TYPE_CHECKING:
    from .corpus import CorpusEntity

__all__ = ['ERRORS', 'INDEX', 'MENTIONS', 'Job', 'Outcome', 'Outputs', 'PlanError', 'Summary',
           'process', 'read_document', 'run']


@dataclass(frozen=True)
class Outputs:
    """What a batch writes besides each document's JSON."""
    html: bool = False      # OUT/a.html per document, and OUT/index.html
    spacy: bool = False     # OUT/a.spacy per document: a DocBin with user data
    csv: bool = False       # OUT/mentions.csv: one row per mention
    csv_bom: bool = False   # ... starting with a UTF-8 BOM, for spreadsheets

    def suffixes(self) -> list[str]:
        """Of the files written beside each JSON."""
        return [suffix for suffix, wanted in (('.html', self.html), ('.spacy', self.spacy)) if wanted]

    def files(self, job: Job) -> list[str]:
        """The outputs of one input; the JSON first."""
        stem = os.path.splitext(job.output)[0]
        return [job.output] + [stem + suffix for suffix in self.suffixes()]


@dataclass(frozen=True)
class Outcome:
    job: Job
    error: str | None = None
    fatal: bool = False       # a write failed: the batch stops


@dataclass
class Summary:
    done: int = 0
    skipped: int = 0                                   # up to date
    failed: list[Outcome] = field(default_factory=list)
    not_read: list[tuple[str, str]] = field(default_factory=list)   # links not followed, FIFOs...
    write_error: str | None = None                     # what stopped the batch
    interrupted: int | None = None                     # the signal that stopped it
    left: int = 0                                      # inputs not started when it stopped

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 128 + self.interrupted
        return 1 if self.failed or self.write_error else 0

    def line(self) -> str:
        line = '%d processed, %d up to date, %d failed' % (self.done, self.skipped, len(self.failed))
        if self.not_read:
            line += ', %d not read' % len(self.not_read)
        if self.interrupted:
            line += '; stopped by %s, %d not started' % (signal.Signals(self.interrupted).name, self.left)
        elif self.write_error:
            line += '; stopped: %s, %d not started' % (self.write_error, self.left)
        return line


def progress_bar(progress: bool | None, **options):
    """A tqdm bar on stderr; with `progress` None, when stderr is a terminal.
    tqdm is imported only to show one (a fifth of the start-up's imports)."""
    if progress is None:
        import sys
        progress = sys.stderr.isatty()
    if not progress:
        return _NoBar()
    from tqdm import tqdm
    # no monitor thread: workers are forked after the bar is made (runner.start_method)
    return tqdm(monitor_interval=0, **options)


class _NoBar:
    def update(self) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        pass


# --- what an output was made from ---

class _MadeFrom(msgspec.Struct):
    """The two fields of an output that say what it was made from."""
    source: str | None = None
    provenance: Provenance | None = None


@lru_cache(maxsize=8)
def model_id(path: str) -> str:
    """A NER pack's file name and the start of its SHA-256."""
    return '%s:%s' % (os.path.basename(path), file_digest(path)[:12])


def file_digest(path: str) -> str:
    with textfile.open_regular(path) as f:
        return hashlib.file_digest(f, 'sha256').hexdigest()


def runner_model(runner) -> str:
    """The NER pack the runner's extractors load (a DaskRunner's workers:
    the default)."""
    from .runner import LocalRunner
    extractor = runner.extractor if isinstance(runner, LocalRunner) else runner
    if not hasattr(extractor, 'ner_model'):
        return model_id(assets.default_ner())
    if extractor.ner_model is None:
        return 'a recognizer given by the caller'
    return model_id(extractor.ner_model)


def up_to_date(job: Job, made: Provenance, outputs: Outputs = Outputs()) -> bool:
    """Whether the job's outputs are there and were made as this run would
    make them. `made`'s input is not compared (it is the job's to read)."""
    try:
        with open(job.output, 'rb') as f:
            recorded = msgspec.json.decode(f.read(), type=_MadeFrom)
        stamp = recorded.provenance
        if (stamp is None or recorded.source != job.source
                or msgspec.structs.replace(stamp, input=made.input) != made):
            return False
        if os.stat(job.path).st_size != stamp.input.size or file_digest(job.path) != stamp.input.sha256:
            return False
        written = os.stat(job.output).st_mtime_ns
        return all(os.stat(path).st_mtime_ns >= written for path in outputs.files(job)[1:])
    except (OSError, ValueError, msgspec.DecodeError, textfile.NotText):
        return False


# --- one input ---

def read_document(extractor, path: str, id: str | None, tokens: bool, whole: bool,
                  source: str | None) -> tuple[Document, InputStamp]:
    """The document of one file, and what its bytes were. A long file is
    read a piece at a time and never held whole, unless the outputs need
    its text or tokens (`whole`). Raises textfile.NotText and OSError."""
    if not whole and os.path.getsize(path) > textfile.STREAM:
        pieces, encoding = textfile.stream(path)
        doc = extractor.stream(pieces, id=id, source=source, encoding=encoding)
        return doc, InputStamp(os.path.getsize(path), file_digest(path))
    data = textfile.read_bytes(path)
    text, encoding = textfile.decode(data)
    doc = extractor(text, id=id, source=source, encoding=encoding, tokens=tokens)
    return doc, InputStamp(len(data), hashlib.sha256(data).hexdigest())


def process(extractor, job: Job, made: Provenance, outputs: Outputs = Outputs(),
            root: str | None = None) -> Outcome:
    """One file: read, decode, extract, write. Errors become an Outcome;
    a failure to write is `fatal`. `root`: OUT, which the outputs are
    written under without following a symlink."""
    try:
        doc, stamp = read_document(extractor, job.path, job.id, made.tokens or outputs.spacy,
                                   whole=made.tokens or outputs.html or outputs.spacy, source=job.source)
    except textfile.NotText as e:
        return Outcome(job, str(e))
    except OSError as e:
        return Outcome(job, 'cannot read: %s' % (e.strerror or e))
    except Exception as e:  # noqa: BLE001  a bug on one input must not stop the batch
        return Outcome(job, 'extraction failed: %s: %s' % (type(e).__name__, e))
    doc.provenance = msgspec.structs.replace(made, input=stamp)
    mode = atomic.output_mode(job.mode)
    try:
        def write_json(f: BinaryIO) -> None:
            doc.write(f, tokens=made.tokens)
            f.write(b'\n')
        atomic.write(job.output, write_json, mode, root)
        stem = os.path.splitext(job.output)[0]
        if outputs.html:
            from .render import back_to_index, document_html
            atomic.write(stem + '.html', document_html(doc, index=back_to_index(job.id)).encode('utf-8'), mode, root)
        if outputs.spacy:
            from .spacy_doc import docbin
            atomic.write(stem + '.spacy', docbin([doc]), mode, root)
    except OSError as e:
        return Outcome(job, str(e), fatal=True)
    except Exception as e:  # noqa: BLE001  a bug on one input must not stop the batch
        return Outcome(job, 'extraction failed: %s: %s' % (type(e).__name__, e))
    return Outcome(job)


# --- the batch ---

def run(runner: Runner, inputs: list[str], out_dir: str, pattern: str = '*.txt',
        workers: int = 1, progress: bool | None = None, tokens: bool = False,
        outputs: Outputs = Outputs(), follow_symlinks: bool = False) -> Summary:
    """Every input to its outputs under `out_dir`. Raises PlanError (nothing
    done: two inputs share an output, OUT cannot be written...)."""
    from . import __version__

    the_plan = plan(inputs, out_dir, pattern, outputs.suffixes(), follow_symlinks)
    out = the_plan.out_dir
    _check_writable(out)
    made = Provenance(extractor=__version__, model=runner_model(runner), tokens=tokens,
                      input=InputStamp(0, ''))
    summary = Summary(not_read=the_plan.skipped)
    todo = [job for job in the_plan.jobs if not up_to_date(job, made, outputs)]
    summary.skipped = len(the_plan.jobs) - len(todo)
    atomic.sweep({os.path.dirname(job.output) for job in todo})
    if outputs.spacy:
        from . import spacy_doc  # noqa: F401  imported once here, before workers fork
    order = {job: n for n, job in enumerate(todo)}
    bar = progress_bar(progress, total=len(todo), unit='file')
    finished = 0
    try:
        results = runner.map(partial(process, made=made, outputs=outputs, root=out), todo, workers,
                             ordered=False, failures='yield')
        with contextlib.closing(results):          # closing: stops the workers
            for result in results:
                finished += 1
                outcome = Outcome(todo[result.index], result.reason) if isinstance(result, ItemFailed) else result
                bar.update()
                if not outcome.error:
                    summary.done += 1
                    continue
                summary.failed.append(outcome)
                if outcome.fatal:
                    summary.write_error = outcome.error
                    break
    except KeyboardInterrupt as e:
        summary.interrupted = getattr(e, 'signum', signal.SIGINT)
    finally:
        bar.close()
    summary.left = len(todo) - finished
    summary.failed.sort(key=lambda o: order[o.job])
    try:
        _write_errors(out, summary)
        if not (summary.interrupted or summary.write_error):
            corpus = _write_corpus_index(runner, workers, the_plan.jobs, out, summary.failed)
            if outputs.html or outputs.csv:
                collect(the_plan.jobs, out, summary.failed, outputs, corpus)
    except OSError as e:
        summary.write_error = summary.write_error or str(e)
    return summary


INDEX_CHUNK = 256      # JSON outputs a worker pools into one part of the index


def _write_corpus_index(runner: Runner, workers: int, jobs: list[Job], out_dir: str,
                        failed: list[Outcome]) -> list[CorpusEntity]:
    """OUT/entities.jsonl (corpus.py) from the JSON outputs of every input
    but those that failed, skipped as up to date or not; its entities. A
    map-reduce on the runner's workers (a Dask cluster's too): each pools
    a chunk of outputs, read one at a time, and only the pools, names with
    their members and no document, come back to be merged and joined."""
    from .corpus import Indexer, write_index

    reasons = {o.job.source for o in failed}
    paths = [job.output for job in jobs if job.source not in reasons]
    chunks = [(out_dir, paths[i:i + INDEX_CHUNK]) for i in range(0, len(paths), INDEX_CHUNK)]
    merged = Indexer()
    with contextlib.closing(runner.map(_pool_chunk, chunks, min(workers, len(chunks)) or 1)) as pools:
        for pool in pools:
            merged.merge(pool)
    entities = merged.entities()
    write_index(os.path.join(out_dir, ENTITIES), entities, atomic.output_mode(*(job.mode for job in jobs)))
    return entities


def _pool_chunk(extractor, chunk: tuple[str, list[str]]):
    """The map step of the index: a chunk of JSON outputs pooled (corpus.pool_outputs)."""
    from .corpus import pool_outputs
    return pool_outputs(*chunk)


def _check_writable(out: str) -> None:
    """OUT exists (made if need be) and a file can be made in it: found now,
    not after analysing every input."""
    probe = os.path.join(out, atomic.temporary_name('write-test'))
    try:
        os.makedirs(out, exist_ok=True)
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        os.unlink(probe)
    except OSError as e:
        raise PlanError('cannot write into %s: %s' % (out, e.strerror or e)) from None


def _write_errors(out: str, summary: Summary) -> None:
    lines: list[dict[str, object]] = [{'path': o.job.source, 'reason': o.error} for o in summary.failed]
    lines += [{'path': path, 'reason': reason, 'read': False} for path, reason in summary.not_read]
    text = ''.join(json.dumps(line, ensure_ascii=False) + '\n' for line in lines)
    atomic.write(os.path.join(out, ERRORS), text.encode('utf-8', 'backslashreplace'))


def collect(jobs: list[Job], out_dir: str, failed: list[Outcome], outputs: Outputs,
            corpus: list[CorpusEntity]) -> None:
    """OUT/index.html, OUT/entities.html (the corpus entities of `corpus`
    in two documents or more), OUT/mentions.csv and OUT/roles.csv from the
    JSON outputs, read back one document at a time in input order."""
    from .render import CorpusPages, Overview
    from .tables import MentionTable, RoleTable

    reasons = {o.job.source: o.error for o in failed}
    pages = CorpusPages.of(corpus, pages=True, file=ENTITY_PAGES) if outputs.html else None
    overview = Overview(corpus=corpus, pages=pages)
    modes = [job.mode for job in jobs]
    with contextlib.ExitStack() as stack:
        table = stack.enter_context(MentionTable(os.path.join(out_dir, MENTIONS), outputs.csv_bom,
                                                 atomic.output_mode(*modes))) if outputs.csv else None
        roles = stack.enter_context(RoleTable(os.path.join(out_dir, ROLES), outputs.csv_bom,
                                              atomic.output_mode(*modes))) if outputs.csv else None
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
            if table is not None and roles is not None:
                table.add(document)
                roles.add(document)
            overview.add(document, job.id + '.html' if outputs.html else None)
            if pages is not None:
                pages.add(job.id, document)
    if outputs.html and pages is not None:
        atomic.write(os.path.join(out_dir, ENTITY_PAGES), pages.html().encode('utf-8'), atomic.output_mode(*modes))
        atomic.write(os.path.join(out_dir, INDEX), overview.html().encode('utf-8'), atomic.output_mode(*modes))
