import math

import numpy as np
import pytest

import wordmine
from wordmine.config import CountConfig
from wordmine.counting.engine.counter import count_text
from wordmine.lexicon import Lexicon
from wordmine.mining import occurrences
from wordmine.mining.contrast import (
    ContrastConfig,
    contrast,
    log_likelihood,
    log_odds_z,
    log_ratio,
    rank_terms,
    smoothed_share,
)
from wordmine.mining.dispersion import document_frequency, residual_idf
from wordmine.mining.matching import Matcher
from wordmine.mining.occurrences import CorpusBackground, JiebaBackground, corpus_occurrences
from wordmine.normalize import Vocabulary


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
    terms = rank_terms(words, a, b, 10_000, 100_000, freedom, ContrastConfig(method="salience"))
    assert terms.terms == ["term", "rare", "bound", "common"]
    assert terms.general_count.tolist() == [0, 0, 0, 5000]


def test_residual_idf_compares_lines_with_a_poisson_spread():
    # 100 occurrences over 10 000 lines fall on 99.5 lines by chance; here on 20 or on 99.5.
    got = residual_idf(np.array([100, 100, 0]), np.array([20, 99.50166, 0]), 10_000)
    assert got.tolist() == pytest.approx([math.log(99.50166 / 20), 0.0, 0.0], abs=1e-6)


@pytest.mark.parametrize("extra_units", [0, 700])
def test_document_frequency_counts_lines_packed_and_long(extra_units):
    # With 700 more units an id takes 10 bits, so words of 7 units and more go
    # through the Aho-Corasick path instead of the packed keys.
    vocab = Vocabulary(list("高血压患者喝茶好") + [chr(0x4E00 + i) for i in range(extra_units)] + ["iPhone", "iPhone5"])
    lines = ["高血压患者，高血压\n喝茶", "\n\n高血压患者喝茶好\niPhone5\n", "，，\n", "iPhone 高血压患者喝茶好\n",
             "咳高血压咳患者喝\n"]  # 咳 is not in the vocabulary: a boundary
    words = ["高血压", "喝茶", "高血压患者喝茶好", "iPhone", "患者喝", "咖啡", "压咳患"]
    df, n_lines = document_frequency(lines, vocab, words)
    assert df.tolist() == [4, 3, 2, 1, 3, 0, 0]
    assert n_lines == 6


def test_topical_is_salience_times_positive_residual_idf():
    words = ["topic", "genre", "rare", "common"]
    a = np.array([200, 200, 3, 500])
    b = np.array([0, 0, 0, 10_000])  # common: used less in the domain, ranked last by its log ratio
    freedom = np.full(4, 3.0)
    spread = np.array([1.5, -0.2, 2.0, 3.0])
    terms = rank_terms(words, a, b, 10_000, 100_000, freedom, ContrastConfig(), spread)
    assert terms.terms == ["topic", "rare", "genre", "common"]
    assert terms.score[:3].tolist() == pytest.approx([4 * math.log(200) * 3 * 1.5, 4 * math.log(3) * 3 * 2.0, 0.0])
    with pytest.raises(ValueError, match="residual IDF"):
        rank_terms(words, a, b, 10_000, 100_000, freedom, ContrastConfig())


def test_topical_puts_terms_that_gather_in_lines_above_a_spread_genre_word():
    # 您好 opens every line; 癫痫 and 胃炎 each fill the lines about them. Against
    # a general text that has none of the three, salience cannot tell them
    # apart (same count, same entropy); topical ranks the genre word last.
    lines = [f"您好，{t}发作，{t}用药，{t}复查，第{i}行。\n" for t in ["癫痫", "胃炎"] for i in range(20)]
    lines += [f"您好，今天第{i}行。\n" for i in range(20)]
    domain = count_text(lines, CountConfig(order=4, jobs=1))
    general = CorpusBackground(count_text(["今天天气很好，我们去公园散步。\n"] * 50, CountConfig(order=4, jobs=1)))
    words = ["您好", "癫痫", "胃炎"]
    lexicon = Lexicon(words, np.array([60, 60, 60]), np.zeros(3), np.full(3, 3.0), np.full(3, 3.0), np.zeros(3))
    salience = contrast(domain, lexicon, general, ContrastConfig(method="salience"))
    assert salience.score.tolist() == pytest.approx([salience.score[0]] * 3)
    topical = contrast(domain, lexicon, general, ContrastConfig(), lines)
    assert topical.terms == ["癫痫", "胃炎", "您好"]
    # 60 occurrences, 3 a line, on 20 of 60 lines: ridf = ln(60 (1 - e^-1) / 20).
    ridf = math.log(60 * (1 - math.exp(-1)) / 20)
    assert topical.score.tolist() == pytest.approx([salience.score[0] * ridf] * 2 + [0.0])


