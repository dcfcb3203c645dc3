"""Stage 8b: segmentation by a character n-gram model with position tags (article 3956).

A word-unigram model p(sentence) = prod p(w) whose word probability is spelled
out by a character model whose context restarts at each word's first character:
p(w) = p(c1) p(c2|c1) p(c3|c1 c2) p(c4|c1 c2 c3) p(c5|c2 c3 c4) ... Finding the
best segmentation is tagging each character of a run

    b  first character of a word       scored log p(c)
    c  second                          log p(c | 1 previous)
    d  third                           log p(c | 2 previous)
    e  fourth and later                log p(c | 3 previous)

by Viterbi, with a weight on each allowed tag transition (x->b, b->c, c->d,
d->e, e->e). The published weights (log10: b->c -0.82, c->d -2, d->e -2,
e->e -3, x->b 0) act as PMI thresholds that a longer word must clear.

The character model is interpolated Kneser-Ney of order 4 over the counts the
corpus already has, stored in backoff form: for every n-gram of the table its
interpolated log probability, for every context its log backoff weight. An
unseen unit gets the uniform share of the order-1 discount, so every score is
finite.

>>> from wordmine.config import CountConfig
>>> from wordmine.counting import count_text
>>> text = "，".join(s + v + o for s in ["黑猫", "白狗", "小鸟"] for v in ["喜欢", "讨厌"]
...                  for o in ["鱼", "骨头", "米粒"]) * 5
>>> model = learn_charlm(count_text([text], CountConfig(order=3, jobs=1)), CharLMConfig())
>>> from wordmine.segment import segment_text
>>> segment_text("小鸟喜欢米粒！白狗讨厌鱼", model)
['小鸟 喜欢 米粒 ！ 白狗 讨厌 鱼']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .counting import Corpus
from .ngrams import NgramCounts
from .normalize import Vocabulary

#: The tags, in the column order of every score and transition array.
TAGS = "bcde"
#: Longest context: tag e looks at 3 previous units (a model of order 4).
ORDER = 4
_LN10 = math.log(10.0)

#: The published transition weights (article 3956), log10; missing pairs are forbidden.
PUBLISHED_TRANSITIONS = {"bb": 0.0, "cb": 0.0, "db": 0.0, "eb": 0.0,
                         "bc": -0.82, "cd": -2.0, "de": -2.0, "ee": -3.0}


def transition_matrix(weights_log10: dict[str, float]) -> np.ndarray:
    """A 4 x 4 matrix of natural-log weights, row = tag before, column = tag after.

    >>> m = transition_matrix(PUBLISHED_TRANSITIONS)
    >>> round(float(m[0, 1]), 3), bool(np.isneginf(m[0, 2]))
    (-1.888, True)
    """
    matrix = np.full((4, 4), -np.inf)
    for pair, weight in weights_log10.items():
        matrix[TAGS.index(pair[0]), TAGS.index(pair[1])] = weight * _LN10
    return matrix


@dataclass(frozen=True)
class CharLMConfig:
    transitions: str = "published"
    """published: the hand-set weights of article 3956; learned: weights re-estimated
    from the tag counts of the model's own Viterbi pass over the corpus."""
    rounds: int = 2
    """Re-estimation rounds when the transitions are learned."""
    weights: dict[str, float] = field(default_factory=lambda: dict(PUBLISHED_TRANSITIONS))
    """Starting transition weights, log10."""


