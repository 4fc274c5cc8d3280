"""The word → id table of a navec vocabulary, as a DAWG file in models/ner/.

A slovnet pack keeps its words as a gzipped list, and turning its 250 000
words into a dict took 80 ms, a third of the start-up (and of every worker's
wait before its first file). The same table as an IntDAWG loads in under a
millisecond and looks a word up as fast as the dict.

The table belongs to the embeddings, not to one pack: every pack built on
navec `news_v1` (Natasha's and the project's) numbers its words as navec
does, so one file serves both; tests check it against each.

    python scripts/build_tables.py    # writes models/ner/navec_<id>_words.dawg
"""
from __future__ import annotations

from pathlib import Path

import dawg
from slovnet.const import WORD
from slovnet.exec.model import NER as NERModel
from slovnet.exec.pack import Pack

from .. import assets

FILE = 'ner/navec_%s_words.dawg'


def table_path(embedding_id: str) -> Path:
    return assets.models_dir() / (FILE % embedding_id)


def load(embedding_id: str) -> dawg.IntDAWG | None:
    """The table of these embeddings, or None when none ships."""
    path = table_path(embedding_id)
    return dawg.IntDAWG().load(str(path)) if path.is_file() else None


def pack_words(pack: Pack) -> dict[str, int]:
    """The pack's own table (slowly): word → id, as slovnet's Vocab makes it."""
    return pack.load_vocab(WORD).item_ids


def write(pack_path: str) -> Path:
    """Writes the table of the pack's embeddings into models/ner/."""
    with Pack(pack_path) as pack:
        embedding_id = pack.load_model(NERModel).emb.word.id
        table = dawg.IntDAWG(pack_words(pack).items())
    path = table_path(embedding_id)
    table.save(str(path))
    return path
