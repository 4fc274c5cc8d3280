"""The project's NumPy forward pass (ner/slovnet.py) gives slovnet's own tags."""
from pathlib import Path

from extractor import assets
from extractor.segment import segment

CORPUS = Path(__file__).resolve().parent.parent / 'corpus' / 'texts'


def slovnet_tags(items: list[list[str]]) -> list[list[str]]:
    from navec import Navec
    from slovnet import NER
    api = NER.load(assets.default_ner())
    api.navec(Navec.load(assets.NEWS_EMBEDDING))
    infer = api.infer
    return [list(tags) for tags in infer.decoder(infer.process(infer.encoder(items)))]


def test_tags_equal_slovnets(extractor):
    texts = [p.read_text(encoding='utf-8') for p in sorted(CORPUS.glob('*.txt'))]
    items = [[t.text for t in toks] for text in texts for _, toks in segment(text)]
    items += [['Путин'], ['В', 'Москве', 'и', 'Санкт-Петербурге'], ['«', 'Газпром', '»', '.']]
    assert len(items) > 20
    ours = extractor.recognizer.tagger(items)
    assert ours == slovnet_tags(items)
    # and a sentence's tags do not depend on the sentences beside it
    assert [extractor.recognizer.tagger([item])[0] for item in items] == ours
    # an empty sentence among others has no tags (slovnet itself pads it with some)
    assert extractor.recognizer.tagger([items[0], [], items[1]]) == [ours[0], [], ours[1]]
