"""Who is who: the positions the text gives its people (`Entity.roles`).

Two steps, because a role needs the words of its sentence and the entities
of the whole document:

    phrases = roles.find(sentence_tokens, names)   # per block: the role phrases
    roles.attach(phrases, entities)                # after the resolver

A role phrase is a title from the lexicon (models/roles/titles.tsv, learned
from NEREL train by scripts/learn_roles.py), matched on lemmas, with what
follows it and belongs to it: the places and organizations named after it
and the nouns and adjectives on the way to them («Министр иностранных дел
Ирана», «глава иранского МИД», «глава комитета Совета Федерации»). Its
holder is the person named right after it («… Ирана Аббас Аракчи») or
right before it, in apposition or parentheses («Сергей Лавров, глава МИД
России»). A phrase without a holder («министр подчеркнул», «глава
иранского МИД указал») is a later reference: it goes to the one person of
the document whose role it fits, and to nobody when several fit; when none
fits, the learned attachment (attachment.py) may choose a person.

The role's `org` is the first place or organization with a mention inside
the phrase (`ORG_CHOICE`; evaluated on NEREL dev, see README). Mentions
are looked up by offsets in the resolved entities, so any kind of mention
there (a name, a relational adjective) counts."""
from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .attachment import Attachment
from .document import Entity, Role, RoleMention, Token
from .morph import SentenceTokens
from .resolve import ALIAS_GROUPS, Found, key

if TYPE_CHECKING:
    from .stages import Morphology

TITLES_FILE = 'roles/titles.tsv'
# tokens between a title and the place or organization it belongs to
# («глава комитета Совета Федерации», «тренер сборной России»)
MAX_BETWEEN = 5
# nouns and adjectives between a title and the person it is followed by («лидер консерваторов Дэвид Кэмерон»)
MAX_BEFORE_PERSON = 3
# what may stand between a person and a title that follows it in apposition
APPOSITION = frozenset({',', '(', '—', '–', '-'})
# the part of speech of a word that may head a title before its noun («исполняющий обязанности»):
# a participle; an adjective never governs its noun («главного редактора»)
MODIFIERS = frozenset({'PRTF'})
# closing quotes between a title's organization and the person after it («Глава «Металлоинвеста» Андрей Варичев»)
CLOSING = frozenset({'»', '"', '“', "'"})
# what before a hyphen says a title was held («экс-президент»)
FORMER = frozenset({'экс'})
# what joins the people of a list («актёры Андрей Мерзликин и Юрий Царёв»)
LIST_SEPARATORS = frozenset({',', 'и'})
# what may stand between a plural title and its list («пять экс-президентов: Альберто Фухимори, …»)
LIST_OPENING = frozenset({':', '—', '–'})
# what may open the name of an organization after a title
OPENING = frozenset({'«', '"', '“', '„', "'"})
# prepositions inside a title's organization («главе МВД по Башкирии», «Сенатор от штата Алабама»)
LINKING = frozenset({'по', 'от', 'при', 'в'})
# a person who becomes or is what the title says
VERBS = frozenset({'быть', 'стать', 'являться', 'назначить', 'избрать', 'работать', 'служить', 'занимать',
                   'оставаться', 'остаться', 'назначать', 'избирать', 'становиться', 'утвердить',
                   'занять', 'выступить', 'выступать', 'вступить', 'трудиться'})
COPULAS = VERBS | {'на', 'пост', 'должность', 'в', 'качество', 'сейчас', 'ранее', 'уже', 'также', 'снова',
                   'теперь', 'прежде', 'по-прежнему', 'временно', 'новый', 'не', 'как'}
# words for the country a text is about («президент страны», «глава государства»)
COUNTRY_WORDS = frozenset({'страна', 'государство'})
# nouns that say a title is of the company the text is about: «генеральный директор компании», «… клуба»
COMPANY_WORDS = frozenset({'компания', 'корпорация', 'концерн', 'холдинг', 'фирма', 'банк', 'клуб'})
# titles only with whom they stand for after them: «представитель МИД России», «представитель российских властей»
OF_WHOM = frozenset({'представитель'})
# Words before a title that say its holder is someone the text does not name
# («анонимный коллекционер», «неназванный чиновник», «некий бизнесмен»)
UNNAMED = frozenset({'анонимный', 'неизвестный', 'неназванный', 'некий', 'какой-то', 'безымянный'})
# what a «премьера» is of, when it is a first night and not a prime minister («премьера оперы»)
PREMIERES = frozenset({'фильм', 'опера', 'спектакль', 'балет', 'сериал', 'мюзикл', 'постановка', 'пьеса',
                       'картина', 'лента', 'шоу', 'сезон', 'альбом', 'клип', 'песня', 'программа', 'концерт'})
# titles of someone's deputy or aide: the title they serve is part of theirs
DEPUTIES = frozenset({'заместитель', 'заместительница', 'помощник', 'помощница', 'советник', 'референт'})
# titles of a region's or a city's head: of the one the text names most, where the phrase names none
LOCAL_TITLES = {'губернатор': 'region', 'вице-губернатор': 'region', 'мэр': 'city', 'вице-мэр': 'city',
                'градоначальник': 'city'}
