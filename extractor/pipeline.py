"""The Extractor: owns the loaded stages and runs them in order.

text → sentences and tokens (segment) → lemmas (morph) → mentions (ner)
→ normal forms (normalize) → entities (resolve) → Document."""
from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Iterable, Iterator, TypeVar

from threadpoolctl import threadpool_limits

from . import assets
from .document import Document, Sentence, Token
from .morph import Morph
from .ner import Recognizer
from .ner.slovnet import SlovnetTagger, load_navec
from .normalize import Normalizer
from .resolve import Found, entities
from .segment import segment

Item = TypeVar('Item')
Result = TypeVar('Result')
TextItem = str | tuple[str | None, str]


class Extractor:
    """Loads the models once; call it on a text, or `pipe` many texts."""

    def __init__(self, ner_model: str | None = None):
        self.morph = Morph()
        self.normalizer = Normalizer(self.morph)
        tagger = SlovnetTagger(ner_model or assets.default_ner(), load_navec(assets.navec_path()))
        self.recognizer = Recognizer(tagger, self.morph.is_place, self.morph.name_part)

    def __call__(self, text: str, id: str | None = None, source: str | None = None,
                 encoding: str | None = None, tokens: bool = True) -> Document:
        """Entities of one text; with `tokens`, also its sentences and
        lemmatized tokens (skipped when the caller will not output them)."""
        sentences: list[Sentence] = []
        words: list[Token] = []
        found: list[Found] = []
        segments = list(segment(text))
        spans = self.recognizer([[t.text for t in toks] for _, toks in segments])
        for index, ((sent, toks), sent_spans) in enumerate(zip(segments, spans)):
            if tokens:
                sentences.append(Sentence(sent.start, sent.end))
                analyses = self.morph.analyse_sentence([tok.text for tok in toks])
                for tok, (lemma, pos, _) in zip(toks, analyses):
                    words.append(Token(tok.start, tok.end, tok.text, lemma, pos))
            for span in sent_spans:
                found.append(self.mention(text, toks[span.start:span.end], span.type, index))
        doc = Document(schema_version=1, id=id, source=source, encoding=encoding,
                       entities=entities(found),
                       sentences=sentences if tokens else None, tokens=words if tokens else None)
        doc.__dict__['_text'] = text
        return doc

    def mention(self, text: str, toks, type: str, sentence: int) -> Found:
        start, end = toks[0].start, toks[-1].end
        words = self.normalizer([t.text for t in toks], type)
        # Rebuild the normal form with the text's own separators between words.
        pieces, pos = [], start
        for tok, word in zip(toks, words):
            pieces.append(text[pos:tok.start])
            pieces.append(word)
            pos = tok.end
        normal = ''.join(pieces)
        return Found(start, end, type, text[start:end], normal, sentence, words)

    def pipe(self, texts: Iterable[TextItem], workers: int = 1) -> Iterator[Document]:
        """Documents for `texts` (str, or (id, str)), streamed in input order."""
        return self.map(_extract_item, texts, workers)

    def map(self, fn: Callable[['Extractor', Item], Result], items: Iterable[Item],
            workers: int = 1, chunksize: int = 4) -> Iterator[Result]:
        """fn(extractor, item) for each item, in order, in `workers` processes.

        Workers are forked from this process, so they share its loaded
        models instead of loading their own."""
        if workers <= 1:
            for item in items:
                yield fn(self, item)
            return
        global _WORKER
        _WORKER = self
        context = multiprocessing.get_context('fork' if os.name == 'posix' else 'spawn')
        forked = context.get_start_method() == 'fork'
        with context.Pool(workers, initializer=_init_worker, initargs=(None if forked else type(self),)) as pool:
            yield from pool.imap(_Call(fn), items, chunksize)


_WORKER: Extractor | None = None


def _init_worker(cls) -> None:
    # One BLAS thread per worker: the workers already fill the cores.
    threadpool_limits(1)
    global _WORKER
    if _WORKER is None:
        _WORKER = (cls or Extractor)()


class _Call:
    """Runs fn with the worker's extractor (picklable, unlike a lambda)."""

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, item):
        return self.fn(_WORKER, item)


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
