"""Named-entity recognition: which token runs are PER, LOC or ORG.

`Recognizer` runs the slovnet network over the sentences of a document and
turns its BIO tags into token spans."""
from __future__ import annotations

from typing import NamedTuple, Sequence

from .slovnet import SlovnetTagger

TYPES = ('PER', 'LOC', 'ORG')


class TokenSpan(NamedTuple):
    """Tokens [start, end) of one sentence."""
    start: int
    end: int
    type: str


def bio_spans(tags: Sequence[str]) -> list[TokenSpan]:
    spans, start, current = [], None, None
    for i, tag in enumerate(list(tags) + ['O']):
        part, _, type = tag.partition('-')
        if current is not None and (part != 'I' or type != current):
            spans.append(TokenSpan(start, i, current))
            current = None
        if part in ('B', 'I') and current is None and type in TYPES:
            start, current = i, type
    return spans


class Recognizer:
    def __init__(self, tagger: SlovnetTagger):
        self.tagger = tagger

    def __call__(self, sentences: Sequence[Sequence[str]]) -> list[list[TokenSpan]]:
        """Token spans of each sentence (a list of words)."""
        return [bio_spans(tags) for tags in self.tagger(sentences)]
