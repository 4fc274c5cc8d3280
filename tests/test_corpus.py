"""The corpus index (extractor/corpus.py, OUT/entities.jsonl) on real articles:
the cases are data (tests/data/corpus/cases.txt)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from extractor import Extractor
from extractor.corpus import index_documents, index_folder, read_index

DATA = Path(__file__).resolve().parent / 'data' / 'corpus'
ARTICLES = DATA / 'articles'


def cases():
    return list(_cases())


def _cases():
    for line in (DATA / 'cases.txt').read_text(encoding='utf-8').splitlines():
        if line.strip() and not line.startswith('#'):
            verdict, pair = line.split(None, 1)
            a, b = (s.strip() for s in pair.split('|'))
            yield pytest.param(verdict, a, b, id='%s %s | %s' % (verdict, a, b))


def cli(*args):
    return subprocess.run([sys.executable, '-m', 'extractor', *map(str, args)], capture_output=True,
                          check=False, timeout=300)


@pytest.fixture(scope='module')
def documents():
    ex = Extractor()
    return [(p.stem, ex(p.read_text(encoding='utf-8'))) for p in sorted(ARTICLES.glob('*.txt'))]


@pytest.fixture(scope='module')
def index(documents):
    return index_documents(documents)


@pytest.mark.parametrize(('verdict', 'a', 'b'), cases())
def test_joins_and_non_joins(documents, index, verdict, a, b):
    """A name of a case is a document's entity (its normal form)."""
    corpus = {(m.document, m.entity): e.id for e in index for m in e.members}
    owners = {}
    for name, doc in documents:
        for e in doc.entities:
            owners.setdefault(e.normal, set()).add(corpus[name, e.id])
    assert a in owners and b in owners, 'the articles should hold both names'
    together = bool(owners[a] & owners[b])
    assert together == (verdict == 'join'), [e for e in index if e.id in owners[a] | owners[b]]


def test_counts_and_members(index):
    trump = next(e for e in index if e.normal == 'Дональд Трамп')
    assert trump.documents == 2 and [m.document for m in trump.members] == ['trump-tariffs', 'trump-visit']
    assert trump.mentions == 3 and trump.names == ['Трамп', 'Дональд Трамп']   # «Трампа» is «Трамп»
    assert [e.id for e in index] == ['C%d' % n for n in range(1, len(index) + 1)]
    assert [e.mentions for e in index] == sorted((e.mentions for e in index), reverse=True)


def test_order_of_documents_does_not_matter(index):
    ex = Extractor()
    docs = [(p.stem, ex(p.read_text(encoding='utf-8'))) for p in sorted(ARTICLES.glob('*.txt'), reverse=True)]
    assert index_documents(docs) == index


def test_workers_and_resume(tmp_path):
    """--workers 1 and 2 give the same file; a rerun that skips every input
    as up to date writes it again, whole, and index_folder() agrees."""
    one, two = tmp_path / 'one', tmp_path / 'two'
    assert cli('batch', ARTICLES, '-o', one, '--workers', 1).returncode == 0
    assert cli('batch', ARTICLES, '-o', two, '--workers', 2).returncode == 0
    first = (one / 'entities.jsonl').read_bytes()
    assert first and first == (two / 'entities.jsonl').read_bytes()
    (one / 'entities.jsonl').unlink()
    proc = cli('batch', ARTICLES, '-o', one)
    assert b'0 processed' in proc.stderr and (one / 'entities.jsonl').read_bytes() == first
    assert index_folder(str(one)) == list(read_index(str(one / 'entities.jsonl')))
    table = cli('entities', one, '--top', 3).stdout.decode()
    assert table.split('\n')[0].split() == ['id', 'type', 'normal', 'documents', 'mentions']
    lines = table.strip().split('\n')
    total = sum(1 for _ in read_index(str(one / 'entities.jsonl')))
    assert len(lines) == 5 and 'C1' in table and lines[-1] == '... %d more (--top N shows more)' % (total - 3)


def test_entities_of_a_folder_without_a_batch(tmp_path):
    proc = cli('entities', tmp_path)
    assert proc.returncode == 1 and not proc.stdout
    assert proc.stderr.decode().count('\n') == 1 and 'no batch output here' in proc.stderr.decode()
