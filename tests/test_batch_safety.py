"""`extractor batch` never loses, mixes or leaks an output: collisions,
resume, INPUT and OUT inside each other, symlinks, odd files, permissions,
write failures. Cases are in tests/data/batch/."""
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from extractor import batch, discovery, textfile
from extractor.document import InputStamp, Provenance

DATA = Path(__file__).resolve().parent / 'data' / 'batch'
SENTENCE = 'Министр иностранных дел Ирана Аббас Аракчи прибыл в Маскат.\n'
COLLISIONS = json.loads((DATA / 'collisions.json').read_text(encoding='utf-8'))
NAMES = json.loads((DATA / 'hostile-names.json').read_text(encoding='utf-8'))


def cli(*args, **kw):
    kw.setdefault('timeout', 300)
    return subprocess.run([sys.executable, '-m', 'extractor', *map(str, args)], capture_output=True, check=False, **kw)


def write(root: Path, names, text: str = SENTENCE) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding='utf-8')


def no_traceback(proc) -> None:
    assert b'Traceback' not in proc.stderr, proc.stderr.decode(errors='replace')


# --- no two inputs share an output ---

@pytest.mark.parametrize('case', COLLISIONS, ids=[c['why'] for c in COLLISIONS])
def test_inputs_that_would_share_an_output_stop_the_plan(tmp_path, case):
    write(tmp_path, case['files'])
    proc = cli('batch', *case['inputs'], '-o', 'out', *case['args'], cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    no_traceback(proc)
    message = proc.stderr.decode()
    assert all(name in message for name in case['clash']), message
    assert len(message.strip().splitlines()) == 1
    assert not list((tmp_path / 'out').rglob('*.json'))


@pytest.mark.parametrize('name', NAMES['names'])
def test_odd_file_names_get_their_own_outputs(tmp_path, name):
    write(tmp_path / 'in', [name])
    proc = cli('batch', 'in', '-o', 'out', cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / 'out' / (name[:-len('.txt')] + '.json')).read_bytes())
    assert data['source'] == os.path.join('in', name)


def test_a_file_name_that_is_not_utf8_is_processed_and_named_readably(tmp_path):
    src = tmp_path / 'in'
    src.mkdir()
    name = bytes.fromhex(NAMES['bytes_names'][0])
    with open(os.path.join(os.fsencode(src), name), 'w', encoding='utf-8') as f:
        f.write(SENTENCE)
    proc = cli('batch', src, '-o', tmp_path / 'out')
    assert proc.returncode == 0, proc.stderr
    no_traceback(proc)
    out = os.path.join(os.fsencode(tmp_path / 'out'), name[:-len(b'.txt')] + b'.json')
    with open(out, 'rb') as f:
        data = json.load(f)
    assert data['source'].endswith('ok-\\xff.txt') and data['id'] == 'ok-\\xff'
    assert (tmp_path / 'out' / 'errors.jsonl').read_bytes() == b''


# --- resume compares what an output was made from ---

@pytest.fixture
def made(tmp_path):
    src = tmp_path / 'in'
    write(src, ['a.txt', 'b.txt'])
    assert cli('batch', src, '-o', tmp_path / 'out').returncode == 0
    return src, tmp_path / 'out'


def test_output_records_what_it_was_made_from(made):
    _, out = made
    data = json.loads((out / 'a.json').read_bytes())
    stamp = data['provenance']
    assert stamp['tokens'] is False and stamp['extractor'] and stamp['model'].startswith('slovnet_ner_')
    assert stamp['input']['size'] == len(SENTENCE.encode())
    import hashlib
    assert stamp['input']['sha256'] == hashlib.sha256(SENTENCE.encode()).hexdigest()


def test_rerun_with_tokens_redoes_outputs_made_without(made):
    src, out = made
    proc = cli('batch', src, '-o', out, '--tokens')
    assert b'2 processed, 0 up to date' in proc.stderr
    assert 'tokens' in json.loads((out / 'a.json').read_bytes())
    assert b'0 processed, 2 up to date' in cli('batch', src, '-o', out, '--tokens').stderr


