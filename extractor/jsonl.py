"""JSON Lines: one {"id", "text"} record per line in, one line per record out.

The contract (README, Command line):

- The input is UTF-8, as JSON Lines is by definition. A UTF-8 byte order
  mark at the start of a line is ignored (a file's first line, or files
  concatenated). A line that is not valid UTF-8 fails with the reason; a
  UTF-16 or UTF-32 file is refused whole. Nothing is ever guessed into
  replacement characters.
- Each non-blank line is a record: a JSON object with a string "text" and
  an optional "id" of any JSON type. Blank lines are skipped and write
  nothing; line numbers count every line of the file.
- The output has one line per record, in input order: the document, or
  {"line": N, "id": ID, "error": "reason"}. Either carries the record's
  "id" as the same JSON value (5 stays 5, true stays true, a lone
  surrogate stays an escape); it is left out when the record had none or
  could not be read.
- The output is written to a temporary file of its own beside OUT (created
  exclusively: never another run's file, never through a symlink) and
  renamed into place at the end; on any failure it is removed and OUT is
  left as it was.

Failures of the run as a whole raise RunError, with one line for the user
and the exit status: 2 when refused before any record is analysed (nothing
written), 1 when a write or read fails part way."""
from __future__ import annotations

import codecs
import contextlib
import io
import json
import os
from collections.abc import Iterable, Iterator
from functools import partial
from typing import BinaryIO, Self

from . import atomic, textfile
from .batch import Job, Outcome, Summary, progress_bar
from .pipeline import Extractor

# (line number, the id as JSON bytes or None, text or None, error or None)
Record = tuple[int, bytes | None, str | None, str | None]

BLANK = b' \t\r\n'      # JSON's own whitespace
# How every document's JSON starts; the record's id goes right after it.
DOCUMENT_START = b'{"schema_version":1,'


