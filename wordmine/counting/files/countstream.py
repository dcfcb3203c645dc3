"""Count files written and read a range of first units at a time, so neither needs the whole table.

A count file (:mod:`wordmine.counting.files.countfile`) lays each order out whole:
``keys1 counts1 keys2 counts2 ... stream``. The merged counts, though, come a
*partition* at a time (the n-grams whose first unit is in a range, see
:mod:`wordmine.counting.spill.runs`), every order of it. :class:`CountFileWriter`
appends each partition's orders to one segment file per array as it passes
(chained keys re-based on the rows of the partitions before), and at the end
lays the segments out as the container, copying them a piece at a time: the
same bytes ``write_counts`` writes from the whole table, with one partition in
memory.

Reading goes the other way. :func:`open_counts` checks the file piece by piece
(checksums, header) and finds, from the keys read in blocks, where each first
unit's rows begin in every order; :meth:`CountFile.partitions` then reads the
slices of one range of first units at a time, within a budget. The layout is
the one a sorted run on disk already has, so this is the external merge's
partitioning (Knuth, The Art of Computer Programming vol. 3, section 5.4,
1973) applied to a file made elsewhere.

>>> import os, tempfile
>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> from wordmine.counting.files.countfile import write_counts
>>> scratch = tempfile.TemporaryDirectory()
>>> folder = scratch.name
>>> corpus = count_text(["天天向上，天天"], CountConfig(order=1))
>>> write_counts(corpus, f"{folder}/whole.wmc")
>>> writer = CountFileWriter(folder)
>>> count_file = open_counts(f"{folder}/whole.wmc")
>>> parts = list(count_file.partitions(budget_bytes=64))   # a tiny budget: one first unit a partition
>>> [p.first_units for p in parts]
[(0, 2), (2, 3), (3, 4)]
>>> reduced = writer(parts, 6, folder)
>>> writer.finish(f"{folder}/streamed.wmc", count_file.vocab, 1, count_file.stream())
>>> writer.close()
>>> open(f"{folder}/streamed.wmc", "rb").read() == open(f"{folder}/whole.wmc", "rb").read()
True
>>> scratch.cleanup()
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from wordmine.budget import slice_bytes
from wordmine.counting.files.countfile import MAGIC, VERSION, check_header, check_keys, count_header
from wordmine.counting.reducers.reduced import Reduced
from wordmine.counting.spill.runs import (
    FirstUnitIndex,
    Partition,
    plan_partitions,
    read_rows,
    spill_error,
    spill_folder,
)
from wordmine.counting.table.corpus import Corpus
from wordmine.counting.table.ngrams import U64, NgramTable
from wordmine.errors import FormatError
from wordmine.io.container import read_container, write_container
from wordmine.normalize import Vocabulary
from wordmine.unitstream import FileSlice, UnitStream

#: Rows read at once when a whole array is walked (64 MiB of keys).
BLOCK_ROWS = 8 << 20
#: Bytes copied at once from a segment into the count file.
COPY_BYTES = 16 << 20


class Segment:
    """One array of the count file, appended to a file of its own piece by piece.

    Its CRC-32 is summed as the pieces are appended (``crc32``), and the container
    copies the file in the kernel (:meth:`copy_into`): once counting ends, writing
    the count file is one copy of the segments, not a pass to sum them and a
    second to copy them through this process, both on one core while the others wait.
    """

    def __init__(self, path: str, dtype: str) -> None:
        self.path = path
        self.dtype = np.dtype(dtype)
        self.length = 0
        self.crc32 = 0
        self.handle = open(path, "wb")  # noqa: SIM115 - closed by close() or pieces()

    def append(self, array: np.ndarray) -> None:
        data = memoryview(np.ascontiguousarray(array.astype(self.dtype, copy=False))).cast("B")
        self.crc32 = zlib.crc32(data, self.crc32)
        self.handle.write(data)
        self.length += len(array)

    def __len__(self) -> int:
        return self.length

    def copy_into(self, out: BinaryIO) -> None:
        """Append the array's bytes to ``out`` (flushed first): by the kernel where it can
        (``os.sendfile`` between files, on Linux), else a piece at a time."""
        self.handle.close()
        out.flush()
        size = self.length * self.dtype.itemsize
        done = 0
        with open(self.path, "rb") as source:
            while done < size:
                try:
                    sent = os.sendfile(out.fileno(), source.fileno(), done, size - done)
                except (AttributeError, io.UnsupportedOperation):  # no sendfile here, or no file to send to
                    break
                except OSError as exc:
                    if exc.errno not in _NO_SENDFILE:
                        raise  # a full disk, say: the caller names the file
                    break
                if not sent:
                    raise OSError(errno.EIO, f"{self.path}: shorter than the {size:,} bytes written")
                done += sent
            if done < size:
                source.seek(done)
                shutil.copyfileobj(source, out, COPY_BYTES)


#: What ``os.sendfile`` says when it cannot copy between these two files (the copy goes through this process).
_NO_SENDFILE = frozenset({errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSOCK, errno.EBADF})


class CountFileWriter:
    """A table reducer (see ``count_text``) that writes the merged partitions to segment files.

    Called with the partitions, it keeps only the table of single units (a row
    per unit, for the totals); :meth:`finish` then writes the count file.
    Segments live in a folder of their own in ``tmp_dir``, made when the first
    partition comes (while counting runs, its own spill folder is the only
    one) and removed by :meth:`close` (the caller's ``finally``) whatever happens.
    """

    def __init__(self, tmp_dir: str | None) -> None:
        self.tmp_dir = tmp_dir
        self.folder: str | None = None
        self.segments: list[Segment] = []
        self.bits = 16
        self.before: list[int] = []
        self.units: list[np.ndarray] = [np.zeros(0, U64), np.zeros(0, np.int64)]

    def __call__(self, partitions: Iterable[Partition], units: int, folder: str):

        try:
            for part in partitions:
                self.add(part.table)
        except OSError as exc:
            raise spill_error(self.tmp_dir, exc) from None
        return Reduced(NgramTable(self.bits, [self.units[0]], [self.units[1]]))

    def add(self, table: NgramTable) -> None:
        """Append one partition (the next range of first units) to the segments."""
        if not self.segments:
            self.folder = self.folder or spill_folder(self.tmp_dir)
            self.bits = table.bits
            self.before = [0] * table.max_order
            for k in range(1, table.max_order + 1):
                self.segments.append(Segment(os.path.join(self.folder, f"keys{k}"), "<u8"))
                self.segments.append(Segment(os.path.join(self.folder, f"counts{k}"), "<i8"))
        for k in range(1, table.max_order + 1):
            keys = table.keys[k - 1]
            if not table.is_packed(k) and len(keys):
                keys = keys + (U64(self.before[k - 2]) << U64(self.bits))
            self.segments[2 * k - 2].append(keys)
            self.segments[2 * k - 1].append(table.counts[k - 1])
        self.before = [b + len(keys) for b, keys in zip(self.before, table.keys)]
        self.units = [np.concatenate([self.units[0], table.keys[0]]),
                      np.concatenate([self.units[1], table.counts[0]])]

    def finish(self, path: str, vocab: Vocabulary, order: int, stream) -> None:
        """Write the count file to ``path`` atomically: header, then the segments and the stream copied in."""
        if not self.segments:
            self.add(NgramTable.empty(self.bits, order + 1))
        header = count_header(order, self.bits, int(self.units[1].sum()), vocab)
        arrays = [(f"{kind}{k}", self.segments[2 * k - 2 + i])
                  for k in range(1, order + 2) for i, kind in enumerate(("keys", "counts"))]
        write_container(path, MAGIC, VERSION, header, [*arrays, ("stream", stream)])

    def close(self) -> None:
        for segment in self.segments:
            segment.handle.close()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class CountFile(FirstUnitIndex):
    """A checked count file, read a range of first units at a time.

    ``starts[k - 1][u]`` is the first row of order ``k`` whose first unit is
    ``u`` or more; the last entry is the rows of the order (as a sorted run's index).
    """

    path: str
    header: dict
    vocab: Vocabulary
    arrays: dict[str, FileSlice]
    starts: list[np.ndarray]

    @property
    def order(self) -> int:
        return self.header["order"]

    @property
    def bits(self) -> int:
        return self.header["bits"]

    @property
    def total_units(self) -> int:
        return self.header["total_units"]

    @property
    def pruned_at(self) -> int | None:
        """The count under which n-grams were dropped (None: every n-gram is there, as wordmine writes them)."""
        return self.header.get("pruned_at")

    def stream(self) -> UnitStream:
        return UnitStream.in_file(self.arrays["stream"])

    def locate(self, kind: str, order: int) -> tuple[str, int]:
        """The file and the byte where the ``kind`` ("keys" or "counts") array of ``order`` begins."""
        return self.path, self.arrays[f"{kind}{order}"].offset

    def read_slice(self, lo: int, hi: int) -> NgramTable:
        """The n-grams whose first unit is in ``lo <= u < hi``, a table in itself (chained keys re-based)."""
        table = read_rows(self, self.bits, self.locate, lo, hi)
        try:
            check_keys(table, len(self.vocab))
        except ValueError as exc:
            raise FormatError(f"{self.path}: damaged count file ({exc}); count again") from None
        return table

    def partitions(self, budget_bytes: int) -> Iterator[Partition]:
        """The counts one range of first units at a time, each range's slices within a share of the budget."""
        for lo, hi in plan_partitions([self], slice_bytes(budget_bytes)):
            yield Partition((lo, hi), self.read_slice(lo, hi))

    def corpus(self, kept: Reduced, order: int | None = None) -> Corpus:
        """The counted corpus of what a reducer kept of this file (of its type: see ``Reduced.corpus``)."""
        return kept.corpus(self.vocab, self.stream(), self.order if order is None else order)


def open_counts(path: str) -> CountFile:
    """Check a count file (piece by piece: nothing is loaded whole) and index where each first unit begins."""
    names = frozenset(f"{kind}{k}" for kind in ("keys", "counts") for k in range(1, 9)) | {"stream"}
    header, arrays = read_container(path, MAGIC, VERSION, "count file", in_place=names,
                                    bounds={"vocabulary": ("stream", "keys1")})
    try:
        check_header(header)
        max_order = header["order"] + 1
        for k in range(1, max_order + 1):
            if arrays[f"keys{k}"].length != arrays[f"counts{k}"].length:
                raise ValueError("keys and counts differ in length")
        vocab = Vocabulary(header["vocabulary"][1:])
        starts = _first_unit_starts(path, arrays, max_order, header["bits"], len(vocab))
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"{path}: damaged count file ({exc}); count again") from None
    return CountFile(path, header, vocab, arrays, starts)


def _first_unit_starts(path: str, arrays: dict[str, FileSlice], max_order: int, bits: int,
                       n_units: int) -> list[np.ndarray]:
    """For each order, the first row of each first unit 0..n_units, from the keys read in blocks.

    A packed key holds its first unit in its highest bits; a chained key holds
    its prefix's row, whose first unit the order below's starts give.
    """
    starts: list[np.ndarray] = []
    packed = 64 // bits
    with open(path, "rb") as handle:
        for k in range(1, max_order + 1):
            where = arrays[f"keys{k}"]
            handle.seek(where.offset)
            rows = np.zeros(n_units, np.int64)
            previous = U64(0)
            for done in range(0, where.length, BLOCK_ROWS):
                keys = np.fromfile(handle, "<u8", min(BLOCK_ROWS, where.length - done)).astype(np.uint64)
                if len(keys) and (keys[0] < previous or (len(keys) > 1 and (keys[1:] < keys[:-1]).any())):
                    raise ValueError(f"keys of order {k} are not sorted")
                previous = keys[-1] if len(keys) else previous
                if k <= packed:
                    first = (keys >> U64(bits * (k - 1))).astype(np.int64)
                else:
                    prefix = (keys >> U64(bits)).astype(np.int64)
                    if len(prefix) and prefix[-1] >= starts[-1][-1]:
                        raise ValueError(f"keys of order {k} refer to rows past the order below")
                    first = np.searchsorted(starts[-1], prefix, side="right") - 1
                if len(first) and first[-1] >= n_units:
                    raise ValueError(f"keys of order {k} refer to units past the vocabulary")
                rows += np.bincount(first, minlength=n_units)
            starts.append(np.concatenate([[0], np.cumsum(rows)]))
    return starts
