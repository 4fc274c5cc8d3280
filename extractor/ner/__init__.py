"""Named-entity recognition: which token runs are PER, LOC or ORG.

`Recognizer` runs the slovnet network over the sentences of a document,
turns its BIO tags into token spans, and applies the rules of `rules.py`."""
from __future__ import annotations

from typing import Callable, Sequence

from ..document import TYPES
from . import rules
from .rules import TokenSpan
from .slovnet import SlovnetTagger

__all__ = ['Recognizer', 'TokenSpan', 'bio_spans']
TYPE_NAMES = {type: type for type in TYPES}


def bio_spans(tags: Sequence[str]) -> list[TokenSpan]:
    spans, start, current = [], None, None
    for i, tag in enumerate(list(tags) + ['O']):
        part, _, type = tag.partition('-')
        if current is not None and (part != 'I' or type != current):
            spans.append(TokenSpan(start, i, current))
            current = None
        if part in ('B', 'I') and current is None and type in TYPES:
            start, current = i, TYPE_NAMES[type]     # one string per type, not one per span
    return spans


class Recognizer:
    def __init__(self, tagger: SlovnetTagger, is_place: Callable[[str], bool],
                 name_part: Callable[[str], str | None]):
        self.tagger = tagger
        self.is_place = is_place
        self.name_part = name_part

    def __call__(self, sentences: Sequence[Sequence[str]]) -> list[list[TokenSpan]]:
        """Token spans of each sentence (a list of words) of one document;
        spans may nest (a LOC inside an ORG)."""
        spans = [bio_spans(tags) for tags in self.tagger(sentences)]
        spans = rules.balance_quotes(sentences, spans)
        spans = rules.join_persons(sentences, spans, self.name_part)
        spans = rules.propagate(sentences, spans)
        return rules.nested_places(sentences, spans, self.is_place)
