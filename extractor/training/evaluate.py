"""Tag docs with a slovnet NER pack (NumPy, as the runtime does) and score
them: naeval-style token F1 per type and strict span F1. No torch.

The model runs over each whole text, as Natasha's NewsNERTagger does;
slovnet tokenizes with razdel and maps BIO tags back to character spans.
"""
import time

from razdel import tokenize

TYPES = ('PER', 'LOC', 'ORG')


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


def _token_types(tokens, spans):
    types = [None] * len(tokens)
    for start, end, type in spans:
        for i, tok in enumerate(tokens):
            if start <= tok.start and tok.stop <= end:
                types[i] = type
    return types


def _f1(tp_p, n_p, tp_r, n_r):
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_r if n_r else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score(docs, preds):
    """Token F1 per type (a token counts when inside a gold and a predicted
    span of the type) and strict span F1 (micro over the types)."""
    tok = {t: [0, 0, 0, 0] for t in TYPES}
    span = [0, 0, 0]  # tp, n_pred, n_gold
    for doc in docs:
        gold = [(s.start, s.end, s.type) for s in doc.spans if s.type in TYPES]
        pred = [p for p in preds.get(doc.id, []) if p[2] in TYPES]
        tokens = list(tokenize(doc.text))
        gt, pt = _token_types(tokens, gold), _token_types(tokens, pred)
        for t in TYPES:
            for g, p in zip(gt, pt):
                if p == t:
                    tok[t][1] += 1
                    tok[t][0] += g == t
                if g == t:
                    tok[t][3] += 1
                    tok[t][2] += p == t
        span[0] += len(set(gold) & set(pred))
        span[1] += len(set(pred))
        span[2] += len(set(gold))
    out = {'tok_%s' % t: _f1(*tok[t]) for t in TYPES}
    out['span_micro'] = _f1(span[0], span[1], span[0], span[2])
    return out
