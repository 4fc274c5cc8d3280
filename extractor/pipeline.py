"""The Extractor: owns the loaded stages and runs them in order.

text → sentences and tokens (segment) → lemmas (morph) → mentions (ner)
→ normal forms (normalize) → entities (resolve) → Document."""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, TypeVar

from . import assets
from .clean import clean, recase, shouting
from .document import Document, Sentence, Token
from .morph import Morph
from .ner import Recognizer
from .ner.slovnet import SlovnetTagger, load_navec
from .normalize import Normalizer
from .resolve import Found, entities
from .segment import blocks, segment, stream_blocks

Item = TypeVar('Item')
Result = TypeVar('Result')
TextItem = str | tuple[str | None, str]
MAX_ITEM = 256         # tokens the NER network sees at once


class Extractor:
    """Loads the models once; call it on a text, or `pipe` many texts."""

    def __init__(self, ner_model: str | None = None):
        self.ner_model = ner_model or assets.default_ner()
        self.morph = Morph()
        self.normalizer = Normalizer(self.morph)
        tagger = SlovnetTagger(self.ner_model, load_navec(assets.NEWS_EMBEDDING))
        self.recognizer = Recognizer(tagger, self.morph.is_place, self.morph.name_part)

    def __repr__(self) -> str:
        return 'Extractor(ner_model=%r)' % self.ner_model

    def __call__(self, text: str, id: str | None = None, source: str | None = None,
                 encoding: str | None = None, tokens: bool = True) -> Document:
        """Entities of one text; with `tokens`, also its sentences and
        lemmatized tokens (skipped when the caller will not output them).

        The text is analysed a block at a time through its cleaned view
        (clean.py); offsets are mapped back into `text` in one place, here."""
        if not isinstance(text, str):
            raise TypeError(_not_text(text))
        doc = self.document(((base, text[base:stop]) for base, stop in blocks(text)),
                            id, source, encoding, tokens)
        doc.__dict__['_text'] = text
        return doc

    def stream(self, pieces: Iterable[str], id: str | None = None, source: str | None = None,
               encoding: str | None = None, tokens: bool = False) -> Document:
        """The document of the text ''.join(pieces), read a piece at a time
        and never held whole (a file of many megabytes: textfile.stream);
        it has no `.text`."""
        return self.document(stream_blocks(pieces), id, source, encoding, tokens)

    def document(self, blocks: Iterable[tuple[int, str]], id: str | None, source: str | None,
                 encoding: str | None, tokens: bool) -> Document:
        sentences: list[Sentence] = []
        words: list[Token] = []
        # entities() is given the only reference to the mentions, so that it
        # can let go of them as it turns them into the document's.
        return Document(schema_version=1, id=id, source=source, encoding=encoding,
                        entities=entities(self.mentions(blocks, sentences if tokens else None,
                                                        words if tokens else None)),
                        sentences=sentences if tokens else None, tokens=words if tokens else None)

    def mentions(self, blocks: Iterable[tuple[int, str]], sentences: list[Sentence] | None,
                 words: list[Token] | None) -> list[Found]:
        """The mentions of a text given as blocks (where each starts, its
        text), and its sentences and tokens into the lists given (None: not
        wanted).

        A long text has many mentions and few distinct ones, so the strings
        and word lists of a mention are shared with its earlier occurrences
        (and its normal form is computed once): a mention costs about 200
        bytes (scripts/benchmark.py --scale measures a 50 MB file)."""
        found: list[Found] = []
        known: dict[tuple, tuple[str, str, list[str]]] = {}    # (type, text, words) → shared strings
        count = 0                                   # sentences before this block
        for base, block in blocks:
            view = clean(block)
            segments = list(segment(view.text))
            names = [recase([t.text for t in toks], self.morph) if shouting(sent.text)
                     else [t.text for t in toks] for sent, toks in segments]
            # The network sees bounded items: a sentence of thousands of tokens
            # (a line without punctuation) goes in pieces of MAX_ITEM.
            items = [(k, i) for k, ws in enumerate(names) for i in range(0, len(ws), MAX_ITEM)]
            spans = self.recognizer([names[k][i:i + MAX_ITEM] for k, i in items])
            for (k, i), item_spans in zip(items, spans):
                toks = segments[k][1]
                sentence = count + k
                for span in item_spans:
                    a, b = i + span.start, i + span.end
                    start, end = base + view.start(toks[a].start), base + view.end(toks[b - 1].end)
                    written = block[start - base:end - base]
                    key = (span.type, written, view.text[toks[a].start:toks[b - 1].end], *names[k][a:b])
                    shared = known.get(key)
                    if shared is None:
                        normal, parts = self.normal(view.text, toks[a:b], names[k][a:b], span.type)
                        shared = known[key] = (written, normal, parts)
                    found.append(Found(start, span.type, shared[0], shared[1], sentence, shared[2]))
            if words is not None:
                for sent, toks in segments:
                    sentences.append(Sentence(base + view.start(sent.start), base + view.end(sent.end)))
                    analyses = self.morph.analyse_sentence([tok.text for tok in toks])
                    for tok, (lemma, pos, _) in zip(toks, analyses):
                        start, end = base + view.start(tok.start), base + view.end(tok.end)
                        words.append(Token(start, end, block[start - base:end - base], lemma, pos))
            count += len(segments)
        return found

    def normal(self, analysed: str, toks, names: list[str], type: str) -> tuple[str, list[str]]:
        """The mention's normal form, and word by word, from the cleaned words."""
        words = self.normalizer(names, type)
        # Rebuild the normal form with the text's own separators between words.
        pieces, pos = [], toks[0].start
        for tok, word in zip(toks, words):
            pieces.append(analysed[pos:tok.start])
            pieces.append(word)
            pos = tok.end
        return ''.join(pieces), words

    def pipe(self, texts: Iterable[TextItem], workers: int = 1, on_error: str | Callable = 'raise') -> Iterator[Document]:
        """Documents for `texts` (str, or (id, str)), streamed in input order,
        in `workers` processes (see extractor.runner).

        A text that fails raises ItemFailed naming it (its index, and its
        id where given) once the documents before it are out
        (`on_error='raise'`); with 'skip' it is left out and logged as a
        warning on the 'extractor' logger; a function is called with the
        ItemFailed and the run goes on. Workers stop when the caller stops
        iterating."""
        from .runner import ItemFailed, LocalRunner

        ids: dict[int, str | None] = {}

        def remember(texts: Iterable[TextItem]) -> Iterator[TextItem]:
            for index, item in enumerate(texts):
                if not isinstance(item, str):
                    ids[index] = item[0]
                yield item

        for index, result in enumerate(LocalRunner(self).map(_extract_item, remember(texts), workers,
                                                              failures='yield')):
            if not isinstance(result, ItemFailed):
                ids.pop(index, None)
                yield result
                continue
            id = ids.pop(index, None)
            error = type(result)(index, result.reason)
            error.args = ('text %d%s: %s' % (index, '' if id is None else ' (id %r)' % id, result.reason),)
            if on_error == 'raise':
                raise error
            if on_error == 'skip':
                import logging
                logging.getLogger('extractor').warning('skipped %s', error)
            elif callable(on_error):
                on_error(error)
            else:
                raise ValueError("on_error is 'raise', 'skip' or a function, not %r" % (on_error,))

    def map(self, fn: Callable[['Extractor', Item], Result], items: Iterable[Item],
            workers: int = 1, ordered: bool = True, failures: str = 'raise') -> Iterator[Result]:
        """fn(extractor, item) for each item, in `workers` processes: see
        runner.LocalRunner.map."""
        from .runner import LocalRunner
        return LocalRunner(self).map(fn, items, workers, ordered=ordered, failures=failures)


def _not_text(value) -> str:
    if isinstance(value, (bytes, bytearray)):
        return ('the text is bytes: decode it first, e.g. text.decode("utf-8"), or '
                'extractor.textfile.decode(data) to detect the encoding')
    return 'the text must be a str, not %s' % type(value).__name__


def _extract_item(extractor: Extractor, item: TextItem) -> Document:
    if isinstance(item, str):
        return extractor(item)
    id, text = item
    return extractor(text, id=id)


_DEFAULT: Extractor | None = None


def extract(text: str, id: str | None = None) -> Document:
    """One text with a process-wide default Extractor (loaded on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT(text, id=id)
