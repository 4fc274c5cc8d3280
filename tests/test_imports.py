"""The module graph: layers without circles (import-linter's contracts in
pyproject.toml), every module in a layer, and the types importing nothing
of the project."""
from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
import tomllib

import pytest
from conftest import ROOT


def contracts() -> list[dict]:
    project = tomllib.loads((ROOT / 'pyproject.toml').read_text(encoding='utf-8'))
    return project['tool']['importlinter']['contracts']


def test_import_contracts_are_kept():
    lint = shutil.which('lint-imports', path=str(ROOT / '.venv' / 'bin')) or shutil.which('lint-imports')
    if lint is None:
        pytest.fail('lint-imports is missing: install the test extra (pip install ".[test]")')
    # from the repository root, so that it reads this source tree and its pyproject.toml
    proc = subprocess.run([lint, '--no-cache'], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert '0 broken' in proc.stdout


def test_every_module_is_in_a_layer():
    [layers] = [c for c in contracts() if c['type'] == 'layers']
    named = {name.strip() for layer in layers['layers'] for name in layer.split('|')}
    modules = {m.name for m in pkgutil.iter_modules([str(ROOT / 'extractor')])}
    assert modules == named


def loaded_by(module: str) -> set[str]:
    """The project's modules that importing `module` loads, in a fresh process."""
    code = 'import sys, %s; print(" ".join(m for m in sys.modules if m.startswith("extractor")))' % module
    out = subprocess.run([sys.executable, '-c', code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_types_import_nothing_of_the_project():
    assert loaded_by('extractor.document') == {'extractor', 'extractor.document'}


def test_spacy_component_loads_the_pipeline_only_when_used():
    assert 'extractor.pipeline' not in loaded_by('extractor.spacy_doc')
