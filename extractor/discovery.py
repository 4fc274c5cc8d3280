"""Which files a batch reads, and where each one's outputs go.

Each INPUT is a file or a directory searched recursively, in name order,
without recursion (a tree of any depth) and never twice through a symlink
loop. A symlink is followed only while it stays inside its INPUT, unless
`follow_symlinks`; links not followed, dangling links and entries that are
not regular files (FIFOs, devices, sockets) are listed with the reason.

Mapping: INPUT/a/b.txt → OUT/a/b.json (and b.html, b.spacy beside it). Two
inputs that would share an output, or an input whose output is a name the
batch writes itself (OUT/index.html, errors.jsonl, mentions.csv, roles.csv,
entities.jsonl), stop the plan with PlanError before any work, naming
both: nothing is overwritten silently. Files under OUT that the batch
could have written (its .json, .html, .spacy files, its own tables and
temporaries) are never inputs, so OUT may lie inside INPUT and INPUT
inside OUT."""
from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import TEMP_SUFFIX

ERRORS = 'errors.jsonl'
INDEX = 'index.html'
MENTIONS = 'mentions.csv'
ROLES = 'roles.csv'
ENTITIES = 'entities.jsonl'
ENTITY_PAGES = 'entities.html'
RESERVED = frozenset({ERRORS, INDEX, MENTIONS, ROLES, ENTITIES, ENTITY_PAGES})
OUTPUT_SUFFIXES = ('.json', '.html', '.spacy')


class PlanError(ValueError):
    """The batch cannot start (a usage error, exit 2); str() says why."""


@dataclass(frozen=True)
class Job:
    source: str        # the input as found under its INPUT argument (recorded in the document)
    path: str          # the same, absolute: what a worker reads, wherever its current directory
    output: str        # the absolute path of its JSON
    id: str            # its path relative to its INPUT, without the extension, '/'-separated
    mode: int = 0o644  # the input's permission bits (an output is never more open)


@dataclass
class Plan:
    out_dir: str                                   # absolute
    jobs: list[Job] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (path, reason), not read


def printable(name: str) -> str:
    """A file name as valid text: bytes that are not UTF-8 (kept by Python
    as surrogates) are shown as \\xNN."""
    try:
        name.encode('utf-8')
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode('utf-8', 'backslashreplace')


def plan(inputs: Iterable[str], out_dir: str, pattern: str = '*.txt', extra_suffixes: Iterable[str] = (),
         follow_symlinks: bool = False) -> Plan:
    """The jobs of a batch. `extra_suffixes`: the outputs written beside
    each JSON ('.html', '.spacy'), checked against the reserved names too.
    Raises PlanError."""
    result = Plan(os.path.abspath(out_dir))
    real_out = os.path.realpath(out_dir)
    taken: dict[str, str] = {}                     # output stem → the input that maps to it
    suffixes = ('.json', *extra_suffixes)
    for top in inputs:
        for path, rel, mode in _find(top, pattern, follow_symlinks, result.skipped):
            if _is_own_output(path, real_out):
                continue
            stem = str(Path(rel).with_suffix(''))
            earlier = taken.get(stem)
            if earlier is not None:
                raise PlanError('%s and %s would both be written to %s: give them separate -o, '
                                'or narrow --glob' % (printable(earlier), printable(path),
                                                      printable(os.path.join(out_dir, stem + '.json'))))
            for suffix in suffixes:
                if stem + suffix in RESERVED:
                    raise PlanError('%s would be written to %s, a file the batch writes itself'
                                    % (printable(path), printable(os.path.join(out_dir, stem + suffix))))
            taken[stem] = path
            result.jobs.append(Job(printable(path), os.path.abspath(path),
                                   os.path.join(result.out_dir, stem + '.json'),
                                   printable(stem.replace(os.sep, '/')), mode))
    return result


def _is_own_output(path: str, real_out: str) -> bool:
    """A file inside OUT that this batch writes, or may have written."""
    name = os.path.basename(path)
    if not (name.endswith(OUTPUT_SUFFIXES) or name in RESERVED or name.endswith(TEMP_SUFFIX)):
        return False
    return _inside(os.path.realpath(path), real_out)


def _find(top: str, pattern: str, follow_symlinks: bool,
          skipped: list[tuple[str, str]]) -> Iterator[tuple[str, str, int]]:
    """(path, path relative to `top`, permission bits) of each matching
    regular file; what is not read goes to `skipped`."""
    try:
        st = os.stat(top)
    except OSError as e:
        raise PlanError('%s: %s' % (printable(top), e.strerror or e)) from None
    if stat.S_ISREG(st.st_mode):
        yield top, os.path.basename(top), stat.S_IMODE(st.st_mode)
        return
    if not stat.S_ISDIR(st.st_mode):
        raise PlanError('%s: not a regular file or a directory' % printable(top))
    real_top = os.path.realpath(top)
    seen = {(st.st_dev, st.st_ino)}
    stack = [_entries(top, skipped)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        try:
            link = entry.is_symlink()
            st = os.stat(entry.path)           # what a link points to
        except OSError as e:
            skipped.append((entry.path, 'dangling symlink' if link else 'cannot read: %s' % (e.strerror or e)))
            continue
        is_dir = stat.S_ISDIR(st.st_mode)
        if not is_dir and not fnmatch.fnmatch(entry.name, pattern):
            continue
        if link and not follow_symlinks:
            target = os.path.realpath(entry.path)
            if not _inside(target, real_top):
                skipped.append((entry.path, 'symlink to %s, outside its INPUT: not followed (--follow-symlinks)'
                                % target))
                continue
        if is_dir:
            if (st.st_dev, st.st_ino) not in seen:        # else a symlink back into the tree
                seen.add((st.st_dev, st.st_ino))
                stack.append(_entries(entry.path, skipped))
        elif stat.S_ISREG(st.st_mode):
            yield entry.path, os.path.relpath(entry.path, top), stat.S_IMODE(st.st_mode)
        else:
            skipped.append((entry.path, 'not a regular file'))


def _entries(directory: str, skipped: list[tuple[str, str]]) -> Iterator[os.DirEntry]:
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        skipped.append((directory, 'cannot read the directory: %s' % (e.strerror or e)))
        return iter(())
    return iter(entries)


def _inside(real: str, real_top: str) -> bool:
    """Whether a real path is real_top or lies below it."""
    return real == real_top or real.startswith(real_top.rstrip(os.sep) + os.sep)
