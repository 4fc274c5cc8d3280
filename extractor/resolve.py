"""Mentions of one document grouped into entities.

Same type and same normal form: one entity («Ирана», «Иран»). A person's
short mention joins a fuller one it fits: a surname («Аракчи» → «Аббас
Аракчи»), initials («В. Путин» → «Владимир Путин»). When two people share a
surname, a bare surname goes to the nearest one mentioned before it. An
abbreviation joins its expansion when both occur («МИД» → «Министерство
иностранных дел»). Common names of one place or body join through a
short table of aliases («РФ», «Россия»; «ЕС», «Евросоюз»), which no rule
could derive."""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

import msgspec

from . import links
from .document import Entity, EntityType, Mention, MentionKind
from .normalize import PARTICLES, NormalForm, Role

# short words an abbreviation skips: «Организация по безопасности и сотрудничеству» → ОБСЕ
FUNCTION_WORDS = frozenset({'и', 'по', 'в', 'на', 'за', 'для', 'с', 'со', 'при', 'о', 'об', 'из', 'к'})

# Names of one place or body in Russian news; the first of each group is
# the key they share (lower case, ё as е).
ALIAS_GROUPS = [
    ('россия', 'рф', 'российская федерация'),
    ('сша', 'соединенные штаты', 'соединенные штаты америки'),
    ('великобритания', 'британия', 'соединенное королевство'),
    ('германия', 'фрг', 'федеративная республика германия'),
    ('китай', 'кнр', 'китайская народная республика'),
    ('кндр', 'северная корея'),
    ('оаэ', 'объединенные арабские эмираты'),
    ('ссср', 'советский союз'),
    ('белоруссия', 'беларусь', 'республика беларусь'),
    ('молдавия', 'молдова'),
    ('киргизия', 'кыргызстан'),
    ('евросоюз', 'ес', 'европейский союз'),
    ('еврокомиссия', 'европейская комиссия', 'ек'),
    ('евросовет', 'европейский совет'),
    ('европарламент', 'европейский парламент'),
    ('оон', 'организация объединенных наций'),
    ('нато', 'организация североатлантического договора', 'североатлантический альянс'),
    ('мид', 'министерство иностранных дел'),
    ('мвд', 'министерство внутренних дел'),
    ('минобороны', 'министерство обороны'),
    ('банк россии', 'цб рф', 'цб россии', 'центральный банк россии', 'центральный банк российской федерации'),
    ('минфин', 'министерство финансов'),
    ('минюст', 'министерство юстиции'),
    ('минздрав', 'министерство здравоохранения'),
    ('минэкономразвития', 'министерство экономического развития'),
    ('минпромторг', 'министерство промышленности и торговли'),
    ('минтранс', 'министерство транспорта'),
    ('минсельхоз', 'министерство сельского хозяйства'),
    ('минэнерго', 'министерство энергетики'),
    ('минкультуры', 'министерство культуры'),
    ('минпросвещения', 'министерство просвещения'),
    ('минобрнауки', 'министерство науки и высшего образования'),
    ('минтруд', 'министерство труда и социальной защиты'),
    ('минприроды', 'министерство природных ресурсов и экологии'),
    ('минспорт', 'министерство спорта'),
    ('минстрой', 'министерство строительства и жилищно-коммунального хозяйства'),
    ('минцифры', 'министерство цифрового развития, связи и массовых коммуникаций'),
]
ALIASES = {name: group[0] for group in ALIAS_GROUPS for name in group}
# Short names that news write for one body of the country unless the text
# says whose: they join it when the text names it and no other's fits first
# («Центральный банк Турции … ЦБ»: Turkey's, by expansion())
BARE = {'цб': 'банк россии', 'центробанк': 'банк россии'}


