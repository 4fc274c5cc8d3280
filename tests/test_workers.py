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
