"""Exact occurrence counts of given words in a counted corpus, and the built-in background.

A word is counted wherever its units occur in a row, also inside longer words.
Words up to the counted order are looked up in the n-gram tables; longer ones
are found by one pass over the unit stream (:class:`~wordmine.mining.matching.Matcher`),
as runs of unit ids, so that ``iPhone`` never matches inside ``iPhone5``.

>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> corpus = count_text(["高血压患者，高血压前期，iPhone5"], CountConfig(order=2, jobs=1))
>>> corpus_occurrences(corpus, ["高血压", "高血压患者", "血", "iPhone", "iPhone5", "心脏"]).tolist()
[2, 1, 2, 0, 1, 0]
"""

from __future__ import annotations

import math

import numpy as np

from wordmine.counting.table.corpus import Corpus
from wordmine.io.tables import jieba_frequencies
from wordmine.mining.matching import Matcher
from wordmine.normalize import Vocabulary
from wordmine.unitstream import UnitStream

#: Units of stream searched at a time (the search holds up to about 80 bytes of arrays a unit: 80 MiB).
STREAM_WINDOW = 1 << 20


def _unit_ids(vocab: Vocabulary, word: str) -> list[int] | None:
    """The unit ids of ``word`` in ``vocab``, or None if it is not a run of known units."""
    ids = vocab.encode(word, grow=False).tolist()
    return ids if ids and 0 not in ids else None


def corpus_occurrences(corpus: Corpus, words: list[str]) -> np.ndarray:
    """How often each word occurs in the corpus (0 for words with unknown units)."""
    counts = np.zeros(len(words), np.int64)
    long: dict[tuple[int, ...], list[int]] = {}  # the ids of a long word, and the words spelled so
    by_length: dict[int, list[tuple[int, list[int]]]] = {}
    for i, word in enumerate(words):
        ids = _unit_ids(corpus.vocab, word)
        if ids is None:
            continue
        if len(ids) <= corpus.counts.max_order:
            by_length.setdefault(len(ids), []).append((i, ids))
        else:
            long.setdefault(tuple(ids), []).append(i)
    for length, items in by_length.items():
        rows = np.array([i for i, _ in items])
        counts[rows] = corpus.counts.lookup(length, np.array([ids for _, ids in items]))
    if long:
        found = _stream_matches(corpus.stream, [np.array(ids) for ids in long])
        for owners, n in zip(long.values(), found.tolist()):
            counts[owners] = n
    return counts


def _stream_matches(stream: UnitStream, patterns: list[np.ndarray]) -> np.ndarray:
    """Occurrences of each (distinct) unit-id pattern in the unit stream."""
    matcher = Matcher(patterns)
    found = np.zeros(len(patterns), np.int64)
    # Windows end at boundaries, which no pattern crosses, so every match lies in one window.
    for window in stream.windows(STREAM_WINDOW):
        found += matcher.count(window, len(patterns))
    return found


class Background:
    """The general side of a contrast: occurrences of words, out of ``total`` units."""

    total: int

    def occurrences(self, words: list[str]) -> np.ndarray:
        raise NotImplementedError


class CorpusBackground(Background):
    """A general corpus (or several, counted together) as the background."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.total = corpus.total_units

    def occurrences(self, words: list[str]) -> np.ndarray:
        return corpus_occurrences(self.corpus, words)


class JiebaBackground(Background):
    """jieba's dictionary frequencies (349 k words, about 60 M tokens) as the background.

    A word the dictionary lacks gets the probability of its best split into
    dictionary words (jieba's own maximum-probability path), so a compositional
    phrase such as 治疗方法 still looks as common as 治疗 + 方法, while a new
    name made of rare characters gets almost nothing. Counts are expected
    occurrences in a corpus of ``total`` units, and so may be fractional.
    """

    def __init__(self) -> None:
        self.frequencies = jieba_frequencies()
        self.token_total = sum(self.frequencies.values())
        # Rates are per word token in the dictionary; convert to per unit (character).
        chars = sum(len(w) * f for w, f in self.frequencies.items())
        self.total = chars

    def occurrences(self, words: list[str]) -> np.ndarray:
        return np.array([self._expected(w) for w in words], np.float64)

    def _expected(self, word: str) -> float:
        found = self.frequencies.get(word)
        if found:
            return float(found)
        log_total = math.log(self.token_total)
        best = [0.0] + [-math.inf] * len(word)
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - 8), end):
                part = word[start:end]
                freq = self.frequencies.get(part, 0.5 if end - start == 1 else 0)
                if freq:
                    best[end] = max(best[end], best[start] + math.log(freq) - log_total)
        return self.token_total * math.exp(best[-1])