# forms of «премьер» that are also forms of «премьера»: alone, a first night
PREMIERE_FORMS = frozenset({'премьера', 'премьеру', 'премьере', 'премьеры', 'премьерой'})
# how many sentences away from where its holder is named a title alone may refer to them
NEAR = 3
# titles that name the head of what follows them: «глава МИД» is the minister
HEADS = frozenset({'глава', 'руководитель', 'начальник', 'шеф'})
# 'first': the first place or organization inside the phrase; 'last': the last one
ORG_CHOICES = ('first', 'last', 'org-first', 'place-first')
ORG_CHOICE = 'first'


@dataclass(frozen=True, slots=True)
class RolePhrase:
    """A title and what belongs to it, found in a sentence."""
    start: int
    end: int
    text: str
    title: str                # nominative title («министр иностранных дел»)
    holder: int | None        # start of the mention of the person who holds it; None: a later reference
    sentence: tuple[int, int] = (0, 0)     # where its sentence starts and ends
    near: tuple[int, int] = (0, 0)         # from the start of the NEAR-th sentence before it to the end of the NEAR-th after
    plural: bool = False      # its title is plural («музыканты»)
    of_country: bool = False  # it says «страны», «государства» and names no place: the text's country
    of_company: bool = False  # it says «компании» and names no organization: the text's company
    of_noun: str | None = None  # the first common noun after its title («театр» of «директор театра»)


@dataclass
class Titles:
    """The title lexicon: lemma sequences → nominative titles."""
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    # of each title, the share of its words' occurrences annotated as a role in NEREL train
    share: dict[str, float] = field(default_factory=dict)

    @classmethod
    def read(cls, path: str | Path) -> Titles:
        titles = cls()
        with open(path, encoding='utf-8') as f:
            for line in f:
                if line.startswith('#') or not line.strip():
                    continue
                lemmas, title, *counts = line.rstrip('\n').split('\t')
                titles.add(tuple(lemmas.split(' ')), title)
                if len(counts) == 2 and int(counts[1]):
                    titles.share[title] = max(titles.share.get(title, 0.0), min(1.0, int(counts[0]) / int(counts[1])))
        return titles

    def add(self, lemmas: tuple[str, ...], title: str) -> None:
        entries = self.by_first.setdefault(lemmas[0], [])
        entries.append((lemmas, title))
        entries.sort(key=lambda e: -len(e[0]))         # the longest title first

    def match(self, lemmas: Lemmas, i: int, limit: int | None = None) -> tuple[int, str] | None:
        """(length, title) of the longest title starting at lemmas[i], of at
        most `limit` words."""
        for entry, title in self.by_first.get(lemmas[i], ()):
            if limit is not None and len(entry) > limit:
                continue
            # word by word: a lemma is read (its word analysed) only while the title still fits
            if i + len(entry) <= len(lemmas) and all(lemmas[i + k] == entry[k] for k in range(1, len(entry))):
                return len(entry), title
        if '-' in lemmas[i]:
            return self.compound(lemmas[i])
        return None

    def compound(self, lemma: str) -> tuple[int, str] | None:
        """A hyphenated word whose first or last part is a one-word title:
        «экс-президент» is a «президент», «хип-хоп-исполнитель» and
        «журналист-расследователь» are titles of their own."""
        parts = lemma.split('-')
        if parts[0] in FORMER and len(parts) > 1:
            rest = '-'.join(parts[1:])
            title = self.single(rest) or (self.compound(rest) or (0, None))[1]
            return (1, title) if title else None
        if self.single(parts[-1]) or self.single(parts[0]):
            return 1, lemma
        return None

    def single(self, lemma: str) -> str | None:
        """The title of this one-word lemma, if it is one."""
        return next((title for entry, title in self.by_first.get(lemma, ()) if len(entry) == 1), None)


def load_titles() -> Titles:
    """The learned lexicon, and the titles that are one only with whom they
    stand for (OF_WHOM: NEREL annotates a bare «представитель» too rarely
    for the lexicon; the patterns keep it only where the text names both)."""
    from .assets import models_dir
    titles = Titles.read(models_dir() / TITLES_FILE)
    for title in OF_WHOM:
        if titles.single(title) is None:
            titles.add((title,), title)
    return titles


