"""Reading text inputs in bounded memory and writing outputs atomically.

Inputs are files or ``-`` (standard input), read in blocks of bytes and decoded
incrementally, so a 100 MB file with no line break costs one block of memory.
A block never ends inside a run of Latin letters or digits (the tail is carried
into the next block), so the unit stream does not depend on the block size.
Every source ends with a line end (one is added where the text lacks it), so no
n-gram spans two files and each line of the input stays a line.

Decoding is strict by default: the first undecodable byte stops the run with
its offset, and another encoding is suggested only when it decodes the block
that failed. ``errors="replace"`` (U+FFFD, which is never part of a word) or
``errors="skip"`` go on, and report how many bytes they replaced or dropped:
crawled text often holds a few stray bytes in gigabytes of good UTF-8.

Outputs are written through a temporary file renamed over the target, but only
when the target is a regular file (a symbolic link is followed to its target
first). A device, a FIFO or ``/dev/stdout`` is written directly: renaming a file
over ``/dev/null`` as root would replace the system's ``/dev/null``.

>>> import io
>>> source = TextSource("demo", lambda: io.BytesIO("第一句。abc".encode()))
>>> list(read_blocks([source], block_bytes=4))
['第', '一', '句。', 'abc\\n']
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import functools
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from wordmine.config import ERRORS, format_size
from wordmine.errors import WRITE_ERRNOS, DecodeError, InputError, OutputError
from wordmine.normalize import MAX_LATIN_UNIT

DEFAULT_BLOCK_BYTES = 4 << 20
_WIDE_ENCODINGS = ("utf16", "utf32", "utf_16", "utf_32")
#: Encodings suggested after a decoding error, and only if they decode the block that failed.
#: UTF-16 is not among them: almost any even number of bytes decodes as UTF-16.
_SUGGESTED = ("utf-8", "gb18030", "big5")

_undecodable = [0]
"""Bytes the counting error handlers replaced or skipped so far (read as a difference around each decode)."""


def _count_and(replacement: str):
    def handler(exc: UnicodeDecodeError) -> tuple[str, int]:
        _undecodable[0] += exc.end - exc.start
        return replacement, exc.end
    return handler


codecs.register_error("wordmine-replace", _count_and("\ufffd"))
codecs.register_error("wordmine-skip", _count_and(""))


@dataclass(frozen=True)
class TextSource:
    """A named input and a way to open it as bytes."""

    name: str
    open: Callable[[], BinaryIO]
    size: int | None = None


#: The copies :func:`replayable` made and is still holding, each with the name it stands for
#: (``<stdin>``, a pipe's path): errors and counts of undecodable bytes name what the user gave.
_COPIES: dict[str, str] = {}


def text_source(path: str) -> TextSource:
    """The source for a path, or for standard input when ``path`` is ``-``."""
    if path == "-":
        return TextSource("<stdin>", lambda: sys.stdin.buffer)
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise InputError(f"{_COPIES.get(path, path)}: cannot read: {exc.strerror}") from None
    return TextSource(_COPIES.get(path, path), lambda: open(path, "rb"), size)


def _codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}: check --encoding") from None


def _decoder(codec: str, errors: str = "strict") -> codecs.IncrementalDecoder:
    # utf-8-sig drops a byte-order mark at the start and is plain UTF-8 elsewhere.
    handler = "strict" if errors == "strict" else f"wordmine-{errors}"
    return codecs.getincrementaldecoder("utf-8-sig" if codec == "utf-8" else codec)(handler)


def _decoded(sample: bytes, encoding: str) -> str | None:
    try:
        return codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=False)
    except UnicodeError:
        return None


@functools.lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """The common Han characters of both scripts: GB 2312's level 1 (3,755, simplified, by frequency) and
    Big5's frequent block (5,401, traditional, 0xA440-0xC67E), read from the codecs themselves."""
    rows = [bytes((lead, trail)).decode("gb2312") for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF)
            if (lead, trail) < (0xD7, 0xFA)]
    trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    rows += [bytes((lead, trail)).decode("big5") for lead in range(0xA4, 0xC7) for trail in trails
             if (lead, trail) <= (0xC6, 0x7E)]
    return frozenset(rows)


