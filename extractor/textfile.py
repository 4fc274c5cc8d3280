"""Bytes of a text file → str, with the encoding that was used.

Accepts UTF-8 (with or without BOM), UTF-16 (BOM or not), cp1251 and KOI8-R.
A UTF-8 file with a few broken bytes is read with replacement characters,
rather than rejected or mistaken for a legacy code page; anything that looks
like binary data is rejected with the reason."""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

BOMS = (
    (codecs.BOM_UTF32_LE, 'utf-32'), (codecs.BOM_UTF32_BE, 'utf-32'),
    (codecs.BOM_UTF8, 'utf-8-sig'),
    (codecs.BOM_UTF16_LE, 'utf-16'), (codecs.BOM_UTF16_BE, 'utf-16'),
)
LEGACY = ['utf_16_le', 'utf_16_be', 'cp1251', 'koi8_r']
UTF8_CYRILLIC = re.compile(rb'[\xd0\xd1][\x80-\xbf]')
# bytes that never occur in text: C0 controls other than tab, newlines, form feed, escape
CONTROL = re.compile(rb'[\x00-\x08\x0e-\x1a\x1c-\x1f]')


class NotText(ValueError):
    """The bytes are not text this program can read; the message says why."""


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name). Raises NotText."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as e:
                raise NotText('starts with a %s byte order mark but does not decode: %s' % (encoding, e))
    # Before UTF-8: Cyrillic UTF-16 is also valid UTF-8 (of control characters).
    utf16 = guess_utf16(data)
    if utf16:
        return data.decode(utf16), utf16
    try:
        return data.decode('utf-8'), 'utf-8'
    except UnicodeDecodeError:
        pass
    if looks_binary(data):
        raise NotText('binary data, not text (%d control bytes in the first 4096)'
                      % len(CONTROL.findall(data[:4096])))
    text = data.decode('utf-8', errors='replace')
    broken = text.count('\ufffd')
    if len(UTF8_CYRILLIC.findall(data)) > 4 * broken:
        return text, 'utf-8 (%d undecodable bytes replaced)' % broken
    best = from_bytes(data, cp_isolation=LEGACY).best()
    if best is None:
        raise NotText('not UTF-8, UTF-16, cp1251 or KOI8-R text')
    encoding = codecs.lookup(best.encoding).name
    return str(best), encoding


def guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte order mark: NUL high bytes on one side."""
    if len(data) < 2 or len(data) % 2:
        return None
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for zeros, other, encoding in ((odd, even, 'utf-16-le'), (even, odd, 'utf-16-be')):
        # ASCII text has NUL in every other byte; Cyrillic has 0x04 there instead.
        high = sample[1::2] if encoding == 'utf-16-le' else sample[0::2]
        share = (zeros + high.count(4)) / half
        if share > 0.7 and other < half * 0.05:
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    return bool(sample) and len(CONTROL.findall(sample)) > max(2, len(sample) // 100)


def read(path: str) -> tuple[str, str]:
    with open(path, 'rb') as f:
        return decode(f.read())
