import math
import struct
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import with_version
from wordmine.config import CountConfig
from wordmine.counting.engine.counter import count_text
from wordmine.errors import FormatError
from wordmine.mining.scoring import boundary_entropy, entropy_variation
from wordmine.segmentation.charlm.kneser_ney import kneser_ney, prune
from wordmine.segmentation.charlm.model import (
    PUBLISHED_TRANSITIONS,
    CharLMConfig,
    best_tag_ends,
    boundary_scores,
    lattice_scores,
    learn_charlm,
    span_f1,
    tag_scores,
    transition_matrix,
    variation_values,
)
from wordmine.segmentation.lossless import segment_text
from wordmine.segmentation.modelfile import VERSION, read_model, write_model

LOG10 = math.log(10)


@pytest.fixture(scope="module")
def toy_corpus(toy_text):
    return count_text([toy_text], CountConfig(order=4, jobs=1))


@pytest.fixture(scope="module")
def toy_charlm(toy_corpus):
    # The published weights: on a corpus this small the default scale splits 小鸟 (see charlm's doctest).
    return learn_charlm(toy_corpus, CharLMConfig(transitions="published"))


def tags_of(log10_scores, offsets=None):
    scores = np.array(log10_scores, float) * LOG10
    offsets = np.arange(len(scores)) if offsets is None else np.array(offsets)
    return best_tag_ends(scores, offsets, transition_matrix(PUBLISHED_TRANSITIONS)).tolist()


def test_two_characters_join_only_past_the_published_threshold():
    # log10 p(x) = p(y) = -1. Apart: -1 + -1 = -2. Together: -1 - 0.82 + log10 p(y|x).
    # p(y|x) = -0.1 gives -1.92 > -2 (one word); -0.3 gives -2.12 < -2 (two words).
    assert tags_of([[-1, -9, -9, -9], [-1, -0.1, -9, -9]]) == [False, True]
    assert tags_of([[-1, -9, -9, -9], [-1, -0.3, -9, -9]]) == [True, True]


def test_long_word_pays_every_transition():
    # Five characters, each well predicted only in its own place of one 5-character word
    # (-0.1), otherwise scored u as a word start. Transitions: b c d e e cost
    # -0.82 - 2 - 2 - 3 = -7.82, the 4-character word -4.82.
    def rows(u):
        return [[u, -9, -9, -9], [u, -0.1, -9, -9], [u, -9, -0.1, -9], [u, -9, -9, -0.1], [u, -9, -9, -0.1]]

    # u = -3.5: whole u - 0.4 - 7.82 = -11.72 beats 4 + 1: 2u - 0.3 - 4.82 = -12.12.
    assert tags_of(rows(-3.5)) == [False, False, False, False, True]
    # u = -3: 4 + 1 = -11.12 beats whole = -11.22 (and 2 + 1 + 1 + 1 = 4u - 0.92 = -12.92).
    assert tags_of(rows(-3.0)) == [False, False, False, True, True]


def test_runs_are_decoded_independently():
    rows = [[-1, -9, -9, -9], [-1, -0.1, -9, -9]] * 2
    assert tags_of(rows, offsets=[0, 1, 0, 1]) == [False, True, False, True]


def test_toy_corpus_segments_exactly(toy_charlm):
    assert segment_text("白狗讨厌骨头——黑猫喜欢鱼……\n\n小鸟，米粒", toy_charlm) == [
        "白狗 讨厌 骨头 —— 黑猫 喜欢 鱼 ……", "", "小鸟 ， 米粒"]


def test_probabilities_sum_to_one_in_every_context(toy_charlm):
    # For each context the model holds, the known units and the unknown share add up to 1.
    model = toy_charlm
    units = np.arange(1, len(model.units))
    unknown = len(model.units) + 7
    table = model.table()
    for order in range(1, model.order):
        contexts = table.decode(order, np.arange(len(model.keys[order - 1])))
        for context in contexts[:: max(1, len(contexts) // 15)]:
            nexts = np.concatenate([units, [unknown]])
            ids = np.concatenate([np.concatenate([context, [w]]) for w in nexts])
            offsets = np.tile(np.arange(order + 1), len(nexts))
            scores = tag_scores(ids, offsets, model)[order :: order + 1, order]
            assert np.isfinite(scores).all()
            assert np.exp(scores).sum() == pytest.approx(1.0, abs=1e-9), context


def test_unseen_characters_score_finitely_and_come_out(toy_charlm):
    vocab = toy_charlm.vocabulary()
    ids = vocab.encode("黑猫吃鳗鲡", grow=False).astype(np.int64)
    assert (ids[2:] == 0).all()
    scores = tag_scores(ids, np.arange(len(ids)), toy_charlm)
    assert np.isfinite(scores[np.arange(len(ids))[:, None] >= np.arange(4)[None, :]]).all()
    assert np.isfinite(scores[:, 0]).all() and (scores[:, 0] < 0).all()
    assert segment_text("黑猫吃鳗鲡iPhone！", toy_charlm)[0].replace(" ", "") == "黑猫吃鳗鲡iPhone！"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from("黑猫白狗喜欢讨厌鱼，。 \n——ab1"), st.characters()), max_size=80))
