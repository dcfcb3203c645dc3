"""The compact layout of a sorted run: keys as small deltas, numbers in blocks of their own byte width.

A spilled run (:mod:`wordmine.counting.spill.runs`) is read back once, by this
process, a range of first units at a time; it need not be the 16 bytes a row
it takes in memory. Two ideas make it small, both cheap enough to run at the
speed of the counting around them (numpy passes over whole arrays, and a Python
step per block of :data:`BLOCK_ROWS` rows, never per row):

1. **Every order above the first is keyed on its prefix's row**, the way a
   chained key already is (:mod:`wordmine.counting.table.ngrams`): an n-gram
   becomes ``code = prefix_row << ubits | last_unit``, with ``ubits`` the bits
   of the largest unit id the order holds. A count table holds the prefix of
   every n-gram it holds, so the prefix rows ascend in small steps, and two
   neighbouring codes mostly differ by less than ``2 << ubits``, where two
   packed keys differ by ``1 << bits`` or more whenever a unit before the last
   changes. This is the key of the sorted-array tries of n-gram
   language models, the last word beside an offset standing for the context
   (Pauls and Klein, Faster and Smaller N-Gram Language Models, ACL 2011,
   https://aclanthology.org/P11-1027; Heafield, KenLM: Faster and Smaller
   Language Model Queries, 2011, https://aclanthology.org/W11-2123), laid out
   as a stream.
2. **Sorted codes become gaps, numbers are cut to the bytes they need.** Each
   row stores ``code - previous code - 1`` (a first unit's first row: its code
   less the code the first-unit index gives as its floor, see :func:`gaps`), and
   each count ``count - 1``: n-grams seen once cost nothing. The numbers are
   cut into blocks of :data:`BLOCK_ROWS`; a block keeps as many low bytes of
   each number as its largest needs (0 to 8), little endian: the binary
   packing of a block at the width of its largest number (Lemire and Boytsov,
   Decoding billions of integers per second through vectorization, Software:
   Practice and Experience 45(1), 2015, https://arxiv.org/abs/1209.2137), in
   bytes rather than bits, so that a block decodes as one reshape or cast.
   A varint per number would be smaller where one large gap sits among small
   ones, but its bytes can only be found by a scan of continuation bits.

The arithmetic is modulo 2**64 throughout, so any ``uint64`` sequence comes
back exactly, sorted or not; sortedness only makes it small.

>>> values = np.array([0, 3, 300, 1 << 40, 5], np.uint64)
>>> widths, data = encode_block_values(values, block_rows=2)
>>> widths.tolist(), len(data)  # blocks (0, 3), (300, 2**40), (5): 1, 6 and 1 bytes a number; 2 + 12 + 1
([1, 6, 1], 15)
>>> decode_block_values(data, widths, 0, 5, block_rows=2).tolist() == values.tolist()
True
>>> offsets = block_offsets(widths, 5, block_rows=2)          # rows 3 and 4: blocks 1 and 2
>>> decode_block_values(data[offsets[1] : offsets[3]], widths, 3, 5, block_rows=2).tolist()
[1099511627776, 5]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from wordmine.counting.table.ngrams import U64, NgramTable, mask

#: Rows that share one byte width. Smaller blocks fit their numbers more tightly (one
#: large gap widens fewer rows); larger ones cost fewer Python steps a row to code.
BLOCK_ROWS = 1024

_ONE = U64(1)
#: Widths that are a numpy integer type: their blocks are cast, not copied byte by byte.
_NATIVE = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4"), 8: np.dtype("<u8")}
#: The largest number each byte count holds: a number needs a byte for every one of these it passes.
_LIMITS = [U64((1 << (8 * j)) - 1) for j in range(8)]


def byte_widths(values: np.ndarray) -> np.ndarray:
    """The bytes each ``uint64`` needs (0 for zero, 8 for 2**56 and up), as ``uint8``.

    >>> byte_widths(np.array([0, 1, 255, 256, 1 << 56, (1 << 64) - 1], np.uint64)).tolist()
    [0, 1, 1, 2, 8, 8]
    """
    widths = np.zeros(len(values), np.uint8)
    for limit in _LIMITS:
        widths += values > limit
    return widths


def block_widths(values: np.ndarray, block_rows: int = BLOCK_ROWS) -> np.ndarray:
    """The byte width of each block of ``block_rows`` values: the width of its largest."""
    if not len(values):
        return np.zeros(0, np.uint8)
    return byte_widths(np.maximum.reduceat(values, np.arange(0, len(values), block_rows)))


def encode_block_values(values: np.ndarray, block_rows: int = BLOCK_ROWS) -> tuple[np.ndarray, bytes]:
    """``values`` (``uint64``) cut into blocks, each number to its block's width: (widths, bytes).

    The bytes of the blocks follow one another; block ``b`` takes
    ``rows_b * widths[b]`` of them, the low bytes of each number, little endian.
    """
    widths = block_widths(values, block_rows)
    values = np.ascontiguousarray(values, dtype="<u8")
    as_bytes = values.view(np.uint8).reshape(-1, 8)
    pieces = []
    for block, width in enumerate(widths.tolist()):  # a step per block of rows, not per row
        rows = slice(block * block_rows, (block + 1) * block_rows)
        if width in _NATIVE:  # a cast, faster than a copy of every row's low bytes
            pieces.append(values[rows].astype(_NATIVE[width]).tobytes())
        elif width:
            pieces.append(as_bytes[rows, :width].tobytes())
    return widths, b"".join(pieces)


def block_offsets(widths: np.ndarray, rows: int, block_rows: int = BLOCK_ROWS) -> np.ndarray:
    """Where each block's bytes begin in a stream of ``rows`` rows, and where the last ends.

    >>> block_offsets(np.array([1, 6, 1], np.uint8), 5, block_rows=2).tolist()
    [0, 2, 14, 15]
    """
    lengths = np.full(len(widths), block_rows, np.int64)
    if len(widths):
        lengths[-1] = rows - block_rows * (len(widths) - 1)
    return np.concatenate([[0], np.cumsum(widths.astype(np.int64) * lengths)])


def decode_block_values(data: bytes | np.ndarray, widths: np.ndarray, first: int, last: int,
                        block_rows: int = BLOCK_ROWS) -> np.ndarray:
    """Rows ``first <= r < last`` of a stream whose blocks have ``widths``, as ``uint64``.

    ``data`` holds the stream's bytes from the start of the block of row
    ``first`` to the end of the block of row ``last - 1`` (:func:`block_offsets`).
    """
    if last <= first:
        return np.zeros(0, U64)
    b0, b1 = first // block_rows, -(-last // block_rows)
    out = np.zeros((b1 - b0) * block_rows, "<u8")
    as_bytes = out.view(np.uint8).reshape(-1, 8)
    buffer = np.frombuffer(data, np.uint8)
    at = 0
    for block, width in enumerate(widths[b0:b1].tolist()):  # a step per block of rows, not per row
        if width:
            n = min(block_rows, (len(buffer) - at) // width)  # the stream's last block may be short
            rows = slice(block * block_rows, block * block_rows + n)
            piece = buffer[at : at + n * width]
            if width in _NATIVE:
                out[rows] = piece.view(_NATIVE[width])
            else:
                as_bytes[rows, :width] = piece.reshape(n, width)
            at += n * width
    return out[first - b0 * block_rows : last - b0 * block_rows].astype(U64, copy=False)


def gaps(codes: np.ndarray, firsts: np.ndarray, floors: np.ndarray, before: int = 0) -> np.ndarray:
    """Each code less the one before it, less one; at the rows ``firsts``, the code less its ``floors``.

    ``firsts`` are the rows where a first unit's rows begin and ``floors`` the
    least code each can hold, so any first unit's rows decode without the rows
    before them (:func:`ungaps`). ``before`` is the code before row 0 (when the
    codes are a piece of a longer array and row 0 is not among ``firsts``). Modulo 2**64.

    >>> gaps(np.array([5, 6, 9, 20, 21], np.uint64), np.array([0, 3]), np.array([5, 18], np.uint64)).tolist()
    [0, 0, 2, 2, 0]
    """
    out = np.empty(len(codes), U64)
    if len(codes):
        np.subtract(codes[1:], codes[:-1], out=out[1:])
        out[0] = codes[0] - U64(before)
        out -= _ONE
        out[firsts] = codes[firsts] - floors
    return out


def ungaps(values: np.ndarray, firsts: np.ndarray, floors: np.ndarray) -> np.ndarray:
    """The codes back from :func:`gaps` (in place: ``values`` becomes the codes).

    >>> ungaps(np.array([0, 0, 2, 2, 0], np.uint64), np.array([0, 3]), np.array([5, 18], np.uint64)).tolist()
    [5, 6, 9, 20, 21]
    """
    if not len(values):
        return values
    values += _ONE  # a running sum of these is each code, less the floor of its first unit's row, less one
    steps = np.add.reduceat(values, firsts) if len(firsts) else np.zeros(0, U64)
    # The first row of each first unit restarts the sum at its floor: it adds that floor, less
    # the code the sum reached at the end of the unit before (the floor before plus its steps).
    ends = floors - _ONE + steps
    restart = floors - _ONE
    restart[1:] -= ends[:-1]
    values[firsts] += restart
    return np.cumsum(values, out=values)


# -- the streams of a run ---------------------------------------------------------------


@dataclass(frozen=True)
class Stream:
    """One array of a run on disk: the file, where its blocks begin, its rows and each block's width.

    ``offsets[b]`` is where block ``b``'s bytes begin, from ``offset``; the last entry is the stream's size.
    """

    path: str
    offset: int
    rows: int
    widths: np.ndarray
    offsets: np.ndarray

    def read(self, handle: BinaryIO, first: int, last: int) -> np.ndarray:
        """Rows ``first <= r < last`` as ``uint64``: the blocks that hold them, read at once and decoded."""
        if last <= first:
            return np.zeros(0, U64)
        b0, b1 = first // BLOCK_ROWS, -(-last // BLOCK_ROWS)
        handle.seek(self.offset + int(self.offsets[b0]))
        data = handle.read(int(self.offsets[b1] - self.offsets[b0]))
        return decode_block_values(data, self.widths, first, last)


class BlockStream:
    """Numbers appended to ``handle`` in blocks of :data:`BLOCK_ROWS` (the last rows wait for a whole block)."""

    def __init__(self, handle: BinaryIO, path: str) -> None:
        self.handle = handle
        self.path = path
        self.offset = handle.tell()
        self.pending = np.zeros(0, U64)
        self.widths: list[np.ndarray] = []
        self.rows = 0

    def append(self, values: np.ndarray) -> None:
        if len(self.pending):
            values = np.concatenate([self.pending, values])
        whole = len(values) - len(values) % BLOCK_ROWS
        self._write(values[:whole])
        self.pending = values[whole:].copy()

    def close(self) -> Stream:
        """Write the last rows; the stream as written (the handle stays open)."""
        self._write(self.pending)
        self.pending = np.zeros(0, U64)
        widths = np.concatenate([np.zeros(0, np.uint8), *self.widths])
        return Stream(self.path, self.offset, self.rows, widths, block_offsets(widths, self.rows))

    def _write(self, values: np.ndarray) -> None:
        if not len(values):
            return
        widths, data = encode_block_values(values)
        self.handle.write(data)
        self.widths.append(widths)
        self.rows += len(values)


# -- the keys and counts of an order ------------------------------------------------------


class PrefixMissing(ValueError):
    """An n-gram whose prefix is not in the order below: its order cannot be keyed on prefix rows."""


@dataclass(frozen=True)
class OrderCoding:
    """How an order's keys become codes on disk.

    ``ubits`` > 0: ``prefix_row << ubits | last_unit``, the floor of first
    unit ``u`` the first row of ``u`` in the order below, shifted so. ``ubits``
    0: the packed key as it is, the floor of ``u`` is ``u << shift``.
    """

    ubits: int
    shift: int = 0

    @classmethod
    def as_they_are(cls, bits: int, order: int) -> OrderCoding:
        """The keys of ``order`` unchanged (a chained key already is a prefix row and a unit)."""
        return cls(0, bits * (order - 1)) if order <= 64 // bits else cls(bits)

    @classmethod
    def of(cls, table: NgramTable, order: int) -> OrderCoding:
        """Prefix rows and as few bits as the order's last units need, where the rows fit beside them."""
        keys = table.keys[order - 1]
        if order == 1 or not len(keys):
            return cls.as_they_are(table.bits, order)
        ubits = max(1, int((keys & mask(table.bits)).max()).bit_length())
        if len(table.keys[order - 2]) >> (64 - ubits):
            return cls.as_they_are(table.bits, order)
        return cls(ubits)

    def floors(self, units: np.ndarray, prefix_starts: np.ndarray | None) -> np.ndarray:
        """The least code of each first unit of ``units`` (``prefix_starts``: the order below's, of this run)."""
        if self.ubits:
            return prefix_starts[units].astype(U64) << U64(self.ubits)
        return units.astype(U64) << U64(self.shift)


