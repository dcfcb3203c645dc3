"""Count files merged into one, a range of first units at a time.

``merge_corpora`` (:mod:`wordmine.counting.engine.corpusmerge`) loads every corpus and
merges whole tables. Here nothing is loaded whole. The units are named as
``merge_corpora`` names them (the first file's ids kept, each later file's new
units after them, in its order), so the result is the same file, byte for
byte:

1. the first file, whose ids stay, is read in place as a sorted run;
2. every later file whose ids change is read a range at a time, each range
   renamed (:func:`~wordmine.counting.table.ngrams.rekey`, which sorts it again in
   the new ids) and written out as a sorted run of its own;
3. all runs are merged a range of merged first units at a time
   (:func:`~wordmine.counting.spill.runs.merged_partitions`, more than its ``FAN_IN`` runs
   merged into fewer first) and each merged range
   appended to the output (:class:`~wordmine.counting.files.countstream.CountFileWriter`),
   with the unit streams renamed as they are copied.

>>> import tempfile
>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> from wordmine.counting.files.countfile import write_counts
>>> from wordmine.counting.engine.corpusmerge import merge_corpora
>>> scratch = tempfile.TemporaryDirectory()
>>> folder = scratch.name
>>> a, b = count_text(["天天向上"], CountConfig(order=1)), count_text(["上上下下"], CountConfig(order=1))
>>> write_counts(a, f"{folder}/a.wmc"); write_counts(b, f"{folder}/b.wmc")
>>> write_counts(merge_corpora([a, b]), f"{folder}/whole.wmc")
>>> merged = merge_count_files([f"{folder}/a.wmc", f"{folder}/b.wmc"], f"{folder}/ab.wmc", 64 << 10, folder)
>>> merged.units, open(f"{folder}/ab.wmc", "rb").read() == open(f"{folder}/whole.wmc", "rb").read()
(8, True)
>>> scratch.cleanup()
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from wordmine.budget import MemoryPlan
from wordmine.counting.files.countstream import CountFile, CountFileWriter, open_counts
from wordmine.counting.spill.runs import Run, merged_partitions, spill_error, spill_folder, write_run
from wordmine.counting.table.ngrams import bits_for, rekey
from wordmine.errors import WordmineError
from wordmine.normalize import Vocabulary


@dataclass
class Merged:
    """What was written: the number of units and of files merged."""

    units: int
    files: int


class _RenamedStreams:
    """The files' unit streams one after another, each renamed into the merged vocabulary."""

    def __init__(self, files: list[CountFile], maps: list[np.ndarray | None], dtype: np.dtype) -> None:
        self.files, self.maps, self.dtype = files, maps, np.dtype(dtype)

    def __len__(self) -> int:
        return sum(f.arrays["stream"].length for f in self.files)

    def pieces(self) -> Iterator[np.ndarray]:
        for count_file, id_map in zip(self.files, self.maps):
            stream = count_file.stream()
            try:
                for chunk in stream.chunks():
                    yield (chunk if id_map is None else id_map[chunk]).astype(self.dtype)
            finally:
                stream.close()


def merge_count_files(paths: list[str], output: str, memory: int, tmp_dir: str | None) -> Merged:
    """Merge the count files ``paths`` into ``output`` (atomically), within ``memory`` bytes of tables.

    The ranges read and merged take ``MemoryPlan.file_merge`` of it."""
    if not paths:
        raise WordmineError("nothing to merge")
    files = [open_counts(path) for path in paths]
    first = files[0]
    vocab = Vocabulary(first.vocab.units[1:])
    bits, maps = first.bits, [None]
    for count_file in files[1:]:
        if count_file.order != first.order:
            raise WordmineError(f"cannot merge counts of order {first.order + 1} with counts of order "
                                f"{count_file.order + 1}; count both with the same --order")
        id_map = np.array([0] + [vocab.add(unit) for unit in count_file.vocab.units[1:]], dtype=np.int64)
        bits = bits_for(len(vocab), min(bits, count_file.bits))
        maps.append(None if np.array_equal(id_map, np.arange(len(id_map))) else id_map)
    budget = MemoryPlan.of(memory).file_merge
    folder = spill_folder(tmp_dir)
    writer = CountFileWriter(tmp_dir)
    try:
        sources: list[CountFile | Run] = []
        for count_file, id_map in zip(files, maps):
            if id_map is None and count_file.bits == bits:
                sources.append(count_file)
                continue
            for part in count_file.partitions(budget):
                path = os.path.join(folder, f"renamed-{len(sources)}.bin")
                sources.append(write_run(rekey(part.table, bits, id_map), path))
        # More files (or renamed ranges) than runs.FAN_IN are merged into fewer first, in this folder.
        for part in merged_partitions(sources, budget, folder=folder):
            writer.add(part.table)
        # One file is written back as it was; joined streams take 4 bytes an id once the vocabulary needs them.
        dtype = first.arrays["stream"].dtype if len(files) == 1 else (
            np.uint32 if len(vocab) > 1 << 16 else np.uint16)
        writer.finish(output, vocab, first.order, _RenamedStreams(files, maps, dtype))
    except OSError as exc:
        raise spill_error(tmp_dir, exc) from None
    finally:
        writer.close()
        shutil.rmtree(folder, ignore_errors=True)
    return Merged(int(writer.units[1].sum()), len(files))