@dataclass
class CharLM:
    """An order-4 character model in backoff form and the tag transition weights.

    ``keys[k - 1]`` are the n-grams of order k in :class:`NgramCounts` key encoding,
    ``log_prob[k - 1]`` their interpolated log probabilities (natural log),
    ``backoff[k - 1]`` the log weight given to the lower order after that n-gram
    as a context (orders 1-3). ``unknown_log_prob`` scores a unit the model never saw.
    """

    units: list[str]
    bits: int
    keys: list[np.ndarray]
    log_prob: list[np.ndarray]
    backoff: list[np.ndarray]
    unknown_log_prob: float
    transitions: np.ndarray

    @property
    def order(self) -> int:
        return len(self.keys)

    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self.units[1:])

    def unigram_rows(self) -> np.ndarray:
        """The order-1 table row of each unit id, -1 for ids the model did not count."""
        ids = self.keys[0].astype(np.int64)
        rows = np.full(max(len(self.units), int(ids.max(initial=0)) + 1), -1, np.int64)
        rows[ids] = np.arange(len(ids))
        return rows

    def table(self) -> NgramCounts:
        """The keys as an n-gram table, for lookups (its counts are not used)."""
        return NgramCounts(self.bits, self.keys, [np.zeros(len(k), np.int64) for k in self.keys])

    def word_ends(self, ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """True after each unit that ends a word in the best tagging."""
        return best_tag_ends(tag_scores(ids, offsets, self), offsets, self.transitions)


def tag_scores(ids: np.ndarray, offsets: np.ndarray, model: CharLM) -> np.ndarray:
    """Log score of each unit under each tag: an (n, 4) array, -inf where the run is too short.

    Column k - 1 is log p(unit | the k - 1 units before it), found by backing off:
    the n-gram's own probability if the table has it, else the context's backoff
    weight plus the score one order lower. The context of the k-gram ending at a
    unit is the (k - 1)-gram ending at the unit before, so each order costs one
    table search.
    """
    n = len(ids)
    table = model.table()
    ids = ids.astype(np.int64)
    out = np.full((n, 4), -np.inf)
    # Order 1: an order-1 key is the unit id itself, so a dense map finds the rows.
    row_of = model.unigram_rows()
    rows = row_of[np.minimum(ids, len(row_of) - 1)]
    rows[ids >= len(row_of)] = -1
    safe_rows = np.maximum(rows, 0)
    lower = np.where(rows >= 0, model.log_prob[0][safe_rows], model.unknown_log_prob)
    out[:, 0] = lower
    row_key = ids.astype(np.uint64)
    context_backoff = np.where(rows >= 0, model.backoff[0][safe_rows], 0.0) if model.order > 1 else np.zeros(n)
    starts = offsets == 0
    for k in range(2, 5):
        if k > model.order:
            out[:, k - 1] = np.where(offsets >= k - 1, lower, -np.inf)
            continue
        # Shift by one unit: the (k - 1)-gram ending before each unit is this k-gram's context.
        prev_rows = np.concatenate([[-1], rows[:-1]])
        prev_backoff = np.concatenate([[0.0], context_backoff[:-1]])
        prev_rows[starts] = -1
        prev_backoff[starts] = 0.0
        valid = offsets >= k - 1
        if table.is_packed(k):
            prev_key = np.concatenate([np.zeros(1, np.uint64), row_key[:-1]])
            key = (prev_key << np.uint64(model.bits)) | ids.astype(np.uint64)
        else:
            key = (np.maximum(prev_rows, 0).astype(np.uint64) << np.uint64(model.bits)) | ids.astype(np.uint64)
        rows = np.where(valid & (prev_rows >= 0), table.find(k, key), -1)
        found = rows >= 0
        safe_rows = np.maximum(rows, 0)
        score = np.where(found, model.log_prob[k - 1][safe_rows], prev_backoff + lower)
        lower = np.where(valid, score, -np.inf)
        out[:, k - 1] = lower
        row_key = key
        context_backoff = np.where(found, model.backoff[k - 1][safe_rows], 0.0) if k < model.order \
            else np.zeros(n)
    return out


def best_tag_ends(scores: np.ndarray, offsets: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """Viterbi over the tags b, c, d, e: True after each unit that ends a word.

    Vectorised over all runs at once: step t extends every run's best tagging of
    its first t units by one unit (a Python step per position of the longest run,
    at most MAX_RUN, each over every run that long).

    >>> scores = np.log(np.array([[.5, 0, 0, 0], [.1, .9, 0, 0], [.5, 0, 0, 0]]) + 1e-300)
    >>> best_tag_ends(scores, np.array([0, 1, 2]), transition_matrix(PUBLISHED_TRANSITIONS)).tolist()
    [False, True, True]
    """
    n = len(offsets)
    ends = np.zeros(n, bool)
    if n == 0:
        return ends
    # Only x->b, b->c, c->d, d->e and e->e are allowed, so each tag has at most two
    # predecessors worth a column operation, not a 4 x 4 maximum.
    t = transitions
    best = np.full((n, 4), -np.inf)
    back = np.zeros((n, 4), np.int8)
    back[:, 1:] = [0, 1, 2]
    order = np.argsort(offsets, kind="stable")
    bounds = np.searchsorted(offsets[order], np.arange(offsets.max() + 2))
    first = order[bounds[0] : bounds[1]]
    best[first, 0] = scores[first, 0]
    for step in range(1, len(bounds) - 1):
        at = order[bounds[step] : bounds[step + 1]]
        prev = best[at - 1] + t[:, 0]
        came = np.argmax(prev, axis=1)
        here = scores[at]
        here[:, 0] += prev[np.arange(len(at)), came]
        back[at, 0] = came
        before = best[at - 1]
        here[:, 1] += before[:, 0] + t[0, 1]
        here[:, 2] += before[:, 1] + t[1, 2]
        from_d, from_e = before[:, 2] + t[2, 3], before[:, 3] + t[3, 3]
        here[:, 3] += np.maximum(from_d, from_e)
        back[at, 3] = np.where(from_e > from_d, 3, 2)
        best[at] = here
    last = np.ones(n, bool)
    last[:-1] = offsets[1:] == 0
    tags = np.zeros(n, np.int8)
    current = np.flatnonzero(last)
    tag = np.argmax(best[current], axis=1)
    while len(current):
        tags[current] = tag
        going = offsets[current] > 0
        tag = back[current[going], tag[going]]
        current = current[going] - 1
    ends[:-1] = tags[1:] == 0
    ends |= last
    return ends


def learn_charlm(corpus: Corpus, config: CharLMConfig) -> CharLM:
    """Fit the character model to the corpus counts; re-estimate the transitions if asked."""
    counts = corpus.counts
    order = min(ORDER, counts.max_order)
    keys, log_prob, backoff, unknown = kneser_ney(corpus, order)
    model = CharLM(corpus.vocab.units, counts.bits, keys, log_prob, backoff, unknown,
                   transition_matrix(config.weights))
    if config.transitions == "learned":
        from .segment import run_offsets  # the same run layout the unigram learner uses

        stream = corpus.stream.astype(np.int64)
        ids = stream[stream != 0]
        offsets = run_offsets(np.concatenate([[True], stream[:-1] == 0])[stream != 0])
        scores = tag_scores(ids, offsets, model)
        for _ in range(config.rounds):
            ends = best_tag_ends(scores, offsets, model.transitions)
            model.transitions = transitions_from_ends(ends, offsets)
    return model


def transitions_from_ends(ends: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Log transition probabilities of the tag sequence that the word ends spell out.

    >>> m = transitions_from_ends(np.array([True, False, True, True]), np.arange(4))
    >>> np.round(np.exp(m[0]), 2).tolist()  # after b: b once, c once
    [0.5, 0.5, 0.0, 0.0]
    """
    starts = (offsets == 0) | np.concatenate([[True], ends[:-1]])
    position = np.arange(len(ends)) - np.maximum.accumulate(np.where(starts, np.arange(len(ends)), 0))
    tags = np.minimum(position, 3)
    inside = offsets[1:] > 0
    pairs = np.bincount(tags[:-1][inside] * 4 + tags[1:][inside], minlength=16).reshape(4, 4).astype(float)
    allowed = np.isfinite(transition_matrix(PUBLISHED_TRANSITIONS))
    pairs = np.where(allowed, pairs + 0.5, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(pairs / pairs.sum(axis=1, keepdims=True))


def kneser_ney(corpus: Corpus, order: int) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], float]:
    """Interpolated Kneser-Ney over the corpus counts, in backoff form.

    The highest order uses raw counts; a lower-order n-gram uses the number of
    distinct units seen before it, a run boundary counting as one more (as
    KenLM counts <s>). Each order has one discount D = n1 / (n1 + 2 n2) of those
    counts. p(w|h) = max(a(hw) - D, 0) / a(h.) + D N(h.) / a(h.) p(w|h'); order 1
    interpolates with the uniform distribution over the units and one unknown.
    """
    table = corpus.counts
    adjusted = [table.counts[k - 1].astype(np.float64) for k in range(1, order + 1)]
    starts = _run_start_ngrams(corpus, order)
    for k in range(1, order):
        rows = table.decode(k + 1, np.arange(len(table.keys[k])))
        suffix = table.index(k, rows[:, 1:])
        continuation = np.bincount(suffix[suffix >= 0], minlength=len(table.keys[k - 1])).astype(np.float64)
        continuation[starts[k - 1]] += 1.0
        adjusted[k - 1] = continuation
    log_prob, backoff = [], []
    # Order 1.
    a = adjusted[0]
    discount = _discount(a)
    vocab_size = len(a) + 1
    gamma = discount * np.count_nonzero(a) / a.sum() if a.sum() else 1.0
    prob = np.maximum(a - discount, 0) / max(a.sum(), 1.0) + gamma / vocab_size
    log_prob.append(np.log(prob))
    unknown = float(np.log(gamma / vocab_size))
    for k in range(2, order + 1):
        a = adjusted[k - 1]
        discount = _discount(a)
        context = table.prefix_rows(k)
        n_context = len(table.keys[k - 2])
        total = np.bincount(context, weights=a, minlength=n_context)
        distinct = np.bincount(context, weights=(a > 0).astype(float), minlength=n_context)
        with np.errstate(divide="ignore", invalid="ignore"):
            gamma = np.where(total > 0, discount * distinct / total, 1.0)
        grams = table.decode(k, np.arange(len(a)))
        suffix = table.index(k - 1, grams[:, 1:])
        lower = _lower_prob(table, log_prob, backoff, grams[:, 1:], suffix, unknown)
        prob = np.maximum(a - discount, 0) / np.maximum(total[context], 1e-300) + gamma[context] * lower
        log_prob.append(np.log(prob))
        backoff.append(np.log(gamma))
    keys = [table.keys[k - 1] for k in range(1, order + 1)]
    return keys, log_prob, backoff, unknown


def _lower_prob(table: NgramCounts, log_prob: list[np.ndarray], backoff: list[np.ndarray],
                grams: np.ndarray, rows: np.ndarray, unknown: float) -> np.ndarray:
    """p(last unit | the units before it) of each row of ``grams``, backing off where unseen.

    The suffix of a counted n-gram is always counted, so ``rows`` is never -1 here;
    the backoff branch keeps the function honest for other callers.
    """
    k = grams.shape[1]
    found = rows >= 0
    out = np.empty(len(grams))
    out[found] = np.exp(log_prob[k - 1][rows[found]])
    if (~found).any():
        if k == 1:
            out[~found] = math.exp(unknown)
        else:
            missing = grams[~found]
            context = table.index(k - 1, missing[:, :-1])
            weight = np.where(context >= 0, np.exp(backoff[k - 2][np.maximum(context, 0)]), 1.0)
            below = table.index(k - 1, missing[:, 1:])
            out[~found] = weight * _lower_prob(table, log_prob, backoff, missing[:, 1:], below, unknown)
    return out


def _discount(adjusted: np.ndarray) -> float:
    """D = n1 / (n1 + 2 n2) of the counts, kept inside (0.1, 0.9) for tiny corpora."""
    n1 = np.count_nonzero(adjusted == 1)
    n2 = np.count_nonzero(adjusted == 2)
    return float(np.clip(n1 / (n1 + 2 * n2), 0.1, 0.9)) if n1 + n2 else 0.5


def _run_start_ngrams(corpus: Corpus, order: int) -> list[np.ndarray]:
    """For orders 1..order - 1, the table rows of the n-grams that begin a run."""
    stream = corpus.stream.astype(np.int64)
    padded = np.concatenate([[0], stream, np.zeros(order, np.int64)])
    begins = np.flatnonzero((padded[:-1] == 0) & (padded[1:] != 0))  # index into padded of each run's first unit
    out = []
    for k in range(1, order):
        whole = np.ones(len(begins), bool)
        for j in range(k):
            whole &= padded[np.minimum(begins + 1 + j, len(padded) - 1)] != 0
        at = begins[whole] + 1
        grams = np.stack([padded[at + j] for j in range(k)], axis=1) if len(at) else np.zeros((0, k), np.int64)
        rows = corpus.counts.index(k, grams)
        out.append(np.unique(rows[rows >= 0]))
    return out

