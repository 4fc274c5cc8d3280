"""Running fn(extractor, item) over many items: in this process, or in
worker processes (`LocalRunner`); `cluster.DaskRunner` does the same on a
Dask cluster. Both are a `Runner`.

The workers are forked from this process, so they share its loaded models
instead of loading their own (where fork is not available they are
spawned, and the Extractor is pickled to them). Each worker reports every
item as it finishes it, so this process always knows which item a worker
was on:

- a worker that dies (the OOM killer's kill -9, a crash in a library) fails
  that one item with `WorkerDied`, a new worker takes its place, and the
  rest of its items go to the others;
- an item whose fn raises fails alone (`ItemFailed` names it);
- when the caller stops iterating, is interrupted, or raises, the workers
  are stopped before map() returns; they also stop if this process dies.

Workers ignore SIGINT (Ctrl-C reaches the whole process group: the
parent alone decides what happens), and turn SIGTERM into SystemExit, so
that a file half written is removed (atomic.write)."""
from __future__ import annotations

import gc
import os
import queue
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

Item = TypeVar('Item')
Result = TypeVar('Result')


class Runner(Protocol):
    """Runs fn(extractor, item) over items. With `ordered`, results come in
    input order; without, as they are done. A failed item raises (or, with
    fn that catches its own errors, is a result like any other)."""

    def map(self, fn: Callable[[Any, Any], Any], items: Iterable[Any], workers: int = 1,
            ordered: bool = True, failures: str = 'raise') -> Generator[Any, None, None]:
        """`failures`: 'raise' the ItemFailed of a failed item, or 'yield' it
        in place of its result. Closing the generator stops the workers."""
        ...


class ItemFailed(Exception):
    """fn raised on one item; `index` is its position in the input and
    `reason` what went wrong; `label` how the message names the item."""

    def __init__(self, index: int, reason: str, label: str | None = None):
        super().__init__('%s: %s' % (label or 'item %d' % index, reason))
        self.index = index
        self.reason = reason


class WorkerDied(ItemFailed):
    """The worker process died while working on this item."""


class LocalRunner:
    """fn(extractor, item) in this process (workers=1) or in worker processes."""

    def __init__(self, extractor):
        self.extractor = extractor

    def __repr__(self) -> str:
        return 'LocalRunner(%r)' % (self.extractor,)

    def map(self, fn: Callable[[Any, Item], Result], items: Iterable[Item], workers: int = 1,
            ordered: bool = True, failures: str = 'raise', chunksize: int = 4) -> Generator[Any, None, None]:
        """fn(extractor, item) for each item. A failed item raises its
        ItemFailed (`failures='raise'`) or is given as that exception in
        place of its result (`failures='yield'`). A list is handed out in
        runs of neighbouring items that shrink towards its end (`runs`),
        other iterables `chunksize` items at a time, read only as far ahead
        as the workers need."""
        if workers <= 1:
            for index, item in enumerate(items):
                result: Result | ItemFailed
                try:
                    result = fn(self.extractor, item)
                except Exception as e:
                    result = failed = ItemFailed(index, '%s: %s' % (type(e).__name__, e))
                    if failures == 'raise':
                        raise failed from e
                yield result
            return
        chunks = runs(items, workers) if isinstance(items, Sequence) else _chunks(items, chunksize)
        pool = _Pool(self.extractor, fn, workers)
        try:
            for result in pool.results(chunks, ordered):
                if failures == 'raise' and isinstance(result, ItemFailed):
                    raise result
                yield result
        finally:
            pool.stop()


