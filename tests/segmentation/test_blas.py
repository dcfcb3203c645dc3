"""BLAS threads: one while a model learns, the caller's count restored afterwards, even after an error."""

from __future__ import annotations

import pytest

from wordmine.blas import blas_threads, one_blas_thread


def test_one_thread_inside_and_the_count_restored():
    before = blas_threads()
    if before is None:
        pytest.skip("numpy's BLAS here is not OpenBLAS: nothing to hold")
    with one_blas_thread():
        assert blas_threads() == 1
    assert blas_threads() == before


def test_restored_after_an_error():
    before = blas_threads()
    with pytest.raises(KeyError), one_blas_thread():
        raise KeyError("boom")
    assert blas_threads() == before


def test_learning_holds_one_thread_and_gives_it_back(monkeypatch):
    from wordmine.segmentation import learning

    seen = []
    monkeypatch.setattr(learning, "_learn", lambda *args: seen.append(blas_threads()) or "model")
    before = blas_threads()
    assert learning.learn_segmenter(None, "crf") == "model"
    assert seen == [None if before is None else 1]
    assert blas_threads() == before
