"""Shared fixtures. The real models are loaded once per test session.

Tests marked `shared` read ../shared (the sample article, the dev corpora):
they skip with the reason when it is absent, and fail instead when
EXTRACTOR_REQUIRE_SHARED=1 (as .ci/run sets), so CI always runs them."""
from __future__ import annotations

import os
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get('EXTRACTOR_SHARED', ROOT.parent / 'shared'))
SAMPLE = SHARED / 'samples' / 'oman-talks.txt'


@pytest.fixture(scope='session')
def extractor():
    from extractor import Extractor
    return Extractor()


@pytest.fixture(scope='session')
def shared() -> Path:
    if not SHARED.is_dir():
        if os.environ.get('EXTRACTOR_REQUIRE_SHARED') == '1':
            pytest.fail('%s is missing and EXTRACTOR_REQUIRE_SHARED=1' % SHARED)
        pytest.skip('needs %s (the sample article and dev corpora), which is absent' % SHARED)
    return SHARED


@pytest.fixture(scope='session')
def sample_text(shared) -> str:
    return SAMPLE.read_text(encoding='utf-8')


def assert_offsets(text: str, doc) -> None:
    """The one offset check, of a Document or of its JSON (a dict, as read
    back; sentences and tokens are checked where it has them). Every
    mention and token is a non-empty span of `text` that holds its own
    string; sentences are non-empty spans, in order and apart; tokens are in
    order; a mention's sentence exists and holds the mention."""
    data = doc if isinstance(doc, dict) else doc.to_dict(tokens=True)
    n = len(text)
    sentences = data.get('sentences')
    for s in sentences or []:
        assert 0 <= s['start'] < s['end'] <= n, s
    for before, after in pairwise(sentences or []):
        assert before['end'] <= after['start'], (before, after)
    for e in data['entities']:
        assert e['type'] in ('PER', 'LOC', 'ORG'), e
        for m in e['mentions']:
            assert 0 <= m['start'] < m['end'] <= n and text[m['start']:m['end']] == m['text'], m
            if sentences is not None:
                assert 0 <= m['sentence'] < len(sentences), m
                sentence = sentences[m['sentence']]
                assert sentence['start'] <= m['start'] and m['end'] <= sentence['end'], (m, sentence)
    tokens = data.get('tokens') or []
    for t in tokens:
        assert 0 <= t['start'] < t['end'] <= n and text[t['start']:t['end']] == t['text'], t
    for before, after in pairwise(tokens):
        assert before['end'] <= after['start'], (before, after)