def merged_codings(runs: list) -> list[OrderCoding]:
    """How a run merged from ``runs`` codes each order: on prefix rows with the widest of their ``ubits``
    where all of them do (the merge of tables that hold every prefix holds every prefix), else as they are.

    A count file (not a :class:`Run`-like object with ``orders``) never says that it holds every prefix.
    """
    bits = max(run.bits for run in runs)
    max_order = max(len(run.starts) for run in runs)
    codings = []
    for order in range(1, max_order + 1):
        coding = OrderCoding.as_they_are(bits, order)
        known = [getattr(run, "orders", ()) for run in runs]
        if order > 1 and all(len(o) >= order and o[order - 1].coding.ubits for o in known):
            ubits = max(o[order - 1].coding.ubits for o in known)
            below = sum(run.lengths[order - 2] for run in runs)
            if not below >> (64 - ubits):
                coding = OrderCoding(ubits)
        codings.append(coding)
    return codings


@dataclass(frozen=True)
class OrderOnDisk:
    """Where an order of a run lies, and how its keys are coded."""

    coding: OrderCoding
    keys: Stream
    counts: Stream


#: Rows coded at a time: bounds the working arrays of writing and reading an order.
CHUNK_ROWS = 256 * BLOCK_ROWS


def prefix_rows(below: np.ndarray, prefixes: np.ndarray) -> np.ndarray | None:
    """The row of each of ``prefixes`` (sorted, distinct packed keys) in ``below``, or None if one is missing.

    Both sorted: a merge, not a binary search per prefix. The prefixes, tagged
    by a low bit of one (the keys of the order below by a zero: a packed key of
    an order that has an order above it leaves the top bits free), are sorted
    with the slice of ``below`` they span; numpy's stable sort finds the two
    sorted runs and merges them in one pass (timsort). A prefix then lies just
    after its row, behind the prefixes before it.

    >>> prefix_rows(np.array([3, 5, 8, 9], np.uint64), np.array([5, 9], np.uint64)).tolist()
    [1, 3]
    >>> prefix_rows(np.array([3, 5, 8, 9], np.uint64), np.array([4], np.uint64)) is None
    True
    """
    if not len(prefixes):
        return np.zeros(0, np.int64)
    lo = int(np.searchsorted(below, prefixes[0]))
    window = below[lo : int(np.searchsorted(below, prefixes[-1], side="right"))]
    merged = np.concatenate([window << _ONE, (prefixes << _ONE) | _ONE])
    merged.sort(kind="stable")
    rows = np.flatnonzero(merged & _ONE)
    rows -= np.arange(1, len(prefixes) + 1)
    if rows[0] < 0 or not np.array_equal(window[rows], prefixes):
        return None
    return rows + lo