def test_input_replaced_by_an_older_file_is_redone(made, tmp_path):
    src, out = made
    other = tmp_path / 'other.txt'
    other.write_text('Глеб Никитин открыл мост в Нижнем Новгороде.\n', encoding='utf-8')
    os.utime(other, ns=(1, 1))                                   # far older than the output
    subprocess.run(['cp', '-p', str(other), str(src / 'a.txt')], check=True)
    proc = cli('batch', src, '-o', out)
    assert b'1 processed, 1 up to date' in proc.stderr
    assert 'Глеб Никитин' in {e['normal'] for e in json.loads((out / 'a.json').read_bytes())['entities']}


def test_another_version_or_model_redoes_outputs(made, extractor, monkeypatch):
    src, out = made
    job = discovery.plan([str(src)], str(out)).jobs[0]
    template = Provenance(extractor=__import__('extractor').__version__, model=batch.runner_model(extractor),
                          tokens=False, input=InputStamp(0, ''))
    assert batch.up_to_date(job, template)
    for change in ({'extractor': '99.0'}, {'model': 'another.tar:0123456789ab'}, {'tokens': True}):
        import msgspec
        assert not batch.up_to_date(job, msgspec.structs.replace(template, **change)), change


def test_a_missing_page_beside_the_json_is_redone(made):
    src, out = made
    assert b'2 processed' in cli('batch', src, '-o', out, '--html').stderr
    (out / 'a.html').unlink()
    proc = cli('batch', src, '-o', out, '--html')
    assert b'1 processed, 1 up to date' in proc.stderr and (out / 'a.html').is_file()


# --- INPUT and OUT inside each other ---

def test_input_inside_out_is_processed(tmp_path):
    write(tmp_path / 'data' / 'raw', ['a.txt', 'b.txt'])
    proc = cli('batch', 'data/raw', '-o', 'data', cwd=tmp_path)
    assert proc.returncode == 0 and b'2 processed' in proc.stderr, proc.stderr
    assert (tmp_path / 'data' / 'a.json').is_file()


def test_out_equal_to_input_takes_only_the_inputs(tmp_path):
    write(tmp_path / 'd', ['a.txt', 'b.md'])
    first = cli('batch', 'd', '-o', 'd', '--glob', '*', '--html', cwd=tmp_path)
    assert first.returncode == 0 and b'2 processed' in first.stderr, first.stderr
    again = cli('batch', 'd', '-o', 'd', '--glob', '*', '--html', cwd=tmp_path)
    assert b'0 processed, 2 up to date, 0 failed' in again.stderr, again.stderr


# --- symlinks, odd files, deep trees ---

def test_links_out_of_input_are_listed_not_followed(tmp_path):
    secret = tmp_path / 'secret'
    write(secret, ['private.txt'])
    src = tmp_path / 'in'
    write(src, ['a.txt'])
    os.symlink(secret, src / 'elsewhere')
    os.symlink(secret / 'private.txt', src / 'link.txt')
    os.symlink(tmp_path / 'nothing.txt', src / 'dangling.txt')
    os.symlink(src / 'a.txt', src / 'inside.txt')
    proc = cli('batch', src, '-o', tmp_path / 'out')
    no_traceback(proc)
    out = tmp_path / 'out'
    assert sorted(p.name for p in out.rglob('*.json')) == ['a.json', 'inside.json']
    listed = {Path(e['path']).name: e for e in map(json.loads, (out / 'errors.jsonl').read_text().splitlines())}
    assert set(listed) == {'elsewhere', 'link.txt', 'dangling.txt'}
    assert all(e['read'] is False for e in listed.values())
    assert 'dangling' in listed['dangling.txt']['reason'] and '--follow-symlinks' in listed['link.txt']['reason']
    followed = cli('batch', src, '-o', tmp_path / 'out2', '--follow-symlinks')
    assert (tmp_path / 'out2' / 'elsewhere' / 'private.json').is_file()
    assert (tmp_path / 'out2' / 'link.json').is_file(), followed.stderr


def test_outputs_are_never_more_open_than_their_input(tmp_path):
    src = tmp_path / 'in'
    write(src, ['private.txt', 'public.txt'])
    os.chmod(src / 'private.txt', 0o600)
    os.chmod(src / 'public.txt', 0o644)
    assert cli('batch', src, '-o', tmp_path / 'out', '--html').returncode == 0
    mode = lambda p: stat.S_IMODE(os.stat(p).st_mode)
    assert mode(tmp_path / 'out' / 'private.json') == 0o600
    assert mode(tmp_path / 'out' / 'private.html') == 0o600
    assert mode(tmp_path / 'out' / 'public.json') == 0o644 & ~os.umask(os.umask(0))
    assert mode(tmp_path / 'out' / 'index.html') == 0o600          # it quotes the private one too
    strict = cli('batch', src, '-o', tmp_path / 'strict', env={**os.environ}, preexec_fn=lambda: os.umask(0o077))
    assert strict.returncode == 0 and mode(tmp_path / 'strict' / 'public.json') == 0o600