class Found(msgspec.Struct, gc=False):
    """A mention as the resolver sees it. A long text has hundreds of
    thousands, so it is kept small: the strings are shared between mentions
    written alike, and the end is not stored (the text says where it is).
    Untracked by the GC (it refers to no object that could refer back), it
    takes 72 bytes, as a document's Mention does, so the Mentions made from
    the Founds reuse their memory as the Founds are let go (entities())."""
    start: int
    type: EntityType
    text: str
    normal: str
    sentence: int
    # the normal form, word by word, with the roles of a person's words; for a
    # word that refers to an entity without naming it, the name it refers to
    words: NormalForm
    kind: MentionKind | None = None      # None: a name (mention.kind)
    gloss: bool = False                  # a word in parentheses right after a name («… (OFAC)»)

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Cluster:
    type: EntityType
    order: int = 0                          # clusters are numbered as they are made
    members: list[Found] = field(default_factory=list)
    # Per key of a normal form: how many members have it, and the fullest
    # of them, so the cluster's fullest name costs a look at its few
    # spellings, not at all its members.
    counts: dict[str, int] = field(default_factory=dict, repr=False)
    best: dict[str, Found] = field(default_factory=dict, repr=False)
    # `full` as last computed: every name looked up is compared with it, so
    # it is kept until a member is added.
    _full: Found | None = field(default=None, repr=False)

    def add(self, m: Found) -> None:
        self.members.append(m)
        if m.kind is not None:
            return                         # a word that refers to it is never its name
        self._full = None
        k = key(m.normal)
        self.counts[k] = self.counts.get(k, 0) + 1
        if k not in self.best or _rank(m) > _rank(self.best[k]):
            self.best[k] = m

    def recount(self) -> None:
        """After members were respelt (canonical())."""
        members, self.members, self.counts, self.best = self.members, [], {}, {}
        for m in members:
            self.add(m)

    @property
    def full(self) -> Found:
        """The fullest name: most words, then written in the nominative (the
        surest spelling), then most frequent, then first."""
        if self._full is None:
            if self.best:
                self._full = max(self.best.values(), key=lambda m: _rank(m, self.counts[key(m.normal)]))
            else:                          # only referred to («американских»): by the name referred to
                m = self.members[0]
                name = ' '.join(m.words)
                self._full = Found(m.start, m.type, name, name, m.sentence, m.words)
        return self._full


def _rank(m: Found, count: int = 0) -> tuple:
    return name_length(m.words), m.text == m.normal, count, -m.start


def key(normal: str) -> str:
    # «О’Лири» and «О'Лири» are one name (normal forms keep the apostrophe as written)
    return normal.lower().replace('ё', 'е').replace('’', "'")


@functools.lru_cache(maxsize=65536)      # asked for every mention; a text repeats its names
def alias_key(normal: str, type: EntityType) -> str:
    """What the names of one place or body share: a place's ISO 3166 code
    (links.py: «США», «Америка», «Соединенные Штаты» → US), else the head
    of its group of ALIASES, else its key; a body's name that ends with a
    country's, with that country's code («МИД Британии», «МИД
    Великобритании»: «мид iso:GB»)."""
    k = key(normal)
    head = ALIASES.get(k, k)
    if type == 'LOC' and (code := links.code(head) or links.code(normal)):
        return 'iso:' + code
    return country_tail(head) if type == 'ORG' else head


# the genitive endings of a country's name → its nominative («Британии» →
# «Британия», «Украины» → «Украина», «Ирана» → «Иран», «Беларуси» →
# «Беларусь», «Королевства» → «Королевство»; «США», «Перу» as they are)
GENITIVE_ENDINGS = (('ии', 'ия'), ('еи', 'ея'), ('ы', 'а'), ('и', 'ь'), ('и', 'я'), ('а', ''), ('а', 'о'), ('ов', 'ы'), ('', ''))
# and of the adjective of a two-word one («Соединенного Королевства», «Соединенных Штатов»)
ADJECTIVE_GENITIVE_ENDINGS = (('ого', 'ое'), ('ого', 'ый'), ('ого', 'ий'), ('ой', 'ая'), ('ых', 'ые'), ('их', 'ие'))


def nominatives(word: str, endings: tuple[tuple[str, str], ...]) -> list[str]:
    return [word[:len(word) - len(ending)] + nominative for ending, nominative in endings if word.endswith(ending)]


@functools.lru_cache(maxsize=65536)      # asked for every organization's mention, as alias_key is
def country_tail(name_key: str) -> str:
    """A body's name key with its end, the genitive of a country's name,
    as the country's code («мид британии», «мид соединенного королевства»
    → «мид iso:GB»)."""
    words = name_key.split(' ')
    tails = []
    if len(words) > 2:
        tails += [(2, a + ' ' + n) for a in nominatives(words[-2], ADJECTIVE_GENITIVE_ENDINGS)
                  for n in nominatives(words[-1], GENITIVE_ENDINGS)]
    if len(words) > 1:
        tails += [(1, n) for n in nominatives(words[-1], GENITIVE_ENDINGS)]
    for cut, tail in tails:
        code = links.code(tail)
        if code and '-' not in code:
            return ' '.join(words[:-cut] + ['iso:' + code])
    return name_key


