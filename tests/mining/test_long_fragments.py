"""The cut pass's long fragments held or written to disk: the same counts and entropies, in the same order."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from wordmine.config import CountConfig, DiscoverConfig
from wordmine.counting.engine.counter import count_text
from wordmine.errors import OutputError
from wordmine.io.text import read_blocks, text_source
from wordmine.mining.discover import discover
from wordmine.mining.longfragments import LongFragments, first_unit_cuts

SAMPLES = Path(__file__).resolve().parents[2] / "corpora_samples"


def occurrences(seed: int, n: int, length: int, types: int):
    """``n`` occurrences of ``types`` random fragment types of ``length`` units, with random neighbours."""
    rng = np.random.default_rng(seed)
    kinds = rng.integers(1, 40, size=(types, length))
    which = rng.integers(0, types, size=n)
    return kinds[which], rng.integers(0, 6, size=n), rng.integers(0, 6, size=n)


def tallied(held_bytes, batches, cuts, tmp_path):
    tally = LongFragments(held_bytes, str(tmp_path), cuts)
    try:
        for rows, left, right in batches:
            tally.add(rows, left, right)
        return tally.frequent(2), tally.spilled
    finally:
        tally.close()


@pytest.mark.parametrize("held_bytes", [1, 200, 5_000])
def test_written_rows_count_as_held_rows(tmp_path, held_bytes):
    # Lengths 7 and 5 interleaved, 7 first: the result keeps the order first seen.
    batches = [occurrences(seed, 50, length, 12) for seed, length in enumerate([7, 5, 7, 5, 6, 7])]
    cuts = first_unit_cuts(np.arange(1, 40), np.ones(39, np.int64), ranges=8)
    held, spilled_held = tallied(None, batches, cuts, tmp_path)
    written, spilled = tallied(held_bytes, batches, cuts, tmp_path)
    assert not spilled_held and spilled
    assert list(written.items()) == list(held.items())  # same floats to the last bit, same order
    assert [len(t) for t in held] == sorted((len(t) for t in held), key=[7, 5, 6].index)
    assert list(tmp_path.iterdir()) == []  # the file is unlinked from the start


def test_one_first_unit_holding_most_rows_is_read_whole(tmp_path):
    rows, left, right = occurrences(3, 400, 5, 20)
    rows[:300, 0] = 7  # most fragments start with one unit: its range cannot be split
    cuts = first_unit_cuts(np.arange(1, 40), np.ones(39, np.int64), ranges=16)
    held, _ = tallied(None, [(rows, left, right)], cuts, tmp_path)
    written, spilled = tallied(64, [(rows[:200], left[:200], right[:200]), (rows[200:], left[200:], right[200:])],
                               cuts, tmp_path)
    assert spilled and list(written.items()) == list(held.items())


def test_cuts_share_the_occurrences():
    assert first_unit_cuts(np.array([4, 1, 3, 2]), np.array([1, 6, 1, 1]), ranges=2).tolist() == [2]
    assert first_unit_cuts(np.zeros(0, np.int64), np.zeros(0, np.int64)).tolist() == []


def test_an_unusable_tmp_dir_is_one_line_naming_it(tmp_path):
    missing = tmp_path / "gone"
    tally = LongFragments(1, str(missing), np.zeros(0, np.int64))
    rows, left, right = occurrences(0, 10, 5, 2)
    with pytest.raises(OutputError, match=f"^{missing}: cannot keep the cut pass's long fragments there: .*see --tmp-dir$"):
        tally.add(rows, left, right)
    tally.close()


@pytest.mark.parametrize("name", ["story", "technical", "everyday"])
def test_discovery_is_the_same_when_the_long_fragments_go_to_disk(tmp_path, monkeypatch, name):
    text = "".join(read_blocks([text_source(str(SAMPLES / f"{name}.txt"))], "utf-8"))
    # At order 3, fragments of four units and more are long: the samples' names and phrases.
    corpus = count_text([text], CountConfig(order=3, jobs=1))
    config = DiscoverConfig(order=3)
    spills = []
    original = LongFragments.frequent

    def frequent(self, min_count):
        spills.append(self.spilled)
        return original(self, min_count)

    monkeypatch.setattr(LongFragments, "frequent", frequent)
    held = discover(corpus, config)
    written = discover(corpus, dataclasses.replace(config, cut_fragments=256, tmp_dir=str(tmp_path)))
    assert spills == [False, True]
    assert written.words == held.words
    assert any(len(word) > 3 for word in held.words)  # words the long fragments gave
    for field in ("count", "cohesion", "left_entropy", "right_entropy", "score"):
        assert np.array_equal(getattr(written, field), getattr(held, field)), field
