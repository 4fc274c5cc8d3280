"""The Extractor: owns the stages and runs them in order, a block of text
at a time (block.py holds what the stages fill in):

text → cleaned view (clean) → sentences and tokens (segment) → recased
words (morph) → names, and words that refer without naming (ner) →
mentions with normal forms (normalize)
→ entities (resolve) → their links (geonames, links) → the people's roles (roles)
→ Document.

Its stages are constructor arguments (stages.py says what each must do);
the defaults are loaded once, in the constructor."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from . import assets, stages
from .attachment import load_attachment
from .block import Block, Mentions
from .document import Document, Sentence, Token
from .geonames import link
from .morph import Morph
from .ner import Recognizer
from .ner.descriptive import descriptive_mentions
from .ner.rules import default_rules
from .ner.slovnet import SlovnetTagger, load_navec
from .normalize import Normalizer
from .resolve import Found, entities
from .roles import RolePhrase, Roles, load_titles
from .segment import blocks, segment, stream_blocks
from .stages import DEFAULT, Default

Item = TypeVar('Item')
Result = TypeVar('Result')
TextItem = str | tuple[str | None, str]


class Extractor:
    """People, places and organizations of Russian texts, as Documents.

        ex = Extractor()                      # loads the models, once
        doc = ex('В Маскате прошли переговоры.')
        doc.entities[0].normal                # 'Маскат'

    Call it on a text, `stream` a text too long to hold, `pipe` many texts
    (in worker processes if asked), or `map` a function of your own over
    items in workers that share the loaded models.

    Every stage is a constructor argument that can be replaced, and the
    last two left out (None):

    - `ner_model`, `embedding`: the default recognizer with another slovnet
      NER pack, or other navec embeddings (the pack's own);
    - `segmenter`, `morph`, `recognizer`: another stage (stages.py);
    - `normalizer=None`: each mention's normal form is its text as written
      (the grouping may still spell a person's words as in the fullest name);
    - `resolver=None`: no grouping, each mention is an entity of its own;
    - `linker=None`: no `links` (the default links places to ISO 3166 and
      cities to GeoNames);
    - `roles=None`: no `roles` (the default finds the people's positions).

    An Extractor pickles as its constructor arguments and is rebuilt from
    them where it is unpickled (a spawned worker, a Dask worker), loading
    its models there."""

    def __init__(self, ner_model: str | None = None, *, embedding: str | None = None,
                 segmenter: stages.Segmenter | None = None,
                 morph: stages.Morphology | None = None,
                 recognizer: stages.Recognizer | None = None,
                 normalizer: stages.Normalizer | Default | None = DEFAULT,
                 resolver: stages.Resolver | Default | None = DEFAULT,
                 linker: stages.Linker | Default | None = DEFAULT,
                 roles: stages.RoleFinder | Default | None = DEFAULT):
        if recognizer is not None and (ner_model or embedding):
            raise ValueError('ner_model and embedding configure the default recognizer, '
                             'not one given as recognizer=')
        # What it is rebuilt from when unpickled: the arguments given, without the defaults.
        self.arguments: dict[str, Any] = {name: value for name, value in {
            'ner_model': ner_model, 'embedding': embedding, 'segmenter': segmenter, 'morph': morph,
            'recognizer': recognizer}.items() if value is not None}
        for name, value in (('normalizer', normalizer), ('resolver', resolver), ('linker', linker),
                            ('roles', roles)):
            if value is not DEFAULT:            # None here: the stage left out
                self.arguments[name] = value
        # the NER pack, recorded in batch outputs (None: a recognizer of the caller's)
        self.ner_model: str | None = None
        self.segmenter: stages.Segmenter = segmenter or segment
        self.morph: stages.Morphology = morph or Morph()
        if recognizer is None:
            self.ner_model = ner_model or assets.default_ner()
            rules = default_rules(self.morph.is_place, self.morph.name_part, self.morph.oblique)
            # last: words that refer to an entity, once the names are settled
            rules.append(descriptive_mentions)
            recognizer = Recognizer(SlovnetTagger(self.ner_model, load_navec(embedding or assets.NEWS_EMBEDDING)), rules)
        self.recognizer: stages.Recognizer = recognizer
        self.normalizer: stages.Normalizer | None = \
            Normalizer(self.morph) if normalizer is DEFAULT else normalizer
        self.resolver: stages.Resolver = entities if resolver is DEFAULT else \
            resolver or stages.one_entity_per_mention
        self.linker: stages.Linker | None = link if linker is DEFAULT else linker
        self.roles: stages.RoleFinder | None = Roles(load_titles(), self.morph, attachment=load_attachment()) if roles is DEFAULT else roles

    def __reduce__(self):
        """Pickled as its constructor arguments, rebuilt where unpickled."""
        return _rebuild, (type(self), self.arguments)

    def __repr__(self) -> str:
        return '%s(%s)' % (type(self).__name__, ', '.join('%s=%r' % kv for kv in self.arguments.items()))

    def __call__(self, text: str, id: str | None = None, source: str | None = None,
                 encoding: str | None = None, tokens: bool = True) -> Document:
        """The Document of one text: its entities, and with `tokens` (the
        default) also its sentences and lemmatized tokens (tokens=False
        skips their work when they will not be output). `id`, `source` and
        `encoding` are copied into the document as given; `doc.text` is the
        text. Raises TypeError for anything but a str (bytes: decode them
        first, or use extractor.textfile.decode)."""
        if not isinstance(text, str):
            raise TypeError(_not_text(text))
        doc = self._document(((base, text[base:stop]) for base, stop in blocks(text)),
                            id, source, encoding, tokens)
        doc.__dict__['_text'] = text
        return doc

    def stream(self, pieces: Iterable[str], id: str | None = None, source: str | None = None,
               encoding: str | None = None, tokens: bool = False) -> Document:
        """The document of the text ''.join(pieces), read a piece at a time
        and never held whole (a file of many megabytes: textfile.stream);
        the same as self(''.join(pieces)) but for its `.text`, which it does
        not have. Sentences and tokens only with `tokens=True`."""
        return self._document(stream_blocks(pieces), id, source, encoding, tokens)

    def _document(self, blocks: Iterable[tuple[int, str]], id: str | None, source: str | None,
                  encoding: str | None, tokens: bool) -> Document:
        sentences: list[Sentence] | None = [] if tokens else None
        words: list[Token] | None = [] if tokens else None
        phrases: list[RolePhrase] | None = [] if self.roles is not None else None
        # The resolver is given the only reference to the mentions, so that
        # it can let go of them as it turns them into the document's.
        found = self.resolver(self._mentions(blocks, sentences, words, phrases))
        if self.linker is not None:
            linked = self.linker([(entity.normal, entity.type) for entity in found])
            for entity, found_links in zip(found, linked, strict=True):
                entity.links = found_links or None
        if self.roles is not None and phrases:
            self.roles.attach(phrases, found)
        return Document(schema_version=1, id=id, source=source, encoding=encoding,
                        entities=found, sentences=sentences, tokens=words)

    def _mentions(self, blocks: Iterable[tuple[int, str]], sentences: list[Sentence] | None,
                  words: list[Token] | None, phrases: list[RolePhrase] | None) -> list[Found]:
        """The mentions of a text given as blocks (where each starts, its
        text), and its sentences, tokens and role phrases into the lists
        given (None: not wanted)."""
        found: list[Found] = []
        mentions = Mentions(self.normalizer)
        count = 0                                   # sentences before this block
        for base, text in blocks:
            block = Block.read(base, text)          # and its cleaned view
            block.segment(self.segmenter)
            block.recase(self.morph)
            block.recognize(self.recognizer)
            found_here = list(mentions.found(block, count))
            found += found_here
            if sentences is not None and words is not None:
                sentences += block.document_sentences()
            if words is not None or phrases is not None:
                # The roles read the lemmas the tokens carry: analysed once for both,
                # and for the roles alone only near a title (a token is analysed when read).
                tokens = list(block.sentence_tokens(self.morph))
                if words is not None:
                    for sentence_tokens in tokens:
                        words += sentence_tokens
                if phrases is not None and self.roles is not None:
                    phrases += self.roles.find(tokens, found_here, block.written)
            count += len(block.sentences)
        return found

    def pipe(self, texts: Iterable[TextItem], workers: int = 1, on_error: str | Callable = 'raise') -> Iterator[Document]:
        """Documents for `texts` (str, or (id, str)), streamed in input order,
        in `workers` processes forked from this one, which share its loaded
        models (see extractor.runner). `texts` may be a list or any iterable,
        read only as far ahead as the workers need.

        A text that fails raises ItemFailed naming it (its index, and its
        id where given) once the documents before it are out
        (`on_error='raise'`); with 'skip' it is left out and logged as a
        warning on the 'extractor' logger; a function is called with the
        ItemFailed and the run goes on. Workers stop when the caller stops
        iterating."""
        from .runner import ItemFailed, LocalRunner

        if on_error not in ('raise', 'skip') and not callable(on_error):
            raise ValueError("on_error is 'raise', 'skip' or a function, not %r" % (on_error,))
        ids: dict[int, str | None] = {}

        def remember(texts: Iterable[TextItem]) -> Iterator[TextItem]:
            for index, item in enumerate(texts):
                if is_pair(item):
                    ids[index] = item[0]
                yield item                  # anything else fails as its own item (_extract_item)

        for index, result in enumerate(LocalRunner(self).map(_extract_item, remember(texts), workers,
                                                              failures='yield')):
            if not isinstance(result, ItemFailed):
                ids.pop(index, None)
                yield result
                continue
            id = ids.pop(index, None)
            error = type(result)(index, result.reason, 'text %d%s' % (index, '' if id is None else ' (id %r)' % id))
            if on_error == 'raise':
                raise error
            if on_error == 'skip':
                import logging
                logging.getLogger('extractor').warning('skipped %s', error)
            elif callable(on_error):
                on_error(error)

    def map(self, fn: Callable[[Extractor, Item], Result], items: Iterable[Item],
            workers: int = 1, ordered: bool = True, failures: str = 'raise') -> Iterator[Result]:
        """fn(self, item) for each item, in `workers` processes that share
        this Extractor's loaded models, results streamed in input order
        (`ordered=False`: as they are done). fn is best a module-level
        function, so that it reaches workers that are spawned rather than
        forked. A failed item raises its ItemFailed (`failures='raise'`;
        WorkerDied when its worker died), or is given as that exception in
        place of its result (`failures='yield'`). Workers stop when the
        caller stops iterating. See runner.LocalRunner.map."""
        from .runner import LocalRunner
        return LocalRunner(self).map(fn, items, workers, ordered=ordered, failures=failures)


def _not_text(value) -> str:
    if isinstance(value, (bytes, bytearray)):
        return ('the text is bytes: decode it first, e.g. text.decode("utf-8"), or '
                'extractor.textfile.decode(data) to detect the encoding')
    return 'the text must be a str, not %s' % type(value).__name__


def is_pair(item: object) -> bool:
    """Whether a pipe() item is an (id, text) pair (its text is checked later)."""
    return isinstance(item, (tuple, list)) and len(item) == 2


def _extract_item(extractor: Extractor, item: TextItem) -> Document:
    if isinstance(item, str):
        return extractor(item)
    if not is_pair(item):
        raise TypeError('an item is a text or an (id, text) pair, not %s' % type(item).__name__)
    id, text = item
    return extractor(text, id=id)


def _rebuild(cls: type[Extractor], arguments: dict[str, Any]) -> Extractor:
    return cls(**arguments)


_DEFAULT: Extractor | None = None


def default_extractor() -> Extractor:
    """The process-wide Extractor(), loaded on first use: for `extract`, the
    spaCy component and Dask workers alike (a worker process loads, or
    forked inherits, the models once)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT


def extract(text: str, id: str | None = None) -> Document:
    """One text with the process-wide default Extractor (loaded on first use)."""
    return default_extractor()(text, id=id)
