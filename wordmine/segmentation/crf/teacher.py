"""Tagged runs for the CRF that need no labels (the lexicon teacher), and the user's gold lines.

The lexicon teacher follows Su Jianlin, 2017, "基于字典的中文分词：无监督分词",
https://kexue.fm/archives/4245: draw words from a lexicon, each by its
frequency, and string them into sentences; the sentences are tagged by
construction. The lexicon is what ``discover`` finds in the corpus (single
units included, with their counts as fragments of the cut text), so 但是 and
所以, which ``discover`` finds, are whole words of the sampled text even where
the character model splits them.

>>> from wordmine.normalize import Vocabulary
>>> vocab = Vocabulary(list("天地人"))
>>> ids, offsets, tags = gold_runs([["天地", "人", "，", "人"]], vocab)
>>> ids.tolist(), offsets.tolist(), tags.tolist()
([1, 2, 3, 3], [0, 1, 2, 0], [0, 2, 3, 3])
"""

from __future__ import annotations

import numpy as np

from wordmine.config import DiscoverConfig
from wordmine.counting.table.corpus import Corpus
from wordmine.mining.discover import discover
from wordmine.normalize import Vocabulary, offsets_in_runs, text_runs
from wordmine.segmentation.charlm.model import CharLM
from wordmine.segmentation.crf.chain import tags_of_ends
from wordmine.segmentation.crf.features import dictionary_keys, dictionary_masks
from wordmine.segmentation.unigram import at_least_pruned

#: Mean number of words in a sampled run (runs end where real text puts punctuation).
MEAN_RUN_WORDS = 4.0


def lexicon_runs(corpus: Corpus, teacher: CharLM, units: int, seed: int = 0
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """About ``units`` units of runs sampled from the discovered lexicon: ids, offsets, BMES tags."""
    lexicon = discover(corpus, DiscoverConfig(min_count=at_least_pruned(corpus, None), min_len=1, max_len=12, cohesion=(2.0, 4.0, 6.0)))
    vocab = teacher.vocabulary()
    words, counts = [], []
    for word, count in zip(lexicon.words, lexicon.count.tolist()):
        ids = vocab.encode(word, grow=False)
        if len(ids) and not (ids == 0).any():  # a word across a boundary or of unknown units cannot be tagged
            words.append(ids.astype(np.int64))
            counts.append(count)
    if not words:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int8)
    rng = np.random.default_rng(seed)
    lengths = np.array([len(w) for w in words])
    p = np.array(counts, np.float64)
    p /= p.sum()
    draws = rng.choice(len(words), size=max(1, int(units / float(p @ lengths))), p=p)
    flat = np.concatenate(words)
    first = np.cumsum(lengths) - lengths
    drawn_lengths = lengths[draws]
    at = np.repeat(first[draws] - np.cumsum(drawn_lengths) + drawn_lengths, drawn_lengths) + np.arange(
        drawn_lengths.sum())
    ids = flat[at]
    word_end = np.zeros(len(ids), bool)
    word_end[np.cumsum(drawn_lengths) - 1] = True
    # Runs of a geometric number of words: a run ends after a word with probability 1 / MEAN_RUN_WORDS.
    run_end_after_word = rng.random(len(draws)) < 1.0 / MEAN_RUN_WORDS
    run_end = np.zeros(len(ids), bool)
    run_end[np.cumsum(drawn_lengths) - 1] = run_end_after_word
    offsets = offsets_in_runs(np.concatenate([[True], run_end[:-1]]))
    return ids, offsets, tags_of_ends(word_end, offsets)


def gold_runs(lines: list[list[str]], vocab: Vocabulary) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The runs of segmented lines (lists of words): ids in ``vocab`` (0 if unknown), offsets, BMES tags.

    A unit ends a word where a gold word ends; runs break at boundary
    characters (punctuation, space) exactly as in the text to segment.
    """
    text = "\n".join("".join(words) for words in lines)
    ends_at = np.zeros(len(text) + 1, bool)
    position = 0
    for words in lines:  # one Python step per gold word: gold sets are small
        for word in words:
            position += len(word)
            ends_at[position] = True
        position += 1
    runs = text_runs(text, vocab)
    return runs.ids, runs.offsets, tags_of_ends(ends_at[runs.spans.end], runs.offsets)


def join_discovered_pairs(corpus: Corpus, vocab: Vocabulary, ids: np.ndarray, offsets: np.ndarray,
                          ends: np.ndarray) -> np.ndarray:
    """The teacher's word ends with two single-unit words joined where they spell a word ``discover`` finds.

    A character model splits pairs of very frequent characters (但 是, 此 外, 所 以:
    each part is so common alone that the pair's conditional probability looks
    ordinary), while ``discover`` finds them by cohesion and boundary entropy. Only
    two adjacent one-unit words are joined; a pair overlapping another joined pair
    is left as it is.

    >>> vocab = Vocabulary(list("但是好"))
    >>> keys = dictionary_keys(["但是"], vocab)
    >>> _join_pairs(keys, np.array([1, 2, 3]), np.array([0, 1, 2]), np.array([1, 1, 1], bool)).tolist()
    [False, True, True]
    """
    lexicon = discover(corpus, DiscoverConfig(min_count=at_least_pruned(corpus, None), min_len=2, max_len=2))
    return _join_pairs(dictionary_keys(lexicon.words, vocab), ids, offsets, ends)


def _join_pairs(keys: np.ndarray, ids: np.ndarray, offsets: np.ndarray, ends: np.ndarray) -> np.ndarray:
    ending, _ = dictionary_masks(ids, offsets, keys)
    single = ends & np.concatenate([[True], ends[:-1]]) | ends & (offsets == 0)
    join = np.zeros(len(ids), bool)  # join[i]: units i - 1 and i become one word
    join[1:] = ((ending[1:] & np.uint64(4)) != 0) & single[1:] & single[:-1] & (offsets[1:] > 0)
    join[1:] &= ~join[:-1]
    out = ends.copy()
    out[np.flatnonzero(join) - 1] = False
    return out