def _codes(table: NgramTable, order: int, coding: OrderCoding, lo: int, hi: int, row_base: int) -> np.ndarray:
    """The codes of rows ``lo..hi`` of ``order``, prefix rows counted from ``row_base``."""
    keys = table.keys[order - 1][lo:hi]
    if not coding.ubits:
        return keys
    bits = U64(table.bits)
    if table.is_packed(order):
        # Neighbours often share a prefix: each distinct one is looked up once, in the order below.
        prefixes = keys >> bits
        new = np.ones(len(prefixes), bool)
        np.not_equal(prefixes[1:], prefixes[:-1], out=new[1:])
        rows = prefix_rows(table.keys[order - 2], prefixes[new])
        if rows is None:
            raise PrefixMissing(f"an n-gram of order {order} lacks its prefix")
        rows = rows.astype(U64)[np.cumsum(new) - 1]
    else:
        rows = keys >> bits
    rows += U64(row_base)
    return (rows << U64(coding.ubits)) | (keys & mask(table.bits))


def append_keys(table: NgramTable, order: int, starts: list[np.ndarray], coding: OrderCoding,
                stream: BlockStream, row_base: int = 0) -> None:
    """Append the keys of ``order`` of ``table`` (whose first-unit index is ``starts``) to ``stream`` as gaps.

    ``row_base``: the rows of the order below written to the run before this table (a partition).
    """
    n = len(table.keys[order - 1])
    here = starts[order - 1]
    units = np.flatnonzero(np.diff(here))  # first units with rows
    firsts = here[units]
    below = starts[order - 2] + row_base if order > 1 else None
    floors = coding.floors(units, below)
    previous = 0
    for lo in range(0, n, CHUNK_ROWS):
        hi = min(lo + CHUNK_ROWS, n)
        codes = _codes(table, order, coding, lo, hi, row_base)
        at = slice(np.searchsorted(firsts, lo), np.searchsorted(firsts, hi))
        stream.append(gaps(codes, firsts[at] - lo, floors[at], previous))
        previous = int(codes[-1])


