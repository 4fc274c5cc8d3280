"""The document types: one definition serves the code, the JSON (contract 1)
and the JSON Schema shipped in the package (`schema/document-v1.json`)."""
from __future__ import annotations

from typing import BinaryIO, Literal, get_args

import msgspec

SCHEMA_VERSION = 1
EntityType = Literal['PER', 'LOC', 'ORG']
TYPES: tuple[EntityType, ...] = get_args(EntityType)


# mention.kind: how a mention that is not a name refers to its entity
MentionKind = Literal['adjective', 'demonym', 'member', 'body']


class Mention(msgspec.Struct, frozen=True, gc=False, omit_defaults=True):   # holds no containers: the GC need not track it
    """One occurrence of an entity: `text == document_text[start:end]`."""
    start: int
    end: int
    text: str
    normal: str          # this mention's own nominative form
    sentence: int        # index into Document.sentences
    # absent for a name; else a word that refers to the entity without naming
    # it: a relational adjective («иранские» → Иран), a demonym («американцев»
    # → США), a party member («демократов» → Демократическая партия), a
    # place's adjective with a body of state («британского правительства» →
    # Правительство Великобритании)
    kind: MentionKind | None = None


class RoleMention(msgspec.Struct, frozen=True, gc=False):
    """A place in the text that gives a role: `text == document_text[start:end]`."""
    start: int
    end: int
    text: str


class Role(msgspec.Struct):
    """A position a person holds in the text (roles.py)."""
    title: str           # nominative dictionary form, lower case except proper names
    org: str | None      # id of the ORG or LOC entity it belongs to, where the text says
    mentions: list[RoleMention]


class Entity(msgspec.Struct, omit_defaults=True):
    """The mentions of one entity in one document."""
    id: str
    type: EntityType
    normal: str          # the fullest nominative name seen in the document
    mentions: list[Mention]
    # name parts of a person, where known
    first: str | None = None
    middle: str | None = None
    last: str | None = None
    # identifiers in public registries ({"iso3166": "IR"}), where sure (links.py)
    links: dict[str, str] | None = None
    # the positions a person holds in the text, where it says (roles.py)
    roles: list[Role] | None = None


class Sentence(msgspec.Struct, frozen=True):
    start: int
    end: int


class Token(msgspec.Struct, frozen=True):
    start: int
    end: int
    text: str
    lemma: str           # dictionary form, lower case except proper names
    pos: str             # Universal Dependencies part of speech


class InputStamp(msgspec.Struct, frozen=True):
    """The input file a batch output was made from."""
    size: int            # bytes
    sha256: str          # of its bytes, hex


class Provenance(msgspec.Struct, frozen=True, kw_only=True):
    """What a batch output was made from. A rerun redoes the output when
    any of it differs (a new version, another model, other options, another
    input), not when the input's mtime merely looks older."""
    extractor: str       # the project's version
    model: str           # the NER pack: its file name and the start of its SHA-256
    tokens: bool         # made with --tokens
    input: InputStamp


class Document(msgspec.Struct, kw_only=True, omit_defaults=True, dict=True):
    """The result for one text. `sentences` and `tokens` are always there in
    the library; the JSON carries them only when asked (`--tokens`)."""
    schema_version: Literal[1]
    id: str | None = None
    source: str | None = None
    encoding: str | None = None      # how the input bytes were decoded
    entities: list[Entity]
    sentences: list[Sentence] | None = None
    tokens: list[Token] | None = None
    provenance: Provenance | None = None   # written by `extractor batch`

    def to_dict(self, tokens: bool = False) -> dict:
        """The JSON document as Python data; sentences and tokens only with `tokens`."""
        data = msgspec.to_builtins(self)
        if not tokens:
            data.pop('sentences', None)
            data.pop('tokens', None)
        return data

    def to_json(self, tokens: bool = False, indent: int | None = None) -> str:
        """The JSON document as a str (compact unless `indent`)."""
        return self.to_bytes(tokens, indent).decode('utf-8')

    def to_bytes(self, tokens: bool = False, indent: int | None = None) -> bytes:
        """The JSON document as UTF-8 bytes, as `extractor extract` writes it."""
        doc = self if tokens else msgspec.structs.replace(self, sentences=None, tokens=None)
        data = _ENCODER.encode(doc)
        if indent:
            data = msgspec.json.format(data, indent=indent)
        return data

    def write(self, file: BinaryIO, tokens: bool = False) -> None:
        """Writes to_bytes() to a binary file an entity at a time, so the
        document of a long text is never in memory twice."""
        doc = msgspec.structs.replace(self, entities=[], **({} if tokens else {'sentences': None, 'tokens': None}))
        rest = _ENCODER.encode(doc)
        # No string value can hold this: its quotes would be escaped.
        at = rest.index(b'"entities":[]') + len(b'"entities":[')
        file.write(rest[:at])
        buffer = bytearray()
        for n, entity in enumerate(self.entities):
            if n:
                file.write(b',')
            _ENCODER.encode_into(entity, buffer)
            file.write(buffer)
        file.write(rest[at:])

    def to_html(self, text: str | None = None) -> str:
        """A self-contained HTML page: the text with its mentions highlighted,
        and the entities (see `extractor.render`). `text` is needed only for
        a document read back from JSON, which does not carry it."""
        from .render import document_html
        return document_html(self, text)

    def to_spacy(self, nlp_or_vocab):
        """A `spacy.tokens.Doc` of this document's tokens, entities and
        mentions (see `extractor.spacy_doc`)."""
        from .spacy_doc import to_spacy
        return to_spacy(self, nlp_or_vocab)

    @property
    def text(self) -> str | None:
        """The analysed text (kept in the library object, not in the JSON)."""
        return self.__dict__.get('_text')


_ENCODER = msgspec.json.Encoder()


def from_json(data: str | bytes) -> Document:
    """A Document read back from its JSON (without `.text`); raises
    msgspec.ValidationError when the JSON is not a document."""
    return msgspec.json.decode(data, type=Document)


def json_schema() -> dict:
    """The JSON Schema of contract 1, generated from the types above."""
    import inspect
    import json

    def clean(node):
        # The shipped schema must not depend on which msgspec is installed:
        # docstrings as inspect.cleandoc leaves them (0.23 strips their
        # indentation, older releases keep it), and the alternatives of an
        # anyOf in one order (0.18 puts null first for a struct or None).
        if isinstance(node, dict):
            return {key: inspect.cleandoc(value) if key == 'description' and isinstance(value, str)
                    else sorted(clean(value), key=json.dumps) if key == 'anyOf'
                    else clean(value) for key, value in node.items()}
        if isinstance(node, list):
            return [clean(value) for value in node]
        return node

    schema = clean(msgspec.json.schema(Document))
    schema['$schema'] = 'https://json-schema.org/draft/2020-12/schema'
    schema['title'] = 'extractor document, schema version %d' % SCHEMA_VERSION
    return schema
