"""What the package declares about itself: version, typing, licence, sdist."""
import importlib.metadata
import re
import tomllib
from pathlib import Path

import extractor

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / 'pyproject.toml').read_text(encoding='utf-8'))


def test_one_source_for_the_version():
    # pyproject reads extractor.__version__; writing it there too would let them drift
    assert 'version' not in PROJECT['project']
    assert 'version' in PROJECT['project']['dynamic']
    assert PROJECT['tool']['setuptools']['dynamic']['version'] == {'attr': 'extractor.__version__'}
    assert importlib.metadata.version('extractor') == extractor.__version__


def test_the_package_is_marked_typed():
    assert (Path(extractor.__file__).parent / 'py.typed').is_file()
    assert 'py.typed' in PROJECT['tool']['setuptools']['package-data']['extractor']


def test_licence_file_matches_the_metadata():
    assert PROJECT['project']['license'] == 'MIT'
    text = (ROOT / 'LICENSE').read_text(encoding='utf-8')
    assert text.startswith('MIT License')
    meta = importlib.metadata.metadata('extractor')
    assert 'MIT' in (meta.get('License-Expression'), meta.get('License'))   # newer setuptools, older


def test_sdist_carries_what_the_tests_read():
    grafted = set(re.findall(r'^graft (\S+)', (ROOT / 'MANIFEST.in').read_text(encoding='utf-8'), re.MULTILINE))
    assert {'tests', 'corpus', 'models', 'scripts'} <= grafted


def test_help_shows_what_a_user_calls():
    """help(Extractor) lists the calls of the README, each documented, and no internals."""
    from extractor import Document, Extractor
    assert {name for name in vars(Extractor) if not name.startswith('_')} == {'stream', 'pipe', 'map'}
    for name in ('__call__', 'stream', 'pipe', 'map'):
        assert len(getattr(Extractor, name).__doc__ or '') > 80, name
    for name in ('to_dict', 'to_json', 'to_bytes', 'write', 'to_html', 'to_spacy'):
        assert getattr(Document, name).__doc__, name


def test_the_rules_word_lists_ship():
    """extractor/ner/data/*.txt are read at start-up: a wheel without them fails."""
    assert 'data/*.txt' in PROJECT['tool']['setuptools']['package-data']['extractor.ner']
    assert {p.name for p in (Path(extractor.__file__).parent / 'ner' / 'data').glob('*.txt')} == \
        {'institutions.txt', 'kinds.txt', 'not_names.txt', 'regional_bodies.txt'}
