"""Errors the library raises, each carrying the hint a user needs.

The command line turns every :class:`WordmineError` into one line on stderr and
exit status 1; nothing else in the library prints or exits.
"""

from __future__ import annotations

import errno

#: Errors that mean an output could not be written where it was asked to go.
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS})


class WordmineError(Exception):
    """Base class: a problem the user can fix, described in one line."""


class InputError(WordmineError):
    """An input could not be read (missing, unreadable, binary)."""


class DecodeError(InputError):
    """Bytes that the chosen encoding cannot decode.

    Another encoding is suggested only when it decodes the bytes that failed;
    otherwise the way on is to replace or skip the bad bytes.

    >>> str(DecodeError("a.txt", 1234, "utf-8", b"\\xb9", "gb18030"))
    'a.txt: cannot decode byte 0xb9 at offset 1234 as utf-8; try --encoding gb18030'
    >>> str(DecodeError("a.txt", 9, "utf-8", b"\\xff"))  # doctest: +NORMALIZE_WHITESPACE
    'a.txt: cannot decode byte 0xff at offset 9 as utf-8; give --errors replace or --errors skip
    to replace or drop the undecodable bytes, or the right --encoding'
    """

    def __init__(self, source: str, offset: int, encoding: str, bad: bytes, hint: str | None = None,
                 advice: str | None = None) -> None:
        self.source, self.offset, self.encoding = source, offset, encoding
        if advice is not None:  # the whole message after the name: say, a cut last character
            super().__init__(f"{source}: cannot decode as {encoding}: {advice}")
            return
        advice = (f"try --encoding {hint}" if hint else
                  "give --errors replace or --errors skip to replace or drop the undecodable bytes, "
                  "or the right --encoding")
        super().__init__(f"{source}: cannot decode byte 0x{bad[:1].hex()} at offset {offset} as {encoding}; {advice}")


class FormatError(WordmineError):
    """A wordmine file (counts, model) that is corrupt, foreign or of another version."""


class OutputError(WordmineError):
    """An output that could not be written."""


class PrunedError(WordmineError):
    """Pruned counts asked for n-grams below the count they were pruned at."""


class OptionError(WordmineError):
    """An option or argument the caller gave that cannot be used: a usage error (exit status 2).

    The API raises it for a keyword argument, the command line for the option of the
    same name, with the same message (both check it in :mod:`wordmine.checks`).
    """
