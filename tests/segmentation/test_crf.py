"""The CRF segmenter: exact inference against brute force, the gradient, learning planted words, losslessness."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import DATA, with_version
from wordmine.config import CountConfig, CRFConfig
from wordmine.counting.engine.counter import count_text
from wordmine.segmentation.crf.chain import (
    Layout,
    _viterbi_any,
    _viterbi_segmentation,
    allowed_transitions,
    marginals,
    path_scores,
    tags_of_ends,
    viterbi,
)
from wordmine.segmentation.crf.features import STATISTICS, Standardiser
from wordmine.segmentation.crf.learn import learn_crf, objective
from wordmine.segmentation.crf.model import CRFModel
from wordmine.segmentation.crf.teacher import gold_runs
from wordmine.segmentation.lossless import segment_text


def _offsets(lengths: list[int]) -> np.ndarray:
    return np.concatenate([np.arange(n) for n in lengths]).astype(np.int64)


def _brute(emission: np.ndarray, transitions: np.ndarray, length: int) -> tuple[np.ndarray, list]:
    paths = list(itertools.product(range(4), repeat=length))
    scores = np.array([path_scores(emission, transitions, np.array(p), np.arange(length))[0] for p in paths])
    return scores, paths


@given(st.lists(st.integers(1, 5), min_size=1, max_size=4), st.integers(0, 2**31), st.booleans())
@settings(max_examples=60, deadline=None)
def test_log_z_and_viterbi_equal_brute_force(lengths, seed, any_transition):
    rng = np.random.default_rng(seed)
    # BMES constraints (Viterbi's two-predecessor path) or every transition finite (its general path)
    transitions = rng.normal(size=(4, 4)) + (0 if any_transition else allowed_transitions())
    offsets = _offsets(lengths)
    emission = rng.normal(size=(len(offsets), 4)) * 2
    unit, _, log_z = marginals(emission, transitions, offsets)
    best = viterbi(emission, transitions, offsets)
    for run, start in enumerate(np.flatnonzero(offsets == 0)):
        n = lengths[run]
        scores, paths = _brute(emission[start : start + n], transitions, n)
        assert log_z[run] == pytest.approx(np.logaddexp.reduce(scores), abs=1e-9)
        assert scores[paths.index(tuple(best[start : start + n].tolist()))] == pytest.approx(scores.max())
        # the marginal of each tag is the share of the paths through it
        p = np.exp(scores - np.logaddexp.reduce(scores))
        for i in range(n):
            expected = [p[[path[i] == tag for path in paths]].sum() for tag in range(4)]
            assert unit[start + i] == pytest.approx(expected, abs=1e-9)
    assert np.allclose(unit.sum(axis=1), 1.0)


def test_viterbi_only_spells_segmentations():
    rng = np.random.default_rng(1)
    offsets = _offsets([7, 1, 3, 12])
    tags = viterbi(rng.normal(size=(len(offsets), 4)) * 5, allowed_transitions(), offsets)
    assert (tags_of_ends(np.isin(tags, [2, 3]), offsets) == tags).all()


@given(st.lists(st.integers(1, 9), min_size=1, max_size=6), st.integers(0, 2**31))
@settings(max_examples=60, deadline=None)
def test_viterbi_segmentation_path_breaks_ties_as_the_general_path(lengths, seed):
    """The two-predecessor Viterbi picks the same tags as the maximum over four, ties included."""
    rng = np.random.default_rng(seed)
    offsets = _offsets(lengths)
    # small integers: many paths tie, so the order in which ties are broken shows
    emission = rng.integers(-2, 3, size=(len(offsets), 4)).astype(np.float64)
    transitions = allowed_transitions() + rng.integers(-1, 2, size=(4, 4))
    layout = Layout(offsets)
    assert _viterbi_segmentation(emission, transitions, layout).tolist() == \
        _viterbi_any(emission, transitions, layout).tolist()


def _tiny_model(rng: np.random.Generator) -> CRFModel:
    return CRFModel(None, 4, rng.normal(size=(16, 4)).astype(np.float32), rng.normal(size=(STATISTICS, 4)),
                    Standardiser(np.zeros(STATISTICS), np.ones(STATISTICS)),
                    allowed_transitions() + rng.normal(size=(4, 4)))


def test_gradient_equals_finite_differences():
    rng = np.random.default_rng(2)
    model = _tiny_model(rng)
    offsets = _offsets([3, 1, 4])
    n = len(offsets)
    hashed = rng.integers(0, 16, size=(n, 3)).astype(np.uint32)
    dense = rng.normal(size=(n, STATISTICS))  # float64, as the finite differences need
    tags = tags_of_ends(rng.random(n) < 0.5, offsets).astype(np.int64)
    weight = np.repeat(np.array([1.0, 2.0, 0.5]), [3, 1, 4])
    model.weights = model.weights.astype(np.float64)  # finite differences need double precision
    _, g_table, g_dense, g_trans = objective(model, hashed, dense, tags, offsets, weight, 0.1)

    def loss() -> float:
        return objective(model, hashed, dense, tags, offsets, weight, 0.1)[0]

    h = 1e-6
    for array, grad in ((model.weights, g_table), (model.dense_weights, g_dense), (model.transitions, g_trans)):
        for index in [tuple(rng.integers(0, s) for s in array.shape) for _ in range(12)]:
            if not np.isfinite(array[index]):
                continue
            old = array[index]
            array[index] = old + h
            up = loss()
            array[index] = old - h
            down = loss()
            array[index] = old
            assert grad[index] == pytest.approx((up - down) / (2 * h), rel=1e-4, abs=1e-6)


def _toy_text() -> str:
    rng = np.random.default_rng(3)
    words = ["蜻蜓", "葡萄", "玻璃杯", "琵琶", "鹦鹉", "看", "和", "的", "在", "了"]
    lines = []
    for _ in range(400):
        picked = rng.choice(len(words), size=rng.integers(3, 8))
        lines.append("".join(words[i] for i in picked) + "。")
    return "\n".join(lines) + "\n"


def test_planted_words_come_out_whole():
    text = _toy_text()
    model = learn_crf(count_text([text], CountConfig(order=4, jobs=1)), CRFConfig(hash_bits=14))
    out = segment_text("鹦鹉看玻璃杯和琵琶了。葡萄在蜻蜓的玻璃杯", model)
    assert out == ["鹦鹉 看 玻璃杯 和 琵琶 了 。 葡萄 在 蜻蜓 的 玻璃杯"]


def test_gold_lines_teach_a_word_the_corpus_splits():
    text = _toy_text()
    corpus = count_text([text], CountConfig(order=4, jobs=1))
    gold = [["蜻", "蜓", "看", "葡萄"]] * 200
    model = learn_crf(corpus, CRFConfig(hash_bits=14, gold_weight=5.0), gold=gold)
    assert segment_text("蜻蜓看葡萄", model) == ["蜻 蜓 看 葡萄"]


@given(st.text(max_size=60))
@settings(max_examples=80, deadline=None)
def test_lossless_over_arbitrary_unicode(lossless, crf_model, text):
    lossless(text, segment_text(text, crf_model))


def _emission_as_summed_before(model: CRFModel, ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The emission as the CRF first summed it: float32, statistic by statistic, then template by template."""
    hashed, dense = model.features(ids, offsets)
    out = np.zeros((len(ids), 4), np.float32)
    weights = model.dense_weights.astype(np.float32)
    for k in range(dense.shape[1]):
        out += dense[:, k, None] * weights[k]
    for j in range(hashed.shape[1]):
        out += model.weights[hashed[:, j]]
    return out.astype(np.float64)


