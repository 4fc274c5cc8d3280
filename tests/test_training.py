"""Readers of annotated corpora, and a smoke test of NER training.

The training tests need PyTorch (the optional extra ``train``) and are
skipped without it."""
import json
import os
from pathlib import Path

import pytest

from extractor.corpora import (
    READERS,
    GoldDoc,
    GoldSpan,
    read_brat,
    read_bsnlp,
    read_factru,
    read_jsonl,
)

DATA = os.path.join(os.path.dirname(__file__), 'data', 'training')


def texts(doc):
    return [(doc.text[s.start:s.end], s.type) for s in doc.spans]


# --- readers ----------------------------------------------------------------

def test_readers_registry():
    assert set(READERS) == {'factru', 'bsnlp', 'brat', 'jsonl'}


def test_read_factru_reference_mapping():
    docs = list(read_factru(os.path.join(DATA, 'factru')))
    assert [d.id for d in docs] == ['doc_1']
    assert texts(docs[0]) == [
        ('МИД', 'ORG'), ('Литвы', 'LOC'), ('Линас Линкявичюс', 'PER'),
        ('Москву', 'LOC'), ('Конгресс', 'ORG'), ('США', 'LOC'),
    ]


def test_read_factru_org_places_outer():
    doc, = read_factru(os.path.join(DATA, 'factru'), org_places=True)
    assert texts(doc) == [
        ('МИД Литвы', 'ORG'), ('Линас Линкявичюс', 'PER'),
        ('Москву', 'LOC'), ('Конгресс США', 'ORG'),
    ]


def test_read_bsnlp():
    doc, = read_bsnlp(os.path.join(DATA, 'bsnlp'))
    assert doc.id == 'topic__ru_1'
    assert texts(doc) == [('Тереза Мэй', 'PER'), ('Британия', 'LOC'),
                          ('Евросоюз', 'ORG'), ('Брюсселе', 'LOC')]  # EVT dropped
    last = doc.spans[-1]
    assert (last.normal, last.entity) == ('Брюссель', 'GPE-Brussels')


def test_read_brat_nerel_outer():
    doc, = read_brat(os.path.join(DATA, 'brat'))
    assert doc.id == '100_text'
    assert texts(doc) == [('Армении', 'LOC'), ('Ара Айвазян', 'PER'),
                          ('правительства Армении', 'ORG'), ('Ереване', 'LOC')]
    assert doc.spans[1].entity == 'Wikidata:Q123'


def test_read_brat_custom_types():
    doc, = read_brat(os.path.join(DATA, 'brat'), types={'PROFESSION': 'PER'})
    assert texts(doc) == [('Посол Армении', 'PER')]


def test_read_jsonl():
    docs = list(read_jsonl(os.path.join(DATA, 'tiny.jsonl')))
    assert len(docs) == 6
    assert isinstance(docs[0], GoldDoc) and isinstance(docs[0].spans[0], GoldSpan)
    assert texts(docs[1]) == [('МИД Литвы', 'ORG'), ('Газпром', 'ORG'), ('Вильнюсе', 'LOC')]


def test_read_jsonl_drops_other_types(tmp_path):
    path = tmp_path / 'x.jsonl'
    row = {'id': 'a', 'text': 'Путин в Кремле.', 'entities': [
        {'start': 0, 'end': 5, 'type': 'PER', 'normal': 'Путин'},
        {'start': 8, 'end': 14, 'type': 'FAC'}]}
    path.write_text(json.dumps(row, ensure_ascii=False) + '\n\n', encoding='utf-8')
    doc, = read_jsonl(str(path))
    assert texts(doc) == [('Путин', 'PER')] and doc.spans[0].normal == 'Путин'


def test_readers_are_generators():
    import types
    assert isinstance(read_factru(os.path.join(DATA, 'factru')), types.GeneratorType)
    assert isinstance(read_jsonl(os.path.join(DATA, 'tiny.jsonl')), types.GeneratorType)


# --- training data --------------------------------------------------------

def test_bio_tags_and_lower_case_drop():
    from extractor.training.data import doc_chunks
    doc, = read_brat(os.path.join(DATA, 'brat'))
    (tokens, tags), = doc_chunks(doc)
    tagged = [(t.text, g) for t, g in zip(tokens, tags) if g != 'O']
    assert tagged == [('Армении', 'B-LOC'), ('Ара', 'B-PER'), ('Айвазян', 'I-PER'),
                      ('правительства', 'B-ORG'), ('Армении', 'I-ORG'), ('Ереване', 'B-LOC')]
    (tokens, tags), = doc_chunks(doc, lower_case=False)
    assert 'B-ORG' not in tags