def test_a_symlink_inside_out_is_not_written_through(tmp_path):
    write(tmp_path / 'in' / 'sub', ['a.txt'])
    target = tmp_path / 'target'
    target.mkdir()
    (tmp_path / 'out').mkdir()
    os.symlink(target, tmp_path / 'out' / 'sub')
    os.symlink(tmp_path / 'victim', tmp_path / 'out' / 'b.json')
    write(tmp_path / 'in', ['b.txt'])
    proc = cli('batch', tmp_path / 'in', '-o', tmp_path / 'out')
    no_traceback(proc)
    assert proc.returncode == 1 and b'symlink' in proc.stderr, proc.stderr
    assert list(target.iterdir()) == [] and not (tmp_path / 'victim').exists()


def test_fifos_and_devices_are_refused_without_blocking(tmp_path, extractor):
    src = tmp_path / 'in'
    write(src, ['a.txt'])
    os.mkfifo(src / 'pipe.txt')
    proc = cli('batch', src, '-o', tmp_path / 'out', timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert 'not a regular file' in (tmp_path / 'out' / 'errors.jsonl').read_text()
    for given in (src / 'pipe.txt', '/dev/null'):
        proc = cli('batch', given, '-o', tmp_path / 'out2', timeout=120)
        assert proc.returncode == 2 and b'not a regular file' in proc.stderr, proc.stderr
    # a file that became a FIFO after planning
    with pytest.raises(textfile.NotText, match='FIFO'):
        textfile.read(str(src / 'pipe.txt'))
    job = discovery.Job('pipe.txt', str(src / 'pipe.txt'), str(tmp_path / 'o' / 'pipe.json'), 'pipe')
    made = Provenance(extractor='0', model='m', tokens=False, input=InputStamp(0, ''))
    assert 'FIFO' in batch.process(extractor, job, made).error


def test_a_very_deep_tree_is_walked(tmp_path):
    deep = str(tmp_path / 'in')
    os.mkdir(deep)
    for _ in range(1100):                 # os.makedirs and pathlib recurse themselves
        deep = os.path.join(deep, 'd')
        os.mkdir(deep)
    deep = Path(deep)
    (deep / 'a.txt').write_text(SENTENCE, encoding='utf-8')
    proc = cli('batch', tmp_path / 'in', '-o', tmp_path / 'out')
    assert proc.returncode == 0, proc.stderr[-500:]
    expected = os.path.join(tmp_path, 'out', *['d'] * 1100, 'a.json')   # rglob recurses too
    try:
        with open(expected, 'rb') as f:
            assert json.load(f)['entities']
    finally:                              # shutil.rmtree (pytest's clean-up) recurses too
        for top in ('in', 'out'):
            path = os.path.join(tmp_path, top, *['d'] * 1100)
            for name in os.listdir(path):
                os.unlink(os.path.join(path, name))
            while path != os.path.join(tmp_path, top):
                os.rmdir(path)
                path = os.path.dirname(path)


def test_temporaries_of_dead_runs_are_swept_and_live_ones_kept(tmp_path):
    write(tmp_path / 'in', ['a.txt'])
    out = tmp_path / 'out'
    out.mkdir()
    dead = out / '.a.json.999999999-0123abcd.tmp'
    alive = out / ('.a.json.%d-0123abcd.tmp' % os.getpid())
    dead.write_text('half')
    alive.write_text('half')
    assert cli('batch', tmp_path / 'in', '-o', out).returncode == 0
    assert not dead.exists() and alive.exists()


# --- write failures: one line, no traceback, the batch stops ---

@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / 'small'
    mount.mkdir()
    if subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=48k', 'tmpfs', str(mount)],
                      capture_output=True, check=False).returncode:
        pytest.skip('cannot mount a small tmpfs here (needs root)')
    yield mount
    subprocess.run(['umount', '-l', str(mount)], check=False)


