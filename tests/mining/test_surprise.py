"""--new-only's second witness (wordmine.mining.surprise): strings below the cohesion bar jieba cannot explain."""

import dataclasses
import math

import numpy as np
import pytest

from wordmine.api import discover_in
from wordmine.budget import MIN_WITNESS_STRINGS, MemoryPlan
from wordmine.config import CountConfig, DiscoverConfig
from wordmine.counting.engine.counter import count_text
from wordmine.lexicon import Lexicon
from wordmine.mining.discover import discover
from wordmine.mining.novelty import jieba_known, jieba_split
from wordmine.mining.scoring import boundary_entropy, cohesion
from wordmine.mining.surprise import candidates, critical_value, jieba_surprises, log_likelihood_ratio

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
    assert round(float(log_likelihood_ratio(24, 80_000, 24 / 80_000 / 9)), 1) == 62.8
    assert float(log_likelihood_ratio(3, 80_000, 1e-4)) == 0.0  # no more than expected: no evidence
    # one string at a time or all at once: the same figures
    k, p0 = np.array([24, 3, 80, 80]), np.array([24 / 80_000 / 9, 1e-4, 0.5 / 80_000, 1e-3])
    assert log_likelihood_ratio(k, 80_000, p0).tolist() == [float(log_likelihood_ratio(a, 80_000, b))
                                                            for a, b in zip(k, p0)]
    assert log_likelihood_ratio(np.array([5]), 5, np.array([0.5])).tolist() == [2 * 5 * math.log(2)]  # k = N
    assert round(critical_value(0.05, 1), 3) == 2.706  # chi-square, 1 df, one-sided 5 %
    assert critical_value(0.05, 1000) > critical_value(0.05, 10) > critical_value(0.05, 1)


def test_the_cap_is_chosen_from_the_budget():
    assert MemoryPlan.of(1 << 30).witness_strings == 16384  # a 64th of 1 GiB at 1 KiB a string
    assert MemoryPlan.of(4 << 30).witness_strings == 4 * 16384
    assert MemoryPlan.of(64 << 10).witness_strings == MIN_WITNESS_STRINGS


# Six strings under the cohesion bar, seen 9, 8, 8, 7, 6 and 5 times, each between two neighbours
# seen nowhere else; their characters 30 more times each, alone. 璎濯 comes before 瑷潆 in the
# text (its units have the smaller ids), but 瑷 (U+7477) comes before 璎 (U+748E) in code points.
PAIRS = [("琰漪", 9), ("璎濯", 8), ("瑷潆", 8), ("琮涟", 7), ("璜滢", 6), ("珏澹", 5)]


@pytest.fixture(scope="module")
def many():
    lines, at = [], 0
    for word, times in PAIRS:
        for _ in range(times):
            lines.append(chr(0x5E00 + at) + word + chr(0x5F00 + at))
            at += 1
        lines.extend(list(word) * 30)
    return count_text(["\n".join(lines)], CountConfig(order=3, jobs=1))


def test_the_most_frequent_candidates_are_chosen_ties_by_code_point(many):
    config = DiscoverConfig(order=2, min_count=3)
    chosen = candidates(many, config, 0.0, jieba_known(), 100)
    assert chosen.words() == ["琰漪", "瑷潆", "璎濯", "琮涟", "璜滢", "珏澹"]
    assert chosen.count.tolist() == [9, 8, 8, 7, 6, 5]
    assert candidates(many, config, 0.0, jieba_known(), 2).words() == ["琰漪", "瑷潆"]
    assert candidates(many, config, 0.0, jieba_known(), 3).words() == ["琰漪", "瑷潆", "璎濯"]
    assert candidates(many, config, 0.0, jieba_known() | {"瑷潆"}, 2).words() == ["琰漪", "璎濯"]
    assert candidates(many, config, 2.0, jieba_known(), 100).words() == ["琰漪", "瑷潆", "璎濯"]  # freer edges


def test_the_cap_holds_only_that_many_strings_are_split(many):
    """More candidates than the cap: jieba splits the cap's number, the Bonferroni bar counts them."""
    config = DiscoverConfig(order=2, min_count=3)
    lexicon = Lexicon(["某"], np.array([3]), np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(1))
    found = {}
    for limit in (2, 100):
        jieba_split.cache_clear()
        found[limit] = jieba_surprises(many, config, lexicon, jieba_known(), limit)
        assert jieba_split.cache_info().misses == min(limit, len(PAIRS))
    assert found[2].words == ["琰漪", "瑷潆"]
    assert found[100].words == ["琰漪", "瑷潆", "璎濯"]  # of six tested, those seen 8 times or more
    assert found[100].count.tolist() == [9, 8, 8]


def test_new_only_takes_the_cap(corpus):
    """胃疼 and 之色 are seen 12 times each: the tie goes to 之 (U+4E4B) before 胃 (U+80C3), a function word."""
    assert discover_in(corpus, CONFIG, new_only=True, witness_strings=1).words == ["琰漪"]
    assert discover_in(corpus, CONFIG, new_only=True, witness_strings=2).words == ["琰漪", "胃疼"]
