"""The NER rules on small token lists, and through the pipeline
(data/rules_cases.tsv: real sentences)."""
import csv
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from extractor.ner import rules
from extractor.ner.rules import (
    TokenSpan,
    after_kinds,
    balance_quotes,
    join_persons,
    nested_places,
    not_names,
    propagate,
    sentence_start,
)

DATA = Path(__file__).parent / 'data'


def words(text):
    return text.split()


def test_balance_quotes():
    sent = words('пресс-службе « Киностудии КИТ » сообщили')
    assert balance_quotes([sent], [[TokenSpan(1, 4, 'ORG')]]) == [[TokenSpan(1, 5, 'ORG')]]
    sent = words('проект Викимедиа РУ » начал')
    assert balance_quotes([sent], [[TokenSpan(1, 4, 'ORG')]]) == [[TokenSpan(1, 3, 'ORG')]]
    sent = words('компания « Лукойл »')
    assert balance_quotes([sent], [[TokenSpan(2, 3, 'ORG')]]) == [[TokenSpan(2, 3, 'ORG')]]


def test_join_persons_only_after_a_first_name_or_patronymic():
    parts = {'Анной': 'first', 'Викторовной': 'middle', 'Сорокиной': 'last', 'Петров': 'last'}.get
    sent = words('с Анной Викторовной Сорокиной')
    assert join_persons([sent], [[TokenSpan(1, 3, 'PER'), TokenSpan(3, 4, 'PER')]], parts) == \
        [[TokenSpan(1, 4, 'PER')]]
    sent = words('Петров Сорокиной')
    spans = [[TokenSpan(0, 1, 'PER'), TokenSpan(1, 2, 'PER')]]
    assert join_persons([sent], spans, parts) == spans


def test_propagate_tags_recurrences_of_one_type_only():
    sents = [words('Аракчи прибыл в Маскат'), words('Позже Аракчи уехал из Маскат')]
    spans = [[TokenSpan(0, 1, 'PER'), TokenSpan(3, 4, 'LOC')], [TokenSpan(4, 5, 'LOC')]]
    assert propagate(sents, spans)[1] == [TokenSpan(1, 2, 'PER'), TokenSpan(4, 5, 'LOC')]
    # a name seen with two types is left alone
    spans = [[TokenSpan(0, 1, 'PER'), TokenSpan(3, 4, 'LOC')], [TokenSpan(4, 5, 'ORG')]]
    assert propagate([sents[0], words('Аракчи и Маскат')], [spans[0], []])[1] == \
        [TokenSpan(0, 1, 'PER'), TokenSpan(2, 3, 'LOC')]


def test_nested_places():
    sent = words('МИД Литвы заявил')
    out = nested_places([sent], [[TokenSpan(0, 2, 'ORG')]], lambda w: w == 'Литвы', {'мид'})
    assert out == [[TokenSpan(0, 2, 'ORG'), TokenSpan(1, 2, 'LOC')]]


def test_pipeline_nests_the_place_in_an_organization(extractor):
    doc = extractor('Министерство иностранных дел Литвы вызвало посла.')
    spans = {(m.text, e.type) for e in doc.entities for m in e.mentions}
    assert ('Министерство иностранных дел Литвы', 'ORG') in spans
    assert ('Литвы', 'LOC') in spans
    assert {e.normal for e in doc.entities if e.type == 'LOC'} == {'Литва'}


def cases():
    lines = (DATA / 'rules_cases.tsv').read_text(encoding='utf-8').splitlines()
    return list(csv.DictReader((line for line in lines if not line.startswith('#')), delimiter='\t'))


@pytest.mark.parametrize('case', cases(), ids=lambda case: '%s %s' % (case['mention'], case['type']))
def test_case(extractor, case):
    """Real sentences: what is a name of which type, and what is none."""
    found = {m.text: e.type for e in extractor(case['text']).entities for m in e.mentions}
    assert found.get(case['mention'], '-') == case['type'], (case['source'], found)


