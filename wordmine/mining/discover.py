"""New-word discovery by cut-and-count (Su Jianlin, 【中文分词系列】 8. 更好的新词发现算法, 2019,
https://kexue.fm/archives/6920; every source is listed in docs/REFERENCES.md).

1. *Solid* n-grams: length 2..n, count >= min_count, cohesion >= θ(length);
   the default θ is 3, 5, 7 nats for lengths 2, 3, 4.
2. *Cut*: two adjacent units stay together iff one occurrence of a solid
   n-gram covers both. Overlap joins: with 各项 and 项目 solid, 各项目 is one
   fragment; mere adjacency of two solid n-grams does not join them.
3. *Count* the fragments; keep those seen min_count times. A fragment longer
   than n survives only if every n-unit window inside it is solid (back-check).
4. *Redundancy*: a word about as probable as its best split into other words
   (PMI of the split under 1 nat per join) is dropped and its count given to
   the parts.
5. *Score*: count, cohesion and boundary entropies measured on each word; a
   word of length <= n must itself be solid. Ranked by count * min(H_left, H_right).

>>> from wordmine.config import CountConfig, DiscoverConfig
>>> from wordmine.counting.engine.counter import count_text
>>> text = "，".join(s + v + o for s in ["黑猫", "白狗", "小鸟"] for v in ["喜欢", "讨厌"]
...                  for o in ["鱼", "骨头", "米粒"])
>>> corpus = count_text([text], CountConfig(order=3, jobs=1))
>>> found = discover(corpus, DiscoverConfig(order=3, min_count=3, cohesion=(2.0, 4.0)))
>>> sorted(found.words)
['喜欢', '小鸟', '白狗', '米粒', '讨厌', '骨头', '黑猫']

In a corpus this small every pair is rare, so the default thresholds (made for
100 k units and more) would join everything; here they are raised by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wordmine.arrays import distinct_values, sum_by_key
from wordmine.config import DiscoverConfig, auto_cohesion, auto_min_count
from wordmine.counting.table.corpus import Corpus, PrunedCorpus
from wordmine.counting.table.keyset import KeySet
from wordmine.counting.table.ngrams import U64, NgramTable, pack_at, unpack
from wordmine.errors import PrunedError
from wordmine.lexicon import Lexicon
from wordmine.mining.longfragments import LongFragments, first_unit_cuts
from wordmine.mining.scoring import boundary_entropy, cohesion
from wordmine.unitstream import UnitStream

#: Units per window of the cut pass: large enough for numpy, small enough for cache.
WINDOW_UNITS = 1 << 21
#: Fragment counts of one length kept per window before they are summed into one table.
COLLAPSE_ROWS = 1 << 22


#: An n-gram whose cohesion reaches this share of the most its count allows is solid too.
RELATIVE_COHESION = 0.8


def is_solid(coh: np.ndarray, count: np.ndarray, total: int, threshold: np.ndarray | float) -> np.ndarray:
    """Cohesion over the length's threshold, or close to the maximum the count allows.

    PMI cannot exceed ln(T / N(w)) (reached when the parts never occur apart),
    so a fixed threshold rejects frequent words outright: in 28 k units a
    4-unit name seen 50 times has at most ln(28000 / 50) = 6.3 nats, barely over
    θ = 6, however bound its parts are. Normalised by that ceiling (NPMI),
    cohesion of 80 % or more also counts as solid.

    >>> is_solid(np.array([5.8, 5.8, 3.0]), np.array([50, 5, 50]), 28_000, 6.0).tolist()
    [True, False, False]
    """
    ceiling = np.log(total / np.maximum(count, 1))
    return (coh >= threshold) | (coh >= RELATIVE_COHESION * ceiling)


def solid_ngrams(counts: NgramTable, order: int, min_count: int, thresholds: tuple[float, ...]) -> dict[int, np.ndarray]:
    """Sorted keys of the solid n-grams of each length 2..order."""
    solid = {}
    for length in range(2, order + 1):
        rows = np.flatnonzero(counts.counts[length - 1] >= min_count)
        units = counts.decode(length, rows)
        coh = cohesion(counts, length, units)
        strong = is_solid(coh, counts.counts[length - 1][rows], counts.total, thresholds[length - 2])
        solid[length] = counts.keys[length - 1][rows[strong]]
    return solid


@dataclass
class _Fragments:
    """What the cut pass counted.

    Fragments up to the packed width are kept as packed keys with counts (all
    of them: single units serve as parts in redundancy removal). Longer ones,
    whose boundary entropy the n-gram tables cannot give, are kept only when
    frequent enough, with the entropy of their neighbours in the cut text.
    """

    keys: dict[int, np.ndarray]
    counts: dict[int, np.ndarray]
    total: int
    long: dict[tuple[int, ...], tuple[int, float, float]]


def _joined_gaps(window: np.ndarray, solid: dict[int, KeySet], bits: int) -> np.ndarray:
    """joined[i]: units i and i + 1 are covered by one solid n-gram occurrence."""
    n = len(window)
    joined = np.zeros(n, bool)
    keys = window.astype(U64)
    alive = window != 0
    for length in range(2, max(solid, default=1) + 1):
        span = n - length + 1
        if span <= 0:
            break
        keys = (keys[:span] << U64(bits)) | window[length - 1 :].astype(U64)
        alive = alive[:span] & (window[length - 1 :] != 0)
        where = np.flatnonzero(alive)
        starts = where[solid[length].contains(keys[where])]
        for offset in range(length - 1):
            joined[starts + offset] = True
    return joined


def cut_and_count(
    stream: UnitStream, solid: dict[int, KeySet], bits: int, order: int, min_count: int,
    long_tally: LongFragments | None = None,
) -> _Fragments:
    """Cut the unit stream where no solid n-gram holds it together; count the pieces.

    The occurrences of fragments longer than the packed width go to
    ``long_tally`` (default: one that holds them all in memory).
    """
    short = min(order, 64 // bits)
    short_keys: dict[int, list] = {k: [] for k in range(1, short + 1)}
    short_counts: dict[int, list] = {k: [] for k in range(1, short + 1)}
    long_tally = long_tally or LongFragments(None, None, np.zeros(0, np.int64))
    single_counts = np.zeros(0, np.int64)
    total = 0
    for window in stream.windows(WINDOW_UNITS):
        joined = _joined_gaps(window, solid, bits)
        starts_here = window != 0
        starts_here[1:] &= ~joined[:-1]
        starts = np.flatnonzero(starts_here)
        open_gaps = np.flatnonzero(~joined)
        lengths = open_gaps[np.searchsorted(open_gaps, starts)] + 1 - starts
        total += len(starts)
        # Single units, most fragments of a large corpus, are counted by unit id: no sort.
        singles = np.bincount(window[starts[lengths == 1]].astype(np.int64))
        if len(singles) > len(single_counts):
            singles[: len(single_counts)] += single_counts
            single_counts = singles
        else:
            single_counts[: len(singles)] += singles
        for length in range(2, short + 1):
            key = pack_at(window, starts[lengths == length], length, bits)
            distinct, n = np.unique(key, return_counts=True)
            short_keys[length].append(distinct)
            short_counts[length].append(n)
            if sum(len(k) for k in short_keys[length]) > COLLAPSE_ROWS:
                # Summed now and then, the lists hold each distinct fragment once, not once a window.
                summed = sum_by_key(short_keys[length], short_counts[length])
                short_keys[length], short_counts[length] = [summed[0]], [summed[1]]
        padded = np.concatenate([[0], window, [0]]).astype(window.dtype)
        for length in distinct_values(lengths[lengths > short]).tolist():
            at = starts[lengths == length]
            long_tally.add(window[at[:, None] + np.arange(length)], padded[at], padded[at + length + 1])
    keys, counts = {}, {}
    seen = np.flatnonzero(single_counts)
    keys[1], counts[1] = seen.astype(U64), single_counts[seen]
    for length, key_parts in short_keys.items():
        if length > 1:
            keys[length], counts[length] = sum_by_key(key_parts, short_counts[length])
    return _Fragments(keys, counts, total, long_tally.frequent(min_count))


def _back_check(word: tuple[int, ...], order: int, solid: KeySet, bits: int) -> bool:
    """Every window of ``order`` units inside ``word`` is a solid n-gram."""
    keys = pack_at(np.array(word, U64), np.arange(len(word) - order + 1), order, bits)
    return bool(solid.contains(keys).all())


def _fragment_table(fragments: _Fragments, bits: int, min_count: int) -> tuple[dict[tuple[int, ...], int], int]:
    """Words (unit-id tuples) counted min_count times or more, single units always, and the total."""
    table: dict[tuple[int, ...], int] = {}
    for length, keys in fragments.keys.items():
        keep = np.ones(len(keys), bool) if length == 1 else fragments.counts[length] >= min_count
        units = unpack(keys[keep], length, bits).tolist()
        table.update(zip(map(tuple, units), fragments.counts[length][keep].tolist()))
    return table, fragments.total


def remove_redundant(
    words: dict[tuple[int, ...], int],
    total: int,
    join_cost: float | None = 1.0,
    forced: frozenset[tuple[int, ...]] = frozenset(),
) -> dict[tuple[int, ...], int]:
    """Drop words about as probable as their best split; give their counts to the parts.

    Word w with best split w = p1 + ... + pk (parts from the lexicon, single
    units always allowed) is redundant when ln p(w) - sum ln p(pi) < join_cost
    * (k - 1): each join should earn ``join_cost`` nats. Longest words first, so
    counts flow down to the parts before those are judged. Words in ``forced``
    are split whatever their probability; ``join_cost=None`` splits only those.

    >>> words = {(1,): 50, (2,): 50, (3,): 50, (1, 2): 40, (1, 2, 3): 1}
    >>> sorted(remove_redundant(words, 200).items())
    [((1,), 50), ((1, 2), 41), ((2,), 50), ((3,), 51)]
    """
    words = dict(words)
    log_total = np.log(total)

    def log_p(part: tuple[int, ...]) -> float:
        count = words.get(part, 0)
        if count <= 0:
            # A single unit never seen alone still exists: half an occurrence.
            return np.log(0.5) - log_total if len(part) == 1 else -np.inf
        return float(np.log(count) - log_total)

    for word in sorted(words, key=len, reverse=True):
        if len(word) < 2 or word not in words or (join_cost is None and word not in forced):
            continue
        cost = 1.0 if join_cost is None else join_cost
        # best[j]: best score of a split of word[:j] into parts, each paying join_cost.
        best = [0.0] + [-np.inf] * len(word)
        back = [0] * (len(word) + 1)
        for j in range(1, len(word) + 1):
            for i in range(j):
                if i == 0 and j == len(word):
                    continue
                score = best[i] + log_p(word[i:j]) + cost
                if score > best[j]:
                    best[j], back[j] = score, i
        if word not in forced and log_p(word) + cost > best[-1]:
            continue
        count = words.pop(word)
        j = len(word)
        while j > 0:
            part = word[back[j] : j]
            words[part] = words.get(part, 0) + count
            j = back[j]
    return words


def _word_scores(
    corpus: Corpus, words: list[tuple[int, ...]], order: int, fragments: _Fragments
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cohesion, left and right entropy of each word, measured on the word itself."""
    counts = corpus.counts
    coh = np.zeros(len(words))
    left = np.zeros(len(words))
    right = np.zeros(len(words))
    lengths = np.array([len(w) for w in words])
    for length in distinct_values(lengths).tolist():
        at = np.flatnonzero(lengths == length)
        if length <= order:
            units = np.array([words[i] for i in at]).reshape(len(at), length)
            coh[at] = cohesion(counts, length, units)
            rows = counts.index(length, units)
            kept = corpus.entropy.get(length) if isinstance(corpus, PrunedCorpus) else None
            all_left, all_right = kept or boundary_entropy(counts, length)
            left[at], right[at] = all_left[rows], all_right[rows]
            continue
        # Longer words: cohesion of their weakest n-unit window.
        windows = np.array([words[i][j : j + order] for i in at for j in range(length - order + 1)])
        window_coh = cohesion(counts, order, windows).reshape(len(at), -1)
        coh[at] = window_coh.min(axis=1)
        # ... and the entropy of their neighbours in the cut text.
        for i in at.tolist():
            _, left[i], right[i] = fragments.long.get(words[i], (0, 0.0, 0.0))
    return coh, left, right


