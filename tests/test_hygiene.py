"""Text as it comes: invisible characters, stress marks, odd spaces, HTML
entity leftovers, look-alike letters and all capitals neither break
entities nor shift offsets; inputs that are not text fail with the reason."""
import json
import subprocess
import sys

import pytest
from conftest import assert_offsets

from extractor import textfile
from extractor.batch import run
from extractor.clean import clean

# (text, [(type, normal form)] that must be found)
DIRTY = [
    ('В столице Омана Ма\u0301скате завершился первый раунд переговоров.', [('LOC', 'Маскат'), ('LOC', 'Оман')]),
    ('Министр иностранных дел Ирана Аббас Аракчи\u0301 прибыл в Мас\u00adкат.',
     [('PER', 'Аббас Аракчи'), ('LOC', 'Маскат'), ('LOC', 'Иран')]),
    ('Министр&nbsp;иностранных дел Ирана Аббас&nbsp;Аракчи прибыл в&nbsp;Маскат.',
     [('PER', 'Аббас Аракчи'), ('LOC', 'Маскат')]),
    ('Делегации США и&#160;Ирана встретились в&#xA0;Омане.', [('LOC', 'США'), ('LOC', 'Иран'), ('LOC', 'Оман')]),
    ('Пре\u200bзидент Ро\u200dссии Влади\u2060мир Путин\ufeff посетил Нью\u2011Йорк.',
     [('LOC', 'Россия'), ('PER', 'Владимир Путин'), ('LOC', 'Нью-Йорк')]),
    ('Мэр Mосквы Сергей Coбянин встретился с журналистами Reuters.',
     [('LOC', 'Москва'), ('PER', 'Сергей Собянин'), ('ORG', 'Reuters')]),
    ('Президент\u00a0России\u2009Владимир\u202fПутин прилетел в Пекин.',
     [('LOC', 'Россия'), ('PER', 'Владимир Путин'), ('LOC', 'Пекин')]),
    ('Сергеи\u0306 Лавров встретился с Аракчи в Маскате.', [('PER', 'Сергей Лавров'), ('LOC', 'Маскат')]),
]

SHOUTING = [
    ('МИНИСТР ИНОСТРАННЫХ ДЕЛ ИРАНА АББАС АРАКЧИ ПРИБЫЛ В МАСКАТ НА ПЕРЕГОВОРЫ С США',
     [('LOC', 'Иран'), ('PER', 'Аббас Аракчи'), ('LOC', 'Маскат'), ('LOC', 'США')]),
    ('ЗАЯВЛЕНИЕ МИД РОССИИ ПО ИТОГАМ ВСТРЕЧИ В НЬЮ-ЙОРКЕ',
     [('ORG', 'МИД России'), ('LOC', 'Россия'), ('LOC', 'Нью-Йорк')]),
    # names the dictionary does not know, and a surname it knows as a common noun («макрон»)
    ('ГОССЕКРЕТАРЬ США МАРКО РУБИО ВСТРЕТИЛСЯ С МИНИСТРОМ ФИНАНСОВ АНТОНОМ СИЛУАНОВЫМ',
     [('LOC', 'США'), ('PER', 'Марко Рубио'), ('PER', 'Антон Силуанов')]),
    ('ПРЕЗИДЕНТ ФРАНЦИИ ЭММАНУЭЛЬ МАКРОН ПРИБЫЛ В ПЕКИН. МАКРОН ОБСУДИТ ТОРГОВЛЮ С СИ ЦЗИНЬПИНОМ',
     [('LOC', 'Франция'), ('PER', 'Эммануэль Макрон'), ('PER', 'Макрон'), ('LOC', 'Пекин'),
      ('PER', 'Си Цзиньпин')]),
    # an abbreviation the dictionary does not know stays one
    ('ВЛАСТИ СУАР ОБЪЯВИЛИ КАРАНТИН', [('LOC', 'СУАР')]),
    # ... as does one pymorphy3 reads as an unknown word (a new-user trial)
    ('ЦСКА ОБЫГРАЛ СКА В ПРИНЦИПИАЛЬНОМ МАТЧЕ КХЛ', [('ORG', 'КХЛ')]),
]




def found(doc):
    return {(e.type, m.normal) for e in doc.entities for m in e.mentions}


@pytest.mark.parametrize('text,expected', DIRTY + SHOUTING, ids=lambda x: x[:30] if isinstance(x, str) else '')
def test_dirty_text_keeps_its_entities(extractor, text, expected):
    doc = extractor(text)
    assert_offsets(text, doc)
    missing = set(expected) - found(doc)
    assert not missing, 'missing %s; found %s' % (missing, found(doc))


def test_mention_text_is_the_original_slice(extractor):
    text = 'Глава МИД Ирана Аббас Аракчи\u0301 прилетел в Ма\u0301скат&nbsp;вчера.'
    doc = extractor(text)
    texts = {m.text for e in doc.entities for m in e.mentions}
    assert 'Аббас Аракчи\u0301' in texts          # the stress mark stays with its letter
    assert 'Ма\u0301скат' in texts


