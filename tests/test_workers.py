"""Extractor.map / pipe in worker processes: same results, same order."""
from pathlib import Path

from extractor.runner import runs

CORPUS = Path(__file__).resolve().parent.parent / 'corpus' / 'texts'


def test_runs_cover_the_items_in_order_and_shrink():
    items = list(range(1000))
    got = list(runs(items, 2))
    assert [x for run in got for x in run] == items
    sizes = [len(run) for run in got]
    assert sizes == sorted(sizes, reverse=True)
    assert max(sizes) <= 64 and min(sizes[:-1]) >= 4
    assert list(runs([], 2)) == [] and list(runs([1], 2)) == [[1]]


def test_pipe_in_two_workers_equals_one_process(extractor):
    texts = [(p.stem, p.read_text(encoding='utf-8')) for p in sorted(CORPUS.glob('*.txt'))] * 3
    alone = [doc.to_bytes(tokens=True) for doc in extractor.pipe(texts)]
    as_list = [doc.to_bytes(tokens=True) for doc in extractor.pipe(texts, workers=2)]
    as_stream = [doc.to_bytes(tokens=True) for doc in extractor.pipe(iter(texts), workers=2)]
    assert as_list == alone and as_stream == alone and len(alone) == 15


# --- dead workers, failing items, early stops, signals ---

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time

import pytest

from extractor.runner import ItemFailed, LocalRunner, WorkerDied

SENTENCE = 'Министр иностранных дел Ирана Аббас Аракчи прибыл в Маскат.\n'


def die_on_seven(extractor, item):
    if item == 7:
        os.kill(os.getpid(), signal.SIGKILL)          # what the OOM killer does
    return item * 2


def wait_for_flag(extractor, item):
    """Item 0 waits until item 1 has finished (a deadline only against a
    hang): only unordered results can give item 1 first."""
    flag, index = item
    if index == 0:
        deadline = time.time() + 60
        while not os.path.exists(flag) and time.time() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)               # item 1's result, sent before the flag is seen, is ahead
    elif index == 1:
        open(flag, 'w').close()
    return index


def test_a_killed_worker_fails_its_item_and_the_rest_finish():
    runner = LocalRunner(None)
    for items in (list(range(20)), iter(range(20))):
        results = list(runner.map(die_on_seven, items, 2, failures='yield'))
        assert isinstance(results[7], WorkerDied) and 'signal 9' in results[7].reason
        assert [r for n, r in enumerate(results) if n != 7] == [n * 2 for n in range(20) if n != 7]
    with pytest.raises(WorkerDied, match='item 7'):
        list(runner.map(die_on_seven, range(20), 2))
    assert multiprocessing.active_children() == []


def test_unordered_results_come_as_they_are_done(tmp_path):
    # Two items for two workers: one each (four went two to a worker, and
    # item 0 waited out its deadline for item 1 queued behind it).
    assert [len(run) for run in runs([0, 1], 2)] == [1, 1]
    unordered = [(str(tmp_path / 'first'), n) for n in range(2)]
    assert list(LocalRunner(None).map(wait_for_flag, unordered, 2, ordered=False)) == [1, 0]
    ordered = [(str(tmp_path / 'second'), n) for n in range(2)]
    assert list(LocalRunner(None).map(wait_for_flag, ordered, 2)) == [0, 1]


def test_a_few_items_are_spread_over_the_workers():
    for n in range(1, 9):
        assert len(list(runs(list(range(n)), 2))) == min(n, 2)
    assert len({pid for pid in LocalRunner(None).map(lambda_pid, range(4), 2)}) == 2


def lambda_pid(extractor, item):
    time.sleep(0.2)
    return os.getpid()


def test_pipe_names_a_failing_text_and_can_skip_it(extractor, caplog):
    texts = [('a', 'Аббас Аракчи прибыл в Маскат.'), ('b', 12345), ('c', 'В Омане прошли переговоры.')]
    with pytest.raises(ItemFailed, match=r"text 1 \(id 'b'\): TypeError: the text must be a str"):
        list(extractor.pipe(texts, workers=2))
    kept = list(extractor.pipe(texts, workers=2, on_error='skip'))
    assert [d.id for d in kept] == ['a', 'c']
    assert "text 1 (id 'b')" in caplog.text
    seen = []
    assert [d.id for d in extractor.pipe(texts, on_error=seen.append)] == ['a', 'c']
    assert [e.index for e in seen] == [1]


def test_pipe_fails_an_item_that_is_neither_a_text_nor_a_pair(extractor):
    texts = ['Аббас Аракчи прибыл в Маскат.', 5, ('c', 'В Омане прошли переговоры.')]
    with pytest.raises(ItemFailed, match=r'text 1: TypeError: an item is a text or an \(id, text\) pair, not int'):
        list(extractor.pipe(texts))
    assert [d.id for d in extractor.pipe(texts, on_error='skip')] == [None, 'c']


