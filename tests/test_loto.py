"""scripts/loto.py, the leave-one-topic-out protocol, on a tiny corpus made of
the training fixtures: two BSNLP topics of three docs, a few steps of training."""
import importlib.util
import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / 'tests' / 'data' / 'training'


def load_script():
    spec = importlib.util.spec_from_file_location('loto', ROOT / 'scripts' / 'loto.py')
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tiny_data(root: Path) -> Path:
    """The layout of ../shared/data, every corpus a few copies of one fixture doc."""
    for topic in ('alpha', 'beta'):
        for n in range(3):
            for ext in ('.txt', '.tsv'):
                dst = root / 'bsnlp-ru' / topic / ('ru_%d%s' % (n, ext))
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(DATA / 'bsnlp' / 'topic' / ('ru_1' + ext), dst)
    for n in range(4):                      # the 4th is factRuEval's held-out one
        for ext in ('.txt', '.spans', '.objects'):
            dst = root / 'factru-dev' / ('doc_%d%s' % (n, ext))
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(DATA / 'factru' / ('doc_1' + ext), dst)
    for part in ('train', 'dev'):
        (root / 'nerel' / part).mkdir(parents=True)
        for ext in ('.txt', '.ann'):
            shutil.copy(DATA / 'brat' / ('100_text' + ext), root / 'nerel' / part / ('100_text' + ext))
    return root


def test_factru_split_is_the_model_cards(tmp_path):
    loto = load_script()
    train, test = loto.factru_split(str(tiny_data(tmp_path / 'data') / 'factru-dev'))
    assert (train, test) == (['doc_0', 'doc_1', 'doc_2'], ['doc_3'])


@pytest.mark.slow
def test_protocol_smoke(tmp_path, capsys):
    pytest.importorskip('torch', reason='training needs PyTorch (extra "train")')
    loto = load_script()
    data, cache, out = tiny_data(tmp_path / 'data'), tmp_path / 'cache', tmp_path / 'loto.json'
    argv = ['--data', str(data), '--cache', str(cache), '--json', str(out),
            '--epochs', '1', '--max-steps', '2', '--batch-size', '2', '--docs', '3']
    assert loto.main(argv) == 0
    table = capsys.readouterr().out
    for row in ('| bsnlp alpha (held out) | outer |', '| bsnlp alpha (held out) | names |',
                '| bsnlp beta (held out) | outer |', '| nerel dev, pack without beta | outer |',
                '| factru 30 held out, pack without alpha | factru |', '| **nerel dev, mean** | names | 2 |',
                '| **bsnlp held-out topic, mean of folds** | outer | 2 |'):
        assert row in table
    result = json.loads(out.read_text(encoding='utf-8'))
    assert [(r['fold'], r['cached']) for r in result['runs']] == [('alpha', False), ('beta', False)]
    packs = sorted(p.name for p in cache.glob('*.tar'))
    assert len(packs) == 2 and packs[0].startswith('alpha-s1-')
    # each fold trained without its topic
    meta = json.loads((cache / packs[0]).with_suffix('.json').read_text(encoding='utf-8'))
    assert meta['train_topics'] == ['beta']
    row = next(r for r in result['rows'] if r['set'] == 'bsnlp alpha' and r['view'] == 'outer')
    assert row['docs'] == 3 and 0 <= row['tok_PER'] <= 1 and 'bcubed_f1' in row

    # the table again from the JSON, without running
    assert loto.main(['--from-json', str(out)]) == 0
    assert capsys.readouterr().out.split('\n- total')[0] == table.split('\n- total')[0]

    # --reuse scores the cached packs again without training
    mtimes = {p: os.path.getmtime(p) for p in cache.glob('*.tar')}
    assert loto.main(argv + ['--reuse', '--folds', 'beta']) == 0
    assert '(cached)' in capsys.readouterr().out
    assert {p: os.path.getmtime(p) for p in cache.glob('*.tar')} == mtimes
    assert [r['cached'] for r in json.loads(out.read_text(encoding='utf-8'))['runs']] == [True]


def test_arch_enters_the_key_and_v1_keys_stay():
    """--arch v2 packs get their own key (and v2's code in it); a v1 key has
    no arch field, as before there was a choice, and does not change with v2's module."""
    loto = load_script()
    v1, v2 = (loto.pack_key('ryanair', ['brexit'], 1, loto.parser().parse_args(['--arch', arch]))
              for arch in ('v1', 'v2'))
    assert 'arch' not in v1 and v2['arch'] == 'v2'
    assert v1['code'] == loto.code_sha('v1') != v2['code'] == loto.code_sha('v2')
    assert 'extractor/training/v2.py' in loto.CODE and 'extractor/training/v2.py' in loto.V2_ONLY
