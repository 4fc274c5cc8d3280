"""Speed and memory of `extractor batch` against plain Natasha, in one run.

Both run as whole processes over the same files (≥ 2 MB of Russian news from
../shared/data by default), alternating, several rounds; the best wall time
of each counts. Prints chars/s and peak RSS of each, the ratios, and whether
the targets hold:

  one process ≥ 2.0 × Natasha's chars/s (with tokens and lemmas output too),
  and ≥ 3.0 × (the goal of the issues since 0.3.0), also against Natasha with
  NumPy's BLAS on one thread (extractor runs its network so; on a busy
  machine Natasha's two threads lose much more time than they gain), with
  CPU seconds (all threads) beside the wall times;
  --workers 2 ≥ 1.8 × one process; peak RSS ≤ Natasha's; start-up ≤ 1 s;
  with --scale: a 50 MB file grows memory only by its mentions (≤ 256 bytes
  each over a 5 MB file), 100 000 small files use ≤ 1.5 × the memory of 10 000
  and rebuilding their corpus index alone (a rerun, all up to date) takes
  ≤ 10 % of their batch's time and ≤ 1.5 × its peak RSS,
  a roster of alike surnames twice as long takes ≤ 1.5 × twice the time and
  name comparisons (grouping was quadratic in it).

  python scripts/benchmark.py [--data ../shared/data] [--mb 2] [--rounds 3]
  python scripts/benchmark.py --scale    # also: one 50 MB file, 100 000 small files, rosters
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Natasha's documented pipeline, as in ../shared/tools/natasha_baseline.py.
NATASHA = r'''
import json, os, sys
from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter
src, dst = sys.argv[1], sys.argv[2]
segmenter, vocab = Segmenter(), MorphVocab()
emb = NewsEmbedding()
morph, ner = NewsMorphTagger(emb), NewsNERTagger(emb)
if src == '--load-only':
    sys.exit(0)
os.makedirs(dst, exist_ok=True)
for name in sorted(os.listdir(src)):
    text = open(os.path.join(src, name), encoding='utf-8').read()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_morph(morph)
    doc.tag_ner(ner)
    entities = {}
    for span in doc.spans:
        span.normalize(vocab)
        key = (span.type, span.normal)
        entities.setdefault(key, {'type': span.type, 'normal': span.normal, 'mentions': []})
        entities[key]['mentions'].append({'start': span.start, 'end': span.stop, 'text': span.text})
    with open(os.path.join(dst, name[:-4] + '.json'), 'w', encoding='utf-8') as f:
        json.dump({'entities': list(entities.values())}, f, ensure_ascii=False)
'''
LOAD_EXTRACTOR = 'from extractor import Extractor; Extractor()'


def measure(cmd: list[str], cpu: list[float] | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one whole process; its CPU
    seconds (user + system, all its threads) appended to `cpu`."""
    # The previous run's outputs go to disk first, so that flushing them
    # does not take a core from this run.
    os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors='replace')
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit('failed: %s\n%s' % (' '.join(cmd), stderr[-2000:]))
    if cpu is not None:
        cpu.append(usage.ru_utime + usage.ru_stime)
    return wall, usage.ru_maxrss / 1024


