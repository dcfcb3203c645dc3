"""Options checked once, for the command line and the API alike.

Each check takes the value as a caller gave it (a click option, or a keyword
argument of :mod:`wordmine.api`) and returns it in the form the stages take,
or raises :class:`~wordmine.errors.OptionError`: the command line makes it a
usage error (exit status 2), with the same reason after the option's name.

>>> check_range("order", 4, 2, 7), check_memory("500M"), check_encoding("GBK")
(4, 524288000, 'GBK')
>>> check_range("order", 50, 2, 7)
Traceback (most recent call last):
...
wordmine.errors.OptionError: order: 50 is not in the range 2..7
>>> check_encoding("rot13")
Traceback (most recent call last):
...
wordmine.errors.OptionError: encoding: rot13 is not a text encoding (give one such as utf-8, gb18030, big5, utf-16-le)
"""

from __future__ import annotations

import codecs
import math
import os
import re
from collections.abc import Iterable, Iterator

from wordmine.budget import check_installed
from wordmine.config import MAX_EXAMPLES, MIN_BUDGET, format_size, parse_size
from wordmine.errors import OptionError


def refuse(name: str, reason: str) -> OptionError:
    """The error for option ``name``: ``str()`` is ``name: reason``; ``.reason`` the part a CLI shows."""
    error = OptionError(f"{name}: {reason}")
    error.reason = reason
    return error


def check_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise refuse(name, f"{value!r} is not a whole number")
    return value


def check_range(name: str, value: object, lo: int, hi: int | None = None) -> int:
    """A whole number in ``lo..hi`` (no upper bound when ``hi`` is None)."""
    value = check_int(name, value)
    if value < lo or (hi is not None and value > hi):
        raise refuse(name, f"{value} is not in the range {lo}..{hi}" if hi is not None else f"{value} is below {lo}")
    return value


def check_optional(name: str, value: object, lo: int) -> int | None:
    """None (the default), or a whole number of at least ``lo`` (``top``: 0, ``min_count``: 1)."""
    return None if value is None else check_range(name, value, lo)


def check_memory(memory: object) -> int | None:
    """A memory budget: None (the default), bytes, or a size such as ``500M``; at least ``MIN_BUDGET``."""
    if memory is None:
        return None
    if isinstance(memory, str):
        try:
            memory = parse_size(memory)
        except ValueError as exc:
            raise refuse("memory", str(exc)) from None
    value = check_int("memory", memory)
    if value < MIN_BUDGET:
        raise refuse("memory", f"{format_size(value)} is below the smallest budget, {format_size(MIN_BUDGET)} "
                     "(and a text over 8 MB needs 100M)")
    try:
        return check_installed(value)
    except ValueError as exc:
        raise refuse("memory", str(exc)) from None


def check_jobs(jobs: object) -> int | None:
    return None if jobs is None else check_range("jobs", jobs, 1)


def check_encoding(encoding: object) -> str:
    """A text encoding Python knows (``rot13``, ``base64`` and ``hex`` are codecs, not text encodings)."""
    if not isinstance(encoding, str):
        raise refuse("encoding", f"{encoding!r} is not an encoding name")
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise refuse("encoding", f"unknown encoding {encoding!r}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise refuse("encoding", f"{encoding} is not a text encoding (give one such as utf-8, gb18030, big5, "
                     "utf-16-le)")
    return encoding


def check_examples(n: object) -> int:
    """``n`` if it is a number of snippets a word can have (0 for none); else an OptionError."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_EXAMPLES:
        raise OptionError(f"--examples takes a whole number from 0 to {MAX_EXAMPLES}, not {n!r}")
    return n


def check_choice(name: str, value: object, choices: Iterable[str]) -> str:
    choices = tuple(choices)
    if value not in choices:
        raise refuse(name, f"{value!r} is not one of {', '.join(choices)}")
    return value  # type: ignore[return-value]


_ADDRESS = re.compile(r"([a-z][a-z0-9+.-]*://)?[^\s/:]+:\d{1,5}", re.IGNORECASE)


def check_scheduler(spec: object) -> str:
    """``local``, ``local:N`` or a scheduler address with its port (``tcp://host:8786``, ``host:8786``)."""
    if not isinstance(spec, str):
        raise refuse("dask", f"{spec!r} is not a scheduler")
    if spec == "local" or spec.startswith("local:"):
        workers = spec.partition(":")[2]
        if spec != "local" and (not workers.isdigit() or int(workers) < 1):
            raise refuse("dask", f"{spec}: give local:N with N a number of workers, e.g. local:2")
        return spec
    if not _ADDRESS.fullmatch(spec):
        raise refuse("dask", f"{spec!r} is not a scheduler: give an address with its port "
                     "(tcp://host:8786) or local:N")
    return spec


def check_weight(name: str, value: object) -> float:
    """A positive, finite weight."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise refuse(name, f"{value!r} is not a positive finite number")
    return float(value)


def check_output(name: str, path: object) -> str | None:
    """An output path: None (standard output) or a non-empty path (``""`` is refused, not stdout)."""
    if path is None:
        return None
    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
        raise refuse(name, "an empty path: give a file name, or leave the option out for standard output")
    return os.fspath(path)


def check_stdin_once(paths: Iterable[object]) -> None:
    if sum(p == "-" for p in paths) > 1:
        raise OptionError("standard input (-) can be read only once; name it once")


def checked_lines(lines: Iterable[object], name: str = "source") -> Iterator[str]:
    """The lines of an iterable, each one checked to be text (bytes are refused with the way on)."""
    for line in lines:
        if not isinstance(line, str):
            what = "bytes: decode them first, or give the path" if isinstance(line, (bytes, bytearray)) else \
                f"{type(line).__name__} {line!r}"
            raise refuse(name, f"lines must be text (str), not {what}")
        yield line