@given(st.text(alphabet="蜻蜓葡萄玻璃杯琵琶鹦鹉看和的在了一二三十abc12。，  \n", max_size=80))
@settings(max_examples=60, deadline=None)
def test_segmenting_emission_is_the_learning_emission_bit_for_bit(crf_model, crf_model_with_dictionary, text):
    """Segmenting reads the unigram and class templates from small tables; the scores must not move by one bit."""
    from wordmine.normalize import code_points, unit_spans
    from wordmine.segmentation.lossless import run_offsets

    for model in (crf_model, crf_model_with_dictionary):
        cps = code_points(text)
        spans = unit_spans(cps)
        ids = model.vocabulary().ids_of_spans(cps, spans, grow=False).astype(np.int64)
        new_run = np.ones(len(ids), bool)
        new_run[1:] = spans.start[1:] != spans.end[:-1]
        offsets = run_offsets(new_run)
        expected = _emission_as_summed_before(model, ids, offsets)
        assert np.array_equal(model.emission(*model.features(ids, offsets)), expected)
        assert np.array_equal(model.decode_emission(ids, offsets), expected)


@pytest.fixture(scope="module")
def crf_model_with_dictionary(tmp_path_factory):
    words = tmp_path_factory.mktemp("dictionary") / "words.txt"
    words.write_text("玻璃杯\n葡萄\n看和\n", encoding="utf-8")
    return learn_crf(count_text([_toy_text()], CountConfig(order=4, jobs=1)),
                     CRFConfig(hash_bits=12, dictionary=str(words)))


