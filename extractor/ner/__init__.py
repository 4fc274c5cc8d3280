"""Named-entity recognition: which token runs are PER, LOC or ORG.

`Recognizer` runs a tagger (the slovnet network, `slovnet.py`) over the
sentences of a document, turns its BIO tags into token spans, and applies
its rules (`rules.py`) one after the other."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from ..document import TYPES, EntityType
from .rules import Rule, TokenSpan

__all__ = ['Recognizer', 'Rule', 'TokenSpan', 'bio_spans']
TYPE_NAMES: dict[str, EntityType] = {type: type for type in TYPES}


def bio_spans(tags: Sequence[str]) -> list[TokenSpan]:
    spans: list[TokenSpan] = []
    start, current = 0, None                 # current: the type of the span open at `start`
    for i, tag in enumerate(list(tags) + ['O']):
        part, _, type = tag.partition('-')
        if current is not None and (part != 'I' or type != current):
            spans.append(TokenSpan(start, i, current))
            current = None
        if part in ('B', 'I') and current is None and type in TYPES:
            start, current = i, TYPE_NAMES[type]     # one string per type, not one per span
    return spans


Tagger = Callable[[Sequence[Sequence[str]]], list[list[str]]]    # words → BIO tags, per item


class Recognizer:
    """The tagger's spans, then each rule over them (`rules.default_rules`);
    pickled as its tagger and rules."""

    def __init__(self, tagger: Tagger, rules: Sequence[Rule]):
        self.tagger = tagger
        self.rules = list(rules)

    def __call__(self, sentences: Sequence[Sequence[str]]) -> list[list[TokenSpan]]:
        """Token spans of each sentence (a list of words) of one document;
        spans may nest (a LOC inside an ORG)."""
        spans = [bio_spans(tags) for tags in self.tagger(sentences)]
        for rule in self.rules:
            spans = rule(sentences, spans)
        return spans
