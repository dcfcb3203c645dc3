"""The lossless output path every segmenter shares: text in, space-separated words out.

A segmenter only decides where words end inside runs of units (see
:mod:`wordmine.normalize`); this module turns those decisions into output that
keeps every character of the input except white space, in order. Adjacent words
made only of numerals are joined (三十六点七), decimal numbers and percentages
stay one word (12.3%), and each other character is a token of its own (a run of
one repeated character, such as —— or ……, stays one token).

A model is anything with ``vocabulary()`` and ``word_ends(ids, offsets)``:

>>> from wordmine.normalize import Vocabulary
>>> class EveryUnit:  # a word ends after every unit
...     def vocabulary(self): return Vocabulary()
...     def word_ends(self, ids, offsets): return np.ones(len(ids), bool)
>>> segment_text("天地人，12.5%的iPhone……\\n", EveryUnit())
['天 地 人 ， 12.5% 的 iPhone ……']
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from wordmine.arrays import word_starts
from wordmine.normalize import Vocabulary, code_points, unit_spans
from wordmine.parallel import ordered_map

#: Longest run of units decoded in one piece.
MAX_RUN = 2048


def run_offsets(new_run: np.ndarray) -> np.ndarray:
    """Offset of each unit in its run (restarting every MAX_RUN units).

    >>> run_offsets(np.array([True, False, False, True, False])).tolist()
    [0, 1, 2, 0, 1]
    """
    index = np.arange(len(new_run))
    start = np.maximum.accumulate(np.where(new_run, index, 0))
    return (index - start) % MAX_RUN


def runs_of(stream: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The units of a piece of unit stream and each one's offset in its run (0s dropped).

    >>> ids, offsets = runs_of(np.array([0, 5, 6, 0, 7, 8, 9]))
    >>> ids.tolist(), offsets.tolist()
    ([5, 6, 7, 8, 9], [0, 1, 0, 1, 2])
    """
    stream = np.asarray(stream).astype(np.int64)
    units = stream != 0
    return stream[units], run_offsets(np.concatenate([[True], stream[:-1] == 0])[units])


def segment_text(text: str, model, vocab: Vocabulary | None = None) -> list[str]:
    """Segment ``text``: one output line per line, tokens separated by single spaces.

    ``model`` is any model with ``vocabulary()`` and ``word_ends(ids, offsets)``:
    a :class:`WordModel` or a :class:`wordmine.segmentation.charlm.CharLM`.
    """
    vocab = vocab or model.vocabulary()
    cps = code_points(text)
    spans = unit_spans(cps)
    ids = vocab.ids_of_spans(cps, spans, grow=False).astype(np.int64)
    new_run = np.ones(len(ids), bool)
    new_run[1:] = spans.start[1:] != spans.end[:-1]
    offsets = run_offsets(new_run)
    ends = model.word_ends(ids, offsets) if len(ids) else np.zeros(0, bool)
    ends = _join_number_runs(ends, offsets, _numeral_units(cps, spans))
    word_start = spans.start[word_starts(offsets, ends)]
    # Characters outside units: white space is dropped, each other one is a token,
    # except that a run of one repeated character (—— or ……) stays together.
    covered = np.cumsum(np.bincount(spans.start, minlength=len(cps) + 1)
                        - np.bincount(spans.end, minlength=len(cps) + 1))[:-1]
    space = _is_space(cps)
    other = (covered == 0) & ~space
    repeat = np.zeros(len(cps), bool)
    repeat[1:] = other[1:] & other[:-1] & (cps[1:] == cps[:-1])
    token_start = np.zeros(len(cps), bool)
    token_start[word_start] = True
    token_start |= other & ~repeat
    token_start &= ~_number_glue(cps)
    return _join_tokens(text, token_start, ~space, cps == 10)


def _number_glue(cps: np.ndarray) -> np.ndarray:
    """True where a token would start inside a decimal number or before a percent sign.

    Segmentation standards write 12.3% and １１０．８亿 as one word: a point between
    two digits joins them, and a percent sign joins the digits before it (the code
    points are folded, so full-width ．and ％ count too).

    >>> from wordmine.normalize import code_points
    >>> _number_glue(code_points("3.5%，a.b，5.")).tolist()
    [False, True, True, True, False, False, False, False, False, False, False]
    """
    digit = (cps >= 48) & (cps <= 57)
    after_digit = np.concatenate([[False], digit[:-1]])
    point = (cps == 46) & after_digit & np.concatenate([digit[1:], [False]])
    glue = point | ((cps == 37) & after_digit)
    glue[1:] |= point[:-1]
    return glue


