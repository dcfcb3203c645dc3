"""Words in context: a few short snippets of each word, from different places of the text.

A person deciding whether a candidate is a word looks at how it is used.
``discover --examples N`` reads the text once more, after discovery, and
finds every occurrence of the words it reports (the top rows only) with the
numpy matcher (:class:`~wordmine.mining.matching.Matcher`) in the folded
characters of the text, as counting sees them: ``iPhone`` is not found inside
``iPhone5``. Each snippet is the word
marked 【so】, with up to :data:`CONTEXT` characters of its line either side.

The snippets are spread over the word's occurrences, and so over the corpus,
without knowing beforehand how many there are: of the occurrences numbered
0, 1, 2, ... in text order, those whose number is a multiple of a stride are
kept; the stride starts at 1 (or where the word's count in discovery will
take it anyway) and doubles whenever more than ``2 N`` would be
kept, as the sampling rate of Sticky Sampling does as its stream grows (G. S.
Manku, R. Motwani, "Approximate Frequency Counts over Data Streams", VLDB 2002,
https://www.vldb.org/conf/2002/S10P03.pdf). At the end the kept ones are evenly spaced
through all occurrences, and N evenly spaced ones of those that differ are
reported (fewer when fewer differ: a repeated line says nothing new). The
choice depends on the text alone (not on how it is read in blocks), memory is
at most ``2 N`` snippets a word, and the pass holds one piece of text at a time.

>>> lines = [f"第{i}行说甲乙丙，然后是丁戊。\\n" for i in "一二三四五六七"]
>>> snippets = word_examples(lines, ["甲乙丙", "丁戊"], 3, context=3)
>>> snippets[0]
['一行说【甲乙丙】，然后', '五行说【甲乙丙】，然后', '七行说【甲乙丙】，然后']
>>> snippets[1][0]
'然后是【丁戊】。'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np

from wordmine.checks import check_examples
from wordmine.io.text import line_pieces
from wordmine.mining.matching import Matcher
from wordmine.normalize import code_points, latin_mask

#: Characters of the line shown either side of the word.
CONTEXT = 6


#: Characters of text matched at a time: the matcher's arrays take about 80 bytes a character, a fixed
#: working set of some 20 MiB that does not grow with the budget (not in wordmine.budget's plan).
PIECE_CHARS = 1 << 18

#: The marks around the word in a snippet.
OPEN, CLOSE = "【", "】"


def _pieces(blocks: Iterable[str], limit: int) -> Iterable[str]:
    """Text in pieces of whole lines (a long line cut where no word can be), about ``limit`` characters."""
    for piece in line_pieces(blocks, limit):
        start = 0
        while len(piece) - start > limit:
            cut = piece.rfind("\n", start, start + limit) + 1
            if cut <= start:
                cut = piece.find("\n", start + limit) + 1 or len(piece)
            yield piece[start:cut]
            start = cut
        if start < len(piece):
            yield piece[start:]


def _snippet(piece: str, start: int, end: int, context: int) -> str:
    """The word at ``piece[start:end]``, marked, with up to ``context`` characters of its line either side."""
    left = piece[max(0, start - context) : start]
    left = left[left.rfind("\n") + 1 :]
    right = piece[end : end + context]
    right = right.split("\n", 1)[0]
    text = f"{left}{OPEN}{piece[start:end]}{CLOSE}{right}"
    return text.replace("\t", " ").replace("\r", " ")


def _snippet_of_match(piece: str, begin: np.ndarray, end: np.ndarray, context: int, i: int) -> str:
    return _snippet(piece, int(begin[i]), int(end[i]), context)


class _Sampler:
    """Occurrences of each word kept at a doubling stride (see the module docstring)."""

    def __init__(self, n_words: int, n: int, at_least: np.ndarray | None = None) -> None:
        self.cap = 2 * n
        self.seen = np.zeros(n_words, np.int64)  # occurrences so far
        self.stride = np.ones(n_words, np.int64)
        if at_least is not None:
            self.stride = self._stride(at_least)  # where at_least occurrences will take it anyway
        self.kept: list[list[tuple[int, str]]] = [[] for _ in range(n_words)]

    def _stride(self, total: np.ndarray) -> np.ndarray:
        """The least power of 2 that keeps at most cap of ``total`` occurrences."""
        need = -(-total // self.cap)
        return 1 << np.ceil(np.log2(np.maximum(need, 1))).astype(np.int64)

    def add(self, which: np.ndarray, number: np.ndarray, snippet) -> None:
        """Occurrences ``number`` (per word, in text order) of words ``which``; ``snippet(i)`` makes match i's."""
        total = self.seen + np.bincount(which, minlength=len(self.seen))
        stride = np.maximum(self.stride, self._stride(total))
        for w in np.flatnonzero(stride != self.stride).tolist():
            step = int(stride[w])
            self.kept[w] = [item for item in self.kept[w] if item[0] % step == 0]
        self.stride, self.seen = stride, total
        # One Python step per kept occurrence: at most 2 N a word in each piece.
        for i in np.flatnonzero(number % stride[which] == 0).tolist():
            self.kept[int(which[i])].append((int(number[i]), snippet(i)))

    def chosen(self, n: int) -> list[list[str]]:
        """N evenly spaced snippets of each word's distinct kept ones (all of them when there are N or fewer)."""
        out = []
        for kept in self.kept:
            distinct = list(dict.fromkeys(text for _, text in kept))  # a repeated line says nothing new
            m = len(distinct)
            picks = range(m) if m <= n else [int((j + 0.5) * m / n) for j in range(n)]
            out.append([distinct[i] for i in picks])
        return out