def test_clean_text_gets_an_identity_view():
    view = clean('Обычный текст без всяких сюрпризов, «кавычки» — и тире.')
    assert view.starts is None and view.start(5) == 5 and view.end(5) == 5


@pytest.mark.parametrize('text,analysed', [
    ('Мас\u00adкат', 'Маскат'),
    ('а\u200bб\u200cв\u200dг\u2060д\ufeffе', 'абвгде'),
    ('Ма\u0301скат', 'Маскат'),
    ('и\u0306од е\u0308ж', 'йод ёж'),
    ('а\u00a0б\u2009в\u202fг', 'а б в г'),
    ('&laquo;Оман&raquo;&nbsp;&#171;&#xAB;&amp;&bogus;', '«Оман» ««&&bogus;'),
    ('Нью\u2011Йорк „Оман“ ‹Иран›', 'Нью-Йорк "Оман" «Иран»'),
    ('Mосква Coбянин Axios Reutеrs CCCP', 'Москва Собянин Axios Reuters CCCP'),
    ('a\ud800b\x00c', 'a\nb c'),
])
def test_clean_view_and_map(text, analysed):
    view = clean(text)
    assert view.text == analysed
    previous = 0
    for i in range(len(view.text)):
        start, end = view.start(i), view.end(i + 1)
        assert previous <= start < end <= len(text)
        previous = end


def test_lone_surrogates_end_up_in_no_output(extractor):
    text = 'Бавария\udef9Мюнхен и Бавария\udef9 Мюнхен посетил Аббас\ud800 Аракчи.'
    doc = extractor(text)
    assert_offsets(text, doc)
    doc.to_bytes(tokens=True)                   # would raise on a surrogate


def test_entity_maps_to_its_whole_extent():
    text = 'а&nbsp;б'
    view = clean(text)
    assert view.text == 'а б'
    assert (view.start(1), view.end(2)) == (1, 7)


# --- inputs that are not text ------------------------------------------

NOT_TEXT = {
    'binary.txt': bytes(range(256)) * 20,
    'png.txt': b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' + bytes(4000),
    'nul.txt': 'Текст'.encode('cp1251') + b'\x00\x01\x02\x03' * 200,
}


@pytest.mark.parametrize('name', sorted(NOT_TEXT))
def test_not_text_is_rejected_with_the_reason(name):
    with pytest.raises(textfile.NotText) as e:
        textfile.decode(NOT_TEXT[name])
    assert str(e.value)


def test_partly_undecodable_utf8_is_read_with_replacements(extractor):
    data = 'Аббас Аракчи прибыл в Маскат. '.encode() * 5 + b'\xff\xfe\xc3' + 'Иран.'.encode()
    text, encoding = textfile.decode(data)
    assert 'replaced' in encoding and '\ufffd' in text
    assert_offsets(text, extractor(text))


def test_utf16_with_a_nul_inside_decodes():
    text, encoding = textfile.decode('Маскат\x00 Оман'.encode('utf-16'))
    assert (text, encoding) == ('Маскат\x00 Оман', 'utf-16')


def test_batch_names_bad_files_and_goes_on(extractor, tmp_path):
    src = tmp_path / 'in'
    src.mkdir()
    for name, data in NOT_TEXT.items():
        (src / name).write_bytes(data)
    (src / 'good.txt').write_text('Аббас Аракчи прибыл в Ма\u0301скат.', encoding='utf-8')
    summary = run(extractor, [str(src)], str(tmp_path / 'out'), progress=False)
    assert summary.done == 1 and len(summary.failed) == len(NOT_TEXT)
    errors = [json.loads(line) for line in (tmp_path / 'out' / 'errors.jsonl').read_text().splitlines()]
    assert sorted(e['path'].rsplit('/', 1)[-1] for e in errors) == sorted(NOT_TEXT)
    assert all('binary' in e['reason'] or 'not' in e['reason'] for e in errors)
    assert (tmp_path / 'out' / 'good.json').exists()


def test_cli_names_the_file_and_the_reason(tmp_path):
    path = tmp_path / 'image.txt'
    path.write_bytes(NOT_TEXT['png.txt'])
    out = subprocess.run([sys.executable, '-m', 'extractor', 'extract', str(path)], capture_output=True, text=True, check=False)
    assert out.returncode == 1
    assert str(path) in out.stderr and 'binary' in out.stderr


def test_letters_without_a_unicode_name_do_not_crash_the_morphology(extractor):
    # pymorphy3 raises ValueError on letters unicodedata cannot name (Tangut)
    lemma, pos, _ = extractor.morph.analyse('\U00017000\U00017001')
    assert pos == 'X' and lemma
    doc = extractor('Глава МИД Ирана \U00017000 прилетел в Маскат.')
    assert 'Маскат' in {e.normal for e in doc.entities}
