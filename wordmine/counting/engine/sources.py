"""Text sources counted within the memory budget: what every command and API function counts from.

A *source* is a path (``-`` is standard input), an iterable of text lines or
an open text file; a count file among them is read instead of counted. What
is kept of the merged counts is a reducer's choice (see
``wordmine.counting.reducers.reduced.TableReducer``): the whole table, discovery's
pruning, learning's (:func:`learning_reducer`) or contrast's candidates; a
count file handed a reducer is read a range of first units at a time, so no
command holds a whole table it does not need.

>>> corpus = count_sources([["天天向上"]], 1, CountingOptions(jobs=1))
>>> corpus.total_units, len(corpus.vocab)
(4, 4)
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO, Union

from wordmine.budget import MemoryPlan, check_budget, default_jobs, default_memory
from wordmine.config import CountConfig, DiscoverConfig, auto_min_count
from wordmine.counting.engine.counter import count_text
from wordmine.counting.files.countfile import is_count_file, read_counts
from wordmine.counting.reducers.discovery import DiscoveryPruning
from wordmine.counting.reducers.reduced import TableReducer
from wordmine.counting.spill.runs import spill_error, spill_folder
from wordmine.counting.table.corpus import Corpus
from wordmine.errors import WordmineError
from wordmine.io.text import DEFAULT_BLOCK_BYTES, read_blocks, text_source
from wordmine.normalize import Vocabulary

#: What every function reads: a path, an iterable of text lines, or an open text file.
Source = Union[str, "os.PathLike[str]", Iterable[str], TextIO]


@dataclass(frozen=True)
class CountingOptions:
    """The counting options every function that reads text shares (see ``CountConfig``)."""

    memory: int | None = None
    jobs: int | None = None
    tmp_dir: str | None = None
    encoding: str = "utf-8"
    errors: str = "strict"
    """Undecodable bytes: ``strict`` (stop at the first), ``replace`` (U+FFFD) or ``skip``."""
    on_undecodable: Callable[[str, int], None] | None = field(default=None, compare=False)
    """Told ``(source name, bytes replaced or skipped)`` after each source that had any."""
    workers_after: int = 0
    """Units counted in this process before the workers start (``CountConfig.workers_after``):
    0 for an input whose size was known when ``jobs`` was capped by it."""

    def plan(self) -> MemoryPlan:
        """The shares of the budget (the machine's defaults for what is None) every stage reads."""
        return MemoryPlan.of(self.memory or default_memory(), self.jobs or default_jobs())

    def config(self, order: int, prune: bool = False, min_count: int | None = None) -> CountConfig:
        """The counter's config: the plan's budget, workers and chunk size."""
        plan = self.plan()
        return CountConfig(order=order, memory=plan.memory, jobs=plan.workers, chunk_units=plan.chunk_units,
                           tmp_dir=self.tmp_dir, prune=prune, min_count=min_count, workers_after=self.workers_after)

    def discovery(self, **thresholds: object) -> DiscoverConfig:
        """Discovery's config with ``thresholds`` (``DiscoverConfig``'s fields), its cut pass within the plan."""
        return DiscoverConfig(**thresholds, cut_fragments=self.plan().cut_fragments, tmp_dir=self.tmp_dir)


def _is_path(source: object) -> bool:
    return isinstance(source, (str, os.PathLike))


def text_blocks(sources: Iterable[Source], encoding: str = "utf-8",
                on_bytes: Callable[[int], None] | None = None, errors: str = "strict",
                on_undecodable: Callable[[str, int], None] | None = None,
                block_bytes: int = DEFAULT_BLOCK_BYTES) -> Iterator[str]:
    """The text of ``sources`` in blocks (of ``block_bytes`` from a file), every source ending with a line break.

    Paths are read and decoded in blocks (``-`` is standard input); an iterable
    of lines is taken as it is, a line break added to a line without one, so
    that no n-gram crosses from one line into the next.

    >>> list(text_blocks([["天地", "人\\n"], ["日月"]]))
    ['天地\\n', '人\\n', '日月\\n']
    """
    for source in sources:
        if _is_path(source):
            yield from read_blocks([text_source(os.fspath(source))], encoding, block_bytes, on_bytes=on_bytes,
                                   errors=errors, on_undecodable=on_undecodable)
            continue
        for line in source:
            yield line if line.endswith("\n") else line + "\n"


def count_sources(sources: list[Source], order: int, counting: CountingOptions,
                  on_bytes: Callable[[int], None] | None = None, for_discovery: bool = False,
                  min_count: int | None = None,
                  on_start: Callable[[str, list[int]], None] | None = None,
                  reduce: TableReducer | None = None, vocab: Vocabulary | None = None) -> Corpus:
    """Count text sources, or read the one count file among them.

    ``for_discovery``: text is counted keeping only what discovery at
    ``min_count`` (None: its default) needs, so that the tables stay small
    (see ``wordmine.counting.reducers.discovery``). ``on_start`` as for ``count_text``.
    ``reduce``: what the merged tables become (as for ``count_text``; e.g.
    :func:`learning_reducer`); ``vocab``: the vocabulary to fill, as for
    ``count_text``.

    A count file is loaded whole, unless ``for_discovery`` or ``reduce`` says
    what to keep of it: then it is read a range of first units at a time
    within the budget, and only that is kept (``wordmine.counting.files.countstream``).
    """
    count_files = [s for s in sources if _is_path(s) and is_count_file(os.fspath(s))]
    if count_files:
        if len(sources) > 1:
            raise ValueError("give one count file, or text sources, not both")
        if reduce is None and not for_discovery:
            return read_counts(os.fspath(count_files[0]))
        return reduce_count_file(os.fspath(count_files[0]), order, counting, reduce, min_count, vocab)
    config = counting.config(order, prune=for_discovery, min_count=min_count)
    sizes = [os.path.getsize(s) if _is_path(s) and os.fspath(s) != "-" else 0 for s in sources]
    check_budget(config.memory, sum(sizes))
    blocks = text_blocks(sources, counting.encoding, on_bytes, counting.errors, counting.on_undecodable)
    return count_text(blocks, config, vocab=vocab, on_start=on_start, reduce=reduce)


def reduce_count_file(path: str, order: int, counting: CountingOptions, reduce: TableReducer | None = None,
                      min_count: int | None = None, vocab: Vocabulary | None = None) -> Corpus:
    """A count file read a range of first units at a time, kept as ``reduce`` says.

    None: what discovery at ``min_count`` needs (its default: the one for the
    file's number of units), as when counting text for discovery, so that
    ``discover FILE.wmc`` gives what ``discover FILE.txt`` gives. A file
    pruned at some count (wordmine writes none, but says so in the header
    if it ever does) refuses a lower ``min_count``. ``vocab`` (empty) is given
    the file's units, in its order, for a reducer that encodes with it.
    """
    from wordmine.counting.files.countstream import open_counts  # here: text sources never need it

    count_file = open_counts(path)
    if vocab is not None:
        for unit in count_file.vocab.units[1:]:
            vocab.add(unit)
    kept_order = count_file.order
    if reduce is None:
        kept_order = min(order, count_file.order)  # a lower order than asked: discover says so
        wanted = min_count or auto_min_count(count_file.total_units)
        if count_file.pruned_at is not None and wanted < count_file.pruned_at:
            raise WordmineError(f"{path} holds only n-grams seen {count_file.pruned_at} times or more: "
                                f"give --min-count {count_file.pruned_at} or more")
        reduce = DiscoveryPruning(kept_order, min_count)
    folder = spill_folder(counting.tmp_dir)
    try:
        reduced = reduce(count_file.partitions(counting.plan().file_read), count_file.total_units, folder)
    except OSError as exc:
        raise spill_error(counting.tmp_dir, exc) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return count_file.corpus(reduced, kept_order)


def learning_reducer(plan: MemoryPlan) -> TableReducer:
    """What learning keeps of the counts under ``plan``: the whole table while it fits
    ``plan.learning_table``, else the n-grams at a count threshold with the statistics of the
    whole stream (see ``wordmine.counting.reducers.learning``)."""
    from wordmine.counting.reducers.learning import LearningPruning  # here: only learning needs it

    return LearningPruning(order=4, budget=plan.learning_table)