def word_examples(blocks: Iterable[str], words: list[str], n: int, context: int = CONTEXT,
                  piece_chars: int = PIECE_CHARS, at_least: list[int] | None = None) -> list[list[str]]:
    """Up to ``n`` snippets of each of ``words`` in the text ``blocks`` (none for a word the text lacks).

    Words are matched as the counting reads them: full-width forms folded, and
    a word that begins or ends with a Latin letter or digit only where the
    text's Latin run begins or ends there (a unit of its own).

    ``at_least``: a number of occurrences each word is known to reach (its
    count in discovery). The stride then starts where those occurrences take
    it anyway, so that fewer snippets are made only to be dropped; the
    snippets chosen are the same.
    """
    check_examples(n)
    examples: list[list[str]] = [[] for _ in words]
    spelled = [(i, code_points(w)) for i, w in enumerate(words) if w]
    patterns: dict[bytes, int] = {}
    for i, cps in spelled:
        patterns.setdefault(cps.tobytes(), i)  # words spelled alike once folded (ＡＢ, AB) share
    if n == 0 or not patterns:
        return examples
    owners = np.array(list(patterns.values()))
    floor = None if at_least is None else np.array([max(int(at_least[i]), 0) for i in owners.tolist()], np.int64)
    keys = [np.frombuffer(key, np.uint32) for key in patterns]
    matcher = Matcher(keys)
    lengths = np.array([len(key) for key in keys])
    latin_head = np.array([bool(latin_mask(key[:1])[0]) for key in keys])
    latin_tail = np.array([bool(latin_mask(key[-1:])[0]) for key in keys])
    sampler = _Sampler(len(owners), n, floor)
    for piece in _pieces(blocks, piece_chars):
        cps = code_points(piece)
        which, start = matcher.find(cps)
        if not len(which):
            continue
        end = start + lengths[which]
        # A Latin edge must be the edge of the text's Latin run: iPhone is not in iPhone5.
        before = latin_mask(cps[np.maximum(start - 1, 0)]) & (start > 0)
        after = latin_mask(cps[np.minimum(end, len(cps) - 1)]) & (end < len(cps))
        inside = (latin_head[which] & before) | (latin_tail[which] & after)
        which, start, end = which[~inside], start[~inside], end[~inside]
        # Each word's matches come in text order (the matcher finds them by length, then position),
        # so a stable sort by word keeps them so (a radix sort when the ids fit in 16 bits).
        order = np.argsort(which.astype(np.uint16 if len(owners) <= 1 << 16 else np.int32), kind="stable")
        which, start, end = which[order], start[order], end[order]
        per_word = np.bincount(which, minlength=len(owners))
        first = (np.cumsum(per_word) - per_word)[which]  # where each word's matches begin in this piece
        number = sampler.seen[which] + np.arange(len(which)) - first
        sampler.add(which, number, functools.partial(_snippet_of_match, piece, start, end, context))
    for owner, chosen in zip(owners.tolist(), sampler.chosen(n)):
        examples[owner] = chosen
    for i, cps in spelled:
        examples[i] = examples[patterns[cps.tobytes()]]
    return examples
