"""Unsupervised segmentation with a unigram word model learned from the corpus.

Learning (as in BytePiece, Su Jianlin, 2023, https://kexue.fm/archives/9752):

1. Candidates: every word ``discover`` finds (single units included, with
   their counts as fragments of the cut text).
2. Viterbi: segment the corpus with p(sentence) = prod p(w), p(w) = count(w) / total.
3. Re-estimate: count the words of that segmentation, drop words seen fewer
   than ``prune_count`` times (single units are always kept), and go to 2.

Decoding a text runs the same Viterbi pass over its units. Words hold at most
``64 // bits`` units (4 for up to 65 535 distinct units), as keys are packed in
one ``uint64``. The pass is vectorised over all runs of units at once: step t
decides the best split of every run's first t + 1 units. A run longer than
``MAX_RUN`` units (a page with no punctuation) is decoded in pieces of that size.

Output keeps every character of the input except white space, in order: runs of
units are split into words, adjacent words made only of numerals are joined
(三十六点七), and each other character is a token of its own (a run of one
repeated character, such as —— or ……, stays one token).

>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> text = "，".join(s + v + o for s in ["黑猫", "白狗", "小鸟"] for v in ["喜欢", "讨厌"]
...                  for o in ["鱼", "骨头", "米粒"]) * 5
>>> model = learn(count_text([text], CountConfig(order=3, jobs=1)), SegmentConfig(min_count=3))
>>> segment_text("小鸟喜欢米粒！白狗讨厌鱼……", model)
['小鸟 喜欢 米粒 ！ 白狗 讨厌 鱼 ……']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wordmine.arrays import sum_by_key, word_starts
from wordmine.config import DiscoverConfig, SegmentConfig, auto_min_count
from wordmine.counting.table.corpus import Corpus
from wordmine.counting.table.ngrams import U64, pack_at
from wordmine.mining.discover import discover
from wordmine.normalize import Vocabulary
from wordmine.segmentation.lossless import MAX_RUN, run_offsets, runs_of, segment_text  # noqa: F401 - doctest

#: Units of the corpus re-segmented at a time while learning.
LEARN_WINDOW = 1 << 22


@dataclass
class WordModel:
    """A unigram word model: packed word keys (sorted) and their log probabilities."""

    units: list[str]
    bits: int
    keys: np.ndarray
    log_prob: np.ndarray
    unknown_log_prob: float

    @property
    def max_word(self) -> int:
        return 64 // self.bits

    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self.units[1:])

    def word_ends(self, ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """True after each unit that ends a word in the most probable segmentation."""
        return best_word_ends(ids, offsets, self)


def _bits(n_units: int) -> int:
    return max(8, int(n_units).bit_length())


def _model_from_counts(units: list[str], bits: int, keys: np.ndarray, counts: np.ndarray) -> WordModel:
    order = np.argsort(keys)
    keys, counts = keys[order], counts[order].astype(np.float64)
    total = counts.sum() + 1.0
    return WordModel(units, bits, keys, np.log(counts / total), float(np.log(0.5 / total)))


def best_word_ends(ids: np.ndarray, offsets: np.ndarray, model: WordModel) -> np.ndarray:
    """Viterbi: True after each unit where the most probable segmentation ends a word."""
    n, longest = len(ids), model.max_word
    scores = []
    key = np.zeros(n, U64)
    for length in range(1, longest + 1):
        key = (np.concatenate([np.zeros(1, U64), key[:-1]]) << U64(model.bits)) | ids.astype(U64)
        rows = np.minimum(np.searchsorted(model.keys, key), max(len(model.keys) - 1, 0))
        found = (model.keys[rows] == key) if len(model.keys) else np.zeros(n, bool)
        score = np.where(found, model.log_prob[rows] if len(model.keys) else 0.0, -np.inf)
        if length == 1:
            score = np.where(found, score, model.unknown_log_prob)
        score[offsets < length - 1] = -np.inf
        scores.append(score)
    best = np.full(n, -np.inf)
    back = np.ones(n, np.int8)
    order = np.argsort(offsets, kind="stable")
    bounds = np.searchsorted(offsets[order], np.arange(offsets.max(initial=-1) + 2))
    for step in range(len(bounds) - 1):
        at = order[bounds[step] : bounds[step + 1]]
        options = np.full((len(at), longest), -np.inf)
        for length in range(1, min(longest, step + 1) + 1):
            before = best[at - length] if step >= length else 0.0
            options[:, length - 1] = before + scores[length - 1][at]
        choice = np.argmax(options, axis=1)
        best[at] = options[np.arange(len(at)), choice]
        back[at] = choice + 1
    ends = np.zeros(n, bool)
    last = np.ones(n, bool)
    last[:-1] = offsets[1:] == 0
    current = np.flatnonzero(last)
    while len(current):
        ends[current] = True
        previous = current - back[current]
        current = previous[offsets[current] - back[current] >= 0]
    return ends


def _count_words(ids: np.ndarray, ends: np.ndarray, offsets: np.ndarray, bits: int, longest: int):
    starts = np.flatnonzero(word_starts(offsets, ends))
    lengths = np.flatnonzero(ends) - starts + 1
    keys, counts = [], []
    for length in range(1, longest + 1):
        packed = pack_at(ids, starts[lengths == length], length, bits)
        distinct, n = np.unique(packed, return_counts=True)
        keys.append(distinct)
        counts.append(n)
    return np.concatenate(keys), np.concatenate(counts)


def learn(corpus: Corpus, config: SegmentConfig) -> WordModel:
    """Learn a word model from a counted corpus (no labels)."""
    units = corpus.vocab.units
    bits = _bits(len(units))
    longest = 64 // bits
    keys, counts = _candidates(corpus, config, bits, longest)
    model = _model_from_counts(units, bits, keys, counts)
    for _ in range(config.iterations):
        found_keys, found_counts = [], []
        # A window at a time (each ends at a boundary), so a gigabyte corpus is never held whole.
        for window in corpus.stream.windows(LEARN_WINDOW):
            ids, offsets = runs_of(window)
            ends = best_word_ends(ids, offsets, model)
            window_keys, window_counts = _count_words(ids, ends, offsets, bits, longest)
            found_keys.append(window_keys)
            found_counts.append(window_counts)
        keys_found, counts_found = sum_by_key(found_keys, [c.astype(np.int64) for c in found_counts]) if found_keys else (
            np.zeros(0, U64), np.zeros(0, np.int64))
        single = keys_found < (U64(1) << U64(bits))
        keep = (counts_found >= config.prune_count) | single
        model = _model_from_counts(units, bits, keys_found[keep], counts_found[keep])
    return model


def at_least_pruned(corpus: Corpus, min_count: int | None) -> int | None:
    """``min_count`` (None: discover's default), raised to the threshold of a corpus pruned for learning,
    which has no counts below it; ``min_count`` itself for an unpruned corpus.

    >>> from wordmine.config import CountConfig
    >>> from wordmine.counting.engine.counter import count_text
    >>> at_least_pruned(count_text(["天天向上"], CountConfig(order=1, jobs=1)), None) is None
    True
    """
    if corpus.pruned_at is None:
        return min_count
    return max(min_count or auto_min_count(corpus.total_units), corpus.pruned_at)


def _candidates(corpus: Corpus, config: SegmentConfig, bits: int, longest: int) -> tuple[np.ndarray, np.ndarray]:
    """Initial vocabulary: the words ``discover`` finds, with their counts.

    A discovered word longer than a key holds (中共中央总书记) is split, by the
    same Viterbi pass, into shorter discovered words or frequent n-grams
    (中共中央 + 总书记), which receive its count; otherwise its parts would
    look rare, as the cut pass seldom leaves them alone.
    """
    vocab, table = corpus.vocab, corpus.counts
    lexicon = discover(corpus, DiscoverConfig(min_count=at_least_pruned(corpus, config.min_count), min_len=1, max_len=64,
                                              cohesion=config.cohesion))
    short_keys, short_counts, long_ids, long_counts = [], [], [], []
    for word, count in zip(lexicon.words, lexicon.count.tolist()):
        ids = vocab.encode(word, grow=False)
        if not len(ids) or (ids == 0).any():
            continue
        if len(ids) <= longest:
            short_keys.append(int(pack_at(ids, np.zeros(1, np.int64), len(ids), bits)[0]))
            short_counts.append(count)
        else:
            long_ids.append(ids.astype(np.int64))
            long_counts.append(count)
    keys, counts = np.array(short_keys, U64), np.array(short_counts, np.int64)
    if not long_ids:
        return keys, counts
    # Parts may also be frequent n-grams that the cut pass never left alone.
    min_count = config.min_count or 2
    extra_keys, extra_counts = [keys], [counts]
    for length in range(2, min(longest, table.max_order) + 1):
        rows = np.flatnonzero(table.counts[length - 1] >= min_count)
        units = table.decode(length, rows).reshape(-1)
        extra_keys.append(pack_at(units, np.arange(len(rows)) * length, length, bits))
        extra_counts.append(table.counts[length - 1][rows])
    helper = _model_from_counts(corpus.vocab.units, bits, *sum_by_key(extra_keys, [c.astype(np.int64) for c in extra_counts]))
    ids = np.concatenate(long_ids)
    new_run = np.zeros(len(ids), bool)
    new_run[np.cumsum([0] + [len(w) for w in long_ids[:-1]])] = True
    offsets = run_offsets(new_run)
    ends = best_word_ends(ids, offsets, helper)
    weight = np.repeat(np.array(long_counts), [len(w) for w in long_ids])
    starts = np.flatnonzero(word_starts(offsets, ends))
    lengths = np.flatnonzero(ends) - starts + 1
    part_keys, part_counts = [keys], [counts]
    for length in range(1, longest + 1):
        at = starts[lengths == length]
        part_keys.append(pack_at(ids, at, length, bits))
        part_counts.append(weight[at])
    return sum_by_key(part_keys, [c.astype(np.int64) for c in part_counts])


def model_from_lexicon(rows: list[tuple[str, float]]) -> WordModel:
    """A word model from a word list with counts (``discover`` output or any ``word [count]`` list)."""
    vocab = Vocabulary()
    encoded = [(vocab.encode(word), count) for word, count in rows]
    bits = _bits(len(vocab.units))
    keys, counts = [], []
    for ids, count in encoded:
        if 0 < len(ids) <= 64 // bits and not (ids == 0).any():
            keys.append(int(pack_at(ids, np.zeros(1, np.int64), len(ids), bits)[0]))
            counts.append(count)
    # Whole counts (as the count files hold them), summed as floats: a word on many lines cannot overflow.
    merged_keys, merged_counts = sum_by_key([np.array(keys, U64)], [np.floor(np.array(counts, np.float64))])
    return _model_from_counts(vocab.units, bits, merged_keys, np.maximum(merged_counts, 1))


