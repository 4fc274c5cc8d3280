"""slovnet NER exec pack (the NumPy format of ``slovnet.NER.load``) ↔ the
torch modules of ``slovnet.model`` that it was exported from.

``load_torch`` rebuilds the torch network from a pack's arrays; ``export``
writes a torch network back into a pack of the same format (navec
embeddings left out, word/shape/tag vocabs copied byte for byte).
"""
import warnings

import numpy as np
import torch
from slovnet.const import PAD, SHAPE, TAG, WORD
from slovnet.exec.model import NER as ExecNER
from slovnet.exec.pack import DumpPack, Meta, Pack, vocab_name
from slovnet.model.emb import Embedding, NavecEmbedding
from slovnet.model.tag import NER, NERHead, TagEmbedding, TagEncoder

VOCABS = (WORD, SHAPE, TAG)


class Source:
    """What a pack holds: the exec model with arrays, vocabs (parsed and
    raw bytes), meta."""

    def __init__(self, path):
        with Pack(path) as pack:
            self.meta = pack.load_meta()
            self.meta.check_protocol()
            model = pack.load_model(ExecNER)
            arrays = dict(pack.load_arrays(model.weights))
            self.vocabs = {name: pack.load_vocab(name) for name in VOCABS}
            self.vocab_bytes = {name: pack.read(vocab_name(name)) for name in VOCABS}
        self.exec = model.inject_arrays(arrays)


def _tensor(weight):
    return torch.from_numpy(np.array(weight.array, dtype=np.float32))


def load_torch(source, navec):
    """Torch NER with the pack's weights; navec stays frozen (a buffer-like
    parameter with requires_grad=False)."""
    ex = source.exec
    shapes = source.vocabs[SHAPE]
    shape_weight = _tensor(ex.emb.shape.weight)
    with warnings.catch_warnings():
        # navec's arrays are read-only; they are never written (frozen)
        warnings.filterwarnings('ignore', message='The given NumPy array is not writable')
        word = NavecEmbedding(navec)
    if word.id != ex.emb.word.id:
        raise ValueError('pack wants navec %r, got %r' % (ex.emb.word.id, word.id))
    shape = Embedding(shape_weight.shape[0], shape_weight.shape[1], shapes.pad_id)
    emb = TagEmbedding(word, shape)
    layers = ex.encoder.layers
    dims = [layer.conv.weight.shape[0] for layer in layers]
    kernel = layers[0].conv.weight.shape[2]
    encoder = TagEncoder(emb.dim, dims, kernel)
    tags_num = ex.head.proj.weight.shape[1]
    head = NERHead(encoder.dim, tags_num)
    model = NER(emb, encoder, head)

    with torch.no_grad():
        shape.weight.copy_(shape_weight)
        for layer, src in zip(encoder.layers, layers):
            layer.conv.weight.copy_(_tensor(src.conv.weight))
            layer.conv.bias.copy_(_tensor(src.conv.bias))
            if layer.conv.padding[0] != src.conv.padding:
                raise ValueError('padding mismatch')
            norm = layer.norm
            norm.weight.copy_(_tensor(src.norm.weight))
            norm.bias.copy_(_tensor(src.norm.bias))
            norm.running_mean.copy_(_tensor(src.norm.mean))
            std = np.asarray(src.norm.std.array, dtype=np.float64)
            norm.running_var.copy_(torch.from_numpy(std ** 2 - norm.eps).float())
        head.proj.weight.copy_(_tensor(ex.head.proj.weight).t())
        head.proj.bias.copy_(_tensor(ex.head.proj.bias))
        head.crf.transitions.copy_(_tensor(ex.head.crf.transitions))
    return model


def to_exec(model):
    """Torch NER → exec NER (navec stripped). slovnet's own ExecVisitor,
    except the batch-norm std is computed in float64 so that a pack loaded
    and exported unchanged gets its std back to the last bit."""
    ex = model.to_exec()
    for layer, norm in zip(ex.encoder.layers, model.encoder.layers):
        var = norm.norm.running_var.detach().double().numpy()
        std = np.sqrt(var + norm.norm.eps).astype(np.float32)
        layer.norm.std = layer.norm.std.replace(array=std)
    return ex.strip_navec()


def export(model, source, path, id, extra=None):
    """Write ``model`` as a slovnet NER pack at ``path`` with meta ``id``;
    ``extra``: more members, name → bytes (a v2 pack's)."""
    model = model.eval()
    arrays, scheme = to_exec(model).separate_arrays()
    with DumpPack(path) as pack:
        pack.dump_meta(Meta(id))
        pack.dump_model(scheme)
        pack.dump_arrays(arrays)
        for name in VOCABS:
            pack.write(source.vocab_bytes[name], vocab_name(name))
        for name, data in (extra or {}).items():
            pack.write(data, name)
    return path


def pad_id(source, name=WORD):
    vocab = source.vocabs[name]
    return vocab.item_ids.get(PAD, vocab.pad_id)
