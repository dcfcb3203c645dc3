import math
import subprocess
import sys

import numpy as np
import pytest
from conftest import SAMPLES

from wordmine import occurrences
from wordmine.config import CountConfig
from wordmine.contrast import (
    ContrastConfig,
    log_likelihood,
    log_odds_z,
    log_ratio,
    rank_terms,
    smoothed_share,
)
from wordmine.counting import count_text
from wordmine.occurrences import JiebaBackground, corpus_occurrences


def test_log_ratio_adds_half_a_count():
    assert log_ratio(np.array([30]), np.array([0]), 10_000, 100_000)[0] == pytest.approx(
        math.log(30.5 / 10_000) - math.log(0.5 / 100_000))


def test_smoothed_share_keeps_words_absent_from_the_general_side():
    a, b = np.array([10, 10]), np.array([0, 10])
    # b rescaled to N_D: (0, 5); alpha = 20 / 25; m = (10 + 15) / 2
    alpha, m = 20 / 25, 12.5
    expected = [(10 + alpha * m) / (10 + 0 + m), (10 + alpha * m) / (10 + 5 + m)]
    assert smoothed_share(a, b, 1000, 2000).tolist() == pytest.approx(expected)


def test_log_likelihood_matches_the_2x2_formula_and_is_signed():
    a, b, n_d, n_g = 20, 5, 1000, 1000
    e_a = e_b = (a + b) / 2
    g2 = 2 * (a * math.log(a / e_a) + b * math.log(b / e_b))
    got = log_likelihood(np.array([a, b]), np.array([b, a]), n_d, n_g)
    assert got.tolist() == pytest.approx([g2, -g2])


def test_log_odds_z_is_zero_for_equal_rates_and_grows_with_evidence():
    z = log_odds_z(np.array([10, 100, 0]), np.array([10, 10, 0]), 1000, 1000, 100.0)
    assert z[0] == pytest.approx(0.0, abs=1e-9) and z[1] > 5 and z[2] == pytest.approx(0.0, abs=1e-9)


def test_salience_ranks_frequent_free_exclusive_terms_first():
    words = ["rare", "common", "term", "bound"]
    a = np.array([3, 500, 200, 200])
    b = np.array([0, 5000, 0, 0])
    freedom = np.array([3.0, 3.0, 3.0, 0.2])
    terms = rank_terms(words, a, b, 10_000, 100_000, freedom, ContrastConfig())
    assert terms.terms == ["term", "rare", "bound", "common"]
    assert terms.general_count.tolist() == [0, 0, 0, 5000]


def test_occurrences_count_substrings_short_and_long(monkeypatch):
    corpus = count_text(["高血压患者，高血压前期，iPhone5，高血压患者多"], CountConfig(order=2, jobs=1))
    words = ["高血压", "高血压患者", "压患者多", "血", "iPhone", "iPhone5", "心脏"]
    assert corpus_occurrences(corpus, words).tolist() == [3, 2, 1, 3, 0, 1, 0]
    # Tiny windows: matches that straddle two windows are counted once.
    monkeypatch.setattr(occurrences, "STREAM_WINDOW", 3)
    assert corpus_occurrences(corpus, words).tolist() == [3, 2, 1, 3, 0, 1, 0]


def test_jieba_background_smooths_words_it_lacks():
    background = JiebaBackground()
    known, compositional, invented = background.occurrences(["医院", "医院医生", "铱囊"])
    assert known == background.frequencies["医院"]
    assert 0 < compositional < known and invented < 0.01 * compositional


def wordmine(*args):
    return subprocess.run([sys.executable, "-m", "wordmine", *map(str, args)], capture_output=True)


@pytest.mark.parametrize("background", [[SAMPLES / "everyday.txt"], []])
def test_technical_sample_terms_come_first_against_everyday_text(background):
    proc = wordmine("contrast", SAMPLES / "technical.txt", *background, "-q", "--top", "25")
    assert proc.returncode == 0, proc.stderr
    top = [line.split("\t")[0] for line in proc.stdout.decode().splitlines()]
    planted = (SAMPLES / "technical.planted").read_text(encoding="utf-8").split()
    assert [w for w in planted if w not in top] == []


def test_contrast_columns_header_and_methods(tmp_path):
    for method in ["salience", "logodds", "g2", "share"]:
        proc = wordmine("contrast", SAMPLES / "technical.txt", SAMPLES / "everyday.txt", "--method", method,
                        "--header", "--top", "3", "-q")
        lines = proc.stdout.decode().splitlines()
        assert proc.returncode == 0 and len(lines) == 4
        assert lines[0].split("\t") == ["term", "domain_count", "general_count", "domain_per_million",
                                        "general_per_million", "log_ratio", "score"]
    assert wordmine("contrast", SAMPLES / "technical.txt", "--method", "magic").returncode == 2


def test_small_general_corpus_warns_and_empty_domain_is_empty(tmp_path):
    small = tmp_path / "small.txt"
    small.write_text("今天天气很好。" * 20, encoding="utf-8")
    proc = wordmine("contrast", SAMPLES / "technical.txt", small, "--top", "1")
    assert proc.returncode == 0 and b"much smaller" in proc.stderr
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    proc = wordmine("contrast", empty, SAMPLES / "everyday.txt", "-q")
    assert proc.returncode == 0 and proc.stdout == b""