def has_letter(word: str) -> bool:
    return word.isalpha() or any(c.isalpha() for c in word)     # most words are letters only


def alpha_words(words: Sequence[str]) -> list[str]:
    """The words of a name, without punctuation («Аракчи», «А.», not «(»)."""
    if "'" not in words and '’' not in words:         # nothing to glue (asked for every comparison of names)
        return [w for w in words if has_letter(w)]
    return [w for w, _ in glued(words) if has_letter(w)]


def glued(words: Sequence[str], roles: Sequence[Role | None] = ()) -> list[tuple[str, Role | None]]:
    """The words (with their roles) of a name, a particle, an apostrophe and
    a name glued into the one surname they are («О'Нил»: three tokens)."""
    out: list[tuple[str, Role | None]] = []
    for n, w in enumerate(words):
        r = roles[n] if n < len(roles) else None
        if len(out) >= 2 and out[-1][0] in ("'", '’') and len(out[-2][0]) == 1 and has_letter(w):
            w = out[-2][0] + out[-1][0] + w
            del out[-2:]
        out.append((w, r))
    return out


def name_length(words: Sequence[str]) -> tuple[int, int]:
    """Full words first, initials after: «Владимир Путин» is fuller than «В. Путин»."""
    alpha = alpha_words(words)
    return sum(1 for w in alpha if not is_initial(w)), len(alpha)


def same_word(a: str, b: str) -> bool:
    """`a` and `b` may be one name read in two ways («Асий» / «Асия»,
    «Захаров» / «Захарова», «Гренелла» / «Гренелл»)."""
    a, b = key(a), key(b)
    if a == b:
        return True
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= 3 and n >= max(len(a), len(b)) - 2 and abs(len(a) - len(b)) <= 2


def is_initial(word: str) -> bool:
    letters = word.rstrip('.')
    return len(letters) == 1 and letters.isupper()


def person_fits(short: Sequence[str], full: Sequence[str]) -> bool:
    """`short` names the same person as `full` («Аракчи», «А. Аракчи», «Аббас Аракчи»)."""
    short, full = alpha_words(short), alpha_words(full)
    # a particle both write before the surname is the surname's («Ван Дамм»
    # of «Жан-Клод Ван Дамм», «фон дер Ляйен» of «Урсула фон дер Ляйен»)
    while len(short) > 1 and len(full) > 1 and key(short[-2]) in PARTICLES \
            and key(short[-2]) == key(full[-2]):
        short, full = short[:-2] + short[-1:], full[:-2] + full[-1:]
    if len(short) == 3 and len(full) == 2 and is_initial(short[1]):
        short = [short[0], short[2]]     # a patronymic's initial the full name does not write («В. В. Путин»)
    if not short or len(short) > len(full):
        return False
    if len(short) == len(full):
        return all(same_word(a, b) or ((is_initial(a) or is_initial(b)) and a[0] == b[0])
                   for a, b in zip(short, full))
    if len(short) == 1 and key(short[0]) == key(full[0]):
        return True                      # the first name alone
    if not same_word(short[-1], full[-1]):
        return False                     # surnames differ
    for a, b in zip(short[:-1], full[:-1]):
        if is_initial(a) and a[0].upper() != b[0].upper():
            return False
        if not is_initial(a) and not same_word(a, b):
            return False
    return True


def canonical(cluster: Cluster) -> None:
    """Each word of a person's mention spelled as in the fullest name,
    where the two are one name read in two ways: the document's own
    nominative settles what a lone oblique form could not («Асии Биби» and
    «Асия Биби» → «Асия Биби»; «Гренелла» after «Ричард Гренелл» →
    «Гренелл»)."""
    full = cluster.full
    fw = alpha_words(full.words)
    for m in cluster.members:
        if m is full or ' '.join(m.words) != m.normal:
            continue
        slots = [i for i, w in enumerate(m.words) if has_letter(w) and not is_initial(w)]
        if not slots:
            continue
        pairs = [(slots[-1], fw[-1])]
        if len(slots) > 1:
            pairs.append((slots[0], fw[0]))
        words = list(m.words)
        for i, target in pairs:
            if key(words[i]) != key(target) and same_word(words[i], target):
                words[i] = target
        if words != list(m.words):
            # a new list: the old one is shared with other mentions written alike
            m.normal, m.words = ' '.join(words), NormalForm(words, m.words.roles)


