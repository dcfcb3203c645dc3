"""The option groups of the command line, each declared once and spelled the same in every command.

A command takes only the groups it reads:

- ``log_options``: ``-q/--quiet`` and ``--verbose`` (every command that logs);
- ``input_options``: those and ``--encoding``, ``--errors`` (every command that reads text);
- ``counting_options``: ``--memory``, ``--jobs``, ``--tmp-dir`` (every command that counts; merge takes
  ``--memory`` and ``--tmp-dir`` only);
- ``table_options``: ``-o/--output``, ``--header``, ``--format``, ``--top`` (commands that write rows);
- ``output_option``: ``-o/--output`` alone (commands that write a file or text).

Each group reaches the command as one frozen value (``Log``, ``Input``,
``Counting``, ``Table``), so adding an option means editing its group only.
Values are checked by :mod:`wordmine.checks`, as the API checks its keyword
arguments; defaults are read from :mod:`wordmine.config`.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass

import click

import wordmine
from wordmine.checks import check_encoding, check_memory, check_output, check_range
from wordmine.config import ERRORS
from wordmine.errors import OptionError


class Checked(click.ParamType):
    """A value checked by ``check(value)`` of :mod:`wordmine.checks`: its reason is click's message."""

    def __init__(self, name: str, check: Callable[[object], object], convert: Callable[[str], object] = str) -> None:
        self.name = name
        self._check, self._convert = check, convert

    def convert(self, value, param, ctx):
        try:
            if isinstance(value, str):
                try:
                    value = self._convert(value)
                except ValueError:
                    self.fail(f"{value!r} is not a valid {self.name.lower()}", param, ctx)
            return self._check(value)
        except OptionError as exc:
            self.fail(getattr(exc, "reason", str(exc)), param, ctx)


def whole(option: str, lo: int, hi: int | None = None) -> Checked:
    """A whole number in ``lo..hi``, checked as the API checks ``option``."""
    return Checked("INTEGER", lambda v: check_range(option, v, lo, hi), int)


MEMORY = Checked("SIZE", check_memory)
ENCODING = Checked("ENCODING", check_encoding)


@dataclass(frozen=True)
class Log:
    quiet: bool
    verbose: bool

    def say(self, message: str) -> None:
        """One line on stderr, unless --quiet."""
        if not self.quiet:
            click.echo(f"wordmine: {message}", err=True)

    def detail(self, message: str) -> None:
        """A line of detail (budget, workers, spill folder) on stderr, with --verbose only."""
        if self.verbose and not self.quiet:
            click.echo(f"wordmine: {message}", err=True)

    def warn(self, message: str) -> None:
        """A warning on stderr, even with --quiet."""
        click.echo(f"wordmine: {message}", err=True)

    def hooks(self, on_bytes: Callable[[int], None] | None = None) -> wordmine.Hooks:
        return wordmine.Hooks(on_bytes=on_bytes, say=self.say, detail=self.detail, warn=self.warn)


@dataclass(frozen=True)
class Input(Log):
    encoding: str = "utf-8"
    errors: str = "strict"

    @property
    def reading(self) -> dict:
        """The API's keyword arguments for decoding."""
        return {"encoding": self.encoding, "errors": self.errors}


@dataclass(frozen=True)
class Counting:
    memory: int | None
    jobs: int | None
    tmp_dir: str | None

    @property
    def budget(self) -> dict:
        """The API's keyword arguments for counting."""
        return {"memory": self.memory, "jobs": self.jobs, "tmp_dir": self.tmp_dir}


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
            try:
                return command(**kwargs)
            except OptionError as exc:  # an option the API refused: a usage error, as click's own
                raise click.UsageError(getattr(exc, "reason", str(exc))) from None

        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper

    return decorate


QUIET = click.option("-q", "--quiet", is_flag=True, help="Nothing on stderr but errors and warnings.")
VERBOSE = click.option("--verbose", is_flag=True,
                       help="Also say the memory budget, the worker processes and the spill folder on stderr.")

log_options = _group([QUIET, VERBOSE], Log, "log", ["quiet", "verbose"])

