"""Contract 2: `extractor batch` over hostile folders, resume, encodings, JSONL."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import assert_offsets

SENTENCE = 'Министр иностранных дел Ирана Аббас Аракчи прибыл в Маскат.\r\n'
ARTICLES = Path(__file__).resolve().parent / 'data' / 'corpus' / 'articles'
ENCODINGS = ['utf-8', 'utf-8-sig', 'utf-16', 'cp1251', 'koi8-r']


def cli(*args, **kw):
    return subprocess.run([sys.executable, '-m', 'extractor', *map(str, args)],
                          capture_output=True, check=False, **kw)


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob('*.json'))}


@pytest.fixture(scope='module')
def hostile(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp('hostile')
    (root / 'empty.txt').write_bytes(b'')
    (root / 'blank.txt').write_text(' \n\t \r\n')
    (root / 'binary.txt').write_bytes(bytes(range(256)) * 40)
    (root / 'nul.txt').write_bytes(SENTENCE.encode() + b'\x00' + SENTENCE.encode())
    (root / 'broken.txt').write_bytes(SENTENCE.encode() * 3 + b'\xff\xfe\xfa' + SENTENCE.encode())
    (root / 'long-line.txt').write_text(('слово Москва ' * 80_000)[:1_000_000], encoding='utf-8')
    (root / 'two-mb.txt').write_text(SENTENCE * (2_000_000 // len(SENTENCE.encode())), encoding='utf-8')
    (root / 'имя с пробелами.txt').write_text(SENTENCE, encoding='utf-8')
    (root / 'x.txt').mkdir()
    (root / 'x.txt' / 'inner.txt').write_text(SENTENCE, encoding='utf-8')
    sub = root / 'sub' / 'deeper'
    sub.mkdir(parents=True)
    (sub / 'a.txt').write_text(SENTENCE, encoding='utf-8')
    os.symlink('..', sub / 'loop')               # a symlink loop
    for enc in ENCODINGS:
        (root / ('enc-%s.txt' % enc)).write_bytes(SENTENCE.encode(enc))
    return root


@pytest.fixture(scope='module')
def hostile_run(hostile, tmp_path_factory):
    out = tmp_path_factory.mktemp('out')
    proc = cli('batch', hostile, '-o', out, '--workers', '2', timeout=600)
    return proc, out


def test_every_input_is_an_output_or_an_error(hostile, hostile_run):
    proc, out = hostile_run
    assert proc.returncode == 1, proc.stderr.decode()     # the binary file failed
    errors = [json.loads(line) for line in (out / 'errors.jsonl').read_text().splitlines()]
    failed = {Path(e['path']).name for e in errors}
    assert 'binary.txt' in failed
    assert all(e['reason'] for e in errors)
    inputs = [p for p in hostile.rglob('*.txt') if p.is_file() and 'loop' not in p.parts]
    for path in inputs:
        rel = path.relative_to(hostile).with_suffix('.json')
        assert (out / rel).is_file() or path.name in failed, path
    assert (out / 'x.txt' / 'inner.json').is_file()
    assert (out / 'sub' / 'deeper' / 'a.json').is_file()
    assert (out / 'имя с пробелами.json').is_file()
    assert b'1 failed' in proc.stderr


def test_offsets_hold_for_every_encoding(hostile, hostile_run):
    _, out = hostile_run
    for enc in ENCODINGS:
        data = json.loads((out / ('enc-%s.json' % enc)).read_text(encoding='utf-8'))
        assert data['encoding'].replace('_', '-').startswith(enc.split('-sig')[0][:5])
        from extractor.textfile import decode
        text, _ = decode((hostile / ('enc-%s.txt' % enc)).read_bytes())
        assert text == SENTENCE
        assert_offsets(text, data)
        assert {e['normal'] for e in data['entities']} >= {'Аббас Аракчи', 'Иран', 'Маскат'}


def test_long_and_odd_inputs_have_valid_offsets(hostile, hostile_run):
    _, out = hostile_run
    for name in ['nul', 'broken', 'long-line', 'empty', 'blank']:
        from extractor.textfile import decode
        text, _ = decode((hostile / (name + '.txt')).read_bytes())
        data = json.loads((out / (name + '.json')).read_text(encoding='utf-8'))
        assert_offsets(text, data)
    assert json.loads((out / 'empty.json').read_text())['entities'] == []


def test_rerun_skips_finished_inputs(hostile, hostile_run):
    _, out = hostile_run
    before = outputs(out)
    proc = cli('batch', hostile, '-o', out, timeout=600)
    assert proc.returncode == 1
    assert b'0 processed' in proc.stderr
    assert outputs(out) == before


def test_output_identical_whatever_the_workers(tmp_path):
    src = tmp_path / 'in'
    src.mkdir()
    for i in range(6):
        (src / ('d%d.txt' % i)).write_text(SENTENCE * (i + 1), encoding='utf-8')
    one, two = tmp_path / 'one', tmp_path / 'two'
    assert cli('batch', src, '-o', one, '--workers', '1').returncode == 0
    assert cli('batch', src, '-o', two, '--workers', '2').returncode == 0
    assert outputs(one) == outputs(two) and len(outputs(one)) == 6


def test_usage_errors_exit_2(tmp_path):
    assert cli('batch', tmp_path / 'missing', '-o', tmp_path / 'out').returncode == 2
    assert cli('batch').returncode == 2


@pytest.mark.slow         # three batch runs over 40 files
def test_kill_and_resume_gives_identical_outputs(tmp_path):
    src = tmp_path / 'in'
    src.mkdir()
    # news with people, places and bodies in common, so that the corpus index has joins to make
    articles = [p.read_text(encoding='utf-8') for p in sorted(ARTICLES.glob('*.txt'))]
    for i in range(40):
        (src / ('doc%02d.txt' % i)).write_text(articles[i % len(articles)] * 80, encoding='utf-8')
    clean, killed = tmp_path / 'clean', tmp_path / 'killed'
    assert cli('batch', src, '-o', clean).returncode == 0
    proc = subprocess.Popen([sys.executable, '-m', 'extractor', 'batch', str(src), '-o', str(killed)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(killed.glob('*.json'))) < 5:
        for p in killed.glob('*.json'):       # never a truncated JSON file
            json.loads(p.read_bytes())
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = list(killed.glob('*.json'))
    assert 0 < len(done) < 40, 'the kill should land mid-run'
    for p in done:
        json.loads(p.read_bytes())
    assert not (killed / 'entities.jsonl').exists()       # written at the end only
    assert cli('batch', src, '-o', killed).returncode == 0
    assert outputs(killed) == outputs(clean)
    assert (killed / 'entities.jsonl').read_bytes() == (clean / 'entities.jsonl').read_bytes()


def test_jsonl_mode_keeps_order(tmp_path):
    src = tmp_path / 'in.jsonl'
    lines = [{'id': 'b', 'text': 'В Маскате прошли переговоры.'},
             {'id': 'a', 'text': 'Аббас Аракчи прибыл в Оман.'},
             {'id': 'c', 'text': ''}]
    src.write_text('\n'.join(json.dumps(x, ensure_ascii=False) for x in lines) + '\nnot json\n',
                   encoding='utf-8')
    out = tmp_path / 'out.jsonl'
    proc = cli('batch', '--jsonl', src, '-o', out, '--workers', '2')
    assert proc.returncode == 1                          # the bad line
    lines = [json.loads(line) for line in out.read_text(encoding='utf-8').splitlines()]
    assert [d.get('id') for d in lines] == ['b', 'a', 'c', None]
    assert lines[0]['entities'][0]['normal'] == 'Маскат'
    # the bad line has its line in the output, in its place (tests/test_jsonl.py: the rest)
    assert lines[3] == {'line': 4, 'error': 'invalid JSON at column 1: Expecting value'}


def test_extract_reads_stdin_and_reports_bad_files(tmp_path):
    proc = cli('extract', '-', input=SENTENCE.encode('cp1251'))
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data['encoding'] == 'cp1251'
    assert_offsets(SENTENCE, data)
    binary = tmp_path / 'blob.txt'
    binary.write_bytes(bytes(range(256)) * 10)
    proc = cli('extract', binary)
    assert proc.returncode == 1
    assert str(binary).encode() in proc.stderr and b'binary' in proc.stderr


def test_extract_tokens_option(tmp_path):
    proc = cli('extract', '--tokens', '-', input=SENTENCE.encode())
    data = json.loads(proc.stdout)
    assert [t['text'] for t in data['tokens']][:3] == ['Министр', 'иностранных', 'дел']
    assert data['sentences'][0]['start'] == 0
