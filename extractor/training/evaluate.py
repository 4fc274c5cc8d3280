"""Tag docs with a slovnet NER pack (NumPy, as the runtime does) and score
them: naeval-style token F1 per type and strict span F1. No torch.

The model runs over each whole text, as Natasha's NewsNERTagger does;
slovnet tokenizes with razdel and maps BIO tags back to character spans.
"""
import time

from ..evaluate import TYPES, Counts, Predicted, Report, score_document


def load_ner(path, navec=None):
    from slovnet import NER
    if navec is None:
        from natasha import NewsEmbedding
        navec = NewsEmbedding()
    return NER.load(path).navec(navec)


def predict(ner, docs):
    """{doc id: [(start, end, type)]}, and seconds spent."""
    t0 = time.perf_counter()
    out = {}
    for doc in docs:
        out[doc.id] = [(s.start, s.stop, s.type) for s in ner(doc.text).spans] \
            if doc.text.strip() else []
    return out, time.perf_counter() - t0


def score(docs, preds):
    """Token F1 per type (a token counts when inside a gold and a predicted
    span of the type) and strict span F1 (micro over the types), with the
    project's scorer (extractor.evaluate); the model's output is flat."""
    report = Report()
    for doc in docs:
        predicted = [Predicted(start, end, type) for start, end, type in preds.get(doc.id, [])]
        score_document(report, doc, predicted, view='flat')
    out = {'tok_%s' % t: report.tokens[t].f1 for t in TYPES}
    total = Counts()
    for counts in report.spans.values():
        total.add(counts)
    out['span_micro'] = total.f1
    return out