def acronym(words: Sequence[str]) -> str:
    return ''.join(w[0] for w in words if w and key(w) not in FUNCTION_WORDS).upper()


def acronyms(words: Sequence[str]) -> set[str]:
    """The abbreviations a name may have: its words' initials, and those of
    each part of its hyphenated words but lower-case particles
    («Ханты-Мансийский автономный округ»: ХАО, ХМАО; «Техрик-э-Лабаик
    Пакистан»: ТП, ТЛП)."""
    return {acronym(words), acronym([part for w in words for part in hyphen_parts(w)])}


def hyphen_parts(word: str) -> list[str]:
    """The parts of a hyphenated word but lower-case particles («э» of
    «Техрик-э-Лабаик»); a word without a hyphen, whole."""
    if '-' not in word:
        return [word]
    return [part for part in word.split('-') if part and not (part.islower() and len(part) <= 2)]


# Latin capitals with one Cyrillic reading, for an abbreviation written in
# Latin letters of a name written in Russian («TLP» of «Техрик-э-Лабаик Пакистан»)
LATIN_INITIALS = str.maketrans('ABDEFGIKLMNOPRSTUVZ', 'АБДЕФГИКЛМНОПРСТУВЗ')


def as_cyrillic(abbreviation: str) -> str:
    """The abbreviation in Cyrillic capitals, where each Latin letter has
    one reading; else as it is."""
    read = abbreviation.translate(LATIN_INITIALS)
    return read if all('А' <= c <= 'Я' for c in read) else abbreviation


def group(found: list[Found]) -> list[Cluster]:
    clusters: list[Cluster] = []
    by_key: dict[tuple[str, str], Cluster] = {}
    by_end: dict[tuple[str, int], Cluster] = {}     # (type, where a name ends) → its cluster
    index = Index()
    # Fuller names first, so that a short mention can join them wherever they
    # are; words that only refer to an entity last, once its names are in.
    for m in sorted(found, key=lambda m: (m.kind is not None, *(-n for n in name_length(m.words)), m.start, -m.end)):
        if m.kind is not None:
            k = (m.type, alias_key(' '.join(m.words), m.type))
            target = by_key.get(k)
            if target is None:
                target = by_key[k] = Cluster(m.type, len(clusters))
                clusters.append(target)
            target.add(m)
            continue
        k = (m.type, alias_key(m.normal, m.type))
        target = by_key.get(k)
        if target is None:
            if m.type == 'PER':
                target = nearest_person(m, index.find(person_lookup(m.words)))
            elif k[1] not in ALIASES and not k[1].startswith('iso:'):
                # a known alias is never the acronym of something else («ЕС» ≠ «Европейский совет»)
                target = expansion(m, index.find(expansion_lookup(m))) or shortened(m, index.find(shortened_lookup(m))) \
                    or glossed(m, by_end) or bare(m, k[1], by_key)
            else:
                target = shortened(m, index.find(shortened_lookup(m)))
            if target is None:
                target = Cluster(m.type, len(clusters))
                clusters.append(target)
            by_key[k] = target
        target.add(m)
        index.file(target, m.words)
        if m.kind is None:
            by_end[m.type, m.end] = target
    clusters = join_state_forms(clusters, by_key)
    for c in clusters:
        c.members.sort(key=lambda m: m.start)
        if c.type == 'PER':
            canonical(c)
            c.recount()
    return sorted(clusters, key=lambda c: c.members[0].start)


def join_state_forms(clusters: list[Cluster], by_key: dict[tuple[str, str], Cluster]) -> list[Cluster]:
    """A place called by the start of a country's official name («Исламская
    Республика») joins the one country of the text whose name starts so
    (Иран, where Оман and США are the others); with none or several, it
    stays as it is."""
    forms = links.state_forms()
    called = [(c, forms[k]) for c in clusters
              if c.type == 'LOC' and c.best and (k := links.key(c.full.normal)) in forms]
    if not called:
        return clusters                    # most texts: no place called so
    named = {k[1][4:]: c for k, c in by_key.items() if k[0] == 'LOC' and k[1].startswith('iso:')}
    joined = set()
    for c, countries in called:
        codes = countries & named.keys()
        if len(codes) == 1 and (target := named[next(iter(codes))]) is not c:
            target.members += c.members     # not counted as its names: the country keeps its own
            joined.add(c.order)
    return [c for c in clusters if c.order not in joined] if joined else clusters