def test_balance_quotes_counts_straight_quotes():
    sent = words('передаёт РИА " Новости " со ссылкой')
    assert balance_quotes([sent], [[TokenSpan(1, 4, 'ORG')]]) == [[TokenSpan(1, 5, 'ORG')]]
    sent = words('лидер РПР " ПАРНАС " Михаил')
    assert balance_quotes([sent], [[TokenSpan(1, 5, 'ORG')]]) == [[TokenSpan(1, 5, 'ORG')]]
    sent = words('газета " Время , ответил')             # no closing quote to take: the opening one goes
    assert balance_quotes([sent], [[TokenSpan(1, 3, 'ORG')]]) == [[TokenSpan(2, 3, 'ORG')]]
    sent = words('у Время " ответил')
    assert balance_quotes([sent], [[TokenSpan(1, 3, 'ORG')]]) == [[TokenSpan(1, 2, 'ORG')]]


def test_nested_places_only_after_an_institution_and_before_a_preposition():
    places = {'Литвы', 'России', 'Америки', 'Санкт-Петербургу'}.__contains__
    heads = {'мид', 'мчс'}
    sent = words('МИД Литвы и Почта России и Голос Америки и ГУ МЧС России по Санкт-Петербургу')
    spans = [[TokenSpan(0, 2, 'ORG'), TokenSpan(3, 5, 'ORG'), TokenSpan(6, 8, 'ORG'), TokenSpan(9, 14, 'ORG')]]
    assert nested_places([sent], spans, places, heads) == [sorted(
        spans[0] + [TokenSpan(1, 2, 'LOC'), TokenSpan(11, 12, 'LOC')], key=lambda s: (s.start, -s.end))]


def test_not_names_ignores_case_and_quotes():
    sent = words('газопровода « Северный поток-2 » и Газпрома')
    spans = [[TokenSpan(1, 5, 'ORG'), TokenSpan(6, 7, 'ORG')]]
    assert not_names([sent], spans, {'северный поток-2'}) == [[TokenSpan(6, 7, 'ORG')]]


def test_after_kinds_drops_quoted_or_numbered_names_only(extractor):
    kinds = {'договор', 'вакцина', 'законы', 'орден'}
    sent = words('договор СНВ-3 , вакцина « Спутник V » , законы ЕС , орден « Мир » Ленина')
    spans = [[TokenSpan(1, 2, 'ORG'), TokenSpan(4, 7, 'ORG'), TokenSpan(10, 11, 'ORG'),
              TokenSpan(13, 16, 'ORG'), TokenSpan(16, 17, 'PER')]]
    assert after_kinds([sent], spans, kinds, extractor.morph.oblique) == \
        [[TokenSpan(10, 11, 'ORG'), TokenSpan(16, 17, 'PER')]]


def test_sentence_start_needs_the_word_in_lower_case_elsewhere():
    sents = [words('Лоукостер отменил рейсы'), words('Газпром и лоукостер'), words('Газпром ответил')]
    spans = [[TokenSpan(0, 1, 'ORG')], [TokenSpan(0, 1, 'ORG')], [TokenSpan(0, 1, 'ORG')]]
    assert sentence_start(sents, spans) == [[], [TokenSpan(0, 1, 'ORG')], [TokenSpan(0, 1, 'ORG')]]


def test_word_lists_hold_the_forms_of_their_lemmas():
    """data/institutions.txt and kinds.txt as scripts/build_forms.py writes them."""
    sys.path.insert(0, str(ROOT / 'scripts'))
    from build_forms import LISTS

    from extractor.morph import Morph

    morph = Morph()
    for name in LISTS:
        for line in (rules.DATA / name).read_text(encoding='utf-8').splitlines():
            if line.strip() and not line.startswith('#'):
                lemma, _, written = line.partition(':')
                assert written.split() == morph.noun_forms(lemma.strip()), 'rebuild it: python scripts/build_forms.py'
    assert {'мид', 'министерства', 'суде'} <= rules.word_forms('institutions.txt')


@pytest.mark.shared
def test_not_names_list_is_built_from_the_training_corpora(shared):
    """data/not_names.txt is what scripts/build_not_names.py makes of ../shared/data."""
    sys.path.insert(0, str(ROOT / 'scripts'))
    from build_not_names import counts

    other, names = counts(shared / 'data')
    assert rules.not_name_forms() == {f for f in other if f and not names[f]}, \
        'rebuild it: python scripts/build_not_names.py'
    assert {'brexit', 'брекзиту', 'вич'} <= rules.not_name_forms()
    assert not {'twitter', 'интернет', 'газпром'} & rules.not_name_forms()   # ORG in some corpus