class Roles:
    """The default role stage: the title lexicon and the patterns above."""

    def __init__(self, titles: Titles, morph: Morphology | None = None, org_choice: str = ORG_CHOICE,
                 attachment: Attachment | None = None):
        if org_choice not in ORG_CHOICES:
            raise ValueError('org_choice is one of %s, not %r' % (', '.join(ORG_CHOICES), org_choice))
        self.titles = titles
        self.attachment = attachment    # the learned choice of a person for a phrase the patterns leave; None: nobody
        self.morph = morph          # readings of words, for the agreement of a title and a name
        self._first_forms: frozenset[str] | None = None
        self._starts: dict[str, bool] = {}           # word → may_start(word)
        self.org_choice = org_choice

    def may_start(self, word: str) -> bool:
        """Whether a title can start at this word: it is a form of a title's
        first word. Asked of every word before its lemma is read, which
        spares the analysis of most of them (the answer errs only on the
        yes side)."""
        hit = self._starts.get(word)
        if hit is None:
            forms = self.first_forms()
            if forms is None:
                return True
            folded = word.lower().replace('ё', 'е')
            hit = folded in forms or ('-' in folded and any(part in forms for part in folded.split('-')))
            if len(self._starts) >= 100_000:
                self._starts.clear()           # bounded on endless streams
            self._starts[word] = hit
        return hit

    def first_forms(self) -> frozenset[str] | None:
        """Every form of every title's first word, by the dictionary's
        paradigms (None without a morphology: every sentence is read)."""
        if self._first_forms is None and self.morph is not None:
            forms = set()
            for lemma in self.titles.by_first:
                forms.add(lemma.replace('ё', 'е'))
                for parse in self.morph.parse(lemma):
                    forms.update(form.word.replace('ё', 'е') for form in parse.lexeme)
            self._first_forms = frozenset(forms)
        return self._first_forms

    def find(self, sentences: Iterable[SentenceTokens], names: Sequence[Found],
             written: Callable[[int, int], str]) -> list[RolePhrase]:
        """The role phrases of a block's sentences; `names` are its mentions,
        `written(start, end)` the text between two offsets."""
        by_start: dict[int, Found] = {}
        for name in names:
            known = by_start.get(name.start)
            if known is None or known.end < name.end:      # of nested names, the outer one
                by_start[name.start] = name
        phrases: list[RolePhrase] = []
        bounds: list[tuple[int, int]] = []
        found: list[list[RolePhrase]] = []
        for tokens in sentences:
            if len(tokens):
                bounds.append((tokens.offsets[0][0], tokens.offsets[-1][1]))
                found.append(self.sentence_phrases(tokens, by_start, written))
        for k, here in enumerate(found):
            near = (bounds[max(k - NEAR, 0)][0], bounds[min(k + NEAR, len(bounds) - 1)][1])
            phrases += [replace(p, near=near) for p in here]
        return phrases

    def sentence_phrases(self, tokens: SentenceTokens, names: dict[int, Found],
                         written: Callable[[int, int], str]) -> list[RolePhrase]:
        # the names as token spans: start token → (end token, type, start offset)
        at = {start: i for i, (start, _) in enumerate(tokens.offsets)}
        ends = {end: i + 1 for i, (_, end) in enumerate(tokens.offsets)}
        spans: dict[int, tuple[int, str]] = {}
        person_end: dict[int, int] = {}          # end token of a person's name → its start offset
        in_person: set[int] = set()
        in_name: set[int] = set()              # the words of the quoted names («Металлург»)
        adjective_end: dict[int, int] = {}     # end token of a place's adjective → its token
        for start, _ in tokens.offsets:
            name = names.get(start)
            if name is not None and name.end in ends:
                a, b = at[start], ends[name.end]
                spans[a] = (b, name.type)
                if name.type == 'PER':
                    person_end[b] = name.start
                    in_person.update(range(a, b))
                elif name.kind == 'adjective':
                    adjective_end[b] = a
                elif name.kind is None and a > 0 and tokens.words[a - 1] in OPENING:
                    in_name.update(range(a, b))
        lemmas = Lemmas(tokens)
        out = self.leading_titles(tokens, lemmas, spans, written)
        i = 0
        while i < len(tokens):
            # not in a quoted name («примет «Металлург»»: a club)
            hit = self.titles.match(lemmas, i) if i not in in_person and i not in in_name \
                and self.may_start(tokens.words[i]) else None
            if hit is None:
                i += 1
                continue
            # a title stops where a name starts: «Председатель Банка России» is a
            # «председатель» of the bank, though «председатель банка» is a title
            named = next((k for k in range(i + 1, i + hit[0]) if k in spans or k in in_person), None)
            if named is not None:
                hit = self.titles.match(lemmas, i, named - i)
                if hit is None:
                    i += 1
                    continue
            length, title = hit
            if title == 'премьер' and first_night(tokens, lemmas, i):
                i += 1                      # «премьера оперы»: a first night
                continue
            if i > 0 and tokens.words[i - 1].lower() == 'в' and self.plural(tokens[i:i + length]):
                i += length                 # «кандидат в президенты», «баллотироваться в депутаты»: nobody's title yet
                continue
            # a place's adjective right before the title is its own: «северокорейский лидер», «британской королевы»
            first = adjective_end.get(i, i)
            end, stop = self.extent(tokens, lemmas, spans, in_person, i + length)
            if title in OF_WHOM and end == i + length:
                i += length                 # «представитель» of nobody named is no one's title
                continue
            holder = self.holder(tokens, lemmas, spans, person_end, first, end, stop)
            if holder is not None:
                # the common nouns in the genitive right after it are part of a held title:
                # «министр финансов Антон Силуанов», «Министр культуры Свердловской области …»
                # (not another title: «пресс-секретарь президента России» is the president's)
                longest = self.genitive_tail(tokens, i + length, in_person)
                tail = next((k for k in range(i + length, longest) if k in spans or self.titles.match(lemmas, k)),
                            longest)
                if tail == i + length < longest and lemmas[tail - 1] in DEPUTIES and tail not in spans:
                    # but a deputy's is: «заместитель председателя ЦБ», «советник губернатора»
                    inner = self.titles.match(lemmas, tail)
                    tail = min(tail + inner[0], longest) if inner else tail
                while tail > i + length and tokens[tail - 1].pos != 'NOUN':
                    tail -= 1
                if tail > i + length:
                    title = ' '.join([title] + [tokens[k].text.lower() for k in range(i + length, tail)])
            if holder is not None and stop > end:
                end = stop                     # the nouns up to the person: «лидер консерваторов Дэвид Кэмерон»
            plural = holder is None and self.plural(tokens[i:end], title)
            people = self.listed(tokens, spans, end) if plural else []
            if holder is None and not people and end == i + length and end < len(tokens) \
                    and tokens[end].pos == 'NOUN':
                # a bare title followed by nouns in the genitive is a longer title: «министром финансов»
                tail = self.genitive_tail(tokens, end, in_person)
                if tail > end:
                    title = ' '.join([title] + [tokens[k].text.lower() for k in range(end, tail)])
                    end = tail
                    holder = self.holder(tokens, lemmas, spans, person_end, first, end, end)
            # a bare title followed by more nouns is some other title
            reference = holder is None and not people and not (end < len(tokens) and tokens[end].pos == 'NOUN') \
                and title not in OF_WHOM \
                and not (first > 0 and lemmas[first - 1] in UNNAMED)
            # (of whom: «представитель МВД сообщил» is a spokesman, rarely one the text names)
            a, b = tokens[first].start, tokens[end - 1].end
            country = any(lemmas[k] in COUNTRY_WORDS for k in range(i, end))
            company = any(lemmas[k] in COMPANY_WORDS for k in range(i, end))
            noun = next((lemmas[k] for k in range(i + length, end)
                         if tokens[k].pos == 'NOUN' and tokens[k].text.islower()), None)
            if holder is not None:
                out.append(RolePhrase(a, b, written(a, b), title, holder, of_country=country, of_company=company,
                                      of_noun=noun))
            elif reference:
                out.append(RolePhrase(a, b, written(a, b), title, None, plural=plural, of_country=country,
                                      of_company=company, of_noun=noun))
            out += [RolePhrase(a, b, written(a, b), title, person, of_country=country, of_company=company,
                               of_noun=noun)
                    for person in people]
            out += self.inner_titles(tokens, lemmas, spans, person_end, in_person, i + length, end, holder, written)
            i = end
        sentence = (tokens.offsets[0][0], tokens.offsets[-1][1]) if len(tokens) else (0, 0)
        return [replace(p, sentence=sentence) for p in chained(out, written)]

    def inner_titles(self, tokens: SentenceTokens, lemmas: Lemmas, spans: dict[int, tuple[int, str]],
                     person_end: dict[int, int], in_person: set[int], start: int, end: int,
                     outer: int | None, written: Callable[[int, int], str]) -> list[RolePhrase]:
        """The titles inside a title's phrase that have a holder of their own:
        «пресс-секретарь экс-президента США Билла Клинтона Джо Локхарт» gives
        Клинтон his «президент» too."""
        out = []
        for k in range(start, end):
            if k in in_person or not self.may_start(tokens.words[k]):
                continue
            hit = self.titles.match(lemmas, k)
            if hit is None:
                continue
            inner_end, stop = self.extent(tokens, lemmas, spans, in_person, k + hit[0])
            holder = self.holder(tokens, lemmas, spans, {}, k, inner_end, stop, inner=True)
            if holder is not None and holder != outer:
                a, b = tokens[k].start, tokens[inner_end - 1].end
                out.append(RolePhrase(a, b, written(a, b), hit[1], holder))
            break
        return out

    def leading_titles(self, tokens: SentenceTokens, lemmas: Lemmas, spans: dict[int, tuple[int, str]],
                       written: Callable[[int, int], str]) -> list[RolePhrase]:
        """The titles the network took into a person's name («Император
        Акихито», «Принцу Филиппу»): a role of that person."""
        out = []
        for a, (b, type) in spans.items():
            if type != 'PER' or not self.may_start(tokens.words[a]):
                continue
            hit = self.titles.match(lemmas, a)
            if hit is not None and a + hit[0] < b:
                start, end = tokens[a].start, tokens[a + hit[0] - 1].end
                out.append(RolePhrase(start, end, written(start, end), hit[1], start))
        return out

    def extent(self, tokens: Sequence[Token], lemmas: Lemmas, spans: dict[int, tuple[int, str]],
               in_person: set[int], title_end: int) -> tuple[int, int]:
        """Where the phrase of a title ending at token j ends: after the
        places and organizations that follow it, with up to MAX_BETWEEN
        nouns, adjectives, quotes and prepositions before each («глава
        иранского МИД», «глава исполкома "Единой России"», «главе МВД по
        Башкирии»); and where the words after them stop."""
        j = end = title_end
        between = 0
        while j < len(tokens) and j not in in_person:
            span = spans.get(j)
            if span is not None and span[1] != 'PER':
                j = end = span[0]
                if j < len(tokens) and tokens[j].text in CLOSING and \
                        any(t.text in OPENING for t in tokens[title_end:j]):
                    j = end = j + 1          # the quotes around its name: «Глава «Металлоинвеста» …»
                between = 0
            elif lemmas[j] in COUNTRY_WORDS:
                j = end = j + 1              # «президента страны»: of the country, as a place's name is
                between = 0
            elif between < MAX_BETWEEN and (common(tokens[j]) or tokens[j].text in OPENING
                                            or lemmas[j] in LINKING or self.joins_nouns(tokens, lemmas, j)
                                            or abbreviation(tokens[j].text)):
                j += 1
                between += 1
            else:
                break
        # the words after the last name, up to the first that is not a noun or adjective
        stop = end
        while stop < len(tokens) and stop - end < MAX_BEFORE_PERSON and common(tokens[stop]) \
                and stop not in in_person:
            stop += 1
        return end, stop

    def holder(self, tokens: Sequence[Token], lemmas: Lemmas, spans: dict[int, tuple[int, str]],
               person_end: dict[int, int], start: int, end: int, stop: int, inner: bool = False) -> int | None:
        """The start of the person's mention the phrase tokens[start:end] is
        about, if any (`inner`: a title inside another's phrase, whose
        holder is the first person after it)."""
        for j in (end, stop):
            after = j + 1 if j < len(tokens) and tokens[j].text in CLOSING else j
            span = spans.get(after)
            if span is not None and span[1] == 'PER':
                # whose title, then who holds it: «пресс-секретарь Путина Дмитрий Песков»
                second = spans.get(span[0])
                if not inner and second is not None and second[1] == 'PER' and self.genitive(tokens[after].text) \
                        and self.agree(tokens[start:end], tokens[span[0]].text):
                    return tokens[span[0]].start
                return tokens[after].start if self.agree(tokens[start:end], tokens[after].text) else None
        # two titles of one person side by side: «начальника городского отдела полиции полковника Сергея Кузнецова»
        hit = self.titles.match(lemmas, stop) if not inner and stop < len(tokens) else None
        if hit is not None:
            after = stop + hit[0]
            span = spans.get(after)
            if span is not None and span[1] == 'PER' and self.agree(tokens[start:end], tokens[after].text) \
                    and self.agree(tokens[stop:after], tokens[after].text):
                return tokens[after].start
        if start >= 2 and tokens[start - 1].text in APPOSITION and start - 1 in person_end:
            return person_end[start - 1]
        # «Сотомайор станет первым судьей», «Эберсман был финансовым директором»
        for b in range(start - 1, max(start - 5, 0), -1):
            if b in person_end and all(lemmas[k] in COPULAS for k in range(b, start)) \
                    and any(lemmas[k] in VERBS for k in range(b, start)):
                return person_end[b]
            if tokens[b - 1].pos not in ('VERB', 'AUX', 'ADV', 'ADP', 'NOUN', 'ADJ') and lemmas[b - 1] not in COPULAS:
                break
        # «министром обороны станет Лиам Фокс»
        j = end
        while j < len(tokens) and j - end < 3 and lemmas[j] in COPULAS:
            j += 1
        span = spans.get(j)
        if j > end and span is not None and span[1] == 'PER' and any(lemmas[k] in VERBS for k in range(end, j)):
            return tokens[j].start
        return None

    def agree(self, phrase: Sequence[Token], person: str) -> bool:
        """A title and the name after it are one phrase when they can be in
        one case and the title is singular: not «заместитель Постникова»
        (whose deputy), «адвокаты Берлускони» (whose lawyers). Every
        reading of the name counts: reading only its likeliest one loses
        more right pairs than wrong ones on NEREL dev («Постникова» may be
        a woman's name in the nominative)."""
        if self.morph is None:
            return True
        heads = self.head_readings(phrase)
        # a name the dictionary only guesses at («Бейонсе»: a locative of «Бейонс») may be in any case
        names = [p.tag for p in self.morph.parse(person) if p.tag.case and p.is_known]
        if heads and all(t.number == 'plur' for t in heads):
            return False
        if not heads or not names:
            return True
        return bool({t.case for t in heads} & {t.case for t in names})

    def joins_nouns(self, tokens: Sequence[Token], lemmas: Lemmas, j: int) -> bool:
        """«и» between two nouns of one title («министр природных ресурсов и
        экологии»), not before another title («Президент России и
        премьер-министр Индии»)."""
        return tokens[j].text == 'и' and j + 1 < len(tokens) and common(tokens[j + 1]) \
            and tokens[j + 1].text.islower() and not self.titles.match(lemmas, j + 1)

    def genitive_tail(self, tokens: SentenceTokens, start: int, in_person: set[int]) -> int:
        """The end of the nouns and adjectives in the genitive from tokens[start]
        (up to MAX_BETWEEN, the last a noun; «и» between two nouns): the rest
        of a title («финансов», «лаборатории электроники», «природных
        ресурсов и экологии»); `start` when there are none."""
        end = start
        for k in range(start, min(start + MAX_BETWEEN, len(tokens))):
            if tokens[k].text == 'и' and end == k and k > start:
                continue
            if k in in_person or tokens[k].pos not in ('NOUN', 'ADJ') or not tokens[k].text.islower() \
                    or not self.genitive(tokens[k].text):
                break
            if tokens[k].pos == 'NOUN':
                end = k + 1
        return end

    def genitive(self, word: str) -> bool:
        """Whether a name may be in the genitive (whose title it is)."""
        return self.morph is None or any(p.tag.case == 'gent' for p in self.morph.parse(word))

    def plural(self, phrase: Sequence[Token], title: str | None = None) -> bool:
        """Whether a title's head can only be plural («президенты»; «аналитики»
        of the title «аналитик», though «аналитика» has a singular so)."""
        heads = self.head_readings(phrase, title)
        return bool(heads) and all(t.number == 'plur' for t in heads)

    def head_readings(self, phrase: Sequence[Token], title: str | None = None) -> list:
        """The readings of a title's head: its first noun's (those of the
        title's own word, where `title` is given and some are), or those of a
        participle before it that governs it («Управляющий делами»)."""
        if self.morph is None:
            return []
        at = next((k for k, t in enumerate(phrase) if t.pos == 'NOUN'), 0)
        if at > 0 and self.governs(phrase[at - 1].text, phrase[at].text):
            return [p.tag for p in self.morph.parse(phrase[at - 1].text) if p.tag.POS in MODIFIERS]
        nouns = [p for p in self.morph.parse(phrase[at].text) if p.tag.POS == 'NOUN']
        words = title.replace('ё', 'е').split(' ') if title is not None else []
        own = [p for p in nouns if p.normal_form.replace('ё', 'е') in words]
        return [p.tag for p in own or nouns]

    def governs(self, modifier: str, noun: str) -> bool:
        """Whether a participle is the head of the noun after it (`governs`)."""
        return self.morph is not None and governs(self.morph, modifier, noun)

    @staticmethod
    def listed(tokens: Sequence[Token], spans: dict[int, tuple[int, str]], end: int) -> list[int]:
        """The people a plural title ending at tokens[end] names in a list
        right after it («актёры Андрей Мерзликин и Юрий Царёв»): the starts
        of their mentions, when there are two or more; none otherwise."""
        people, j = [], end
        if j < len(tokens) and tokens[j].text in LIST_OPENING:
            j += 1
        while True:
            span = spans.get(j)
            if span is None or span[1] != 'PER':
                break
            people.append(tokens[j].start)
            j = skip_parentheses(tokens, span[0])
            if j < len(tokens) and tokens[j].text in LIST_SEPARATORS:
                j += 1
            else:
                break
        return people if len(people) > 1 else []

    def attach(self, phrases: list[RolePhrase], entities: list[Entity]) -> list[RolePhrase]:
        """Each phrase as a role of its holder, or of the one person whose
        role a reference fits, or of the person the attachment model
        chooses; returns the phrases given to nobody."""
        person_at = {m.start: e for e in entities if e.type == 'PER' for m in e.mentions}
        places = Places(entities)
        country, company = main_country(entities), main_company(entities)
        by_word = organizations_by_word(entities)
        # a governor's or a mayor's org, where the phrase names none: the region or city the text names most
        local = {'region': main_place(entities, 'iso3166', region=True), 'city': main_place(entities, 'geonames')}

        def org_of(phrase: RolePhrase) -> str | None:
            named = by_word.get(phrase.of_noun or '', ())
            return self.phrase_org(phrase, places.inside(phrase.start, phrase.end), country, company) \
                or (named[0] if len(named) == 1 else None) \
                or (local[LOCAL_TITLES[phrase.title]] if phrase.title in LOCAL_TITLES else None)

        references = []
        for phrase in phrases:
            person = person_at.get(phrase.holder) if phrase.holder is not None else None
            if person is None:
                references.append(phrase)
            else:
                self.give(person, phrase, org_of(phrase))
        held = [(person, role) for person in entities for role in person.roles or ()]
        left = []
        for phrase in references:
            inside = places.inside(phrase.start, phrase.end)
            # a plural title names several people, not the one who holds it («рэпер» … «рэперов»)
            fits = [] if phrase.plural else [(p, r) for p, r in held if fits_role(phrase.title, inside, r)]
            if len(fits) == 1:
                person, role = fits[0]
                if not named_near(person, phrase):
                    continue           # far from where its holder is named: the office, or someone else's
                role.mentions.append(RoleMention(phrase.start, phrase.end, phrase.text))
                if role.org is None:     # a later phrase may say whose: «… северокорейского лидера»
                    role.org = org_of(phrase)
            elif not fits:             # several fits: nobody's, rather than a guess
                left.append(phrase)
        if self.attachment is not None and left:
            chosen = self.attachment.choose(left, entities, self.titles.share)
            for phrase, person in chosen:
                self.give(person, phrase, org_of(phrase))
            given = {id(phrase) for phrase, _ in chosen}
            left = [phrase for phrase in left if id(phrase) not in given]
        for person in entities:
            for role in person.roles or ():
                role.mentions.sort(key=lambda m: m.start)
        return left

    @staticmethod
    def give(person: Entity, phrase: RolePhrase, org: str | None) -> None:
        """The phrase as a role of the person: a mention of the role of its title, made if new."""
        role = next((r for r in person.roles or () if r.title == phrase.title), None)
        if role is None:
            person.roles = (person.roles or []) + [Role(phrase.title, org, [])]
            role = person.roles[-1]
        elif role.org is None:
            role.org = org
        role.mentions.append(RoleMention(phrase.start, phrase.end, phrase.text))

    def phrase_org(self, phrase: RolePhrase, inside: list[Entity], country: str | None,
                   company: str | None) -> str | None:
        """The org of a phrase: of the entities named inside it, else the
        text's country for a phrase of «страны» («президент страны»), its
        company for one of «компании» («генеральный директор компании»)."""
        return self.org(inside) or (country if phrase.of_country else None) or (company if phrase.of_company else None)

    def org(self, inside: list[Entity]) -> str | None:
        """The id of the entity the role belongs to, of those named inside its phrase (in text order)."""
        if not inside:
            return None
        if self.org_choice == 'last':
            return inside[-1].id
        if self.org_choice in ('org-first', 'place-first'):
            wanted = 'ORG' if self.org_choice == 'org-first' else 'LOC'
            return next((e.id for e in inside if e.type == wanted), inside[0].id)
        return inside[0].id

    def __repr__(self) -> str:
        return 'Roles(%d titles, org_choice=%r)' % (sum(map(len, self.titles.by_first.values())), self.org_choice)


