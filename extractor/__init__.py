"""extractor: people, places and organizations in Russian text, as JSON."""
from typing import TYPE_CHECKING

from .document import Document, Entity, Mention, Sentence, Token

if TYPE_CHECKING:
    from .pipeline import Extractor, extract

__version__ = '0.3.5'      # the only place the version is written (pyproject reads it)
__all__ = ['Document', 'Entity', 'Extractor', 'Mention', 'Sentence', 'Token', 'extract']


def __getattr__(name: str):
    # The pipeline (and NumPy with it) loads on first use, so that the command
    # line can set the BLAS threads before NumPy starts them (cli.run).
    if name in ('Extractor', 'extract'):
        from . import pipeline
        return getattr(pipeline, name)
    raise AttributeError('module %r has no attribute %r' % (__name__, name))