def test_charlm_never_loses_adds_or_reorders_a_character(lossless, toy_charlm, text):
    lossless(text, segment_text(text, toy_charlm))


def test_transition_modes_scale_the_published_weights(toy_corpus):
    published = transition_matrix(PUBLISHED_TRANSITIONS)
    for config, scale in [(CharLMConfig(transitions="published"), 1.0), (CharLMConfig(), 1.25),
                          (CharLMConfig(scale=2.0), 2.0)]:
        assert np.array_equal(learn_charlm(toy_corpus, config).transitions, published * scale)
    calibrated = learn_charlm(toy_corpus, CharLMConfig(transitions="calibrated", scales=(1.0, 3.0)))
    assert any(np.array_equal(calibrated.transitions, published * s) for s in (1.0, 3.0))
    with pytest.raises(ValueError, match="transitions must be one of"):
        CharLMConfig(transitions="learned")


def test_pruned_model_with_chained_keys_scores_like_packed_keys(toy_text):
    # 32 bits a unit: orders 3 and 4 are chained keys, renumbered when order 3 is pruned.
    text = toy_text + "，小鸟喜欢鳟鱼，白狗讨厌黑猫"
    wide = learn_charlm(count_text([text], CountConfig(order=4, jobs=1, bits=32)), CharLMConfig(prune_count=3))
    narrow = learn_charlm(count_text([text], CountConfig(order=4, jobs=1)), CharLMConfig(prune_count=3))
    assert wide.bits == 32 and narrow.bits == 16
    assert [len(k) for k in wide.keys] == [len(k) for k in narrow.keys]
    ids = narrow.vocabulary().encode(text[:200], grow=False).astype(np.int64)
    offsets = np.arange(len(ids)) - np.maximum.accumulate(np.where(ids == 0, np.arange(len(ids)), 0))
    assert np.array_equal(tag_scores(ids, offsets, wide), tag_scores(ids, offsets, narrow))
    full = learn_charlm(count_text([text], CountConfig(order=4, jobs=1)), CharLMConfig(prune_count=1))
    assert len(full.keys[3]) > len(narrow.keys[3]) and len(full.keys[1]) == len(narrow.keys[1])


def test_entropy_variation_is_the_rise_of_branching_entropy(toy_text, toy_corpus):
    # 讨厌 is followed by 鱼, 骨 and 米 equally: H_right = ln 3; 讨 is always followed by 厌: H_right = 0.
    table = toy_corpus.counts
    right, left = entropy_variation(table, 4)
    ids = toy_corpus.vocab.encode("讨厌", grow=False).astype(np.int64)
    row = table.index(2, ids[None, :])[0]
    assert right[1][row] == pytest.approx(math.log(3))
    # On the left, 讨厌 is preceded by 猫, 狗 and 鸟 equally, 厌 always by 讨: ln 3 - 0.
    assert left[1][row] == pytest.approx(math.log(3))
    # 狗讨 is always followed by 厌, 狗 by 喜 or 讨 equally: the entropy falls inside a word, 0 - ln 2.
    row = table.index(2, toy_corpus.vocab.encode("狗讨", grow=False).astype(np.int64)[None, :])[0]
    assert right[1][row] == pytest.approx(-math.log(2))
    # Order 1 varies against the entropy of the unit distribution itself.
    _, h_right = boundary_entropy(table, 1)
    shares = table.counts[0] / table.counts[0].sum()
    assert np.allclose(right[0], h_right + (shares * np.log(shares)).sum())
    assert [len(v) for v in right] == [len(k) for k in table.keys[:4]] and not np.isnan(right[3]).any()
    assert np.isnan(entropy_variation(count_text([toy_text], CountConfig(order=2, jobs=1)).counts, 3)[0][2]).all()


