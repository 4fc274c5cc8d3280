"""Whose role is it: a learned choice of the person for a role phrase the
patterns of roles.py left without one («Ранее полицейские сообщали, что
певец умер», «61-летняя певица сообщила», «музыкант анонсировал»).

For such a phrase every person of the document is a candidate; a logistic
model scores each (phrase, person) pair on what the text shows of them
(`features`: where the person is named around the phrase, how much of the
document is about them, what roles they already hold, how often the title
is a role at all), and the phrase goes to the best person when the score
passes the model's threshold. A plural title («адвокаты») names several
people and is left to nobody. The weights (models/roles/attachment.json)
are learned from NEREL train by scripts/learn_attachment.py; no text
is read here, only offsets, so the choice costs nothing next to the
pipeline."""
from __future__ import annotations

import bisect
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .document import Entity

if TYPE_CHECKING:
    from .roles import RolePhrase

ATTACHMENT_FILE = 'roles/attachment.json'
# characters: a scale for distances (about a sentence)
SCALE = 200.0

FEATURES = (
    'bias',
    'in_sentence',              # the person is named in the phrase's sentence
    'in_sentence_before',       # ... before the phrase
    'in_sentence_after',        # ... after it
    'last_named_before',        # the person named last before the phrase
    'first_named_after',        # the person named first after it
    'distance',                 # log(1 + characters to the nearest mention / SCALE)
    'named_before',             # the person is named anywhere before the phrase
    'mentions',                 # log(1 + mentions of the person)
    'share',                    # the person's share of the document's person mentions
    'most_mentioned',           # the person named most often
    'first_person',             # the person named first in the document
    'people',                   # log(number of persons in the document)
    'same_head',                # the person holds a title with the same first word (the same title fits first)
    'holds_roles',              # the person already holds some role
    'title_share',              # how often the title's words are annotated as a role (NEREL train)
)


@dataclass(frozen=True)
class Attachment:
    """The learned weights of FEATURES and the threshold of a choice."""
    weights: tuple[float, ...]
    threshold: float

    @classmethod
    def read(cls, path: str | Path) -> Attachment:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
        if tuple(data['features']) != FEATURES:
            raise ValueError('%s: its features are not those of this version' % path)
        return cls(tuple(data['weights']), data['threshold'])

    def score(self, values: Sequence[float]) -> float:
        z = sum(w * v for w, v in zip(self.weights, values, strict=True))
        return 1 / (1 + math.exp(-z))

    def choose(self, phrases: Sequence[RolePhrase], entities: Sequence[Entity],
               title_share: dict[str, float]) -> list[tuple[RolePhrase, Entity]]:
        """The person of each phrase that has one, by the model."""
        people = Candidates(entities)
        out = []
        for phrase in phrases:
            if phrase.plural:
                continue            # several people («адвокаты Берлускони»), not one to choose
            scored = [(self.score(values), person) for person, values in people.features(phrase, title_share)]
            if scored:
                best, person = max(scored, key=lambda s: s[0])
                if best >= self.threshold:
                    out.append((phrase, person))
        return out


def load_attachment() -> Attachment:
    from .assets import models_dir
    return Attachment.read(models_dir() / ATTACHMENT_FILE)


class Candidates:
    """The persons of a document, with what the features read of them."""

    def __init__(self, entities: Sequence[Entity]):
        self.people = [e for e in entities if e.type == 'PER']
        named = sorted((m.start, m.end, n) for n, e in enumerate(self.people) for m in e.mentions)
        self.starts = [s for s, _, _ in named]
        self.named = named
        total = sum(len(e.mentions) for e in self.people)
        self.shares = [len(e.mentions) / total for e in self.people] if total else []
        self.most = max(range(len(self.people)), key=lambda n: len(self.people[n].mentions), default=-1)
        self.first = named[0][2] if named else -1

    def features(self, phrase: RolePhrase, title_share: dict[str, float]):
        """(person, feature values) for each person of the document."""
        at = bisect.bisect_left(self.starts, phrase.start)
        last_before = next((n for s, e, n in reversed(self.named[:at]) if e <= phrase.start), -1)
        first_after = next((n for s, _, n in self.named[at:] if s >= phrase.end), -1)
        a, b = phrase.sentence
        head = phrase.title.split(' ')[0]
        for n, person in enumerate(self.people):
            spans = [(m.start, m.end) for m in person.mentions if m.end <= phrase.start or m.start >= phrase.end]
            if not spans:
                continue                # named only inside the phrase: its own title («Император Акихито»)
            before = [s for s in spans if s[1] <= phrase.start]
            after = [s for s in spans if s[0] >= phrase.end]
            gap = min([phrase.start - s[1] for s in before] + [s[0] - phrase.end for s in after])
            roles = person.roles or ()
            yield person, (
                1.0,
                float(any(a <= s[0] < b for s in spans)),
                float(any(a <= s[0] for s in before)),
                float(any(s[0] < b for s in after)),
                float(n == last_before),
                float(n == first_after),
                math.log1p(gap / SCALE),
                float(bool(before)),
                math.log1p(len(person.mentions)),
                self.shares[n],
                float(n == self.most),
                float(n == self.first),
                math.log(len(self.people)),
                float(any(r.title.split(' ')[0] == head for r in roles)),
                float(bool(roles)),
                title_share.get(phrase.title, 0.0),
            )
