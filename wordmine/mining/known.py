"""The words a user already knows: jieba's dictionary, their own lexicons, in either script.

``discover --new-only`` lists only words outside this set, and ``--known FILE``
(repeatable) adds a user's lexicons to it: one word a line, or jieba's user
dictionary lines ``word freq tag`` (freq and tag optional, as
``jieba.load_userdict`` reads them). ``--known none`` leaves jieba's dictionary
out, so that only the user's lists count.

jieba's dictionary is written in simplified characters, so on traditional text
沒有 什麼 這個 他們 would all look new. Membership is therefore also tried
through a table of traditional characters and their simplified forms: a word
is known when it, or its characters each in simplified form, is in the set.
The table is OpenCC's character table (Carbo Kuo et al., OpenCC, Open Chinese
Convert, https://github.com/BYVoid/OpenCC, Apache License 2.0), kept as a data
file of 4,105 pairs (``wordmine/data/t2s_characters.tsv``, its header names the
source): a conversion by characters, not by phrases, is all a look-up needs,
since a word is tried as written first. Words are always reported in the
text's own characters.

>>> known = KnownWords(["没有", "什么", "新冠"])
>>> "沒有" in known, "什麼" in known, "新冠" in known, "疫苗" in known
(True, True, True, False)
>>> simplified("這個們")
'这个们'
"""

from __future__ import annotations

import codecs
import functools
import os
from collections.abc import Iterable
from importlib import resources

from wordmine.config import NO_JIEBA
from wordmine.errors import InputError
from wordmine.io.text import check_not_wordmine_file, suggest_encoding, wide_bom


@functools.lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    """The traditional -> simplified character table, for ``str.translate``."""
    text = resources.files("wordmine").joinpath("data", "t2s_characters.tsv").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            traditional, simple = line.split("\t")
            table[ord(traditional)] = simple
    return table


def simplified(word: str) -> str:
    """``word`` with each traditional character in its (first) simplified form."""
    return word.translate(_t2s_table())


class KnownWords(frozenset):
    """A frozenset of words whose membership test (``in``) also tries a word in simplified characters.

    Only ``in`` looks through the table; set operations (``&``, ``-``)
    compare words as written.
    """

    def __contains__(self, word: object) -> bool:
        if frozenset.__contains__(self, word):
            return True
        if not isinstance(word, str):
            return False
        plain = simplified(word)
        return plain != word and frozenset.__contains__(self, plain)


def read_known_file(path: str | os.PathLike[str], encoding: str = "utf-8") -> list[str]:
    """The words of a lexicon: one word a line, or jieba's ``word freq tag`` lines.

    Blank lines are skipped; the frequency, when there is one, must be a whole
    number (as jieba requires); a file with no word is an error, as it is
    surely not the file meant. Read as UTF-8 (with or without a byte-order
    mark; a UTF-16 or UTF-32 one is read as such), or else in ``encoding``;
    a wordmine count or model file is refused by name.

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "mine.txt")
    ...     _ = open(path, "w", encoding="utf-8").write("新冠\\n\\n核酸检测 30 n\\n方舱 5\\n")
    ...     read_known_file(path)
    ['新冠', '核酸检测', '方舱']
    """
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InputError(f"--known {name}: cannot read: {exc.strerror}") from None
    check_not_wordmine_file(f"--known {name}", data)
    text = None
    for candidate in dict.fromkeys((wide_bom(data) or "utf-8-sig", encoding)):
        try:
            text = data.decode(candidate)
            break
        except UnicodeDecodeError:
            continue
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}: check --encoding") from None
    if text is None:
        codec = codecs.lookup(encoding).name
        hint = suggest_encoding(data[: 1 << 20], codec)
        raise InputError(f"--known {name}: not UTF-8{'' if codec == 'utf-8' else ' nor ' + encoding}: " +
                         (f"try --encoding {hint}" if hint else "give the file's --encoding"))
    words = []
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) > 3 or (len(fields) > 1 and not fields[1].isdigit()):
            raise InputError(f"--known {name}: line {number} is not 'word' nor 'word freq tag' "
                             f"(the frequency a whole number): {line.strip()[:40]!r}")
        words.append(fields[0])
    if not words:
        raise InputError(f"--known {name}: no words in the file (one word a line, or 'word freq tag')")
    return words


def known_words(paths: Iterable[str | os.PathLike[str]] | None = None, encoding: str = "utf-8") -> KnownWords:
    """jieba's dictionary words (unless one of ``paths`` is ``none``) plus the words of the files.

    None or no paths: jieba's dictionary alone. Missing, unreadable or empty
    files and malformed lines raise :class:`~wordmine.errors.InputError`
    before any work.
    """
    paths = [os.fspath(p) for p in paths or ()]
    files = [p for p in paths if p != NO_JIEBA]
    words: set[str] = set()
    for path in files:
        words.update(read_known_file(path, encoding))
    if NO_JIEBA not in paths:
        from wordmine.io.tables import jieba_words  # deferred: reading jieba's dictionary takes a second

        words.update(jieba_words())
    return KnownWords(words)