def collect(data: Path, target: int, dst: Path) -> int:
    """Copies news texts from the corpora into dst until `target` chars."""
    dst.mkdir(parents=True)
    total = 0
    for n, path in enumerate(sorted(data.rglob('*.txt'))):
        if total >= target:
            break
        text = path.read_text(encoding='utf-8')
        (dst / ('%05d.txt' % n)).write_text(text, encoding='utf-8')
        total += len(text)
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', type=Path, default=ROOT.parent / 'shared' / 'data')
    ap.add_argument('--mb', type=float, default=2.0, help='million characters of text (default 2)')
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--scale', action='store_true', help='also a 50 MB file and 100 000 small files')
    args = ap.parse_args()
    py = sys.executable
    work = Path(tempfile.mkdtemp(prefix='extractor-bench-'))
    try:
        chars = collect(args.data, int(args.mb * 1e6), work / 'in')
        script = work / 'natasha_run.py'
        script.write_text(NATASHA)
        systems = {
            'natasha': lambda out: [py, str(script), str(work / 'in'), str(out)],
            # Natasha at its best here: NumPy's BLAS on one thread, as extractor runs its network
            # (two threads on small products wait on each other, and on a busy machine much longer)
            'natasha 1 BLAS thread': lambda out: ['env', 'OPENBLAS_NUM_THREADS=1', 'OMP_NUM_THREADS=1', 'MKL_NUM_THREADS=1',
                                                  py, str(script), str(work / 'in'), str(out)],
            'extractor': lambda out: [py, '-m', 'extractor', 'batch', str(work / 'in'), '-o', str(out)],
            'extractor --tokens': lambda out: [py, '-m', 'extractor', 'batch', str(work / 'in'), '-o', str(out),
                                               '--tokens'],
            'extractor --workers 2': lambda out: [py, '-m', 'extractor', 'batch', str(work / 'in'), '-o',
                                                  str(out), '--workers', '2'],
        }
        best: dict[str, tuple[float, float]] = {}
        walls: dict[str, list[float]] = {name: [] for name in systems}
        cpus: dict[str, list[float]] = {name: [] for name in systems}
        for round in range(args.rounds):
            for name, cmd in systems.items():
                # A fresh folder each run, nothing deleted until the end: ext4 slows
                # down creating files just after thousands were deleted.
                out = work / ('out-%d-%s' % (round, name.replace(' ', '').replace('-', '')))
                wall, rss = measure(cmd(out), cpus[name])
                walls[name].append(wall)
                old = best.get(name)
                best[name] = (min(wall, old[0]) if old else wall, max(rss, old[1]) if old else rss)
                print('round %d  %-22s %6.2f s  %5.0f MB' % (round + 1, name, wall, rss), file=sys.stderr)
        startup = {
            'natasha': min(measure([py, str(script), '--load-only', '-'])[0] for _ in range(3)),
            'extractor': min(measure([py, '-c', LOAD_EXTRACTOR])[0] for _ in range(3)),
        }
        files = len(list((work / 'in').iterdir()))
        print('\n%d files, %.2f M characters, best of %d rounds, %d CPU cores'
              % (files, chars / 1e6, args.rounds, os.cpu_count()))
        print('%-22s %8s %10s %8s %8s %8s %9s' % ('system', 'wall s', 'kchar/s', 'vs nat.', 'vs 1-th.', 'RSS MB',
                                                  'CPU s'))
        base = chars / best['natasha'][0]
        one_thread = chars / best['natasha 1 BLAS thread'][0]
        for name, (wall, rss) in best.items():
            print('%-22s %8.2f %10.1f %7.2fx %7.2fx %8.0f %9.2f' % (
                name, wall, chars / wall / 1e3, chars / wall / base, chars / wall / one_thread, rss, min(cpus[name])))
        # per CPU-second: what the machine pays, whatever the threads do
        print('chars per CPU-second, extractor vs natasha: %.2fx (vs natasha on 1 BLAS thread: %.2fx)'
              % (min(cpus['natasha']) / min(cpus['extractor']),
                 min(cpus['natasha 1 BLAS thread']) / min(cpus['extractor'])))
        print('start-up (import + load): natasha %.2f s, extractor %.2f s' % (startup['natasha'], startup['extractor']))
        # The machine is shared: how much the ratios move from round to round.
        for label, a, b in (('extractor vs natasha', 'natasha', 'extractor'),
                            ('extractor vs natasha on 1 BLAS thread', 'natasha 1 BLAS thread', 'extractor'),
                            ('--workers 2 vs one process', 'extractor', 'extractor --workers 2')):
            print('%s, round by round: %s' % (label, ' '.join('%.2f' % (x / y) for x, y in zip(walls[a], walls[b]))))
        one = chars / best['extractor'][0]
        checks = [
            ('one process >= 2.0x natasha', one / base >= 2.0, '%.2fx' % (one / base)),
            ('one process >= 3.0x natasha', one / base >= 3.0, '%.2fx' % (one / base)),
            ('... and natasha on 1 BLAS thread', one / one_thread >= 3.0, '%.2fx' % (one / one_thread)),
            ('with --tokens >= 2.0x natasha', chars / best['extractor --tokens'][0] / base >= 2.0,
             '%.2fx' % (chars / best['extractor --tokens'][0] / base)),
            ('--workers 2 >= 1.8x one process', best['extractor'][0] / best['extractor --workers 2'][0] >= 1.8,
             '%.2fx' % (best['extractor'][0] / best['extractor --workers 2'][0])),
            ('peak RSS <= natasha', best['extractor'][1] <= best['natasha'][1],
             '%.0f vs %.0f MB' % (best['extractor'][1], best['natasha'][1])),
            ('start-up <= 1 s', startup['extractor'] <= 1.0, '%.2f s' % startup['extractor']),
        ]
        if args.scale:
            checks += scale(py, work, args.data)
        print()
        for label, ok, value in checks:
            print('%-34s %-16s %s' % (label, value, 'ok' if ok else 'MISSED'))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def count_mentions(py: str, path: Path) -> int:
    """Mentions in a JSON output, counted in a process of its own: a child
    forked from this one would count this one's memory in its peak RSS."""
    script = 'import json, sys; print(sum(len(e["mentions"]) for e in json.load(open(sys.argv[1]))["entities"]))'
    return int(subprocess.run([py, '-c', script, str(path)], capture_output=True, text=True, check=True).stdout)


