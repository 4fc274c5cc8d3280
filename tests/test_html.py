"""The HTML view: one document's page and a batch's pages and overview."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SAMPLE

from extractor.document import Entity, Mention, from_json

NESTED_TEXT = 'Глава МИД Литвы <b>&amp;</b> приехал\n\n  в  Ригу.'


class Marks(HTMLParser):
    """The mention elements of a page: their attributes, depth, and text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[dict | None] = []
        self.mentions: list[dict] = []
        self.in_text = False
        self.text_depth = 0
        self.text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get('id') == 'text':
            self.in_text, self.text_depth = True, len(self.stack)
        mark = None
        if tag == 'mark' and 'mention' in (attrs.get('class') or '').split():
            mark = dict(attrs, depth=sum(1 for m in self.stack if m is not None), inner='')
            self.mentions.append(mark)
        self.stack.append(mark)

    def handle_endtag(self, tag):
        self.stack.pop()
        if self.in_text and len(self.stack) == self.text_depth:
            self.in_text = False

    def handle_data(self, data):
        if self.in_text:
            self.text.append(data)
            for mark in self.stack:
                if mark is not None:
                    mark['inner'] += data


def mention_marks(page: str) -> Marks:
    parser = Marks()
    parser.feed(page)
    parser.close()
    return parser


def nested_document(extractor):
    """ORG «МИД Литвы» holding LOC «Литвы», as some recognizers nest them."""
    doc = extractor(NESTED_TEXT, id='nested')
    start = NESTED_TEXT.index('МИД')
    loc = NESTED_TEXT.index('Литвы')
    riga = NESTED_TEXT.index('Ригу')
    doc.entities = [
        Entity('E1', 'ORG', 'МИД Литвы', [Mention(start, loc + 5, 'МИД Литвы', 'МИД Литвы', 0)]),
        Entity('E2', 'LOC', 'Литва', [Mention(loc, loc + 5, 'Литвы', 'Литва', 0)]),
        Entity('E3', 'LOC', 'Рига', [Mention(riga, riga + 4, 'Ригу', 'Рига', 1)]),
    ]
    return doc


def mention_count(doc) -> int:
    return sum(len(e.mentions) for e in doc.entities)


@pytest.fixture(scope='module')
def sample_doc(extractor, sample_text):
    return extractor(sample_text, id='oman-talks', source=str(SAMPLE))


def test_every_mention_is_highlighted(sample_doc, sample_text):
    page = sample_doc.to_html()
    marks = mention_marks(page)
    assert len(marks.mentions) == mention_count(sample_doc) > 20
    assert ''.join(marks.text) == sample_text
    expected = sorted((m.text, e.id, e.type) for e in sample_doc.entities for m in e.mentions)
    assert sorted((m['inner'], m['data-entity'], m['data-type']) for m in marks.mentions) == expected


def test_entity_list_with_normal_forms_counts_and_name_parts(sample_doc):
    page = sample_doc.to_html()
    for entity in sample_doc.entities:
        assert 'data-entity="%s"' % entity.id in page
        assert '<b>%s</b>' % entity.normal in page
    arakchi = next(e for e in sample_doc.entities if e.normal == 'Аббас Аракчи')
    row = page[page.index('<tr class="entity" data-entity="%s"' % arakchi.id):]
    row = row[:row.index('</tr>')]
    assert '<td class="n">3</td>' in row
    if arakchi.last:
        assert '<span data-part="last">%s</span>' % arakchi.last in row


def test_nested_mentions_are_nested_marks(extractor):
    page = nested_document(extractor).to_html()
    marks = mention_marks(page)
    assert [(m['inner'], m['data-type'], m['depth']) for m in marks.mentions] == [
        ('МИД Литвы', 'ORG', 0), ('Литвы', 'LOC', 1), ('Ригу', 'LOC', 0)]
    assert ''.join(marks.text) == NESTED_TEXT


def test_crossing_mentions_still_count_once(extractor):
    doc = nested_document(extractor)
    text = NESTED_TEXT
    a, b = text.index('МИД'), text.index('Литвы')
    doc.entities = [Entity('E1', 'ORG', 'МИД Литвы', [Mention(a, b + 5, text[a:b + 5], 'МИД Литвы', 0)]),
                    Entity('E2', 'LOC', 'Литвы', [Mention(b, b + 12, text[b:b + 12], 'Литва', 0)])]
    marks = mention_marks(doc.to_html())
    assert [m['inner'] for m in marks.mentions] == ['МИД Литвы', 'Литвы']   # the rest is a mention-part
    assert ''.join(marks.text) == text


def test_text_is_escaped(extractor):
    text = 'Путин: <script>alert("x")</script> & <img src=x onerror=alert(1)> в Москве'
    page = extractor(text).to_html()
    assert '<script>alert' not in page and '<img' not in page
    assert '&lt;script&gt;' in page
    assert ''.join(mention_marks(page).text) == text


def test_self_contained(sample_doc):
    page = sample_doc.to_html()
    lowered = page.lower()
    for needle in ('src=', 'http://', 'https://', '@import', 'url(', '<link'):
        assert needle not in lowered, needle


def test_document_from_json_needs_its_text(sample_doc, sample_text):
    back = from_json(sample_doc.to_bytes())
    with pytest.raises(ValueError):
        back.to_html()
    assert len(mention_marks(back.to_html(sample_text)).mentions) == mention_count(sample_doc)


def test_cli_extract_format_html(sample_doc):
    out = subprocess.run([sys.executable, '-m', 'extractor', 'extract', str(SAMPLE), '--format', 'html'],
                         capture_output=True, check=True)
    page = out.stdout.decode('utf-8')
    assert page.startswith('<!DOCTYPE html>')
    assert len(mention_marks(page).mentions) == mention_count(sample_doc)


