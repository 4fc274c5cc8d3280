"""`extractor batch --jsonl`: one output line per record, ids as given, UTF-8
only, an output that is never shared, never the input, never half written."""
import contextlib
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.jsonl import RunError, run_jsonl

DATA = Path(__file__).parent / 'data' / 'jsonl'
SENTENCE = 'Министр иностранных дел Ирана Аббас Аракчи прибыл в Маскат.'


def cli(*args, **kw):
    return subprocess.run([sys.executable, '-m', 'extractor', 'batch', '--jsonl', *map(str, args)],
                          capture_output=True, check=False, **kw)


def read_lines(path: Path) -> list:
    # strict UTF-8: a lone surrogate must come out escaped, not as broken bytes
    return [json.loads(line) for line in path.read_bytes().decode('utf-8').splitlines()]


def write_records(path: Path, records) -> Path:
    path.write_text(''.join(json.dumps(r, ensure_ascii=False) + '\n' for r in records), encoding='utf-8')
    return path


def one_line(stderr: bytes) -> str:
    """The only line of stderr (no traceback, no summary after it)."""
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def check_cases(lines: list) -> None:
    """The output of cases.jsonl against cases.expected.jsonl, line by line."""
    expected = read_lines(DATA / 'cases.expected.jsonl')
    assert len(lines) == len(expected)
    for got, want in zip(lines, expected):
        if not want.pop('document', False):
            assert got == want                       # the error object, exactly
            continue
        assert 'error' not in got and got['schema_version'] == 1
        assert ('id' in got) == ('id' in want)
        if 'id' in want:
            assert got['id'] == want['id'] and type(got['id']) is type(want['id'])
        if 'normals' in want:
            assert [e['normal'] for e in got['entities']] == want['normals']


def no_temporaries(directory: Path) -> None:
    assert [p.name for p in directory.iterdir() if p.name.endswith('.tmp')] == []


def test_every_record_has_its_line_cli(tmp_path):
    out = tmp_path / 'out.jsonl'
    proc = cli(DATA / 'cases.jsonl', '-o', out, '--workers', '2')
    assert proc.returncode == 1                      # some records failed
    check_cases(read_lines(out))
    stderr = proc.stderr.decode()
    assert 'Traceback' not in stderr
    assert 'cases.jsonl: line 3: not a JSON object but an array' in stderr
    assert 'cases.jsonl: line 4: no "text" field' in stderr
    assert stderr.strip().endswith('9 processed, 0 up to date, 9 failed')
    # the errors are in the output itself: no side file any more
    assert sorted(p.name for p in tmp_path.iterdir()) == ['out.jsonl']


def test_every_record_has_its_line_function(extractor, tmp_path):
    out = tmp_path / 'out.jsonl'
    summary = run_jsonl(extractor, str(DATA / 'cases.jsonl'), str(out))
    check_cases(read_lines(out))
    assert summary.done == 9
    assert [o.error for o in summary.failed][:2] == ['line 3: not a JSON object but an array',
                                                     'line 4: no "text" field']
    assert summary.failed[1].job.id == 'no-text' and summary.failed[2].job.id == '7'


def test_bom_on_the_first_line_is_read(extractor, tmp_path):
    out = tmp_path / 'out.jsonl'
    summary = run_jsonl(extractor, str(DATA / 'bom.jsonl'), str(out))
    assert summary.failed == []
    docs = read_lines(out)
    assert [d['id'] for d in docs] == ['first', 'second']
    assert 'Аббас Аракчи' in {e['normal'] for e in docs[0]['entities']}


def test_cp1251_lines_fail_instead_of_empty_documents(tmp_path):
    out = tmp_path / 'out.jsonl'
    proc = cli(DATA / 'cp1251.jsonl', '-o', out)
    assert proc.returncode == 1
    lines = read_lines(out)
    reason = 'not UTF-8 (JSON Lines is UTF-8): byte 0xcc at column 22'
    assert lines[0] == {'line': 1, 'error': reason}
    assert lines[1]['id'] == 'b' and 'error' not in lines[1]      # the ASCII line is fine
    assert lines[2] == {'line': 3, 'error': reason}


@pytest.mark.parametrize('name', ['utf16.jsonl', 'utf16le.jsonl'])
def test_utf16_input_is_refused_whole(tmp_path, name):
    out = tmp_path / 'out.jsonl'
    proc = cli(DATA / name, '-o', out)
    assert proc.returncode == 2
    assert 'UTF-16' in one_line(proc.stderr) and 'JSON Lines is UTF-8' in proc.stderr.decode()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize('how', ['same path', 'other path', 'symlink', 'hard link'])
def test_output_that_is_the_input_is_refused(tmp_path, how):
    src = write_records(tmp_path / 'in.jsonl', [{'id': 'a', 'text': SENTENCE}])
    before = src.read_bytes()
    out = {'same path': src, 'other path': tmp_path / '.' / 'sub' / '..' / 'in.jsonl',
           'symlink': tmp_path / 'link.jsonl', 'hard link': tmp_path / 'hard.jsonl'}[how]
    (tmp_path / 'sub').mkdir()
    if how == 'symlink':
        out.symlink_to(src)
    if how == 'hard link':
        os.link(src, out)
    proc = cli(src, '-o', out)
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    assert str(src) in line and str(out) in line and 'is the input' in line
    assert src.read_bytes() == before
    no_temporaries(tmp_path)


