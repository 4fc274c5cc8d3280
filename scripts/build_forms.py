"""Rewrites the forms in the word lists of extractor/ner/data (institutions.txt, regional_bodies.txt,
kinds.txt) from the lemma that starts each line (pymorphy3's lexeme of its
noun reading), so that the rules can test a word without the dictionary.

    python scripts/build_forms.py

Edit the lemmas (one a line, before the colon), then run this."""
from __future__ import annotations

from pathlib import Path

import pymorphy3

DATA = Path(__file__).resolve().parent.parent / 'extractor' / 'ner' / 'data'
LISTS = ('institutions.txt', 'kinds.txt', 'regional_bodies.txt')


def forms(morph: pymorphy3.MorphAnalyzer, lemma: str) -> list[str]:
    nouns = [p for p in morph.parse(lemma) if p.tag.POS == 'NOUN' and p.normal_form == lemma]
    words = {lemma} | ({f.word for f in nouns[0].lexeme} if nouns else set())
    return sorted(words | {w.replace('ё', 'е') for w in words})        # texts often write е for ё


def rewrite(morph: pymorphy3.MorphAnalyzer, path: Path) -> None:
    lines = []
    for line in path.read_text(encoding='utf-8').splitlines():
        if not line.strip() or line.startswith('#'):
            lines.append(line)
            continue
        lemma = line.split(':')[0].strip()
        lines.append('%s: %s' % (lemma, ' '.join(forms(morph, lemma))))
    path.write_text('\n'.join(lines) + '\n', encoding='utf-8')


def main() -> None:
    morph = pymorphy3.MorphAnalyzer()
    for name in LISTS:
        rewrite(morph, DATA / name)


if __name__ == '__main__':
    main()