def _join_tokens(text: str, token_start: np.ndarray, kept: np.ndarray, newline: np.ndarray) -> list[str]:
    r"""The output lines: kept characters in order, a space before each token but a line's first.

    Built as one array of code points rather than one Python string per token.

    >>> _join_tokens("ab c\nd", *np.array([[1, 1, 0, 1, 0, 1], [1, 1, 0, 1, 0, 1], [0, 0, 0, 0, 1, 0]], bool))
    ['a b c', 'd']
    """
    raw = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    line = np.cumsum(newline) - newline
    starts = np.flatnonzero(token_start)
    space_before = np.zeros(len(raw), bool)
    space_before[starts[1:][line[starts[1:]] == line[starts[:-1]]]] = True
    emitted = kept | newline
    width = emitted.astype(np.int64) + space_before
    slot = np.cumsum(width) - width
    out = np.empty(int(width.sum()), "<u4")
    out[slot[space_before]] = 32
    out[slot[emitted] + space_before[emitted]] = raw[emitted]
    lines = out.tobytes().decode("utf-32-le", "surrogatepass").split("\n")
    if text.endswith("\n"):
        lines.pop()
    return lines


#: Characters that write numbers: adjacent words made only of these (三十 六 点 七) are one number.
NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两点")


def _numeral_units(cps: np.ndarray, spans) -> np.ndarray:
    """True for each unit that is a numeral character or a run of ASCII digits.

    >>> from wordmine.normalize import code_points, unit_spans
    >>> cps = code_points("三十abc，２０１９年")
    >>> _numeral_units(cps, unit_spans(cps)).tolist()
    [True, True, False, True, False]
    """
    numeral = np.isin(cps[spans.start], _NUMERAL_CODES)
    if spans.is_latin.any():
        # A Latin unit is a number when all its characters are digits: count digits by prefix sums.
        digits = np.concatenate([[0], np.cumsum((cps >= 48) & (cps <= 57))])
        latin = np.flatnonzero(spans.is_latin)
        a, b = spans.start[latin], spans.end[latin]
        numeral[latin] = digits[b] - digits[a] == b - a
    return numeral


_NUMERAL_CODES = np.array(sorted(map(ord, NUMERALS)), np.uint32)


def _join_number_runs(ends: np.ndarray, offsets: np.ndarray, numeral: np.ndarray) -> np.ndarray:
    """Clear the boundary between two adjacent words that are both made only of numerals.

    The unigram model cuts a number it has never seen into the pieces it knows
    (四百 三十 八); the gold standards write it as one word. Measured on four
    gold sets: F1 0.749 -> 0.751 (pd1998), 0.686 -> 0.696 (ctb6), unchanged on
    zhuxian and medical_forum.

    >>> _join_number_runs(np.array([1, 1, 0, 1, 1], bool), np.arange(5), np.array([1, 1, 1, 0, 1], bool)).tolist()
    [False, True, False, True, True]
    """
    if not len(ends):
        return ends
    starts = word_starts(offsets, ends)
    word = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    all_numeral = np.minimum.reduceat(numeral.astype(np.int8), first).astype(bool)
    joined = ends.copy()
    inside_run = np.ones(len(ends), bool)
    inside_run[:-1] = offsets[1:] != 0
    inside_run[-1] = False
    candidate = np.flatnonzero(ends & inside_run)
    both = all_numeral[word[candidate]] & all_numeral[word[candidate] + 1]
    joined[candidate[both]] = False
    return joined


#: Every code point Python's str.isspace() accepts: output tokens are split with str.split().
_SPACES = np.array([9, 10, 11, 12, 13, 0x1C, 0x1D, 0x1E, 0x1F, 32, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                    0x2028, 0x2029, 0x202F, 0x205F, 0x3000], np.uint32)


def _is_space(cps: np.ndarray) -> np.ndarray:
    return np.isin(cps, _SPACES)


def segmented_text(pieces: Iterable[str], segmenter: Callable[[str], list[str]], jobs: int = 1) -> Iterator[str]:
    """The output text for input pieces (as :func:`~wordmine.textio.line_pieces` cuts them).

    One output line per input line even when a long line arrives in several
    pieces: the words of a piece that ends mid-line continue the same output
    line. Pieces are segmented on ``jobs`` processes, in order.

    >>> by_character = lambda t: [" ".join(line.replace(" ", "")) for line in t.removesuffix("\\n").split("\\n")]
    >>> "".join(segmented_text(["天地 人，", "天\\n地\\n"], by_character))  # one line in two pieces, then another
    '天 地 人 ， 天\\n地\\n'
    """
    words_on_line = False
    for lines, ends_line in ordered_map(functools.partial(_segment_piece, segmenter), pieces, jobs):
        out = []
        for i, line in enumerate(lines):
            if i:
                out.append("\n")
                words_on_line = False
            if line:
                out.append(" " + line if words_on_line else line)
                words_on_line = True
        if ends_line:
            out.append("\n")
            words_on_line = False
        yield "".join(out)


def _segment_piece(segmenter: Callable[[str], list[str]], piece: str) -> tuple[list[str], bool]:
    return segmenter(piece), piece.endswith("\n")
