"""Shared fixtures. The real models are loaded once per test session.

Tests marked `shared` read ../shared (the sample article, the dev corpora):
they skip with the reason when it is absent, and fail instead when
EXTRACTOR_REQUIRE_SHARED=1 (as .ci/run sets), so CI always runs them."""
from __future__ import annotations

import os
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
    """Every offset of a Document points into `text` at its own string."""
    for e in doc.entities:
        for m in e.mentions:
            assert text[m.start:m.end] == m.text
    for t in doc.tokens or []:
        assert text[t.start:t.end] == t.text
    for s in doc.sentences or []:
        assert 0 <= s.start < s.end <= len(text)
