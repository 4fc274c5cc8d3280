"""Runs a slovnet NER pack (Natasha's news model, or the project's own
fine-tuned one) over tokens that razdel already made.

slovnet's own API re-tokenizes raw text; going through its encoder with our
tokens keeps one tokenization for the whole pipeline and lets us batch
sentences of similar length together."""
from __future__ import annotations

from typing import Sequence

from navec import Navec
from slovnet import NER


class SlovnetTagger:
    """BIO tags (B-PER, I-LOC, O, ...) for lists of words."""

    def __init__(self, pack_path: str, navec: Navec, batch_size: int = 32):
        api = NER.load(pack_path, batch_size=batch_size)
        api.navec(navec)
        infer = api.infer
        self.model = infer.model
        self.encoder = infer.encoder
        self.tags_vocab = infer.decoder.tags_vocab
        self.batch_size = batch_size

    def __call__(self, items: Sequence[Sequence[str]]) -> list[list[str]]:
        """Tags for each item (a list of words); output in input order."""
        # Sort by length so a batch pads little; restore order at the end.
        order = sorted(range(len(items)), key=lambda i: len(items[i]))
        out: list[list[str]] = [[] for _ in items]
        decode = self.tags_vocab.decode
        for begin in range(0, len(order), self.batch_size):
            chunk = [i for i in order[begin:begin + self.batch_size] if items[i]]
            if not chunk:
                continue
            encoded = [self.encoder.item(items[i]) for i in chunk]
            batch = self.encoder.input(encoded)
            emissions = self.model(batch.word_id, batch.shape_id, batch.pad_mask)
            paths = self.model.head.crf.decode(emissions, ~batch.pad_mask)
            for i, path in zip(chunk, paths):
                out[i] = [decode(int(t)) for t in path[:len(items[i])]]
        return out


def load_navec(path: str) -> Navec:
    return Navec.load(path)


__all__ = ['SlovnetTagger', 'load_navec']
