"""Domain terms, by contrasting a domain corpus with a general one.

Candidates are the words ``discover`` finds in the domain corpus. Each is
counted exactly on both sides as a substring (n-gram tables for short words,
a pass over the unit stream for longer ones), so a word absent
from the general side is kept with count 0 rather than dropped. With a domain
count a out of N_D units and a general count b out of N_G, the methods are:

``share``   the published smoothed share (Su Jianlin 2019, https://kexue.fm/archives/6540), b rescaled to N_D:
            (a + α m) / (a + b' + m), α = Σa / Σ(a + b'), m = mean(a + b')
``g2``      Dunning's log-likelihood ratio, signed (+ when over-used in D)
``logodds`` log-odds ratio with an informative Dirichlet prior (Monroe et al.
            2008), z-score
``salience`` min(log ratio, 4) * ln a * min(H, 3), for terms used more
            in D than in G, where H is the term's smaller boundary entropy in D:
            a term must be characteristic of the domain (the ratio, capped so
            that rare exclusive strings do not win on the ratio alone), used
            there often (ln a), and free-standing (H, capped at 3 nats)
``topical`` (default) salience * max(ridf, 0), where ridf is the term's residual
            IDF over the lines of D (:mod:`wordmine.mining.dispersion`): a term names
            a topic, so it gathers in the lines about that topic, while a word
            of the genre (您好, 建议, 应当 in a Q&A or legal corpus) is spread
            over the lines like chance (ridf near 0) however rare it is in G.
            Needs the domain text (not a count file); without it, salience.

Every method ranks terms used less in D than in G (log ratio <= 0) last, by
their log ratio. On medical Q&A against reviews and against jieba's
dictionary, topical lifted precision at 100 well above salience; g2, logodds
and share gained less from the same factor (``make bench``, domain terms; and
``bench/contrast_variants.py``).

Worked example: a = 30 of N_D = 10 000, b = 0 of N_G = 100 000 gives a log
ratio ln((30.5 / 10 000) / (0.5 / 100 000)) = 6.41.

>>> round(float(log_ratio(np.array([30]), np.array([0]), 10_000, 100_000)[0]), 2)
6.41
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import numpy as np

from wordmine.config import ContrastConfig
from wordmine.counting.table.corpus import Corpus
from wordmine.lexicon import Lexicon
from wordmine.mining.dispersion import document_frequency, residual_idf
from wordmine.mining.occurrences import Background, corpus_occurrences


@dataclass(frozen=True)
class Terms:
    """Ranked domain terms with their counts on both sides, best first."""

    terms: list[str]
    domain_count: np.ndarray
    general_count: np.ndarray
    domain_total: int
    general_total: int
    log_ratio: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.terms)

    def rows(self):
        """Dictionaries for the writers in :mod:`wordmine.io.tables`."""
        per_d = 1e6 / max(self.domain_total, 1)
        per_g = 1e6 / max(self.general_total, 1)
        for i, term in enumerate(self.terms):
            yield {
                "term": term,
                "domain_count": int(self.domain_count[i]),
                # jieba's background gives expected counts; one type per column: rounded.
                "general_count": round(float(self.general_count[i])),
                "domain_per_million": float(self.domain_count[i] * per_d),
                "general_per_million": float(self.general_count[i] * per_g),
                "log_ratio": float(self.log_ratio[i]),
                "score": float(self.score[i]),
                "count": int(self.domain_count[i]),
            }


TERM_COLUMNS = ["term", "domain_count", "general_count", "domain_per_million", "general_per_million",
                "log_ratio", "score"]


def log_ratio(a: np.ndarray, b: np.ndarray, n_d: int, n_g: int) -> np.ndarray:
    """ln of the domain rate over the general rate, half a count added to each side."""
    return np.log((a + 0.5) / n_d) - np.log((b + 0.5) / n_g)


def smoothed_share(a: np.ndarray, b: np.ndarray, n_d: int, n_g: int) -> np.ndarray:
    """The published ranking, with words absent from the general side kept."""
    rescaled = b * (n_d / n_g)
    alpha = a.sum() / max((a + rescaled).sum(), 1e-12)
    m = (a + rescaled).mean() if len(a) else 0.0
    return (a + alpha * m) / (a + rescaled + m)


def log_likelihood(a: np.ndarray, b: np.ndarray, n_d: int, n_g: int) -> np.ndarray:
    """Dunning's G² of the 2x2 table (term / other units, domain / general), signed."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    total = n_d + n_g
    expected_a = n_d * (a + b) / total
    expected_b = n_g * (a + b) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(a > 0, a * np.log(a / expected_a), 0.0) + np.where(b > 0, b * np.log(b / expected_b), 0.0)
    g2 = 2.0 * terms
    return np.where(a / n_d >= b / n_g, g2, -g2)


