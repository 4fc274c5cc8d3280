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


def test_shipped_word_table_is_each_packs_own():
    """The tagger reads word ids from models/ner/*.dawg (ner/words.py), not
    from the pack: the table must ship for both packs and number every word
    as each does; a word it lacks gets the pack's <unk>."""
    from slovnet.exec.pack import Pack

    from extractor.ner import words
    for pack_path in (assets.default_ner(), assets.NEWS_NER):
        with Pack(pack_path) as pack:
            table = words.load(pack)
            own = words.pack_words(pack)
        assert table is not None, 'no word table ships for %s' % pack_path
        assert len(own) == 250_002
        assert all(table.get(word) == id for word, id in own.items())
        assert table.get('несуществующееслово') is None


def test_a_pack_with_another_word_list_gets_no_table(tmp_path):
    """A table is keyed by the pack's word list itself, not by its embeddings."""
    import gzip
    import io
    import tarfile

    from slovnet.exec.pack import Pack

    from extractor.ner import words
    other = tmp_path / 'other.tar'
    with tarfile.open(assets.default_ner()) as src, tarfile.open(other, 'w') as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == 'vocabs/word.gz':
                data = gzip.compress(gzip.decompress(data) + '\nновоеслово'.encode())
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    with Pack(str(other)) as pack:
        assert words.load(pack) is None
        assert words.pack_words(pack)['новоеслово'] == 250_002


def test_tagger_without_a_word_table_reads_the_pack(monkeypatch, extractor):
    """A pack on other embeddings (no table ships) still loads, from its own list."""
    from extractor.ner import slovnet, words
    monkeypatch.setattr(words, 'load', lambda pack: None)
    tagger = slovnet.SlovnetTagger(assets.default_ner(), slovnet.load_navec(assets.NEWS_EMBEDDING))
    assert isinstance(tagger.word_ids, dict)
    items = [['Владимир', 'Путин', 'прилетел', 'в', 'Маскат', '.'], ['Хзщфывапр', 'Газпром']]
    assert tagger(items) == extractor.recognizer.tagger(items)


def test_batches_through_the_network_change_no_tag(monkeypatch, extractor):
    """Long inputs go through the network BATCH words at a time (bounded
    arrays); the tags are those of one pass."""
    from extractor.ner import slovnet
    texts = [p.read_text(encoding='utf-8') for p in sorted(CORPUS.glob('*.txt'))]
    items = [[t.text for t in toks] for text in texts for _, toks in segment(text)]
    items.insert(3, [])
    whole = extractor.recognizer.tagger(items)
    monkeypatch.setattr(slovnet, 'BATCH', 7)     # shorter than many sentences
    assert extractor.recognizer.tagger(items) == whole
    assert extractor.recognizer.tagger([]) == []