def test_topical_on_one_line_ranks_by_salience():
    text = "，".join(["您好", "癫痫发作", "癫痫用药", "胃炎复查", "今天"] * 10)
    domain = count_text([text], CountConfig(order=4, jobs=1))
    general = CorpusBackground(count_text(["今天天气很好，我们去公园散步。\n"] * 50, CountConfig(order=4, jobs=1)))
    lexicon = Lexicon(["您好", "癫痫", "胃炎"], np.array([10, 20, 10]), np.zeros(3), np.array([3.0, 2.0, 1.0]),
                      np.full(3, 3.0), np.zeros(3))
    topical = contrast(domain, lexicon, general, ContrastConfig(), [text])
    salience = contrast(domain, lexicon, general, ContrastConfig(method="salience"))
    assert topical.terms == salience.terms == ["您好", "癫痫", "胃炎"]
    assert topical.score.tolist() == salience.score.tolist()


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


@pytest.mark.parametrize("against_everyday", [True, False])
def test_technical_sample_terms_come_first_against_everyday_text(samples, run_wordmine, against_everyday):
    background = [samples / "everyday.txt"] if against_everyday else []
    # The sample's invented words were sprinkled over its lines at random, so
    # they do not gather the way real terms do; salience is the method that
    # does not look at lines (README).
    proc = run_wordmine("contrast", samples / "technical.txt", *background, "-q", "--top", "25", "--method", "salience")
    assert proc.returncode == 0, proc.stderr
    top = [line.split("\t")[0] for line in proc.stdout.decode().splitlines()]
    planted = (samples / "technical.planted").read_text(encoding="utf-8").split()
    assert [w for w in planted if w not in top] == []


@pytest.mark.parametrize("method", ["topical", "salience"])
def test_readme_demo_lines_are_what_contrast_prints(samples, run_wordmine, method):
    readme = (samples.parent / "README.md").read_text(encoding="utf-8")
    command = f"technical.txt corpora_samples/everyday.txt {'--method salience ' if method == 'salience' else ''}--top 12"
    shown = readme.split(command, 1)[1].splitlines()[1].split()
    proc = run_wordmine("contrast", samples / "technical.txt", samples / "everyday.txt", "--method", method,
                    "--top", "12", "-q")
    assert [line.split("\t")[0] for line in proc.stdout.decode().splitlines()] == shown


def test_contrast_columns_header_and_methods(samples, run_wordmine, tmp_path):
    for method in ["topical", "salience", "logodds", "g2", "share"]:
        proc = run_wordmine("contrast", samples / "technical.txt", samples / "everyday.txt", "--method", method,
                        "--header", "--top", "3", "-q")
        lines = proc.stdout.decode().splitlines()
        assert proc.returncode == 0 and len(lines) == 4
        assert lines[0].split("\t") == ["term", "domain_count", "general_count", "domain_per_million",
                                        "general_per_million", "log_ratio", "score"]
    assert run_wordmine("contrast", samples / "technical.txt", "--method", "magic").returncode == 2


def test_small_general_corpus_warns_and_empty_domain_is_empty(samples, run_wordmine, tmp_path):
    small = tmp_path / "small.txt"
    small.write_text("今天天气很好。" * 20, encoding="utf-8")
    proc = run_wordmine("contrast", samples / "technical.txt", small, "--top", "1")
    assert proc.returncode == 0 and b"much smaller" in proc.stderr
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    proc = run_wordmine("contrast", empty, samples / "everyday.txt", "-q")
    assert proc.returncode == 0 and proc.stdout == b""


# Words longer than the n-gram tables (counts) or the packed keys (lines) are matched
# in the text by wordmine.mining.matching; each figure is checked against a naive scan.


def _naive_matches(values: list[int], patterns: list[tuple[int, ...]]) -> list[tuple[int, int]]:
    index = {pattern: p for p, pattern in enumerate(patterns)}
    lengths = sorted({len(pattern) for pattern in patterns})
    return sorted((index[tuple(values[start : start + n])], start) for n in lengths
                  for start in range(len(values) - n + 1) if tuple(values[start : start + n]) in index)


@pytest.mark.parametrize("seed", range(4))
def test_matcher_finds_every_occurrence_a_naive_scan_finds(seed):
    rng = np.random.default_rng(seed)
    for _ in range(60):
        # Few symbols make overlaps (1 2 1 2 1); values above every symbol (7, 2**31) match nothing.
        alphabet = rng.choice([1, 2, 5, 10**6], size=3, replace=False)
        values = rng.choice(np.append(alphabet, [0, 7, 2**31]), size=int(rng.integers(0, 80)))
        patterns = sorted({tuple(rng.choice(alphabet, size=int(rng.integers(1, 12))).tolist()) for _ in range(6)})
        if rng.random() < 0.5:
            patterns.append(tuple(range(100, 100 + int(rng.integers(1, 30)))))
            values = np.concatenate([values, np.arange(95, 130), values])
        which, start = Matcher([np.array(p) for p in patterns]).find(values.astype(np.uint32))
        assert sorted(zip(which.tolist(), start.tolist())) == _naive_matches(values.tolist(), patterns)


