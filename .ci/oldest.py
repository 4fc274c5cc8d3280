#!/usr/bin/env python3
"""Constraints that pin every direct dependency of pyproject.toml to the
lower bound of its range (`name>=1.2,<2` -> `name==1.2`), for the CI job
that checks the oldest versions the ranges allow still install and pass.
Exact pins (`==`) are kept. Dependencies pulled in by these are left to
pip, like `uv pip install --resolution lowest-direct`.

    python .ci/oldest.py [EXTRA ...] > oldest.txt
    pip install -c oldest.txt '.[EXTRA,...]'
"""
import re
import sys
import tomllib
from pathlib import Path

REQUIREMENT = re.compile(r'\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*)')


def lowest(requirement: str) -> str | None:
    name, _, spec = REQUIREMENT.match(requirement).groups()
    for clause in spec.split(','):
        clause = clause.strip()
        for op in ('==', '>=', '~='):
            if clause.startswith(op):
                return '%s==%s' % (name, clause[len(op):].strip())
    return None          # no lower bound: nothing to pin


def main(extras: list[str]) -> int:
    project = tomllib.loads((Path(__file__).resolve().parent.parent / 'pyproject.toml')
                            .read_text(encoding='utf-8'))['project']
    requirements = list(project['dependencies'])
    for extra in extras:
        requirements += project['optional-dependencies'][extra]
    for requirement in requirements:
        pin = lowest(requirement)
        if pin:
            print(pin)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