class Places:
    """The mentions of places and organizations, by offset, for the entities inside a phrase."""

    def __init__(self, entities: list[Entity]):
        found = sorted((m.start, m.end, n) for n, e in enumerate(entities) if e.type != 'PER' for m in e.mentions)
        self.starts = [s for s, _, _ in found]
        self.found = found
        self.entities = entities

    def inside(self, start: int, end: int) -> list[Entity]:
        """The entities with a mention overlapping [start, end), by first such mention, outer ones first."""
        out: list[Entity] = []
        i = bisect.bisect_left(self.starts, start)
        # a mention starting before the phrase may still reach into it
        while i > 0 and self.found[i - 1][1] > start:
            i -= 1
        for s, e, n in sorted(self.found[i:bisect.bisect_left(self.starts, end)], key=lambda f: (f[0], -f[1])):
            if e > start and self.entities[n] not in out:
                out.append(self.entities[n])
        return out


def common(token: Token) -> bool:
    """A noun or adjective; a lower-case word read as a surname is a noun
    («тренер казанцев»: the people of Kazan, not Казанцев)."""
    return token.pos in ('NOUN', 'ADJ') or token.pos == 'PROPN' and token.text.islower()


def abbreviation(word: str) -> bool:
    """A short word in capitals that is no name of its own here: a company's
    legal form or kind before its name («директор ПАО «Яндекс»», «аналитик
    ФГ «Финам»»)."""
    return 2 <= len(word) <= 5 and word.isalpha() and word.isupper()


