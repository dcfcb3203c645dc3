"""--new-only's second witness (wordmine.mining.surprise): strings below the cohesion bar jieba cannot explain."""

import dataclasses
import math

import numpy as np
import pytest

from wordmine.api import discover_in
from wordmine.config import CountConfig, DiscoverConfig
from wordmine.counting.engine.counter import count_text
from wordmine.mining.discover import discover
from wordmine.mining.novelty import jieba_known
from wordmine.mining.scoring import boundary_entropy, cohesion
from wordmine.mining.surprise import critical_value, jieba_surprises, log_likelihood_ratio

LEFT, RIGHT = "甲乙丙丁戊己庚辛壬癸亥午", "子丑寅卯辰巳未申酉戌天地"
CONFIG = DiscoverConfig(order=2, min_count=3)


def _generated_lines() -> list[str]:
    """胃疼 and 之色 12 times each between 12 different neighbours, their characters 12 more times apart.

    Each is 6.9 times as frequent as its characters side by side by chance
    (cohesion 1.7 nats, under the bar), and as free at its edges as can be;
    jieba knows neither, but 之 is one of its function words. 琰漪, 24 times
    between two neighbours only, is the word cohesion admits (its
    near-maximal cohesion: discover.is_solid).
    """
    lines = []
    for i in range(12):
        lines.append(f"{LEFT[i]}胃疼{RIGHT[(i * 5) % 12]}，胃{RIGHT[i]}，{LEFT[i]}疼；"
                     f"{LEFT[(i * 7) % 12]}之色{RIGHT[i]}，之{LEFT[i]}，{RIGHT[i]}色。")
        lines.append(f"琰漪{LEFT[i % 2]}，{RIGHT[i % 2]}琰漪。")
    return lines


@pytest.fixture(scope="module")
def corpus():
    return count_text(_generated_lines(), CountConfig(order=3, jobs=1))


def _figures(corpus, word):
    units = np.array([[corpus.vocab.get(c) for c in word]])
    row = corpus.counts.index(2, units)
    left, right = boundary_entropy(corpus.counts, 2)
    return (int(corpus.counts.lookup(2, units)[0]), round(float(cohesion(corpus.counts, 2, units)[0]), 2),
            round(float(left[row][0]), 2), round(float(right[row][0]), 2))


def test_only_new_only_lists_the_word_below_the_cohesion_bar(corpus):
    assert discover(corpus, CONFIG).words == ["琰漪"]
    assert discover_in(corpus, CONFIG).words == ["琰漪"]
    assert discover_in(corpus, CONFIG, new_only=True).words == ["琰漪", "胃疼"]


def test_the_admitted_string_and_the_phrase_of_a_function_word_have_the_same_figures(corpus):
    ln12 = round(math.log(12), 2)
    assert _figures(corpus, "胃疼") == _figures(corpus, "之色") == (12, 1.7, ln12, ln12)
    extra = jieba_surprises(corpus, CONFIG, discover(corpus, CONFIG), jieba_known())
    assert extra.words == ["胃疼"]  # 之色: 之 is a function word of jieba's
    assert extra.count.tolist() == [12]
    assert extra.score.round(2).tolist() == [round(12 * math.log(12), 2)]


def test_the_entropy_bar_is_the_median_word_s(corpus):
    """With 琰漪 as free as 胃疼 is not, nothing is admitted: 胃疼's edges are no freer than the median word's."""
    freer = dataclasses.replace(discover(corpus, CONFIG), left_entropy=np.array([3.0]),
                                right_entropy=np.array([3.0]))
    assert jieba_surprises(corpus, CONFIG, freer, jieba_known()).words == []


def test_a_known_string_is_never_admitted(corpus):
    assert jieba_surprises(corpus, CONFIG, discover(corpus, CONFIG), jieba_known() | {"胃疼"}).words == []


def test_the_log_likelihood_ratio_and_its_bar():
    assert round(log_likelihood_ratio(24, 80_000, 24 / 80_000 / 9), 1) == 62.8
    assert log_likelihood_ratio(3, 80_000, 1e-4) == 0.0  # no more than expected: no evidence
    assert round(critical_value(0.05, 1), 3) == 2.706  # chi-square, 1 df, one-sided 5 %
    assert critical_value(0.05, 1000) > critical_value(0.05, 10) > critical_value(0.05, 1)