@pytest.fixture(scope="module")
def crf_model():
    return learn_crf(count_text([_toy_text()], CountConfig(order=4, jobs=1)), CRFConfig(hash_bits=12))


def test_gold_runs_tag_units_across_punctuation_and_latin():
    from wordmine.normalize import Vocabulary

    vocab = Vocabulary(["天", "地", "abc"])
    ids, offsets, tags = gold_runs([["天abc", "地", "，", "天地"]], vocab)
    assert ids.tolist() == [1, 3, 2, 1, 2]
    assert offsets.tolist() == [0, 1, 2, 0, 1]
    assert tags.tolist() == [0, 2, 3, 0, 2]


@pytest.mark.skipif(not (DATA / "pd1998" / "raw.txt").is_file(), reason="no pd1998 under ../shared/data")
@pytest.mark.slow
def test_common_words_whole_in_pd1998():
    """但是, 此外 and 所以 come out whole in pd1998 segmented by a CRF learned on it (charlm: 0 times of 235, 98, 180)."""
    with open(DATA / "pd1998" / "raw.txt", encoding="utf-8") as handle:
        text = handle.read()
    model = learn_crf(count_text([text], CountConfig(order=4, jobs=1)), CRFConfig())
    lines = [line for line in text.split("\n") if any(w in line for w in ("但是", "此外", "所以"))]
    out = " " + " ".join(segment_text("\n".join(lines) + "\n", model)) + " "
    for word in ("但是", "此外", "所以"):
        # 所以 is also part of 之所以, a word of its own in the gold standard
        assert out.count(f" {word} ") >= 0.7 * text.count(word), word


def test_model_file_round_trip_and_other_version_refused(tmp_path, crf_model):
    from wordmine.errors import FormatError
    from wordmine.segmentation.modelfile import read_model, write_model

    path = tmp_path / "m.wmm"
    write_model(crf_model, str(path))
    back = read_model(str(path))
    assert back.hash_bits == crf_model.hash_bits and np.array_equal(back.weights, crf_model.weights)
    text = _toy_text()[:300]
    assert segment_text(text, back) == segment_text(text, crf_model)
    with pytest.raises(FormatError, match="version 7"):
        read_model(str(with_version(path, 7)))


def test_cli_learn_crf_then_segment_with_the_model(tmp_path, run_wordmine):
    corpus, model = tmp_path / "toy.txt", tmp_path / "toy.wmm"
    corpus.write_text(_toy_text(), encoding="utf-8")
    learned = run_wordmine("learn", corpus, "--method", "crf", "-o", model, "-q")
    assert learned.returncode == 0, learned.stderr
    out = run_wordmine("segment", "--model", model, "--jobs", "2", "-q",
                       input="鹦鹉看玻璃杯和琵琶了。\n葡萄在蜻蜓的玻璃杯\n".encode())
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode() == "鹦鹉 看 玻璃杯 和 琵琶 了 。\n葡萄 在 蜻蜓 的 玻璃杯\n"
    wrong = run_wordmine("learn", corpus, "--method", "charlm", "--teacher", "lexicon", "-o", model)
    assert wrong.returncode == 2 and b"--method crf" in wrong.stderr
    assert run_wordmine("segment", corpus, "--model", model, "--dictionary", "jieba").returncode == 2
