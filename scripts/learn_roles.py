"""Learns the title lexicon of extractor/roles.py from NEREL's train split
and writes models/roles/titles.tsv.

    python scripts/learn_roles.py ../shared/data/nerel/train [-o models/roles/titles.tsv]

A NEREL PROFESSION span is a title with what it belongs to («Министр
иностранных дел Ирана», «глава комитета Совета Федерации»). The title is
the span up to the first entity nested in it (an ORGANIZATION, a COUNTRY,
a PERSON, another PROFESSION) or the first punctuation: «министр
иностранных дел», «глава». Each title is kept by the lemmas of its words
with how often it is annotated and how often those lemmas occur in the
texts at all; a title annotated in at least MIN_SHARE of its occurrences
(and MIN_COUNT times) goes into the lexicon, so that «глава» (of a state,
rarely of a book, in news) stays and «член» (of anything) does not.
Its nominative form is, for one noun, its dictionary form; else the one
written most often where the title's first noun is in the nominative, else
built from the lemmas.

Only train is read: the dev split stays held out for `extractor evaluate`."""
from __future__ import annotations

import argparse
import glob
import os
from collections import Counter, defaultdict

from razdel import tokenize

from extractor.corpora import read_ann
from extractor.morph import Morph
from extractor.roles import agrees, governs

MAX_WORDS = 4          # longer spans are descriptions, not titles
MIN_COUNT = 1          # once is enough for a rare profession (нейрохирург, авиатор): NEREL dev pairs F1 .606 → .616 over 2
MIN_SHARE = 0.3
# Words that open a PROFESSION span without being the title: the title is
# what follows («бывший президент» → «президент»).
LEADING = frozenset({'бывший', 'экс', 'нынешний', 'действующий', 'новый', 'будущий', 'тогдашний', 'покойный'})


def brat(path: str):
    """(text, entities {id: (type, start, end)}) of each document."""
    for ann in sorted(glob.glob(os.path.join(path, '*.ann'))):
        with open(ann[:-4] + '.txt', encoding='utf-8') as f:
            text = f.read()
        yield text, {i: (s.type, s.start, s.stop) for i, s in read_ann(ann).spans.items()}


def title_words(morph: Morph, text: str, span: tuple[int, int], nested: list[tuple[int, int]]):
    """The tokens of a PROFESSION span that make its title."""
    start, end = span
    words = []
    for token in tokenize(text[start:end]):
        at = start + token.start
        if any(a <= at < b for a, b in nested):
            break
        if not any(c.isalpha() for c in token.text):
            break
        if not words and morph.analyse(token.text).lemma.lower() in LEADING:
            continue
        words.append(token.text)
    return words


def head(morph: Morph, words: list[str]) -> int | None:
    """The index of the title's head: its first noun, or a participle or
    adjective before it that does not agree with it and so governs it
    («исполняющий обязанности», «заведующим отделением», «управляющий
    делами»: the noun is what is run, not what runs); None: no noun."""
    parses = [morph.parse(w)[0] for w in words]
    # the first noun that is not an adjective agreeing with the next word («главного редактора»:
    # the dictionary reads «главного» as «главное» first)
    noun = next((i for i, p in enumerate(parses) if p.tag.POS == 'NOUN'
                 and not (i + 1 < len(words) and agrees(morph, words[i], words[i + 1], frozenset({'ADJF'}), 0.1))), None)
    if noun is None or noun == 0:
        return noun
    if governs(morph, words[noun - 1], words[noun]):
        return noun - 1
    return noun


def nominative(morph: Morph, words: list[str]) -> str | None:
    """The title as written when its head is in the nominative singular;
    None when it is not, or when there is no noun («президентских»)."""
    at = head(morph, words)
    if at is None:
        return None
    tag = morph.parse(words[at])[0].tag
    if tag.case != 'nomn' or tag.number != 'sing':
        return None
    return ' '.join(w.lower() for w in words)


