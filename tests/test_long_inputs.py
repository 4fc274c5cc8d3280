"""Very long inputs: lines without punctuation, enormous tokens, long runs
of what slows razdel down. Offsets stay right, the network sees bounded
items, and the time stays linear (the sizes here are kept small for CI;
scripts/soak.py and the report measure megabytes)."""
import random
from itertools import pairwise

import pytest
from conftest import assert_offsets

from extractor import block
from extractor.segment import BLOCK, WINDOW, blocks, segment, sentences

WORDS = ['министр', 'иностранных', 'дел', 'Ирана', 'Аббас', 'Аракчи', 'прибыл', 'в', 'Маскат', 'на', 'переговоры', 'с', 'делегацией', 'США', 'Москва', 'Вашингтон', 'сообщил', 'корреспондент', 'портала', 'Axios']


def unpunctuated(size: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    out, n = [], 0
    while n < size:
        w = rng.choice(WORDS)
        out.append(w)
        n += len(w) + 1
    return ' '.join(out)




@pytest.mark.parametrize('text', [
    'а' * 200_000,
    ('строка\n' * 30_000),
    unpunctuated(200_000),
    'x' * (BLOCK - 1) + '\u0301' * 10 + 'y' * BLOCK,
], ids=['token', 'lines', 'words', 'combining-at-cut'])
def test_blocks_cover_the_text_within_bounds(text):
    pieces = list(blocks(text))
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    for (_, b), (c, _) in pairwise(pieces):
        assert b == c
    assert all(0 < b - a <= BLOCK for a, b in pieces)
    for _, b in pieces[:-1]:
        assert not '\u0300' <= text[b] <= '\u036f'       # a mark stays with its letter


def test_blocks_prefer_line_breaks():
    text = ('абв ' * 50 + '\n') * 2000
    for _, end in list(blocks(text))[:-1]:
        assert text[end - 1] == '\n'


def test_a_line_without_breaks_is_cut_at_sentence_ends(extractor):
    """A text of one long line is cut where a sentence ends, never inside a
    name: «Владимир Путин» stays one mention in every block."""
    text = 'Президент Владимир Путин провел совещание в Кремле. ' * 3000
    for _, end in list(blocks(text))[:-1]:
        assert text[end - 2:end] == '. '
    people = [e for e in extractor(text).entities if e.type == 'PER']
    assert [e.normal for e in people] == ['Владимир Путин']
    assert all(m.text == 'Владимир Путин' for m in people[0].mentions)


def test_long_line_keeps_razdel_sentences():
    from razdel import sentenize
    text = ' '.join('Предложение номер %d о переговорах в Маскате.' % i for i in range(400))
    assert len(text) > 3 * WINDOW
    assert [(s.start, s.end) for s in sentences(text)] == [(s.start, s.stop) for s in sentenize(text)]


@pytest.fixture
def razdel_work(monkeypatch):
    """razdel's work, counted rather than timed (a wall-clock ratio fails on
    a loaded machine): the characters handed to its segmenters, plus the
    length of the buffer at each join, which is what it copies and scans
    there and what grows quadratically on a long run of joined parts."""
    from razdel.segmenters.base import Segmenter
    count = [0]
    call, join = Segmenter.__call__, Segmenter.join

    def counted_call(self, text):
        count[0] += len(text)
        return call(self, text)

    def counted_join(self, split):
        count[0] += len(split.buffer)
        return join(self, split)

    monkeypatch.setattr(Segmenter, '__call__', counted_call)
    monkeypatch.setattr(Segmenter, 'join', counted_join)
    return count


@pytest.mark.parametrize('unit', ['"а" ', '.....', '1.1.', '!?', 'т. е. ', 'а\u0301'])
def test_long_runs_segment_in_linear_time(unit, razdel_work):
    def cost(size):
        text = unit * (size // len(unit))
        razdel_work[0] = 0
        for sent, toks in segment(text):
            assert text[sent.start:sent.end] == sent.text
            assert all(sent.start <= tok.start < tok.end <= sent.end for tok in toks)
        return razdel_work[0]
    small, big = cost(10_000), cost(80_000)
    assert small > 10_000                   # the counter sees razdel's work at all
    # 8x the text: linear is ~9x here; the whole run given to razdel is 64x.
    assert big < 16 * small


def test_network_sees_bounded_items(extractor, monkeypatch):
    seen = []
    original = extractor.recognizer

    def recording(items):
        seen.extend(len(item) for item in items)
        return original(items)
    monkeypatch.setattr(extractor, 'recognizer', recording)
    text = unpunctuated(100_000)
    doc = extractor(text, tokens=False)
    assert seen and max(seen) <= block.MAX_ITEM
    assert_offsets(text, doc)
    assert doc.entities


def test_huge_token_and_huge_line(extractor):
    text = 'Аббас Аракчи прибыл в Маскат.\n' + 'ж' * 100_000 + ' Иран\n' + unpunctuated(150_000, 1) + '\nКонец.'
    doc = extractor(text)
    assert_offsets(text, doc)
    assert text[doc.tokens[-1].start:doc.tokens[-1].end] == '.'
    first = {m.normal for e in doc.entities for m in e.mentions if m.sentence == 0}
    assert first == {'Аббас Аракчи', 'Маскат'}


def test_mentions_across_blocks_keep_offsets(extractor):
    paragraph = 'Министр иностранных дел Ирана Аббас&nbsp;Аракчи прибыл в Ма\u0301скат.\n'
    text = paragraph * (3 * BLOCK // len(paragraph))
    doc = extractor(text, tokens=False)
    assert_offsets(text, doc)
    muscat = [e for e in doc.entities if e.normal == 'Маскат']
    assert muscat and len(muscat[0].mentions) == text.count('Ма\u0301скат')
    sentences_seen = sorted({m.sentence for e in doc.entities for m in e.mentions})
    assert sentences_seen[-1] == text.count('\n') - 1