def write_keys(table: NgramTable, order: int, starts: list[np.ndarray], coding: OrderCoding,
               stream: BlockStream) -> Stream:
    append_keys(table, order, starts, coding, stream)
    return stream.close()


def append_counts(counts: np.ndarray, stream: BlockStream) -> None:
    """Append counts, each less one (a count of one costs no byte)."""
    for lo in range(0, len(counts), CHUNK_ROWS):
        stream.append(counts[lo : lo + CHUNK_ROWS].astype(np.int64, copy=False).view(U64) - _ONE)


def write_counts(counts: np.ndarray, stream: BlockStream) -> Stream:
    append_counts(counts, stream)
    return stream.close()


def read_order(run, order: int, on_disk: OrderOnDisk, lo: int, hi: int, table: NgramTable,
               handle_of: Callable[[str], BinaryIO]) -> tuple[np.ndarray, np.ndarray]:
    """The keys and counts of ``order`` of ``run`` whose first unit is in ``lo <= u < hi``.

    ``table`` holds the slice's orders below (its packed keys rebuild this
    order's from prefix rows); chained keys come back re-based on the slice's
    first row of the order below.
    """
    first, last = run.start(order, lo), run.start(order, hi)
    counts = on_disk.counts.read(handle_of(on_disk.counts.path), first, last)
    counts += _ONE
    keys = on_disk.keys.read(handle_of(on_disk.keys.path), first, last)
    here = run.starts[order - 1]
    units = np.arange(min(lo, len(here) - 1), min(hi, len(here) - 1))
    units = units[here[units + 1] > here[units]]
    below = run.starts[order - 2] if order > 1 else None
    ungaps(keys, here[units] - first, on_disk.coding.floors(units, below))
    coding = on_disk.coding
    if coding.ubits:
        bits, ubits = U64(run.bits), U64(coding.ubits)
        base = U64(run.start(order - 1, lo))
        prefix_keys = table.keys[order - 2]
        packed = order <= 64 // run.bits
        for at in range(0, len(keys), CHUNK_ROWS):  # in place, a chunk of rows at a time
            codes = keys[at : at + CHUNK_ROWS]
            unit = codes & mask(coding.ubits)
            rows = (codes >> ubits) - base
            codes[:] = (prefix_keys[rows] if packed else rows) << bits
            codes |= unit
    return keys, counts.view(np.int64)