# --- training (needs torch) -----------------------------------------------

@pytest.fixture(scope='module')
def navec():
    from natasha import NewsEmbedding
    return NewsEmbedding()


def test_roundtrip_export_is_exact(tmp_path, navec):
    pytest.importorskip('torch', reason='training needs PyTorch (extra "train")')
    import numpy as np
    from natasha.data import NEWS_NER
    from slovnet.exec.model import NER as ExecNER
    from slovnet.exec.pack import Pack

    from extractor.training.pack import Source, export, load_torch

    source = Source(NEWS_NER)
    out = str(tmp_path / 'same.tar')
    export(load_torch(source, navec), source, out, 'same')

    def arrays(path):
        with Pack(path) as pack:
            model = pack.load_model(ExecNER)
            return pack.read('model.json'), dict(pack.load_arrays(model.weights))

    (ja, a), (jb, b) = arrays(NEWS_NER), arrays(out)
    assert ja == jb
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_train_smoke(tmp_path, navec):
    pytest.importorskip('torch', reason='training needs PyTorch (extra "train")')
    from slovnet import NER

    from extractor.training.cli import main

    out = str(tmp_path / 'ner.tar')
    argv = ['--data', 'jsonl:' + os.path.join(DATA, 'tiny.jsonl'), '--epochs', '1',
            '--max-steps', '3', '--batch-size', '2', '--seed', '3', '-q', '-o', out]
    assert main(argv) == 0
    assert os.path.getsize(out) < 30 * 2 ** 20

    ner = NER.load(out).navec(navec)
    markup = ner('Сергей Лавров встретился с главой МИД Литвы в Москве.')
    assert {s.type for s in markup.spans} <= {'PER', 'LOC', 'ORG'}
    assert ('Сергей Лавров', 'PER') in [(markup.text[s.start:s.stop], s.type) for s in markup.spans]

    # deterministic for a seed
    again = str(tmp_path / 'again.tar')
    assert main(argv[:-1] + [again]) == 0
    assert Path(out).read_bytes() == Path(again).read_bytes()


def test_train_dev_scores_go_through_the_pipeline(tmp_path, caplog):
    pytest.importorskip('torch', reason='training needs PyTorch (extra "train")')
    import logging

    from extractor.training.cli import main

    tiny = os.path.join(DATA, 'tiny.jsonl')
    with caplog.at_level(logging.INFO):
        assert main(['--data', 'jsonl:' + tiny, '--dev', 'jsonl:' + tiny, '--epochs', '1',
                     '--max-steps', '2', '-o', str(tmp_path / 'ner.tar')]) == 0
    scores = [r.getMessage() for r in caplog.records if 'dev jsonl:' in r.getMessage()]
    assert len(scores) == 1 and 'span_micro=' in scores[0]
    assert float(scores[0].split('tok_PER=')[1].split()[0]) > 0.5


# --- v2 network (needs torch) ----------------------------------------------

V2_ITEMS = [['Сергей', 'Лавров', 'встретился', 'с', 'главой', 'МИД', 'Литвы', 'Линасом', 'Линкявичюсом',
             'в', 'Москве', '.'],
            ['Путин'], ['В', 'Вильнюсе'], ['«', 'Газпром', '»', '.'], ['Ааааабвгдейка', 'заявила', 'это']]


def v2_model(navec, dilation):
    """A v2 network on the shipped trunk, its extra weights random (not the
    near-zero start): every part of the forward pass counts."""
    import torch

    from extractor import assets
    from extractor.training import v2
    from extractor.training.data import Example
    from extractor.training.pack import Source, load_torch
    torch.manual_seed(0)
    source = Source(str(assets.default_ner()))
    examples = [Example(words, [], [], []) for words in V2_ITEMS[:3]]     # the last two: unknown suffixes
    model = v2.build(load_torch(source, navec), [(examples, 1)], v2.Config(min_count=1, dilation=dilation))
    with torch.no_grad():
        for weight in (model.suffix_conv.weight, model.wide.weight, model.wide.bias):
            weight.normal_(0, 0.05)
    return source, model.eval()


