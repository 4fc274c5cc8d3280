"""What each stage of the pipeline is: the small protocols an `Extractor`'s
constructor arguments meet, and the stand-in for a stage left out.

A stage is any object with the method below (a function will do for the
callables): `Extractor(recognizer=my_recognizer)` replaces one, and
`Extractor(normalizer=None)`, `resolver=None`, `linker=None` or `roles=None` leaves one out. The default
of each is in brackets.

For an Extractor to reach spawned worker processes and Dask workers, its
stages must pickle; the default ones pickle as what they were loaded from
(a pack path, an embedding path), not as their arrays."""
from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from .document import Entity, EntityType, Mention
from .morph import Analysis, SentenceTokens
from .ner.rules import TokenSpan
from .normalize import NormalForm
from .resolve import Found
from .roles import RolePhrase
from .segment import Span


class Default(enum.Enum):
    """The marker of a stage's default where None means "left out"."""
    DEFAULT = 'default'


DEFAULT = Default.DEFAULT


class Segmenter(Protocol):
    """Text → each sentence with its tokens, offsets into the text
    [`segment.segment`: razdel, a line break ending a sentence too]."""

    def __call__(self, text: str, /) -> Iterable[tuple[Span, list[Span]]]: ...


class Morphology(Protocol):
    """Readings of words [`morph.Morph`: pymorphy3, cached]. `parse` gives
    pymorphy3's readings, which the default normalizer needs."""

    def parse(self, word: str) -> list: ...

    def analyse(self, word: str) -> Analysis: ...

    def analyse_sentence(self, words: Sequence[str]) -> list[Analysis]: ...

    def analyse_at(self, words: Sequence[str], i: int) -> Analysis: ...

    def recase(self, words: Sequence[str]) -> list[str]: ...

    def is_place(self, word: str) -> bool: ...

    def name_part(self, word: str) -> str | None: ...

    def oblique(self, word: str) -> bool: ...


class Recognizer(Protocol):
    """Sentences as lists of words → the token spans of the names in each
    [`ner.Recognizer`: the slovnet network, then its list of rules]."""

    def __call__(self, sentences: Sequence[Sequence[str]], /) -> list[list[TokenSpan]]: ...


class Normalizer(Protocol):
    """A mention's words → its normal form word by word
    [`normalize.Normalizer`; None: the mention as written]."""

    def __call__(self, words: Sequence[str], type: EntityType, /) -> NormalForm: ...


class Resolver(Protocol):
    """A document's mentions → its entities, ordered by first mention
    [`resolve.entities`; None: `one_entity_per_mention`]. It is handed the
    only reference to the list, and may empty it as it goes."""

    def __call__(self, found: list[Found], /) -> list[Entity]: ...


class Linker(Protocol):
    """A document's entities, each as its normal form and type → the links
    of each ({"iso3166": "RU-TA"}, {"geonames": "112931"}) or None, in order;
    a document at a time, so that a name may be read in its context
    [`geonames.link`: ISO 3166 codes of places (links.link) and GeoNames
    ids of cities; None: no links]."""

    def __call__(self, entities: Sequence[tuple[str, EntityType]], /) -> list[dict[str, str] | None]: ...


class RoleFinder(Protocol):
    """The positions of the people of a document [`roles.Roles`: the title
    lexicon learned from NEREL; None: no `roles`]: `find` the role phrases
    of a block's sentences (tokens with lemmas, each analysed when read) given its mentions and its
    text (`written(start, end)`), then `attach` a document's phrases to its
    entities (setting `Entity.roles`; it returns the phrases given to nobody)."""

    def find(self, sentences: Iterable[SentenceTokens], names: Sequence[Found],
             written: Callable[[int, int], str], /) -> list[RolePhrase]: ...

    def attach(self, phrases: list[RolePhrase], entities: list[Entity], /) -> list[RolePhrase]: ...


def one_entity_per_mention(found: list[Found]) -> list[Entity]:
    """The stand-in for no grouping: each mention an entity of its own."""
    found.sort(key=lambda m: (m.start, -m.end))
    return [Entity(id='E%d' % n, type=m.type, normal=m.normal,
                   mentions=[Mention(m.start, m.end, m.text, m.normal, m.sentence)])
            for n, m in enumerate(found, 1)]
