"""Bytes of a text file → str, with the encoding that was used.

Accepts UTF-8 (with or without BOM), UTF-16 (BOM or not), cp1251 and KOI8-R.
A UTF-8 file with a few broken bytes is read with replacement characters,
rather than rejected or mistaken for a legacy code page; anything that looks
like binary data is rejected with the reason.

A file too long to hold twice is read by `stream`: a first pass over its
bytes decides the encoding as `decode` does, a second decodes it a piece at
a time. `decode`, `read` and `stream` decide alike on the same bytes: every
rule looks at the same bytes in each (the first 4096, all of them, or the
legacy sample), never at how they were read."""
from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
import stat
from collections.abc import Iterator
from typing import BinaryIO

BOMS = (
    (codecs.BOM_UTF32_LE, 'utf-32'), (codecs.BOM_UTF32_BE, 'utf-32'),
    (codecs.BOM_UTF8, 'utf-8-sig'),
    (codecs.BOM_UTF16_LE, 'utf-16'), (codecs.BOM_UTF16_BE, 'utf-16'),
)
LEGACY = ['utf_16_le', 'utf_16_be', 'cp1251', 'koi8_r']
UTF8_CYRILLIC = re.compile(rb'[\xd0\xd1][\x80-\xbf]')
# bytes that never occur in text: C0 controls other than tab, newlines, form feed, escape
CONTROL = re.compile(rb'[\x00-\x08\x0e-\x1a\x1c-\x1f]')
HIGH = re.compile(rb'[\x80-\xff]')


class NotText(ValueError):
    """The bytes are not text this program can read; the message says why."""


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name). Raises NotText."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as e:
                raise bad_bom(encoding, e)
    # Before UTF-8: Cyrillic UTF-16 is also valid UTF-8 (of control characters).
    utf16 = guess_utf16(data)
    if utf16:
        return data.decode(utf16), utf16
    # Before UTF-8 too: NUL bytes (a disk image, /dev/zero) are valid UTF-8.
    reject_binary(data)
    try:
        return data.decode('utf-8'), 'utf-8'
    except UnicodeDecodeError:
        pass
    text = data.decode('utf-8', errors='replace')
    broken = text.count('\ufffd')
    if len(UTF8_CYRILLIC.findall(data)) > 4 * broken:
        return text, 'utf-8 (%d undecodable bytes replaced)' % broken
    high = HIGH.search(data)
    start = legacy_start(high.start() if high else None)
    encoding = legacy_encoding(data[start:start + DETECT])
    return data.decode(encoding, errors='replace'), encoding


def guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte order mark: NUL high bytes on one side."""
    if len(data) < 2 or len(data) % 2:
        return None
    encoding = utf16_order(data[:4096])
    if encoding:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            return None
    return encoding


def utf16_order(sample: bytes) -> str | None:
    """The byte order that the first bytes of BOM-less UTF-16 text suggest."""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for zeros, other, encoding in ((odd, even, 'utf-16-le'), (even, odd, 'utf-16-be')):
        # ASCII text has NUL in every other byte; Cyrillic has 0x04 there instead.
        high = sample[1::2] if encoding == 'utf-16-le' else sample[0::2]
        share = (zeros + high.count(4)) / half
        if share > 0.7 and other < half * 0.05:
            return encoding
    return None


def looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    return bool(sample) and len(CONTROL.findall(sample)) > max(2, len(sample) // 100)


def reject_binary(data: bytes) -> None:
    if looks_binary(data):
        raise NotText('binary data, not text (%d control bytes in the first 4096)'
                      % len(CONTROL.findall(data[:4096])))


def legacy_start(first_high: int | None) -> int:
    """Where the sample a legacy code page is recognised from starts: at the
    first byte that is not ASCII (an ASCII preamble says nothing about the
    code page), at an even offset (UTF-16 is among the candidates). The
    sample is the DETECT bytes from there, in decode() and stream() alike:
    decode() once looked at all the bytes and stream() at the first DETECT,
    and they chose different code pages for one file."""
    return 0 if first_high is None else first_high - first_high % 2


def legacy_encoding(sample: bytes) -> str:
    """charset_normalizer's choice among the legacy code pages."""
    from charset_normalizer import from_bytes  # rarely needed: imported then
    best = from_bytes(sample, cp_isolation=LEGACY).best()
    if best is None:
        raise NotText('not UTF-8, UTF-16, cp1251 or KOI8-R text')
    return codecs.lookup(best.encoding).name


def bad_bom(encoding: str, error: UnicodeDecodeError) -> NotText:
    return NotText('starts with a %s byte order mark but does not decode: %s' % (encoding, error))