def test_boundary_scores_average_what_the_model_knows_around_each_position(toy_charlm):
    # 白狗讨厌鱼: the mean of the right variations of the n-grams ending before each position
    # and the left variations of those starting at it, all in the model.
    model = toy_charlm
    ids = model.vocabulary().encode("白狗讨厌鱼", grow=False).astype(np.int64)
    table = model.table()
    expected = [0.0]
    for i in range(1, 5):
        terms = []
        for k in range(1, 5):
            if i - k >= 0:
                row = table.index(k, ids[None, i - k : i])[0]
                if row >= 0:
                    terms.append(model.right_variation[k - 1][row])
            if i + k <= 5:
                row = table.index(k, ids[None, i : i + k])[0]
                if row >= 0:
                    terms.append(model.left_variation[k - 1][row])
        expected.append(np.mean(terms))
    rows_by_order = [table.index(k, np.stack([ids[max(j - k + 1, 0) : j + 1] for j in range(k - 1, 5)]))
                     for k in range(1, 5)]
    rows_by_order = [np.concatenate([np.full(k - 1, -1), r]) for k, r in zip(range(1, 5), rows_by_order)]
    got = boundary_scores(np.arange(5), variation_values(rows_by_order, model))
    assert got == pytest.approx(expected, abs=1e-6)
    # 狗|讨 ends a word and 讨|厌 does not: the variations say so.
    assert got[2] > 0 > got[3]


def test_boundary_weight_moves_only_tag_b(toy_corpus):
    plain = learn_charlm(toy_corpus, CharLMConfig(boundary_weight=0))
    weighted = learn_charlm(toy_corpus, CharLMConfig(boundary_weight=2.0))
    assert plain.right_variation and weighted.boundary_weight == 2.0
    ids = plain.vocabulary().encode("白狗讨厌鱼", grow=False).astype(np.int64)
    a, b = tag_scores(ids, np.arange(5), plain), tag_scores(ids, np.arange(5), weighted)
    assert np.array_equal(a[:, 1:], b[:, 1:]) and a[0, 0] == b[0, 0]
    plain.boundary_weight = 2.0
    assert np.array_equal(tag_scores(ids, np.arange(5), plain), b)
    with pytest.raises(ValueError, match="boundary weight"):
        CharLMConfig(boundary_weight=-1.0)
    with pytest.raises(ValueError, match="word weight"):
        CharLMConfig(word_weight=-1.0)


def test_word_end_scores_are_weighted_autonomy_times_length(toy_corpus):
    model = learn_charlm(toy_corpus, CharLMConfig(word_weight=0.5))
    ids = model.vocabulary().encode("白狗讨厌鱼", grow=False).astype(np.int64)
    _, word_end = lattice_scores(ids, np.arange(5), model)
    table = model.table()
    for j in range(5):
        for k in range(1, 5):
            row = table.index(k, ids[None, j - k + 1 : j + 1])[0] if j >= k - 1 else -1
            a = model.right_variation[k - 1][row] + model.left_variation[k - 1][row] if row >= 0 else 0.0
            assert word_end[j, k - 1] == pytest.approx(0.5 * k * a, abs=1e-6), (j, k)
    # 讨厌 looks like a word, 狗讨 does not.
    assert word_end[3, 1] > 0 > word_end[2, 1]
    zero = lattice_scores(ids, np.arange(5), learn_charlm(toy_corpus, CharLMConfig(word_weight=0)))[1]
    assert not zero.any()


def test_word_end_score_is_paid_inside_a_run_and_at_its_end():
    scores = np.array([[-1, -9, -9, -9], [-1, -0.3, -9, -9]]) * LOG10
    matrix = transition_matrix(PUBLISHED_TRANSITIONS)
    # Apart -2 beats together -2.12, unless a two-unit word ending at unit 1 (at the run's end) gets 0.2.
    bonus = np.zeros((2, 4))
    bonus[1, 1] = 0.2 * LOG10
    assert best_tag_ends(scores, np.arange(2), matrix).tolist() == [True, True]
    assert best_tag_ends(scores, np.arange(2), matrix, bonus).tolist() == [False, True]
    # A one-unit word ending at unit 0 (inside the run, on the way into the next b) tips it back.
    bonus[0, 0] = 0.2 * LOG10
    assert best_tag_ends(scores, np.arange(2), matrix, bonus).tolist() == [True, True]


def test_variations_are_normalised_over_occurrences_and_pruned_with_the_model(toy_corpus):
    model = learn_charlm(toy_corpus, CharLMConfig(prune_count=3))
    counts = toy_corpus.counts
    keys, log_prob, backoff, _ = kneser_ney(toy_corpus, 4)
    occurrences = [counts.counts[k - 1].astype(float) for k in range(1, 5)]
    right, left = entropy_variation(counts, 4)
    prune(counts, keys, log_prob, backoff, 3, (right, left, occurrences))
    for k in range(1, 5):
        assert len(model.right_variation[k - 1]) == len(model.keys[k - 1]) == len(right[k - 1])
        z = model.right_variation[k - 1].astype(float)
        assert np.average(z, weights=occurrences[k - 1]) == pytest.approx(0.0, abs=1e-5)
        assert np.average(z ** 2, weights=occurrences[k - 1]) == pytest.approx(1.0, abs=1e-5)
        assert np.corrcoef(z, right[k - 1])[0, 1] == pytest.approx(1.0)