def scale(py: str, work: Path, data: Path) -> list[tuple[str, bool, str]]:
    """Memory stays bounded: a 5 MB and a 50 MB file, 10 000 and 100 000 small files."""
    sample = ''.join(p.read_text(encoding='utf-8') + '\n' for p in sorted((work / 'in').iterdir())[:200])
    results = []
    rss, mentions = {}, {}
    for mb in (5, 50):
        folder = work / ('big%d' % mb)
        folder.mkdir()
        with open(folder / 'big.txt', 'w', encoding='utf-8') as f:
            written = 0
            while written < mb * 1e6:
                f.write(sample)
                written += len(sample)
        out = work / ('bigout%d' % mb)
        wall, rss[mb] = measure([py, '-m', 'extractor', 'batch', str(folder), '-o', str(out)])
        mentions[mb] = count_mentions(py, out / 'big.json')
        print('one %d MB file: %.1f s, %.0f MB peak RSS, %d mentions' % (mb, wall, rss[mb], mentions[mb]),
              file=sys.stderr)
        shutil.rmtree(folder)
    # A long file is streamed: what may grow with it is the mentions the
    # output holds (a Mention and its Found while grouping, about 200 bytes),
    # not its text (2 bytes a character) or its tokens.
    per_mention = (rss[50] - rss[5]) * 2**20 / max(1, mentions[50] - mentions[5])
    results.append(('50 MB file: <= 256 B per extra mention', per_mention <= 256,
                    '%.0f B (%.0f vs %.0f MB)' % (per_mention, rss[50], rss[5])))
    return results + small_files_scale(py, work) + roster_scale(py)


