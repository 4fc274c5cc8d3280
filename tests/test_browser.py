"""Generated pages opened in headless Chromium: they load without console
messages, show every mention, and render something visible.

Skipped when no Chromium is installed, unless EXTRACTOR_REQUIRE_BROWSER=1
(as CI sets), which turns the skip into a failure. CHROMIUM names the
binary when it is not on PATH as chromium, chromium-browser or
google-chrome."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_html import make_corpus, mention_count, mention_marks, nested_document

# A Chromium started per page: the slow tier (pytest -m slow; .ci/run runs it).
pytestmark = pytest.mark.slow

FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--disable-extensions', '--hide-scrollbars', '--enable-logging=stderr', '--v=0']
# What Chromium writes to stderr for each console message and uncaught
# error of the page: the pages have no reason to log anything at all.
CONSOLE = re.compile(r':CONSOLE[:(]')


def find_chromium() -> str | None:
    named = os.environ.get('CHROMIUM')
    if named:
        return shutil.which(named)
    for name in ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope='session')
def chromium() -> str:
    binary = find_chromium()
    if binary is None:
        if os.environ.get('EXTRACTOR_REQUIRE_BROWSER') == '1':
            pytest.fail('no Chromium found and EXTRACTOR_REQUIRE_BROWSER=1 (apt-get install chromium)')
        pytest.skip('headless Chromium is not installed (apt-get install chromium; or set CHROMIUM)')
    return binary


class Browser:
    def __init__(self, binary: str, profile: Path):
        self.binary = binary
        self.profile = profile

    def run(self, page: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([self.binary, *FLAGS, '--user-data-dir=%s' % self.profile, *args,
                               page.resolve().as_uri()],
                              capture_output=True, text=True, errors='replace', timeout=120, check=False)

    def dom(self, page: Path) -> str:
        """The page's DOM after loading; fails on any console message."""
        result = self.run(page, '--dump-dom')
        assert result.returncode == 0, result.stderr[-2000:]
        console = [line for line in result.stderr.splitlines() if CONSOLE.search(line)]
        assert console == [], '%s logged to the console:\n%s' % (page.name, '\n'.join(console))
        return result.stdout

    def screenshot(self, page: Path, png: Path):
        from PIL import Image, ImageStat
        result = self.run(page, '--screenshot=%s' % png, '--window-size=1200,900')
        assert png.exists(), result.stderr[-2000:]
        image = Image.open(png).convert('RGB')
        assert image.size == (1200, 900)
        return image, ImageStat.Stat(image.convert('L'))


@pytest.fixture
def browser(chromium, tmp_path) -> Browser:
    return Browser(chromium, tmp_path / 'profile')


def write(path: Path, html: str) -> Path:
    path.write_text(html, encoding='utf-8')
    return path


def assert_not_blank(image, stat):
    # A blank page is one colour; text and highlights make many, spread out.
    assert stat.stddev[0] > 10, 'screenshot is (nearly) blank: stddev %.1f' % stat.stddev[0]
    assert len(image.getcolors(maxcolors=1 << 20) or ()) > 50


def test_console_errors_are_caught(browser, tmp_path):
    """The check below would notice a broken page."""
    page = write(tmp_path / 'broken.html', '<!DOCTYPE html><p>x</p><script>undefinedFunction();</script>')
    with pytest.raises(AssertionError, match='logged to the console'):
        browser.dom(page)


def test_document_page(browser, tmp_path, extractor, sample_text):
    document = extractor(sample_text, id='oman-talks')
    page = write(tmp_path / 'oman-talks.html', document.to_html())
    dom = browser.dom(page)
    marks = mention_marks(dom)
    assert len(marks.mentions) == mention_count(document)
    assert ''.join(marks.text) == sample_text
    image, stat = browser.screenshot(page, tmp_path / 'oman-talks.png')
    assert_not_blank(image, stat)
    # the highlight colours are there: some clearly coloured (not grey) pixels
    assert sum(n for n, (r, g, b) in image.getcolors(maxcolors=1 << 20) if max(r, g, b) - min(r, g, b) > 30) > 1000


def test_nested_and_hostile_text(browser, tmp_path, extractor):
    document = nested_document(extractor)
    page = write(tmp_path / 'nested.html', document.to_html())
    marks = mention_marks(browser.dom(page))
    assert [(m['inner'], m['depth']) for m in marks.mentions] == [('МИД Литвы', 0), ('Литвы', 1), ('Ригу', 0)]
    hostile = extractor('Путин <script>console.error("injected")</script> в Москве', id='x')
    page = write(tmp_path / 'hostile.html', hostile.to_html())
    assert len(mention_marks(browser.dom(page)).mentions) == mention_count(hostile)   # and no console message


def test_batch_pages_and_index(browser, tmp_path, sample_text):
    import json
    source = make_corpus(tmp_path, sample_text)
    out = tmp_path / 'out'
    subprocess.run([sys.executable, '-m', 'extractor', 'batch', str(source), '-o', str(out), '--html'],
                   capture_output=True, check=False)
    for json_path in out.rglob('*.json'):
        data = json.loads(json_path.read_text(encoding='utf-8'))
        dom = browser.dom(json_path.with_suffix('.html'))
        assert len(mention_marks(dom).mentions) == sum(len(e['mentions']) for e in data['entities'])
    dom = browser.dom(out / 'index.html')
    assert dom.count('<tr class="document">') == 2
    image, stat = browser.screenshot(out / 'index.html', tmp_path / 'index.png')
    assert_not_blank(image, stat)
