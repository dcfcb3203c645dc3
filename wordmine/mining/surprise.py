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

An n-gram of length 2..order, seen ``min_count`` times or more and not solid,
is admitted when all of these hold:

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
(without ``--new-only``) never sees them.

>>> round(log_likelihood_ratio(24, 80_000, 24 / 80_000 / 9), 1)  # 9 times the null rate
62.8
>>> log_likelihood_ratio(3, 80_000, 1e-4)  # fewer than expected: no evidence
0.0
"""

from __future__ import annotations

import math
from collections.abc import Collection
from statistics import NormalDist

import numpy as np

from wordmine.config import DiscoverConfig, auto_cohesion, auto_min_count
from wordmine.counting.table.corpus import Corpus
from wordmine.lexicon import Lexicon

#: Family-wise significance level of the one-sided test, before the Bonferroni correction.
ALPHA = 0.05


def log_likelihood_ratio(k: float, n: float, p0: float) -> float:
    """Dunning's G2 of ``k`` occurrences in ``n`` units against the rate ``p0``; 0 when k <= n p0."""
    expected = n * p0
    if n <= 0 or k <= expected:
        return 0.0
    g = k * math.log(k / expected)
    if n > k:
        g += (n - k) * math.log((n - k) / (n - expected))
    return 2.0 * g


def critical_value(alpha: float, tests: int) -> float:
    """The G2 that a one-sided test at ``alpha`` over ``tests`` strings (Bonferroni) must reach.

    G2 is asymptotically chi-square with one degree of freedom, the square of
    a standard normal, so the one-sided bar is the square of its quantile.

    >>> round(critical_value(0.05, 1), 2), round(critical_value(0.05, 1000), 2)
    (2.71, 15.14)
    """
    z = NormalDist().inv_cdf(1.0 - alpha / max(tests, 1))
    return z * z


def _chinese(word: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in word)


def jieba_surprises(corpus: Corpus, config: DiscoverConfig, lexicon: Lexicon, known: Collection[str],
                    alpha: float = ALPHA) -> Lexicon:
    """The n-grams that rules 1-4 of the module docstring admit, as a Lexicon (not ranked).

    ``lexicon``: what discovery found (its words are not tested again; its
    median boundary entropy is rule 3's bar); ``known``: the known lexicon.
    """
    from wordmine.counting.table.corpus import PrunedCorpus
    from wordmine.mining.discover import is_solid, rank_score
    from wordmine.mining.novelty import _splitter, jieba_model
    from wordmine.mining.scoring import boundary_entropy, cohesion

    counts = corpus.counts
    order = min(config.order, corpus.order, counts.max_order - 1)
    if counts.total == 0 or order < 2 or not len(lexicon):
        return Lexicon([], *(np.zeros(0, t) for t in (np.int64, float, float, float, float)))
    min_count = config.min_count or auto_min_count(counts.total)
    thresholds = config.cohesion or auto_cohesion(order)
    bar_entropy = float(np.median(np.minimum(lexicon.left_entropy, lexicon.right_entropy)))
    frequencies, jieba_total, function_words, _ = jieba_model()
    log_total = math.log(jieba_total)
    splitter = _splitter()
    units = corpus.vocab.units
    have = set(lexicon.words)
    tested: list[tuple[str, int, float, float, float, float]] = []
    for length in range(2, order + 1):
        rows = np.flatnonzero(counts.counts[length - 1] >= min_count)
        if not len(rows):
            continue
        grams = counts.decode(length, rows)
        n = counts.counts[length - 1][rows]
        coh = cohesion(counts, length, grams)
        kept = corpus.entropy.get(length) if isinstance(corpus, PrunedCorpus) else None
        left_all, right_all = kept or boundary_entropy(counts, length)
        left, right = left_all[rows], right_all[rows]
        weak = ~is_solid(coh, n, counts.total, thresholds[length - 2]) & (np.minimum(left, right) >= bar_entropy)
        for r in np.flatnonzero(weak).tolist():
            word = "".join(units[u] for u in grams[r].tolist())
            if word in known or word in have or not _chinese(word):
                continue
            pieces = splitter.lcut(word, HMM=False)
            if any(p in function_words for p in pieces):
                continue
            log_jieba = sum(math.log(frequencies.get(p) or 1) - log_total for p in pieces)
            p0 = max(math.exp(log_jieba), float(n[r]) / counts.total * math.exp(-float(coh[r])))
            tested.append((word, int(n[r]), float(coh[r]), float(left[r]), float(right[r]), p0))
    bar = critical_value(alpha, len(tested))
    found = [t for t in tested if log_likelihood_ratio(t[1], counts.total, t[5]) >= bar]
    count = np.array([t[1] for t in found], np.int64)
    left_h = np.array([t[3] for t in found], float)
    right_h = np.array([t[4] for t in found], float)
    return Lexicon([t[0] for t in found], count, np.array([t[2] for t in found], float), left_h, right_h,
                   rank_score(count, left_h, right_h))


def with_surprises(corpus: Corpus, config: DiscoverConfig, lexicon: Lexicon, known: Collection[str]) -> Lexicon:
    """``lexicon`` and :func:`jieba_surprises` as one lexicon, ranked as discovery ranks (score, then count)."""
    extra = jieba_surprises(corpus, config, lexicon, known)
    if not len(extra):
        return lexicon
    both = Lexicon(list(lexicon.words) + list(extra.words),
                   *(np.concatenate([getattr(lexicon, f), getattr(extra, f)])
                     for f in ("count", "cohesion", "left_entropy", "right_entropy", "score")))
    return both.take(np.lexsort((-both.count, -both.score)))
