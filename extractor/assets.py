"""Where the model files are: the project's NER pack ships in the package
(`models/` in the repository), Natasha's embeddings and stock NER pack in
the natasha package."""
from __future__ import annotations

from importlib import resources
from importlib.util import find_spec
from pathlib import Path

PROJECT_NER = 'ner/slovnet_ner_extractor_v1.tar'


def models_dir() -> Path:
    try:
        return Path(str(resources.files('extractor.models')))
    except ModuleNotFoundError:  # running from a source tree that is not installed
        return Path(__file__).resolve().parent.parent / 'models'


def project_ner() -> Path | None:
    path = models_dir() / PROJECT_NER
    return path if path.is_file() else None


def natasha_data() -> Path:
    """natasha's model folder, found without importing natasha (slow)."""
    spec = find_spec('natasha')
    return Path(spec.submodule_search_locations[0]) / 'data'


NEWS_NER = str(natasha_data() / 'model' / 'slovnet_ner_news_v1.tar')
NEWS_EMBEDDING = str(natasha_data() / 'emb' / 'navec_news_v1_1B_250K_300d_100q.tar')


def default_ner() -> str:
    """The project's fine-tuned model when it is there, else Natasha's."""
    path = project_ner()
    return str(path) if path else NEWS_NER

