"""Where the model files are: the project's NER pack ships in the package
(`models/` in the repository), Natasha's embeddings and stock NER pack in
the natasha package."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from natasha.data import NEWS_EMBEDDING, NEWS_NER

PROJECT_NER = 'ner/slovnet_ner_extractor_v1.tar'


def models_dir() -> Path:
    try:
        return Path(str(resources.files('extractor.models')))
    except ModuleNotFoundError:  # running from a source tree that is not installed
        return Path(__file__).resolve().parent.parent / 'models'


def project_ner() -> Path | None:
    path = models_dir() / PROJECT_NER
    return path if path.is_file() else None


def default_ner() -> str:
    """The project's fine-tuned model when it is there, else Natasha's."""
    path = project_ner()
    return str(path) if path else NEWS_NER


def navec_path() -> str:
    return NEWS_EMBEDDING
