"""Lexicon output formats, and jieba's dictionary as a word list.

``tsv`` (the default): one word a line, tab-separated columns, optional header
(columns shown here aligned; in the file one tab separates them)::

    word    count   cohesion    left_entropy    right_entropy   score
    黑猫    6       2.833       1.792           1.099           6.592

``jieba``: ``word count`` lines, the user-dictionary format that
``jieba.load_userdict`` reads. ``jsonl``: one JSON object a line.

>>> import io
>>> rows = [{"word": "黑猫", "count": 6, "cohesion": 2.8331}]
>>> out = io.StringIO()
>>> write_rows(rows, ["word", "count", "cohesion"], out, "tsv", header=True)
>>> out.getvalue().splitlines()
['word\\tcount\\tcohesion', '黑猫\\t6\\t2.833']
>>> out = io.StringIO()
>>> write_rows(rows, ["word", "count", "cohesion"], out, "jieba")
>>> out.getvalue()
'黑猫 6\\n'

Writers refuse a key holding a tab, a newline or (for jieba) a space, which
would break the format for every reader.
"""

from __future__ import annotations

import codecs
import json
import math
from collections.abc import Iterable, Iterator
from typing import TextIO

from wordmine.config import FORMATS  # noqa: F401 - io.tables.FORMATS, as before
from wordmine.errors import DecodeError, InputError, OutputError
from wordmine.io.text import check_not_wordmine_file, suggest_encoding, wide_bom
from wordmine.lexicon import Lexicon

LEXICON_COLUMNS = ["word", "count", "cohesion", "left_entropy", "right_entropy", "score"]


def lexicon_rows(lexicon: Lexicon) -> Iterator[dict]:
    """The lexicon as dictionaries, one per word, in rank order."""
    for i, word in enumerate(lexicon.words):
        yield {
            "word": word,
            "count": int(lexicon.count[i]),
            "cohesion": float(lexicon.cohesion[i]),
            "left_entropy": float(lexicon.left_entropy[i]),
            "right_entropy": float(lexicon.right_entropy[i]),
            "score": float(lexicon.score[i]),
        }


def write_rows(rows: Iterable[dict], columns: list[str], out: TextIO, fmt: str, header: bool = False) -> None:
    """Write rows (the first column is the key) in ``fmt``: tsv, jsonl or jieba."""
    key = columns[0]
    if fmt == "tsv" and header:
        out.write("\t".join(columns) + "\n")
    bad = "\t\n\r " if fmt == "jieba" else "\t\n\r"
    for row in rows:
        word = str(row[key])
        # isprintable() is one pass in C, false for a tab or line break: the usual word skips the search.
        if (not word.isprintable() or (fmt == "jieba" and " " in word)) and any(ch in word for ch in bad):
            raise OutputError(f"refusing to write {word!r}: a tab, space or line break would break {fmt} output")
        if fmt == "tsv":
            out.write("\t".join([f"{v:.3f}" if isinstance(v, float) else str(v) for v in map(row.__getitem__, columns)])
                      + "\n")
        elif fmt == "jsonl":
            out.write(json.dumps({c: row[c] for c in columns}, ensure_ascii=False) + "\n")
        elif fmt == "jieba":
            out.write(f"{word} {row['count']}\n")
        else:
            raise ValueError(f"unknown format {fmt!r}")


def jieba_frequencies() -> dict[str, int]:
    """The words of jieba's bundled dictionary (349 k) and their frequencies.

    Read by a private Tokenizer; nothing else loads it, and no cache is written:
    the global tokenizer and its /tmp cache are left alone.
    """
    import jieba  # deferred: importing jieba costs about 0.3 s

    tokenizer = jieba.Tokenizer()
    with tokenizer.get_dict_file() as handle:
        frequencies, _ = tokenizer.gen_pfdict(handle)
    # gen_pfdict also lists every prefix of a word, with frequency 0.
    return {word: freq for word, freq in frequencies.items() if freq > 0}