def skip_parentheses(tokens: Sequence[Token], j: int) -> int:
    """Past a parenthesis at tokens[j], if one opens there and closes in the
    sentence («Юрий Царёв (проект «Метро»), Алексей Борисов»)."""
    if j < len(tokens) and tokens[j].text == '(':
        for k in range(j + 1, len(tokens)):
            if tokens[k].text == ')':
                return k + 1
    return j


def agrees(morph: Morphology, modifier: str, noun: str, parts: frozenset[str] = MODIFIERS,
           min_score: float = 0.0) -> bool:
    """Whether some reading of `modifier` as one of `parts` of speech (of
    the dictionary's score `min_score` or more: «главой» is not «главый»)
    agrees with some reading of `noun` in case, number and (singular) gender."""
    nouns = [p.tag for p in morph.parse(noun) if p.tag.POS == 'NOUN']
    return any(m.tag.case == n.case and m.tag.number == n.number
               and (n.number == 'plur' or m.tag.gender is None or m.tag.gender == n.gender
                    or 'ms-f' in n)           # «глава», «судья»: of either gender
               for m in morph.parse(modifier) if m.tag.POS in parts and m.score >= min_score for n in nouns)


def governs(morph: Morphology, modifier: str, noun: str) -> bool:
    """Whether a participle is the head of the noun after it, not its
    modifier: no reading of the two agrees («исполняющий обязанности»,
    «заведующим отделением»; not «ведущий специалист»)."""
    return any(p.tag.POS in MODIFIERS for p in morph.parse(modifier)) \
        and any(p.tag.POS == 'NOUN' for p in morph.parse(noun)) and not agrees(morph, modifier, noun)


