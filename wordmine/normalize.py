"""Text to units.

A *unit* is one Han character or one run of ASCII letters and digits; every
other character (punctuation, spaces, symbols, emoji, control characters, line
ends) is a *boundary* that no n-gram or word crosses. Full-width letters, digits
and the ideographic space are folded to ASCII first, and CJK compatibility
ideographs to their unified forms, as NFKC would, but vectorised over the code
points because NFKC on a whole corpus costs more than counting it.

The unit stream is an integer array: each unit becomes its vocabulary id
(1, 2, ...) and each stretch of boundary characters one ``0``.

>>> vocab = Vocabulary()
>>> ids = vocab.encode("用iPhone拍照，２０１９年！")
>>> ids.tolist()
[1, 5, 2, 3, 0, 6, 4, 0]
>>> [vocab.unit(i) for i in ids if i]
['用', 'iPhone', '拍', '照', '2019', '年']

Latin runs longer than :data:`MAX_LATIN_UNIT` characters (hashes, base64) are
treated as boundaries: they are never words and would flood the vocabulary.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

#: Code point ranges of Han ideographs: the URO up to U+9FFF, Extensions A-I,
#: the compatibility blocks and U+3007 (〇, used in dates such as 二〇一九).
HAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x3007, 0x3007),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2EE5F),
    (0x2F800, 0x2FA1F),
    (0x30000, 0x323AF),
)

#: Longest run of ASCII letters/digits still taken as one unit.
MAX_LATIN_UNIT = 32

_CODE_SPACE = 0x110000


def _compat_fold_table() -> np.ndarray:
    """Map every code point to its folded form (identity where NFKC keeps it)."""
    table = np.arange(_CODE_SPACE, dtype=np.uint32)
    table[0xFF01:0xFF5F] -= 0xFEE0  # full-width ASCII forms
    table[0x3000] = 0x20  # ideographic space
    for lo, hi in ((0xF900, 0xFAFF), (0x2F800, 0x2FA1F)):
        for cp in range(lo, hi + 1):
            folded = unicodedata.normalize("NFKC", chr(cp))
            if len(folded) == 1:
                table[cp] = ord(folded)
    return table


def _han_mask_table() -> np.ndarray:
    table = np.zeros(_CODE_SPACE, dtype=bool)
    for lo, hi in HAN_RANGES:
        table[lo : hi + 1] = True
    return table


def _latin_mask_table() -> np.ndarray:
    table = np.zeros(_CODE_SPACE, dtype=bool)
    for lo, hi in ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)):
        table[lo : hi + 1] = True
    return table


@dataclass
class _Tables:
    fold: np.ndarray
    han: np.ndarray
    latin: np.ndarray


_tables: _Tables | None = None


def _lookup_tables() -> _Tables:
    """Built on first use (about 20 ms), never at import."""
    global _tables
    if _tables is None:
        _tables = _Tables(_compat_fold_table(), _han_mask_table(), _latin_mask_table())
    return _tables


def code_points(text: str) -> np.ndarray:
    """The folded code points of ``text`` as a ``uint32`` array, one per character."""
    raw = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return _lookup_tables().fold[raw]


def latin_mask(cps: np.ndarray) -> np.ndarray:
    """Which folded code points are Latin letters or digits, the characters of Latin units."""
    return _lookup_tables().latin[cps]


@dataclass(frozen=True)
class UnitSpans:
    """Where the units of a text are: unit ``i`` is ``text[start[i]:end[i]]``."""

    start: np.ndarray
    end: np.ndarray
    is_latin: np.ndarray


def unit_spans(cps: np.ndarray) -> UnitSpans:
    """Locate the units in an array of folded code points.

    >>> s = unit_spans(code_points("ab中，c"))
    >>> s.start.tolist(), s.end.tolist(), s.is_latin.tolist()
    ([0, 2, 4], [2, 3, 5], [True, False, True])
    """
    tables = _lookup_tables()
    han = tables.han[cps]
    latin = tables.latin[cps]
    edges = np.diff(latin.astype(np.int8), prepend=0, append=0)
    run_start = np.flatnonzero(edges == 1)
    run_end = np.flatnonzero(edges == -1)
    short = (run_end - run_start) <= MAX_LATIN_UNIT
    run_start, run_end = run_start[short], run_end[short]
    unit_start = han.copy()
    unit_start[run_start] = True
    end_at = np.arange(1, len(cps) + 1)
    end_at[run_start] = run_end
    start = np.flatnonzero(unit_start)
    return UnitSpans(start, end_at[start], ~han[start])


class Vocabulary:
    """Unit strings and their ids; id 0 is reserved for the boundary.

    Ids are given as units first appear (within a block of text, its new Han
    characters in order, then its new Latin runs), so an id never changes
    while a corpus streams through.
    """

    def __init__(self, units: list[str] | None = None) -> None:
        self._units: list[str] = [""]
        self._char_ids = np.zeros(_CODE_SPACE, dtype=np.uint32)
        self._latin_ids: dict[str, int] = {}
        for unit in units or []:
            self.add(unit)

    def __len__(self) -> int:
        """Number of ids in use, the boundary id 0 included."""
        return len(self._units)

    @property
    def units(self) -> list[str]:
        return self._units

    def unit(self, unit_id: int) -> str:
        return self._units[unit_id]

    def add(self, unit: str) -> int:
        """The id of ``unit``, given a new one if it has none yet."""
        if len(unit) == 1 and not _lookup_tables().latin[ord(unit)]:
            found = int(self._char_ids[ord(unit)])
            if not found:
                found = self._char_ids[ord(unit)] = len(self._units)
                self._units.append(unit)
            return int(found)
        found = self._latin_ids.get(unit, 0)
        if not found:
            found = self._latin_ids[unit] = len(self._units)
            self._units.append(unit)
        return found

    def get(self, unit: str) -> int:
        """The id of ``unit`` or 0 when the vocabulary does not know it."""
        if len(unit) == 1 and not _lookup_tables().latin[ord(unit)]:
            return int(self._char_ids[ord(unit)])
        return self._latin_ids.get(unit, 0)

    def ids_of_spans(self, cps: np.ndarray, spans: UnitSpans, grow: bool = True) -> np.ndarray:
        """Vocabulary ids of the units at ``spans`` (0 for unknown ones when not growing)."""
        latin = spans.is_latin.any()
        han = ~spans.is_latin if latin else slice(None)
        han_cps = cps[spans.start[han]]
        han_ids = self._char_ids[han_cps]
        if grow:
            unseen_cps = han_cps[han_ids == 0]
            if len(unseen_cps):
                # New ids in order of first appearance, so ids do not depend on chunking.
                unseen, first = np.unique(unseen_cps, return_index=True)
                unseen = unseen[np.argsort(first)]
                new_ids = np.arange(len(self._units), len(self._units) + len(unseen))
                self._char_ids[unseen] = new_ids
                self._units.extend(chr(c) for c in unseen.tolist())
                han_ids = self._char_ids[han_cps]
        if not latin:
            return han_ids
        ids = np.zeros(len(spans.start), dtype=np.uint32)
        ids[han] = han_ids
        latin_pos = np.flatnonzero(spans.is_latin)
        ascii_bytes = np.where(cps < 128, cps, 32).astype(np.uint8).tobytes()
        starts = spans.start[latin_pos].tolist()
        ends = spans.end[latin_pos].tolist()
        table = self._latin_ids
        # One Python step per Latin run: runs are rare in Chinese text.
        for slot, a, b in zip(latin_pos.tolist(), starts, ends):
            token = ascii_bytes[a:b].decode("ascii")
            found = table.get(token, 0)
            if not found and grow:
                found = table[token] = len(self._units)
                self._units.append(token)
            ids[slot] = found
        return ids

    def encode(self, text: str, grow: bool = True) -> np.ndarray:
        """The unit stream of ``text``: ids, with one 0 per stretch of boundaries."""
        cps = code_points(text)
        spans = unit_spans(cps)
        ids = self.ids_of_spans(cps, spans, grow)
        return unit_stream(ids, spans, len(cps))


def unit_stream(ids: np.ndarray, spans: UnitSpans, text_length: int) -> np.ndarray:
    """Interleave unit ids with a 0 wherever characters separate two units.

    >>> spans = UnitSpans(np.array([0, 1, 3]), np.array([1, 2, 4]), np.zeros(3, bool))
    >>> unit_stream(np.array([7, 8, 9], np.uint32), spans, 5).tolist()
    [7, 8, 0, 9, 0]
    """
    n = len(ids)
    if n == 0:
        return np.zeros(1 if text_length else 0, dtype=np.uint32)
    gap_after = np.empty(n, dtype=bool)
    gap_after[:-1] = spans.start[1:] != spans.end[:-1]
    gap_after[-1] = spans.end[-1] != text_length
    # Unit i goes to slot i + lead + (gaps before it): the running sum of one step per unit, two
    # after a gap, in one pass (the encoder's share of counting, which the parent does for all workers).
    slots = np.empty(n, dtype=np.int64)
    slots[0] = spans.start[0] != 0
    np.add(gap_after[:-1], 1, out=slots[1:])
    np.cumsum(slots, out=slots)
    out = np.zeros(int(slots[-1]) + 1 + int(gap_after[-1]), dtype=np.uint32)
    out[slots] = ids
    return out


def offsets_in_runs(new_run: np.ndarray) -> np.ndarray:
    """Each unit's offset in its run of adjacent units; ``new_run`` is True at the first unit of a run.

    >>> offsets_in_runs(np.array([True, False, False, True, False])).tolist()
    [0, 1, 2, 0, 1]
    """
    index = np.arange(len(new_run))
    return index - np.maximum.accumulate(np.where(new_run, index, 0))


class TextRuns(NamedTuple):
    """The units of a text as a segmenter reads them (see :func:`text_runs`)."""

    cps: np.ndarray
    """The folded code points of the text."""
    spans: UnitSpans
    """Where each unit is in them."""
    ids: np.ndarray
    """Each unit's id (``int64``), 0 for a unit the vocabulary lacks."""
    offsets: np.ndarray
    """Each unit's offset in its run: units touch within a run, a boundary character ends it."""


def text_runs(text: str, vocab: Vocabulary) -> TextRuns:
    """The units of ``text`` as ids in ``vocab`` (which does not grow) and their offsets in their runs.

    >>> runs = text_runs("天地，人天", Vocabulary(list("天地")))
    >>> runs.ids.tolist(), runs.offsets.tolist(), runs.spans.end.tolist()
    ([1, 2, 0, 1], [0, 1, 0, 1], [1, 2, 4, 5])
    """
    cps = code_points(text)
    spans = unit_spans(cps)
    ids = vocab.ids_of_spans(cps, spans, grow=False).astype(np.int64)
    new_run = np.ones(len(ids), bool)
    new_run[1:] = spans.start[1:] != spans.end[:-1]
    return TextRuns(cps, spans, ids, offsets_in_runs(new_run))
