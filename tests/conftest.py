"""Shared fixtures: small corpora made by the tests, and paths to the samples."""

from __future__ import annotations

import collections
import pathlib

import pytest

from wordmine.counting.merging import ngram_counts
from wordmine.normalize import Vocabulary

SAMPLES = pathlib.Path(__file__).resolve().parent.parent / "corpora_samples"


def naive_counts(text: str, max_order: int) -> dict[str, int]:
    """Reference counts: every n-gram of orders 1..max_order inside unit runs, by brute force."""
    vocab = Vocabulary()
    runs, current = [], []
    for unit_id in vocab.encode(text).tolist() + [0]:
        if unit_id:
            current.append(vocab.unit(unit_id))
        else:
            runs.append(current)
            current = []
    counts: collections.Counter = collections.Counter()
    for run in runs:
        for order in range(1, max_order + 1):
            for i in range(len(run) - order + 1):
                counts["|".join(run[i : i + order])] += 1
    return dict(counts)


def table_as_dict(corpus) -> dict[str, int]:
    """The counts of a Corpus as {'u1|u2|...': count}."""
    return ngram_counts(corpus, "|")


def assert_lossless(text: str, produced: list[str]) -> None:
    """Segmentation only inserted boundaries: one output line per input line, and each
    output line, spaces removed, is its input line with its white space removed."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    assert len(produced) == len(lines)
    for words, line in zip(produced, lines):
        assert "".join(words.split()) == "".join(line.split())
        assert "  " not in words and words == words.strip()


@pytest.fixture
def sample_path():
    def path(name: str) -> pathlib.Path:
        return SAMPLES / name

    return path
