"""The NER rules on small token lists, and through the pipeline."""
from extractor.ner.rules import TokenSpan, balance_quotes, join_persons, nested_places, propagate


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
    out = nested_places([sent], [[TokenSpan(0, 2, 'ORG')]], lambda w: w == 'Литвы')
    assert out == [[TokenSpan(0, 2, 'ORG'), TokenSpan(1, 2, 'LOC')]]


def test_pipeline_nests_the_place_in_an_organization(extractor):
    doc = extractor('Министерство иностранных дел Литвы вызвало посла.')
    spans = {(m.text, e.type) for e in doc.entities for m in e.mentions}
    assert ('Министерство иностранных дел Литвы', 'ORG') in spans
    assert ('Литвы', 'LOC') in spans
    assert {e.normal for e in doc.entities if e.type == 'LOC'} == {'Литва'}