def test_output_that_is_the_input_is_refused_by_the_function(extractor, tmp_path):
    src = write_records(tmp_path / 'in.jsonl', [{'id': 'a', 'text': SENTENCE}])
    with pytest.raises(RunError) as e:
        run_jsonl(extractor, str(src), str(src))
    assert e.value.exit_code == 2


def test_planted_symlink_at_the_old_temporary_is_not_followed(tmp_path):
    src = write_records(tmp_path / 'in.jsonl', [{'id': 'a', 'text': SENTENCE}])
    victim = tmp_path / 'victim.txt'
    victim.write_text('keep me')
    (tmp_path / 'out.jsonl.tmp').symlink_to(victim)
    proc = cli(src, '-o', tmp_path / 'out.jsonl')
    assert proc.returncode == 0
    assert victim.read_text() == 'keep me'
    assert [d['id'] for d in read_lines(tmp_path / 'out.jsonl')] == ['a']


class Interleaved:
    """A runner that runs `during()` while its own run is part way through."""

    def __init__(self, extractor, during):
        self.extractor = extractor
        self.during = during

    def map(self, fn, items, workers=1):
        for n, item in enumerate(items):
            if n == 1:
                self.during()
            yield fn(self.extractor, item)


def test_two_runs_on_one_output_never_mix(extractor, tmp_path):
    a = write_records(tmp_path / 'a.jsonl', [{'id': 'a%d' % n, 'text': SENTENCE} for n in range(3)])
    b = write_records(tmp_path / 'b.jsonl', [{'id': 'b%d' % n, 'text': 'Москва'} for n in range(5)])
    out = tmp_path / 'out.jsonl'
    seen = {}

    def run_b():
        run_jsonl(extractor, str(b), str(out))
        seen['b'] = [d['id'] for d in read_lines(out)]

    run_jsonl(Interleaved(extractor, run_b), str(a), str(out))
    assert seen['b'] == ['b0', 'b1', 'b2', 'b3', 'b4']           # b's whole output, when b ended
    assert [d['id'] for d in read_lines(out)] == ['a0', 'a1', 'a2']   # then a's, whole
    no_temporaries(tmp_path)


def test_two_processes_on_one_output_never_mix(tmp_path):
    a = write_records(tmp_path / 'a.jsonl', [{'id': 'a%d' % n, 'text': SENTENCE} for n in range(150)])
    b = write_records(tmp_path / 'b.jsonl', [{'id': 'b%d' % n, 'text': SENTENCE} for n in range(150)])
    out = tmp_path / 'out.jsonl'
    command = [sys.executable, '-m', 'extractor', 'batch', '--jsonl']
    runs = [subprocess.Popen(command + [str(src), '-o', str(out)], stderr=subprocess.PIPE) for src in (a, b)]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    ids = [d['id'] for d in read_lines(out)]
    assert ids in (['a%d' % n for n in range(150)], ['b%d' % n for n in range(150)])
    no_temporaries(tmp_path)


def test_output_is_no_more_readable_than_the_input(tmp_path):
    src = write_records(tmp_path / 'in.jsonl', [{'id': 'a', 'text': SENTENCE}])
    src.chmod(0o600)
    out = tmp_path / 'out.jsonl'
    assert cli(src, '-o', out).returncode == 0
    assert out.stat().st_mode & 0o777 == 0o600
    src.chmod(0o644)
    assert cli(src, '-o', out, preexec_fn=lambda: os.umask(0o027)).returncode == 0
    assert out.stat().st_mode & 0o777 == 0o640


# --- failures to write: one line, the right exit status, nothing left behind ---

@pytest.mark.parametrize('where, status, reason', [
    ('missing/out.jsonl', 2, 'no directory'),
    ('/proc/x.jsonl', 2, 'cannot create a file in /proc'),
    ('.', 2, 'it is a directory'),
])
def test_output_that_cannot_be_written_is_refused_before_work(tmp_path, where, status, reason):
    src = write_records(tmp_path / 'in.jsonl', [{'id': 'a', 'text': SENTENCE}])
    out = where if where.startswith('/') else tmp_path / where
    proc = cli(src, '-o', out)
    assert proc.returncode == status
    line = one_line(proc.stderr)
    assert line.startswith('extractor: cannot write %s: ' % out) and reason in line


def test_missing_parent_is_refused_by_the_function(extractor, tmp_path):
    src = write_records(tmp_path / 'in.jsonl', [{'id': 'a', 'text': SENTENCE}])
    with pytest.raises(RunError, match='no directory') as e:
        run_jsonl(extractor, str(src), str(tmp_path / 'missing' / 'out.jsonl'))
    assert e.value.exit_code == 2