class Index:
    """Clusters by the words of their names, so that a new name is compared
    with the few clusters it could join, not with all of them (a long text
    has thousands). A cluster is filed under every way its members are
    written, its fullest name among them; what `find` returns is a superset
    of the clusters that fit, which the caller checks, in the order they
    were made."""

    def __init__(self):
        self.buckets: dict[tuple, dict[int, Cluster]] = {}
        self.filed: set[tuple] = set()            # (cluster, words) filed so far

    def file(self, cluster: Cluster, words: Sequence[str]) -> None:
        seen = (cluster.order, *words)
        if seen in self.filed:
            return
        self.filed.add(seen)
        keys = person_keys(words) if cluster.type == 'PER' else name_keys(cluster.type, words)
        for k in keys:
            self.buckets.setdefault(k, {})[cluster.order] = cluster

    def find(self, keys: list[tuple]) -> list[Cluster]:
        found: dict[int, Cluster] = {}
        for k in keys:
            found.update(self.buckets.get(k, {}))
        return [found[n] for n in sorted(found)]


def person_keys(words: Sequence[str]) -> list[tuple]:
    """Where a person's fullest name is filed: person_fits() needs the last
    words to be one name (same_word()) or an initial and a name with its
    letter, or a lone first name equal to the first word. A surname is
    filed under its stem, all but its last two letters: a bucket per first
    three letters held every «Абр…ов» of a roster, each compared with all."""
    alpha = alpha_words(words)
    if not alpha:
        return []
    last = key(alpha[-1])
    return [('last-letter', last[0]), ('first', key(alpha[0])),
            ('last-initial', last[0]) if is_initial(alpha[-1]) else ('last', last[:-2])]


def stems_of_same_words(word: str) -> set[str]:
    """The stems (person_keys()) of the words same_word() may match `word`
    with: they have all but the last two letters of the longer of the two in
    common and differ in length by two at most, so the other word's stem
    is `word` itself, or `word` cut by one to four letters (by two: the
    same length)."""
    return {word[:-2]} | {word[:i] for i in range(max(len(word) - 4, 1), len(word) + 1)}


def person_lookup(words: Sequence[str]) -> list[tuple]:
    alpha = alpha_words(words)
    if not alpha:
        return []
    last = key(alpha[-1])
    if is_initial(alpha[-1]):
        keys = [('last-letter', last[0])]
    else:
        keys = [('last', stem) for stem in stems_of_same_words(last)] + [('last-initial', last[0])]
    if len(alpha) == 1:
        keys.append(('first', last))
    return keys


def name_keys(type: str, words: Sequence[str]) -> list[tuple]:
    """Where a place's or organization's fullest name is filed: by its
    first word (for shortened()) and the start of its acronym (for expansion())."""
    keys = [('acronym', type, a[:2]) for a in sorted(acronyms(words))]
    if words:
        keys.append(('head', type, key(words[0])))
    return keys


def expansion_lookup(m: Found) -> list[tuple]:
    words = [w for w in m.words if w.strip()]
    return [('acronym', m.type, as_cyrillic(words[0])[:2])] if words else []


def shortened_lookup(m: Found) -> list[tuple]:
    words = [key(w) for w in m.words if w.strip()]
    return [('head', m.type, words[0])] if words else []


def nearest_person(m: Found, clusters: list[Cluster]) -> Cluster | None:
    fits = [c for c in clusters if c.type == 'PER' and person_fits(m.words, c.full.words)]
    if not fits:
        return None
    if len(fits) == 1:
        return fits[0]
    return nearest_before(m, fits)


def nearest_before(m: Found, fits: list[Cluster]) -> Cluster:
    """The cluster mentioned last before `m`, else the first mentioned."""
    before = [c for c in fits if any(x.start < m.start for x in c.members)]
    if before:
        return max(before, key=lambda c: max(x.start for x in c.members if x.start < m.start))
    return min(fits, key=lambda c: c.members[0].start)


