"""The command line: the only code that reads argv, prints, or exits.

One module per command group (``count_commands``: count, merge;
``mine_commands``: discover, contrast; ``segment_commands``: learn, segment,
eval), the option groups they share in ``options``, and stdout, -o and input
handling in ``streams``.

Commands parse options, call one function of the public API (``wordmine``)
with hooks that print its messages, and write its rows; they import nothing but
``wordmine``, ``wordmine.checks`` (the option checks the API shares),
``wordmine.config`` (defaults and choices) and ``wordmine.errors``.

On stderr, one short line per run; ``--verbose`` adds the budget, the worker
processes and the spill folder, ``-q`` leaves only errors and warnings.

Exit status: 0 success (also when the reader of stdout goes away), 1 a runtime
error (one line on stderr), 2 a usage error, 130 interrupted (SIGINT, Ctrl-C),
143 terminated (SIGTERM: what kill, timeout, Docker and systemd send). Both
signals unwind the same way, so temporary files, spilled runs, buffered
standard input and worker processes all go.
"""

from __future__ import annotations

import errno
import os
import signal
import sys

import click

from wordmine import __version__
from wordmine.cli.count_commands import count_command, merge_command
from wordmine.cli.mine_commands import contrast_command, discover_command
from wordmine.cli.segment_commands import eval_command, info_command, learn_command, segment_command
from wordmine.cli.streams import PipeClosed, quiet_stdout
from wordmine.errors import WRITE_ERRNOS, OptionError, WordmineError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="wordmine")
def cli() -> None:
    """Mine the words of raw Chinese text, with no labelled data.

    Every command reads files or - (stdin), writes data to stdout (or -o FILE)
    and logs to stderr only.
    """


for _command in (count_command, merge_command, discover_command, contrast_command, learn_command,
                 segment_command, eval_command, info_command):
    cli.add_command(_command)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that it unwinds like Ctrl-C."""


def _terminate(signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one signal, one clean-up
    raise Terminated()


def _flushed(code: int) -> int:
    """``code``, once stdout is flushed: a full disk under stdout is an error too (even for --help)."""
    if sys.stdout is None:  # started with stdout closed: nothing was written to it
        return code
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()
    except OSError as exc:
        quiet_stdout()
        if exc.errno not in WRITE_ERRNOS:
            raise
        click.echo(f"wordmine: error: <stdout>: cannot write: {os.strerror(exc.errno)}", err=True)
        return 1
    return code


def _stopped(exc: BaseException) -> int:
    terminated = isinstance(exc, Terminated) or isinstance(exc.__cause__, Terminated)
    click.echo("wordmine: terminated" if terminated else "wordmine: interrupted", err=True)
    return 128 + (signal.SIGTERM if terminated else signal.SIGINT)


class ForgivingStderr:
    """stderr whose reader may go away (``2>&1 | head -1``) or never was (``2>&-``): logs never cost the output.

    A write that fails with EPIPE or EBADF points file descriptor 2 at
    /dev/null and carries on, so the run still writes its output and its exit
    status does not change. Everything else is the wrapped stream's.
    """

    def __init__(self, stream) -> None:
        self._stream = stream

    def _gone(self) -> None:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            if exc.errno not in (errno.EPIPE, errno.EBADF):
                raise
            self._gone()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            if exc.errno not in (errno.EPIPE, errno.EBADF):
                raise
            self._gone()
            self._stream.flush()  # what was waiting now goes to /dev/null

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def forgiving_stderr() -> None:
    """Make sys.stderr a :class:`ForgivingStderr`; a closed descriptor 2 first gets /dev/null.

    Without that, the first file the run opens would take descriptor 2, and
    anything written to stderr (by a worker, or by the interpreter) would land in it.
    """
    try:
        os.fstat(2)
    except OSError:
        null = os.open(os.devnull, os.O_WRONLY)
        if null != 2:
            os.dup2(null, 2)
            os.close(null)
        sys.stderr = open(2, "w", closefd=False, errors="backslashreplace")  # noqa: SIM115 (lives as long as the run)
    if sys.stderr is not None and not isinstance(sys.stderr, ForgivingStderr):
        sys.stderr = ForgivingStderr(sys.stderr)


def blas_threads_unless_asked() -> None:
    """Have numpy's OpenBLAS start with one thread, unless the user set ``OPENBLAS_NUM_THREADS``.

    Set before numpy is imported (the command line imports it only when a command
    runs). OpenBLAS starts a thread per core as numpy loads, and the threads spin
    a while waiting for work that never comes: no command multiplies matrices
    large enough to share (the CRF's small products run on one thread anyway,
    :mod:`wordmine.blas`, with the same bits), so the threads only cost CPU time
    at every start, more on a machine with more cores.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main(argv: list[str] | None = None) -> None:
    """Run the command line; turn library errors into one line and an exit status."""
    blas_threads_unless_asked()
    signal.signal(signal.SIGTERM, _terminate)
    forgiving_stderr()
    try:
        cli.main(args=argv, prog_name="wordmine", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(_flushed(exc.exit_code))
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt) as exc:
        sys.exit(_stopped(exc))
    except PipeClosed:
        sys.exit(0)
    except OptionError as exc:  # an option the API refused: a usage error, as click's own
        click.echo(f"wordmine: error: {getattr(exc, 'reason', exc)}", err=True)
        sys.exit(2)
    except WordmineError as exc:
        click.echo(f"wordmine: error: {exc}", err=True)
        sys.exit(1)
    except MemoryError:
        click.echo("wordmine: error: out of memory; give a smaller --memory budget or more RAM", err=True)
        sys.exit(1)
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
        # Written to stdout by click itself (help, version): the same one line as any full disk.
        quiet_stdout()
        click.echo(f"wordmine: error: <stdout>: cannot write: {os.strerror(exc.errno)}", err=True)
        sys.exit(1)
    sys.exit(_flushed(0))
