"""A mention's nominative normal form, with pymorphy3 and agreement.

The head noun of a name goes to the nominative; the adjectives before it
follow its gender and number («Великом Новгороде» → «Великий Новгород»); a
genitive tail stays as written («Министерства обороны Франции» →
«Министерство обороны Франции»). Person names keep their gender («Марины
Смирновой» → «Марина Смирнова»). Abbreviations, Latin words, numbers and
indeclinable names stay as they are. Capitalization and a missing ё are
kept as written."""
from __future__ import annotations

from typing import Sequence

from .morph import Morph

PERSON_PARTS = frozenset({'Name', 'Surn', 'Patr'})
AGREEING = frozenset({'ADJF', 'PRTF', 'NUMR'})
CASES = ('nomn', 'gent', 'datv', 'accs', 'ablt', 'loct', 'voct', 'gen2', 'acc2', 'loc2')


def restore_case(original: str, word: str) -> str:
    """Give `word` the capitalization (and missing ё) of `original`."""
    if 'ё' not in original.lower():
        word = word.replace('ё', 'е').replace('Ё', 'Е')
    if original.isupper() and len(original) > 1:
        return word.upper()
    parts, orig_parts = word.split('-'), original.split('-')
    out = []
    for i, part in enumerate(parts):
        model = orig_parts[i] if i < len(orig_parts) else orig_parts[-1]
        if model[:1].isupper():
            part = part[:1].upper() + part[1:]
        out.append(part)
    return '-'.join(out)


def is_cyrillic_word(word: str) -> bool:
    return any('а' <= c <= 'я' or c in 'ёЁ' or 'А' <= c <= 'Я' for c in word)


def frozen(word: str) -> bool:
    """Words that never change: abbreviations, Latin, numbers, punctuation."""
    if not is_cyrillic_word(word):
        return True
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def case_of(parse) -> str | None:
    return parse.tag.case


def inflect(parse, grammemes: set[str]) -> str | None:
    try:
        form = parse.inflect(grammemes)
    except (ValueError, KeyError):
        return None
    return form.word if form else None


class Normalizer:
    def __init__(self, morph: Morph):
        self.morph = morph

    def __call__(self, words: Sequence[str], type: str) -> list[str]:
        """Nominative form of each word of a mention."""
        if type == 'PER':
            return self.person(words)
        return self.name(words)

    # --- persons ------------------------------------------------------

    def person(self, words: Sequence[str]) -> list[str]:
        parses = [None if frozen(w) else self.morph.parse(w) for w in words]
        gender = self.person_gender(parses)
        out = []
        for word, options in zip(words, parses):
            if options is None:
                out.append(word)
                continue
            best = self.person_parse(options, gender)
            if best is None or 'Fixd' in best.tag:
                out.append(word)
                continue
            grammemes = {'nomn', 'sing'}
            if gender and best.tag.gender in ('masc', 'femn') and best.tag.gender != gender:
                grammemes.add(gender)
            form = inflect(best, grammemes) or inflect(best, {'nomn'})
            out.append(restore_case(word, form) if form else word)
        return out

    @staticmethod
    def person_parse(options, gender):
        def rank(p):
            tag = p.tag
            return (bool(PERSON_PARTS & tag.grammemes),
                    gender is None or tag.gender == gender,
                    tag.POS == 'NOUN',
                    tag.number == 'sing',
                    p.score)
        return max(options, key=rank)

    @staticmethod
    def person_gender(parses) -> str | None:
        """The gender all known name parts allow, masculine first."""
        allowed = None
        for options in parses:
            if not options:
                continue
            genders = {p.tag.gender for p in options
                       if PERSON_PARTS & p.tag.grammemes and p.tag.gender in ('masc', 'femn')}
            if not genders:
                continue
            allowed = genders if allowed is None else allowed & genders
        if not allowed:
            return None
        return 'masc' if 'masc' in allowed else 'femn'

    # --- places and organizations --------------------------------------

    def name(self, words: Sequence[str]) -> list[str]:
        out = list(words)
        parses = [None if frozen(w) else self.morph.parse(w) for w in words]
        head = self.find_head(parses)
        if head is None:
            return out
        head_parse = self.head_parse(parses[head], parses[:head])
        if head_parse is None or 'Fixd' in head_parse.tag or head_parse.tag.case == 'nomn':
            return out
        number = 'plur' if head_parse.tag.number == 'plur' else 'sing'
        form = inflect(head_parse, {'nomn', number})
        if form is None:
            return out
        out[head] = restore_case(words[head], form)
        gender = head_parse.tag.gender
        for i in range(head):
            options = parses[i]
            if options is None:
                continue
            adj = self.agreeing(options, head_parse)
            if adj is None:
                continue
            target = {'nomn', number} if number == 'plur' else {'nomn', 'sing', gender or 'masc'}
            form = inflect(adj, target)
            if form:
                out[i] = restore_case(words[i], form)
        return out

    @staticmethod
    def find_head(parses) -> int | None:
        """The first noun of the name; words before it may agree with it."""
        for i, options in enumerate(parses):
            if options is None:
                return None if i == 0 else None
            if any(p.tag.POS == 'NOUN' for p in options) and \
                    not all(p.tag.POS in AGREEING for p in options[:1]):
                return i
        return None

    @staticmethod
    def head_parse(options, before):
        """The noun reading of the head that the words before it agree with."""
        nouns = [p for p in options if p.tag.POS == 'NOUN']
        if not nouns:
            return None

        def agrees(p):
            for opts in before:
                if opts is None:
                    continue
                if not any(a.tag.POS in AGREEING and a.tag.case == p.tag.case
                           and a.tag.number == p.tag.number for a in opts):
                    return False
            return True

        def rank(p):
            return (agrees(p), bool({'Geox', 'Orgn', 'Name', 'Surn'} & p.tag.grammemes), p.score)
        return max(nouns, key=rank)

    @staticmethod
    def agreeing(options, head):
        case, number, gender = head.tag.case, head.tag.number, head.tag.gender
        fits = [p for p in options if p.tag.POS in AGREEING and p.tag.case == case
                and p.tag.number == number and (number == 'plur' or p.tag.gender in (gender, None))]
        if not fits:
            return None
        # «Великом» is both an adjective and a comparative degree: take the plain one.
        return max(fits, key=lambda p: ('Qual' not in p.tag, 'Supr' not in p.tag, p.score))