def small_files_scale(py: str, work: Path, counts: tuple[int, int] = (10_000, 100_000)) -> list[tuple[str, bool, str]]:
    """Many small files: memory bounded, and the corpus index cheap beside the batch."""
    small = {}
    # Every 400-character piece of the news (thousands of different texts),
    # so that the corpus index has thousands of entities to hold and join.
    news = [p.read_text(encoding='utf-8') for p in sorted((work / 'in').iterdir())]
    texts = [text[start:start + 400] for text in news for start in range(0, len(text) - 200, 400)]
    batch = index_only = (0.0, 0.0)
    for count in counts:
        folder = work / ('small%d' % count)
        for i in range(count):
            sub = folder / ('%03d' % (i // 1000))
            if i % 1000 == 0:
                sub.mkdir(parents=True)
            (sub / ('%06d.txt' % i)).write_text(texts[i % len(texts)], encoding='utf-8')
        wall, small[count] = measure([py, '-m', 'extractor', 'batch', str(folder), '-o',
                                      str(work / ('smallout%d' % count)), '--workers', '2'])
        print('%d small files: %.1f s, %.0f MB peak RSS' % (count, wall, small[count]), file=sys.stderr)
        if count == counts[-1]:
            # The same command again: every output is up to date, so what it
            # does is check them and build OUT/entities.jsonl again (the index
            # alone, over 100 000 JSON outputs read back from disk).
            batch = (wall, small[count])
            index_only = measure([py, '-m', 'extractor', 'batch', str(folder), '-o',
                                  str(work / ('smallout%d' % count)), '--workers', '2'])
            print('its index alone (the rerun): %.1f s, %.0f MB peak RSS' % index_only, file=sys.stderr)
        shutil.rmtree(folder)
        shutil.rmtree(work / ('smallout%d' % count))
    few, many = counts
    return [('%d files RSS within 1.5x of %d' % (many, few), small[many] <= 1.5 * small[few],
             '%.0f vs %.0f MB' % (small[many], small[few])),
            ('%d files: index alone <= 10%% of the batch time' % many, index_only[0] <= 0.1 * batch[0],
             '%.1f vs %.1f s' % (index_only[0], batch[0])),
            ('%d files: index alone RSS <= 1.5x the batch' % many, index_only[1] <= 1.5 * batch[1],
             '%.0f vs %.0f MB' % (index_only[1], batch[1]))]


# One roster (tests/shapes.py) through the library in a process of its own:
# CPU seconds of the call, and person_fits() calls counted through the module.
ROSTER = r'''
import sys, time
sys.path.insert(0, sys.argv[1])
from shapes import roster
from extractor import Extractor, resolve
text, ex, calls = roster(int(sys.argv[2])), Extractor(), [0]
fits = resolve.person_fits
def counting(short, full):
    calls[0] += 1
    return fits(short, full)
resolve.person_fits = counting
start = time.process_time()
ex(text, tokens=False)
print(time.process_time() - start, calls[0])
'''


def roster_scale(py: str) -> list[tuple[str, bool, str]]:
    """Grouping stays linear on «Иван Абр…ов встретился с И. Абр…ов.» lines
    with a new surname each: time and comparisons of two sizes."""
    sys.path.insert(0, str(ROOT / 'tests'))
    from shapes import SHAPES
    small, big = SHAPES['roster']['benchmark_sizes']
    seen = {}
    for size in (small, big):
        out = subprocess.run([py, '-c', ROSTER, str(ROOT / 'tests'), str(size)],
                             capture_output=True, text=True, check=True).stdout.split()
        seen[size] = float(out[0]), int(out[1])
        print('roster of %d KB: %.1f s CPU, %d comparisons' % (size // 1000, *seen[size]), file=sys.stderr)
    bound = 1.5 * big / small
    return [('roster %d KB: time <= %.1fx %d KB' % (big // 1000, bound, small // 1000),
             seen[big][0] <= bound * seen[small][0], '%.1f vs %.1f s CPU' % (seen[big][0], seen[small][0])),
            ('roster %d KB: comparisons <= %.1fx' % (big // 1000, bound),
             seen[big][1] <= bound * seen[small][1], '%d vs %d' % (seen[big][1], seen[small][1]))]


if __name__ == '__main__':
    main()
