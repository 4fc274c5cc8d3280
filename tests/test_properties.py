"""Properties over random input (hypothesis), for the library and the CLI:
never an exception, every offset valid with text[start:end] == mention.text,
output deterministic, invisible characters change no normal form, and every
encoding of a text reads back as that text.

Profiles: `ci` (default, a couple of minutes at most) and `soak` (many more
examples): HYPOTHESIS_PROFILE=soak pytest tests/test_properties.py."""
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import assert_offsets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import textfile
from extractor.clean import COMBINING, clean

settings.register_profile('ci', max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile('soak', max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get('HYPOTHESIS_PROFILE', 'ci'))
CLI_EXAMPLES = 4 if os.environ.get('HYPOTHESIS_PROFILE', 'ci') == 'ci' else 50

SENTENCES = (Path(__file__).parent / 'data' / 'sentences.txt').read_text(encoding='utf-8').splitlines()
INVISIBLE = '\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u034f'
NOISE = INVISIBLE + '\u00a0\u2009\u202f\u3000\u0301\u0306\u2011\u2013\u2014„“”‹›‘’\x00\x1b\ufffd\n\r\u2028\u0085'
ENTITIES = ['&nbsp;', '&laquo;', '&raquo;', '&quot;', '&#171;', '&#xA0;', '&shy;', '&bogus;', '&#0;', '&']

sentence = st.sampled_from(SENTENCES)
# any code point, lone surrogates included (they reach the library through JSON lines)
any_text = st.text(st.characters(min_codepoint=0, max_codepoint=0x10ffff, blacklist_categories=()), max_size=300)


@st.composite
def spoiled(draw):
    """Real sentences with noise, entities and random characters inserted."""
    text = ' '.join(draw(st.lists(sentence, min_size=1, max_size=4)))
    for _ in range(draw(st.integers(0, 25))):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.one_of(st.sampled_from(NOISE), st.sampled_from(ENTITIES), any_text.map(lambda s: s[:5])))
        text = text[:at] + piece + text[at:]
    if draw(st.booleans()):
        text = text.upper()
    return text


@st.composite
def with_invisible(draw):
    text = ' '.join(draw(st.lists(sentence, min_size=1, max_size=3)))
    dirty = text
    for _ in range(draw(st.integers(1, 30))):
        at = draw(st.integers(0, len(dirty)))
        dirty = dirty[:at] + draw(st.sampled_from(INVISIBLE)) + dirty[at:]
    return text, dirty


def check(text, doc):
    doc.to_bytes(tokens=True)                   # every string in it can be written out
    assert doc.sentences is not None and doc.tokens is not None
    assert_offsets(text, doc)


@given(st.one_of(any_text, spoiled()))
def test_never_an_exception_and_offsets_hold(extractor, text):
    doc = extractor(text)
    check(text, doc)
    data = doc.to_bytes(tokens=True)
    assert extractor(text).to_bytes(tokens=True) == data          # deterministic


@given(any_text)
def test_clean_map_is_monotone_and_in_bounds(text):
    view = clean(text)
    previous = 0
    for i in range(len(view.text)):
        start, end = view.start(i), view.end(i + 1)
        assert previous <= start < end <= len(text)
        previous = end
    if view.starts is not None:
        # whatever vanished from the view was invisible or a mark
        kept = set()
        for i in range(len(view.text)):
            kept.update(range(view.start(i), view.end(i + 1)))
        for j in set(range(len(text))) - kept:
            assert clean(text[j]).text == ''


@given(with_invisible())
def test_invisible_characters_change_no_normal_form(extractor, pair):
    text, dirty = pair
    def normals(t):
        return sorted((e.type, m.normal) for e in extractor(t, tokens=False).entities for m in e.mentions)
    assert normals(dirty) == normals(text)


@given(st.lists(sentence, min_size=1, max_size=5).map(' '.join),
       st.sampled_from(['utf-8', 'utf-8-sig', 'utf-16', 'utf-16-le', 'utf-16-be', 'cp1251', 'koi8-r']))
def test_every_encoding_reads_back(text, encoding):
    data = text.encode(encoding, errors='replace')           # KOI8-R has no «»
    decoded, used = textfile.decode(data)
    assert decoded == data.decode(encoding), used


@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_are_rejected(data):
    try:
        text, encoding = textfile.decode(data)
    except textfile.NotText as e:
        assert str(e)
    else:
        # the text is those bytes in the encoding it names ('utf-8 (3
        # undecodable bytes replaced)': with replacement characters)
        assert text == data.decode(encoding.split(' ')[0], errors='replace'), encoding


@settings(max_examples=CLI_EXAMPLES)
@given(st.one_of(spoiled(), any_text),
       st.sampled_from(['utf-8', 'utf-8-sig', 'utf-16', 'cp1251', 'koi8-r']))
def test_cli_on_any_text_in_any_encoding(extractor, text, encoding):
    data = text.encode(encoding, errors='replace')
    out = subprocess.run([sys.executable, '-m', 'extractor', 'extract', '-'], input=data, capture_output=True, check=False)
    try:
        decoded, _ = textfile.decode(data)
    except textfile.NotText:
        assert out.returncode == 1 and b'<stdin>' in out.stderr
        return
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert_offsets(decoded, doc)
    assert doc.get('entities', []) == extractor(decoded, tokens=False).to_dict().get('entities', [])


def test_unnamed_letters_are_all_masked():
    """pymorphy3 needs unicodedata.name of every letter; those without one
    must be masked in the view (clean.UNNAMED)."""
    import unicodedata
    for cp in range(0x110000):
        c = chr(cp)
        if c.isalpha():
            try:
                unicodedata.name(c)
            except ValueError:
                assert clean(c).text == '\ufffd', hex(cp)


def test_combining_marks_never_start_a_token(extractor):
    text = COMBINING[0] + 'Маскат ' + '\u0301' * 3 + 'Оман'
    check(text, extractor(text))
