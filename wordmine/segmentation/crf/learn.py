"""Learning the CRF segmenter from the corpus itself: pseudo-labels from a teacher, AdaGrad on the log-likelihood.

No labelled data: the tags come from a **teacher** that segments the learning
text. ``charlm`` (the default) is the character-model segmenter of
:mod:`wordmine.segmentation.charlm.model`; ``lexicon`` samples sentences from the discovered
lexicon, each word drawn by its frequency (Su Jianlin, 2017, "基于字典的中文分词：
无监督分词", https://kexue.fm/archives/4245); ``both`` uses both. Gold lines, when
the user has some, join with a weight. The CRF (:mod:`wordmine.segmentation.crf.chain`) then learns
what the teacher does from features the teacher cannot weigh against each other
(:mod:`wordmine.segmentation.crf.features`), which smooths the teacher's inconsistencies.

Optimiser: AdaGrad (Duchi, Hazan and Singer, 2011, "Adaptive Subgradient
Methods", https://jmlr.org/papers/v12/duchi11a.html) on mini-batches of runs,
updating only the rows of the hashed table a batch touches, with the L2 penalty
applied to those rows. One pass over 2 M characters takes seconds, and one pass
is what measured best (see ``CRFConfig.rate``). An averaged structured
perceptron on the same features and labels scored lower on
every held-out protocol (``bench/crf_optimisers.py``): it follows every mistake
of its teacher. L-BFGS was not tried: it needs a full pass per step and tens of
steps (minutes, against the one-minute budget of ``learn``).

>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> text = "，".join(s + v + o for s in ["黑猫", "白狗", "小鸟"] for v in ["喜欢", "讨厌"]
...                  for o in ["鱼", "骨头", "米粒"]) * 5
>>> model = learn_crf(count_text([text], CountConfig(order=3, jobs=1)), CRFConfig(hash_bits=14))
>>> from wordmine.segmentation.lossless import segment_text
>>> segment_text("小鸟喜欢米粒！白狗讨厌鱼", model)
['小鸟 喜欢 米粒 ！ 白狗 讨厌 鱼']
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from wordmine.config import CRFConfig
from wordmine.counting.table.corpus import Corpus
from wordmine.io.tables import jieba_frequencies, read_word_counts
from wordmine.segmentation.charlm.model import CharLM, learn_charlm
from wordmine.segmentation.crf.adapt import jieba_teacher_ends
from wordmine.segmentation.crf.chain import (
    allowed_transitions,
    marginals,
    tags_of_ends,
    viterbi,
)
from wordmine.segmentation.crf.features import (
    STATISTICS,
    Standardiser,
    dictionary_keys,
    statistics,
)
from wordmine.segmentation.crf.model import CRFModel
from wordmine.segmentation.crf.teacher import gold_runs, join_discovered_pairs, lexicon_runs
from wordmine.segmentation.lossless import runs_of
from wordmine.segmentation.unigram import LEARN_WINDOW


def likelihood_gradient(model: CRFModel, hashed: np.ndarray, dense: np.ndarray, tags: np.ndarray,
                        offsets: np.ndarray, weight: np.ndarray):
    """The weighted negative log-likelihood of the tags and its gradient, the table's part by row.

    Returns (loss, rows, grad_rows, grad_dense, grad_transitions): ``rows`` are
    the distinct table rows the units use, ``grad_rows`` their gradients, so a
    mini-batch touches only those. ``weight`` is one number per unit (the weight
    of its run). The gradient of log Z is the expected feature count under the
    model (forward-backward marginals), that of the path score the observed one.
    """
    emission = model.emission(hashed, dense)
    marg, pairs, log_z = marginals(emission, model.transitions, offsets, weight)
    n = len(tags)
    starts = offsets == 0
    inside = np.flatnonzero(~starts)
    path = emission[np.arange(n), tags]
    path[inside] += model.transitions[tags[inside - 1], tags[inside]]
    loss = float(log_z @ weight[starts] - path @ weight)
    delta = marg
    delta[np.arange(n), tags] -= 1.0
    delta *= weight[:, None]
    # Counted over the whole table and then cut to the rows used: bincount is linear,
    # where finding the distinct rows by sorting a batch's ids cost a quarter of learning.
    flat, size = hashed.reshape(-1), len(model.weights)
    rows = np.flatnonzero(np.bincount(flat, minlength=size))
    repeated = np.repeat(delta, hashed.shape[1], axis=0)  # row-major: unit i's templates are consecutive
    grad_rows = np.stack([np.bincount(flat, weights=repeated[:, k], minlength=size)[rows] for k in range(4)],
                         axis=1)
    grad_dense = dense.T.astype(np.float64) @ delta
    seen = np.zeros((4, 4))
    np.add.at(seen, (tags[inside - 1], tags[inside]), weight[inside])
    grad_transitions = np.where(np.isfinite(model.transitions), pairs - seen, 0.0)
    return loss, rows, grad_rows, grad_dense, grad_transitions


def objective(model: CRFModel, hashed: np.ndarray, dense: np.ndarray, tags: np.ndarray, offsets: np.ndarray,
              weight: np.ndarray, l2: float) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """The weighted negative log-likelihood plus (l2 / 2) |w|^2 and its full gradient (for checking it).

    Returns the loss and the gradients of the hashed table (the table's shape),
    the statistic weights and the transitions.
    """
    loss, rows, grad_rows, grad_dense, grad_transitions = likelihood_gradient(model, hashed, dense, tags, offsets,
                                                                              weight)
    grad_table = l2 * model.weights.astype(np.float64)
    grad_table[rows] += grad_rows
    loss += 0.5 * l2 * float((model.weights.astype(np.float64) ** 2).sum() + (model.dense_weights ** 2).sum())
    return loss, grad_table, grad_dense + l2 * model.dense_weights, grad_transitions


def train(model: CRFModel, hashed: np.ndarray, dense: np.ndarray, tags: np.ndarray, offsets: np.ndarray,
          weight: np.ndarray, config: CRFConfig) -> None:
    """AdaGrad over mini-batches of whole runs, in a shuffled order, ``config.epochs`` times (in place)."""
    table_g2 = np.zeros(model.weights.shape[0], np.float32)  # one accumulator per row: a quarter of the memory
    dense_g2 = np.full(model.dense_weights.shape, 1e-8)
    trans_g2 = np.full((4, 4), 1e-8)
    for at in batches(offsets, config):
        _step(model, hashed[at], dense[at], tags[at], offsets[at], weight[at], config, table_g2, dense_g2, trans_g2)


def batches(offsets: np.ndarray, config: CRFConfig) -> Iterator[np.ndarray]:
    """The unit positions of each mini-batch: whole runs of about ``config.batch_units`` units, in a
    shuffled order (seeded by ``config.seed``), ``config.epochs`` times over; runs keep their order
    within a batch.

    >>> from wordmine.config import CRFConfig
    >>> [b.tolist() for b in batches(np.array([0, 1, 0, 0, 1, 2]), CRFConfig(batch_units=2, epochs=1))]
    [[3, 4, 5], [0, 1], [2]]
    """
    rng = np.random.default_rng(config.seed)
    starts = np.flatnonzero(offsets == 0)
    ends = np.append(starts[1:], len(offsets))
    per_batch = max(1, int(config.batch_units / max(1.0, len(offsets) / max(len(starts), 1))))
    for _ in range(config.epochs):
        order = rng.permutation(len(starts))
        for lo in range(0, len(order), per_batch):
            runs = np.sort(order[lo : lo + per_batch])
            lengths = ends[runs] - starts[runs]
            yield np.repeat(starts[runs] - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())


def _step(model, hashed, dense, tags, offsets, weight, config, table_g2, dense_g2, trans_g2) -> None:
    """One AdaGrad step on a mini-batch; L2 applies to the rows the batch touches."""
    _, rows, grad, grad_dense, grad_trans = likelihood_gradient(model, hashed, dense, tags, offsets, weight)
    grad += config.l2 * model.weights[rows]
    table_g2[rows] += (grad ** 2).mean(axis=1)
    model.weights[rows] -= (config.rate * grad / np.sqrt(table_g2[rows] + 1e-8)[:, None]).astype(np.float32)
    grad_dense += config.l2 * model.dense_weights
    dense_g2 += grad_dense ** 2
    model.dense_weights -= config.rate * grad_dense / np.sqrt(dense_g2)
    trans_g2 += grad_trans ** 2
    model.transitions = model.transitions - config.rate * grad_trans / np.sqrt(trans_g2)


def _corpus_runs(corpus: Corpus, max_units: int) -> tuple[np.ndarray, np.ndarray, bool]:
    """The runs of the first ``max_units`` units of the corpus (cut at the start of a run), and whether
    they are the whole corpus."""
    ids, offsets = [], []
    taken = read = 0
    for window in corpus.stream.windows(LEARN_WINDOW):
        i, o = runs_of(window)
        ids.append(i)
        offsets.append(o)
        taken += len(i)
        read += len(window)
        if taken >= max_units:
            break
    ids_all = np.concatenate(ids) if ids else np.zeros(0, np.int64)
    offsets_all = np.concatenate(offsets) if offsets else np.zeros(0, np.int64)
    whole = read >= len(corpus.stream)
    if len(ids_all) > max_units:  # cut at the start of a run
        cut = np.flatnonzero(offsets_all[: max_units + 1] == 0)[-1] if max_units else 0
        ids_all, offsets_all, whole = ids_all[:cut], offsets_all[:cut], False
    return ids_all, offsets_all, whole


def _statistics_in_pieces(ids: np.ndarray, offsets: np.ndarray, model: CharLM, piece: int = 1 << 20) -> np.ndarray:
    """:func:`statistics` of every unit as float32, computed a million units at a time (cut at run starts).

    The character model's lattice holds several float64 arrays per unit; a piece at
    a time keeps that working memory small, whatever ``max_units`` allows.
    """
    out = np.empty((len(ids), STATISTICS), np.float32)
    starts = np.flatnonzero(offsets == 0)
    at = 0
    while at < len(ids):
        # the first run start at or after at + piece (the end of the text if there is none)
        later = np.searchsorted(starts, at + piece)
        end = int(starts[later]) if later < len(starts) else len(ids)
        out[at:end] = statistics(ids[at:end], offsets[at:end], model)
        at = end
    return out


def dictionary_words(name: str) -> list[str]:
    """The words of ``jieba`` (its bundled dictionary) or of a word-list file (first column)."""
    if name == "jieba":
        return list(jieba_frequencies())
    return [word for word, _ in read_word_counts(name)]


def learn_crf(corpus: Corpus, config: CRFConfig, gold: list[list[str]] | None = None) -> CRFModel:
    """Learn a CRF segmenter from a counted corpus (and, if given, gold lines as lists of words)."""
    teacher = learn_charlm(corpus, config.charlm)
    ids, offsets, whole = _corpus_runs(corpus, config.max_units)
    pieces = []
    learned_with = {"teacher": config.teacher, "adapt": config.adapt if config.adapts else "none",
                    "dictionary": config.dictionary,
                    "gold_lines": len(gold or ())}
    if config.adapts:
        # jieba's segmentation corrected by the corpus' words replaces charlm's (wordmine.segmentation.crf.adapt)
        ends, adapted = jieba_teacher_ends(corpus, teacher.units, ids, offsets, config, whole=whole)
        learned_with.update(adapted, teacher="jieba" if config.teacher == "charlm" else "jieba and lexicon")
        pieces.append((ids, offsets, tags_of_ends(ends, offsets), 1.0))
    elif config.teacher in ("charlm", "both"):
        ends = teacher.word_ends(ids, offsets) if len(ids) else np.zeros(0, bool)
        if config.join_pairs and len(ids):
            ends = join_discovered_pairs(corpus, teacher.vocabulary(), ids, offsets, ends)
        pieces.append((ids, offsets, tags_of_ends(ends, offsets), 1.0))
    if config.teacher in ("lexicon", "both"):
        pieces.append((*lexicon_runs(corpus, teacher, len(ids), config.seed), 1.0))
    if gold:
        pieces.append((*gold_runs(gold, teacher.vocabulary()), config.gold_weight))
    all_ids = np.concatenate([p[0] for p in pieces]).astype(np.int64)
    all_offsets = np.concatenate([p[1] for p in pieces])
    all_tags = np.concatenate([p[2] for p in pieces]).astype(np.int64)
    weight = np.concatenate([np.full(len(p[0]), p[3]) for p in pieces])
    raw = _statistics_in_pieces(all_ids, all_offsets, teacher)
    standardiser = Standardiser.fit(raw)
    dense = standardiser(raw)
    del raw
    model = CRFModel(teacher, config.hash_bits, np.zeros((1 << config.hash_bits, 4), np.float32),
                     np.zeros((STATISTICS, 4)), standardiser, allowed_transitions(), learned_with=learned_with)
    if config.dictionary:
        model.dictionary = dictionary_keys(dictionary_words(config.dictionary), teacher.vocabulary())
    hashed = model.hashed(all_ids, all_offsets)
    train(model, hashed, dense, all_tags, all_offsets, weight, config)
    for _ in range(config.rounds - 1 if config.teacher != "lexicon" else 0):
        # Self-training: the CRF re-tags the corpus runs (the first piece) and learns again.
        n = len(ids)
        all_tags[:n] = viterbi(model.emission(hashed[:n], dense[:n]), model.transitions, all_offsets[:n])
        train(model, hashed, dense, all_tags, all_offsets, weight, config)
    return model
