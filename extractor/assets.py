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


NATASHA_FILES = {
    'NEWS_NER': ('model', 'slovnet_ner_news_v1.tar'),
    'NEWS_EMBEDDING': ('emb', 'navec_news_v1_1B_250K_300d_100q.tar'),
}


def natasha_data() -> Path:
    """natasha's model folder, found without importing natasha (slow)."""
    spec = find_spec('natasha')
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "natasha is not installed, and extractor needs its embeddings and models: "
            "pip install 'natasha>=1.6,<1.7' (or reinstall extractor)", name='natasha')
    path = Path(spec.submodule_search_locations[0]) / 'data'
    if not path.is_dir():
        raise FileNotFoundError('natasha is installed without its data folder %s: '
                                'reinstall it (pip install --force-reinstall natasha)' % path)
    return path


def __getattr__(name: str) -> str:
    # NEWS_NER and NEWS_EMBEDDING are looked up when used, not at import, so
    # that a missing natasha is reported by what needs it, in natasha_data().
    if name in NATASHA_FILES:
        return str(natasha_data().joinpath(*NATASHA_FILES[name]))
    raise AttributeError('module %r has no attribute %r' % (__name__, name))


def default_ner() -> str:
    """The project's fine-tuned model when it is there, else Natasha's."""
    path = project_ner()
    return str(path) if path else __getattr__('NEWS_NER')