class RunError(Exception):
    """The run could not start, or not finish; str() is the line to show."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def run_jsonl(runner, source: str, output: str, workers: int = 1,
              progress: bool | None = None, tokens: bool = False) -> Summary:
    """Extracts every record of `source` into `output`. `runner` is an
    Extractor or a cluster.DaskRunner. Raises RunError."""
    try:
        infile = open(source, 'rb')  # noqa: SIM115  closed by the `with` below; failing to open is exit 2
    except OSError as e:
        raise RunError('cannot read %s: %s' % (source, e.strerror or e), 2)
    with infile:
        _refuse_utf16(infile, source)
        _check_output(infile, source, output)
        summary = Summary()
        read_error: list[OSError] = []
        with _Temporary(output, _mode(infile)) as out, progress_bar(progress, unit='doc') as bar:
            results = runner.map(partial(_extract_line, tokens=tokens), _read(infile, read_error), workers)
            # closing: a failed write stops the workers now, not after the rest of the input
            with contextlib.closing(results):
                for number, line, id, error in results:
                    out.write(line)
                    if error:
                        summary.failed.append(Outcome(Job(source, os.path.abspath(source), output, id), 'line %d: %s' % (number, error)))
                    else:
                        summary.done += 1
                    bar.update()
            if read_error:
                raise RunError('cannot read %s: %s' % (source, read_error[0].strerror or read_error[0]), 1)
    return summary


def read_records(lines: Iterable[bytes]) -> Iterator[Record]:
    """A Record for each non-blank line (bytes, as split at b'\\n')."""
    for number, raw in enumerate(lines, 1):
        raw = raw.removeprefix(codecs.BOM_UTF8)
        if raw.strip(BLANK):
            yield parse(number, raw)


def parse(number: int, raw: bytes) -> Record:
    """One line's record, or the reason it is not one."""
    raw = raw.rstrip(b'\r\n')          # else an error at the end reads as "line 2 column 1"
    try:
        line = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        reason = 'not UTF-8 (JSON Lines is UTF-8): byte 0x%02x at column %d' % (raw[e.start], e.start + 1)
        return number, None, None, reason
    try:
        record = json.loads(line, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        return number, None, None, 'invalid JSON at column %d: %s' % (e.colno, e.msg)
    except ValueError as e:        # NaN, or an integer of over 4300 digits
        return number, None, None, 'invalid JSON: %s' % e
    except RecursionError:
        return number, None, None, 'invalid JSON: nested too deeply to read'
    if not isinstance(record, dict):
        return number, None, None, 'not a JSON object but %s' % _kind(record)
    id = None
    if 'id' in record:
        try:
            id = encode(record['id'])
        except ValueError:         # 1e999 reads as infinity, which JSON cannot write back
            return number, None, None, '"id" is a number out of range'
        except RecursionError:
            return number, None, None, '"id" is nested too deeply to write back'
    if 'text' not in record:
        return number, id, None, 'no "text" field'
    text = record['text']
    if not isinstance(text, str):
        return number, id, None, '"text" is not a string but %s' % _kind(text)
    return number, id, text, None


def encode(value) -> bytes:
    """Compact JSON in UTF-8. A string with a lone surrogate (valid JSON,
    not encodable as UTF-8) is written with escapes instead."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(',', ':'), allow_nan=False).encode('utf-8')
    except UnicodeEncodeError:
        return json.dumps(value, separators=(',', ':'), allow_nan=False).encode('ascii')


def error_line(number: int, id: bytes | None, reason: str) -> bytes:
    return b'{"line":%d,%s"error":%s}\n' % (number, b'"id":%s,' % id if id is not None else b'', encode(reason))


def _extract_line(extractor: Extractor, record: Record, tokens: bool = False) -> tuple[int, bytes, str, str | None]:
    """(line number, output line, id for messages, error): runs in a worker."""
    number, id, text, error = record
    if text is not None:           # parse gives a text or an error, never both
        try:
            # The document's own id is a string; the record's, any JSON value: spliced in below.
            data = extractor(text, tokens=tokens).to_bytes(tokens=tokens)
        except UnicodeEncodeError:
            error = 'a mention holds a lone surrogate of "text", which UTF-8 cannot hold'
        except Exception as e:     # noqa: BLE001  a bug on one record must not stop the others
            error = 'extraction failed: %s: %s' % (type(e).__name__, e)
        else:
            if id is not None:
                if not data.startswith(DOCUMENT_START):
                    raise RuntimeError('a document no longer starts with %r' % DOCUMENT_START)
                data = DOCUMENT_START + b'"id":' + id + b',' + data[len(DOCUMENT_START):]
            return number, data + b'\n', _label(id), None
    assert error is not None
    return number, error_line(number, id, error), _label(id), error


def _read(infile: BinaryIO, read_error: list) -> Iterator[Record]:
    """read_records of the file; a read error stops it and is kept in
    `read_error` (a worker pool reads this in a thread of its own)."""
    try:
        yield from read_records(infile)
    except OSError as e:
        read_error.append(e)


def _refuse_utf16(infile: io.BufferedReader, source: str) -> None:
    head = infile.peek(4096)[:4096]       # peek: no seek, so a pipe would do too
    # Raw NUL bytes never occur in JSON: these cannot be UTF-8 JSON Lines.
    wide = next((name for bom, name in textfile.BOMS if head.startswith(bom) and name != 'utf-8-sig'), None)
    if wide is None and len(head) >= 2:
        wide = textfile.utf16_order(head)
    if wide:
        raise RunError('cannot read %s: %s text, and JSON Lines is UTF-8' % (source, wide.upper()), 2)


def _check_output(infile: BinaryIO, source: str, output: str) -> None:
    """Refuses an OUT that is the input (by any path) or cannot be a file."""
    try:
        same = os.path.samestat(os.fstat(infile.fileno()), os.stat(output))
    except OSError:
        same = False               # OUT does not exist (yet): it is not the input
    if same:
        raise RunError('-o %s is the input %s: refusing to overwrite it' % (output, source), 2)
    if os.path.isdir(output):
        raise RunError('cannot write %s: it is a directory' % output, 2)
    parent = os.path.dirname(output) or '.'
    if not os.path.isdir(parent):
        raise RunError('cannot write %s: no directory %s' % (output, parent), 2)


def _mode(infile: BinaryIO) -> int:
    """The output's permissions: what the umask allows, and no wider than
    the input's (its mentions are the input's words)."""
    return atomic.output_mode(os.fstat(infile.fileno()).st_mode)


class _Temporary:
    """OUT written through atomic.replacing (a temporary of its own beside
    it, renamed into place at the end, removed on any failure), its
    failures raised as RunError: 2 when no file can be made beside OUT
    (nothing done yet), 1 part way."""

    def __init__(self, path: str, mode: int):
        self.path = path
        self.mode = mode
        self.stack = contextlib.ExitStack()

    def __enter__(self) -> Self:
        try:
            self.file = self.stack.enter_context(atomic.replacing(self.path, self.mode))
        except atomic.WriteError as e:
            directory = os.path.dirname(self.path) or '.'
            raise RunError('cannot write %s: cannot create a file in %s: %s' % (self.path, directory, e.reason),
                           2) from None
        return self

    def write(self, data: bytes) -> None:
        try:
            self.file.write(data)
        except OSError as e:
            raise RunError('cannot write %s: %s' % (self.path, e.strerror or e), 1) from None

    def __exit__(self, *exc) -> None:
        try:
            self.stack.__exit__(*exc)
        except atomic.WriteError as e:        # the last buffered write, or the rename
            raise RunError(str(e), 1) from None


def _kind(value) -> str:
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if value is None:
        return 'null'
    kinds: dict[type, str] = {dict: 'an object', list: 'an array', str: 'a string'}
    return kinds.get(type(value), 'a number')


def _label(id: bytes | None) -> str:
    """The id for Outcome and messages: a string id as itself, others as JSON."""
    if id is None:
        return ''
    text = id.decode('utf-8')
    return json.loads(text) if text.startswith('"') else text


def _no_constant(name: str):
    raise ValueError('%s is not a JSON value' % name)
