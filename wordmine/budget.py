"""One memory budget, planned once: what every stage may take of ``--memory``.

``--memory`` is one number; counting, merging, listing, learning and the heap
each need a part of it. :class:`MemoryPlan` turns the budget and ``--jobs``
into every part at once, the way KenLM's ``lmplz`` turns its one ``-S`` into a
pipeline plan (``PipelineConfig`` in kpu/kenlm, ``lm/builder/pipeline.hh``;
Heafield et al., Scalable Modified Kneser-Ney Language Model Estimation, 2013,
https://aclanthology.org/P13-2121). Each field says what it is for and what
it costs; the stages read their field and divide nothing themselves (a test
greps the package for a budget divided anywhere else).

A worked example: 1 GiB and two jobs.

>>> plan = MemoryPlan.of(1 << 30, jobs=2)
>>> plan.workers, plan.chunk_units
(2, 2097152)
>>> [getattr(plan, name) >> 20 for name in ("count_tables", "spill_at", "merge_block", "stream_buffer")]
[512, 128, 512, 64]
>>> [getattr(plan, name) >> 20 for name in ("learning_table", "learning_pruned", "crf_share")]
[64, 32, 256]
>>> plan.heap_keep, plan.crf_units, plan.rank_block_rows, plan.witness_strings
(22369621, 1048576, 1048576, 16384)

Two workers share the half of the budget that holds count tables, 256 MiB
each, and each spills its tables to disk past half of its part (so all the
tables together spill past a quarter of the budget): collapsing them into one
run needs the merged table beside them.

What is not in the plan: the fixed cost of a process (Python, numpy and one
chunk's sort, about 270 MB resident, :data:`WORKER_BYTES` a worker), and
working sets of a fixed number of rows (``BLOCK_ROWS``, ``WINDOW_UNITS`` and
the like in the modules that own them), which do not grow with the budget.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from wordmine.errors import WordmineError


def machine_memory() -> int:
    """Physical memory in bytes (1 GiB when the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 1 << 30


def installed_memory() -> int | None:
    """Physical memory in bytes as the system says it (``MemTotal`` of /proc/meminfo, else sysconf), or None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def check_installed(memory: int, installed: int | None = None) -> int:
    """``memory`` as a budget, refused (ValueError) when it is more than the machine's physical memory.

    A budget the machine cannot give is spent in swap, or ends with the
    kernel's out-of-memory killer, long after the run started; said at once,
    it costs nothing. ``installed`` defaults to :func:`installed_memory`; when
    the system does not say, any budget is taken.

    >>> check_installed(2 << 30, installed=8 << 30)
    2147483648
    >>> check_installed(1 << 40, installed=8 << 30)
    Traceback (most recent call last):
    ValueError: 1T is more than this machine's memory (8G): give at most 8G, or leave --memory out (a quarter of it)
    """
    installed = installed_memory() if installed is None else installed
    if installed is not None and memory > installed:
        raise ValueError(f"{format_size(memory)} is more than this machine's memory ({format_size(installed)}): "
                         f"give at most {format_size(installed)}, or leave --memory out (a quarter of it)")
    return memory


def default_memory() -> int:
    """A quarter of the machine's memory, at least 256 MiB."""
    return max(256 << 20, machine_memory() // 4)


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity, where the system tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def format_size(n: int) -> str:
    """A byte count the way --memory takes it, to three digits.

    >>> format_size(6 << 30), format_size(500 << 20), format_size(int(5.9 * 2**30)), format_size(1000)
    ('6G', '500M', '5.9G', '1000')
    """
    for unit, shift in (("T", 40), ("G", 30), ("M", 20), ("k", 10)):
        if n >= 1 << shift:
            return f"{n / (1 << shift):.3g}{unit}"
    return str(n)


def parse_size(text: str) -> int:
    """Bytes in a size such as ``500M``, ``2G``, ``64k`` or ``123456``.

    >>> parse_size("500M"), parse_size("2g"), parse_size("1024")
    (524288000, 2147483648, 1024)
    """
    units = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    body = text.strip().lower().removesuffix("b").removesuffix("i")
    suffix = body[-1:] if body[-1:] in units else ""
    number = body[: len(body) - len(suffix)]
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"not a size: {text!r} (try 500M or 2G)") from None
    if value <= 0 or not math.isfinite(value):
        raise ValueError(f"not a size: {text!r} (try 500M or 2G)")
    return int(value * units[suffix])


#: The least --memory that counting a large input can keep to: the fixed working set of a
#: chunk's sort (2 M units, a record per order), the reading buffers, Python and numpy.
MIN_MEMORY = 100 << 20
#: Inputs up to this size (about one chunk of text) are counted under any budget.
SMALL_INPUT_BYTES = 8 << 20

MIN_BUDGET = 64 << 10
"""The smallest --memory taken at all (a usage error below it), the floor of ``CountConfig``: a
small text can be counted, spilling, in 64 KiB of tables (its fixed cost, Python, numpy and one
chunk's sort, about 270 MB resident, is not in any budget); a large one needs
:data:`MIN_MEMORY` (see :func:`check_budget`)."""


def check_budget(memory: int, input_bytes: int) -> None:
    """Refuse, before any work, a budget below what counting ``input_bytes`` of text needs.

    >>> check_budget(50 << 20, 1 << 30)
    Traceback (most recent call last):
    ...
    wordmine.errors.WordmineError: --memory 50M is too small to count 1.07 GB of text: give --memory 100M or more
    >>> check_budget(50 << 20, 1 << 20)  # a small input fits any budget
    """
    if memory < MIN_MEMORY and input_bytes > SMALL_INPUT_BYTES:
        raise WordmineError(f"--memory {format_size(memory)} is too small to count {input_bytes / 1e9:.3g} GB of "
                            f"text: give --memory {format_size(MIN_MEMORY)} or more")


#: Counting starts worker processes only for an input larger than this, one per this much begun
#: (:func:`capped_jobs`). Below it one process counts faster. Workers cost CPU time at any size
#: (their start, every chunk handed over through a pipe, their tables written to disk as runs and
#: merged back from there instead of staying in memory), and they win it back in time only while
#: they count several chunks of 2 M units at once: the last chunk read is counted while this
#: process waits, and the merge of the runs waits for the last worker. One process against two
#: workers, ``count`` and ``discover`` on laws and on mixed everyday text: on an input of one
#: chunk two workers never win; from two chunks they may on an idle machine (by the CPU time
#: each process spent), by less than their extra CPU time until about three chunks, and on a
#: busy machine one process still won at twice this. Set at about three chunks of Chinese text;
#: the measurements are in docs/notes/2026-12-06-startup.md.
WORKER_INPUT_BYTES = 16 << 20
#: The cut-over for text of unknown size (standard input, lines given to the API), in units
#: counted: Chinese text has about one unit (a Han character) per three bytes of UTF-8. Such
#: text is counted in this process until it passes this, then by workers.
WORKER_INPUT_UNITS = WORKER_INPUT_BYTES // 3


def capped_jobs(jobs: int, input_bytes: int | None, cores: int | None = None) -> int:
    """Worker processes worth starting: no more than ``cores`` (default: this process's) and, for an
    input of known size, one per :data:`WORKER_INPUT_BYTES` begun.

    ``--jobs 64`` on a 2.6 MB file counts in one process, and on two cores never in more than two.

    >>> capped_jobs(64, 2_600_000, cores=2), capped_jobs(64, 3 * WORKER_INPUT_BYTES, cores=8)
    (1, 3)
    >>> capped_jobs(3, None, cores=2)  # unknown size: see WORKER_INPUT_UNITS
    2
    """
    cap = min(jobs, cores or default_jobs())
    if input_bytes is not None:
        cap = min(cap, -(-input_bytes // WORKER_INPUT_BYTES))
    return max(1, cap)


#: What a counting worker costs whatever its share of the budget: its own Python and numpy,
#: and the arrays of one chunk's sort (its measurement is in docs/notes/).
WORKER_BYTES = 240 << 20
#: Bytes of budget per unit of a chunk: a chunk's arrays take about 64 bytes a unit.
CHUNK_BYTES_PER_UNIT = 128
#: At most this much free memory at the top of the heap is kept by a process for the next chunk
#: (``wordmine.counting.engine.heap``).
KEEP_FREE_BYTES = 128 << 20
#: What learning the CRF costs per unit of text it learns from: its features, tags and
#: statistics (measured on a few MB of text, less the fixed cost of Python, numpy and the
#: character model; the measurement is in docs/notes/).
CRF_BYTES_PER_UNIT = 256
#: Bytes a row of ``wordmine count``'s listing takes while a block of rows is decoded.
RANK_ROW_BYTES = 64
#: Bytes a string tested by ``--new-only``'s second witness (``wordmine.mining.surprise``) may take:
#: its row among the chosen candidates (count, row, code points), its text, jieba's split of it
#: kept in a cache, and its figures (about 400 bytes measured, in docs/notes/; rounded up).
WITNESS_STRING_BYTES = 1 << 10
#: The second witness tests at least this many strings, whatever the budget.
MIN_WITNESS_STRINGS = 1 << 10


#: The slices a merge reads for one range take this share of its block: merging them needs the
#: merged range beside them.
SLICE_SHARE = 5


def slice_bytes(block: int, threads: int = 1) -> int:
    """Bytes of slices one range of a merge within ``block`` may read, with ``threads`` ranges merged
    side by side: a fifth of the block each (:data:`SLICE_SHARE`), at least one byte.

    >>> slice_bytes(500 << 20) >> 20, slice_bytes(500 << 20, threads=2) >> 20
    (100, 50)
    """
    return max(block // (SLICE_SHARE * threads), 1)


def pruned_bytes(table_bytes: int) -> int:
    """What learning's pruned counts aim at once they outgrow ``table_bytes``: half of it.

    The threshold is set so the kept rows fill half their share, leaving room for
    the rows of the ranges still to come before it has to rise again
    (``wordmine.counting.reducers.learning``).

    >>> pruned_bytes(100)
    50
    """
    return table_bytes // 2


@dataclass(frozen=True)
class MemoryPlan:
    """Every stage's share of one memory budget, in bytes unless the name says otherwise.

    Made by :meth:`of`, from ``--memory`` and ``--jobs``; frozen, so a stage
    cannot grow its share on the way.
    """

    memory: int
    """The budget, ``--memory``: the parts below, not the fixed cost of each process."""
    jobs: int
    """Processes asked for, ``--jobs`` (counting, segmenting)."""
    workers: int
    """Counting worker processes: one per :data:`WORKER_BYTES` of the budget, at least one, at
    most ``jobs``. Each costs :data:`WORKER_BYTES` beyond the shares below (its own Python and
    numpy, one chunk's sort). One worker counts in this process."""
    chunk_units: int
    """Units counted by one sort: 2 M (a sort that stays cache-friendly and keeps two cores
    busy), fewer under a budget below 256 MiB, at least 64 k. A chunk's arrays take about 64
    bytes a unit, 128 MiB at 2 M, freed before the next chunk."""
    count_tables: int
    """Counting's tables in memory, all workers together: half the budget, an equal part a
    worker (``wordmine.counting.engine.counter``)."""
    spill_at: int
    """A worker's tables (with one worker, this process's) are merged and written to disk as one
    sorted run once they pass this: half its part of ``count_tables``, because the merged run is
    built beside them. All workers together: a quarter of the budget."""
    merge_block: int
    """The spilled runs are merged, at the end of counting, a range of first units at a time
    within this: half the budget (the workers are gone by then). The slices read take a fifth
    of it per thread (:func:`slice_bytes`), the merged range the rest."""
    file_read: int
    """A count file read a range of first units at a time for a reducer (``discover FILE.wmc``,
    ``learn``, ``contrast``): half the budget, as ``merge_block``."""
    file_merge: int
    """``wordmine merge``: the ranges of count files renamed to the merged vocabulary, and the
    merge of the files, each within this: half the budget."""
    stream_buffer: int
    """The unit stream (the corpus as ids, which later passes read) is kept in memory up to this,
    then moves to an unlinked temporary file: a sixteenth of the budget, at most 256 MiB. Read
    in order, on disk it costs one sequential pass per use."""
    heap_keep: int
    """Freed memory each process keeps in its heap for the next chunk instead of handing it back
    (``wordmine.counting.engine.heap``): a sixteenth of the budget shared by this process and
    ``jobs`` workers, at most :data:`KEEP_FREE_BYTES` a process. Counted from ``jobs``, not
    ``workers``."""
    learning_table: int
    """The counts ``learn`` keeps: the whole table while it fits this, else the n-grams above a
    count threshold (``wordmine.counting.reducers.learning``): a sixteenth of the budget, because
    the character model learned from them holds about ten times the table's bytes while
    Kneser-Ney runs, and the CRF takes ``crf_share`` beside it."""
    learning_pruned: int
    """Once the learning table outgrows ``learning_table``, the threshold is set so its kept rows
    fill at most this: half of it (:func:`pruned_bytes`)."""
    crf_share: int
    """What learning the CRF may take: a quarter of the budget, because the counts and the
    character model it learns beside are still in memory (with the CRF at its full 4 M units
    beside the count table, learning on 1 GB under --memory 2G passed the budget)."""
    crf_units: int
    """Units of text the CRF learns from: ``crf_share`` at :data:`CRF_BYTES_PER_UNIT` (at most
    ``CRFConfig.max_units``, at least one, applied by the learner)."""
    rank_block_rows: int
    """Rows ``wordmine count`` decodes to text at a time: a sixteenth of the budget at
    :data:`RANK_ROW_BYTES` a row, at least 1024."""
    cut_fragments: int
    """Occurrences of long fragments (longer than the n-gram tables' keys) that discovery's cut pass
    holds before it writes them to ``--tmp-dir``, sorted by first unit, and then counts a range of
    first units at a time within the same bytes (``wordmine.mining.longfragments``): a
    thirty-second of the budget. They grow with the corpus, not with its vocabulary; writing
    them copies them twice, so the pass takes about a tenth of the budget beside the kept tables."""
    witness_strings: int
    """Strings under the cohesion bar that ``--new-only``'s second witness tests against jieba's
    model (``wordmine.mining.surprise``), the most frequent first: a sixty-fourth of the budget at
    :data:`WITNESS_STRING_BYTES` a string, at least :data:`MIN_WITNESS_STRINGS`. It runs once the
    counts are whole, beside discovery's own working set; its time is about that of jieba
    splitting this many strings, whatever the size of the corpus."""

    @classmethod
    def of(cls, memory: int, jobs: int = 1, *, workers: int | None = None,
           chunk_units: int | None = None) -> MemoryPlan:
        """The plan of ``memory`` bytes and ``jobs`` processes.

        ``workers`` and ``chunk_units``, when given, are taken as they are instead of
        planned: a ``CountConfig`` built by hand (tests that force the merge paths) says them.

        >>> small = MemoryPlan.of(100 << 20, jobs=2)
        >>> small.workers, small.chunk_units, small.spill_at >> 20
        (1, 819200, 25)
        """
        workers = max(1, min(jobs, memory // WORKER_BYTES) if workers is None else workers)
        if chunk_units is None:
            chunk_units = min(1 << 21, max(1 << 16, memory // CHUNK_BYTES_PER_UNIT))
        count_tables = memory // 2
        processes = jobs + 1 if jobs > 1 else 1
        learning_table = memory // 16
        crf_share = memory // 4
        return cls(
            memory=memory,
            jobs=jobs,
            workers=workers,
            chunk_units=chunk_units,
            count_tables=count_tables,
            spill_at=count_tables // workers // 2,
            merge_block=memory // 2,
            file_read=memory // 2,
            file_merge=memory // 2,
            stream_buffer=min(memory // 16, 256 << 20),
            heap_keep=min(KEEP_FREE_BYTES, memory // 16 // processes),
            learning_table=learning_table,
            learning_pruned=pruned_bytes(learning_table),
            crf_share=crf_share,
            crf_units=crf_share // CRF_BYTES_PER_UNIT,
            rank_block_rows=max(memory // 16 // RANK_ROW_BYTES, 1024),
            cut_fragments=memory // 32,
            witness_strings=max(memory // 64 // WITNESS_STRING_BYTES, MIN_WITNESS_STRINGS),
        )
