"""Where the model files are, and what a user sees when natasha is missing."""
import subprocess
import sys
from pathlib import Path

from extractor import assets

# Run first in a fresh interpreter: hides natasha from every import and from
# find_spec, as an environment without it would.
HIDE_NATASHA = '''
import importlib.machinery, sys

class Hidden(importlib.machinery.PathFinder):
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name.partition('.')[0] == 'natasha':
            return None
        return super().find_spec(name, path, target)

sys.meta_path[:] = [Hidden if f is importlib.machinery.PathFinder else f for f in sys.meta_path]
import importlib.util
assert importlib.util.find_spec('natasha') is None
'''


def without_natasha(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-c', HIDE_NATASHA + code],
                          capture_output=True, text=True, timeout=120, check=False)


def test_natasha_files_are_found():
    assert Path(assets.NEWS_NER).is_file()
    assert Path(assets.NEWS_EMBEDDING).is_file()
    assert Path(assets.default_ner()).is_file()


def test_missing_natasha_is_a_clear_error_where_it_is_needed():
    done = without_natasha('''
import extractor.assets, extractor.document      # importing is fine
try:
    extractor.assets.NEWS_EMBEDDING
except ModuleNotFoundError as error:
    print(error.name, error)
''')
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith('natasha natasha is not installed')
    assert 'pip install' in done.stdout


def test_extractor_without_natasha_says_what_to_install():
    done = without_natasha('''
from extractor import Extractor
Extractor()
''')
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith('ModuleNotFoundError: natasha is not installed'), done.stderr
