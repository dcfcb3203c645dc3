import math

import numpy as np
import pytest

from wordmine.config import CountConfig
from wordmine.counting.engine.counter import count_text
from wordmine.mining.scoring import boundary_entropy, cohesion, entropy_of_occurrences


@pytest.fixture
def corpus():
    # T = 11 units. N(ab)=3, N(a)=4, N(b)=3, N(c)=2, N(abc)=1, N(bc)=1.
    return count_text(["甲乙，甲乙丙，丁甲乙，甲丙丁"], CountConfig(order=2, jobs=1))


def ids(corpus, text):
    return np.array([[corpus.vocab.get(ch) for ch in text]])


def test_cohesion_is_the_weakest_split_pmi(corpus):
    assert corpus.total_units == 11
    assert cohesion(corpus.counts, 2, ids(corpus, "甲乙"))[0] == pytest.approx(math.log(11 * 3 / (4 * 3)))
    # 甲乙丙: splits 甲|乙丙 -> ln(11*1/(4*1)); 甲乙|丙 -> ln(11*1/(3*2)); the minimum wins.
    expected = min(math.log(11 / 4), math.log(11 / 6))
    assert cohesion(corpus.counts, 3, ids(corpus, "甲乙丙"))[0] == pytest.approx(expected)


def test_unseen_ngram_has_minus_infinite_cohesion(corpus):
    assert cohesion(corpus.counts, 2, ids(corpus, "乙甲"))[0] == -math.inf


def test_entropy_counts_each_boundary_as_a_distinct_neighbour(corpus):
    left, right = boundary_entropy(corpus.counts, 2)
    row = corpus.counts.index(2, ids(corpus, "甲乙"))[0]
    # right of 甲乙: boundary, 丙, boundary -> three distinct neighbours of 1/3 each
    assert right[row] == pytest.approx(math.log(3))
    # left of 甲乙: boundary, boundary, 丁 -> ln 3 as well
    assert left[row] == pytest.approx(math.log(3))
    unit_left, unit_right = boundary_entropy(corpus.counts, 1)
    row = corpus.counts.index(1, ids(corpus, "乙"))[0]
    # right of 乙: boundary, 丙, boundary ; left of 乙: always 甲 -> 0
    assert unit_right[row] == pytest.approx(math.log(3))
    assert unit_left[row] == pytest.approx(0.0)


def test_entropy_of_occurrences_matches_the_formula():
    h = entropy_of_occurrences(np.array([0, 0, 0, 0]), np.array([5, 5, 6, 0]), 1)[0]
    p = np.array([2, 1, 1]) / 4
    assert h == pytest.approx(-(p * np.log(p)).sum())


def test_entropy_is_the_same_whatever_the_key_layout():
    # bits=32 packs two units a key, so orders 3 and 4 are chained: the slow path.
    text = "天地人你我他，" * 50 + "".join(chr(0x4E00 + i) for i in range(300))
    packed = count_text([text], CountConfig(order=3, jobs=1))
    chained = count_text([text], CountConfig(order=3, jobs=1, bits=32))
    assert chained.counts.packed_orders == 2
    for order in (1, 2, 3):
        for a, b in zip(boundary_entropy(packed.counts, order), boundary_entropy(chained.counts, order)):
            assert np.allclose(np.sort(a), np.sort(b))
