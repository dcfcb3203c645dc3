"""The CRF's optimiser, measured: AdaGrad on the log-likelihood (the default) against an averaged perceptron.

    python bench/crf_optimisers.py [--data ../shared/data] [--epochs 1]

Both learn the same features from the same charlm pseudo-labels on the held-out
protocols of ``bench/heldout_segment.py`` (learn on one text, segment another);
the averaged structured perceptron (Collins, 2002, "Discriminative Training
Methods for Hidden Markov Models", https://aclanthology.org/W02-1001/) updates by
the difference between the teacher's tags and its own Viterbi tags, one
mini-batch at a time, and returns the average of its weights over all steps.
Prints a markdown table of word-span F1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from heldout_segment import splits

from wordmine.config import CountConfig, CRFConfig
from wordmine.counting.engine.counter import count_text
from wordmine.segmentation.crf import learn as crf_learn
from wordmine.segmentation.crf.chain import viterbi
from wordmine.segmentation.evaluation import evaluate
from wordmine.segmentation.lossless import segment_text


def perceptron(model, hashed, dense, tags, offsets, weight, config) -> None:
    """Averaged perceptron in place of ``crf_learn.train`` (same arguments; run weights ignored)."""
    table, table_sum = model.weights.astype(np.float64), np.zeros(model.weights.shape)
    dense_w, dense_sum = model.dense_weights.copy(), np.zeros(model.dense_weights.shape)
    allowed = np.isfinite(model.transitions)
    trans, trans_sum = np.where(allowed, model.transitions, 0.0), np.zeros((4, 4))
    step = 1
    for at in crf_learn.batches(offsets, config):
        h, d, gold, o = hashed[at], dense[at], tags[at], offsets[at]
        model.weights, model.dense_weights = table.astype(np.float32), dense_w
        model.transitions = np.where(allowed, trans, -np.inf)
        guess = viterbi(model.emission(h, d), model.transitions, o).astype(np.int64)
        n = len(gold)
        delta = np.zeros((n, 4))
        delta[np.arange(n), gold] += 1.0
        delta[np.arange(n), guess] -= 1.0
        for j in range(h.shape[1]):
            np.add.at(table, h[:, j], delta)
            np.add.at(table_sum, h[:, j], step * delta)
        grad_dense = d.T.astype(np.float64) @ delta
        dense_w += grad_dense
        dense_sum += step * grad_dense
        inside = np.flatnonzero(o != 0)
        pairs = np.zeros((4, 4))
        np.add.at(pairs, (gold[inside - 1], gold[inside]), 1.0)
        np.add.at(pairs, (guess[inside - 1], guess[inside]), -1.0)
        pairs[~allowed] = 0.0
        trans += pairs
        trans_sum += step * pairs
        step += 1
    # the average of the weights after every step, by the running-sum trick (Daume, 2006)
    model.weights = (table - table_sum / step).astype(np.float32)
    model.dense_weights = dense_w - dense_sum / step
    model.transitions = np.where(allowed, trans - trans_sum / step, -np.inf)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    rows = splits(args.data)
    if not rows:
        print(f"skipped: no pd1998, zhuxian or medical_forum gold under {args.data}")
        return 0
    adagrad = crf_learn.train
    print(f"| learned from -> segmented | AdaGrad (default) | averaged perceptron, {args.epochs} epoch(s) |")
    print("|---|---|---|")
    for label, learned_from, scored in rows:
        corpus = count_text(["".join(line.split()) + "\n" for line in learned_from], CountConfig(order=4, jobs=1))
        text = "\n".join("".join(line.split()) for line in scored) + "\n"
        cells = []
        for train in (adagrad, perceptron):
            crf_learn.train = train
            model = crf_learn.learn_crf(corpus, CRFConfig(epochs=1 if train is adagrad else args.epochs))
            cells.append(f"{evaluate(scored, segment_text(text, model)).f1:.4f}")
        crf_learn.train = adagrad
        print(f"| {label} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
