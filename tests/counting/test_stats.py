"""Boundary entropy's formulas, written once (wordmine.counting.table.stats), and the text -> runs helper."""

from __future__ import annotations

import numpy as np
import pytest

from wordmine.config import CountConfig
from wordmine.counting.engine.counter import count_text
from wordmine.counting.table.stats import branching_entropy, suffix_keys, suffix_rows, sum_c_log_c
from wordmine.mining.scoring import boundary_entropy
from wordmine.normalize import Vocabulary, offsets_in_runs, text_runs
from wordmine.segmentation.lossless import MAX_RUN, run_offsets


def test_branching_entropy_is_the_entropy_of_the_neighbours():
    # N = 5: neighbours a twice, b once, and two text boundaries, each a distinct neighbour
    h = branching_entropy(np.array([5]), sum_c_log_c(np.array([2, 1]), np.array([0, 0]), 1))[0]
    p = np.array([2, 1, 1, 1]) / 5
    assert h == pytest.approx(-(p * np.log(p)).sum())


def test_an_unseen_ngram_and_a_single_neighbour_have_no_entropy():
    sums = sum_c_log_c(np.array([3]), np.array([1]), 2)
    assert branching_entropy(np.array([0, 3]), sums).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("bits", [16, 32])  # 32: two units a key, so orders 3 and 4 are chained
def test_suffix_rows_find_the_suffix_of_every_ngram(bits):
    text = "天地人你我他，" * 20 + "".join(chr(0x4E00 + i) for i in range(200))
    counts = count_text([text], CountConfig(order=3, jobs=1, bits=bits)).counts
    for order in (2, 3, 4):
        every = counts.decode(order, np.arange(len(counts.keys[order - 1])))
        assert suffix_rows(counts, order).tolist() == counts.index(order - 1, every[:, 1:]).tolist()
        rows = np.arange(0, len(every), 3)
        keys = suffix_keys(counts, order, rows)
        found = counts.index(order - 1, keys) if keys.ndim == 2 else np.searchsorted(counts.keys[order - 2], keys)
        assert found.tolist() == counts.index(order - 1, every[rows, 1:]).tolist()


def test_boundary_entropy_reads_the_shared_formulas():
    corpus = count_text(["天天向上，天天"], CountConfig(order=1, jobs=1))
    left, right = boundary_entropy(corpus.counts, 1)
    tian = corpus.counts.index(1, np.array([[corpus.vocab.get("天")]]))[0]
    # 天: four times, followed by 天 twice, 向 once and the end once (preceded likewise)
    assert right[tian] == left[tian] == pytest.approx(np.log(4) - 2 * np.log(2) / 4)


def test_text_runs_give_ids_and_offsets_in_runs():
    runs = text_runs("天地人，天 地\n人", Vocabulary(list("天地")))
    assert runs.ids.tolist() == [1, 2, 0, 1, 2, 0]
    assert runs.offsets.tolist() == [0, 1, 2, 0, 0, 0]
    assert runs.spans.start.tolist() == [0, 1, 2, 4, 6, 8]


def test_only_the_decoder_restarts_offsets_in_long_runs():
    new_run = np.zeros(MAX_RUN + 3, bool)
    new_run[0] = True
    assert offsets_in_runs(new_run)[-1] == MAX_RUN + 2
    assert run_offsets(new_run)[-1] == 2