def _unsolid_words(
    counts: NgramTable, table: dict[tuple[int, ...], int], order: int, thresholds: tuple[float, ...]
) -> frozenset[tuple[int, ...]]:
    """The words of length 2..order in ``table`` that are not solid n-grams."""
    unsolid: set[tuple[int, ...]] = set()
    for length in range(2, order + 1):
        words = [w for w in table if len(w) == length]
        if not words:
            continue
        units = np.array(words, np.int64)
        coh = cohesion(counts, length, units)
        solid = is_solid(coh, counts.lookup(length, units), counts.total, thresholds[length - 2])
        unsolid.update(w for w, ok in zip(words, solid.tolist()) if not ok)
    return frozenset(unsolid)


def rank_score(count: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The ranking: count times the smaller boundary entropy.

    A frequent string is usually a word; one bound on either side (always
    followed by the same character) usually is not. On pd1998's gold
    vocabulary this order beat count alone, entropy alone and log-count products
    (``make bench``, discovery precision).
    """
    return count * np.minimum(left, right)


def discover(corpus: Corpus, config: DiscoverConfig, known_words: set[str] | None = None) -> Lexicon:
    """Words of the corpus, best first (see the module docstring for the method)."""
    counts = corpus.counts
    order = min(config.order, corpus.order)
    empty = np.zeros(0)
    if counts.total == 0 or order < 2:
        return Lexicon([], empty.astype(np.int64), empty, empty, empty, empty)
    min_count = config.min_count or auto_min_count(counts.total)
    if corpus.pruned_at is not None and min_count < corpus.pruned_at:
        raise PrunedError(f"these counts keep only n-grams seen {corpus.pruned_at} times or more: "
                          f"give --min-count {corpus.pruned_at} or more, or count without pruning")
    thresholds = config.cohesion or auto_cohesion(order)
    if len(thresholds) < order - 1:
        raise ValueError(f"need {order - 1} cohesion thresholds (lengths 2..{order}), got {len(thresholds)}")
    solid_keys = solid_ngrams(counts, order, min_count, thresholds)
    solid = {length: KeySet(keys) for length, keys in solid_keys.items()}
    long_tally = LongFragments(config.cut_fragments, config.tmp_dir, first_unit_cuts(counts.keys[0], counts.counts[0]))
    try:
        fragments = cut_and_count(corpus.stream, solid, counts.bits, order, min_count, long_tally)
    finally:
        long_tally.close()
    table, total = _fragment_table(fragments, counts.bits, min_count)
    for word, (count, _, _) in fragments.long.items():
        if _back_check(word, order, solid[order], counts.bits):
            table[word] = count
    # A short fragment joined only by overlapping solid pieces (的问 + 问题 = 的问题)
    # is not a word unless it is solid itself: its count goes to its parts.
    unsolid = _unsolid_words(counts, table, order, thresholds)
    table = remove_redundant(table, total, 1.0 if config.redundancy else None, unsolid)
    units = corpus.vocab.units
    chosen = [
        w for w, c in table.items()
        if c >= min_count and config.min_len <= len(w) <= config.max_len
    ]
    if known_words:
        chosen = [w for w in chosen if "".join(units[u] for u in w) not in known_words]
    if not config.numbers:  # digits are ASCII here: the text model folds full-width forms
        chosen = [w for w in chosen if not any(ch.isdigit() for u in w for ch in units[u])]
    count = np.array([table[w] for w in chosen], np.int64)
    coh, left, right = _word_scores(corpus, chosen, order, fragments)
    score = rank_score(count, left, right)
    best = np.lexsort((-count, -score))
    lexicon = Lexicon(["".join(units[u] for u in w) for w in chosen], count, coh, left, right, score)
    return lexicon.take(best)