def test_workers_stop_when_the_caller_stops(extractor):
    docs = extractor.pipe(iter(['Аббас Аракчи прибыл в Маскат.'] * 200), workers=2)
    next(docs)
    assert len(multiprocessing.active_children()) == 2
    docs.close()
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize('value, expected', [(None, 'not NoneType'), (123, 'not int'),
                                             (b'\xd0\x90', 'decode it first')])
def test_extract_names_the_type_it_expects(value, expected):
    from extractor import extract
    with pytest.raises(TypeError, match=expected):
        extract(value)


def children(pid: int) -> list[int]:
    try:
        with open('/proc/%d/task/%d/children' % (pid, pid)) as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


@pytest.fixture
def inputs(tmp_path):
    src = tmp_path / 'in'
    src.mkdir()
    for i in range(16):
        (src / ('d%02d.txt' % i)).write_text(SENTENCE * 400, encoding='utf-8')
    return src


def start_batch(src, out, **kw):
    return subprocess.Popen([sys.executable, '-m', 'extractor', 'batch', str(src), '-o', str(out),
                             '--workers', '2'], stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def wait_for_outputs(out, proc, count=1):
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob('*.json'))) < count:
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.02)


def test_batch_finishes_when_a_worker_is_killed(inputs, tmp_path):
    out = tmp_path / 'out'
    proc = start_batch(inputs, out)
    wait_for_outputs(out, proc)
    os.kill(children(proc.pid)[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    errors = [json.loads(line) for line in (out / 'errors.jsonl').read_text().splitlines()]
    assert len(errors) == 1 and 'killed by signal 9' in errors[0]['reason']
    assert len(list(out.glob('*.json'))) == 15
    assert b'15 processed, 0 up to date, 1 failed' in err and b'Traceback' not in err


@pytest.mark.parametrize('how', ['TERM to the batch', 'TERM to the group', 'INT to the group'])
def test_a_signal_stops_workers_cleans_up_and_summarises(inputs, tmp_path, how):
    out = tmp_path / 'out'
    proc = start_batch(inputs, out, start_new_session=True)
    wait_for_outputs(out, proc, 2)
    workers = children(proc.pid)
    assert workers
    signum = signal.SIGINT if 'INT' in how else signal.SIGTERM
    if 'group' in how:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signum, err
    assert b'Traceback' not in err and b'Process ' not in err, err
    assert b'stopped by %s' % signal.Signals(signum).name.encode() in err
    time.sleep(0.5)
    assert not [pid for pid in workers if os.path.exists('/proc/%d' % pid)
                and Path('/proc/%d/stat' % pid).read_text().split()[2] != 'Z']
    assert not list(out.glob('.*.tmp'))
    assert (out / 'errors.jsonl').exists()
    for path in out.glob('*.json'):
        json.loads(path.read_bytes())


def test_workers_are_not_forked_while_another_thread_runs(extractor):
    """A fork copies locks another thread may hold (Python 3.12 warns):
    then the workers start from forkserver and rebuild the Extractor."""
    import threading
    import warnings

    from extractor.runner import start_method
    texts = [('t%d' % i, SENTENCE) for i in range(4)]
    alone = [d.to_bytes() for d in extractor.pipe(texts)]
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert start_method() == 'forkserver'
        with warnings.catch_warnings():
            warnings.simplefilter('error', DeprecationWarning)
            assert [d.to_bytes() for d in extractor.pipe(texts, workers=2)] == alone
    finally:
        stop.set()
        thread.join()
    assert start_method() == ('fork' if threading.active_count() == 1 else 'forkserver')



LONG_RUNS = r"""
from extractor.runner import LocalRunner

def echo_long(extractor, item):
    return item * 4

items = ['путь/к/выходу/%06d.json' % n * 2000 for n in range(40)]
assert len(items[0]) * 4 > 2**17
assert list(LocalRunner(None).map(echo_long, items, 2)) == [item * 4 for item in items]
print('done')
"""


def test_long_runs_and_results_do_not_deadlock_the_pipes():
    # Each run of items (≈ 0.7 MB) and each result (≈ 0.3 MB) is far beyond a
    # pipe's buffer: the parent sending the next run while the worker sent
    # its result blocked both for ever (the index of 100 000 files did).
    try:
        run = subprocess.run([sys.executable, '-c', LONG_RUNS], check=False, capture_output=True,
                             text=True, timeout=120)     # a deadline only against the hang
    except subprocess.TimeoutExpired:
        pytest.fail('the workers and the parent deadlocked')
    assert run.returncode == 0 and run.stdout == 'done\n', run.stderr
