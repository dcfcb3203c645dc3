"""Scoring discovered words against a reference vocabulary."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


def load_vocabulary(gold_path: str) -> set[str]:
    """The set of tokens of a gold-segmented file (words separated by whitespace)."""
    vocab: set[str] = set()
    with open(gold_path, encoding="utf-8") as f:
        for line in f:
            vocab.update(line.split())
    return vocab


def with_nfkc_forms(vocab: set[str]) -> set[str]:
    """The vocabulary plus the NFKC form of each word (full-width digits and
    letters become ASCII: gold ``１９９８年`` also matches ``1998年``)."""
    return vocab | {unicodedata.normalize("NFKC", w) for w in vocab}


def read_words(tsv_path: str) -> list[str]:
    """First column of a TSV file, in order; blank lines are ignored."""
    words = []
    with open(tsv_path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.strip():
                words.append(line.split("\t", 1)[0])
    return words


@dataclass(frozen=True)
class PrecisionAtK:
    k: int
    hits: int  # words among the first k that are in the vocabulary
    considered: int  # min(k, number of words)

    @property
    def precision(self) -> float:
        # Divided by k even when fewer than k words came out: missing words are misses.
        return self.hits / self.k

    @property
    def short(self) -> bool:
        return self.considered < self.k


def precision_at_k(words: list[str], vocab: set[str], ks=(100, 1000, 5000)) -> list[PrecisionAtK]:
    out = []
    for k in ks:
        head = words[:k]
        out.append(PrecisionAtK(k, sum(w in vocab for w in head), len(head)))
    return out
