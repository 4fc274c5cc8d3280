"""Grouping the mentions of one entity in a document, through the pipeline."""
from __future__ import annotations

import pytest

# (text, expected groups: each a list of mention texts of one entity, its normal)
CASES = [
    ('Аббас Аракчи прилетел в Маскат. Позже Аракчи встретился с журналистами.',
     [(['Аббас Аракчи', 'Аракчи'], 'Аббас Аракчи')]),
    ('Владимир Путин провел встречу. В. Путин заявил, что Путин доволен.',
     [(['Владимир Путин', 'В. Путин', 'Путин'], 'Владимир Путин')]),
    ('Иван Смирнов и Олег Смирнов пришли на совещание. Олег Смирнов выступил первым.',
     [(['Иван Смирнов'], 'Иван Смирнов'), (['Олег Смирнов', 'Олег Смирнов'], 'Олег Смирнов')]),
    ('Позже Министерство иностранных дел сообщило, что МИД не согласен.',
     [(['Министерство иностранных дел', 'МИД'], 'Министерство иностранных дел')]),
    ('Екатерина Сергеевна Ковалёва выступила с докладом. Ковалёвой аплодировали.',
     [(['Екатерина Сергеевна Ковалёва', 'Ковалёвой'], 'Екатерина Сергеевна Ковалёва')]),
    # a particle before the surname is the surname's (a new-user trial)
    ('Жан-Клод Ван Дамм прилетел в Новосибирск. Ван Дамм встретился с поклонниками.',
     [(['Жан-Клод Ван Дамм', 'Ван Дамм'], 'Жан-Клод Ван Дамм')]),
    # an abbreviation of a name without its place (a new-user trial)
    ('Председатель Центральной избирательной комиссии Республики Казахстан выступил. ЦИК подвела итоги.',
     [(['Центральной избирательной комиссии Республики Казахстан', 'ЦИК'],
       'Центральная избирательная комиссия Республики Казахстан')]),
    (('Московский государственный университет имени М. В. Ломоносова поднялся в рейтинге. Ректор МГУ Виктор '
      'Садовничий назвал это успехом.'),
     [(['Московский государственный университет имени М. В. Ломоносова', 'МГУ'],
       'Московский государственный университет имени М. В. Ломоносова')]),
    # a ministry's short name (a new-user trial)
    ('Глава Минфина ответил на вопросы. В Министерстве финансов уточнили детали.',
     [(['Минфина', 'Министерстве финансов'], 'Министерство финансов')]),
    # an abbreviation in parentheses after a name is its own, whatever its letters (a new-user trial)
    (('Управление по контролю за иностранными активами (OFAC) ввело санкции. '
      'OFAC также внесло в список две компании.'),
     [(['Управление по контролю за иностранными активами', 'OFAC', 'OFAC'],
       'Управление по контролю за иностранными активами')]),
    # ... not a name listed after another one
    ('Рейсы отменили Etihad Airways, KLM и Ryanair.', [(['KLM'], 'KLM')]),
    ('Сбербанк России, ВТБ и Газпромбанк повысили ставки. Акции ВТБ упали.', [(['ВТБ', 'ВТБ'], 'ВТБ')]),
    # a bare «ЦБ» is another country's when the text says so
    ('Центральный банк Турции повысил ставку. Банк России сохранил свою. Турецкий ЦБ заявил о рисках.',
     [(['Банк России'], 'Банк России')]),
    # the Bank of Russia by its short names (a new-user trial)
    (('Совет директоров Банка России сохранил ставку. По словам главы ЦБ, инфляция замедляется. '
      'Центробанк опубликовал прогноз.'),
     [(['Банка России', 'ЦБ', 'Центробанк'], 'Банк России')]),
    # a patronymic's initial that the full name does not write (a new-user trial)
    ('В. В. Путин провел телефонный разговор. Песков сообщил, что Владимир Путин высоко оценил итоги.',
     [(['В. В. Путин', 'Владимир Путин'], 'Владимир Путин')]),
]


@pytest.mark.parametrize('text,groups', CASES)
def test_grouping(extractor, text, groups):
    doc = extractor(text)
    got = {tuple(m.text for m in e.mentions): e.normal for e in doc.entities}
    for mentions, normal in groups:
        assert got.get(tuple(mentions)) == normal, got


