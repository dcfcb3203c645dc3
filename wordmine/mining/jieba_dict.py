"""Discovered words as jieba entries: what jieba lacks, at a frequency that fits its dictionary.

jieba (Sun Junyi, jieba Chinese text segmentation, 2012,
https://github.com/fxsjy/jieba) cuts a sentence along the most probable path
through its dictionary: a word of frequency f is worth f / T (T, the
dictionary's total, is about 60 M tokens). A user dictionary that gives a corpus' raw counts to words jieba
already knows breaks that balance: 这个 (61,310 in jieba) at its count in a
small corpus (471) becomes rarer than 这 and 个 apart, and
"所以我们还是只能这样做" comes out "所 以 我们 还 是 只 能 这样 做". So this
module adds only the words that fill a hole in jieba's dictionary, each at a
frequency on jieba's scale. The entries are the *new* words of
:mod:`wordmine.mining.novelty`, the definition ``discover --new-only`` uses
too (not in jieba's dictionary, not a fragment, not a phrase of words jieba
knows), without the words that hold a digit (1997年, 3次: every segmentation
standard measured splits numbers from their classifiers, and jieba's own rules
do the same).

Its frequency is its count scaled to jieba's total (count x T / units of the
corpus), capped at one more than the frequency of jieba's own best split of it
(what ``jieba.Tokenizer.suggest_freq`` computes): that is enough to beat the
characters it would otherwise be cut into, and not enough to win wherever a
word jieba knows overlaps it.

With ``jieba.Tokenizer().cut`` (HMM on) on the test gold of four sets, the
entries raise jieba's F1 of word spans a little on three of them, where the
raw-count file of every discovered word lowered it on all four. The figures are
in ``make bench`` (jieba with discovered words).

>>> entries = jieba_entries([("殷栖鹤", 234), ("这个", 471), ("1997年", 40), ("也没", 27)], total_units=28_394)
>>> [word for word, _ in entries]
['殷栖鹤']
>>> tokenizer = to_jieba(entries)
>>> tokenizer.lcut("殷栖鹤说所以我们还是只能这样做")
['殷栖鹤', '说', '所以', '我们', '还是', '只能', '这样', '做']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np

from wordmine.lexicon import Lexicon

#: What the functions take: a Lexicon, words, (word, count) pairs, or rows with .word and .count.
Words = Lexicon | Iterable[Any]

_DIGIT = re.compile(r"[0-9]")


def _dictionary() -> tuple[dict[str, int], int, frozenset[str], frozenset[str]]:
    """jieba's bundled dictionary: frequencies, their total, its function words and its common words."""
    from wordmine.mining.novelty import jieba_model

    return jieba_model()


def load_dictionary() -> None:
    """Read jieba's dictionary now (:func:`jieba_entries` reads it on first use), kept until forgotten."""
    _dictionary()


def forget_dictionary() -> None:
    """Drop what was kept of jieba's dictionary (tens of MB) until it is next needed."""
    from wordmine.mining.novelty import forget_jieba

    forget_jieba()


def _new_tokenizer():
    from wordmine.io.tables import jieba_tokenizer

    return jieba_tokenizer()  # private: jieba's global default tokenizer is left alone


def _pairs(words: Words) -> list[tuple[str, float | None]]:
    """(word, count) from a Lexicon, words, (word, count) pairs or rows with .word and .count."""
    if isinstance(words, Lexicon):
        return list(zip(words.words, words.count.tolist()))
    pairs = []
    for item in words:
        if isinstance(item, str):
            pairs.append((item, None))
        elif isinstance(item, tuple):
            pairs.append((item[0], item[1]))
        else:
            pairs.append((item.word, getattr(item, "count", None)))
    return pairs


def _with_surprises(words: Words, corpus: Any, witness_strings: int | None) -> Words:
    """A discovered list and what :mod:`wordmine.mining.surprise` admits on its corpus (default thresholds,
    at most ``witness_strings`` strings tested).

    Only a Lexicon or rows with boundary entropies carry what the admission
    needs (the median word's entropy); other lists are returned as they are.
    """
    from wordmine.config import DiscoverConfig
    from wordmine.mining.novelty import jieba_known
    from wordmine.mining.surprise import with_surprises

    if not isinstance(words, Lexicon):
        rows = list(words)
        if not rows or not all(hasattr(r, "left_entropy") for r in rows):
            return rows
        words = Lexicon([r.word for r in rows], np.array([r.count for r in rows], np.int64),
                        *(np.array([getattr(r, f) for r in rows], float)
                          for f in ("cohesion", "left_entropy", "right_entropy", "score")))
    return with_surprises(corpus, DiscoverConfig(), words, jieba_known(), witness_strings)


