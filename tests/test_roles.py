"""Who is who: entity.roles, on real sentences (cases in data/roles_cases.json),
the sample article, and everywhere the document goes."""
import csv
import json
import pickle
from pathlib import Path

import pytest

from extractor.corpora import read_brat
from extractor.document import from_json
from extractor.evaluate import RoleCounts, score_roles
from extractor.pipeline import Extractor

DATA = Path(__file__).parent / 'data'
CASES = json.loads((DATA / 'roles_cases.json').read_text(encoding='utf-8'))


def roles_of(doc) -> dict:
    """{person: [(title, org's normal form, [phrases])]}"""
    names = {e.id: e.normal for e in doc.entities}
    return {e.normal: [(r.title, names.get(r.org) if r.org else None, [m.text for m in r.mentions])
                       for r in e.roles] for e in doc.entities if e.roles}


@pytest.mark.parametrize('case', CASES, ids=[c['pattern'] for c in CASES])
def test_role_patterns(extractor, case):
    doc = extractor(case['text'])
    if 'holders' in case:                                   # several people, each with roles of their own
        expected = {person: [tuple(role) for role in roles] for person, roles in case['holders'].items()}
    else:
        people = case.get('people', [case.get('person')])     # a plural title gives each person of its list the role
        roles = [tuple(role) for role in case['roles']] if 'roles' in case else [(case['title'], case['org'], case['phrases'])]
        expected = {person: roles for person in people}
    assert roles_of(doc) == expected
    for entity in doc.entities:
        for role in entity.roles or ():
            for m in role.mentions:
                assert case['text'][m.start:m.end] == m.text


def test_lawyers_are_not_the_person_named_after_them(extractor):
    # «Адвокаты Берлускони»: whose lawyers, not who is one
    doc = extractor('Адвокаты Берлускони обжалуют приговор экс-премьеру.')
    assert all('Адвокаты' not in phrases for person in roles_of(doc).values() for _, _, phrases in person)


def test_a_reference_that_fits_two_people_goes_to_neither(extractor):
    text = ('Министр обороны Германии Борис Писториус встретился с министром обороны Франции Себастьяном Лекорню. '
            'Министр подчеркнул, что поставки продолжатся.')
    roles = roles_of(extractor(text))
    assert all('Министр' not in phrases for person in roles.values() for _, _, phrases in person)
    assert len(roles) == 2


@pytest.mark.shared
def test_the_sample_article(extractor, sample_text):
    doc = extractor(sample_text)
    person = next(e for e in doc.entities if e.normal == 'Аббас Аракчи')
    iran = next(e for e in doc.entities if e.normal == 'Иран')
    [role] = person.roles
    assert (role.title, role.org) == ('министр иностранных дел', iran.id)
    assert [m.text for m in role.mentions] == ['Министр иностранных дел Ирана', 'глава иранского МИД',
                                               'Глава иранского МИД', 'министр', 'министр']
    assert sum(bool(e.roles) for e in doc.entities) == 1


def test_roles_switched_off(extractor):
    off = Extractor(roles=None)
    doc = off(CASES[0]['text'])
    assert all(e.roles is None for e in doc.entities)
    assert '"roles"' not in doc.to_json()                   # omitted: the JSON of before
    assert pickle.loads(pickle.dumps(off)).roles is None     # pickled with its arguments


def test_roles_round_trip_the_json(extractor):
    doc = extractor(CASES[0]['text'])
    assert roles_of(from_json(doc.to_json())) == roles_of(doc)


def test_evaluator_scores_role_pairs_on_brat(extractor):
    [gold] = read_brat(str(DATA / 'roles_brat'))
    assert len(gold.roles) == 2
    counts = RoleCounts()
    score_roles(counts, gold, extractor(gold.text))
    # at least Лавров's «Глава МИД России» is found, with its org (МИД России overlaps the WORKPLACE)
    assert counts.gold == 2
    assert counts.hit_g >= 1 and counts.org_right >= 1
    assert counts.hit_p <= counts.pred
    assert 0 < counts.f1 <= 1