def jieba_tokenizer(dictionary: str | None = None, cache_dir: str | None = None):
    """A private, initialised ``jieba.Tokenizer`` (jieba's global default one is never touched).

    ``dictionary``: a ``word freq`` file instead of jieba's own (read once, here);
    ``cache_dir``: where jieba keeps its parsed-dictionary cache (default: its
    own choice, the system's temporary folder). jieba logs its loading at DEBUG
    level on stderr; its logger is raised to WARNING while it loads and restored
    after, so a quiet command stays quiet.
    """
    import logging

    import jieba  # deferred: importing jieba costs about 0.3 s

    tokenizer = jieba.Tokenizer(dictionary) if dictionary else jieba.Tokenizer()
    if cache_dir:
        tokenizer.tmp_dir = cache_dir
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        tokenizer.initialize()
    finally:
        logger.setLevel(level)
    return tokenizer


def jieba_words() -> set[str]:
    """The words of jieba's bundled dictionary, for ``discover --new-only``."""
    return set(jieba_frequencies())


def _lexicon_text(path: str, encoding: str) -> str:
    """The text of a word list: UTF-8 (what ``discover`` writes) or else ``encoding`` (the text's own).

    A byte-order mark says UTF-16 or UTF-32 as it does for text inputs; a
    wordmine count or model file is refused by name.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    check_not_wordmine_file(path, data)
    error = None
    for candidate in dict.fromkeys((wide_bom(data) or "utf-8-sig", encoding)):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError as exc:
            error = exc
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}: check --encoding") from None
    if error.end == len(data) and error.reason in ("unexpected end of data", "truncated data"):
        raise DecodeError(path, error.start, encoding, b"", advice="the text ends inside a character (a cut file?); "
                          "give a whole file")
    hint = suggest_encoding(data[:1 << 20], codecs.lookup(encoding).name)
    raise DecodeError(path, error.start, encoding, data[error.start : error.start + 1], hint)


#: The largest count a lexicon line may give: 2^53, the last whole number a float holds exactly.
#: Counts are summed as 64-bit integers; a count of 1e308 overflowed them (a NumPy warning, then
#: a model that split every character).
MAX_WORD_COUNT = float(1 << 53)


def _count(field: str, path: str, number: int) -> float:
    """A word's count: a finite number above 0 and at most 2^53, else an :class:`InputError` naming the
    file and line.

    >>> _count("12", "w.txt", 3), _count("2.5", "w.txt", 3)
    (12.0, 2.5)
    >>> _count("1e400", "w.txt", 3)
    Traceback (most recent call last):
    wordmine.errors.InputError: w.txt: line 3: count '1e400' is not a finite number above 0 (a line is: word [count])
    """
    try:
        count = float(field)
    except (TypeError, ValueError):
        count = math.nan
    if not (math.isfinite(count) and count > 0) or isinstance(field, bool):
        raise InputError(f"{path}: line {number}: count {field!r} is not a finite number above 0 (a line is: word "
                         "[count])")
    if count > MAX_WORD_COUNT:
        raise InputError(f"{path}: line {number}: count {field!r} is more than 2^53, more than any corpus holds "
                         "(a line is: word [count])")
    return count


def read_word_counts(path: str, encoding: str = "utf-8") -> list[tuple[str, float]]:
    """Words and counts from a lexicon: TSV (word, count, ...), ``word count`` lines, bare words,
    or the JSON lines ``discover --format jsonl`` writes.

    A header line starting with ``word`` is skipped; a missing count is 1, and a count that is
    not a finite number above 0 (``abc``, ``-5``, ``1e400``) is an error naming the file and line.
    The file is read as UTF-8, or else in ``encoding`` (the --encoding of the text).

    >>> import os, tempfile
    >>> scratch = tempfile.TemporaryDirectory()
    >>> path = os.path.join(scratch.name, "words.jsonl")
    >>> _ = open(path, "w").write('{"word": "黑猫", "count": 60}\\n黑狗 3\\n')
    >>> read_word_counts(path)
    [('黑猫', 60.0), ('黑狗', 3.0)]
    >>> scratch.cleanup()
    """
    rows = []
    for number, line in enumerate(_lexicon_text(path, encoding).splitlines(), 1):
        if line.startswith("{"):
            try:
                row = json.loads(line)
                word, count = str(row["word"]), row.get("count", 1.0)
            except (ValueError, KeyError, TypeError, AttributeError):
                raise InputError(f"{path}: line {number} is not a JSON word row") from None
            rows.append((word, _count(count, path, number)))
            continue
        fields = line.replace("\t", " ").split()
        if not fields or (number == 1 and fields[0] == "word"):
            continue
        rows.append((fields[0], _count(fields[1], path, number) if len(fields) > 1 else 1.0))
    return rows
