"""The discovered lexicon: words with their figures, best first.

``discover`` returns it, ``contrast`` takes its words as candidates, the writers
in :mod:`wordmine.io.tables` print it, and segmenters learn from it. Columns are
numpy arrays indexed like ``words``.

>>> import numpy as np
>>> lex = Lexicon(["中国", "人民"], np.array([5, 3]), np.array([4.1, 3.2]),
...               np.array([1.0, 0.8]), np.array([1.2, 0.9]), np.array([5.0, 2.4]))
>>> len(lex), lex.take(np.array([1])).words
(2, ['人民'])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Lexicon:
    """Discovered words with their figures, one entry per index, best first."""

    words: list[str]
    count: np.ndarray
    cohesion: np.ndarray
    left_entropy: np.ndarray
    right_entropy: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.words)

    def take(self, index: np.ndarray) -> Lexicon:
        return Lexicon(
            [self.words[i] for i in index],
            self.count[index],
            self.cohesion[index],
            self.left_entropy[index],
            self.right_entropy[index],
            self.score[index],
        )
