"""Generated texts of the shapes that once made the extractor slow, shared
by the tests (which count work on small sizes) and scripts/benchmark.py
(which times large ones). What the shapes are is data: data/shapes.json."""
from __future__ import annotations

import json
import random
from pathlib import Path

SHAPES = json.loads((Path(__file__).parent / 'data' / 'shapes.json').read_text(encoding='utf-8'))


def roster(size: int) -> str:
    """About `size` characters of «Иван Абр…ов встретился с И. Абр…ов.»,
    a new surname on each line."""
    spec = SHAPES['roster']
    first, middles = spec['first'], spec['middles']
    lines, total, n = [], 0, 0
    while total < size:
        digits, k = [], n
        for _ in range(spec['middle_count']):
            k, d = divmod(k, len(middles))
            digits.append(middles[d])
        surname = spec['stem'] + ''.join(digits) + spec['ending']
        name = first[n % len(first)]
        line = spec['line'].format(first=name, initial=name[0], surname=surname)
        lines.append(line)
        total += len(line)
        n += 1
    return ''.join(lines)


def initials(size: int, separator: str = '. ', seed: int = 0) -> str:
    """`size` characters of random initials: «А. Б. В. Г. …» (or «А.Б.В.»)."""
    rng, letters = random.Random(seed), SHAPES['initials']['letters']
    return ''.join(rng.choice(letters) + separator for _ in range(size // len(separator) + 1))[:size]
