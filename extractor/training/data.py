"""Annotated docs → training examples: razdel tokens (the pipeline's and
slovnet's tokenizer), word / shape ids of the pack's vocabs and BIO tag ids.

No torch here. A doc is cut into razdel sentences, then sentences are packed
into chunks of at most ``max_tokens`` tokens (the CNN sees 3 tokens to each
side, so context across a sentence boundary is kept inside a chunk).
"""
import random
from dataclasses import dataclass

from razdel import sentenize, tokenize
from slovnet.shape import word_shape

from extractor.corpora import READERS


@dataclass
class Example:
    words: list
    word_ids: list
    shape_ids: list
    tag_ids: list
    source: str = ''


def parse_spec(spec):
    """'factru:DIR' → ('factru', DIR, weight 1.0); 'bsnlp:DIR:0.5' sets a
    weight (how many times the corpus is seen per epoch, fractions sample)."""
    kind, _, rest = spec.partition(':')
    if kind not in READERS or not rest:
        raise ValueError('expected KIND:PATH with KIND in %s, got %r' % (sorted(READERS), spec))
    path, weight = rest, 1.0
    head, _, tail = rest.rpartition(':')
    if head:
        try:
            weight = float(tail)
            path = head
        except ValueError:
            pass
    return kind, path, weight


def read_docs(kind, path, **options):
    if kind == 'factru':
        # the project's convention: an org name with its place is one ORG
        return READERS[kind](path, org_places=options.get('org_places', True))
    return READERS[kind](path)


def bio_tags(tokens, spans):
    """One tag a token: B-/I-TYPE for tokens that overlap a span, else O."""
    tags = ['O'] * len(tokens)
    spans = sorted(spans, key=lambda s: s.start)
    j = 0
    for i, tok in enumerate(tokens):
        while j < len(spans) and spans[j].end <= tok.start:
            j += 1
        if j < len(spans) and spans[j].start < tok.stop:
            span = spans[j]
            first = i == 0 or tokens[i - 1].stop <= span.start
            tags[i] = ('B-' if first else 'I-') + span.type
    return tags


def keep_span(span, text, lower_case=True):
    """``lower_case=False`` drops spans written in lower case («российских»,
    «правительство»): adjectives and common nouns that NEREL tags but
    factRuEval and BSNLP do not."""
    if lower_case:
        return True
    first = text[span.start:span.end][:1]
    return not first.islower()


def doc_chunks(doc, max_tokens=60, lower_case=True):
    """(tokens, tags) per chunk of whole sentences."""
    spans = [s for s in doc.spans if keep_span(s, doc.text, lower_case)]
    tokens = list(tokenize(doc.text))
    tags = bio_tags(tokens, spans)
    starts = {t.start: i for i, t in enumerate(tokens)}
    cuts = set()
    for sent in sentenize(doc.text):
        if sent.start in starts:
            cuts.add(starts[sent.start])
    chunk_start, i = 0, 1
    while chunk_start < len(tokens):
        size = i - chunk_start
        if i >= len(tokens) or (i in cuts and size >= max_tokens // 2) or size >= max_tokens:
            i = min(i, len(tokens))
            while i < len(tokens) and tags[i].startswith('I-'):
                i += 1                       # never cut inside an entity
            yield tokens[chunk_start:i], tags[chunk_start:i]
            chunk_start = i
        i += 1


def encode(tokens, tags, vocabs, source=''):
    words_vocab, shapes_vocab, tags_vocab = vocabs['word'], vocabs['shape'], vocabs['tag']
    words = [t.text for t in tokens]
    return Example(
        words,
        [words_vocab.encode(w.lower()) for w in words],
        [shapes_vocab.encode(word_shape(w)) for w in words],
        [tags_vocab.encode(t) for t in tags],
        source,
    )


def examples(docs, vocabs, source='', **options):
    for doc in docs:
        for tokens, tags in doc_chunks(doc, options.get('max_tokens', 60),
                                       options.get('lower_case', True)):
            yield encode(tokens, tags, vocabs, source)


def epoch_plan(groups, seed, epoch):
    """groups: list of (examples, weight). The examples of one epoch, in a
    deterministic order: each group repeated int(weight) times plus a
    sample of the fractional part."""
    rng = random.Random(seed * 1000 + epoch)
    out = []
    for items, weight in groups:
        whole, frac = int(weight), weight - int(weight)
        for _ in range(whole):
            out.extend(items)
        if frac > 0:
            out.extend(rng.sample(items, round(frac * len(items))))
    rng.shuffle(out)
    return out


def batches(items, size, seed, epoch):
    """Batches of examples of similar length (less padding), shuffled."""
    rng = random.Random(seed * 7919 + epoch)
    items = sorted(items, key=lambda e: (len(e.word_ids), rng.random()))
    out = [items[i:i + size] for i in range(0, len(items), size)]
    rng.shuffle(out)
    return out