@contextlib.contextmanager
def tmpfs(path: Path, options: str):
    path.mkdir()
    proc = subprocess.run(['mount', '-t', 'tmpfs', '-o', options, 'tmpfs', str(path)], capture_output=True, check=False)
    if proc.returncode:
        pytest.skip('cannot mount a tmpfs here (needs root): %s' % proc.stderr.decode().strip())
    try:
        yield path
    finally:
        subprocess.run(['umount', str(path)], check=True)


def test_read_only_directory_is_refused_before_work(tmp_path):
    src = write_records(tmp_path / 'in.jsonl', [{'id': 'a', 'text': SENTENCE}])
    if os.geteuid() == 0:     # root writes into any mode: a read-only mount instead
        context = tmpfs(tmp_path / 'ro', 'ro,size=16k')
    else:
        (tmp_path / 'ro').mkdir(mode=0o555)
        context = contextlib.nullcontext(tmp_path / 'ro')
    with context as ro:
        proc = cli(src, '-o', ro / 'out.jsonl')
        assert proc.returncode == 2
        assert one_line(proc.stderr).startswith('extractor: cannot write %s: ' % (ro / 'out.jsonl'))
        assert list(ro.iterdir()) == []


def many_records(tmp_path: Path) -> Path:
    return write_records(tmp_path / 'in.jsonl', [{'id': n, 'text': SENTENCE} for n in range(150)])


def test_disk_full_part_way(tmp_path):
    src = many_records(tmp_path)
    with tmpfs(tmp_path / 'small', 'size=64k') as small:
        out = small / 'out.jsonl'
        out.write_bytes(b'{"old": true}\n')
        proc = cli(src, '-o', out, '--tokens')       # about 150 KB of output
        assert proc.returncode == 1
        assert one_line(proc.stderr) == 'extractor: cannot write %s: No space left on device' % out
        assert out.read_bytes() == b'{"old": true}\n'        # the old output, untouched
        assert [p.name for p in small.iterdir()] == ['out.jsonl']


def test_file_size_limit_part_way(tmp_path):
    """Disk full without root: past RLIMIT_FSIZE a write fails (EFBIG;
    Python ignores SIGXFSZ)."""
    src = many_records(tmp_path)
    out = tmp_path / 'out.jsonl'
    out.write_bytes(b'{"old": true}\n')

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 << 10, 16 << 10))
    proc = cli(src, '-o', out, preexec_fn=limit)
    assert proc.returncode == 1
    assert one_line(proc.stderr) == 'extractor: cannot write %s: File too large' % out
    assert out.read_bytes() == b'{"old": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['in.jsonl', 'out.jsonl']


@pytest.mark.parametrize('content', [b'', b'\n\n  \t\r\n', b'\xef\xbb\xbf\n'])
def test_input_of_blank_lines_writes_an_empty_output(extractor, tmp_path, content):
    src = tmp_path / 'in.jsonl'
    src.write_bytes(content)
    out = tmp_path / 'out.jsonl'
    summary = run_jsonl(extractor, str(src), str(out))
    assert (summary.done, summary.failed) == (0, [])
    assert out.read_bytes() == b''


@pytest.mark.slow         # starts a Dask LocalCluster of its own
def test_cluster_run_equals_local_run(tmp_path):
    distributed = pytest.importorskip('distributed', reason='the dask extra is not installed')
    local, remote = tmp_path / 'local.jsonl', tmp_path / 'remote.jsonl'
    assert cli(DATA / 'cases.jsonl', '-o', local).returncode == 1
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  host='127.0.0.1', dashboard_address=None) as cluster:
        proc = cli(DATA / 'cases.jsonl', '-o', remote, '--scheduler', cluster.scheduler_address)
    assert proc.returncode == 1, proc.stderr
    assert remote.read_bytes() == local.read_bytes()


def test_output_name_of_the_longest_length_has_a_temporary(extractor, tmp_path):
    src = write_records(tmp_path / 'in.jsonl', [{'id': 'a', 'text': SENTENCE}])
    out = tmp_path / ('д' * 121 + '.jsonl')          # 248 bytes: room for no longer temporary name
    assert run_jsonl(extractor, str(src), str(out)).done == 1
    assert [d['id'] for d in read_lines(out)] == ['a']


def test_sigterm_leaves_no_temporary_and_the_old_output(tmp_path):
    import signal
    import subprocess
    import sys
    import time
    src = tmp_path / 'in.jsonl'
    src.write_text(''.join('{"id": %d, "text": "Аббас Аракчи прибыл в Маскат. %s"}\n' % (i, 'Слово. ' * 200)
                           for i in range(3000)), encoding='utf-8')
    out = tmp_path / 'out.jsonl'
    out.write_bytes(b'old\n')
    proc = subprocess.Popen([sys.executable, '-m', 'extractor', 'batch', '--jsonl', str(src), '-o', str(out),
                             '--workers', '2'], stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and not any(p.name.endswith('.tmp') for p in tmp_path.iterdir()):
        time.sleep(0.02)
    time.sleep(1)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert b'Traceback' not in err
    assert out.read_bytes() == b'old\n'
    assert not [p for p in tmp_path.iterdir() if p.name.endswith('.tmp')]
