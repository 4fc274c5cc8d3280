"""One block of a text on its way through the stages.

A text is analysed a block of at most 64k characters at a time
(`segment.blocks`). Like Natasha's `Doc`, a `Block` starts as the text and
its cleaned view (`clean.py`), and each stage fills in what it finds:

    block = Block.read(base, text)     # text as written, cleaned view
    block.segment(segmenter)           # .sentences, .tokens (in the view)
    block.recase(morph)                # .words: what the analysis reads
    block.recognize(recognizer)        # .names: token spans, per sentence
    mentions.found(block, first)       # → Found: offsets, text, normal form
    block.document_tokens(morph)       # → Token: offsets, text, lemma, POS
    roles.find(block.sentence_tokens(morph), found, block.written)   # → RolePhrase

Offsets are in the view until they leave the block, and they are mapped to
the whole text's in one place, `View.span` (the block's start included)."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from . import stages
from .clean import View, clean
from .document import EntityType, Sentence, Token
from .morph import SentenceTokens, shouting
from .ner.rules import TokenSpan
from .normalize import NormalForm
from .referents import Reference
from .resolve import Found
from .segment import Span

MAX_ITEM = 256         # tokens the NER network sees at once


@dataclass(slots=True, eq=False)
class Block:
    """A block of text and what the stages found in it, sentence by sentence."""
    text: str                                    # as written
    view: View                                   # cleaned; view.base: where the block starts
    sentences: list[Span] = field(default_factory=list)        # in the view
    tokens: list[list[Span]] = field(default_factory=list)     # per sentence, in the view
    words: list[list[str]] = field(default_factory=list)       # per sentence: the tokens as analysed
    names: list[list[TokenSpan]] = field(default_factory=list)  # per sentence: the names found

    @classmethod
    def read(cls, base: int, text: str) -> Block:
        """The block of the text that starts at `base`, and its cleaned view."""
        return cls(text, clean(text, base))

    def segment(self, segmenter: stages.Segmenter) -> None:
        for sentence, tokens in segmenter(self.view.text):
            self.sentences.append(sentence)
            self.tokens.append(tokens)

    def recase(self, morph: stages.Morphology) -> None:
        """The words as the analysis reads them: an all-capitals sentence in
        the case its words usually have, the rest as they are."""
        self.words = []
        for sentence, tokens in zip(self.sentences, self.tokens):
            words = [token.text for token in tokens]
            self.words.append(morph.recase(words) if shouting(sentence.text) else words)

    def recognize(self, recognizer: stages.Recognizer, size: int = MAX_ITEM) -> None:
        # The network sees bounded items: a sentence of thousands of tokens
        # (a line without punctuation) goes in pieces of `size`.
        items = [(k, i) for k, words in enumerate(self.words) for i in range(0, len(words), size)]
        spans = recognizer([self.words[k][i:i + size] for k, i in items])
        self.names = [[] for _ in self.words]
        for (k, i), item_spans in zip(items, spans):
            self.names[k] += item_spans if not i else [s._replace(start=i + s.start, end=i + s.end)
                                                       for s in item_spans]

    def written(self, start: int, end: int) -> str:
        """The whole text's [start, end) as written (inside this block)."""
        return self.text[start - self.view.base:end - self.view.base]

    def document_sentences(self) -> Iterator[Sentence]:
        for sentence in self.sentences:
            yield Sentence(*self.view.span(sentence.start, sentence.end))

    def document_tokens(self, morph: stages.Morphology) -> Iterator[Token]:
        """The tokens with their lemmas and parts of speech."""
        for tokens in self.sentence_tokens(morph):
            yield from tokens

    def sentence_tokens(self, morph: stages.Morphology) -> Iterator[SentenceTokens]:
        """The tokens with their lemmas and parts of speech, a sentence at a
        time, each analysed when first read (in its sentence: a few lemmas
        depend on the next word)."""
        view, text, base = self.view, self.text, self.view.base
        for tokens in self.tokens:
            offsets = [view.span(token.start, token.end) for token in tokens]
            yield SentenceTokens(morph, [token.text for token in tokens], offsets,
                                 [text[start - base:end - base] for start, end in offsets])    # as written()


def glosses(words: list[str], names: list[TokenSpan], name: TokenSpan) -> bool:
    """Whether a name is one word in capitals alone in parentheses right
    after another name of its type: its abbreviation («… активами (OFAC)»)."""
    start, end = name.start, name.end
    if end - start != 1 or start < 2 or end >= len(words) or words[start - 1] != '(' or words[end] != ')':
        return False
    word = words[start]
    return 2 <= len(word) <= 8 and word.isupper() and \
        any(n.end == start - 1 and n.type == name.type and n.reference is None for n in names)


