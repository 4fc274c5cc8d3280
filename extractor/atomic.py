"""Writing a file so that no reader ever sees part of it.

Each file is written to a temporary of its own beside it (created
exclusively, so never another run's file and never through a planted
symlink), given its permissions, and renamed into place. A failure, or a
SIGTERM turned into SystemExit, removes the temporary. The directories
under the output root are entered one at a time without following
symlinks, so a link planted inside OUT cannot send an output elsewhere."""
from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

TEMP_SUFFIX = '.tmp'
# Temporaries are '.NAME.PID-RANDOM.tmp': the pid tells a later run whether
# the process that made it is still alive (sweep()).
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, 'O_CLOEXEC', 0)


class WriteError(OSError):
    """An output could not be written; str() names the file and the reason."""

    def __init__(self, errno: int | None, path: str, reason: str):
        super().__init__(errno, 'cannot write %s: %s' % (path, reason))
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return str(self.strerror)


def umask() -> int:
    """The process's umask, read without changing it where /proc allows."""
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('Umask:'):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


def output_mode(*input_modes: int) -> int:
    """Permissions for an output made from inputs of these modes: what the
    umask allows and no wider than any input (the output holds their
    words), always writable by its owner."""
    mode = 0o666 & ~umask()
    for input_mode in input_modes:
        mode &= input_mode | 0o200
    return mode


def temporary_name(name: str) -> str:
    # cut so that the temporary's name stays under 255 bytes (a character of a name may take 4)
    while len(os.fsencode(name)) > 200:
        name = name[:-1]
    return '.%s.%d-%s%s' % (name, os.getpid(), secrets.token_hex(4), TEMP_SUFFIX)


@contextlib.contextmanager
def _directory(root: str | None, relative_dir: str):
    """An fd of root/relative_dir, made as needed, entered without following
    a symlink below root. With root None, relative_dir is opened as given."""
    if root is None:
        fd = os.open(relative_dir or '.', os.O_RDONLY | os.O_DIRECTORY | getattr(os, 'O_CLOEXEC', 0))
        try:
            yield fd
        finally:
            os.close(fd)
        return
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | getattr(os, 'O_CLOEXEC', 0))
    try:
        entered = root
        for part in [p for p in relative_dir.split(os.sep) if p]:
            entered = os.path.join(entered, part)
            try:
                child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o777, dir_fd=fd)
                child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError as e:
                if e.errno in (errno.ELOOP, errno.ENOTDIR) and os.path.islink(entered):
                    raise WriteError(e.errno, entered, 'refusing to write through a symlink') from None
                raise
            os.close(fd)
            fd = child
        yield fd
    finally:
        os.close(fd)


@contextlib.contextmanager
def replacing(path: str, mode: int | None = None, root: str | None = None) -> Iterator[BinaryIO]:
    """A binary file to write `path` with, renamed into place when the block
    ends without an error and removed when it ends with one. `root`: the
    output directory `path` lies in; the directories between are made, and
    never followed through a symlink. `mode`: its permissions (default:
    what the umask allows). Raises WriteError (an OSError) naming the file."""
    mode = output_mode() if mode is None else mode
    directory, name = os.path.split(os.path.relpath(path, root) if root is not None else path)
    tmp = temporary_name(name)
    try:
        with _directory(root, directory) as dir_fd:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, 'O_CLOEXEC', 0),
                         mode, dir_fd=dir_fd)
            try:
                with os.fdopen(fd, 'wb') as f:
                    yield f
                    os.fchmod(f.fileno(), mode)
                os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=dir_fd)
                raise
    except WriteError:
        raise
    except OSError as e:
        raise WriteError(e.errno, path, e.strerror or str(e)) from None


def write(path: str, data: bytes | Callable[[BinaryIO], None], mode: int | None = None,
          root: str | None = None) -> None:
    """Writes `data` (bytes, or a function that writes to a binary file) to
    `path` whole or not at all (see `replacing`)."""
    with replacing(path, mode, root) as f:
        if callable(data):
            data(f)
        else:
            f.write(data)


def sweep(directories: Iterable[str]) -> int:
    """Removes temporaries left in these directories by processes that are
    gone (a kill -9, a power cut); a live run's are left alone. Returns how
    many were removed."""
    removed = 0
    for directory in directories:
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            pid = _owner(entry.name)
            if pid is None or _alive(pid):
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def _owner(name: str) -> int | None:
    """The pid in a temporary's name, or None for any other file."""
    if not (name.startswith('.') and name.endswith(TEMP_SUFFIX)):
        return None
    stem = name[:-len(TEMP_SUFFIX)]
    tag = stem.rsplit('.', 1)[-1]
    pid, _, random = tag.partition('-')
    if not (pid.isdigit() and len(random) == 8):
        return None
    return int(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
