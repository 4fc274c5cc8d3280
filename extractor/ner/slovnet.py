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
  copy at start-up, and worker processes share the pages.

A v2 pack (``extractor train --arch v2``) is a v1 pack plus the member
``v2.json`` and arrays ``v2/*.npy``: an embedding of each word's last
letters (lower case), added to the first convolution's input, and a fourth,
dilated convolution with a residual connection before the projection
(``Wide``). Without those members a pack runs as before."""
from __future__ import annotations

import io
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
V2_CONFIG = 'v2.json'        # the v2 members of a pack: this, and arrays V2_ARRAY % name
V2_ARRAY = 'v2/%s.npy'


def word_suffix(word: str, size: int) -> str:
    """The letters a v2 pack embeds: the last `size` of the word in lower case."""
    return word.lower()[-size:]


def v2_members(pack: Pack) -> tuple[dict, dict[str, np.ndarray]] | None:
    """(config, arrays) of a v2 pack, None for a v1 one."""
    if V2_CONFIG not in pack.tar.getnames():
        return None
    config = json.loads(pack.read(V2_CONFIG).decode('utf-8'))
    arrays = {name: np.load(io.BytesIO(pack.read(V2_ARRAY % name)), allow_pickle=False)
              for name in ('suffix_emb', 'suffix_conv', 'wide_weight', 'wide_bias')}
    return config, arrays


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
            v2 = v2_members(pack)
        self.unk_id = self.word_ids[UNK]
        self.word_emb = navec
        self.layers = [ConvLayer(layer) for layer in model.encoder.layers]
        first = self.layers[0]
        word_dim = self.word_emb.dim
        self.first_word = first.stacked[:word_dim]         # word part of the first convolution
        self.first_shape = model.emb.shape.weight.array @ first.stacked[word_dim:]
        self.proj_w, self.proj_b = model.head.proj.weight.array, model.head.proj.bias.array
        self.transitions = model.head.crf.transitions.array
        # v2: the suffix part of the first convolution, a table per suffix id like the shapes'
        self.suffix_size, self.suffix_ids, self.first_suffix, self.wide = 0, {}, None, None
        if v2 is not None:
            config, arrays = v2
            self.suffix_size = config['suffix_size']
            self.suffix_ids = {s: i for i, s in enumerate(config['suffixes'])}
            self.first_suffix = arrays['suffix_emb'] @ stack(arrays['suffix_conv'])
            self.wide = Wide(arrays['wide_weight'], arrays['wide_bias'], config['dilation'])
        self.cache_words = cache_words
        self.word_slot = np.full(len(navec.indexes), -1, np.int64)   # word id → row, -1: none
        self.cached = 0
        self.word_rows = np.zeros((cache_words, first.stacked.shape[1]), np.float32)
        if self.first_suffix is not None:         # v2: the rows of <unk> with each suffix (first_layer)
            unk_rows = self.word_emb(np.array([self.unk_id])) @ self.first_word + self.first_suffix
            self.word_rows = np.concatenate([self.word_rows, unk_rows.astype(np.float32)])
        self.ids: dict[str, tuple[int, int, int]] = {}
        self._blas: Any = None                # threadpoolctl's controller, made on first use

    def __reduce__(self):
        # pickled as its pack's path and its embeddings (themselves a path),
        # loaded again where it is unpickled (a spawned or a Dask worker)
        return type(self), (self.pack_path, self.word_emb, self.cache_words)

    def encode(self, word: str) -> tuple[int, int, int]:
        """(word id, shape id, suffix id: 1 for an unknown suffix, 0 without a v2 pack)."""
        ids = self.ids.get(word)
        if ids is None:
            suffix = self.suffix_ids.get(word_suffix(word, self.suffix_size), 1) if self.suffix_size else 0
            ids = (self.word_ids.get(word.lower(), self.unk_id), self.shapes_vocab.encode(word_shape(word)), suffix)
            if len(self.ids) > 200_000:
                self.ids.clear()
            self.ids[word] = ids
        return ids

    def first_layer(self, word_ids: np.ndarray, shape_ids: np.ndarray, suffix_ids: np.ndarray) -> np.ndarray:
        """The first convolution's per-word products, (n, kernel * filters).

        With a v2 pack the suffix part is in the cached rows too: word ids
        are of the lower-case form, so a known word has one suffix, cached
        with its word; an <unk> word reads the row of <unk> with its suffix,
        one per suffix after the cache's (`unk_rows`)."""
        new = self.word_slot[word_ids] < 0
        missing, first = np.unique(word_ids[new], return_index=True)
        if self.cached + len(missing) > self.cache_words:
            self.word_slot[:] = -1
            self.cached = 0
            new[:] = True
            missing, first = np.unique(word_ids, return_index=True)
        if len(missing):
            slots = np.arange(self.cached, self.cached + len(missing))
            rows = self.word_emb(missing) @ self.first_word
            if self.first_suffix is not None:
                rows += self.first_suffix[suffix_ids[new][first]]
            self.word_rows[slots] = rows
            self.word_slot[missing] = slots
            self.cached += len(missing)
        rows_at = self.word_slot[word_ids]
        if self.first_suffix is not None:
            rows_at = np.where(word_ids == self.unk_id, self.cache_words + suffix_ids, rows_at)
        return self.word_rows[rows_at] + self.first_shape[shape_ids]

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
        emissions, starts = self.emissions(items)
        return [[self.tags[t] for t in path]
                for path in viterbi(emissions, starts, lengths, self.transitions)]

    def emissions(self, items: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """The network's tag scores before the CRF, (words, tags), the items
        end to end, and where each item starts."""
        lengths = [len(item) for item in items]
        # All words end to end; sentence i is rows starts[i] .. starts[i] + lengths[i].
        sizes = np.array(lengths)
        starts = np.cumsum(sizes) - sizes
        first, last = np.zeros(sum(lengths), bool), np.zeros(sum(lengths), bool)
        first[starts[sizes > 0]] = True
        last[(starts + sizes)[sizes > 0] - 1] = True
        known, encode = self.ids, self.encode
        codes = np.fromiter((code for item in items for word in item for code in (known.get(word) or encode(word))),
                            np.int64, 3 * len(first)).reshape(-1, 3)
        x = self.layers[0].finish(self.first_layer(codes[:, 0], codes[:, 1], codes[:, 2]), first, last)
        for layer in self.layers[1:]:
            x = layer.finish(x @ layer.stacked, first, last)
        if self.wide is not None:
            position = np.arange(len(x)) - np.repeat(starts, sizes)     # index of a word in its item
            x = self.wide(x, position, np.repeat(sizes, sizes) - 1 - position)
        return x @ self.proj_w + self.proj_b, starts


class ConvLayer:
    """Conv1d(kernel 3, padding 1) → ReLU → BatchNorm, on the end-to-end layout."""

    def __init__(self, layer):
        weight = layer.conv.weight.array                   # filters x in x kernel
        self.filters, _, self.kernel = weight.shape
        assert self.kernel == 3 and layer.conv.padding == 1, 'slovnet NER layers are kernel 3, padding 1'
        self.stacked = stack(weight)
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


def stack(weight: np.ndarray) -> np.ndarray:
    """A convolution's weight, filters x in x kernel → in x (kernel * filters):
    one product gives every kernel position."""
    return np.ascontiguousarray(weight.transpose(1, 2, 0).reshape(weight.shape[1], -1))


class Wide:
    """v2's fourth layer: x + ReLU(Conv1d(kernel 3, dilation d, padding d)(x)),
    on the end-to-end layout (no batch norm)."""

    def __init__(self, weight: np.ndarray, bias: np.ndarray, dilation: int):
        self.filters, _, kernel = weight.shape
        assert kernel == 3, 'v2 wide layer is kernel 3'
        self.stacked, self.bias, self.dilation = stack(weight), bias, dilation

    def __call__(self, x: np.ndarray, position: np.ndarray, remaining: np.ndarray) -> np.ndarray:
        """x: (n, filters); position / remaining: how many words of its item
        are before / after each word (no neighbour reaches across an item)."""
        f, d = self.filters, self.dilation
        products = x @ self.stacked
        products[remaining < d, :f] = 0        # would reach a word d ahead, past its item's end
        products[position < d, 2 * f:] = 0     # would reach a word d back, before its item's start
        out = products[:, f:2 * f] + self.bias
        out[d:] += products[:-d, :f]           # word i - d through kernel position 0
        out[:-d] += products[d:, 2 * f:]       # word i + d through kernel position 2
        np.maximum(out, 0, out=out)
        out += x
        return out


def viterbi(emissions: np.ndarray, starts: np.ndarray, lengths: list[int],
            transitions: np.ndarray) -> list[list[int]]:
    """Best tag path of each sentence, all sentences at once. A document's
    sentences differ much in length: they go longest first, so that those
    still going at step t are the first `going[t]`, and the paths are traced
    back for all of them together, a step at a time (a step costs a few
    NumPy calls whatever the number of sentences)."""
    batch, longest = len(lengths), max(lengths)
    if longest == 0:
        return [[] for _ in lengths]
    tags = emissions.shape[1]
    lengths_arr = np.array(lengths)
    order = np.argsort(-lengths_arr, kind='stable')
    sizes = lengths_arr[order]
    going = np.searchsorted(-sizes, -np.arange(longest), side='left').tolist()   # sentences longer than t
    positions = np.minimum(np.arange(longest)[None, :], np.maximum(sizes - 1, 0)[:, None])
    rows = np.minimum(starts[order][:, None] + positions, len(emissions) - 1)   # an empty sentence reads any row
    em = emissions[rows]                                       # batch x longest x tags, longest first
    steps = em[:, :, None, :] + transitions                    # batch x longest x from x to
    score = em[:, 0].copy()
    history = np.zeros((longest, batch, tags), np.min_scalar_type(tags))    # tag indexes: a byte each
    for t in range(1, longest):
        k = going[t]
        candidate = score[:k, :, None] + steps[:k, t]
        history[t, :k] = candidate.argmax(1)
        score[:k] = candidate.max(1)
    paths = np.zeros((batch, longest), np.int64)
    paths[np.arange(batch), np.maximum(sizes - 1, 0)] = score.argmax(1)
    index = np.arange(batch)
    for t in range(longest - 1, 0, -1):
        k = going[t]                                   # the sentences that have a word t
        paths[:k, t - 1] = history[t, index[:k], paths[:k, t]]
    out: list[list[int]] = [[] for _ in lengths]
    for i, row in zip(order.tolist(), paths.tolist(), strict=True):
        out[i] = row[:lengths[i]]
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