def plausibility(text: str) -> float:
    """The share of the non-ASCII characters of ``text`` that are common Han characters (1.0 without any).

    Text decoded with the right encoding scores near 1 (punctuation is the
    rest); the same bytes decoded with a wrong one that happens not to fail
    (Big5 read as GB18030, or the reverse) come out as rare characters and
    symbols, and score far lower. Only the first 64 k characters are read.

    >>> plausibility("黑猫喜欢鱼。"), plausibility("臺灣學生說話。")
    (0.8333333333333334, 0.8571428571428571)
    >>> plausibility("臺灣學生說話。".encode("big5").decode("gb18030")) < PLAUSIBLE
    True
    """
    common = _common_han()
    wide = [ch for ch in text[: 1 << 16] if ord(ch) > 0x7F]
    return sum(ch in common for ch in wide) / len(wide) if wide else 1.0


#: The share of common Han characters below which a decoding is not worth suggesting (see plausibility):
#: text decoded rightly (the samples, every development set, news, fiction, laws, reviews, idiom and
#: name lists) scores well above it, Big5 and GB18030 read as each other well below.
PLAUSIBLE = 0.6


def suggest_encoding(sample: bytes, codec: str) -> str | None:
    """The encoding that decodes ``sample`` (the bytes that failed as ``codec``) cleanly and most plausibly.

    Every candidate must decode the sample without error and yield mostly
    common Han characters (:func:`plausibility` at least ``PLAUSIBLE``); of
    those, the one with the most common characters wins. Big5 bytes decode
    as GB18030 too, as garbage: they are told big5.

    >>> suggest_encoding("中文".encode("gb18030"), "utf-8")
    'gb18030'
    >>> suggest_encoding("臺灣的學生們在圖書館裡讀書".encode("big5"), "utf-8")
    'big5'
    >>> suggest_encoding("黑猫喜欢鱼，白狗讨厌骨头。".encode() + b"\\xff", "utf-8") is None
    True
    """
    best, best_score = None, PLAUSIBLE
    for candidate in _SUGGESTED:
        if codecs.lookup(candidate).name == codec:
            continue
        text = _decoded(sample, candidate)
        score = -1.0 if text is None else plausibility(text)
        if score >= best_score and (best is None or score > best_score):
            best, best_score = candidate, score
    return best