def runs(items: Sequence[Item], workers: int, smallest: int = 4, largest: int = 64) -> Iterator[Sequence[Item]]:
    """Consecutive runs of `items` for `workers` processes: long at first, so
    that a worker sees neighbouring files (a folder of news shares names and
    words, and each worker's caches warm once per topic, not once per
    worker), shorter towards the end, so that no worker waits long for the
    last run of another (guided scheduling), and never fewer runs than
    workers when there are as many items."""
    start = 0
    while start < len(items):
        size = min(largest, max(smallest, (len(items) - start) // (2 * workers)))
        if len(items) <= smallest * workers:
            size = max(1, -(-len(items) // workers))     # a few items: spread over the workers
        yield items[start:start + size]
        start += size


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Worker:
    def __init__(self, context, extractor, fn, forked: bool):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_work, args=(child, None if forked else extractor, fn),
                                       daemon=True)
        self.process.start()
        child.close()
        self.tasks: deque[tuple[int, list]] = deque()     # (first index, items) sent, not yet reported


class _Pool:
    """Workers, each with at most two runs of items outstanding (one it
    works on, one waiting, so that it never idles on a round trip)."""

    def __init__(self, extractor, fn, workers: int):
        import multiprocessing  # here: a run in one process does without it

        global _FORKED
        self.fn = fn
        self.extractor = extractor
        self.context = multiprocessing.get_context(start_method())
        self.forked = self.context.get_start_method() == 'fork'
        _FORKED = extractor
        self.workers = [self._start() for _ in range(workers)]

    def _start(self) -> _Worker:
        # The workers' GC leaves what they inherit alone (no copy-on-write of
        # the models); this process goes on collecting as before.
        gc.freeze()
        try:
            return _Worker(self.context, self.extractor, self.fn, self.forked)
        finally:
            gc.unfreeze()

    def results(self, chunks: Iterator[Sequence], ordered: bool) -> Iterator:
        from multiprocessing.connection import wait

        done: dict[int, tuple[bool, Any]] = {}        # index → (ok, result or reason)
        retry: deque[tuple[int, list]] = deque()       # runs taken back from a dead worker
        next_index = 0                                 # of the next item read from chunks
        next_out = 0                                   # of the next result to give, when ordered
        exhausted = False
        while True:
            # Hand out work, one run to each worker before a second to any:
            # each at most two runs ahead.
            for depth in (1, 2):
                for worker in self.workers:
                    if len(worker.tasks) >= depth:
                        continue
                    if retry:
                        task = retry.popleft()
                    elif not exhausted:
                        chunk = next(chunks, None)
                        if chunk is None:
                            exhausted = True
                            continue
                        task = (next_index, list(chunk))
                        next_index += len(task[1])
                    else:
                        continue
                    worker.tasks.append(task)
                    worker.conn.send(task)
            if not any(w.tasks for w in self.workers) and not retry:
                if ordered:
                    while next_out in done:
                        yield _unwrap(next_out, done.pop(next_out))
                        next_out += 1
                return
            ready = wait([w.conn for w in self.workers] + [w.process.sentinel for w in self.workers])
            for worker in list(self.workers):
                if worker.conn in ready:
                    try:
                        while worker.conn.poll():
                            index, ok, value = worker.conn.recv()
                            self._finished(worker, index)
                            done[index] = (ok, value)
                    except (EOFError, OSError):
                        pass                           # it died: seen through its sentinel
                if worker.process.sentinel in ready or not worker.process.is_alive():
                    self._replace(worker, done, retry)
            if ordered:
                while next_out in done:
                    yield _unwrap(next_out, done.pop(next_out))
                    next_out += 1
            else:
                for index in sorted(done):
                    yield _unwrap(index, done.pop(index))

    @staticmethod
    def _finished(worker: _Worker, index: int) -> None:
        first, items = worker.tasks[0]
        if index == first + len(items) - 1:
            worker.tasks.popleft()
        else:
            worker.tasks[0] = (index + 1, items[index + 1 - first:])

    def _replace(self, worker: _Worker, done: dict, retry: deque) -> None:
        """A dead worker's current item fails; its other items go back."""
        worker.process.join()
        code = worker.process.exitcode
        if worker.tasks:
            first, items = worker.tasks.popleft()
            if code is not None and code < 0:
                how = 'was killed by signal %d%s' % (-code, ' (the out-of-memory killer?)'
                                                     if code == -signal.SIGKILL else '')
            else:
                how = 'exited with status %s' % code
            done[first] = (None, 'the worker process %s while on this input' % how)
            if len(items) > 1:
                retry.appendleft((first + 1, items[1:]))
            while worker.tasks:
                retry.append(worker.tasks.popleft())
        worker.conn.close()
        self.workers[self.workers.index(worker)] = self._start()

    def stop(self) -> None:
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in self.workers:
            if worker.tasks and worker.process.is_alive():
                worker.process.terminate()         # busy: SIGTERM, which removes its temporaries
        for worker in self.workers:
            worker.process.join(5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()


def start_method() -> str:
    """fork, unless another thread of this process runs: a fork copies a
    lock that thread may hold, and the child can deadlock on it (Python 3.12
    warns). Then forkserver: each worker rebuilds the Extractor from its
    pickle (its constructor arguments) and loads the models itself."""
    if not hasattr(os, 'fork'):
        return 'spawn'
    return 'fork' if threading.active_count() == 1 else 'forkserver'


def _unwrap(index: int, outcome: tuple[bool | None, Any]):
    """The result, or the ItemFailed standing in for it."""
    ok, value = outcome
    if ok:
        return value
    return WorkerDied(index, value) if ok is None else ItemFailed(index, value)


_FORKED = None          # the Extractor a forked worker inherits


def _work(conn, extractor, fn) -> None:
    """A worker: runs of (first index, items) in, (index, ok, result) out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_term)
    _die_with_parent()
    from threadpoolctl import threadpool_limits
    threadpool_limits(1)          # one BLAS thread per worker: the workers already fill the cores
    extractor = extractor if extractor is not None else _FORKED
    tasks = _read_ahead(conn)
    try:
        while True:
            task = tasks.get()
            if task is None:
                return            # stopped, or the parent is gone
            first, items = task
            for offset, item in enumerate(items):
                try:
                    message = (first + offset, True, fn(extractor, item))
                except Exception as e:  # noqa: BLE001  the item fails, reported to the parent
                    message = (first + offset, False, '%s: %s' % (type(e).__name__, e))
                conn.send(message)
    except (SystemExit, KeyboardInterrupt, BrokenPipeError):
        pass
    finally:
        conn.close()
        sys.stdout.flush()
        os._exit(0)


def _read_ahead(conn) -> queue.SimpleQueue:
    """The runs sent to this worker, read by a thread as they arrive; None
    at the end. The parent then never waits to send a long run while this
    worker waits to send it a result that it has not read yet: each side
    blocked on a full pipe was a deadlock (the index of a batch of 100 000
    files, whose runs of output paths are long and whose results are big)."""
    tasks: queue.SimpleQueue = queue.SimpleQueue()

    def read() -> None:
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                task = None       # the parent is gone
            tasks.put(task)
            if task is None:
                return

    threading.Thread(target=read, name='read-ahead', daemon=True).start()
    return tasks


def _exit_on_term(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _die_with_parent() -> None:
    """Linux: SIGTERM this worker when the parent dies, even by kill -9."""
    if not sys.platform.startswith('linux'):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)             # PR_SET_PDEATHSIG
        if os.getppid() == 1:                     # the parent died before prctl
            os._exit(0)
    except (OSError, AttributeError):
        pass