def expansion(m: Found, clusters: list[Cluster]) -> Cluster | None:
    """An abbreviation joins its expansion: «МИД» → «Министерство
    иностранных дел», «МВД Италии» → «министерство внутренних дел Италии»."""
    words = [w for w in m.words if w.strip()]
    if not words or not (len(words[0]) > 1 and words[0].isupper()):
        return None
    tail = [key(w) for w in words[1:]]
    head = as_cyrillic(words[0])
    for c in clusters:
        full = c.full.words
        if c.type != m.type or len(full) <= len(words):
            continue
        cut = len(full) - len(tail)
        if [key(w) for w in full[cut:]] == tail and head in acronyms(full[:cut]):
            return c
    if tail:
        return None
    # without its place or its patron: «ЦИК» of «Центральная избирательная
    # комиссия Республики Казахстан», «МГУ» of «Московский государственный
    # университет имени М. В. Ломоносова», the nearest such name before it
    fits = [c for c in clusters if c.type == m.type and any(
        head in acronyms(c.full.words[:k]) and name_tail(c.full.words[k:]) for k in range(2, len(c.full.words)))]
    return nearest_before(m, fits) if fits else None


def name_tail(words: Sequence[str]) -> bool:
    """Words after an organization's name that say whose or whom it is
    named after: capitalized words (a place in the genitive), or «имени»
    and a name."""
    words = [w for w in words if w.strip()]
    return bool(words) and (key(words[0]) in ('имени', 'им.', 'им') or all(w[:1].isupper() for w in words))


def glossed(m: Found, by_end: dict[tuple[str, int], Cluster]) -> Cluster | None:
    """An abbreviation in parentheses right after a name of its type is that
    name's, whatever its letters («Управление по контролю за иностранными
    активами (OFAC)»)."""
    if not m.gloss:
        return None
    for gap in (2, 1):                  # « (» or «(»
        target = by_end.get((m.type, m.start - gap))
        if target is not None and len(target.full.words) > 1:
            return target
    return None


def bare(m: Found, name_key: str, by_key: dict[tuple[str, str], Cluster]) -> Cluster | None:
    """«ЦБ» alone joins «Банк России» when the text names it (BARE)."""
    body = BARE.get(name_key)
    return by_key.get((m.type, alias_key(body, m.type))) if body else None


def shortened(m: Found, clusters: list[Cluster]) -> Cluster | None:
    """A name without its genitive tail joins the full one: «Нафтогаз» →
    «Нафтогаз Украины», «Верховный суд» → «Верховный суд Пакистана»; with
    several such names, the nearest one mentioned before it."""
    words = [key(w) for w in m.words if w.strip()]
    fits = [c for c in clusters if c.type == m.type and len(c.full.words) > len(words)
            and [key(w) for w in c.full.words[:len(words)]] == words]
    if not words or not fits:
        return None
    return nearest_before(m, fits)


def name_parts(words: NormalForm) -> dict[str, str]:
    """first / middle / last of a person's fullest name: by the roles the
    normalizer read from pymorphy's Name / Patr / Surn grammemes and the
    name lists, else by position."""
    pairs = [(w, r) for w, r in glued(words.words, words.roles) if has_letter(w) and not is_initial(w)]
    parts: dict[str, str] = {}
    for w, r in pairs:
        if r and r not in parts:
            parts[r] = w
    if parts:
        rest = [w for w, r in pairs if r is None]
        if rest and 'last' not in parts and len(pairs) > 1 and pairs[-1][1] is None:
            parts['last'] = pairs[-1][0]
        if rest and 'first' not in parts and pairs[0][1] is None and len(pairs) > 1:
            parts['first'] = pairs[0][0]
        return parts
    names = [w for w, _ in pairs]
    if len(names) == 1:
        return {'last': names[0]}
    if len(names) == 2:
        return {'first': names[0], 'last': names[1]}
    if len(names) == 3:
        return {'first': names[0], 'middle': names[1], 'last': names[2]}
    return {}


def entities(found: list[Found]) -> list[Entity]:
    """The entities of a document's mentions. Each cluster's members are let
    go of as they become Mentions, so a long text never holds both whole."""
    clusters = group(found)
    del found
    held = cast('list[Cluster | None]', clusters)      # the same list, emptied as it is read
    out = []
    for n, cluster in enumerate(clusters, 1):
        full = cluster.full
        parts = name_parts(full.words) if cluster.type == 'PER' else {}
        out.append(Entity(
            id='E%d' % n, type=cluster.type, normal=full.normal,
            mentions=[Mention(m.start, m.end, m.text, m.normal, m.sentence, m.kind) for m in cluster.members],
            first=parts.get('first'), middle=parts.get('middle'), last=parts.get('last')))
        held[n - 1] = None
    return out