def jieba_entries(words: Words, total_units: int | None = None, tokenizer: Any = None, corpus: Any = None,
                  judged: bool = False, witness_strings: int | None = None) -> list[tuple[str, int]]:
    """The (word, frequency) entries that the discovered ``words`` give jieba (rules in the module docstring).

    ``words``: a Lexicon, words, (word, count) pairs or rows with ``.word`` and
    ``.count``, best first. ``total_units``: units of the corpus the counts come
    from; without it (or without a count) a word gets the cap, the frequency
    that just beats its split. ``tokenizer``: the jieba.Tokenizer whose split and
    frequencies set the cap (a new private one when None; it is not changed).
    ``corpus``: the counted corpus (or ``wordmine.Counts``) the words come from, for the fragment pass of
    :mod:`wordmine.mining.novelty`; ``judged``: the words are new words
    already (``discover_in(..., new_only=True)`` chose them), only their
    frequencies are wanted. ``witness_strings``: how many strings under the
    cohesion bar :mod:`wordmine.mining.surprise` tests on ``corpus`` at most
    (``MemoryPlan.witness_strings``; None: the default budget's).
    """
    from wordmine.mining.novelty import reasons

    tokenizer = tokenizer or _new_tokenizer()
    if not judged and corpus is not None:
        # the strings below the cohesion bar that --new-only admits too (wordmine.mining.surprise)
        words = _with_surprises(words, getattr(corpus, "corpus", corpus), witness_strings)
    pairs = _pairs(words)
    if not judged:
        corpus = getattr(corpus, "corpus", corpus)  # a wordmine.Counts holds its Corpus
        listed = [w for w, _ in pairs]
        why = reasons(listed, [c for _, c in pairs], corpus=corpus, listed=listed, numbers=False,
                      total_units=total_units)
        new = np.flatnonzero([r is None for r in why])
        if isinstance(words, Lexicon) and corpus is not None:  # in --new-only's order (mining.surprise)
            from wordmine.mining.surprise import rank_by_evidence

            pairs = _pairs(rank_by_evidence(words.take(new), corpus.counts.total))
        else:
            pairs = [pairs[i] for i in new.tolist()]
    total = _dictionary()[1]
    scale = total / total_units if total_units else None
    entries = []
    for word, count in pairs:
        if _DIGIT.search(word):
            continue
        cap = tokenizer.suggest_freq(word, tune=False)
        entries.append((word, cap if scale is None or count is None else max(1, min(cap, round(count * scale)))))
    return entries


def to_jieba(words: Words, tokenizer: Any = None, total_units: int | None = None, counts: Any = None) -> Any:
    """Add discovered words to a ``jieba.Tokenizer`` through its public ``add_word``; return the tokenizer.

    ``words`` and ``total_units`` as for :func:`jieba_entries`, whose rules
    choose the entries and their frequencies; ``counts``: the ``wordmine.Counts``
    the words were discovered in, so that fragments are judged on the text
    (``to_jieba(wordmine.discover(counts), counts=counts)`` gives the entries of
    ``discover --format jieba``; without it only pieces of jieba's words are
    fragments), and its units are ``total_units``. A new private Tokenizer when
    ``tokenizer`` is None; jieba's global default tokenizer is never touched.
    """
    tokenizer = tokenizer or _new_tokenizer()
    corpus = getattr(counts, "corpus", counts)
    if corpus is not None and total_units is None:
        total_units = corpus.total_units
    counting = getattr(counts, "counting", None)  # a wordmine.Counts: its --memory plans the second witness
    witness = counting.plan().witness_strings if counting is not None else None
    for word, freq in jieba_entries(words, total_units, tokenizer, corpus, witness_strings=witness):
        tokenizer.add_word(word, freq)
    return tokenizer