def test_matcher_with_many_symbols_packs_few_to_a_key_and_still_finds_every_occurrence():
    # Over 65,536 symbols take 17 bits each, 3 to a key: a pattern of 2 to 10 symbols is one to
    # four keys, and half the patterns share their first key with others.
    rng = np.random.default_rng(7)
    stems = rng.integers(0, 200_000, size=(500, 3))
    patterns = set()
    for n in rng.integers(2, 11, size=20_000).tolist():
        pattern = rng.integers(0, 200_000, size=n)
        if rng.random() < 0.5:
            pattern[: min(n, 3)] = stems[rng.integers(500), : min(n, 3)]
        patterns.add(tuple(pattern.tolist()))
    patterns = sorted(patterns)
    assert len({s for p in patterns for s in p}) > 65_536
    picked = rng.choice(len(patterns), size=3_000)
    values = np.concatenate([np.append(patterns[p], rng.integers(0, 200_000, size=2)) for p in picked])
    which, start = Matcher([np.array(p) for p in patterns]).find(values)
    assert sorted(zip(which.tolist(), start.tolist())) == _naive_matches(values.tolist(), patterns)
    assert len(which) >= 3_000


def test_matcher_refuses_no_pattern_an_empty_one_or_one_twice():
    for patterns in ([], [np.array([1, 2]), np.array([], np.int64)], [np.array([1, 2, 3]), np.array([1, 2, 3])]):
        with pytest.raises(ValueError, match="Matcher"):
            Matcher(patterns)


def _long_word_corpus(seed: int, n_words: int = 300) -> tuple[list[str], list[str]]:
    """Lines of random Han characters with long words planted, every word starting with its own character."""
    rng = np.random.default_rng(seed)
    han = [chr(0x4E00 + i) for i in range(3000)]
    words = sorted({han[i] + "".join(rng.choice(han[1000:], size=int(rng.integers(4, 12))).tolist())
                    for i in range(n_words)})
    lines = []
    for _ in range(400):
        parts = ["".join(rng.choice(han[:1500], size=int(rng.integers(0, 6))).tolist())]
        for word in rng.choice(words, size=int(rng.integers(0, 4))).tolist():
            parts += [word * int(rng.integers(1, 3)), "".join(rng.choice(han, size=int(rng.integers(0, 4))).tolist())]
        lines.append("，".join(parts) + "\n")
    return words, lines


def test_long_words_are_counted_and_lined_as_a_naive_scan_finds_them(monkeypatch):
    # 300 long words with as many first characters: the case where an Aho-Corasick pass slowed down.
    words, lines = _long_word_corpus(0)
    corpus = count_text(lines, CountConfig(order=4, jobs=1))
    occurs = [sum(line.startswith(w, i) for line in lines for i in range(len(line))) for w in words]
    assert sum(o > 0 for o in occurs) > 200 and max(occurs) > 1
    assert corpus_occurrences(corpus, words).tolist() == occurs
    monkeypatch.setattr(occurrences, "STREAM_WINDOW", 5)  # windows shorter than the words
    assert corpus_occurrences(corpus, words).tolist() == occurs
    # About 2,200 units take 12 bits, so words of 6 units and more are found as runs of characters.
    df, n_lines = document_frequency(lines, corpus.vocab, words)
    assert df.tolist() == [sum(w in line for line in lines) for w in words]
    assert n_lines == sum(line != "\n" for line in lines)


@pytest.mark.parametrize("method", ["topical", "salience"])
def test_contrast_of_long_words_is_the_same_under_a_tiny_budget(tmp_path, method):
    _, domain_lines = _long_word_corpus(1)
    _, general_lines = _long_word_corpus(2)
    domain, general = tmp_path / "domain.txt", tmp_path / "general.txt"
    domain.write_text("".join(domain_lines * 3), encoding="utf-8")
    general.write_text("".join(general_lines), encoding="utf-8")
    big = wordmine.contrast(str(domain), [str(general)], method=method, min_count=3, memory=1 << 30, jobs=1)
    small = wordmine.contrast(str(domain), [str(general)], method=method, min_count=3, memory=1 << 17, jobs=1)
    assert small == big
    long = [t for t in big if len(t.term) > 4]
    assert len(long) > 20
    domain_text, general_text = domain.read_text(encoding="utf-8"), general.read_text(encoding="utf-8")
    for term in long:
        assert term.domain_count == sum(domain_text.startswith(term.term, i) for i in range(len(domain_text)))
        assert term.general_count == sum(general_text.startswith(term.term, i) for i in range(len(general_text)))