def log_odds_z(a: np.ndarray, b: np.ndarray, n_d: int, n_g: int, prior: float) -> np.ndarray:
    """z-score of the log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008).

    The prior of each word is proportional to its pooled frequency, α_w =
    prior * (a + b) / (N_D + N_G), so rare words are shrunk towards no difference.
    """
    a, b = a.astype(np.float64), b.astype(np.float64)
    alpha_w = prior * (a + b + 1.0) / (n_d + n_g)
    delta = np.log((a + alpha_w) / (n_d + prior - a - alpha_w)) - np.log((b + alpha_w) / (n_g + prior - b - alpha_w))
    variance = 1.0 / (a + alpha_w) + 1.0 / (b + alpha_w)
    return delta / np.sqrt(variance)


def rank_terms(
    words: list[str],
    a: np.ndarray,
    b: np.ndarray,
    n_d: int,
    n_g: int,
    freedom: np.ndarray,
    config: ContrastConfig,
    spread: np.ndarray | None = None,
) -> Terms:
    """Score and sort candidate terms by ``config.method``.

    ``spread`` is each term's residual IDF in the domain, needed by ``topical``.
    """
    if config.method == "topical" and spread is None:
        raise ValueError("method topical needs the residual IDF of each term (the domain text, by lines)")
    if config.method == "share":
        score = smoothed_share(a, b, n_d, n_g)
    elif config.method == "g2":
        score = log_likelihood(a, b, n_d, n_g)
    elif config.method == "logodds":
        score = log_odds_z(a, b, n_d, n_g, config.prior)
    ratio = log_ratio(a, b, n_d, n_g)
    if config.method in ("salience", "topical"):
        with np.errstate(divide="ignore"):
            salience = np.minimum(ratio, config.ratio_cap) * np.log(a) * np.minimum(freedom, config.entropy_cap)
        if config.method == "topical":
            salience = salience * np.maximum(spread, 0.0)
        score = np.where((ratio > 0) & (a > 0), salience, ratio)
    best = np.lexsort((words, -a, -score)) if len(words) else np.zeros(0, np.int64)
    return Terms([words[i] for i in best], a[best], b[best], n_d, n_g, ratio[best], score[best])


def contrast(
    domain: Corpus,
    lexicon: Lexicon,
    general: Background,
    config: ContrastConfig,
    domain_text: Iterable[str] | None = None,
    warn: Callable[[str], None] | None = None,
) -> Terms:
    """Rank the discovered words of ``domain`` by how much more the domain uses them.

    ``domain_text`` is the domain's text again, in blocks, for the line counts
    of ``topical``; it is read only by that method. A domain of one line gives
    no line counts to compare, and is ranked by salience (``warn`` is told).
    """
    a = corpus_occurrences(domain, lexicon.words)
    b = general.occurrences(lexicon.words)
    freedom = np.minimum(lexicon.left_entropy, lexicon.right_entropy)
    spread = None
    if config.method == "topical" and domain_text is not None:
        lines_with, n_lines = document_frequency(domain_text, domain.vocab, lexicon.words)
        spread = residual_idf(a, lines_with, n_lines)
        if n_lines < 2:
            # One line (a text without line breaks, of any length): every ridf is 0, so rank by salience.
            config = replace(config, method="salience")
            if warn is not None:
                warn("DOMAIN has fewer than 2 lines to compare: ranking by salience instead of topical")
    return rank_terms(lexicon.words, a, b, max(domain.total_units, 1), max(general.total, 1), freedom, config,
                      spread)
