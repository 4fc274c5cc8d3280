"""The training loop: continue training slovnet's NER from a pack's weights
(navec frozen), then blend the trained weights with the start ones.

Deterministic for a seed: fixed example order, torch seeded, one thread
pool size, no randomness left in the model (it has no dropout).
"""
import logging
import time

import numpy as np
import torch

from .data import batches, epoch_plan

log = logging.getLogger('extractor.train')

# not trained and not blended: navec codes and indexes, BN step counters
FROZEN = ('emb.word.', 'num_batches_tracked')


def _pad(rows, value):
    size = max(len(r) for r in rows)
    out = np.full((len(rows), size), value, dtype=np.int64)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return torch.from_numpy(out)


def tensors(batch, pads):
    word_id = _pad([e.word_ids for e in batch], pads['word'])
    shape_id = _pad([e.shape_ids for e in batch], pads['shape'])
    tag_id = _pad([e.tag_ids for e in batch], pads['tag'])
    pad_mask = word_id == pads['word']
    return word_id, shape_id, tag_id, pad_mask


def inputs(batch, pads):
    """(the model's arguments, tag ids, pad mask) of a batch: v1's network
    takes word ids, shape ids and the pad mask."""
    word_id, shape_id, tag_id, pad_mask = tensors(batch, pads)
    return (word_id, shape_id, pad_mask), tag_id, pad_mask


def set_mode(model, bn='frozen'):
    """Train mode; with bn='frozen' the batch-norm layers keep the running
    statistics of the start model (eval mode), only their affine weights
    learn."""
    model.train()
    if bn == 'frozen':
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm1d):
                module.eval()
    return model


def blend(model, start_state, weight, keep=()):
    """w = weight * trained + (1 - weight) * start, for every trained tensor
    and the batch-norm running statistics, except those whose name starts
    with one of `keep` (weights whose start values mean nothing: a random
    initialisation)."""
    if weight >= 1.0:
        return model
    state = model.state_dict()
    with torch.no_grad():
        for name, value in state.items():
            if any(f in name for f in FROZEN) or not value.is_floating_point() or name.startswith(tuple(keep)):
                continue
            value.copy_(weight * value + (1 - weight) * start_state[name])
    return model


def train(model, groups, pads, epochs=3, lr=1e-3, batch_size=32, seed=1,
          max_steps=None, bn='frozen', weight_decay=0.0, clip=5.0, on_epoch=None, inputs=inputs):
    """groups: [(examples, weight)]; `inputs(batch, pads)` gives the model's
    arguments of a batch (v1's by default). Returns the trained model (not blended)."""
    torch.manual_seed(seed)
    params = [p for n, p in model.named_parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    steps = 0
    for epoch in range(epochs):
        set_mode(model, bn)
        plan = epoch_plan(groups, seed, epoch)
        chunks = batches(plan, batch_size, seed, epoch)
        total, t0 = 0.0, time.perf_counter()
        # linear decay to 0 over the run
        for i, batch in enumerate(chunks):
            if max_steps is not None and steps >= max_steps:
                break
            if max_steps is None:
                frac = (epoch * len(chunks) + i) / (epochs * len(chunks))
                for group in optimizer.param_groups:
                    group['lr'] = lr * (1 - frac)
            args, tag_id, pad_mask = inputs(batch, pads)
            emissions = model(*args)
            loss = model.head.crf(emissions, tag_id, ~pad_mask)
            optimizer.zero_grad()
            loss.backward()
            if clip:
                torch.nn.utils.clip_grad_norm_(params, clip)
            optimizer.step()
            total += loss.item()
            steps += 1
        log.info('epoch %d: %d batches, loss %.4f, %.1fs', epoch + 1, len(chunks),
                 total / max(1, len(chunks)), time.perf_counter() - t0)
        model.eval()
        if on_epoch is not None:
            on_epoch(epoch, model)
        if max_steps is not None and steps >= max_steps:
            break
    return model.eval()
