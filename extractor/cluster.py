"""Scale-out on a Dask distributed cluster (`pip install extractor[dask]`).

Each Dask worker process loads the models once, on its first task, and
keeps them for every task after. `DaskRunner` stands in for a local
Extractor in `batch.run` (`extractor batch … --scheduler tcp://HOST:PORT`);
`extract_bag` maps texts over a `dask.bag`. Both run the process-wide
default Extractor, or the one given: it travels to each worker once, as its
constructor arguments, and is rebuilt there. Workers read inputs and write
outputs themselves, so on a real cluster INPUT and OUT must be paths that
every worker sees (a shared file system)."""
from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from itertools import islice
from typing import Any

from .pipeline import Extractor, TextItem, _extract_item, default_extractor


def _run(fn: Callable[[Extractor, Any], Any], item: Any, extractor: Extractor | None = None) -> Any:
    return fn(extractor or default_extractor(), item)


class DaskRunner:
    """Runs fn(extractor, item) on the cluster's workers, results in input
    order. A window of tasks is in flight at a time, so memory stays bounded
    on any number of inputs."""

    def __init__(self, client, window: int = 512, extractor: Extractor | None = None):
        self.client = client
        self.window = window
        # sent to every worker once, not with each task
        self.extractor = None if extractor is None else client.scatter(extractor, broadcast=True)

    def __repr__(self) -> str:
        return 'DaskRunner(%r)' % (self.client,)

    def map(self, fn: Callable[[Extractor, Any], Any], items: Iterable[Any], workers: int = 1,
            ordered: bool = True, failures: str = 'raise') -> Generator[Any, None, None]:
        """As runner.LocalRunner.map. Results come in input order either way
        (a window at a time); a task that fails (fn raised, or Dask gave up
        on a worker that died) is an ItemFailed."""
        from .runner import ItemFailed

        items = iter(items)
        first = 0
        while True:
            chunk = list(islice(items, self.window))
            if not chunk:
                return
            futures = self.client.map(_run, [fn] * len(chunk), chunk, extractor=self.extractor, pure=False)
            for offset, future in enumerate(futures):
                try:
                    result = future.result()
                except Exception as e:
                    result = ItemFailed(first + offset, '%s: %s' % (type(e).__name__, e))
                    if failures == 'raise':
                        raise result from e
                finally:
                    future.release()
                yield result
            first += len(chunk)


def _extract_partition(items: Iterable[TextItem], tokens: bool, extractor: Extractor | None = None) -> list:
    extractor = extractor or default_extractor()
    return [_extract_with(extractor, item, tokens) for item in items]


def _extract_with(extractor: Extractor, item: TextItem, tokens: bool):
    if tokens:
        return _extract_item(extractor, item)
    text, id = (item, None) if isinstance(item, str) else (item[1], item[0])
    return extractor(text, id=id, tokens=False)


def extract_bag(bag, tokens: bool = False, extractor: Extractor | None = None):
    """A dask.bag of texts (str or (id, str)) → a bag of Documents, same order.

        import dask.bag as db
        docs = extract_bag(db.from_sequence(texts, npartitions=8))
        docs.map(lambda d: d.to_dict()).compute()
    """
    if extractor is None:
        return bag.map_partitions(_extract_partition, tokens=tokens)
    from dask import delayed

    # one task makes it, and each worker receives it once
    return bag.map_partitions(_extract_partition, tokens=tokens, extractor=delayed(extractor))


def connect(address: str):
    from distributed import Client
    return Client(address, timeout=10)
