"""The unit stream: the corpus as unit ids (0 at boundaries), in memory or on disk.

Every pass after counting walks the corpus again as unit ids: discover's cut
pass, contrast's scan for long words, segment's re-estimation. A gigabyte of
Chinese text is about 330 M units, 660 MB even at two bytes a unit, too much to
keep beside the count tables under a 2 GB budget. So the stream stays in memory
only while it is small; past ``spill_bytes`` it moves to an anonymous temporary
file (unlinked at once, so nothing is left behind however the process ends) and
every pass reads it back a window at a time. A count file's stream is read the
same way, from its place in the file.

Ids take two bytes while the vocabulary has at most 65 536 ids, four after.

>>> stream = UnitStream(spill_bytes=8)
>>> stream.append(np.array([3, 1, 0, 2]), wide=False)
>>> stream.append(np.array([5, 0, 4]), wide=False)  # 14 bytes: now on disk
>>> len(stream), stream.dtype.name, stream.spilled, stream[2:5].tolist()
(7, 'uint16', True, [0, 2, 5])
>>> [w.tolist() for w in stream.windows(5)]  # each window but the last ends at a boundary
[[3, 1, 0], [2, 5, 0, 4]]
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from wordmine.errors import InputError, OutputError

#: Units read from disk at a time when a whole pass is made (64 MiB at two bytes).
READ_UNITS = 32 << 20


def scratch_file(tmp_dir: str | None, kind: str, what: str) -> BinaryIO:
    """An anonymous temporary file in ``tmp_dir`` (None: the system's temporary folder), unlinked at
    once, for ``what`` (its ``kind`` names it while it is made); a folder that cannot hold it stops
    the run with one line naming the folder."""
    try:
        return tempfile.TemporaryFile(prefix=f"wordmine-{kind}-{os.getpid()}-", dir=tmp_dir)
    except OSError as exc:
        raise _cannot_keep(tmp_dir, what, exc) from None


def append_array(handle: BinaryIO, array: np.ndarray, tmp_dir: str | None, what: str) -> int:
    """Write ``array``'s bytes at the end of the scratch file ``handle``; return where they start."""
    try:
        offset = handle.seek(0, 2)
        handle.write(memoryview(np.ascontiguousarray(array)).cast("B"))
        return offset
    except OSError as exc:
        raise _cannot_keep(tmp_dir, what, exc) from None


def _cannot_keep(tmp_dir: str | None, what: str, exc: OSError) -> OutputError:
    return OutputError(f"{tmp_dir or tempfile.gettempdir()}: cannot keep {what} there: {exc.strerror}; "
                       "see --tmp-dir")


@dataclass(frozen=True)
class FileSlice:
    """An array stored inside a file: where it starts, its length and dtype."""

    path: str
    offset: int
    length: int
    dtype: np.dtype


class UnitStream:
    """Unit ids of a corpus in order; appended while counting, then read by slices and windows."""

    def __init__(self, spill_bytes: int | None = None, tmp_dir: str | None = None) -> None:
        self._pieces: list[np.ndarray] = []
        self._array: np.ndarray | None = None
        self._file: BinaryIO | None = None
        self._offset = 0
        self._length = 0
        self._dtype = np.dtype(np.uint16)
        self._spill_bytes = spill_bytes
        self._tmp_dir = tmp_dir

    @classmethod
    def of_array(cls, ids: np.ndarray) -> UnitStream:
        """A stream held in memory."""
        stream = cls()
        stream._dtype = np.dtype(np.uint16 if ids.dtype.itemsize <= 2 else np.uint32)
        stream._array = ids.astype(stream._dtype, copy=False)
        stream._length = len(ids)
        return stream

    @classmethod
    def in_file(cls, where: FileSlice) -> UnitStream:
        """A stream read from its place in a file (a count file)."""
        stream = cls()
        try:
            stream._file = open(where.path, "rb")  # noqa: SIM115 - the stream reads it until closed
        except OSError as exc:
            raise InputError(f"{where.path}: cannot read: {exc.strerror}") from None
        stream._offset, stream._length, stream._dtype = where.offset, where.length, np.dtype(where.dtype)
        return stream

    # -- writing ---------------------------------------------------------------

    def append(self, ids: np.ndarray, wide: bool) -> None:
        """Add ids at the end; ``wide`` once the vocabulary needs four bytes an id."""
        if wide and self._dtype.itemsize == 2:
            self._widen()
        piece = ids.astype(self._dtype)
        if self._file is None and self._spill_bytes is not None and \
                (self._length + len(piece)) * self._dtype.itemsize > self._spill_bytes:
            self._move_to_disk()
        if self._file is not None:
            self._write(piece)
        else:
            self._pieces.append(piece)
        self._length += len(piece)

    def _temporary_file(self) -> BinaryIO:
        return scratch_file(self._tmp_dir, "stream", "the unit stream")

    def _write(self, piece: np.ndarray, handle: BinaryIO | None = None) -> None:
        append_array(handle or self._file, piece, self._tmp_dir, "the unit stream")

    def _move_to_disk(self) -> None:
        handle = self._temporary_file()
        for piece in self._in_memory():
            self._write(piece, handle)
        self._pieces, self._array, self._file, self._offset = [], None, handle, 0

    def _in_memory(self) -> list[np.ndarray]:
        return self._pieces if self._array is None else [self._array]

    def _widen(self) -> None:
        if self._file is None:
            self._pieces = [p.astype(np.uint32) for p in self._in_memory()]
            self._array = None
        else:
            handle = self._temporary_file()
            for window in self.chunks(READ_UNITS):
                self._write(window.astype(np.uint32), handle)
            self._file.close()
            self._file, self._offset = handle, 0
        self._dtype = np.dtype(np.uint32)

    # -- reading ---------------------------------------------------------------

    def __len__(self) -> int:
        return self._length

    @property
    def dtype(self) -> np.dtype:
        return self._dtype

    @property
    def spilled(self) -> bool:
        """True when the stream is read from disk."""
        return self._file is not None

    def __getitem__(self, where: slice) -> np.ndarray:
        start, stop, step = where.indices(self._length)
        if step != 1:
            raise IndexError("a unit stream is read by contiguous slices")
        if self._file is None:
            if self._array is None:
                self._array = np.concatenate(self._pieces) if self._pieces else np.zeros(0, self._dtype)
                self._pieces = []
            return self._array[start:stop]
        count = max(0, stop - start)
        self._file.seek(self._offset + start * self._dtype.itemsize)
        data = np.fromfile(self._file, dtype=self._dtype, count=count)
        if len(data) != count:
            raise InputError(f"{getattr(self._file, 'name', 'unit stream')}: the unit stream is short; "
                             "was the file changed while it was read?")
        return data

    def chunks(self, units: int = READ_UNITS) -> Iterator[np.ndarray]:
        """The stream in consecutive pieces of at most ``units`` ids."""
        for start in range(0, self._length, units):
            yield self[start : start + units]

    def windows(self, units: int) -> Iterator[np.ndarray]:
        """Consecutive windows of about ``units`` ids, each ending just after a boundary (0).

        No run of units is cut between windows, so every n-gram and word lies in
        one window. A window grows past ``units`` only over a run longer than that.
        """
        start = 0
        while start < self._length:
            stop = min(self._length, start + units)
            window = self[start:stop]
            while stop < self._length:
                zeros = np.flatnonzero(window == 0)
                if len(zeros):
                    window = window[: zeros[-1] + 1]
                    break
                stop = min(self._length, stop + units)
                window = self[start:stop]
            yield window
            start += len(window)

    def to_array(self) -> np.ndarray:
        """The whole stream in memory (for small corpora and tests)."""
        return self[0 : self._length]

    def __getstate__(self) -> dict:
        # Sent to another process (a Dask worker's result): the ids travel, not the file.
        return {"ids": self.to_array()}

    def __setstate__(self, state: dict) -> None:
        self.__init__()
        other = UnitStream.of_array(state["ids"])
        self.__dict__.update(other.__dict__)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
