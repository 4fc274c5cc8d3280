"""v2 of the NER network (``extractor train --arch v2``): v1's network, plus

* the last letters of each word: an embedding of its last ``suffix_size``
  letters in lower case (a vocab of the suffixes seen at least
  ``min_count`` times in the training data; 0 pad, 1 unknown), added to the
  first convolution's input (its own kernel-3 convolution, summed with the
  first one's before the ReLU: the same as widening that convolution's input);
* wider context: a fourth convolution, kernel 3 with dilation ``dilation``,
  ReLU, added to its input (residual), before the projection.

The suffix convolution starts at zero and the fourth layer near it (its
weights at a tenth of torch's initialisation: at exactly zero its ReLU
would pass no gradient), so the untrained v2 network is about its v1 trunk;
training and blending are v1's (the suffix embedding, randomly
initialised, is not blended).

The pack is the trunk's v1 pack plus ``v2.json`` (the config and the suffix
vocab) and ``v2/*.npy``; ``extractor.ner.slovnet`` runs it with NumPy.
"""
import io
import json
from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from ..ner.slovnet import V2_ARRAY, V2_CONFIG, word_suffix
from .train import tensors

PAD, UNK = '<pad>', '<unk>'
KEEP = ('suffix.',)          # not blended: the suffix embedding's start is random
WIDE_INIT = 0.1              # the wide layer starts at torch's initialisation x this (at 0 its ReLU lets no gradient through)


@dataclass
class Config:
    suffix_size: int = 3
    suffix_dim: int = 32
    min_count: int = 3
    dilation: int = 2


def suffix_vocab(groups, config):
    """[PAD, UNK, suffixes seen at least min_count times, most frequent first]."""
    counts = Counter(word_suffix(w, config.suffix_size) for items, _ in groups for e in items for w in e.words)
    kept = sorted((s for s, n in counts.items() if n >= config.min_count), key=lambda s: (-counts[s], s))
    return [PAD, UNK] + kept


class V2(nn.Module):
    """A slovnet torch NER (``trunk``) with the suffix embedding and the wide layer."""

    def __init__(self, trunk, suffixes, config):
        super().__init__()
        self.trunk, self.suffixes, self.config = trunk, list(suffixes), config
        self.ids = {s: i for i, s in enumerate(self.suffixes)}
        self.suffix = nn.Embedding(len(self.suffixes), config.suffix_dim, padding_idx=0)
        first = trunk.encoder.layers[0].conv
        self.suffix_conv = nn.Conv1d(config.suffix_dim, first.out_channels, first.kernel_size[0],
                                     padding=first.padding[0], bias=False)
        dim = trunk.encoder.dim
        self.wide = nn.Conv1d(dim, dim, 3, padding=config.dilation, dilation=config.dilation)
        assert self.wide.bias is not None
        with torch.no_grad():
            self.suffix_conv.weight.zero_()
            self.wide.bias.zero_()
            self.wide.weight.mul_(WIDE_INIT)

    @property
    def head(self):
        return self.trunk.head

    def suffix_ids(self, words):
        return [self.ids.get(word_suffix(w, self.config.suffix_size), 1) for w in words]

    def inputs(self, batch, pads):
        """train()'s `inputs`: v1's arguments and the suffix ids."""
        word_id, shape_id, tag_id, pad_mask = tensors(batch, pads)
        suffix_id = torch.zeros_like(word_id)
        for i, e in enumerate(batch):
            suffix_id[i, :len(e.words)] = torch.tensor(self.suffix_ids(e.words))
        return (word_id, shape_id, suffix_id, pad_mask), tag_id, pad_mask

    def forward(self, word_id, shape_id, suffix_id, pad_mask=None):
        x = self.trunk.emb(word_id, shape_id).transpose(2, 1)        # batch x emb x seq
        mask = None if pad_mask is None else pad_mask.unsqueeze(1)
        def masked(x):                        # as slovnet's encoder: pads are 0 after each layer
            return x if mask is None else x.masked_fill(mask, 0)

        first, *rest = self.trunk.encoder.layers
        x = masked(first.norm(first.relu(first.conv(x) + self.suffix_conv(self.suffix(suffix_id).transpose(2, 1)))))
        for layer in rest:
            x = masked(layer(x))
        x = masked(x + torch.relu(self.wide(x)))
        return self.head(x.transpose(2, 1))


def build(trunk, groups, config):
    return V2(trunk, suffix_vocab(groups, config), config)


def _npy(array):
    out = io.BytesIO()
    np.save(out, np.ascontiguousarray(array, dtype=np.float32), allow_pickle=False)
    return out.getvalue()


def members(model):
    """The v2 members of the pack: name → bytes (pack.export's `extra`)."""
    config = dict(asdict(model.config), suffixes=model.suffixes)
    arrays = {'suffix_emb': model.suffix.weight, 'suffix_conv': model.suffix_conv.weight,
              'wide_weight': model.wide.weight, 'wide_bias': model.wide.bias}
    out = {V2_CONFIG: json.dumps(config, ensure_ascii=False).encode('utf-8')}
    out.update((V2_ARRAY % name, _npy(value.detach().numpy())) for name, value in arrays.items())
    return out
