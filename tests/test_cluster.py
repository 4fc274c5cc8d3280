"""Scale-out: the same batch on a Dask LocalCluster (loopback) gives the
same bytes as the local run; extract_bag gives the same documents."""
import json
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

distributed = pytest.importorskip('distributed', reason='the dask extra is not installed')
db = pytest.importorskip('dask.bag')

TEXTS = [
    'Министр иностранных дел Ирана Аббас Аракчи прибыл в Маскат.',
    'В Анкаре прошли переговоры России и Украины при участии ООН.',
    'Глеб Никитин открыл мост через Волгу в Нижнем Новгороде.',
    '',
]


@pytest.fixture(scope='module')
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host='127.0.0.1', dashboard_address=None) as cluster:
        yield cluster


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob('*')) if p.is_file()}


def test_cluster_batch_equals_local_batch(tmp_path, cluster):
    src = tmp_path / 'in'
    (src / 'sub').mkdir(parents=True)
    for i, text in enumerate(TEXTS * 3):
        (src / ('sub' if i % 2 else '.') / ('d%02d.txt' % i)).write_text(text, encoding='utf-8')
    (src / 'blob.txt').write_bytes(bytes(range(256)) * 20)
    local, remote = tmp_path / 'local', tmp_path / 'remote'
    run = [sys.executable, '-m', 'extractor', 'batch', str(src)]
    assert subprocess.run(run + ['-o', str(local)], capture_output=True, check=False).returncode == 1
    proc = subprocess.run(run + ['-o', str(remote), '--scheduler', cluster.scheduler_address],
                          capture_output=True, check=False)
    assert proc.returncode == 1, proc.stderr.decode()[-2000:]
    assert outputs(remote) == outputs(local)
    assert len(outputs(local)) == len(TEXTS) * 3 + 2          # + errors.jsonl, entities.jsonl


def test_cluster_batch_with_relative_paths(tmp_path, cluster):
    """INPUT and OUT relative to the client's directory, which is not the
    workers': the jobs carry absolute paths, the documents the path as given."""
    (tmp_path / 'in').mkdir()
    for i, text in enumerate(TEXTS[:3]):
        (tmp_path / 'in' / ('d%d.txt' % i)).write_text(text, encoding='utf-8')
    proc = subprocess.run([sys.executable, '-m', 'extractor', 'batch', 'in', '-o', 'out',
                           '--scheduler', cluster.scheduler_address], capture_output=True, cwd=tmp_path, check=False)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    local = subprocess.run([sys.executable, '-m', 'extractor', 'batch', 'in', '-o', 'local'],
                           capture_output=True, cwd=tmp_path, check=False)
    assert local.returncode == 0
    assert outputs(tmp_path / 'out') == outputs(tmp_path / 'local') and len(outputs(tmp_path / 'out')) == 5   # 3 + errors, entities
    assert json.loads((tmp_path / 'out' / 'd0.json').read_bytes())['source'] == 'in/d0.txt'


def test_extract_bag_equals_extractor(cluster, extractor):
    from extractor.cluster import extract_bag
    items = [('t%d' % i, text) for i, text in enumerate(TEXTS)]
    with distributed.Client(cluster) as client:
        docs = extract_bag(db.from_sequence(items, npartitions=2)).compute(scheduler=client.get)
    assert [d.to_json() for d in docs] == [extractor(t, id=i, tokens=False).to_json() for i, t in items]
    assert docs[0].entities[0].normal == 'Иран'


def test_index_bag_is_the_index_of_the_documents(cluster, extractor):
    # the corpus index as a map-reduce on the cluster: the same entities as in one process
    from extractor.cluster import extract_bag
    from extractor.corpus import index_bag, index_documents
    texts = TEXTS + ['Трамп прибыл в Москву.', 'Дональд Трамп и Владимир Путин говорили по телефону.']
    items = [('t%d' % i, text) for i, text in enumerate(texts)]
    with distributed.Client(cluster) as client:
        docs = extract_bag(db.from_sequence(items, npartitions=3))
        found = index_bag(docs.map(lambda d: (d.id, d))).compute(scheduler=client.get)
    expected = index_documents((i, extractor(t, id=i, tokens=False)) for i, t in items)
    assert [msgspec.json.encode(e) for e in found] == [msgspec.json.encode(e) for e in expected]
    trump = next(e for e in found if e.normal == 'Дональд Трамп')
    assert trump.documents == 2 and {m.document for m in trump.members} == {'t%d' % (len(TEXTS)), 't%d' % (len(TEXTS) + 1)}


def test_workers_get_the_extractor_given(cluster):
    """A non-default Extractor reaches the workers (spawned processes) whole:
    its pack is not dropped on the way."""
    from extractor import Extractor, assets
    from extractor.cluster import DaskRunner, extract_bag
    from extractor.pipeline import _extract_item

    natasha = Extractor(ner_model=assets.NEWS_NER, resolver=None)
    text = (Path(__file__).resolve().parent.parent / 'corpus' / 'texts' / 'volga-bridge.txt').read_text(encoding='utf-8')
    items = [('volga', text)] + [('t%d' % i, t) for i, t in enumerate(TEXTS)]
    expected = [natasha(t, id=i).to_bytes(tokens=True) for i, t in items]
    assert expected[0] != Extractor()(text, id='volga').to_bytes(tokens=True)
    with distributed.Client(cluster) as client:
        runner = DaskRunner(client, extractor=natasha)
        assert [d.to_bytes(tokens=True) for d in runner.map(_extract_item, items)] == expected
        docs = extract_bag(db.from_sequence(items, npartitions=2), tokens=True, extractor=natasha)
        assert [d.to_bytes(tokens=True) for d in docs.compute(scheduler=client.get)] == expected


@pytest.mark.slow         # waits out distributed's connect timeout (10 s)
def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    (tmp_path / 'a.txt').write_text('Иран', encoding='utf-8')
    proc = subprocess.run([sys.executable, '-m', 'extractor', 'batch', str(tmp_path), '-o', str(tmp_path / 'o'),
                           '--scheduler', 'tcp://127.0.0.1:9'], capture_output=True, timeout=120, check=False)
    assert proc.returncode == 1
    assert b'cannot reach the scheduler' in proc.stderr