def test_span_agreement_hand_worked():
    # ends |ab|c|d| against |ab|cd|: one word (ab) in common, 3 + 2 words -> F1 2/5.
    assert span_f1(np.array([0, 1, 1, 1], bool), np.array([0, 1, 0, 1], bool), np.arange(4)) == 0.4
    assert span_f1(np.array([1, 1], bool), np.array([1, 1], bool), np.array([0, 0])) == 1.0


def test_model_file_round_trip_and_refusals(toy_text, tmp_path, toy_charlm):
    path = tmp_path / "m.wmm"
    write_model(toy_charlm, str(path))
    back = read_model(str(path))
    assert type(back) is type(toy_charlm) and back.units == toy_charlm.units
    assert all(np.array_equal(a, b) for a, b in zip(back.keys, toy_charlm.keys))
    assert np.array_equal(back.transitions, toy_charlm.transitions)
    assert (back.boundary_weight, back.word_weight) == (toy_charlm.boundary_weight, toy_charlm.word_weight)
    assert (back.boundary_weight, back.word_weight) == (1.25, 0.125)
    assert all(np.array_equal(a, b) for a, b in zip(back.left_variation + back.right_variation,
                                                    toy_charlm.left_variation + toy_charlm.right_variation))
    text = toy_text[:40] + "鳗鲡"
    assert segment_text(text, back) == segment_text(text, toy_charlm)
    with pytest.raises(FormatError, match="version 1"):
        read_model(str(with_version(path, 1)))
    data = bytearray(path.read_bytes())
    data[-70] ^= 0xFF  # inside the last array
    (tmp_path / "bad.wmm").write_bytes(bytes(data))
    with pytest.raises(FormatError, match="checksum|corrupt"):
        read_model(str(tmp_path / "bad.wmm"))


def test_model_file_without_variations_scores_no_boundary(tmp_path, toy_corpus):
    # A model written before the boundary score existed (or learned with weight 0) reads back without it.
    plain = learn_charlm(toy_corpus, CharLMConfig(boundary_weight=0, word_weight=0))
    write_model(plain, str(tmp_path / "plain.wmm"))
    back = read_model(str(tmp_path / "plain.wmm"))
    assert back.boundary_weight == back.word_weight == 0.0 and back.right_variation == back.left_variation == []
    assert segment_text("小鸟喜欢米粒", back) == ["小 鸟 喜欢 米粒"]


def test_counts_of_lower_order_leave_the_top_order_without_variations(toy_text, tmp_path):
    # Counted to order 3, the model has order 3 and no entropy for its 3-grams (that needs 4-grams).
    model = learn_charlm(count_text([toy_text], CountConfig(order=2, jobs=1)), CharLMConfig())
    assert model.order == 3 and [len(v) for v in model.right_variation] == [15, 20, 0]
    write_model(model, str(tmp_path / "low.wmm"))
    back = read_model(str(tmp_path / "low.wmm"))
    assert [len(v) for v in back.left_variation] == [15, 20, 0]
    assert segment_text("白狗讨厌骨头，小鸟喜欢米粒", back) == ["白狗 讨厌 骨头 ， 小鸟 喜欢 米粒"]


def test_cli_learn_and_segment_with_charlm(toy_text, run_wordmine, tmp_path, toy_charlm):
    source = tmp_path / "toy.txt"
    source.write_text(toy_text.replace("，", "\n") + "\n", encoding="utf-8")
    model = tmp_path / "toy.wmm"
    learned = run_wordmine("learn", source, "--method", "charlm", "-o", model, "-q")
    assert learned.returncode == 0, learned.stderr
    applied = run_wordmine("segment", "-", "--model", model, "-q", input="小鸟喜欢米粒😀\n\n".encode())
    out = applied.stdout.decode()
    assert applied.returncode == 0 and out.endswith(" 喜欢 米粒 😀\n\n") and out.replace(" ", "") == "小鸟喜欢米粒😀\n\n"
    direct = run_wordmine("segment", source, "--method", "charlm", "-q")
    assert direct.returncode == 0 and direct.stdout.decode().split("\n")[0].endswith(" 喜欢 鱼")


def test_cli_exit_codes(toy_text, run_wordmine, tmp_path):
    source = tmp_path / "toy.txt"
    source.write_text(toy_text, encoding="utf-8")
    assert run_wordmine("learn", source, "--method", "charlm").returncode == 2  # no -o
    assert run_wordmine("learn", source, "--method", "bigram", "-o", tmp_path / "m.wmm").returncode == 2
    assert run_wordmine("segment", source, "--method", "bigram").returncode == 2
    broken = tmp_path / "broken.wmm"
    broken.write_bytes(b"WMMODEL\0" + struct.pack("<IIQ", VERSION, zlib.crc32(b"{oops"), 5) + b"{oops")
    refused = run_wordmine("segment", source, "--model", broken)
    assert refused.returncode == 1 and b"damaged" in refused.stderr
