"""Where the command line's data goes: stdout or -o, and the one error line of a closed or full stdout."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TextIO

import wordmine
from wordmine.errors import WRITE_ERRNOS, OutputError


class PipeClosed(Exception):
    """The reader of stdout went away (wordmine ... | head); not an error."""


def quiet_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's final flush cannot fail again."""
    if sys.stdout is not None:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@contextlib.contextmanager
def text_output(output: str | None) -> Iterator[TextIO]:
    """-o FILE written atomically, or stdout; a closed stdout ends the run quietly, a full one with one line."""
    if output and output != "-":
        with wordmine.atomic_output(output) as handle:
            yield handle
        return
    if sys.stdout is None:  # started with stdout closed (>&-)
        raise OutputError("<stdout>: cannot write: standard output is closed; give -o FILE")
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