def main_place(entities: list[Entity], scheme: str, region: bool = False) -> str | None:
    """The id of the place the text names most of those linked in `scheme`
    (a region: an ISO 3166-2 code, not a city of the same extent as Москва),
    when one leads (a tie is no answer)."""
    return leader([(len(e.mentions), e.id) for e in entities if e.type == 'LOC' and e.links and scheme in e.links
                   and (not region or '-' in e.links[scheme] and 'geonames' not in e.links)])


def leader(counts: list[tuple[int, str]]) -> str | None:
    """The id of the (count, id) of the highest count, when it is above 0
    and no other has it."""
    counts = sorted(counts, reverse=True)
    if not counts or not counts[0][0] or (len(counts) > 1 and counts[1][0] == counts[0][0]):
        return None
    return counts[0][1]


def main_country(entities: list[Entity]) -> str | None:
    """The id of the country the text names most (by ISO 3166-1 link), if any."""
    countries = [e for e in entities if e.type == 'LOC' and e.links and len(e.links.get('iso3166', '')) == 2]
    return max(countries, key=lambda e: len(e.mentions)).id if countries else None


def first_night(tokens: SentenceTokens, lemmas: Lemmas, i: int) -> bool:
    """Whether «премьера» at tokens[i] is a first night, not a prime minister's
    title: of a work («премьера оперы», «премьера документального фильма»),
    after a feminine adjective («Широкая премьера», «мировой премьеры»), or
    opening its sentence in the nominative («Премьера в театре …»; not
    «Премьера Великобритании Риши Сунака критикуют»)."""
    word = tokens[i].text.lower()
    if word not in PREMIERE_FORMS:
        return False
    k = i + 1
    while k < len(tokens) and tokens[k].pos == 'ADJ':
        k += 1
    if k < len(tokens) and lemmas[k] in PREMIERES:
        return True
    if i > 0 and tokens[i - 1].pos == 'ADJ' and tokens[i - 1].text.lower().endswith(('ая', 'ую', 'ой', 'ей')):
        return True
    return i == 0 and word == 'премьера' and not (i + 1 < len(tokens) and tokens[i + 1].text[:1].isupper())


