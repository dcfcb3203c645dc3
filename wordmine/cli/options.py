"""The option groups of the command line, each declared once and spelled the same in every command.

A command takes only the groups it reads:

- ``input_options``: ``-q/--quiet`` and ``--encoding`` (every command that reads text);
- ``counting_options``: ``--memory``, ``--jobs``, ``--tmp-dir`` (every command that counts);
- ``table_options``: ``-o/--output``, ``--header``, ``--format``, ``--top`` (commands that write rows);
- ``output_option``: ``-o/--output`` alone (commands that write a file or text).

Each group reaches the command as one frozen value (``Input``, ``Counting``,
``Table``), so adding an option means editing its group only.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass

import click

from wordmine.api import Counting
from wordmine.config import MIN_BUDGET, check_memory, default_jobs, default_memory, format_size, parse_size
from wordmine.io.text import ERRORS


class SizeParam(click.ParamType):
    name = "SIZE"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        try:
            return parse_size(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class MemoryParam(SizeParam):
    """A --memory budget, at least :data:`wordmine.config.MIN_BUDGET` and at most the machine's memory."""

    def convert(self, value, param, ctx):
        size = super().convert(value, param, ctx)
        if size < MIN_BUDGET:
            self.fail(f"{value} is below the smallest budget, {format_size(MIN_BUDGET)} (and a text over "
                      "8 MB needs 100M)", param, ctx)
        try:
            return check_memory(size)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@dataclass(frozen=True)
class Input:
    quiet: bool
    encoding: str
    errors: str = "strict"

    def say(self, message: str) -> None:
        """One line on stderr, unless --quiet."""
        if not self.quiet:
            click.echo(f"wordmine: {message}", err=True)


@dataclass(frozen=True)
class Table:
    output: str | None
    header: bool
    fmt: str | None
    top: int | None


def _group(options: list[Callable], build: Callable[..., object], name: str, keys: list[str]) -> Callable:
    """A decorator adding ``options`` to a command and passing them on as one value ``name``."""

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(**kwargs):
            kwargs[name] = build(*(kwargs.pop(k) for k in keys))
            return command(**kwargs)

        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper

    return decorate


QUIET = click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary on stderr.")

input_options = _group([
    QUIET,
    click.option("--encoding", default="utf-8", show_default=True,
                 help="Encoding of the text inputs and word lists (e.g. gb18030, big5, utf-16-le)."),
    click.option("--errors", type=click.Choice(ERRORS), default="strict", show_default=True,
                 help="Undecodable bytes: stop at the first (strict), replace each with U+FFFD (replace) "
                 "or drop them (skip); how many is said on stderr."),
], Input, "inputs_read", ["quiet", "encoding", "errors"])


def _counting(memory, jobs, tmp_dir) -> Counting:
    return Counting(memory or default_memory(), jobs or default_jobs(), tmp_dir)


counting_options = _group([
    click.option("--memory", type=MemoryParam(), default=None, show_default="a quarter of RAM",
                 help="Memory budget for counting, e.g. 500M or 2G; count tables past half of it are "
                 "spilled to --tmp-dir and merged."),
    click.option("--jobs", type=click.IntRange(min=1), default=None, show_default="the machine's cores",
                 help="Worker processes for counting and segmenting (the output does not depend on it)."),
    click.option("--tmp-dir", type=click.Path(file_okay=False),
                 help="Folder for spilled count runs and buffered standard input "
                 "(default: the system temporary folder)."),
], _counting, "counting", ["memory", "jobs", "tmp_dir"])

OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
                      help="Write here (atomically: a temporary file renamed at the end) instead of stdout.")


def table_options(formats: tuple[str, ...]) -> Callable:
    return _group([
        OUTPUT,
        click.option("--header", is_flag=True, help="Start TSV output with a line of column names."),
        click.option("--format", "fmt", type=click.Choice(formats), default=None,
                     help=f"Output format (default {formats[0]})."),
        click.option("--top", type=click.IntRange(min=0), help="Write only the first N rows."),
    ], Table, "table", ["output", "header", "fmt", "top"])


def min_count_option(what: str) -> Callable:
    return click.option("--min-count", type=click.IntRange(min=1),
                        help=f"Fewest occurrences {what} (default: scaled with the corpus size, "
                        "2 * sqrt(units / 100 k), at least 3).")


def _stdin_once(ctx, param, value: tuple[str, ...]) -> tuple[str, ...]:
    if value.count("-") > 1:
        raise click.UsageError("standard input (-) can be read only once; name it once", ctx)
    return value


INPUTS = click.argument("inputs", nargs=-1, type=click.Path(exists=True, dir_okay=False, allow_dash=True),
                        callback=_stdin_once)


def with_counting(inputs_read: Input, counting: Counting) -> Counting:
    """The counting options with the input's encoding and --errors, as the API takes them."""
    def undecodable(name: str, n: int) -> None:
        done = "replaced by U+FFFD" if inputs_read.errors == "replace" else "skipped"
        inputs_read.say(f"{name}: {n:,} undecodable byte{'s' if n > 1 else ''} {done} (--errors {inputs_read.errors})")

    return Counting(counting.memory, counting.jobs, counting.tmp_dir, inputs_read.encoding, inputs_read.errors,
                    undecodable)


def progress(inputs_read: Input, total: int | None):
    """A progress bar of input bytes on stderr, only on a terminal and without --quiet."""
    from tqdm import tqdm  # deferred: only commands that read text need it

    disable = inputs_read.quiet or not sys.stderr.isatty()
    return tqdm(total=total, unit="B", unit_scale=True, file=sys.stderr, disable=disable, leave=False)
