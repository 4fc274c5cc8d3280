"""Runs a slovnet NER pack (Natasha's news model, or the project's own
fine-tuned one) over tokens that razdel already made.

The network is the pack's own (navec word embeddings + shape embeddings,
three convolution layers, a CRF); this module only runs it faster than
slovnet's NumPy code, with the same arithmetic:

- all sentences of a call are laid end to end in one array, so each
  convolution is one matrix product and no batch pads; no neighbour reaches
  across a sentence boundary, so a sentence's result never depends on what
  it was batched with;
- the first convolution of a word is a fixed vector per word, so it is
  cached per word id (bounded), and shapes get a precomputed table;
- word ids and shapes are cached per word form;
- the navec embeddings are memory-mapped straight from their tar file: no
  copy at start-up, and worker processes share the pages."""
from __future__ import annotations

import json
import tarfile
from collections.abc import Sequence
from typing import Any

import numpy as np
from slovnet.const import SHAPE, TAG, UNK
from slovnet.exec.model import NER as NERModel
from slovnet.exec.pack import Pack
from slovnet.shape import word_shape

from . import words

BATCH = 4096        # words through the network at a time


class SlovnetTagger:
    """BIO tags (B-PER, I-LOC, O, ...) for lists of words."""

    def __init__(self, pack_path: str, navec: NavecTable, cache_words: int = 16_384):
        self.pack_path = pack_path
        # What slovnet's NER.load reads, but the word table from a DAWG when one ships (words.py).
        with Pack(pack_path) as pack:
            pack.load_meta().check_protocol()
            model = pack.load_model(NERModel)
            model = model.inject_arrays(dict(pack.load_arrays(model.weights)))
            if model.emb.word.id != navec.id:
                raise ValueError('%s expects embeddings %r, got %r' % (pack_path, model.emb.word.id, navec.id))
            table = words.load(pack)
            self.word_ids = words.pack_words(pack) if table is None else table
            self.shapes_vocab = pack.load_vocab(SHAPE)
            self.tags = list(pack.load_vocab(TAG).items)
        self.unk_id = self.word_ids[UNK]
        self.word_emb = navec
        self.layers = [ConvLayer(layer) for layer in model.encoder.layers]
        first = self.layers[0]
        word_dim = self.word_emb.dim
        self.first_word = first.stacked[:word_dim]         # word part of the first convolution
        self.first_shape = model.emb.shape.weight.array @ first.stacked[word_dim:]
        self.proj_w, self.proj_b = model.head.proj.weight.array, model.head.proj.bias.array
        self.transitions = model.head.crf.transitions.array
        self.cache_words = cache_words
        self.word_slot = np.full(len(navec.indexes), -1, np.int64)   # word id → row, -1: none
        self.cached = 0
        self.word_rows = np.zeros((cache_words, first.stacked.shape[1]), np.float32)
        self.ids: dict[str, tuple[int, int]] = {}
        self._blas: Any = None                # threadpoolctl's controller, made on first use

    def __reduce__(self):
        # pickled as its pack's path and its embeddings (themselves a path),
        # loaded again where it is unpickled (a spawned or a Dask worker)
        return type(self), (self.pack_path, self.word_emb, self.cache_words)

    def encode(self, word: str) -> tuple[int, int]:
        ids = self.ids.get(word)
        if ids is None:
            ids = (self.word_ids.get(word.lower(), self.unk_id), self.shapes_vocab.encode(word_shape(word)))
            if len(self.ids) > 200_000:
                self.ids.clear()
            self.ids[word] = ids
        return ids

    def first_layer(self, word_ids: np.ndarray, shape_ids: np.ndarray) -> np.ndarray:
        """The first convolution's per-word products, (n, kernel * filters)."""
        missing = np.unique(word_ids[self.word_slot[word_ids] < 0])
        if self.cached + len(missing) > self.cache_words:
            self.word_slot[:] = -1
            self.cached = 0
            missing = np.unique(word_ids)
        if len(missing):
            slots = np.arange(self.cached, self.cached + len(missing))
            self.word_rows[slots] = self.word_emb(missing) @ self.first_word
            self.word_slot[missing] = slots
            self.cached += len(missing)
        return self.word_rows[self.word_slot[word_ids]] + self.first_shape[shape_ids]

    def __call__(self, items: Sequence[Sequence[str]]) -> list[list[str]]:
        """Tags for each item (a list of words); output in input order.

        The items go through the network about BATCH words at a time: that
        bounds its arrays (a 64k-character block has some 10 000 words, and
        its first layer alone would take 30 MB), and a sentence's tags do
        not depend on what it is batched with."""
        with self.one_blas_thread():
            return self.batches(items)

    def one_blas_thread(self):
        """The network's products are small (a few thousand rows by a few
        hundred): BLAS threads cost more in waking and waiting than they
        give, and on a busy machine they spin against other work (NER 4×
        slower on 2 shared cores). One thread, for this call only: the
        caller's own setting is left as it is."""
        if self._blas is None:
            from threadpoolctl import ThreadpoolController
            self._blas = ThreadpoolController()
        return self._blas.limit(limits=1, user_api='blas')

    def batches(self, items: Sequence[Sequence[str]]) -> list[list[str]]:
        tags: list[list[str]] = []
        start, count = 0, 0                  # the batch so far: items[start:end], count words
        for end, item in enumerate(items):
            if count + len(item) > BATCH and end > start:
                tags += self.forward(items[start:end])
                start, count = end, 0
            count += len(item)
        return tags + self.forward(items[start:]) if start < len(items) else tags

    def forward(self, items: Sequence[Sequence[str]]) -> list[list[str]]:
        lengths = [len(item) for item in items]
        if not any(lengths):
            return [[] for _ in items]
        # All words end to end; sentence i is rows starts[i] .. starts[i] + lengths[i].
        sizes = np.array(lengths)
        starts = np.cumsum(sizes) - sizes
        first, last = np.zeros(sum(lengths), bool), np.zeros(sum(lengths), bool)
        first[starts[sizes > 0]] = True
        last[(starts + sizes)[sizes > 0] - 1] = True
        encode = self.encode
        codes = np.array([encode(word) for item in items for word in item], np.int64)
        x = self.layers[0].finish(self.first_layer(codes[:, 0], codes[:, 1]), first, last)
        for layer in self.layers[1:]:
            x = layer.finish(x @ layer.stacked, first, last)
        emissions = x @ self.proj_w + self.proj_b
        return [[self.tags[t] for t in path]
                for path in viterbi(emissions, starts, lengths, self.transitions)]