def organizations_by_word(entities: list[Entity]) -> dict[str, list[str]]:
    """The ids of the organizations by each word of their names, in lower
    case («театр»: Большой театр, Театр на Таганке), for a title of a noun
    that one of them is named with («директор театра»)."""
    out: dict[str, list[str]] = {}
    for e in entities:
        if e.type == 'ORG':
            for word in {w.lower().replace('ё', 'е') for w in e.normal.split(' ')}:
                out.setdefault(word, []).append(e.id)
    return out


def main_company(entities: list[Entity]) -> str | None:
    """The id of the organization the text names most by name, when one
    leads (a tie is no answer)."""
    return leader([(sum(m.kind is None for m in e.mentions), e.id) for e in entities if e.type == 'ORG'])


def chained(phrases: list[RolePhrase], written: Callable[[int, int], str]) -> list[RolePhrase]:
    """Titles listed together are one person's: «спортсмен и актёр Олег
    Тактаров», «профессор, академик, президент института Пушкина Виталий
    Костомаров» (each before a title whose holder comes after it), «Виктор
    Виноградов, языковед и литературовед» (after one whose holder comes
    before it, joined by «и» alone)."""
    phrases = sorted(phrases, key=lambda p: p.start)
    for k in range(len(phrases) - 2, -1, -1):           # right to left: a list of titles before a name
        here, after = phrases[k], phrases[k + 1]
        if here.holder is None and after.holder is not None and after.holder > after.start \
                and joined(written(here.end, after.start), ','):
            phrases[k] = replace(here, holder=after.holder)
    for k in range(1, len(phrases)):                    # left to right: «, языковед и литературовед»
        before, here = phrases[k - 1], phrases[k]
        if here.holder is None and before.holder is not None and before.holder < before.start \
                and joined(written(before.end, here.start), ''):
            phrases[k] = replace(here, holder=before.holder)
    return phrases


