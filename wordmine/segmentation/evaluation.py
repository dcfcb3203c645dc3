"""Scoring a segmentation against a gold one, as the SIGHAN bakeoff scorer does.

Both files hold one sentence a line, words separated by white space. A
predicted word is correct when a gold word has the same start and end in the
line's characters (white space removed). Precision = correct / predicted
words, recall = correct / gold words, F1 their harmonic mean. With a word list,
recall is also split into out-of-vocabulary (gold words not in the list) and
in-vocabulary words.

Worked example: gold 我 爱 北京, predicted 我爱 北京: the spans are
{(0,1), (1,2), (2,4)} and {(0,2), (2,4)}; one match, so P = 1/2, R = 1/3.

>>> score = evaluate(["我 爱 北京"], ["我爱 北京"])
>>> round(score.precision, 3), round(score.recall, 3), round(score.f1, 3)
(0.5, 0.333, 0.4)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wordmine.errors import WordmineError


def _share(part: float, whole: float) -> float:
    """part / whole, and 0 for an empty whole (no words, no score)."""
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class Score:
    gold_words: int
    predicted_words: int
    correct: int
    oov_words: int = 0
    oov_correct: int = 0
    iv_words: int = 0
    iv_correct: int = 0

    @property
    def precision(self) -> float:
        return _share(self.correct, self.predicted_words)

    @property
    def recall(self) -> float:
        return _share(self.correct, self.gold_words)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return _share(2 * p * r, p + r)

    @property
    def oov_recall(self) -> float:
        return _share(self.oov_correct, self.oov_words)

    @property
    def iv_recall(self) -> float:
        return _share(self.iv_correct, self.iv_words)


def _spans(words: list[str]) -> list[tuple[int, int]]:
    spans, at = [], 0
    for word in words:
        spans.append((at, at + len(word)))
        at += len(word)
    return spans


def evaluate(gold: Iterable[str], predicted: Iterable[str], known_words: set[str] | None = None) -> Score:
    """Compare two segmentations line by line; lines must hold the same characters.

    A gold segmentation with no words at all (empty files) is an error, not a
    score of 0: there is nothing to score.

    >>> evaluate([""], [""])
    Traceback (most recent call last):
    wordmine.errors.WordmineError: nothing to score: the gold segmentation holds no words (empty lines only)
    """
    totals = [0] * 7
    gold_iter, predicted_iter = iter(gold), iter(predicted)
    number = 0
    while True:
        gold_line = next(gold_iter, None)
        predicted_line = next(predicted_iter, None)
        if gold_line is None and predicted_line is None:
            break
        number += 1
        if gold_line is None or predicted_line is None:
            which = "gold" if gold_line is None else "predicted"
            raise WordmineError(f"line {number}: the {which} file has ended; the files must have as many lines")
        gold_words, predicted_words = gold_line.split(), predicted_line.split()
        if "".join(gold_words) != "".join(predicted_words):
            raise WordmineError(f"line {number}: the characters differ between gold and predicted")
        predicted_spans = set(_spans(predicted_words))
        totals[0] += len(gold_words)
        totals[1] += len(predicted_words)
        for word, span in zip(gold_words, _spans(gold_words)):
            hit = span in predicted_spans
            totals[2] += hit
            if known_words is not None:
                slot = 5 if word in known_words else 3
                totals[slot] += 1
                totals[slot + 1] += hit
    if not totals[0]:
        # No gold word: every share would be 0/0. Saying 0.0000 would read as a score.
        raise WordmineError("nothing to score: the gold segmentation holds no words (empty lines only)")
    return Score(*totals)
