"""Soak test: hostile text through the library and the CLI for a while.

    python scripts/soak.py --minutes 10 [--seed N] [--cli-every 25] [--big-every 40] [--save DIR]

Generates texts from real news sentences (../shared/samples and the factRuEval
texts when present) spoiled the way real input is: invisible characters and
stress marks inside words, odd spaces, quotes and dashes, HTML entity
leftovers, Latin look-alikes, all capitals, odd line breaks, random Unicode
and control characters, runs without punctuation, huge tokens. Each text goes
through the library (twice, to check determinism); every --cli-every-th goes
through `python -m extractor extract -` in a random encoding. Checks: no
exception, every offset valid with text[start:end] == mention.text, output
deterministic, and inserting only invisible characters into a clean text
does not change its entities' normal forms. Prints the counts; exits 1 if
any check failed.

The seed is printed first and written with every failure: `--seed N` runs
the same texts again. Each failure also saves its input to --save (default
soak-failures/ here): the text as UTF-8 (`N-kind.txt`, lone surrogates
escaped), the exact bytes given to the CLI (`N-kind.bin`), and what was seen
(`N-kind.json`: seed, text number, encodings, the CLI's output)."""
from __future__ import annotations

import argparse
import glob
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import Extractor, textfile

SHARED = Path(os.environ.get('EXTRACTOR_SHARED', ROOT.parent / 'shared'))
# real sentences for when ../shared is absent (the property tests use them too)
FALLBACK = (ROOT / 'tests' / 'data' / 'sentences.txt').read_text(encoding='utf-8').splitlines()
INVISIBLE = '\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u034f'
SPACES = '\u00a0\u2009\u202f\u2002\u2003\u3000\u205f'
QUOTES = '«»„“”‟‹›‘’‚‛″"\''
DASHES = '‐‑‒–—―−-'
ENTITIES = ['&nbsp;', '&laquo;', '&raquo;', '&quot;', '&#171;', '&#187;', '&mdash;', '&#xA0;',
            '&amp;', '&shy;', '&bogus;', '&#0;', '&#x110000;', '&']
LOOKALIKE = dict(zip('АВСЕНКМОРТХУасеорху', 'ABCEHKMOPTXYaceopxy'))
BREAKS = ['\n', '\r\n', '\r', '\u2028', '\u2029', '\x0b', '\x0c', '\x85', '\n\n']
ENCODINGS = ['utf-8', 'utf-8-sig', 'utf-16', 'utf-16-le', 'utf-16-be', 'cp1251', 'koi8-r']


def load_sentences() -> list[str]:
    texts = []
    sample = SHARED / 'samples' / 'oman-talks.txt'
    if sample.is_file():
        texts.append(sample.read_text(encoding='utf-8'))
    for path in sorted(glob.glob(str(SHARED / 'data' / 'factru-dev' / '*.txt')))[:200]:
        texts.append(Path(path).read_text(encoding='utf-8', errors='replace'))
    lines = [line.strip() for t in texts for line in t.splitlines() if len(line.strip()) > 20]
    return lines or FALLBACK


def insert_invisible(rng: random.Random, s: str, rate: float) -> str:
    return ''.join(c + (rng.choice(INVISIBLE) if rng.random() < rate else '') for c in s)


def spoil(rng: random.Random, s: str) -> str:
    """One sentence spoiled in a few random ways."""
    for _ in range(rng.randint(1, 4)):
        how = rng.randrange(12)
        if how == 0:
            s = insert_invisible(rng, s, rng.choice([0.02, 0.1, 0.5]))
        elif how == 1:          # stress marks after vowels
            s = ''.join(c + ('\u0301' if c in 'аеиоуыэюяАЕИОУЫЭЮЯ' and rng.random() < 0.2 else '') for c in s)
        elif how == 2:
            s = ''.join(rng.choice(SPACES) if c == ' ' and rng.random() < 0.5 else c for c in s)
        elif how == 3:
            s = ''.join(rng.choice(QUOTES) if c in '"«»' else rng.choice(DASHES) if c in '-—–' else c for c in s)
        elif how == 4:
            s = ''.join(rng.choice(ENTITIES) if c in ' "«»' and rng.random() < 0.3 else c for c in s)
        elif how == 5:
            s = ''.join(LOOKALIKE.get(c, c) if rng.random() < 0.1 else c for c in s)
        elif how == 6:
            s = s.upper()
        elif how == 7:          # random Unicode, controls and lone surrogates included
            chars = [chr(rng.randrange(0x110000)) for _ in range(rng.randint(1, 30))]
            at = rng.randrange(len(s) + 1)
            s = s[:at] + ''.join(chars) + s[at:]
        elif how == 8:
            s = ''.join(rng.choice(BREAKS) if c == ' ' and rng.random() < 0.1 else c for c in s)
        elif how == 9:          # decomposed й and ё
            s = s.replace('й', 'и\u0306').replace('ё', 'е\u0308')
        elif how == 10:
            s = ''.join(rng.choice(['\x00', '\x07', '\x1b', '\ufffd', '\x7f', '\u0483']) if rng.random() < 0.02 else c for c in s)
        else:
            s = s.replace(' ', rng.choice(['', '  ', '\t']))
    return s


