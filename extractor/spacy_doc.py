"""Documents as spaCy Docs, and the pipeline as a spaCy component.

`to_spacy(document, nlp_or_vocab)` builds a `spacy.tokens.Doc` from the
razdel tokens with their lemmas and parts of speech; `"extractor"` is a
spaCy factory (`nlp.add_pipe("extractor")`) that runs the Extractor on a
Doc that spaCy's own tokenizer made. Both fill the same fields:

- `doc.ents`: the outermost mentions (spaCy's entities may not overlap);
- `doc.spans["extractor"]`: every mention, nested ones included;
- `span._.normal`: the mention's own nominative form;
- `span._.entity_id`: the id of the entity the mention belongs to
  (`E3`), shared by all mentions of one entity;
- `span._.links`: the entity's links (`{"iso3166": "IR"}`), None when none;
- `span._.kind`: None for a name, else the mention's kind ("adjective",
  "demonym", "member", "body": a word that refers to the entity without naming it);
- `span._.roles`: on a person's spans, the person's roles as in the JSON
  (`[{"title", "org", "mentions"}]`), None when none;
- `doc.spans["roles"]`: every phrase that gives a role, labelled with its
  title, `span._.entity_id` the person who holds it;
- `token.lemma_`, `token.pos_`: pymorphy3's lemma and UD part of speech.

The component analyses `doc.text` with razdel's tokens, as the Extractor
always does (its network and rules were made for them), and lays the
results onto the Doc's own tokens: a mention that ends inside a spaCy token
grows to whole tokens, and a spaCy token that is not a razdel token gets the
lemma of the word read alone. Its config names the stages:

    nlp.add_pipe("extractor", config={
        "ner_model": None,        # a slovnet NER pack's path; None: the default
        "normalize": True,        # False: span._.normal is the mention as written
        "resolve": True,          # False: each mention an entity of its own
        "set_morphology": True,   # False: token.lemma_ / pos_ left alone
    })

Importing this module registers the factory; installed packages also
register it through the `spacy_factories` entry point, so
`spacy.load` of a saved pipeline finds it without the import."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

if TYPE_CHECKING:
    from .document import Document, Mention, RoleMention
    from .pipeline import Extractor

SPANS_KEY = 'extractor'
ROLES_KEY = 'roles'
EXTENSIONS = ('normal', 'entity_id', 'links', 'roles', 'kind')


def register_extensions() -> None:
    """Span._.normal, Span._.entity_id, Span._.links, Span._.roles and Span._.kind; safe to call any number of times,
    and leaves alone an extension someone registered before us."""
    for name in EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


register_extensions()


def to_spacy(document: Document, nlp_or_vocab: Language | Vocab) -> Doc:
    """A Doc with the document's own tokens whose `doc.text == document.text`.

    Whitespace between tokens other than one space (line breaks, several
    spaces) becomes whitespace tokens, as spaCy's tokenizer makes them."""
    text = document.text
    if text is None:
        raise ValueError('the document has no text: only a Document made by the Extractor '
                         'in this process (not one read back from JSON) can be converted')
    if document.tokens is None:
        raise ValueError('the document has no tokens: extract it with tokens=True')
    vocab = nlp_or_vocab.vocab if isinstance(nlp_or_vocab, Language) else nlp_or_vocab
    words: list[str] = []
    spaces: list[bool] = []
    lemmas: list[str] = []
    pos: list[str] = []
    starts = {s.start for s in document.sentences or ()}
    sent_starts: list[bool | int | None] = []       # the type spaCy's Doc takes

    def between(piece: str) -> None:
        """Text between tokens: one space trails the previous token, the
        rest becomes a whitespace token of its own."""
        if piece[:1] == ' ' and words:
            spaces[-1] = True
            piece = piece[1:]
        if piece:
            gap(piece)

    def gap(piece: str) -> None:
        words.append(piece)
        spaces.append(False)
        lemmas.append(piece)
        pos.append('SPACE' if piece.isspace() else 'X')
        sent_starts.append(False)

    position = 0
    for token in document.tokens:
        between(text[position:token.start])
        words.append(token.text)
        spaces.append(False)
        lemmas.append(token.lemma)
        pos.append(token.pos)
        # Whitespace before the first token joins the first sentence.
        sent_starts.append(token.start in starts and position > 0)
        position = token.end
    between(text[position:])
    if sent_starts:
        sent_starts[0] = True
    doc = Doc(vocab, words=words, spaces=spaces, lemmas=lemmas, pos=pos,
              sent_starts=sent_starts if document.sentences else None)
    assert doc.text == text, 'token offsets do not cover the text'
    set_mentions(doc, document)
    return doc


