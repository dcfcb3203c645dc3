"""--new-only ranks its words by the evidence that they are new (wordmine.mining.surprise.rank_by_evidence)."""

import numpy as np
import pytest

from wordmine.api import discover_in
from wordmine.config import CountConfig, DiscoverConfig
from wordmine.counting.engine.counter import count_text
from wordmine.lexicon import Lexicon
from wordmine.mining.surprise import evidence, rank_by_evidence

LEFT, RIGHT = "甲乙丙丁戊己庚辛壬癸亥午", "子丑寅卯辰巳未申酉戌天地"
CONFIG = DiscoverConfig(order=2, min_count=3)


def _generated_lines() -> list[str]:
    """Two strings jieba lacks, 30 times each in some 5,000 units: 觥罍 between 12 different
    neighbours on each side, its characters also 12 times apart each; 琰漪 between the same three
    neighbours on each side, its characters never apart. The neighbours also stand alone, 200 times
    each, so that no longer string holds together.

    觥罍 has the freer edges (ln 12 against ln 3), so discovery, which ranks by
    count times the smaller boundary entropy, puts it first; 琰漪 is the more
    cohesive (its characters occur only together), so its count is the further
    above what its weakest split predicts, and ``--new-only`` puts it first.
    """
    lines = []
    for i in range(30):
        lines.append(f"{LEFT[i % 12]}觥罍{RIGHT[(i * 5) % 12]}，{LEFT[i % 3]}琰漪{RIGHT[(i // 3) % 3]}。")
    for i in range(12):
        lines.append(f"{LEFT[i]}觥{RIGHT[(i * 7) % 12]}，{RIGHT[i]}罍{LEFT[(i * 5) % 12]}。")
    lines.extend("，".join(LEFT + RIGHT) + "。" for _ in range(200))  # single characters: units, no n-grams
    return lines


@pytest.fixture(scope="module")
def corpus():
    return count_text(_generated_lines(), CountConfig(order=3, jobs=1))


def test_discovery_ranks_by_free_edges_new_only_by_evidence(corpus):
    assert discover_in(corpus, CONFIG).words == ["觥罍", "琰漪"]
    assert discover_in(corpus, CONFIG, new_only=True).words == ["琰漪", "觥罍"]


def test_the_score_of_a_new_word_is_its_evidence(corpus):
    found = discover_in(corpus, CONFIG)
    new = discover_in(corpus, CONFIG, new_only=True)
    by_word = dict(zip(found.words, range(len(found))))
    at = [by_word[w] for w in new.words]
    expected = evidence(new.words, found.count[at], found.cohesion[at], corpus.counts.total)
    assert np.allclose(new.score, expected)
    assert (np.diff(new.score) <= 0).all()
    assert new.count.tolist() == found.count[at].tolist()  # the other columns are the word's own


def test_ties_go_to_the_more_frequent_word_then_keep_their_order():
    lexicon = Lexicon(["丙丁", "甲乙", "戊己"], np.array([5, 5, 9]), np.zeros(3), np.ones(3), np.ones(3),
                      np.array([3.0, 2.0, 1.0]))
    # cohesion 0 everywhere: each count is what its split predicts, no evidence at all
    ranked = rank_by_evidence(lexicon, 1000)
    assert ranked.words == ["戊己", "丙丁", "甲乙"]
    assert ranked.score.tolist() == [0.0, 0.0, 0.0]


def test_an_empty_list_stays_empty():
    empty = Lexicon([], *(np.zeros(0) for _ in range(5)))
    assert len(rank_by_evidence(empty, 100)) == 0