def long_run(rng: random.Random, words: list[str], size: int) -> str:
    kind = rng.randrange(5)
    if kind == 0:               # a paragraph without punctuation
        out, n = [], 0
        while n < size:
            w = rng.choice(words)
            out.append(w)
            n += len(w) + 1
        return ' '.join(out)
    if kind == 1:               # one enormous token
        return rng.choice('аЯz1') * size
    if kind == 2:
        return rng.choice(['"а" ', '.....', '((((', '1.1.', '!?', '&nbsp;', '\u00ad', 'а\u0301']) * (size // 4)
    if kind == 3:
        return rng.choice(INVISIBLE + SPACES) * size
    return ''.join(chr(rng.randrange(0x20, 0x3000)) for _ in range(size))


def generate(rng: random.Random, sentences: list[str], big: bool) -> str:
    parts = []
    for _ in range(rng.randint(1, 40)):
        s = rng.choice(sentences)
        parts.append(spoil(rng, s) if rng.random() < 0.7 else s)
        parts.append(rng.choice([' ', '\n', '\n\n', '']))
    if big or rng.random() < 0.1:
        words = ' '.join(sentences[:50]).split()
        size = rng.choice([5_000, 50_000, 300_000, 1_000_000]) if big else rng.randint(100, 20_000)
        at = rng.randrange(len(parts) + 1)
        parts.insert(at, long_run(rng, words, size))
    return ''.join(parts)


class Counts:
    def __init__(self, seed: int = 0, save: Path | None = None):
        self.seed, self.save, self.n = seed, save, 0      # n: the number of the current text
        self.texts = self.chars = self.mentions = self.tokens = 0
        self.cli_runs = self.cli_rejected = 0
        self.crashes = self.offset_violations = self.nondeterminism = self.invariance = self.readers = 0
        self.failures: list[str] = []

    def fail(self, kind: str, text: str, detail: str, data: bytes | None = None, **seen) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        if len(self.failures) < 20:
            self.failures.append('%s: %s (seed %d, text %d: %r...)' % (kind, detail, self.seed, self.n, text[:200]))
            print('soak: FAILED ' + self.failures[-1], flush=True)
        if self.save is not None:
            # A failure without its input cannot be looked into later.
            self.save.mkdir(parents=True, exist_ok=True)
            stem = self.save / ('%d-%d-%s' % (self.seed, self.n, kind))
            stem.with_suffix('.txt').write_bytes(text.encode('utf-8', errors='backslashreplace'))
            if data is not None:
                stem.with_suffix('.bin').write_bytes(data)
            record = dict(seed=self.seed, text=self.n, kind=kind, detail=detail, **seen)
            stem.with_suffix('.json').write_text(json.dumps(record, ensure_ascii=False, indent=1,
                                                            default=repr), encoding='utf-8')
            print('soak: saved %s.*' % stem, flush=True)

    def line(self) -> str:
        return ('texts %d, characters %d, mentions %d, tokens %d, CLI runs %d (rejected as not text %d), '
                'crashes %d, offset violations %d, non-determinism %d, invisible-character invariance %d, '
                'readers disagreeing %d'
                % (self.texts, self.chars, self.mentions, self.tokens, self.cli_runs, self.cli_rejected,
                   self.crashes, self.offset_violations, self.nondeterminism, self.invariance, self.readers))


def offsets_ok(text: str, doc) -> str | None:
    n = len(text)
    for e in doc.entities:
        for m in e.mentions:
            if not (0 <= m.start < m.end <= n) or text[m.start:m.end] != m.text:
                return 'mention %r at %d:%d' % (m.text, m.start, m.end)
    for s in doc.sentences or []:
        if not (0 <= s.start < s.end <= n):
            return 'sentence %d:%d' % (s.start, s.end)
    for t in doc.tokens or []:
        if not (0 <= t.start < t.end <= n) or text[t.start:t.end] != t.text:
            return 'token %r at %d:%d' % (t.text, t.start, t.end)
    return None


def check_library(ex: Extractor, counts: Counts, text: str, tokens: bool) -> None:
    try:
        doc = ex(text, tokens=tokens)
        data = doc.to_bytes(tokens=tokens)
    except Exception:  # noqa: BLE001  a crash is what the soak records
        counts.fail('crashes', text, traceback.format_exc(limit=3))
        return
    counts.texts += 1
    counts.chars += len(text)
    counts.mentions += sum(len(e.mentions) for e in doc.entities)
    counts.tokens += len(doc.tokens or [])
    bad = offsets_ok(text, doc)
    if bad:
        counts.fail('offset_violations', text, bad)
    if len(text) < 100_000 and ex(text, tokens=tokens).to_bytes(tokens=tokens) != data:
        counts.fail('nondeterminism', text, 'a second run differs')


def check_invariance(ex: Extractor, counts: Counts, rng: random.Random, sentences: list[str]) -> None:
    clean = ' '.join(rng.choice(sentences) for _ in range(rng.randint(1, 5)))
    dirty = insert_invisible(rng, clean, rng.choice([0.05, 0.3]))
    try:
        a = sorted((e.type, m.normal) for e in ex(clean, tokens=False).entities for m in e.mentions)
        b = sorted((e.type, m.normal) for e in ex(dirty, tokens=False).entities for m in e.mentions)
    except Exception:  # noqa: BLE001  a crash is what the soak records
        counts.fail('crashes', dirty, traceback.format_exc(limit=3))
        return
    if a != b:
        counts.fail('invariance', dirty, '%s != %s' % (a, b))


def check_readers(counts: Counts, text: str, data: bytes, decoded: tuple) -> None:
    """read() and stream() of a file of these bytes decide as decode() did."""

    def joined_stream(path: str) -> tuple[str, str]:
        pieces, encoding = textfile.stream(path)
        return ''.join(pieces), encoding

    with tempfile.NamedTemporaryFile(suffix='.txt') as f:
        f.write(data)
        f.flush()
        for name, reader in (('read', textfile.read),
                             ('stream', joined_stream)):
            try:
                got = reader(f.name)
            except textfile.NotText:
                got = (None, None)
            if got != decoded:
                counts.fail('readers', text, '%s() gives %s, decode() %s' % (name, got[1], decoded[1]), data,
                            reader=name, decode=decoded[1], got=got[1])


def check_cli(ex: Extractor, counts: Counts, rng: random.Random, text: str) -> None:
    written = rng.choice(ENCODINGS)
    data = text.encode(written, errors='replace' if written in ('cp1251', 'koi8-r') else 'surrogatepass')
    if written.startswith('utf') and any('\ud800' <= c <= '\udfff' for c in text):
        data = text.encode(written, errors='replace')
    proc = subprocess.run([sys.executable, '-m', 'extractor', 'extract', '-'], input=data,
                          capture_output=True, cwd=ROOT, env={**os.environ, 'PYTHONPATH': str(ROOT)}, check=False)
    counts.cli_runs += 1
    try:
        decoded, read_as = textfile.decode(data)
    except textfile.NotText:
        decoded = read_as = None
    check_readers(counts, text, data, (decoded, read_as))
    # the encoding written, and the one the library decided (they may differ)
    how = '%s, read as %s' % (written, read_as)
    seen = {'written': written, 'read_as': read_as, 'rc': proc.returncode,
            'stdout': proc.stdout.decode('utf-8', 'replace')[-20000:],
            'stderr': proc.stderr.decode('utf-8', 'replace')[-5000:]}
    if decoded is None:
        if proc.returncode == 1 and b'<stdin>' in proc.stderr:
            counts.cli_rejected += 1
        else:
            counts.fail('crashes', text, 'CLI on not-text: rc %d %s' % (proc.returncode, proc.stderr[-300:]),
                        data, **seen)
        return
    if proc.returncode != 0:
        counts.fail('crashes', text, 'CLI rc %d (%s): %s' % (proc.returncode, how, proc.stderr[-500:]),
                    data, **seen)
        return
    out = json.loads(proc.stdout)
    if out.get('encoding') != read_as:
        counts.fail('nondeterminism', text, 'CLI read it as %s (%s)' % (out.get('encoding'), how), data, **seen)
        return
    for e in out.get('entities', []):
        for m in e['mentions']:
            if decoded[m['start']:m['end']] != m['text']:
                counts.fail('offset_violations', text, 'CLI mention %r (%s)' % (m['text'], how), data, **seen)
    if out.get('entities', []) != ex(decoded, tokens=False).to_dict().get('entities', []):
        counts.fail('nondeterminism', text, 'CLI and library differ (%s)' % how, data, **seen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--minutes', type=float, default=10)
    parser.add_argument('--seed', type=int, default=None)
    parser.add_argument('--cli-every', type=int, default=25, help='every Nth text also goes through the CLI')
    parser.add_argument('--big-every', type=int, default=40, help='every Nth text holds a run of up to 1M characters')
    parser.add_argument('--save', type=Path, default=Path('soak-failures'),
                        help='where the inputs of failures are saved (default soak-failures/)')
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    sentences = load_sentences()
    ex = Extractor()
    counts = Counts(seed, args.save)
    deadline = time.monotonic() + args.minutes * 60
    report_at = time.monotonic() + 60
    n = 0
    print('soak: seed %d, %d source sentences, %.1f minutes' % (seed, len(sentences), args.minutes), flush=True)
    while time.monotonic() < deadline:
        n += 1
        counts.n = n
        text = generate(rng, sentences, big=n % args.big_every == 0)
        check_library(ex, counts, text, tokens=rng.random() < 0.5)
        check_invariance(ex, counts, rng, sentences)
        if n % args.cli_every == 0:
            check_cli(ex, counts, rng, text if len(text) < 300_000 else text[:300_000])
        if time.monotonic() > report_at:
            print('soak: ' + counts.line(), flush=True)
            report_at += 60
    print('soak: done. ' + counts.line())
    for failure in counts.failures:
        print('  ' + failure)
    return 1 if (counts.crashes or counts.offset_violations or counts.nondeterminism or counts.invariance
                 or counts.readers) else 0


if __name__ == '__main__':
    sys.exit(main())