def joined(between: str, marks: str) -> bool:
    """Two titles with only «и», or one of `marks` (and perhaps «и» after it), between them."""
    words = between.replace(',', ' , ').split()
    return words == ['и'] or any(words == [mark] or words == [mark, 'и'] for mark in marks)


class Lemmas:
    """The lower-case lemmas of a sentence's tokens, each analysed when read
    (`lemmas[i]`; no slices: the patterns read a word at a time)."""

    def __init__(self, tokens: SentenceTokens):
        self.tokens = tokens

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, i: int) -> str:
        return self.tokens[i].lemma.lower()


def named_near(person: Entity, phrase: RolePhrase) -> bool:
    """Whether a person is named within NEAR sentences of a phrase: a title
    alone farther away is less often their own role than the office in
    general («срок полномочий президента») or someone else's (NEREL train:
    5 of 107 such references are the holder's, against 0.16-0.34 one to three
    sentences away and 0.88 in the same sentence)."""
    a, b = phrase.near
    return any(a <= m.start < b for m in person.mentions)


def fits_role(title: str, inside: list[Entity], role: Role) -> bool:
    """A reference («министр», «глава иранского МИД») may be to this role:
    the same title, the first word of it, or the head of its organization
    («глава МИД» and «министр иностранных дел»)."""
    if title == role.title or title == role.title.split(' ')[0]:
        return True
    if title in HEADS:
        return any(e.id == role.org or role.title in head_titles(e) for e in inside)
    return False


def head_titles(entity: Entity) -> set[str]:
    """The titles of the head of an organization by its name: a ministry's
    minister («МИД», «Министерство иностранных дел» → «министр иностранных дел»)."""
    names = {key(entity.normal)}
    for group in ALIAS_GROUPS:
        if names & set(group):
            names.update(group)
    return {'министр' + name[len('министерство'):] for name in names if name.startswith('министерство ')}
