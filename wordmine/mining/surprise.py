"""New-word candidates below discovery's cohesion bar that neither jieba's model nor the corpus explains.

Discovery keeps an n-gram when its cohesion against the corpus' own
character counts reaches a fixed bar (3, 5, 7 nats for 2, 3, 4 characters).
On a small corpus a frequent word can miss that bar because its characters
are frequent there too: in a forum about stomach aches 胃 and 疼 are common, so
胃疼 is only a few times more frequent than 胃 and 疼 side by side by chance.
For ``--new-only`` there is a second witness, jieba's unigram model (its
dictionary frequencies; Sun Junyi, jieba, 2012, https://github.com/fxsjy/jieba):
jieba splits the string into pieces p1..pk, and under its model the string
starts at a given unit with probability prod f(pi) / F (F: jieba's total).

An n-gram of length 2 up to one unit under the order counted (:func:`longest`),
seen ``min_count`` times or more and not solid, is admitted when all of these hold:

1. it is made of Chinese characters only and is not a known word (jieba's
   model speaks of Chinese words; a known word has no split to test);
2. no piece of jieba's split is a function word (``novelty``'s function
   words, the most frequent words making up 30 % of jieba's running text):
   a candidate with no cohesion evidence that holds a function word is the
   grammar that ``novelty`` rule 4 calls a phrase (之色, 一笑, 种药);
3. its boundaries are at least as free as those of the median word that
   cohesion admitted in the same corpus (the smaller of its left and right
   entropies, as discovery ranks): weaker evidence inside, so no weaker
   evidence at the edges than a typical word has;
4. its count k in the corpus' N units is significantly above the larger of
   two null rates: jieba's split's, and the corpus' own weakest split's
   (k / N * exp(-cohesion)). Significance is Dunning's log-likelihood ratio
   for a binomial count (T. Dunning, Accurate Methods for the Statistics of
   Surprise and Coincidence, Computational Linguistics 19(1), 1993,
   https://aclanthology.org/J93-1003/)

       G2 = 2 [k ln(k / (N p0)) + (N - k) ln((N - k) / (N - N p0))]

   one-sided at :data:`ALPHA`, Bonferroni-corrected for the number of strings
   tested.

The admitted strings join the discovered lexicon (counted as n-grams, scored
as discovery scores words) before ``novelty``'s rules run, so fragments and
phrases among them are dropped as any other word's are. Full discovery
(without ``--new-only``) never sees them. The same G2 ranks the list of
new words (:func:`rank_by_evidence`).

What it costs, and the bound. Rules 1 (but for the traditional forms a known
lexicon looks up), 3 and "not solid" read only the count tables, so they run
over the whole table as numpy operations, a block of rows at a time, as
discovery's own cohesion pass does. Only rules 2 and 4 need jieba's split, a
Python call per string; that is the part whose cost would grow with the
corpus, so it is given to at most ``limit`` strings (``MemoryPlan.witness_strings``,
planned from ``--memory``), the most frequent candidates first (ties: the
shorter string, then the string's characters in code point order, so the
choice depends on the text only). The count is where the evidence is: under
the bar, the count is at most exp(θ) times the corpus' own null (θ the
length's cohesion threshold), so G2 is at most about 2 k (θ - 1 + e^-θ), and
a string seen a few times cannot reach the Bonferroni bar however jieba
splits it, while the most frequent strings are the ones the test can decide
(and the ones a user's dictionary gains most from). The Bonferroni correction
counts the strings tested, so the bar holds for what is tested. The chosen
strings are kept a block at a time (at most twice ``limit`` rows between two
prunings), so the memory does not grow with the corpus either; jieba's splits
are kept in ``novelty``'s cache, where rules 3 and 4 find them again.
Testing only the strings at a gap of discovery's cut (between two
discovered words) was the other way to a bound; it needs one more pass over
the text and does not bound the number by itself (a large text has as many
distinct strings at its gaps as in its table), so the count decides.

>>> float(log_likelihood_ratio(24, 80_000, 24 / 80_000 / 9).round(1))  # 9 times the null rate
62.8
>>> float(log_likelihood_ratio(3, 80_000, 1e-4))  # fewer than expected: no evidence
0.0
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from wordmine.config import DiscoverConfig, auto_cohesion, auto_min_count
from wordmine.counting.table.corpus import Corpus
from wordmine.counting.table.ngrams import NgramTable
from wordmine.lexicon import Lexicon
from wordmine.normalize import Vocabulary

#: Family-wise significance level of the one-sided test, before the Bonferroni correction.
ALPHA = 0.05

#: Rows of a count table read at a time while the candidates are chosen.
BLOCK_ROWS = 1 << 20

#: The code points of the Chinese characters the rule speaks of (CJK Unified Ideographs).
CJK_FIRST, CJK_LAST = 0x4E00, 0x9FFF


def log_likelihood_ratio(k: np.ndarray | float, n: float, p0: np.ndarray | float) -> np.ndarray:
    """Dunning's G2 of ``k`` occurrences in ``n`` units against the rate ``p0``, for each k; 0 when k <= n p0.

    >>> log_likelihood_ratio(np.array([24, 3, 80]), 80, np.array([0.1, 0.1, 0.5])).round(2).tolist()
    [24.59, 0.0, 110.9]
    """
    k = np.asarray(k, np.float64)
    expected = n * np.asarray(p0, np.float64)
    more = (k > expected) & (n > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = k * np.log(k / expected)
        rest = np.where(n > k, (n - k) * np.log((n - k) / (n - expected)), 0.0)
    return np.where(more, 2.0 * (g + rest), 0.0)


def critical_value(alpha: float, tests: int) -> float:
    """The G2 that a one-sided test at ``alpha`` over ``tests`` strings (Bonferroni) must reach.

    G2 is asymptotically chi-square with one degree of freedom, the square of
    a standard normal, so the one-sided bar is the square of its quantile.

    >>> round(critical_value(0.05, 1), 2), round(critical_value(0.05, 1000), 2)
    (2.71, 15.14)
    """
    z = NormalDist().inv_cdf(1.0 - alpha / max(tests, 1))
    return z * z


@dataclass
class _Chosen:
    """The candidates kept so far, at most ``limit`` after each pruning: one entry per string."""

    count: np.ndarray
    length: np.ndarray
    points: np.ndarray
    """Code points of each string, padded with 0 to the longest length."""
    cohesion: np.ndarray
    left: np.ndarray
    right: np.ndarray

    @classmethod
    def empty(cls, width: int) -> _Chosen:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, width), np.uint32),
                   *(np.zeros(0) for _ in range(3)))

    def __len__(self) -> int:
        return len(self.count)

    def joined(self, other: _Chosen) -> _Chosen:
        return _Chosen(*(np.concatenate([getattr(self, f), getattr(other, f)])
                         for f in ("count", "length", "points", "cohesion", "left", "right")))

    def best(self, limit: int) -> _Chosen:
        """The ``limit`` most frequent strings, in that order: ties to the shorter, then by code points."""
        keys = [self.points[:, j] for j in range(self.points.shape[1] - 1, -1, -1)]
        order = np.lexsort((*keys, self.length, -self.count))[:limit]
        return _Chosen(*(getattr(self, f)[order]
                         for f in ("count", "length", "points", "cohesion", "left", "right")))

    def words(self) -> list[str]:
        return ["".join(map(chr, p[:n])) for p, n in zip(self.points.tolist(), self.length.tolist())]


def _unit_points(vocab: Vocabulary) -> np.ndarray:
    """The code point of each unit id when the unit is one Chinese character, else 0."""
    points = np.zeros(len(vocab), np.uint32)
    for i, unit in enumerate(vocab.units):
        if len(unit) == 1 and CJK_FIRST <= ord(unit) <= CJK_LAST:
            points[i] = ord(unit)
    return points


def _known_keys(counts: NgramTable, unit_points: np.ndarray, words: list[str], length: int) -> np.ndarray:
    """Sorted table keys of the ``words`` (all of ``length`` characters) that are Chinese characters
    the vocabulary holds (``unit_points``: :func:`_unit_points`), turned into code points all at once (UTF-32).
    """
    if not words:
        return np.zeros(0, np.uint64)
    points = np.frombuffer("".join(words).encode("utf-32-le"), np.uint32).reshape(-1, length).astype(np.int64)
    ids = np.zeros(CJK_LAST - CJK_FIRST + 1, np.int64)
    held = np.flatnonzero(unit_points)
    ids[unit_points[held].astype(np.int64) - CJK_FIRST] = held
    units = ids[points[((points >= CJK_FIRST) & (points <= CJK_LAST)).all(axis=1)] - CJK_FIRST]
    return np.unique(counts.encode(length, units[(units > 0).all(axis=1)]))


def _sorted_in(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Whether each key is in ``sorted_keys`` (one binary search each)."""
    if not len(sorted_keys):
        return np.zeros(len(keys), bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[at] == keys


def longest(corpus: Corpus, config: DiscoverConfig) -> int:
    """The longest strings tested: one unit under the order counted, and at most discovery's order.

    The same on every kind of table a text counted to order n gives (n + 1
    orders as counted, n once pruned for discovery, or learning's), so that
    ``--new-only``, ``--format jieba``, ``to_jieba`` with the counts and the
    adapted teacher of ``learn`` test the same strings. Longer strings are
    left to cohesion: under their higher bar (7 nats at 4 units) the corpus'
    own null still lets a count exceed it e^7 times over, so phrases of two
    words pass the test as easily as words and only ``novelty``'s rules
    could tell them apart.
    """
    return min(config.order, corpus.order - 1, corpus.counts.max_order - 1)


def candidates(corpus: Corpus, config: DiscoverConfig, bar_entropy: float, known: Collection[str],
               limit: int) -> _Chosen:
    """The ``limit`` most frequent n-grams that the count tables alone leave to test (see the module docstring).

    Length 2 to :func:`longest`, seen ``min_count`` times or more, Chinese characters only,
    not solid, edges at least as free as ``bar_entropy`` on both sides, not a
    known word (as the known lexicon stores it). Read a block of rows at a time.
    """
    from wordmine.counting.table.corpus import PrunedCorpus
    from wordmine.mining.discover import is_solid
    from wordmine.mining.scoring import boundary_entropy, cohesion

    counts = corpus.counts
    order = longest(corpus, config)
    min_count = config.min_count or auto_min_count(counts.total)
    thresholds = config.cohesion or auto_cohesion(order)
    points_of = _unit_points(corpus.vocab)
    known_words: dict[int, list[str]] = {length: [] for length in range(2, order + 1)}
    for word in known:
        if len(word) in known_words:
            known_words[len(word)].append(word)
    chosen = _Chosen.empty(order)
    for length in range(2, order + 1):
        n_all = counts.counts[length - 1]
        if not (n_all >= min_count).any():
            continue
        kept = corpus.entropy.get(length) if isinstance(corpus, PrunedCorpus) else None
        left_all, right_all = kept or boundary_entropy(counts, length)
        known_keys = _known_keys(counts, points_of, known_words.pop(length), length)
        for start in range(0, len(n_all), BLOCK_ROWS):
            rows = start + np.flatnonzero(n_all[start:start + BLOCK_ROWS] >= min_count)
            rows = rows[np.minimum(left_all[rows], right_all[rows]) >= bar_entropy]
            units = counts.decode(length, rows)
            points = points_of[units]
            rows, units, points = (a[(points > 0).all(axis=1)] for a in (rows, units, points))
            fresh = ~_sorted_in(counts.keys[length - 1][rows], known_keys)
            rows, units, points = rows[fresh], units[fresh], points[fresh]
            coh = cohesion(counts, length, units)
            weak = ~is_solid(coh, n_all[rows], counts.total, thresholds[length - 2])
            rows, points, coh = rows[weak], points[weak], coh[weak]
            padded = np.zeros((len(rows), order), np.uint32)
            padded[:, :length] = points
            chosen = chosen.joined(_Chosen(n_all[rows], np.full(len(rows), length, np.int64), padded, coh,
                                           left_all[rows], right_all[rows]))
            if len(chosen) > 2 * limit:
                chosen = chosen.best(limit)
    return chosen.best(limit)


def jieba_surprises(corpus: Corpus, config: DiscoverConfig, lexicon: Lexicon, known: Collection[str],
                    limit: int | None = None, alpha: float = ALPHA) -> Lexicon:
    """The n-grams that rules 1-4 of the module docstring admit, as a Lexicon (most frequent first, not ranked).

    ``lexicon``: what discovery found (its words are not tested again; its
    median boundary entropy is rule 3's bar); ``known``: the known lexicon;
    ``limit``: strings tested at most (None: the plan of the default budget,
    ``MemoryPlan.witness_strings``).
    """
    from wordmine.mining.discover import rank_score
    from wordmine.mining.novelty import jieba_model, jieba_split

    counts = corpus.counts
    empty = Lexicon([], *(np.zeros(0, t) for t in (np.int64, float, float, float, float)))
    if counts.total == 0 or longest(corpus, config) < 2 or not len(lexicon):
        return empty
    if limit is None:
        from wordmine.budget import MemoryPlan, default_memory

        limit = MemoryPlan.of(default_memory()).witness_strings
    bar_entropy = float(np.median(np.minimum(lexicon.left_entropy, lexicon.right_entropy)))
    chosen = candidates(corpus, config, bar_entropy, known, limit)
    function_words = jieba_model()[2]
    have = set(lexicon.words)
    words = chosen.words()
    tested: list[int] = []
    for i, word in enumerate(words):
        if word in known or word in have:  # a traditional form of a known word, a discovered word
            continue
        if any(p in function_words for p in jieba_split(word)):
            continue
        tested.append(i)
    if not tested:
        return empty
    at = np.array(tested, np.int64)
    g2 = evidence([words[i] for i in tested], chosen.count[at], chosen.cohesion[at], counts.total)
    found = at[g2 >= critical_value(alpha, len(tested))]
    count, left, right = chosen.count[found], chosen.left[found], chosen.right[found]
    return Lexicon([words[i] for i in found.tolist()], count, chosen.cohesion[found], left, right,
                   rank_score(count, left, right))


def log_jieba_rate(word: str) -> float:
    """ln of the rate at which jieba's unigram model puts ``word`` at a given unit: its split's pieces
    p1..pk, sum ln(f(pi) / F), with a piece jieba lacks counted once (f = 1).

    >>> log_jieba_rate("诊断为") < log_jieba_rate("诊断")
    True
    """
    from wordmine.mining.novelty import jieba_model, jieba_split

    frequencies, jieba_total = jieba_model()[:2]
    pieces = jieba_split(word)
    return sum(math.log(frequencies.get(p) or 1) for p in pieces) - len(pieces) * math.log(jieba_total)


def evidence(words: list[str], count: np.ndarray, cohesion: np.ndarray, total: int) -> np.ndarray:
    """Rule 4's G2 of each word: its ``count`` in ``total`` units against the larger of jieba's split's
    rate (:func:`log_jieba_rate`) and the corpus' weakest split's, count / total * exp(-cohesion).

    The test of the witness, and the ranking of ``--new-only`` (:func:`rank_by_evidence`).
    """
    if not len(words):
        return np.zeros(0)
    count = np.asarray(count, np.float64)
    jieba_rate = np.exp(np.array([log_jieba_rate(w) for w in words]))
    with np.errstate(over="ignore"):
        corpus_rate = count / max(total, 1) * np.exp(-np.asarray(cohesion, np.float64))
    return log_likelihood_ratio(count, total, np.maximum(jieba_rate, corpus_rate))


def rank_by_evidence(lexicon: Lexicon, total: int) -> Lexicon:
    """The new words of ``lexicon`` (counted in ``total`` units) ranked by :func:`evidence`, which becomes
    their score; ties by count, then in the lexicon's order.

    Discovery ranks all its words by count times the smaller boundary
    entropy: free edges are its evidence that a frequent string is a word.
    The new words have had their edges judged already (``novelty``'s
    fragment rule drops a word that sits mostly inside a longer one or beside
    one same unit), and the frequent strings with free edges that remain
    include short phrases whose pieces are common words (如水 = 如 + 水, 向外,
    不愿 on a novel). What is left to rank is the inside: how far the count is
    above what the word's splits predict, the statistic that the witness
    tests (rule 4 of the module docstring), Dunning's G2 against the larger
    of jieba's rate and the corpus' weakest split's. When the corpus' null is
    the larger, G2 is about 2 k (c - 1 + e^-c) for k occurrences and cohesion
    c nats: count and cohesion together, where a phrase about as frequent as
    its pieces predict sinks and a name or a drug whose characters occur
    only in it (华法林) rises. Full discovery keeps its ranking.

    >>> lexicon = Lexicon(["如水", "华法林"], np.array([30, 20]), np.array([2.0, 6.0]),
    ...                   np.array([3.0, 2.0]), np.array([3.0, 2.0]), np.array([90.0, 40.0]))
    >>> rank_by_evidence(lexicon, 100_000).words
    ['华法林', '如水']
    """
    if not len(lexicon):
        return lexicon
    g2 = evidence(list(lexicon.words), lexicon.count, lexicon.cohesion, total)
    order = np.lexsort((np.arange(len(lexicon)), -lexicon.count, -g2))
    return dataclasses.replace(lexicon.take(order), score=g2[order])


def with_surprises(corpus: Corpus, config: DiscoverConfig, lexicon: Lexicon, known: Collection[str],
                   limit: int | None = None) -> Lexicon:
    """``lexicon`` and :func:`jieba_surprises` as one lexicon, ranked as discovery ranks (score, then count)."""
    extra = jieba_surprises(corpus, config, lexicon, known, limit)
    if not len(extra):
        return lexicon
    both = Lexicon(list(lexicon.words) + list(extra.words),
                   *(np.concatenate([getattr(lexicon, f), getattr(extra, f)])
                     for f in ("count", "cohesion", "left_entropy", "right_entropy", "score")))
    return both.take(np.lexsort((-both.count, -both.score)))
