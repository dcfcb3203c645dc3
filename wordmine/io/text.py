"""Reading text inputs in bounded memory and writing outputs atomically.

Inputs are files or ``-`` (standard input), read in blocks of bytes and decoded
incrementally, so a 100 MB file with no line break costs one block of memory.
A block never ends inside a run of Latin letters or digits (the tail is carried
into the next block), so the unit stream does not depend on the block size.
Every source ends with a line end (one is added where the text lacks it), so no
n-gram spans two files and each line of the input stays a line.

Decoding is strict: the first undecodable byte stops the run with its offset.

>>> import io
>>> source = TextSource("demo", lambda: io.BytesIO("第一句。abc".encode()))
>>> list(read_blocks([source], block_bytes=4))
['第', '一', '句。', 'abc\\n']
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from wordmine.errors import DecodeError, InputError, OutputError
from wordmine.normalize import MAX_LATIN_UNIT

DEFAULT_BLOCK_BYTES = 4 << 20
_WIDE_ENCODINGS = ("utf16", "utf32", "utf_16", "utf_32")


@dataclass(frozen=True)
class TextSource:
    """A named input and a way to open it as bytes."""

    name: str
    open: Callable[[], BinaryIO]
    size: int | None = None


def text_source(path: str) -> TextSource:
    """The source for a path, or for standard input when ``path`` is ``-``."""
    if path == "-":
        return TextSource("<stdin>", lambda: sys.stdin.buffer)
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    return TextSource(path, lambda: open(path, "rb"), size)


def _codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}: check --encoding") from None


def _decoder(codec: str) -> codecs.IncrementalDecoder:
    # utf-8-sig drops a byte-order mark at the start and is plain UTF-8 elsewhere.
    return codecs.getincrementaldecoder("utf-8-sig" if codec == "utf-8" else codec)("strict")


def _split_latin_tail(text: str) -> tuple[str, str]:
    """Split off a trailing ASCII letter/digit run that may continue in the next block."""
    i = len(text)
    limit = max(0, len(text) - MAX_LATIN_UNIT - 1)
    while i > limit and text[i - 1].isascii() and text[i - 1].isalnum():
        i -= 1
    return text[:i], text[i:]


def read_blocks(
    sources: Iterable[TextSource],
    encoding: str = "utf-8",
    block_bytes: int = DEFAULT_BLOCK_BYTES,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """Decoded text of every source in order, block by block, each source ending in a newline."""
    codec = _codec_name(encoding)
    # Only UTF-16/32 text may hold NUL bytes; anywhere else they mean binary input.
    wide = codec.replace("-", "_").startswith(_WIDE_ENCODINGS)
    for source in sources:
        decoder = _decoder(codec)
        consumed = 0
        carry = ""
        line_closed = True  # nothing yielded yet, or the last block ended a line
        try:
            stream = source.open()
        except OSError as exc:
            raise InputError(f"{source.name}: cannot read: {exc.strerror}") from None
        try:
            while True:
                try:
                    raw = stream.read(block_bytes)
                except OSError as exc:
                    raise InputError(f"{source.name}: read failed: {exc.strerror}") from None
                final = not raw
                if raw and not wide:
                    nul = raw.find(b"\0")
                    if nul >= 0:
                        raise InputError(
                            f"{source.name}: NUL byte at offset {consumed + nul}: binary input, "
                            "not text (if it is UTF-16 text, give --encoding utf-16)"
                        )
                pending = len(decoder.getstate()[0])
                try:
                    text = decoder.decode(raw, final=final)
                except UnicodeDecodeError as exc:
                    offset = consumed - pending + exc.start
                    raise DecodeError(source.name, offset, encoding, exc.object[exc.start :]) from None
                consumed += len(raw)
                if on_bytes is not None and raw:
                    on_bytes(len(raw))
                text = carry + text
                if final:
                    # Close the last line, without adding an empty one.
                    if text or not line_closed:
                        yield text if text.endswith("\n") else text + "\n"
                    break
                text, carry = _split_latin_tail(text)
                if text:
                    line_closed = text.endswith("\n")
                    yield text
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()


@contextlib.contextmanager
def atomic_output(path: str, mode: str = "w", encoding: str = "utf-8") -> Iterator:
    """Open ``path`` for writing through a temporary file renamed into place on success.

    An interrupted or failed run removes the temporary file, so ``path`` is
    either the complete new output or untouched.
    """
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".wordmine-", suffix=".part", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": "\n"}
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def whole_lines(blocks: Iterable[str]) -> Iterator[str]:
    """Re-cut text blocks so that each ends at a line end (a partial line waits for the next).

    >>> list(whole_lines(["ab\\ncd", "e\\nf", "\\n"]))
    ['ab\\n', 'cde\\n', 'f\\n']
    """
    return line_pieces(blocks, max_chars=sys.maxsize)


#: A character that is never part of a unit (no letter, digit or ideograph): a safe place to cut a line.
_NON_WORD = re.compile(r"\W")


def line_pieces(blocks: Iterable[str], max_chars: int = 1 << 20) -> Iterator[str]:
    """Like :func:`whole_lines`, but a line longer than ``max_chars`` comes in pieces.

    A piece that does not end with a line end is part of a longer line. It is
    cut just after the last character within ``max_chars`` that cannot belong
    to a unit (punctuation, space, symbol), so no word is cut through, unless
    there is no such character at all. A 200 MB line is then handled a
    megabyte at a time instead of being held whole.

    >>> list(line_pieces(["ab\\ncd，efgh", "ij，k\\nl"], max_chars=6))
    ['ab\\n', 'cd，', 'efghij，k\\n', 'l']
    """
    carry: list[str] = []
    carried = 0
    for block in blocks:
        cut = block.rfind("\n") + 1
        if cut:
            yield "".join(carry) + block[:cut]
            carry, carried = [block[cut:]], len(block) - cut
        else:
            carry.append(block)
            carried += len(block)
        while carried > max_chars:
            text = "".join(carry)
            at = max_chars
            for match in _NON_WORD.finditer(text, 0, max_chars):
                at = match.end()
            yield text[:at]
            carry, carried = [text[at:]], len(text) - at
    if carried:
        yield "".join(carry)
