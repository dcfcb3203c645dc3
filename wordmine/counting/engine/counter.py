"""The streaming n-gram counter.

The unit stream is cut into chunks of about ``chunk_units`` units, each
counted exactly by one sort of per-position records (:mod:`wordmine.counting.engine.chunkcount`).

Chunk tables are merged like a binary counter (two tables of the same level
merge into one of the next), so each count is merged about log2(chunks) times.
When a counter's tables outgrow ``MemoryPlan.spill_at`` (all workers together, a
quarter of the memory budget) they are merged and spilled to a temporary folder;
the spilled runs are merged at the end within ``MemoryPlan.merge_block``.

>>> from wordmine.config import CountConfig
>>> corpus = count_text(["天天向上，天天"], CountConfig(order=1))
>>> [corpus.vocab.unit(i) for i in corpus.counts.decode(2, [0])[0]]
['天', '天']
>>> corpus.counts.counts[1].tolist(), corpus.counts.total
([2, 1, 1], 6)
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

import numpy as np

from wordmine.config import CountConfig
from wordmine.counting.engine.chunkcount import count_chunk
from wordmine.counting.reducers.discovery import DiscoveryPruning
from wordmine.counting.reducers.reduced import TableReducer, whole_table
from wordmine.counting.spill.runs import (
    Partition,
    Run,
    merged_partitions,
    read_slice,
    spill_error,
    spill_folder,
    write_run,
)
from wordmine.counting.table.corpus import Corpus
from wordmine.counting.table.ngrams import NgramTable, bits_for, merge_two_tables, widen
from wordmine.errors import WordmineError
from wordmine.normalize import Vocabulary
from wordmine.parallel import die_with_parent, release_signals, signals_held
from wordmine.unitstream import UnitStream


class _RunStack:
    """Chunk tables merged like a binary counter, spilled to disk as sorted runs past a budget.

    The runs go to ``folder`` (made and removed by :func:`count_text`), named by
    process, so workers share it.
    """

    def __init__(self, spill_at: int, folder: str, bits: int) -> None:
        self.bits = bits
        self.levels: list[NgramTable | None] = []
        self.spilled: list[Run] = []
        self.spill_at = spill_at
        self.folder = folder

    def push(self, table: NgramTable) -> None:
        if table.bits > self.bits:
            self.widen(table.bits)
        level = 0
        while level < len(self.levels) and self.levels[level] is not None:
            table = merge_two_tables(self.levels[level], table, consume=True)
            self.levels[level] = None
            level += 1
        if level == len(self.levels):
            self.levels.append(None)
        self.levels[level] = table
        # Spill at half this counter's part of the tables (MemoryPlan.spill_at): merging the
        # levels into one run needs room for the result beside them.
        if self.memory_bytes() > self.spill_at:
            self.spill()

    def memory_bytes(self) -> int:
        return sum(t.nbytes for t in self.levels if t is not None)

    def _collapse(self) -> NgramTable | None:
        merged = None
        for table in self.levels:
            if table is not None:
                merged = table if merged is None else merge_two_tables(merged, table, consume=True)
        self.levels = []
        return merged

    def spill_levels(self) -> None:
        """Write each table in memory as a sorted run of its own, unmerged: the final merge reads
        every run a range at a time anyway, and merges them all in one pass."""
        for table in self.levels:
            if table is not None:
                path = os.path.join(self.folder, f"run-{os.getpid()}-{len(self.spilled)}.bin")
                try:
                    self.spilled.append(_write_run(table, path))
                except OSError as exc:
                    raise spill_error(self.folder, exc) from None
        self.levels = []

    def spill(self) -> None:
        """Merge the tables in memory into one sorted run on disk."""
        merged = self._collapse()
        if merged is None:
            return
        path = os.path.join(self.folder, f"run-{os.getpid()}-{len(self.spilled)}.bin")
        try:
            self.spilled.append(_write_run(merged, path))
        except OSError as exc:
            raise spill_error(self.folder, exc) from None

    def in_memory(self) -> NgramTable | None:
        """The whole table, when nothing was spilled (None otherwise)."""
        return None if self.spilled else self._collapse()

    def widen(self, bits: int) -> None:
        self.bits = bits
        self.levels = [None if t is None else widen(t, bits) for t in self.levels]
        try:
            self.spilled = [_write_run(widen(read_slice(run, 0, 1 << 32), bits), run.path)
                            for run in self.spilled]
        except OSError as exc:
            raise spill_error(self.folder, exc) from None


def _write_run(table: NgramTable, path: str) -> Run:
    """write_run, behind a name the tests can replace to simulate a full disk."""
    return write_run(table, path)


class _Chunker:
    """Cuts the unit stream into chunks, each with the look-ahead its n-grams need."""

    def __init__(self, max_order: int, chunk_units: int) -> None:
        self.lookahead = max_order - 1
        self.chunk_units = chunk_units
        self.pending: list[np.ndarray] = []
        self.pending_units = 0
        self.carry = np.zeros(0, np.uint32)

    def add(self, ids: np.ndarray) -> bool:
        """Queue ids; True when a chunk is ready to be taken."""
        self.pending.append(ids)
        self.pending_units += len(ids)
        return self.pending_units >= self.chunk_units

    def take(self, final: bool) -> Iterator[tuple[np.ndarray, int]]:
        """Chunks of about ``chunk_units`` ids, and how many positions of each to count now."""
        ids = np.concatenate([self.carry, *self.pending])
        self.pending, self.pending_units = [], 0
        begin = 0
        while len(ids) - begin >= self.chunk_units + self.lookahead:
            end = begin + self.chunk_units + self.lookahead
            yield ids[begin:end], self.chunk_units
            begin += self.chunk_units
        ids = ids[begin:]
        stop = len(ids) if final else max(0, len(ids) - self.lookahead)
        self.carry = ids[stop:]
        if stop:
            yield ids, stop


class _Tally(NamedTuple):
    """What a counter hands over: the whole table while it fit in memory, else sorted runs on disk."""

    table: NgramTable | None
    runs: list[Run]
    spilled: int


class _InProcess:
    """Counts chunks here, one after another (``--jobs 1``)."""

    def __init__(self, max_order: int, spill_at: int, folder: str, bits: int) -> None:
        self.max_order = max_order
        self.runs = _RunStack(spill_at, folder, bits)

    def add(self, ids: np.ndarray, stop: int, bits: int) -> None:
        self.runs.push(count_chunk(ids, stop, self.max_order, bits))

    def result(self, on_disk: bool = False) -> _Tally:
        """The table in memory if nothing was spilled (and not ``on_disk``), else every run on disk.

        ``on_disk`` (a worker handing its tables over): its levels are written as they are, not
        merged into one run first. The parent merges every worker's runs in one pass, a range at a
        time on every core, once all have finished; a worker's own last merge would run while the
        other cores wait for the slowest worker.
        """
        spilled = len(self.runs.spilled)
        if not on_disk and not spilled:
            table = self.runs.in_memory()
            return _Tally(table if table is not None else NgramTable.empty(self.runs.bits, self.max_order),
                          [], 0)
        if on_disk:
            self.runs.spill_levels()
        else:
            self.runs.spill()
        return _Tally(None, list(self.runs.spilled), spilled)

    def close(self) -> None:
        pass  # the runs are in the folder of count_text, which removes it


def _count_worker(inbox, outbox, max_order: int, spill_at: int, folder: str, bits: int, parent: int) -> None:
    """A worker process: counts and merges its share of chunks, then hands its runs over."""
    # Stopped by the parent with SIGTERM, a worker just ends: the parent removes the spill folder.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)
    release_signals()  # held by the parent while it forked
    counter = _InProcess(max_order, spill_at, folder, bits)
    try:
        for ids, stop, chunk_bits in iter(inbox.get, None):
            counter.add(ids, stop, chunk_bits)
        # Its last tables go to disk as a run too: the parent merges all runs a
        # range of first units at a time, never two whole tables.
        outbox.put(("ok", counter.result(on_disk=True), 0))
    except KeyboardInterrupt:
        outbox.cancel_join_thread()  # the parent is stopping too; nobody will read
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        outbox.put(("error", exc, 0))


class _Workers:
    """Chunks taken by whichever worker process is free; each worker keeps its own tables.

    This process only reads and encodes; the workers count and merge, and their
    tables are merged once at the end. One shared inbox holds at most two
    chunks a worker, so reading never runs far ahead of counting, and a worker
    busy with a long merge never holds up the others (dealing round-robin left
    one core idle whenever the other worker merged). Counts are exact sums, so
    which worker counted which chunk does not change the result.
    """

    def __init__(self, jobs: int, max_order: int, spill_at: int, tmp_dir: str | None, bits: int) -> None:
        import multiprocessing  # here: a run in one process (most small inputs) never pays for its import

        # fork shares the loaded modules; the workers run only numpy code.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        context = multiprocessing.get_context(method)
        self.inbox = context.Queue(maxsize=2 * jobs)
        self.outbox = context.Queue()
        self.processes = [
            context.Process(target=_count_worker, args=(self.inbox, self.outbox, max_order, spill_at, tmp_dir,
                                                        bits, os.getpid()), daemon=True)
            for _ in range(jobs)
        ]
        try:
            with signals_held():
                for process in self.processes:
                    process.start()
        except BaseException:  # a signal held during the forks arrives here: stop the workers just made
            self.close()
            raise
        self.max_order = max_order

    def _check_alive(self) -> None:
        for process in self.processes:
            if process.exitcode not in (None, 0):
                raise WordmineError(
                    f"a counting worker died (exit code {process.exitcode}); if memory ran out, "
                    "give a smaller --memory or --jobs 1"
                )

    def add(self, ids: np.ndarray, stop: int, bits: int) -> None:
        if bits <= 16:
            ids = ids.astype(np.uint16)  # every id fits: half the bytes to pickle and pipe
        while True:
            try:
                self.inbox.put((ids, stop, bits), timeout=1.0)
                return
            except queue.Full:
                self._check_alive()

    def result(self) -> _Tally:
        for _ in self.processes:
            self.inbox.put(None)
        runs: list[Run] = []
        handed = spilled = 0
        while handed < len(self.processes):
            try:
                status, payload, _ = self.outbox.get(timeout=1.0)
            except queue.Empty:
                self._check_alive()
                continue
            if status == "error":
                raise payload
            handed += 1
            runs += payload.runs
            spilled += payload.spilled
        # Merge only once every worker is gone: their memory is free for it.
        for process in self.processes:
            process.join()
        return _Tally(None, runs, spilled)

    def close(self) -> None:
        # Chunks still buffered for a worker that will never read them must not
        # hold this process at exit (after Ctrl-C or an error).
        self.inbox.cancel_join_thread()
        for process in self.processes:
            if process.pid is None:  # never started: stopped while the others were forked
                continue
            if process.is_alive():
                process.terminate()
            process.join()


class _HandedOver:
    """Counting that began in this process and goes on in workers: the input of unknown size
    turned out large enough for them (``CountConfig.workers_after``).

    What this process counted becomes sorted runs on disk, beside the workers' own, and all
    are merged as any workers' runs are: the counts are the same sums either way.
    """

    def __init__(self, begun: _InProcess, workers: _Workers) -> None:
        self.workers = workers
        try:
            self.begun = begun.result(on_disk=True)  # to disk now: the workers get the memory
        except BaseException:
            workers.close()
            raise
        self.processes = workers.processes

    def add(self, ids: np.ndarray, stop: int, bits: int) -> None:
        self.workers.add(ids, stop, bits)

    def result(self) -> _Tally:
        handed = self.workers.result()
        return _Tally(None, self.begun.runs + handed.runs, self.begun.spilled + handed.spilled)

    def close(self) -> None:
        self.workers.close()


def count_text(
    blocks: Iterable[str],
    config: CountConfig,
    vocab: Vocabulary | None = None,
    on_start: Callable[[str, list[int]], None] | None = None,
    reduce: TableReducer | None = None,
) -> Corpus:
    """Count every n-gram of orders ``1..config.order + 1`` in the text blocks.

    With ``config.jobs > 1`` chunks are counted in worker processes while this
    process reads and encodes: from the start, or, with ``config.workers_after``,
    once that many units have been read (what was counted here until then joins
    the workers' runs); the result does not depend on either.
    ``on_start(spill_folder, worker_pids)`` is told, once both exist, where
    runs will spill and which processes count (none with one job, nor for an
    input that ended before ``workers_after``).

    ``reduce`` decides what the merged table becomes: it is handed the merged
    partitions (in key order, a range of first units each, never the whole
    table at once), the number of units and a scratch folder removed
    afterwards, and returns the :class:`Reduced` tables the corpus keeps.
    None: discovery's pruning when ``config.prune``, else the whole table.
    """
    vocab = vocab if vocab is not None else Vocabulary()
    max_order = config.order + 1
    bits = config.bits
    plan = config.plan
    chunker = _Chunker(max_order, plan.chunk_units)
    stream = UnitStream(plan.stream_buffer, config.tmp_dir)
    # One folder for every spilled run of this count, removed at the end whatever
    # happens, even if a worker is stopped before it can clean up after itself.
    run_dir = spill_folder(config.tmp_dir)
    units = 0
    counter: _Workers | _InProcess | _HandedOver | None = None
    # Workers start at once, or (config.workers_after) once the input has proved large enough
    # to be counted faster by them; until then, and for a smaller input, this process counts.
    waiting = plan.workers > 1 and config.workers_after > 0
    try:
        if plan.workers > 1 and not waiting:
            counter = _Workers(plan.workers, max_order, plan.spill_at, run_dir, bits)
        else:
            counter = _InProcess(max_order, plan.spill_at, run_dir, bits)
        if on_start is not None and not waiting:
            on_start(run_dir, [process.pid for process in getattr(counter, "processes", [])])
        for text in blocks:
            ids = vocab.encode(text)
            units += int(np.count_nonzero(ids))
            # The stream is kept for later passes: two bytes a unit while ids fit.
            stream.append(ids, wide=len(vocab) > 1 << 16)
            if waiting and units > config.workers_after:
                waiting = False
                counter = _HandedOver(counter, _Workers(plan.workers, max_order, plan.spill_at, run_dir, bits))
                if on_start is not None:
                    on_start(run_dir, [process.pid for process in counter.workers.processes])
            if chunker.add(ids):
                bits = bits_for(len(vocab), bits)
                for chunk, stop in chunker.take(final=False):
                    counter.add(chunk, stop, bits)
        if waiting and on_start is not None:  # the whole input was read: it is counted here
            on_start(run_dir, [])
        bits = bits_for(len(vocab), bits)
        for chunk, stop in chunker.take(final=True):
            counter.add(chunk, stop, bits)
        tally = counter.result()
        if tally.table is None and not tally.runs:  # nothing was counted
            tally = _Tally(NgramTable.empty(bits, max_order), [], 0)
        if reduce is None:
            reduce = DiscoveryPruning(config.order, config.min_count) if config.prune else whole_table
        if tally.table is not None:
            partitions: Iterable[Partition] = [Partition((0, len(vocab) + 1), tally.table)]
        else:
            partitions = merged_partitions(tally.runs, plan.merge_block, threads=plan.workers, folder=run_dir)
        try:
            reduced = reduce(partitions, units, run_dir)
        except OSError as exc:  # reading the runs back, or writing the reducer's own files
            raise spill_error(config.tmp_dir, exc) from None
        return reduced.corpus(vocab, stream, config.order, tally.spilled)
    finally:
        if counter is not None:
            counter.close()
        shutil.rmtree(run_dir, ignore_errors=True)

