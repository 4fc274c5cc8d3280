"""The project's tokenizer is razdel's, rewritten for speed: the same tokens
as razdel.tokenize on every sentence of the shared corpora and on random text
made of the characters its rules look at."""
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from razdel import tokenize

from extractor.segment import sentences, token_bounds

SENTENCES = (os.path.join(os.path.dirname(__file__), 'data', 'sentences.txt'))
# the characters razdel's join rules read: dashes, marks of numbers, sentence
# ends, smileys, underscores, letters of three scripts, digits, spaces
ALPHABET = 'аяёЖ' + 'azQ' + '0179' + '‑–—−-_.,/\\?!…:;=()*"«»' + 'ΔσЖβ' + '  \t' + 'yahoYAHO'


def razdel_bounds(text: str) -> list[tuple[int, int]]:
    return [(t.start, t.stop) for t in tokenize(text)]


def test_tricky_tokens_as_razdel():
    for text in ['yahoo!', 'Yahoo!!', ':-) :(( ;-)))', 'a-b - c -d e- f', '1.5 1,5 1/2 1\\2 a_b _a a_',
                 '...?! ?!.. --- *** -- **', 'ΔP Δσ mβж', 'abc- -abc 3.-4 ёлки-палки x-1 1-x .-,',
                 '=) :-)))) :)', 'т.е. 5-го 1._2 a--b —Да a‑b a…?', '']:
        assert token_bounds(text) == razdel_bounds(text), text


@pytest.mark.shared
def test_real_sentences_as_razdel(shared):
    count = 0
    for path in sorted(shared.rglob('*.txt'))[:400]:
        for sentence in sentences(path.read_text(encoding='utf-8')):
            assert token_bounds(sentence.text) == razdel_bounds(sentence.text), sentence.text
            count += 1
    assert count > 3000


with open(SENTENCES, encoding='utf-8') as f:
    SAMPLE = f.read().splitlines()


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(ALPHABET), max_size=40) | st.sampled_from(SAMPLE))
def test_random_text_as_razdel(text):
    assert token_bounds(text) == razdel_bounds(text)