def built(morph: Morph, words: list[str]) -> str:
    """The nominative built from the lemmas: the head in the nominative
    singular, the words before it agreeing with it, the words after it as
    written («генерального секретаря» → «генеральный секретарь»; «главы
    государства» → «глава государства»; «исполняющего обязанности» →
    «исполняющий обязанности»)."""
    parses = [morph.parse(w)[0] for w in words]
    at = head(morph, words)
    if at is None:
        at = len(words) - 1
    if parses[at].tag.POS == 'NOUN':
        gender = parses[at].tag.gender if parses[at].tag.gender in ('masc', 'femn', 'neut') else 'masc'
        head_form = parses[at].normal_form
    else:                                   # a participle that governs: «исполняющий»
        gender = 'masc'
        inflected = parses[at].inflect({'nomn', 'sing', 'masc'})
        head_form = inflected.word if inflected else words[at].lower()
    out = []
    for i, (word, parse) in enumerate(zip(words, parses)):
        if i < at:
            # an adjective's reading where it has one («главного»: not the noun «главное»)
            parse = next((p for p in morph.parse(word) if p.tag.POS in ('ADJF', 'PRTF')), parse)
            form = parse.inflect({'nomn', 'sing', gender})
            out.append(form.word if form else word.lower())
        elif i == at:
            out.append(head_form)
        else:
            out.append(word.lower())
    return ' '.join(out)


def min_count(morph: Morph, words: list[str]) -> int:
    """How often a title must be annotated to be kept: MIN_COUNT, but twice
    for one of several words opened by a participle, whose words the text
    may read the other way («управляющего компании» a manager, «управляющей
    компании» a company; «заведующий выставочный отдел» was built once from
    a participle and an adjective)."""
    if len(words) > 1 and any(p.tag.POS == 'PRTF' for p in morph.parse(words[0])):
        return max(MIN_COUNT, 2)
    return MIN_COUNT


def other_title(morph: Morph, key: tuple[str, ...], titles: dict, annotated: Counter) -> str | None:
    """The title of a one-word key that is a form of another, more often
    annotated title: «премьера» (the lemma the dictionary gives first) is
    the genitive of «премьер» in NEREL's politics far more often than
    a first night, and its title is «премьер»."""
    if len(key) != 1:
        return None
    for parse in morph.parse(key[0]):
        other = (parse.normal_form,)
        if parse.tag.POS == 'NOUN' and other != key and other in titles and annotated[other] >= annotated[key]:
            return titles[other]
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('train', help="NEREL's train directory (brat .txt/.ann)")
    parser.add_argument('-o', '--output', default=os.path.join(os.path.dirname(__file__), '..', 'models', 'roles',
                                                               'titles.tsv'))
    args = parser.parse_args()
    morph = Morph()
    annotated: Counter[tuple[str, ...]] = Counter()
    forms: defaultdict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    written: dict[tuple[str, ...], list[str]] = {}
    documents = list(brat(args.train))
    for text, entities in documents:
        spans = list(entities.values())
        for type, start, end in spans:
            if type != 'PROFESSION':
                continue
            nested = [(a, b) for t, a, b in spans if start <= a and b <= end and (a, b) != (start, end)]
            words = title_words(morph, text, (start, end), nested)
            if not words or len(words) > MAX_WORDS:
                continue
            if not any(morph.parse(w)[0].tag.POS == 'NOUN' for w in words):
                continue                # an adjective («президентских»): no title to hold
            key = tuple(morph.analyse(w).lemma.lower() for w in words)
            annotated[key] += 1
            form = nominative(morph, words)
            if form:
                forms[key][form] += 1
            written.setdefault(key, words)
    # How often each title's lemmas occur at all, annotated or not.
    occurs: Counter[tuple[str, ...]] = Counter()
    lengths = sorted({len(k) for k in annotated})
    for text, _ in documents:
        lemmas = [morph.analyse(t.text).lemma.lower() for t in tokenize(text)]
        for n in lengths:
            for i in range(len(lemmas) - n + 1):
                key = tuple(lemmas[i:i + n])
                if key in annotated:
                    occurs[key] += 1
    kept = [(key, count) for key, count in annotated.items()
            if count >= min_count(morph, written[key]) and count / max(occurs[key], count) >= MIN_SHARE]
    kept.sort(key=lambda kc: (-kc[1], kc[0]))
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, 'w', encoding='utf-8') as f:
        f.write('# Titles of people, learned from NEREL train (github.com/nerel-ds/NEREL, CC BY 4.0)\n'
                '# by scripts/learn_roles.py: lemmas, nominative title, times annotated, times the lemmas occur\n')
        # a title of one noun is its dictionary form (NEREL writes «блоггер» as often as «блогер»)
        titles = {key: key[0] if len(key) == 1 and morph.parse(key[0])[0].tag.POS == 'NOUN'
                  else forms[key].most_common(1)[0][0] if forms[key] else built(morph, written[key])
                  for key, _ in kept}
        for key, count in kept:
            f.write('%s\t%s\t%d\t%d\n' % (' '.join(key), other_title(morph, key, titles, annotated) or titles[key],
                                           count, occurs[key]))
    print('%d titles of %d seen, written to %s' % (len(kept), len(annotated), args.output))


if __name__ == '__main__':
    main()
