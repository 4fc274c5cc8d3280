"""extractor: people, places and organizations in Russian text, as JSON."""
from .document import Document, Entity, Mention, Sentence, Token
from .pipeline import Extractor, extract

__version__ = '0.1.0'
__all__ = ['Document', 'Entity', 'Extractor', 'Mention', 'Sentence', 'Token', 'extract']