def _utf16_hint(sample: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``sample`` (bytes holding a NUL) reads as plausible text in it."""
    sample = sample[: 1 << 16]
    sample = sample[: len(sample) // 2 * 2]
    for candidate in ("utf-16-le", "utf-16-be"):
        text = _decoded(sample, candidate)
        if text and "\0" not in text and plausibility(text) >= PLAUSIBLE and \
                sum(ch.isprintable() or ch.isspace() for ch in text) > 0.9 * len(text):
            return candidate
    return None


#: The magic of each file wordmine writes, and what it is: a file of one kind given where another
#: is read is named for what it is (tests check these are the writers' magics).
WORDMINE_KINDS = {
    b"WMCOUNTS": "a wordmine count file (from count -o FILE.wmc)",
    b"WMMODEL\0": "a wordmine model file (from learn -o FILE.wmm)",
}
#: What each file wordmine writes is, and where it goes: a text input that starts with one is
#: refused by name, not as binary input.
WORDMINE_FILES = {
    b"WMCOUNTS": f"{WORDMINE_KINDS[b'WMCOUNTS']}, not text: give it as the input of discover, contrast or learn, "
                 "or to merge",
    b"WMMODEL\0": f"{WORDMINE_KINDS[b'WMMODEL' + bytes(1)]}, not text: give it to segment --model",
}


def check_not_wordmine_file(name: str, head: bytes) -> None:
    """Refuse, with what it is, a text input whose first bytes ``head`` are a wordmine file's magic.

    >>> check_not_wordmine_file("m.wmm", b"WMMODEL\\0\\3\\0\\0\\0")
    Traceback (most recent call last):
    wordmine.errors.InputError: m.wmm: a wordmine model file (from learn -o FILE.wmm), not text: give it to segment --model
    """
    for magic, what in WORDMINE_FILES.items():
        if head.startswith(magic):
            raise InputError(f"{name}: {what}")


#: Byte-order marks that say the text is UTF-32 or UTF-16 (UTF-32's first: FF FE 00 00 starts with FF FE).
#: Neither can start UTF-8 text (FE and FF are never UTF-8), so a UTF-8 input that starts with one is
#: read in that encoding, as a UTF-8 byte-order mark is dropped.
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
              (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def wide_bom(head: bytes) -> str | None:
    """The encoding whose byte-order mark starts ``head``, if the bytes after it read as text in it.

    FF FE could also start a file of stray bytes, so the block must decode
    cleanly, hold no U+0000, hold some ASCII (a line end at least: the NUL
    bytes of UTF-16 text) and be plausible (:func:`plausibility`).

    >>> wide_bom("黑猫喜欢鱼。\\n".encode("utf-16")), wide_bom(b"\\xff\\xfe\\xfa" * 10), wide_bom(b"abc")
    ('utf-16', None, None)
    """
    codec = next((codec for bom, codec in _WIDE_BOMS if head.startswith(bom)), None)
    if codec is None:
        return None
    text = _decoded(head[: 1 << 16], codec)
    if not text or "\0" in text or not any(ch.isascii() for ch in text) or plausibility(text) < PLAUSIBLE:
        return None
    return codec


def _cut_tail(source: str, offset: int, encoding: str, size: int, wide: bool) -> DecodeError:
    """The error for text whose last character is cut: no other encoding would help."""
    if wide and encoding.replace("_", "-").lower().startswith("utf-16") and size % 2:
        why = f"it has an odd number of bytes ({size:,}), so it is not whole {encoding} text"
    else:
        why = f"the text ends inside a character (at offset {offset}: a cut file?)"
    return DecodeError(source, offset, encoding, b"", advice=f"{why}; give --errors replace or --errors skip "
                       "to replace or drop the cut character")


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
    errors: str = "strict",
    on_undecodable: Callable[[str, int], None] | None = None,
) -> Iterator[str]:
    """Decoded text of every source in order, block by block, each source ending in a newline.

    ``errors`` is ``strict``, ``replace`` or ``skip``; with the last two,
    ``on_undecodable(name, n)`` hears of each source's ``n`` replaced or
    skipped bytes once it is read (when there were any).

    >>> import io
    >>> source = TextSource("crawl", lambda: io.BytesIO("中".encode() + b"\\xff" + "文".encode()))
    >>> list(read_blocks([source], errors="replace", on_undecodable=lambda name, n: print(name, n)))
    crawl 1
    ['中�文', '\\n']
    """
    if errors not in ERRORS:
        raise ValueError(f"errors must be one of {', '.join(ERRORS)}")
    codec = _codec_name(encoding)
    # Only UTF-16/32 text may hold NUL bytes; anywhere else they mean binary input.
    wide = codec.replace("-", "_").startswith(_WIDE_ENCODINGS)
    for source in sources:
        source_codec, source_wide = codec, wide
        decoder = _decoder(codec, errors)
        consumed = bad = 0
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
                if consumed == 0 and raw:
                    check_not_wordmine_file(source.name, raw)
                    if codec == "utf-8" and wide_bom(raw):
                        source_codec, source_wide = wide_bom(raw), True
                        decoder = _decoder(source_codec, errors)
                if raw and not source_wide:
                    nul = raw.find(b"\0")
                    if nul >= 0:
                        utf16 = _utf16_hint(raw) if consumed == 0 else None
                        raise InputError(f"{source.name}: NUL byte at offset {consumed + nul}: " +
                                         (f"UTF-16 text? give --encoding {utf16}" if utf16 else
                                          "binary input, not text"))
                pending = decoder.getstate()[0]
                before = _undecodable[0]
                try:
                    text = decoder.decode(raw, final=final)
                    if source_wide and "\0" in text:  # /dev/zero read as UTF-16 is an endless run of U+0000
                        raise InputError(f"{source.name}: NUL character near offset {consumed}: binary input, "
                                         "not text")
                except UnicodeDecodeError as exc:
                    offset = consumed - len(pending) + exc.start
                    if final and exc.end == len(exc.object):
                        raise _cut_tail(source.name, offset, encoding if source_codec == codec else source_codec,
                                        consumed, source_wide) from None
                    hint = suggest_encoding(pending + raw, source_codec)
                    raise DecodeError(source.name, offset, encoding, exc.object[exc.start :], hint) from None
                except UnicodeError as exc:  # UTF-16/32 without a byte-order mark, which says the byte order
                    raise InputError(f"{source.name}: {exc}: give --encoding {codec}-le or --encoding {codec}-be"
                                     ) from None
                bad += _undecodable[0] - before
                consumed += len(raw)
                if on_bytes is not None and raw:
                    on_bytes(len(raw))
                text = carry + text
                if final:
                    if bad and on_undecodable is not None:
                        on_undecodable(source.name, bad)
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


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale(folder: str | None, prefix: str | tuple[str, ...]) -> list[str]:
    """Remove what runs killed with SIGKILL left in ``folder``: entries named ``prefix`` (or any of several,
    read in one pass over the folder), a PID, ``-``...

    Every file or folder a run leaves while it works is named for its
    process (``.wordmine-PID-*.part`` beside an output, ``wordmine-spill-PID-*``
    and ``wordmine-stdin-PID-*`` in ``--tmp-dir``), so that a later run can tell
    a live run's files from a dead one's. Only entries of this user whose
    process is no longer running on this machine are removed; the names
    removed are returned.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in (f".wordmine-{2**22 + 1}-ab.part", f".wordmine-{os.getpid()}-cd.part", "notes.txt"):
    ...         open(os.path.join(folder, name), "w").close()
    ...     remove_stale(folder, ".wordmine-"), sorted(os.listdir(folder))[1:]
    (['.wordmine-4194305-ab.part'], ['notes.txt'])
    """
    prefixes = (prefix,) if isinstance(prefix, str) else prefix
    pattern = re.compile("(?:" + "|".join(map(re.escape, prefixes)) + r")(\d+)-")
    removed = []
    try:
        entries = list(os.scandir(folder or tempfile.gettempdir()))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if not match or int(match.group(1)) == os.getpid() or _running(int(match.group(1))):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(entry.name)
        except OSError:
            continue
    return removed


#: What runs leave in --tmp-dir while they work: spilled runs, buffered standard input, local Dask workers' scratch.
TMP_PREFIXES = ("wordmine-spill-", "wordmine-stdin-", "wordmine-dask-")


def remove_stale_tmp(tmp_dir: str | None) -> None:
    """Remove from ``tmp_dir`` (default: the system's) what killed runs left there (:func:`remove_stale`)."""
    remove_stale(tmp_dir, TMP_PREFIXES)


def _written_in_place(path: str) -> bool:
    """True for a target that is not a regular file: a device, FIFO or socket, or /dev/stdout and the like."""
    real = os.path.realpath(path)
    if os.path.abspath(path).startswith(("/dev/", "/proc/")) or real.startswith(("/dev/", "/proc/")):
        return True
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # not there yet: a new regular file


def _write_error(path: str, exc: OSError) -> OutputError:
    return OutputError(f"{path}: cannot write: {exc.strerror}; free some space or give another -o")


@contextlib.contextmanager
def atomic_output(path: str, mode: str = "w", encoding: str = "utf-8") -> Iterator:
    """Open ``path`` for writing through a temporary file renamed into place on success.

    An interrupted or failed run removes the temporary file, so ``path`` is
    either the complete new output or untouched. The temporary file is named
    ``.wordmine-PID-*.part`` for this process: one left by a run killed with
    SIGKILL is removed by the next run that writes into the same folder
    (:func:`remove_stale`). A symbolic link is written
    through (its target is replaced, the link stays); a device or FIFO is
    written directly. A full disk is an :class:`OutputError` naming ``path``.
    """
    kwargs = {} if "b" in mode else {"encoding": encoding, "newline": "\n"}
    if _written_in_place(path):
        try:
            with open(path, mode, **kwargs) as handle:
                yield handle
        except OSError as exc:
            if exc.errno not in WRITE_ERRNOS and exc.errno not in (errno.EACCES, errno.ENOENT, errno.ENXIO):
                raise
            raise _write_error(path, exc) from None
        return
    target = os.path.realpath(path)
    remove_stale(os.path.dirname(target), ".wordmine-")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".wordmine-{os.getpid()}-", suffix=".part", dir=os.path.dirname(target))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if exc.errno not in WRITE_ERRNOS:
            raise
        raise _write_error(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def is_regular_file(path: str) -> bool:
    """True for a path naming a regular file (or a link to one): something that can be read twice."""
    try:
        return path != "-" and stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


class _BufferFull(Exception):
    """Writing the copy failed (not reading the input): carries the OSError past read_blocks."""


def reserve_of(folder: str) -> int:
    """The room a copy of standard input leaves free in ``folder``'s file system: 1% of it, at most 256 MiB.

    ``yes 中文 | wordmine segment -`` is valid text that never ends; copied for
    a second pass, it would fill the disk to the last byte, and every other
    program writing there would fail with it. The copy stops this much short
    (0 where the system does not say how big the file system is).
    """
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):
        return 0
    return min(256 << 20, info.f_blocks * info.f_frsize // 100)


def _free(folder: str) -> int:
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):
        return sys.maxsize
    return info.f_bavail * info.f_frsize


class _Tee:
    """A byte stream that writes every block read from ``source`` into ``copy``, leaving ``reserve`` bytes
    free in ``folder``."""

    def __init__(self, source: BinaryIO, copy: BinaryIO, folder: str = ".", reserve: int = 0) -> None:
        self.source, self.copy, self.folder, self.reserve = source, copy, folder, reserve

    def read(self, size: int) -> bytes:
        raw = self.source.read(size)
        if raw and self.reserve and _free(self.folder) - len(raw) < self.reserve:
            raise _BufferFull(OSError(errno.ENOSPC, f"it would leave less than {format_size(self.reserve)} free there "
                                      "(or give a file, not a pipe)"))
        try:
            self.copy.write(raw)
        except OSError as exc:
            raise _BufferFull(exc) from None
        return raw

    def close(self) -> None:
        if self.source is not sys.stdin.buffer:
            self.source.close()


@contextlib.contextmanager
def replayable(paths: tuple[str, ...], tmp_dir: str | None = None, encoding: str = "utf-8",
               errors: str = "strict") -> Iterator[tuple[str, ...]]:
    """The paths, each one that cannot be read twice (``-``, a pipe, a FIFO) copied to ``tmp_dir`` first.

    The copies are named ``wordmine-stdin-PID-*`` and removed on the way out,
    whatever happens; a full ``tmp_dir`` is an :class:`OutputError` naming it.
    Each block is checked as it is copied, as :func:`read_blocks` checks it
    (NUL bytes, undecodable bytes in ``encoding`` unless ``errors`` says go on):
    ``cat /dev/urandom |`` or ``/dev/zero`` stop at the first block, naming
    ``<stdin>`` or the path, instead of filling ``tmp_dir``. While the copies are
    held, :func:`text_source` names them as the user did.
    """
    copies: list[str] = []
    names = []
    if not all(is_regular_file(path) for path in paths):
        remove_stale_tmp(tmp_dir)
    try:
        for path in paths:
            if is_regular_file(path):
                names.append(path)
                continue
            where = tmp_dir or tempfile.gettempdir()
            shown = "<stdin>" if path == "-" else path
            try:
                with tempfile.NamedTemporaryFile(prefix=f"wordmine-stdin-{os.getpid()}-", dir=tmp_dir,
                                                 delete=False) as handle:
                    copies.append(handle.name)
                    _COPIES[handle.name] = shown
                    source = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 (the tee closes it)
                    tee = TextSource(shown, functools.partial(_Tee, source, handle, where, reserve_of(where)))
                    for _ in read_blocks([tee], encoding, block_bytes=1 << 20, errors=errors):
                        pass
            except (OSError, _BufferFull) as exc:
                error = exc.args[0] if isinstance(exc, _BufferFull) else exc
                raise OutputError(f"{where}: cannot buffer {'standard input' if path == '-' else path} "
                                  f"for a second pass: {error.strerror}; see --tmp-dir") from None
            names.append(handle.name)
        yield tuple(names)
    finally:
        for copy in copies:
            _COPIES.pop(copy, None)
            with contextlib.suppress(OSError):
                os.unlink(copy)


def whole_lines(blocks: Iterable[str]) -> Iterator[str]:
    """Re-cut text blocks so that each ends at a line end (a partial line waits for the next).

    >>> list(whole_lines(["ab\\ncd", "e\\nf", "\\n"]))
    ['ab\\n', 'cde\\n', 'f\\n']
    """
    return line_pieces(blocks, max_chars=sys.maxsize)


#: A character that is never part of a unit (no letter, digit or ideograph): a safe place to cut a line.
_NON_WORD = re.compile(r"\W")


#: The text a segmenting task takes at a time, about a megabyte: enough work per task, enough
#: tasks for every worker, and each worker's arrays (a few dozen bytes a character) stay small.
PIECE_BYTES = 1 << 20


def line_pieces(blocks: Iterable[str], max_chars: int = PIECE_BYTES) -> Iterator[str]:
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
