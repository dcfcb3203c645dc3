"""How a word spreads over the lines of a corpus: document frequency and residual IDF.

A line (a paragraph, a question, an answer, an article) is a document. A
word that names a topic comes in bursts: once a line is about epilepsy, 癫痫
comes back several times in it, and most lines never say it. A word of the
genre (您好, 建议, 应当) is spread out, at most once or twice in many lines.
Residual IDF (Church and Gale 1995) measures the difference: a word's
observed IDF minus the IDF it would have if its ``tf`` occurrences fell on
lines independently (Poisson):

    ridf(w) = ln( D * (1 - exp(-tf / D)) / df ),   D = number of lines

It is near 0 for words spread like chance, and large for words that gather
in few lines. Worked example: 100 occurrences in 10 000 lines would fall on
99.5 lines by chance; seen on 20 lines only, ridf = ln(99.5 / 20) = 1.60.

>>> round(float(residual_idf(np.array([100]), np.array([20]), 10_000)[0]), 2)
1.6

Counting is vectorised for words of up to ``64 // bits`` units (their packed
keys are looked up at every position of the unit stream); longer words are
found in the folded text of each block (:class:`~wordmine.mining.matching.Matcher`,
as characters, so a long word ending in a Latin run would also match inside a
longer run; discovered words that long are almost all Han).

>>> from wordmine.normalize import Vocabulary
>>> vocab = Vocabulary(list("高血压患者喝茶"))
>>> lines = ["高血压患者，高血压\\n", "喝茶\\n", "\\n", "高血压患者喝茶\\n"]
>>> df, n_lines = document_frequency(lines, vocab, ["高血压", "喝茶", "高血压患者喝茶", "患者喝"])
>>> df.tolist(), n_lines
([2, 2, 1, 1], 3)
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from wordmine.counting.table.keyset import KeySet
from wordmine.counting.table.ngrams import U64, window_keys
from wordmine.io.text import line_pieces
from wordmine.mining.matching import Matcher
from wordmine.normalize import UnitSpans, Vocabulary, code_points, unit_spans, unit_stream


def residual_idf(tf: np.ndarray, df: np.ndarray, n_docs: int) -> np.ndarray:
    """Observed IDF minus the IDF expected if occurrences fell on documents at random (nats)."""
    tf = np.asarray(tf, np.float64)
    n = max(n_docs, 1)
    with np.errstate(divide="ignore"):
        expected_df = n * -np.expm1(-tf / n)
        return np.where(df > 0, np.log(expected_df / np.maximum(df, 1)), 0.0)


def document_frequency(blocks: Iterable[str], vocab: Vocabulary, words: list[str]) -> tuple[np.ndarray, int]:
    """In how many lines each word occurs, and how many lines hold at least one unit.

    ``blocks`` is the text again (any cut; it is re-cut at line ends). Words
    are matched as runs of units, as :func:`wordmine.mining.occurrences.corpus_occurrences`
    counts them; a word with a unit ``vocab`` lacks is in no line.
    """
    bits = max(1, int(len(vocab) - 1).bit_length())
    packable = 64 // bits
    df = np.zeros(len(words), np.int64)
    by_length: dict[int, list[tuple[int, int]]] = {}  # length -> (packed key, word index)
    long_words: dict[str, int] = {}
    for i, word in enumerate(words):
        ids = vocab.encode(word, grow=False)
        if not len(ids) or (ids == 0).any():
            continue
        if len(ids) <= packable:
            by_length.setdefault(len(ids), []).append((int(window_keys(ids, len(ids), bits)[0]), i))
        else:
            long_words[word] = i
    tables = {}  # length -> (sorted keys, their words, the keys as a hash set)
    for length, items in by_length.items():
        keys = np.array([k for k, _ in items], U64)
        index = np.array([i for _, i in items], np.int64)
        order = np.argsort(keys)
        tables[length] = (keys[order], index[order], KeySet(keys))
    # Long words as code points; a word named twice is counted at its last place, as the dict keeps it.
    long_index = np.array(list(long_words.values()), np.int64)
    long_points = [np.frombuffer(word.encode("utf-32-le", "surrogatepass"), "<u4") for word in long_words]
    long_length = np.array([len(points) for points in long_points], np.int64)
    matcher = Matcher(long_points) if long_words else None
    n_lines = 0
    # A line longer than a megabyte comes in pieces, so it is never held whole; line numbers run on
    # across pieces (a piece not ending in a line end continues into the next), so it is still one line.
    first_line = 0  # the number of the line the piece starts in
    last_counted = -1  # the last line counted as holding a unit
    last_line = np.full(len(words), -1, np.int64)  # the last line each word was counted in
    for block in line_pieces(blocks):
        cps = code_points(block)
        spans = unit_spans(cps)
        # Units the vocabulary lacks are 0, boundaries, in this stream.
        ids = vocab.ids_of_spans(cps, spans, grow=False)
        stream = unit_stream(ids, spans, len(cps))
        newlines = np.flatnonzero(cps == 10)
        unit_line = np.searchsorted(newlines, spans.start) + first_line
        if ids.all():  # every unit known (the usual case: the corpus's own text): units fill the non-0 slots
            line_of_slot = np.zeros(len(stream), np.int64)
            line_of_slot[stream != 0] = unit_line
        else:
            line_of_slot = _slot_lines(spans, len(cps), unit_line)
        held = np.unique(unit_line)
        n_lines += len(held) - int(len(held) > 0 and held[0] == last_counted)
        last_counted = held[-1] if len(held) else last_counted
        word_of: list[np.ndarray] = []  # the word and line of every match, in text order per word
        line_of: list[np.ndarray] = []
        for length, (keys, index, members) in tables.items():
            window = window_keys(stream, length, bits)
            alive = np.ones(len(window), bool)
            for j in range(length):
                alive &= stream[j : j + len(window)] != 0
            where = np.flatnonzero(alive)
            where = where[members.contains(window[where])]
            word_of.append(index[np.searchsorted(keys, window[where])])
            line_of.append(line_of_slot[where])
        if matcher is not None:
            which, start = matcher.find(cps)
            word_of.append(long_index[which])
            line_of.append(np.searchsorted(newlines, start + long_length[which] - 1) + first_line)
        df += _lines_per_word(word_of, line_of, last_line)
        first_line += len(newlines)
    return df, n_lines


def _lines_per_word(word_of: list[np.ndarray], line_of: list[np.ndarray], last_line: np.ndarray) -> np.ndarray:
    """Lines new to each word, given its matches in text order (lines not decreasing).

    A stable sort by word keeps each word's lines in order, so a match starts a
    new line where the word or the line changes, unless it is the line the word
    was last counted in (``last_line``, -1 for none, updated here: a long line
    comes in pieces); with fewer than 65 536 words the sort is a radix sort,
    linear in the number of matches.
    """
    n_words = len(last_line)
    if not word_of:
        return np.zeros(n_words, np.int64)
    word = np.concatenate(word_of).astype(np.uint16 if n_words <= 1 << 16 else np.int64)
    line = np.concatenate(line_of)
    if not len(word):
        return np.zeros(n_words, np.int64)
    order = np.argsort(word, kind="stable")
    word, line = word[order].astype(np.int64), line[order]
    first = np.ones(len(word), bool)
    first[1:] = word[1:] != word[:-1]
    new = first.copy()
    new[1:] |= line[1:] != line[:-1]
    new[first] = line[first] != last_line[word[first]]
    last = np.append(first[1:], True)  # the last match of each word
    last_line[word[last]] = line[last]
    return np.bincount(word[new], minlength=n_words)


def _slot_lines(spans: UnitSpans, text_length: int, unit_line: np.ndarray) -> np.ndarray:
    """Line of every slot of the unit stream (boundary slots get 0; no match uses them)."""
    marks = unit_stream(np.arange(1, len(spans.start) + 1, dtype=np.uint32), spans, text_length)
    lines = np.zeros(len(marks), np.int64)
    placed = marks != 0
    lines[placed] = unit_line[marks[placed].astype(np.int64) - 1]
    return lines
