"""`extractor evaluate` and its scorer."""
import subprocess
import sys
from pathlib import Path

from extractor.corpora import GoldDoc, GoldSpan
from extractor.evaluate import Predicted, Report, flatten, score_document

CORPUS = Path(__file__).resolve().parent.parent / 'corpus'
TEXT = 'Глава МИД Литвы Линас Линкявичюс прибыл в Ригу.'


def test_factru_view_splits_an_org_around_its_places():
    org = Predicted(6, 15, 'ORG', 'МИД Литвы', 'E1')
    loc = Predicted(10, 15, 'LOC', 'Литва', 'E2')
    flat = flatten([org, loc], 'factru', TEXT)
    assert [(TEXT[m.start:m.end], m.type) for m in flat] == [('МИД', 'ORG'), ('Литвы', 'LOC')]
    assert flatten([org, loc], 'outer', TEXT) == [org]


def test_names_views_drop_mentions_of_other_kinds():
    text = 'Литовские дипломаты прибыли в Ригу.'
    adjective = Predicted(0, 9, 'LOC', 'литовский', 'E1', kind='adjective')
    city = Predicted(30, 34, 'LOC', 'Рига', 'E2', kind='name')
    assert flatten([adjective, city], 'outer', text) == [adjective, city]
    assert flatten([adjective, city], 'names', text) == [city]
    assert flatten([adjective, city], 'factru', text) == [city]
    gold = GoldDoc('d', text, [GoldSpan(0, 9, 'LOC', 'Литовские'), GoldSpan(30, 34, 'LOC', 'Рига')])
    outer, names = Report(), Report()
    score_document(outer, gold, [adjective, city], 'outer')
    score_document(names, gold, [adjective, city], 'names')
    assert outer.spans['LOC'].f1 == 1.0 and names.spans['LOC'].recall == 0.5
    # normal forms are checked on names only, in every view (as the shared scorer does)
    assert outer.norm_found == names.norm_found == 1 and outer.norm_accuracy == 1.0


def test_scores_count_tokens_spans_normals_and_groups():
    gold = GoldDoc('d', TEXT, [GoldSpan(6, 15, 'ORG', 'МИД Литвы', 'a'),
                               GoldSpan(16, 32, 'PER', 'Линас Линкявичюс', 'b'),
                               GoldSpan(42, 46, 'LOC', 'Рига', 'c')])
    predicted = [Predicted(6, 15, 'ORG', 'МИД Литвы', 'E1'),
                 Predicted(16, 32, 'PER', 'Линас Линкявичюс', 'E2'),
                 Predicted(42, 46, 'ORG', 'Риги', 'E3')]               # wrong type and normal
    report = Report()
    score_document(report, gold, predicted, 'outer')
    assert report.spans['PER'].f1 == 1.0
    assert report.spans['LOC'].recall == 0.0 and report.spans['ORG'].precision == 0.5
    assert report.tokens['ORG'].gold == 2 and report.tokens['ORG'].pred == 3
    assert report.norm_accuracy == 2 / 3
    assert report.bcubed_f1 == 1.0


def test_cli_on_the_project_corpus():
    proc = subprocess.run([sys.executable, '-m', 'extractor', 'evaluate', '--format', 'jsonl',
                           str(CORPUS / 'gold.jsonl')], capture_output=True, text=True, check=True)
    rows = {tuple(line.split()[:2]): line.split() for line in proc.stdout.splitlines()}
    assert float(rows[('token', 'micro')][4]) > 0.85
    assert float(rows[('span', 'PER')][4]) > 0.85
    assert 'normal form accuracy' in proc.stdout
