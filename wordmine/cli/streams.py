"""Where the command line's data goes and comes from: stdout or -o, inputs counted with a progress bar."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import TextIO

import click

from wordmine.api import Counting, count_sources
from wordmine.cli.options import Input, progress, with_counting
from wordmine.config import format_size
from wordmine.counting.engine.heap import freed_arrays_kept, keep_budget
from wordmine.counting.files.countfile import is_count_file
from wordmine.counting.reducers.reduced import TableReducer
from wordmine.counting.table.corpus import Corpus
from wordmine.errors import OutputError
from wordmine.io.text import WRITE_ERRNOS, atomic_output, replayable, text_source


class PipeClosed(Exception):
    """The reader of stdout went away (wordmine ... | head); not an error."""


def quiet_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's final flush cannot fail again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@contextlib.contextmanager
def text_output(output: str | None) -> Iterator[TextIO]:
    """-o FILE written atomically, or stdout; a closed stdout ends the run quietly, a full one with one line."""
    if output and output != "-":
        with atomic_output(output) as handle:
            yield handle
        return
    try:
        yield sys.stdout
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()
        raise PipeClosed() from None
    except OSError as exc:
        if exc.errno not in WRITE_ERRNOS:
            raise
        quiet_stdout()
        raise OutputError(f"<stdout>: cannot write: {exc.strerror}") from None


def say_counted(inputs_read: Input, corpus: Corpus) -> None:
    inputs_read.say(f"read {corpus.total_units:,} units, {len(corpus.vocab) - 1:,} distinct")


def say_budget(inputs_read: Input, counting: Counting) -> None:
    inputs_read.say(f"memory budget {format_size(counting.memory)} (--memory), {counting.jobs} worker"
                    f"{'s' if counting.jobs > 1 else ''} (--jobs); spilling to "
                    f"{counting.tmp_dir or tempfile.gettempdir()}")


def say_counting(inputs_read: Input, counting: Counting, spill_folder: str, workers: list[int]) -> None:
    """The budget line, said once counting has started: the workers that count and the folder this run
    spills to (named for it, so that a folder left by a killed run is recognisable)."""
    who = f"worker processes {' '.join(map(str, workers))}" if workers else "counting in this process"
    inputs_read.say(f"memory budget {format_size(counting.memory)} (--memory), {max(len(workers), 1)} worker"
                    f"{'s' if len(workers) > 1 else ''} (--jobs); spill folder {spill_folder}; {who}")


def load_corpus(inputs: tuple[str, ...], inputs_read: Input, counting: Counting, order: int,
                for_discovery: bool = False, min_count: int | None = None,
                reduce: TableReducer | None = None) -> Corpus:
    """Count the text inputs (or read one count file); stdin when no input is named.

    ``for_discovery``: keep only what discovery at ``min_count`` needs;
    ``reduce``: what to keep of the merged tables (see count_sources). With
    either, a count file is read a range at a time, within the budget.
    """
    inputs = inputs or ("-",)
    if inputs == ("-",) and sys.stdin.isatty():
        inputs_read.say("reading standard input (end it with Ctrl-D; wordmine COMMAND --help for usage)")
    if any(is_count_file(p) for p in inputs):
        if len(inputs) > 1:
            raise click.UsageError("give one count file, or text files, not both")
        corpus = count_sources(list(inputs), order, counting, for_discovery=for_discovery, min_count=min_count,
                               reduce=reduce)
        inputs_read.say(f"{inputs[0]}: {corpus.total_units:,} units counted to order {corpus.order + 1}")
        return corpus
    sources = [text_source(p) for p in inputs]
    total = sum(s.size or 0 for s in sources) if all(s.size is not None for s in sources) else None
    counting = with_counting(inputs_read, counting)
    with progress(inputs_read, total) as bar, freed_arrays_kept(keep_budget(counting.memory, counting.jobs)):
        corpus = count_sources(list(inputs), order, counting, on_bytes=bar.update, for_discovery=for_discovery,
                               min_count=min_count, on_start=functools.partial(say_counting, inputs_read, counting),
                               reduce=reduce)
    say_counted(inputs_read, corpus)
    return corpus


def stdin_once(*paths: str) -> None:
    """Refuse standard input named twice: the second reading would find nothing."""
    if sum(p == "-" for p in paths) > 1:
        raise click.UsageError("standard input (-) can be read only once; name it once")


def spooled(inputs: tuple[str, ...], tmp_dir: str | None, inputs_read: Input):
    """Inputs readable twice: standard input, pipes and FIFOs are copied to ``tmp_dir`` first (and removed),
    each block checked as it is copied."""
    return replayable(inputs or ("-",), tmp_dir, inputs_read.encoding, inputs_read.errors)


def echo_rows(rows: list[tuple[str, object]], write: Callable[[str], None]) -> None:
    for name, value in rows:
        write(f"{name}\t{value:.4f}\n" if isinstance(value, float) else f"{name}\t{value}\n")
