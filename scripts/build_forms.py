"""Rewrites the forms in the word lists of extractor/ner/data (institutions.txt, regional_bodies.txt,
kinds.txt) from the lemma that starts each line (pymorphy3's lexeme of its
noun readings, Morph.noun_forms), so that the rules can test a word without the dictionary.

    python scripts/build_forms.py

Edit the lemmas (one a line, before the colon), then run this."""
from __future__ import annotations

from pathlib import Path

from extractor.morph import Morph

DATA = Path(__file__).resolve().parent.parent / 'extractor' / 'ner' / 'data'
LISTS = ('institutions.txt', 'kinds.txt', 'regional_bodies.txt')


def rewrite(morph: Morph, path: Path) -> None:
    lines = []
    for line in path.read_text(encoding='utf-8').splitlines():
        if not line.strip() or line.startswith('#'):
            lines.append(line)
            continue
        lemma = line.split(':')[0].strip()
        lines.append('%s: %s' % (lemma, ' '.join(morph.noun_forms(lemma))))
    path.write_text('\n'.join(lines) + '\n', encoding='utf-8')


def main() -> None:
    morph = Morph()
    for name in LISTS:
        rewrite(morph, DATA / name)


if __name__ == '__main__':
    main()
