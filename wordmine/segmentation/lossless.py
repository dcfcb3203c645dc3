"""The lossless output path every segmenter shares: text in, space-separated words out.

A segmenter only decides where words end inside runs of units (see
:mod:`wordmine.normalize`); this module turns those decisions into output that
keeps every character of the input except white space, in order. Numbers and
names are written as the segmentation standards write them
(:mod:`wordmine.segmentation.conventions`: 三十六点七, 12.3%, ３ 个, 铁木尔·达瓦买提),
and each other character is a token of its own (a run of one repeated
character, such as —— or ……, stays one token).

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
from wordmine.normalize import Vocabulary, offsets_in_runs, text_runs
from wordmine.parallel import ordered_map
from wordmine.segmentation.conventions import SPACE, character_roles, conventional_ends, token_glue

#: Longest run of units decoded in one piece.
MAX_RUN = 2048


def run_offsets(new_run: np.ndarray) -> np.ndarray:
    """Offset of each unit in its run (restarting every MAX_RUN units).

    >>> run_offsets(np.array([True, False, False, True, False])).tolist()
    [0, 1, 2, 0, 1]
    """
    return offsets_in_runs(new_run) % MAX_RUN


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
    a :class:`WordModel` or a :class:`wordmine.segmentation.charlm.model.CharLM`.
    """
    vocab = vocab or model.vocabulary()
    cps, spans, ids, offsets = text_runs(text, vocab)
    offsets = offsets % MAX_RUN  # decoded MAX_RUN units at a time
    ends = model.word_ends(ids, offsets) if len(ids) else np.zeros(0, bool)
    roles = character_roles(cps)
    ends = conventional_ends(ends, offsets, cps, spans, roles)
    word_start = spans.start[word_starts(offsets, ends)]
    # Characters outside units: white space is dropped, each other one is a token,
    # except that a run of one repeated character (—— or ……) stays together.
    covered = np.cumsum(np.bincount(spans.start, minlength=len(cps) + 1)
                        - np.bincount(spans.end, minlength=len(cps) + 1))[:-1]
    space = roles & SPACE != 0
    other = (covered == 0) & ~space
    repeat = np.zeros(len(cps), bool)
    repeat[1:] = other[1:] & other[:-1] & (cps[1:] == cps[:-1])
    token_start = np.zeros(len(cps), bool)
    token_start[word_start] = True
    token_start |= other & ~repeat
    token_start &= ~token_glue(cps, roles, covered > 0)
    return _join_tokens(text, token_start, ~space, cps == 10)


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
