"""Builds corpus/gold.jsonl from the texts and the annotations below.

Conventions: quotes around a name are not part of the mention; an
organization's name includes the place in it («Министерства транспорта
России» is one ORG), as in BSNLP and NEREL.

Each annotation names a mention by its surface text and its occurrence
number in the text, so offsets are computed, never typed by hand.
Run: python corpus/build_gold.py"""
import json
from pathlib import Path

HERE = Path(__file__).parent

# id -> list of (surface, occurrence (1-based), type, normal form)
ANNOTATIONS = {
    'volga-bridge': [
        ('Нижнем Новгороде', 1, 'LOC', 'Нижний Новгород'),
        ('Глеб Никитин', 1, 'PER', 'Глеб Никитин'),
        ('Министерства транспорта России', 1, 'ORG', 'Министерство транспорта России'),
        ('Волгу', 1, 'LOC', 'Волга'),
        ('Волгу', 2, 'LOC', 'Волга'),
        ('Никитина', 1, 'PER', 'Никитин'),
        ('Москвы', 1, 'LOC', 'Москва'),
        ('Казань', 1, 'LOC', 'Казань'),
        ('Автодор', 1, 'ORG', 'Автодор'),
    ],
    'museum-exhibition': [
        ('Государственном историческом музее', 1, 'ORG', 'Государственный исторический музей'),
        ('Екатерина Сергеевна Ковалёва', 1, 'PER', 'Екатерина Сергеевна Ковалёва'),
        ('Великого Новгорода', 1, 'LOC', 'Великий Новгород'),
        ('Пскова', 1, 'LOC', 'Псков'),
        ('Ковалёвой', 1, 'PER', 'Ковалёва'),
        ('Эрмитажа', 1, 'ORG', 'Эрмитаж'),
        ('Санкт-Петербурге', 1, 'LOC', 'Санкт-Петербург'),
    ],
    'hockey-final': [
        ('СКА', 1, 'ORG', 'СКА'),
        ('СКА', 2, 'ORG', 'СКА'),
        ('ЦСКА', 1, 'ORG', 'ЦСКА'),
        ('Металлург', 1, 'ORG', 'Металлург'),
        ('Ак Барс', 1, 'ORG', 'Ак Барс'),
        ('Казани', 1, 'LOC', 'Казань'),
        ('Андрей Кузнецов', 1, 'PER', 'Андрей Кузнецов'),
        ('Кузнецова', 1, 'PER', 'Кузнецов'),
        ('КХЛ', 1, 'ORG', 'КХЛ'),
        ('Олега Знарока', 1, 'PER', 'Олег Знарок'),
    ],
    'philippines-typhoon': [
        ('Филиппинах', 1, 'LOC', 'Филиппины'),
        ('Лусон', 1, 'LOC', 'Лусон'),
        ('Манилы', 1, 'LOC', 'Манила'),
        ('Красного Креста', 1, 'ORG', 'Красный Крест'),
        ('Фердинанд Маркос', 1, 'PER', 'Фердинанд Маркос'),
        ('ООН', 1, 'ORG', 'ООН'),
        ('Маркос', 2, 'PER', 'Маркос'),
    ],
    'grain-talks': [
        ('Анкаре', 1, 'LOC', 'Анкара'),
        ('Турции', 1, 'LOC', 'Турция'),
        ('России', 1, 'LOC', 'Россия'),
        ('Украины', 1, 'LOC', 'Украина'),
        ('Организации Объединенных Наций', 1, 'ORG', 'Организация Объединенных Наций'),
        ('Хакан Фидан', 1, 'PER', 'Хакан Фидан'),
        ('Фидан', 2, 'PER', 'Фидан'),
        ('Анкаре', 2, 'LOC', 'Анкара'),
        ('Черному морю', 1, 'LOC', 'Черное море'),
        ('Reuters', 1, 'ORG', 'Reuters'),
    ],
}


def find(text: str, surface: str, occurrence: int) -> int:
    pos = -1
    for _ in range(occurrence):
        pos = text.index(surface, pos + 1)
    return pos


def main() -> None:
    with open(HERE / 'gold.jsonl', 'w', encoding='utf-8') as out:
        for doc_id, spans in ANNOTATIONS.items():
            text = (HERE / 'texts' / (doc_id + '.txt')).read_text(encoding='utf-8')
            entities = []
            for surface, occurrence, type, normal in spans:
                start = find(text, surface, occurrence)
                entities.append({'start': start, 'end': start + len(surface), 'type': type,
                                 'text': surface, 'normal': normal})
            entities.sort(key=lambda e: e['start'])
            out.write(json.dumps({'id': doc_id, 'text': text, 'entities': entities},
                                 ensure_ascii=False) + '\n')


if __name__ == '__main__':
    main()