def test_evaluate_command_prints_the_roles(tmp_path):
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, '-m', 'extractor', 'evaluate', '--format', 'brat', str(DATA / 'roles_brat')],
                          capture_output=True, text=True, check=True)
    assert 'roles  pairs' in proc.stdout and 'org right' in proc.stdout


def test_html_shows_the_roles(extractor):
    doc = extractor(CASES[0]['text'])
    page = doc.to_html()
    assert page.count('<mark class="role"') == 1
    assert 'data-title="министр иностранных дел"' in page
    assert 'министр иностранных дел · Иран' in page


def test_spacy_doc_carries_the_roles(extractor):
    spacy = pytest.importorskip('spacy')
    doc = extractor(CASES[0]['text']).to_spacy(spacy.blank('ru').vocab)
    [phrase] = doc.spans['roles']
    assert (phrase.text, phrase.label_) == ('Министр иностранных дел Ирана', 'министр иностранных дел')
    person = next(s for s in doc.spans['extractor'] if s.label_ == 'PER')
    assert phrase._.entity_id == person._.entity_id
    assert person._.roles[0]['title'] == 'министр иностранных дел'


def test_batch_writes_roles_csv(tmp_path):
    import subprocess
    import sys
    src = tmp_path / 'in'
    src.mkdir()
    (src / 'a.txt').write_text(CASES[1]['text'], encoding='utf-8')
    subprocess.run([sys.executable, '-m', 'extractor', 'batch', str(src), '-o', str(tmp_path / 'out'),
                    '--format', 'csv'], check=True, capture_output=True)
    with open(tmp_path / 'out' / 'roles.csv', encoding='utf-8', newline='') as f:
        rows = list(csv.DictReader(f))
    assert [(r['person'], r['title'], r['org_normal'], r['text']) for r in rows] == [
        ('Дональд Трамп', 'президент', 'США', 'президент США')]


def test_an_attachment_model_of_other_features_is_refused(tmp_path):
    from extractor.attachment import FEATURES, Attachment
    path = tmp_path / 'attachment.json'
    path.write_text(json.dumps({'features': list(FEATURES[:-1]), 'weights': [0.0] * (len(FEATURES) - 1),
                                'threshold': 0.5}), encoding='utf-8')
    with pytest.raises(ValueError, match='attachment.json: its features are not those of this version'):
        Attachment.read(path)


def test_without_the_attachment_model_a_reference_with_no_fit_goes_to_nobody(extractor):
    from extractor.roles import Roles, load_titles
    text = next(c['text'] for c in CASES if c['pattern'].startswith('a later reference by another title'))
    patterns_only = Extractor(roles=Roles(load_titles(), extractor.morph))
    assert roles_of(patterns_only(text)) == {}
    assert roles_of(extractor(text)) == {'Андрей Варичев': [('менеджер', None, ['менеджер'])]}


def test_a_candidate_for_president_is_not_one(extractor):
    # «в президенты»: the plural after «в» names the post sought, nobody's title
    doc = extractor('Бывший президент США Билл Клинтон поддержал жену. '
                    'Хиллари Клинтон имеет хорошие шансы стать кандидатом в президенты от демократической партии.')
    assert all('президенты' not in phrases for person in roles_of(doc).values() for _, _, phrases in person)


def test_titles_table_is_as_learned(shared, tmp_path):
    """The shipped title lexicon is what scripts/learn_roles.py learns from
    NEREL train (nominatives included: «исполняющий обязанности», not
    «исполняющая обязанность»)."""
    import subprocess
    import sys
    out = tmp_path / 'titles.tsv'
    script = Path(__file__).parent.parent / 'scripts' / 'learn_roles.py'
    subprocess.run([sys.executable, str(script), str(shared / 'data' / 'nerel' / 'train'), '-o', str(out)],
                   check=True, capture_output=True)
    shipped = Path(__file__).parent.parent / 'models' / 'roles' / 'titles.tsv'
    assert out.read_text(encoding='utf-8') == shipped.read_text(encoding='utf-8')
