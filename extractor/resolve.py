"""Mentions of one document grouped into entities.

Same type and same normal form: one entity («Ирана», «Иран»). A person's
short mention joins a fuller one it fits: a surname («Аракчи» → «Аббас
Аракчи»), initials («В. Путин» → «Владимир Путин»). When two people share a
surname, a bare surname goes to the nearest one mentioned before it. An
abbreviation joins its expansion when both occur («МИД» → «Министерство
иностранных дел»)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .document import Entity, Mention

# short words an abbreviation skips: «Организация по безопасности и сотрудничеству» → ОБСЕ
FUNCTION_WORDS = frozenset({'и', 'по', 'в', 'на', 'за', 'для', 'с', 'со', 'при', 'о', 'об', 'из', 'к'})


@dataclass
class Found:
    """A mention as the resolver sees it."""
    start: int
    end: int
    type: str
    text: str
    normal: str
    sentence: int
    words: list[str] = field(default_factory=list)      # the normal form, word by word


@dataclass
class Cluster:
    type: str
    members: list[Found] = field(default_factory=list)

    @property
    def full(self) -> Found:
        """The fullest name: most words, then most frequent, then first."""
        counts: dict[str, int] = {}
        for m in self.members:
            counts[key(m.normal)] = counts.get(key(m.normal), 0) + 1
        return max(self.members, key=lambda m: (len(m.words), counts[key(m.normal)], -m.start))


def key(normal: str) -> str:
    return normal.lower().replace('ё', 'е')


def is_initial(word: str) -> bool:
    letters = word.rstrip('.')
    return len(letters) == 1 and letters.isupper()


def person_fits(short: list[str], full: list[str]) -> bool:
    """`short` names the same person as `full` («Аракчи», «А. Аракчи», «Аббас Аракчи»)."""
    s, f = [key(w) for w in short], [key(w) for w in full]
    if s == f:
        return True
    if not s or len(s) >= len(f):
        return False
    if len(s) == 1 and s[0] == f[0]:
        return True                      # the first name alone
    if s[-1] != f[-1]:
        return False                     # surnames differ
    for a, b in zip(short[:-1], full[:-1]):
        if is_initial(a) and a[0].upper() != b[0].upper():
            return False
        if not is_initial(a) and key(a) != key(b):
            return False
    return True


def acronym(words: list[str]) -> str:
    return ''.join(w[0] for w in words if w and key(w) not in FUNCTION_WORDS).upper()


def group(found: list[Found]) -> list[Cluster]:
    found = sorted(found, key=lambda m: (m.start, -m.end))
    clusters: list[Cluster] = []
    by_key: dict[tuple[str, str], Cluster] = {}
    # Fuller names first, so that a short mention can join them wherever they are.
    for m in sorted(found, key=lambda m: (-len(m.words), m.start)):
        k = (m.type, key(m.normal))
        if k in by_key:
            by_key[k].members.append(m)
            continue
        target = None
        if m.type == 'PER':
            target = nearest_person(m, clusters)
        elif m.words and len(m.words) == 1 and m.text.isupper():
            target = expansion(m, clusters)
        if target is None:
            target = Cluster(m.type)
            clusters.append(target)
        target.members.append(m)
        by_key[k] = target
    for c in clusters:
        c.members.sort(key=lambda m: m.start)
    return sorted(clusters, key=lambda c: c.members[0].start)


def nearest_person(m: Found, clusters: list[Cluster]) -> Cluster | None:
    fits = [c for c in clusters if c.type == 'PER' and person_fits(m.words, c.full.words)]
    if not fits:
        return None
    if len(fits) == 1:
        return fits[0]
    before = [c for c in fits if any(x.start < m.start for x in c.members)]
    if before:
        return max(before, key=lambda c: max(x.start for x in c.members if x.start < m.start))
    return min(fits, key=lambda c: c.members[0].start)


def expansion(m: Found, clusters: list[Cluster]) -> Cluster | None:
    for c in clusters:
        if c.type == m.type and len(c.full.words) > 1 and acronym(c.full.words) == m.text:
            return c
    return None


def name_parts(words: list[str]) -> dict[str, str]:
    """first / middle / last of a person's fullest name, by position."""
    words = [w for w in words if not is_initial(w)]
    if len(words) == 1:
        return {'last': words[0]}
    if len(words) == 2:
        return {'first': words[0], 'last': words[1]}
    if len(words) == 3:
        return {'first': words[0], 'middle': words[1], 'last': words[2]}
    return {}


def entities(found: list[Found]) -> list[Entity]:
    out = []
    for n, cluster in enumerate(group(found), 1):
        full = cluster.full
        parts = name_parts(full.words) if cluster.type == 'PER' else {}
        out.append(Entity(
            id='E%d' % n, type=cluster.type, normal=full.normal,
            mentions=[Mention(m.start, m.end, m.text, m.normal, m.sentence) for m in cluster.members],
            **parts))
    return out