def test_a_full_disk_stops_the_batch_with_one_line(tmp_path, small_disk):
    write(tmp_path / 'in', ['d%02d.txt' % i for i in range(30)], SENTENCE * 40)
    proc = cli('batch', tmp_path / 'in', '-o', small_disk / 'out')
    no_traceback(proc)
    assert proc.returncode == 1
    lines = proc.stderr.decode().splitlines()
    assert any('No space left on device' in line for line in lines)
    assert 'not started' in lines[-1]
    for path in (small_disk / 'out').glob('*.json'):
        json.loads(path.read_bytes())                  # what was written is whole
    assert not list((small_disk / 'out').glob('.*.tmp'))


def test_a_read_only_output_is_refused_before_any_work(tmp_path):
    write(tmp_path / 'in', ['a.txt'])
    mount = tmp_path / 'ro'
    mount.mkdir()
    if subprocess.run(['mount', '-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', str(mount)],
                      capture_output=True, check=False).returncode:
        pytest.skip('cannot mount a read-only tmpfs here (needs root)')
    try:
        for out in (mount, mount / 'sub'):
            proc = cli('batch', tmp_path / 'in', '-o', out)
            no_traceback(proc)
            assert proc.returncode == 2 and b'Read-only file system' in proc.stderr, proc.stderr
            assert proc.stderr.decode().count('\n') == 1
    finally:
        subprocess.run(['umount', '-l', str(mount)], check=False)


def test_an_output_directory_that_cannot_be_written_is_a_usage_error(tmp_path):
    write(tmp_path / 'in', ['a.txt'])
    for out in ('/proc/x', '/proc/self/status/x'):
        proc = cli('batch', tmp_path / 'in', '-o', out)
        no_traceback(proc)
        assert proc.returncode == 2 and proc.stderr.decode().count('\n') == 1, proc.stderr


def test_stdout_that_cannot_be_written_is_one_line(tmp_path):
    path = tmp_path / 'a.txt'
    path.write_text(SENTENCE, encoding='utf-8')
    with open('/dev/full', 'wb') as full:
        proc = subprocess.run([sys.executable, '-m', 'extractor', 'extract', str(path)], stdout=full,
                              stderr=subprocess.PIPE, timeout=120, check=False)
    assert proc.returncode == 1 and b'cannot write to standard output' in proc.stderr, proc.stderr
    no_traceback(proc)
    proc = subprocess.run('"%s" -m extractor extract "%s" >&-' % (sys.executable, path), shell=True,
                          capture_output=False, stderr=subprocess.PIPE, timeout=120, check=False)
    assert proc.returncode == 1 and b'cannot write to standard output' in proc.stderr, proc.stderr
    no_traceback(proc)


# --- standard input ---

def test_extract_refuses_endless_binary_stdin_at_once():
    with open('/dev/zero', 'rb') as zero:
        proc = cli('extract', '-', stdin=zero, timeout=60)
    assert proc.returncode == 1 and b'binary' in proc.stderr


def test_extract_says_it_reads_a_terminal():
    import pty
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, '-m', 'extractor', 'extract'], stdin=slave,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(slave)
    try:
        os.write(master, SENTENCE.encode() + b'\x04')
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(master)
    assert b'standard input' in err
    assert json.loads(out)['entities']


def test_usage_errors_name_their_subcommand_and_missing_files_exit_2(tmp_path):
    proc = cli('batch', tmp_path / 'missing', '-o', tmp_path / 'out')
    assert proc.returncode == 2 and proc.stderr.startswith(b'usage: extractor batch')
    proc = cli('extract', tmp_path / 'missing')
    assert proc.returncode == 2 and proc.stderr.startswith(b'usage: extractor extract')


@pytest.mark.parametrize('data', [b'\xff\xfe0\x000\x000\x00', 'Аббас Аракчи в Маскате.'.encode('utf-16-le'),
                                  b'\x00' * 5000, b'ok\x00\x00\x00\x01\x02\x03'], ids=['bom', 'utf16', 'nul', 'ctl'])
def test_extract_from_stdin_decides_as_decode_does(data):
    proc = cli('extract', '-', input=data)
    try:
        _, encoding = textfile.decode(data)
    except textfile.NotText:
        assert proc.returncode == 1 and b'<stdin>' in proc.stderr
    else:
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)['encoding'] == encoding