def open_regular(path: str) -> io.BufferedReader:
    """The file opened for reading, if it is a regular file. Opened without
    blocking, so that a FIFO (or a device) put where a file was is refused
    instead of waiting forever for a writer. Raises NotText or OSError."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, 'O_CLOEXEC', 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotText('not a regular file (%s)' % _kind(mode))
        os.set_blocking(fd, True)
        return os.fdopen(fd, 'rb')
    except BaseException:
        os.close(fd)
        raise


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, 'a directory'), (stat.S_ISFIFO, 'a FIFO'), (stat.S_ISCHR, 'a device'),
                       (stat.S_ISBLK, 'a device'), (stat.S_ISSOCK, 'a socket')):
        if test(mode):
            return name
    return 'not a file'


def read_bytes(path: str) -> bytes:
    with open_regular(path) as f:
        return f.read()


def read(path: str) -> tuple[str, str]:
    return decode(read_bytes(path))


PIECE = 1 << 20          # bytes read at a time by stream()
DETECT = 1 << 20         # bytes a legacy code page is recognised from, by stream()
STREAM = 8 << 20         # files larger than this are worth streaming


def stream(path: str) -> tuple[Iterator[str], str]:
    """(the text in pieces, encoding name) of a file, decided as read()
    decides. NotText is raised here, or by the pieces for a file with a byte
    order mark that stops decoding part way."""
    with open_regular(path) as f:
        head = f.read(4096)
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return _pieces(path, encoding, 'strict'), encoding
    size = os.path.getsize(path)
    utf16 = utf16_order(head) if size >= 2 and size % 2 == 0 else None
    valid16, valid8, cyrillic, replaced, first_high = _survey(path, utf16)
    if utf16 and valid16:
        return _pieces(path, utf16, 'strict'), utf16
    reject_binary(head)
    if valid8:
        return _pieces(path, 'utf-8', 'strict'), 'utf-8'
    if cyrillic > 4 * replaced:
        return _pieces(path, 'utf-8', 'replace'), 'utf-8 (%d undecodable bytes replaced)' % replaced
    with open_regular(path) as f:
        f.seek(legacy_start(first_high))
        encoding = legacy_encoding(f.read(DETECT))
    return _pieces(path, encoding, 'replace'), encoding


def _survey(path: str, utf16: str | None) -> tuple[bool, bool, int, int, int | None]:
    """One pass over a file's bytes: whether they are valid UTF-16 (of the
    guessed order) and UTF-8, how many look like UTF-8 Cyrillic, how many
    replacement characters UTF-8 decoding would give, and the offset of the
    first byte that is not ASCII (None: there is none)."""
    strict16 = codecs.getincrementaldecoder(utf16)() if utf16 else None
    strict8 = codecs.getincrementaldecoder('utf-8')()
    lenient8 = codecs.getincrementaldecoder('utf-8')(errors='replace')
    valid16, valid8, cyrillic, replaced, tail = bool(utf16), True, 0, 0, b''
    first_high, offset = None, 0
    with open_regular(path) as f:
        while True:
            data = f.read(PIECE)
            final = not data
            if first_high is None and (high := HIGH.search(data)):
                first_high = offset + high.start()
            offset += len(data)
            valid16 = valid16 and strict16 is not None and _decodes(strict16, data, final)
            valid8 = valid8 and _decodes(strict8, data, final)
            replaced += lenient8.decode(data, final).count('\ufffd')
            # a two-byte pattern may straddle two reads
            cyrillic += len(UTF8_CYRILLIC.findall(tail + data)) - len(UTF8_CYRILLIC.findall(tail))
            tail = data[-1:] if data else tail
            if final:
                return valid16, valid8, cyrillic, replaced, first_high


def _decodes(decoder: codecs.IncrementalDecoder, data: bytes, final: bool) -> bool:
    try:
        decoder.decode(data, final)
    except UnicodeDecodeError:
        return False
    return True


def _pieces(path: str, encoding: str, errors: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    with open_regular(path) as f:
        while True:
            data = f.read(PIECE)
            try:
                text = decoder.decode(data, not data)
            except UnicodeDecodeError as e:
                raise bad_bom(encoding, e)
            if text:
                yield text
            if not data:
                return


@contextlib.contextmanager
def spool(stream: BinaryIO) -> Iterator[str]:
    """The path of a temporary copy of a stream (standard input), so that it
    is read as a file is, a piece at a time when long, by the same rules.
    Binary data (NUL bytes: `< /dev/zero`) is refused from its first 4096
    bytes, before anything more is read. The copy is removed at the end."""
    import shutil
    import tempfile

    head = stream.read(4096)
    # what decode() would refuse from these bytes, refused before reading on
    if not any(head.startswith(bom) for bom, _ in BOMS) and utf16_order(head[:len(head) // 2 * 2] or b'  ') is None:
        reject_binary(head)
    with tempfile.NamedTemporaryFile(prefix='extractor-stdin-', suffix='.txt') as copy:
        copy.write(head)
        if len(head) == 4096:         # else the end was seen: a terminal would wait for a second Ctrl-D
            shutil.copyfileobj(stream, copy, PIECE)
        copy.flush()
        yield copy.name
