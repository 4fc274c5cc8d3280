"""Token lemma accuracy on a slice of gold CoNLL-U news (../shared/data/lemma-dev)."""
from __future__ import annotations

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / 'scripts'))


@pytest.mark.shared
def test_lemma_accuracy_floor(shared):
    from lemma_accuracy import evaluate

    from extractor.morph import Morph
    total, hit, _, _ = evaluate(Morph(), shared / 'data' / 'lemma-dev' / 'GramEval2020-Taiga-news-train.conllu')
    accuracy = sum(hit.values()) / sum(total.values())
    assert accuracy >= 0.975, accuracy


@pytest.mark.shared
def test_lemma_accuracy_magazines(shared):
    from lemma_accuracy import evaluate

    from extractor.morph import Morph
    total, hit, _, _ = evaluate(Morph(), shared / 'data' / 'lemma-dev' / 'MorphoRuEval2017-JZ-gold.conllu')
    assert sum(hit.values()) / sum(total.values()) >= 0.96


def test_lemma_conventions():
    from extractor.morph import Morph
    lemmas = [a.lemma for a in Morph().analyse_sentence(['Во', 'вторник', 'США', 'и', 'его', 'партнёры', 'встретились', 'с', 'Политковской'])]
    assert lemmas == ['во', 'вторник', 'США', 'и', 'его', 'партнёр', 'встретиться', 'с', 'Политковская']