class ConvLayer:
    """Conv1d(kernel 3, padding 1) → ReLU → BatchNorm, on the end-to-end layout."""

    def __init__(self, layer):
        weight = layer.conv.weight.array                   # filters x in x kernel
        self.filters, _, self.kernel = weight.shape
        assert self.kernel == 3 and layer.conv.padding == 1, 'slovnet NER layers are kernel 3, padding 1'
        # in x (kernel * filters): one product gives every kernel position
        self.stacked = np.ascontiguousarray(weight.transpose(1, 2, 0).reshape(weight.shape[1], -1))
        self.bias = layer.conv.bias.array
        norm = layer.norm
        self.scale = norm.weight.array / norm.std.array
        self.shift = norm.bias.array - norm.mean.array * self.scale

    def finish(self, products: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """products: (n, 3 * filters) per word, a fresh array → the layer's
        output (n, filters). `first` / `last` mark the words that begin and
        end a sentence: no neighbour reaches across (padding 1)."""
        f = self.filters
        products[last, :f] = 0             # would reach the next sentence's first word
        products[first, 2 * f:] = 0        # would reach the previous sentence's last word
        out = products[:, f:2 * f] + self.bias
        out[1:] += products[:-1, :f]       # left neighbour through kernel position 0
        out[:-1] += products[1:, 2 * f:]   # right neighbour through kernel position 2
        np.maximum(out, 0, out=out)
        out *= self.scale
        out += self.shift
        return out


def viterbi(emissions: np.ndarray, starts: np.ndarray, lengths: list[int],
            transitions: np.ndarray) -> list[list[int]]:
    """Best tag path of each sentence, all sentences at once."""
    batch, longest = len(lengths), max(lengths)
    if longest == 0:
        return [[] for _ in lengths]
    tags = emissions.shape[1]
    lengths_arr = np.array(lengths)
    positions = np.minimum(np.arange(longest)[None, :], np.maximum(lengths_arr - 1, 0)[:, None])
    rows = np.minimum(starts[:, None] + positions, len(emissions) - 1)   # an empty sentence reads any row
    em = emissions[rows]                                       # batch x longest x tags
    score = em[:, 0]
    history = np.zeros((longest, batch, tags), np.min_scalar_type(tags))    # tag indexes: a byte each
    for t in range(1, longest):
        candidate = score[:, :, None] + transitions[None] + em[:, t][:, None, :]
        best = candidate.argmax(1)
        new = candidate.max(1)
        active = (t < lengths_arr)[:, None]
        score = np.where(active, new, score)
        history[t] = best
    out: list[list[int]] = []
    last = score.argmax(1)
    for i, n in enumerate(lengths):
        if n == 0:
            out.append([])
            continue
        path = [int(last[i])]
        for t in range(n - 1, 0, -1):
            path.append(int(history[t, i, path[-1]]))
        path.reverse()
        out.append(path)
    return out


class NavecTable:
    """navec's product-quantized word vectors: vector of word i is the
    concatenation over q of codes[q, indexes[i, q]]."""

    def __init__(self, id: str, indexes: np.ndarray, codes: np.ndarray, path: str | None = None):
        self.id, self.indexes, self.codes = id, indexes, codes
        self.path = path                    # the tar it was read from, if any
        qdim, _, chunk = codes.shape
        self.dim = qdim * chunk
        self.qdims = np.arange(qdim)

    def __reduce__(self):
        if self.path is None:               # made in memory: its arrays travel
            return type(self), (self.id, np.asarray(self.indexes), self.codes)
        return load_navec, (self.path,)

    def __call__(self, ids: np.ndarray) -> np.ndarray:
        return self.codes[self.qdims, self.indexes[ids]].reshape(len(ids), self.dim)


def load_navec(path: str) -> NavecTable:
    """The vectors of a navec tar, memory-mapped (its vocabulary is not
    needed: the NER pack carries the same one)."""
    with tarfile.open(path) as tar:
        meta_file = tar.extractfile('meta.json')
        if meta_file is None:
            raise ValueError('%s: meta.json is not a file' % path)
        meta = json.load(meta_file)
        member = tar.getmember('pq.bin')
    offset = member.offset_data
    vectors, dim, qdim, centroids = np.fromfile(path, np.uint32, 4, offset=offset)
    indexes = np.memmap(path, np.uint8, 'r', offset + 16, (int(vectors), int(qdim)))
    codes = np.fromfile(path, np.float32, int(qdim * centroids * (dim // qdim)),
                        offset=offset + 16 + int(vectors) * int(qdim))
    return NavecTable(meta['id'], indexes, codes.reshape(int(qdim), int(centroids), -1), path)