def set_mentions(doc: Doc, document: Document) -> None:
    """doc.ents (outermost mentions), doc.spans["extractor"] (all) and doc.spans["roles"]."""
    import msgspec

    spans: list[Span] = []
    role_spans: list[Span] = []
    taken: set[tuple[int, int]] = set()
    for entity in document.entities:
        roles = msgspec.to_builtins(entity.roles) if entity.roles else None
        for mention in entity.mentions:
            span = _span(doc, mention, entity.type)
            if span is None or (span.start_char, span.end_char) in taken:
                # spaCy keeps a span's extension values by its offsets alone: of two
                # mentions that grow to one span («российско-американские»), the first
                continue
            taken.add((span.start_char, span.end_char))
            span._.normal = mention.normal
            span._.kind = mention.kind
            span._.entity_id = entity.id
            span._.links = entity.links
            span._.roles = roles
            spans.append(span)
        for role in entity.roles or ():
            for phrase in role.mentions:
                span = _span(doc, phrase, role.title)
                if span is not None:
                    span._.entity_id = entity.id
                    role_spans.append(span)
    spans.sort(key=lambda s: (s.start, -s.end))
    role_spans.sort(key=lambda s: (s.start, -s.end))
    doc.spans[SPANS_KEY] = spans
    doc.spans[ROLES_KEY] = role_spans
    doc.ents = list(outermost(spans))


def _span(doc: Doc, mention: Mention | RoleMention, label: str) -> Span | None:
    # Razdel tokens align with names; spaCy's own tokens may cut a mention
    # inside a token (rarely), and then the span grows to whole tokens, as does
    # a part of a compound («российско» of «российско-американских»: the span
    # is the whole word, of the first part's entity).
    return (doc.char_span(mention.start, mention.end, label=label)
            or doc.char_span(mention.start, mention.end, label=label, alignment_mode='expand'))


def outermost(spans: Iterable[Span]) -> Iterable[Span]:
    """Spans sorted by (start, -end) that lie inside no earlier one and cross
    none: what doc.ents can hold."""
    end = 0
    for span in spans:
        if span.start >= end:
            yield span
            end = span.end


# --- the spaCy component ---

class ExtractorComponent:
    """Runs the extractor on a Doc and fills the fields listed above. Tokens
    come from whoever tokenized the Doc; where a spaCy token is also a razdel
    token it takes that token's lemma and part of speech, otherwise the word
    is analysed alone.

    The Extractor loads on first use, so a pipeline with the component is
    cheap to build; with the default config it is the process-wide one
    (`pipeline.default_extractor`), which worker processes of nlp.pipe load,
    or forked inherit, once each."""

    def __init__(self, nlp: Language, name: str = 'extractor', set_morphology: bool = True,
                 ner_model: str | None = None, normalize: bool = True, resolve: bool = True):
        self.name = name
        self.set_morphology = set_morphology
        # the Extractor's arguments that differ from its defaults
        self.arguments: dict[str, Any] = {}
        if ner_model:
            self.arguments['ner_model'] = ner_model
        if not normalize:
            self.arguments['normalizer'] = None
        if not resolve:
            self.arguments['resolver'] = None
        self._extractor: Extractor | None = None

    def __repr__(self) -> str:
        options = ''.join(', %s=%r' % kv for kv in self.arguments.items())
        return 'ExtractorComponent(name=%r, set_morphology=%r%s)' % (self.name, self.set_morphology, options)

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            # here, not at the top: the pipeline loads only when a Doc comes
            from .pipeline import Extractor, default_extractor
            self._extractor = Extractor(**self.arguments) if self.arguments else default_extractor()
        return self._extractor

    def __call__(self, doc: Doc) -> Doc:
        extractor = self.extractor
        document = extractor(doc.text, tokens=self.set_morphology)
        if self.set_morphology:
            analysed = {(t.start, t.end): t for t in document.tokens or ()}
            for token in doc:
                if token.is_space:
                    token.lemma_, token.pos_ = token.text, 'SPACE'
                    continue
                found = analysed.get((token.idx, token.idx + len(token)))
                if found is not None:
                    token.lemma_, token.pos_ = found.lemma, found.pos
                else:
                    analysis = extractor.morph.analyse(token.text)
                    token.lemma_, token.pos_ = analysis.lemma, analysis.pos
        set_mentions(doc, document)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory(
    'extractor',
    default_config={'set_morphology': True, 'ner_model': None, 'normalize': True, 'resolve': True},
    assigns=['doc.ents', 'doc.spans', 'token.lemma', 'token.pos', 'span._.normal', 'span._.entity_id', 'span._.links',
             'span._.kind', 'span._.roles'],
)
def make_component(nlp: Language, name: str, set_morphology: bool, ner_model: str | None,
                   normalize: bool, resolve: bool) -> ExtractorComponent:
    return ExtractorComponent(nlp, name, set_morphology, ner_model, normalize, resolve)


def docbin(documents: Iterable[Document], vocab: Vocab | None = None) -> bytes:
    """Documents as the bytes of a spaCy DocBin that keeps the extension
    values (`DocBin().from_bytes(data).get_docs(nlp.vocab)`)."""
    from spacy.tokens import DocBin
    vocab = vocab or Vocab()
    bin = DocBin(store_user_data=True)
    for document in documents:
        bin.add(to_spacy(document, vocab))
    return bin.to_bytes()
