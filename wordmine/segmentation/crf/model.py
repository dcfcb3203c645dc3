"""The CRF segmenter as it is saved and applied: its weights, its features, its best tagging.

A :class:`CRFModel` is what ``wordmine learn`` writes into a ``.wmm`` file
(:mod:`wordmine.segmentation.modelfile`) and what ``segment --model`` decodes
with: hashed window features and standardised corpus statistics
(:mod:`wordmine.segmentation.crf.features`) give each unit four emission scores
(B, M, E, S), and Viterbi over the transitions (:mod:`wordmine.segmentation.crf.chain`)
picks the tagging. Learning it is :mod:`wordmine.segmentation.crf.learn`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from wordmine.normalize import Vocabulary
from wordmine.segmentation.charlm.model import CharLM
from wordmine.segmentation.crf.chain import ends_of_tags, viterbi
from wordmine.segmentation.crf.features import (
    Standardiser,
    add_template_rows,
    dictionary_features,
    hashed_features,
    statistics,
    unit_classes,
)


@dataclass
class CRFModel:
    """A CRF segmenter: the hashed table, the statistic weights, the transitions, and the character model."""

    charlm: CharLM
    hash_bits: int
    weights: np.ndarray
    """(2 ** hash_bits, 4) float32."""
    dense_weights: np.ndarray
    """(STATISTICS, 4)."""
    standardiser: Standardiser
    transitions: np.ndarray
    dictionary: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    """Sorted keys of dictionary words (:func:`dictionary_keys`); empty: no dictionary features."""
    _classes: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def units(self) -> list[str]:
        return self.charlm.units

    def vocabulary(self) -> Vocabulary:
        return self.charlm.vocabulary()

    def classes(self) -> np.ndarray:
        if self._classes is None:
            self._classes = unit_classes(self.units)
        return self._classes

    def features(self, ids: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (self.hashed(ids, offsets), self.standardiser(statistics(ids, offsets, self.charlm)))

    def hashed(self, ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        out = hashed_features(ids, offsets, self.classes(), self.hash_bits)
        if len(self.dictionary):
            out = np.hstack([out, dictionary_features(ids, offsets, self.dictionary, self.hash_bits)])
        return out

    def emission(self, hashed: np.ndarray, dense: np.ndarray) -> np.ndarray:
        """The (n, 4) emission scores: the statistics times their weights, plus the hashed rows of each unit.

        Summed in ``float32``, always in that order (statistics 0, 1, ..., then
        templates 0, 1, ...), so every way of computing it gives the same bits.
        """
        out = self._dense_scores(dense)
        table = np.ascontiguousarray(self.weights)
        if table.dtype == np.float32:
            # A row of 4 float32 read as one 16-byte complex number: a flat take is about
            # three times faster than indexing the rows of a 2-D table.
            rows = table.view(np.complex128).reshape(-1)
            for j in range(hashed.shape[1]):
                out += np.take(rows, hashed[:, j]).view(np.float32).reshape(-1, 4)
        else:
            for j in range(hashed.shape[1]):
                out += table[hashed[:, j]]
        return out.astype(np.float64)

    def _dense_scores(self, dense: np.ndarray) -> np.ndarray:
        """The statistics times their weights, summed statistic by statistic: an (n, 4) array of dense's type.

        Computed one tag at a time over whole columns (a scalar times a vector), which
        numpy does about five times faster than broadcasting an (n, 1) column against
        a row of 4 (an inner loop of 4 elements).
        """
        weights = self.dense_weights.astype(dense.dtype)
        columns = np.asfortranarray(dense)
        by_tag = np.zeros((4, len(dense)), dense.dtype)
        scratch = np.empty(len(dense), dense.dtype)
        for tag in range(4):
            for k in range(dense.shape[1]):
                np.multiply(columns[:, k], weights[k, tag], out=scratch)
                by_tag[tag] += scratch
        return np.ascontiguousarray(by_tag.T)

    def decode_emission(self, ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """``emission(*features(ids, offsets))``, bit for bit, computed faster for segmenting.

        The unigram, class and bias templates come from :class:`UnitRows` (no
        hashing, small tables); the pair and dictionary templates are hashed as in
        learning.
        """
        ids = ids.astype(np.int64)
        classes = self.classes()
        if (len(ids) and int(ids.max()) >= len(classes)) or self.weights.dtype != np.float32:
            return self.emission(*self.features(ids, offsets))
        out = self._dense_scores(self.standardiser(statistics(ids, offsets, self.charlm)))
        rows = np.ascontiguousarray(self.weights).view(np.complex128).reshape(-1)
        add_template_rows(out, rows, ids, offsets, classes, self.hash_bits)
        if len(self.dictionary):
            for column in dictionary_features(ids, offsets, self.dictionary, self.hash_bits).T:
                out += np.take(rows, column).view(np.float32).reshape(-1, 4)
        return out.astype(np.float64)

    def tags(self, ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        return viterbi(self.decode_emission(ids, offsets), self.transitions, offsets)

    def word_ends(self, ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """True after each unit that ends a word in the best tagging."""
        return ends_of_tags(self.tags(ids, offsets))