@pytest.mark.parametrize('dilation', [2, 3])
def test_v2_numpy_forward_equals_torch(tmp_path, navec, dilation):
    """extractor.ner.slovnet runs a v2 pack as the torch network does: each
    sentence alone, and in a padded batch (no neighbour across a sentence or
    into the padding, the dilated layer's either)."""
    pytest.importorskip('torch', reason='training needs PyTorch (extra "train")')
    import numpy as np
    import torch

    from extractor import assets
    from extractor.ner.slovnet import SlovnetTagger, load_navec
    from extractor.training import v2
    from extractor.training.pack import export

    source, model = v2_model(navec, dilation)
    path = str(tmp_path / 'v2.tar')
    export(model.trunk, source, path, 'v2-test', v2.members(model))
    tagger = SlovnetTagger(path, load_navec(assets.NEWS_EMBEDDING))
    assert tagger.wide is not None and tagger.wide.dilation == dilation
    ours, starts = tagger.emissions(V2_ITEMS)

    ids = [np.array([tagger.encode(w) for w in item]) for item in V2_ITEMS]
    assert [row[2] for row in ids[-1]] == [1, 1, 1]          # unknown suffixes
    longest = max(len(item) for item in V2_ITEMS)
    pads = {'word': source.vocabs['word'].pad_id, 'shape': source.vocabs['shape'].pad_id}
    batch = np.zeros((len(ids), longest, 3), np.int64)
    batch[:, :, 0], batch[:, :, 1] = pads['word'], pads['shape']
    for i, rows in enumerate(ids):
        batch[i, :len(rows)] = rows
    tensor = torch.from_numpy(batch)
    with torch.no_grad():
        padded = model(tensor[..., 0], tensor[..., 1], tensor[..., 2], tensor[..., 0] == pads['word']).numpy()
        for i, (item, start) in enumerate(zip(V2_ITEMS, starts)):
            alone = torch.from_numpy(ids[i][None])
            theirs = model(alone[..., 0], alone[..., 1], alone[..., 2]).numpy()[0]
            mine = ours[start:start + len(item)]
            assert np.allclose(mine, theirs, rtol=1e-5, atol=1e-4), item
            assert np.allclose(padded[i, :len(item)], theirs, rtol=1e-5, atol=1e-4), item
    # the per-word cache (the suffix part of a known word's row kept with it) changes nothing,
    # nor does its emptying when full
    small = SlovnetTagger(path, load_navec(assets.NEWS_EMBEDDING), cache_words=16)
    for _ in range(2):
        for item, start in zip(V2_ITEMS, starts):
            assert np.allclose(small.emissions([item])[0], ours[start:start + len(item)], atol=1e-5)
    assert small.cached <= 16
    assert np.allclose(tagger.emissions(V2_ITEMS)[0], ours, atol=1e-5)
    # and the extra layers matter: the trunk alone gives other scores
    trunk = SlovnetTagger(str(assets.default_ner()), load_navec(assets.NEWS_EMBEDDING)).emissions(V2_ITEMS)[0]
    assert not np.allclose(trunk, ours, atol=1e-2)


def test_train_smoke_v2(tmp_path):
    pytest.importorskip('torch', reason='training needs PyTorch (extra "train")')
    import json
    import tarfile

    from extractor import Extractor
    from extractor.training.cli import main

    out = str(tmp_path / 'ner.tar')
    argv = ['--arch', 'v2', '--data', 'jsonl:' + os.path.join(DATA, 'tiny.jsonl'), '--epochs', '1',
            '--max-steps', '3', '--batch-size', '2', '--seed', '3', '--suffix-min-count', '1', '-q', '-o', out]
    assert main(argv) == 0
    assert os.path.getsize(out) < 30 * 2 ** 20
    with tarfile.open(out) as tar:
        config = json.load(tar.extractfile('v2.json'))
        assert json.load(tar.extractfile('meta.json'))['id'] == 'slovnet_ner_extractor_v2'
    assert config['suffixes'][:2] == ['<pad>', '<unk>'] and len(config['suffixes']) > 10
    assert (config['suffix_size'], config['dilation']) == (3, 2)

    extractor = Extractor(ner_model=out)
    assert extractor.recognizer.tagger.wide is not None
    doc = extractor('Сергей Лавров встретился с главой МИД Литвы в Москве.')
    assert ('Сергей Лавров', 'PER') in [(e.mentions[0].text, e.type) for e in doc.entities]

    # deterministic for a seed
    again = str(tmp_path / 'again.tar')
    assert main(argv[:-1] + [again]) == 0
    assert Path(out).read_bytes() == Path(again).read_bytes()