def run_batch(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', 'extractor', 'batch', *map(str, args)],
                          capture_output=True, text=True, check=False)


def make_corpus(root: Path, sample_text: str) -> Path:
    (root / 'in' / 'sub dir').mkdir(parents=True)
    (root / 'in' / 'oman.txt').write_text(sample_text, encoding='utf-8')
    (root / 'in' / 'sub dir' / 'путин.txt').write_text(
        'Владимир Путин прибыл в Москву.\nВ МИД сообщили, что переговоры с Ираном продолжатся. Путин <ok>.', encoding='utf-8')
    (root / 'in' / 'broken.txt').write_bytes(b'\xff\xfe\x00')
    return root / 'in'


def read_index(out: Path) -> str:
    return (out / 'index.html').read_text(encoding='utf-8')


def test_batch_html_pages_and_index(tmp_path, sample_text):
    source = make_corpus(tmp_path, sample_text)
    out = tmp_path / 'out'
    result = run_batch(source, '-o', out, '--html', '--workers', '2')
    assert result.returncode == 1, result.stderr      # broken.txt fails, the rest goes on
    for stem in ('oman', 'sub dir/путин'):
        data = json.loads((out / (stem + '.json')).read_text(encoding='utf-8'))
        page = (out / (stem + '.html')).read_text(encoding='utf-8')
        assert len(mention_marks(page).mentions) == sum(len(e['mentions']) for e in data['entities'])
        assert 'href="%sindex.html"' % ('../' * stem.count('/')) in page
    index = read_index(out)
    assert 'href="oman.html"' in index
    assert 'href="sub%20dir/%D0%BF%D1%83%D1%82%D0%B8%D0%BD.html"' in index
    assert 'broken.txt' in index                       # failures are listed
    # The top entities are the corpus index's, most documents first; those in
    # two documents link to their section of entities.html
    corpus = [json.loads(line) for line in (out / 'entities.jsonl').read_text(encoding='utf-8').splitlines()]
    rows = re.findall(r'<tr class="top-entity"><td>(?:<a href="([^"]*)">)?(.*?)(?:</a>)?</td>'
                      r'<td><span class="type (\w+)">\w+</span></td><td class="n">(\d+)</td><td class="n">(\d+)</td>', index)
    assert len(rows) == len(corpus)
    assert {(n, t): (int(d), int(m)) for _, n, t, d, m in rows} == \
        {(e['normal'], e['type']): (e['documents'], e['mentions']) for e in corpus}
    assert int(rows[0][3]) == 2 == max(e['documents'] for e in corpus)     # Иран or МИД is in both, and first
    assert {href for href, *_ in rows if href} == {'entities.html#' + e['id'] for e in corpus if e['documents'] == 2}
    assert not [p for p in out.rglob('*.tmp')]


def test_batch_index_covers_skipped_documents(tmp_path, sample_text):
    source = make_corpus(tmp_path, sample_text)
    (source / 'broken.txt').unlink()
    out = tmp_path / 'out'
    assert run_batch(source, '-o', out).returncode == 0
    assert not (out / 'oman.html').exists()
    # Asking for pages later makes the pages (the JSON alone is not up to date)
    result = run_batch(source, '-o', out, '--html')
    assert result.returncode == 0 and '2 processed' in result.stderr, result.stderr
    # A rerun skips both, and the index still lists both
    os.unlink(out / 'index.html')
    result = run_batch(source, '-o', out, '--html')
    assert '0 processed, 2 up to date' in result.stderr
    index = read_index(out)
    assert index.count('<tr class="document">') == 2


def test_batch_html_refused_with_jsonl(tmp_path):
    lines = tmp_path / 'in.jsonl'
    lines.write_text('{"id": 1, "text": "Путин"}\n', encoding='utf-8')
    assert run_batch('--jsonl', lines, '-o', tmp_path / 'out.jsonl', '--html').returncode == 2


def test_batch_entity_pages(tmp_path):
    # One person in two documents, his role given in both: his section of
    # entities.html has his names, the role and both documents, linked
    source = tmp_path / 'in'
    (source / 'b').mkdir(parents=True)
    (source / 'a.txt').write_text('Министр иностранных дел Ирана Аббас Аракчи прибыл в Маскат.', encoding='utf-8')
    (source / 'b' / 'c.txt').write_text('Аракчи, министр иностранных дел Ирана, встретился с коллегой.', encoding='utf-8')
    (source / 'd.txt').write_text('В Москве прошел дождь.', encoding='utf-8')
    out = tmp_path / 'out'
    assert run_batch(source, '-o', out, '--html').returncode == 0
    pages = (out / 'entities.html').read_text(encoding='utf-8')
    sections = dict(re.findall(r'<section class="entity" id="(C\d+)" data-type="\w+">(.*?)</section>', pages, re.DOTALL))
    corpus = {e['normal']: e for e in map(json.loads, (out / 'entities.jsonl').read_text(encoding='utf-8').splitlines())}
    person = corpus['Аббас Аракчи']
    assert person['documents'] == 2 and set(sections) == {e['id'] for e in corpus.values() if e['documents'] >= 2}
    section = sections[person['id']]
    assert 'министр иностранных дел</span>' in section or 'министр иностранных дел (' in section
    assert '(Иран)' in section and '×2' in section
    assert re.findall(r'<li><a href="([^"]+)">', section) == ['a.html', 'b/c.html']
    assert all((out / href).exists() for href in ['a.html', 'b/c.html'])
    assert 'Москва' not in pages                       # one document only: no section
    assert 'href="entities.html#%s"' % person['id'] in (out / 'index.html').read_text(encoding='utf-8')