class Mentions:
    """The names of a document's blocks as mentions (`Found`) with their
    normal forms.

    A long text has many mentions and few distinct ones, so the strings and
    word lists of a mention are shared with its earlier occurrences (and its
    normal form is computed once): a mention costs about 200 bytes
    (scripts/benchmark.py --scale measures a 50 MB file)."""

    def __init__(self, normalizer: stages.Normalizer | None):
        self.normalizer = normalizer       # None: the normal form is the mention as written
        self.known: dict[tuple, tuple[str, str, NormalForm]] = {}    # (type, how read, text, words) → shared

    def found(self, block: Block, first: int) -> Iterator[Found]:
        """The mentions of a block whose first sentence is the text's `first`."""
        view = block.view
        for k, (tokens, words, names) in enumerate(zip(block.tokens, block.words, block.names)):
            for name in names:
                a, b = tokens[name.start].start, tokens[name.end - 1].end     # in the view
                if name.part is not None:
                    a, b = a + name.part[0], a + name.part[1]
                start, end = view.span(a, b)
                written = block.written(start, end)
                ref = name.reference
                key = (name.type, ref, name.read_as, written, view.text[a:b], *words[name.start:name.end])
                shared = self.known.get(key)
                if shared is None:
                    if ref and ref.kind == 'body':
                        shared = self.known[key] = (written, *self.body(
                            view.text, tokens[name.start:name.end], words[name.start:name.end], written, ref))
                    elif ref:
                        shared = self.known[key] = (written, *self.referring(ref))
                    elif name.read_as is not None:
                        shared = self.known[key] = (written, *self.read_as(name.read_as, name.type))
                    else:
                        spans = tokens[name.start:name.end]
                        # punctuation as written («О’Нил» keeps its ’, which the view makes ')
                        marks = [None if any(c.isalnum() for c in view.text[t.start:t.end])
                                 else block.written(*view.span(t.start, t.end)) for t in spans]
                        shared = self.known[key] = (written, *self.normal(
                            view.text, spans, words[name.start:name.end], name.type, written, marks))
                yield Found(start, name.type, shared[0], shared[1], first + k, shared[2],
                            ref.kind if ref else None, ref is None and glosses(words, names, name))

    @staticmethod
    def referring(ref: Reference) -> tuple[str, NormalForm]:
        """A word that refers to an entity: its own dictionary form, and (as
        its `words`) the name of what it refers to."""
        return ref.word, NormalForm.as_written(ref.name.split(' '))

    def read_as(self, words: tuple[str, ...], type: EntityType) -> tuple[str, NormalForm]:
        """A name read by other words than its tokens (a conjunct of
        coordinated regions, «Новосибирской» as «Новосибирской области»):
        their normal form, a space between words."""
        form = NormalForm.as_written(words) if self.normalizer is None else self.normalizer(words, type)
        return ' '.join(form.words), form

    def body(self, analysed: str, tokens: Sequence[Span], words: list[str], written: str,
             ref: Reference) -> tuple[str, NormalForm]:
        """A place's adjective and a body of state («британского
        правительства»): its own normal form («британское правительство»),
        and (as its `words`) the body's name, the noun and the place in the
        genitive («Правительство Великобритании», «Власти США»)."""
        normal, form = self.normal(analysed, tokens, words, 'ORG', written)
        noun = form.words[-1]
        genitive = getattr(self.normalizer, 'genitive', None)     # a normalizer of one's own may have none
        place = genitive(ref.name) if genitive is not None else ref.name
        return normal, NormalForm.as_written([noun[:1].upper() + noun[1:], *place.split(' ')])

    def normal(self, analysed: str, tokens: Sequence[Span], words: list[str], type: EntityType,
               written: str, marks: Sequence[str | None] = ()) -> tuple[str, NormalForm]:
        """The mention's normal form, and word by word, from the analysed words;
        `marks`: each punctuation token as written (None for a word)."""
        if self.normalizer is None:
            return written, NormalForm.as_written(words)
        form = self.normalizer(words, type)
        # Rebuild the normal form with the text's own separators between words.
        pieces, pos = [], tokens[0].start
        for n, (token, word) in enumerate(zip(tokens, form)):
            pieces.append(analysed[pos:token.start])
            mark = marks[n] if n < len(marks) else None
            if mark is not None and word == analysed[token.start:token.end]:
                form.words[n] = word = mark
            pieces.append(word)
            pos = token.end
        return ''.join(pieces), form
