"""The lookups segmenting rests on, against plain references: the hash index, and the character model's scores.

Segmenting reads every unit's n-grams through :class:`KeyIndex` and
:func:`lattice_scores`; both are vectorised for speed, so here each is checked
bit for bit against a slow, obvious version (a binary search; a loop over the
units of each run that backs off one order at a time).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wordmine.config import CharLMConfig, CountConfig, CRFConfig
from wordmine.counting.engine.counter import count_text
from wordmine.counting.table.keyset import KeyIndex
from wordmine.normalize import code_points, unit_spans
from wordmine.segmentation.charlm.model import N_TAGS, lattice_scores, learn_charlm
from wordmine.segmentation.charlm.variation import autonomy, boundary_scores, variation_values
from wordmine.segmentation.crf.learn import learn_crf
from wordmine.segmentation.lossless import run_offsets, segment_text

TEXT = "，".join(s + v + o for s in ["黑猫", "白狗", "小鸟"] for v in ["喜欢", "讨厌"]
                for o in ["鱼", "骨头", "米粒"]) * 5


@given(st.lists(st.integers(1, 2**40), max_size=300, unique=True), st.lists(st.integers(0, 2**40), max_size=300),
       st.integers(0, 2**31))
@settings(max_examples=80, deadline=None)
def test_key_index_finds_what_a_binary_search_finds(keys, queries, seed):
    keys = np.array(keys, np.uint64)
    # Queries mix present keys with absent ones; a few keys force long probe chains in a small table.
    rng = np.random.default_rng(seed)
    asked_keys = np.concatenate([np.array(queries, np.uint64), rng.permutation(keys)[: len(keys) // 2]])
    index = KeyIndex(keys)
    expected = np.full(len(asked_keys), -1)
    if len(keys):
        order = np.argsort(keys)
        at = np.minimum(np.searchsorted(keys[order], asked_keys), len(keys) - 1)
        expected = np.where(keys[order][at] == asked_keys, order[at], -1)
    assert index.find(asked_keys).tolist() == expected.tolist()
    asked = rng.random(len(asked_keys)) < 0.5
    assert index.find(asked_keys, asked=asked).tolist() == np.where(asked, expected, -1).tolist()


def _model(**config):
    return learn_charlm(count_text([TEXT + "\n"], CountConfig(order=4, jobs=1)), CharLMConfig(**config))


def _units(model, text):
    cps = code_points(text)
    spans = unit_spans(cps)
    ids = model.vocabulary().ids_of_spans(cps, spans, grow=False).astype(np.int64)
    new_run = np.ones(len(ids), bool)
    new_run[1:] = spans.start[1:] != spans.end[:-1]
    return ids, run_offsets(new_run)


def _reference_scores(model, ids, offsets):
    """log p(unit | k - 1 before) per unit and order, one unit at a time, and each k-gram's table row."""
    table = model.table()
    n = len(ids)
    scores = np.full((n, N_TAGS), -np.inf)
    rows = np.full((model.order, n), -1, np.int64)
    unigram = table.index(1, ids[:, None])
    for i in range(n):
        lower = model.log_prob[0][unigram[i]] if unigram[i] >= 0 else model.unknown_log_prob
        rows[0, i] = unigram[i]
        scores[i, 0] = lower
        for k in range(2, N_TAGS + 1):
            if offsets[i] < k - 1:
                break
            if k > model.order:
                scores[i, k - 1] = lower
                continue
            context = rows[k - 2, i - 1]  # the (k - 1)-gram before, as the model found it (-1: unseen)
            row = table.index(k, ids[None, i - k + 1 : i + 1])[0] if context >= 0 else -1
            rows[k - 1, i] = row
            backoff = model.backoff[k - 2][context] if context >= 0 else 0.0
            lower = model.log_prob[k - 1][row] if row >= 0 else backoff + lower
            scores[i, k - 1] = lower
    return scores, rows


@given(st.text(alphabet="黑猫白狗小鸟喜欢讨厌鱼骨头米粒蜻蜓abc12，。 \n", max_size=120))
@settings(max_examples=60, deadline=None)
def test_lattice_scores_equal_a_unit_by_unit_backoff(text):
    for model in (_model(), _model(transitions="published")):
        ids, offsets = _units(model, text)
        if not len(ids):  # callers never ask about no units (segment_text skips the model then)
            continue
        scores, rows = _reference_scores(model, ids, offsets)
        got, word_end = lattice_scores(ids, offsets, model, boundary_weight=0.0, word_weight=0.0)
        assert np.array_equal(got, scores)
        assert not word_end.any()
        if not model.right_variation:
            continue
        values = variation_values(list(rows), model)
        expected = scores.copy()
        expected[:, 0] += 0.5 * boundary_scores(offsets, values)
        got, word_end = lattice_scores(ids, offsets, model, boundary_weight=0.5, word_weight=2.0)
        assert np.array_equal(got, expected)
        assert np.array_equal(word_end, autonomy(values, len(ids), N_TAGS) * (2.0 * np.arange(1, N_TAGS + 1)))


PINNED = {  # output of the code before the lookups were fused, for the default charlm, published weights, CRF
    "小鸟讨厌骨头，黑猫喜欢米粒。白狗鱼": ["小鸟 讨厌 骨头 ， 黑猫 喜欢 米粒 。 白狗 鱼"] * 3,
    "猫喜欢小鸟米粒abc12骨头白": ["猫 喜欢 小鸟 米粒 abc12 骨头 白"] * 3,
    "蜻蜓喜欢鱼骨头骨头小鸟": ["蜻 蜓 喜欢 鱼 骨头 骨头 小鸟"] * 2 + ["蜻蜓 喜欢 鱼 骨头 骨头 小鸟"],
}


def test_models_of_the_toy_corpus_segment_as_before():
    counted = count_text([TEXT + "\n"], CountConfig(order=4, jobs=1))
    models = [learn_charlm(counted, CharLMConfig()), learn_charlm(counted, CharLMConfig(transitions="published")),
              learn_crf(counted, CRFConfig(hash_bits=12))]
    for text, expected in PINNED.items():
        assert [segment_text(text, model)[0] for model in models] == expected