def test_name_parts(extractor):
    doc = extractor('Екатерина Сергеевна Ковалёва выступила с докладом.')
    [person] = [e for e in doc.entities if e.type == 'PER']
    assert (person.first, person.middle, person.last) == ('Екатерина', 'Сергеевна', 'Ковалёва')


def test_same_surname_goes_to_nearest(extractor):
    doc = extractor('Иван Смирнов и Олег Смирнов пришли. Олег Смирнов выступил, а Смирнов ответил.')
    people = {e.normal: [m.text for m in e.mentions] for e in doc.entities if e.type == 'PER'}
    assert people['Иван Смирнов'] == ['Иван Смирнов']
    assert len(people['Олег Смирнов']) == 3


def test_index_finds_what_a_search_of_every_cluster_finds(extractor, shared, monkeypatch):
    """The cluster index only prunes: on one long text of many articles
    (thousands of names), grouping equals comparing each name with every
    cluster made so far."""
    from extractor import resolve

    files = sorted((shared / 'data' / 'factru-dev').rglob('*.txt'))[:60]
    text = '\n\n'.join(path.read_text(encoding='utf-8') for path in files)
    indexed = extractor(text, tokens=False)
    assert len(indexed.entities) > 300

    made: dict = {}
    file = resolve.Index.file

    def file_and_keep(self, cluster, words):
        made[cluster.order] = cluster
        file(self, cluster, words)
    monkeypatch.setattr(resolve.Index, 'file', file_and_keep)
    monkeypatch.setattr(resolve.Index, 'find', lambda self, keys: [made[n] for n in sorted(made)])
    exhaustive = extractor(text, tokens=False)
    assert exhaustive.to_bytes() == indexed.to_bytes()


def test_roster_of_alike_surnames_groups_in_linear_comparisons(extractor, monkeypatch):
    """A name is compared only with the clusters whose names it may fit: on
    a roster of distinct surnames that share their first letters («Абр…ов»),
    the person_fits() calls grow with the text, not with its square (they
    were every earlier person for each name)."""
    from shapes import SHAPES, roster

    from extractor import resolve

    calls = 0
    fits = resolve.person_fits

    def counting(short, full):
        nonlocal calls
        calls += 1
        return fits(short, full)
    monkeypatch.setattr(resolve, 'person_fits', counting)
    counts = []
    for size in SHAPES['roster']['test_sizes']:
        text = roster(size)
        calls = 0
        doc = extractor(text, tokens=False)
        people = [e for e in doc.entities if e.type == 'PER']
        # each line is one person, named in full and then by initial
        assert len(people) == text.count('\n')
        assert all(len(e.mentions) == 2 for e in people)
        mentions = sum(len(e.mentions) for e in people)
        assert calls <= 2 * mentions, (size, calls, mentions)
        counts.append(calls)
    small, big = SHAPES['roster']['test_sizes']
    assert counts[1] <= 1.5 * counts[0] * big / small, counts      # linear: the sizes' ratio; quadratic: its square


def test_abbreviations_of_hyphenated_names_and_in_latin_letters():
    from extractor.resolve import acronyms, as_cyrillic
    assert acronyms(['Ханты-Мансийский', 'автономный', 'округ']) == {'ХАО', 'ХМАО'}
    assert acronyms(['Техрик-э-Лабаик', 'Пакистан']) == {'ТП', 'ТЛП'}      # the particle «э» has no letter
    assert as_cyrillic('TLP') == 'ТЛП'
    assert as_cyrillic('CNN') == 'CNN'        # C reads К, С or Ц: left as written


def test_a_bodys_country_by_its_code():
    from extractor.resolve import country_tail
    assert country_tail('мид британии') == country_tail('мид великобритании') == 'мид iso:GB'
    assert country_tail('мид соединенного королевства') == 'мид iso:GB'
    assert country_tail('посольство соединенных штатов') == 'посольство iso:US'
    assert country_tail('банк москвы') == 'банк москвы'          # a city, not a country
    assert country_tail('мид') == 'мид'