input_options = _group([
    QUIET,
    VERBOSE,
    click.option("--encoding", type=ENCODING, default="utf-8", show_default=True,
                 help="Encoding of the text inputs and word lists (e.g. gb18030, big5, utf-16-le)."),
    click.option("--errors", type=click.Choice(ERRORS), default="strict", show_default=True,
                 help="Undecodable bytes: stop at the first (strict), replace each with U+FFFD (replace) "
                 "or drop them (skip); how many is said on stderr."),
], Input, "inputs_read", ["quiet", "verbose", "encoding", "errors"])

MEMORY_OPTION = click.option(
    "--memory", type=MEMORY, default=None, show_default="a quarter of RAM",
    help="Memory budget for counting, e.g. 500M or 2G; count tables past a quarter of it are spilled to "
    "--tmp-dir and merged.")
TMP_DIR = click.option("--tmp-dir", type=click.Path(file_okay=False),
                       help="Folder for spilled count runs and buffered standard input "
                       "(default: the system temporary folder).")

counting_options = _group([
    MEMORY_OPTION,
    click.option("--jobs", type=whole("jobs", 1), default=None, show_default="the machine's cores",
                 help="Worker processes for counting and segmenting, at most one per core and per 16 MB of "
                 "input (the output does not depend on it)."),
    TMP_DIR,
], Counting, "counting", ["memory", "jobs", "tmp_dir"])

merging_options = _group([MEMORY_OPTION, TMP_DIR], lambda memory, tmp_dir: Counting(memory, None, tmp_dir),
                         "counting", ["memory", "tmp_dir"])


def _output(ctx, param, value: str | None) -> str | None:
    try:
        return check_output("output", value)
    except OptionError as exc:
        raise click.BadParameter(exc.reason, ctx, param) from None


OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), callback=_output,
                      help="Write here (atomically: a temporary file renamed at the end) instead of stdout.")


def _table(output: str | None, header: bool, fmt: str | None, top: int | None) -> Table:
    if header and fmt not in (None, "tsv"):
        raise click.UsageError(f"--header starts TSV output with column names; --format {fmt} has none")
    return Table(output, header, fmt, top)


def table_options(formats: tuple[str, ...]) -> Callable:
    return _group([
        OUTPUT,
        click.option("--header", is_flag=True, help="Start TSV output with a line of column names."),
        click.option("--format", "fmt", type=click.Choice(formats), default=None,
                     help=f"Output format (default {formats[0]})."),
        click.option("--top", type=whole("top", 0), help="Write only the first N rows."),
    ], _table, "table", ["output", "header", "fmt", "top"])


def min_count_option(what: str, default: str = "scaled with the corpus size, 2 * sqrt(units / 100 k), at least 3"
                     ) -> Callable:
    return click.option("--min-count", type=whole("min_count", 1), help=f"Fewest occurrences {what} (default: "
                        f"{default}).")


def _stdin_once(ctx, param, value: tuple[str, ...]) -> tuple[str, ...]:
    if value.count("-") > 1:
        raise click.UsageError("standard input (-) can be read only once; name it once", ctx)
    return value


INPUTS = click.argument("inputs", nargs=-1, type=click.Path(exists=True, dir_okay=False, allow_dash=True),
                        callback=_stdin_once)


class NoBar:
    """What a command uses of a progress bar, where none is shown: tqdm is not even imported (its
    import and a disabled bar cost more than discovering the words of a 100 KB file)."""

    def update(self, n: int = 1) -> None:
        """Nothing to show."""


def progress(log: Log, total: int | None):
    """A progress bar of input bytes on stderr, only on a terminal and without --quiet."""
    if log.quiet or not sys.stderr.isatty():
        return contextlib.nullcontext(NoBar())
    from tqdm import tqdm  # deferred: only a terminal shows it

    return tqdm(total=total, unit="B", unit_scale=True, file=sys.stderr, leave=False)


def files(inputs: tuple[str, ...], log: Log) -> wordmine.Files:
    """The INPUTS as the API takes them; standard input (with a word when it is a terminal) when none."""
    if (not inputs or inputs == ("-",)) and sys.stdin is not None and sys.stdin.isatty():
        log.say("reading standard input (end it with Ctrl-D; wordmine COMMAND --help for usage)")
    return wordmine.Files(inputs)
