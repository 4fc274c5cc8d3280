"""Writes extractor/ner/data/not_names.txt: names that are not people,
places or organizations (diseases, laws, events, products, awards), as the
training parts of the annotated corpora give them.

    python scripts/build_not_names.py [DATA]     # DATA: ../shared/data

A form (lower case, razdel tokens, without the quotes around it) is listed
when some corpus tags it as one of those kinds and none tags it PER, LOC or
ORG: «brexit», «брекзиту», «вич». Corpora disagree on media and web
services («Twitter», «Интернет»: NEREL's PRODUCT, factRuEval's Org), and
those are left to the network. BSNLP's PRO is not read: it holds newspapers
and agencies too, which the other corpora call ORG.

Only training parts are read (models/ner/MODEL_CARD.md): NEREL train, the
BSNLP topics but ryanair, factRuEval's 92 training documents (its Person,
Org, Location and LocOrg objects count as names)."""
from __future__ import annotations

import glob
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from razdel import tokenize

NEREL_OTHER = {'DISEASE', 'LAW', 'EVENT', 'PRODUCT', 'AWARD'}
NEREL_NAMES = {'PERSON', 'ORGANIZATION', 'COUNTRY', 'CITY', 'STATE_OR_PROVINCE', 'DISTRICT', 'LOCATION'}
BSNLP_TRAIN = ('asia_bibi', 'brexit', 'nord_stream')
FACTRU_HELD_OUT = {'117', '129', '146', '156', '180', '191', '228', '256', '261', '278', '290', '297', '314',
                   '326', '336', '347', '356', '369', '383', '396', '401', '411', '425', '443', '457', '480',
                   '503', '542', '618', '93'}
FACTRU_NAMES = {'Person', 'Org', 'Location', 'LocOrg'}
OUT = Path(__file__).resolve().parent.parent / 'extractor' / 'ner' / 'data' / 'not_names.txt'
QUOTES = '«»„“”"\''


def form(text: str) -> str:
    """As rules.not_names looks a span up: lower case, without the quotes around it."""
    words = [t.text.lower() for t in tokenize(text)]
    while words and words[0] in QUOTES:
        words.pop(0)
    while words and words[-1] in QUOTES:
        words.pop()
    return ' '.join(words)


def lines(pattern: str) -> Iterator[tuple[str, str]]:
    """(file name, line) of every file matching the pattern."""
    for path in sorted(glob.glob(pattern)):
        with open(path, encoding='utf-8') as f:
            for line in f:
                yield os.path.basename(path), line.rstrip('\n')


def counts(data: Path) -> tuple[Counter, Counter]:
    """How often each form is tagged as another kind, and as a name."""
    other: Counter = Counter()
    names: Counter = Counter()
    for _, line in lines(str(data / 'nerel' / 'train' / '*.ann')):
        if line.startswith('T'):
            _, kind, text = line.split('\t')
            if ';' not in kind:                               # not a discontinuous one
                type = kind.split()[0]
                if type in NEREL_OTHER:
                    other[form(text)] += 1
                elif type in NEREL_NAMES:
                    names[form(text)] += 1
    for topic in BSNLP_TRAIN:
        for _, line in lines(str(data / 'bsnlp-ru' / topic / '*.tsv')):
            cells = line.split('\t')
            if len(cells) >= 5 and cells[4] == 'EVT':
                other[form(cells[2])] += 1
            elif len(cells) >= 5 and cells[4] in ('PER', 'LOC', 'ORG'):
                names[form(cells[2])] += 1
    for name, line in lines(str(data / 'factru-dev' / '*.objects')):
        kind, _, text = line.partition('#')
        if name[:-len('.objects')].split('_')[1] not in FACTRU_HELD_OUT and kind.split()[1:2] and \
                kind.split()[1] in FACTRU_NAMES:
            names[form(text.strip())] += 1
    return other, names


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / 'shared' / 'data'
    other, names = counts(data)
    listed = sorted(f for f in other if f and not names[f])
    OUT.parent.mkdir(exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write('# Not people, places or organizations: forms (lower case, tokens joined by spaces)\n'
                '# that the training corpora tag as diseases, laws, events, products or awards and\n'
                '# never as names. Written by scripts/build_not_names.py; do not edit.\n')
        f.writelines(line + '\n' for line in listed)
    print('%d forms -> %s' % (len(listed), os.path.relpath(OUT)))


if __name__ == '__main__':
    main()
