"""A key that would break its format is refused, never written: a tab or line break in TSV and JSON lines rows'
words, a space too in jieba's `word freq` lines; every other character is written as it is."""

from __future__ import annotations

import io

import pytest

from wordmine.errors import OutputError
from wordmine.io.tables import write_rows

COLUMNS = ["word", "count", "score"]


def _written(word: str, fmt: str) -> str:
    out = io.StringIO()
    write_rows([{"word": "天地", "count": 3, "score": 1.25}, {"word": word, "count": 2, "score": 0.5}], COLUMNS, out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("word", ["天\t地", "天\n地", "天\r地", "\t"])
@pytest.mark.parametrize("fmt", ["tsv", "jsonl", "jieba"])
def test_a_tab_or_line_break_is_refused_in_every_format(word, fmt):
    with pytest.raises(OutputError, match="refusing to write"):
        _written(word, fmt)


def test_a_space_is_refused_in_jieba_lines_only():
    with pytest.raises(OutputError, match="jieba"):
        _written("iPhone 5", "jieba")
    assert _written("iPhone 5", "tsv") == "天地\t3\t1.250\niPhone 5\t2\t0.500\n"


def test_other_characters_that_print_as_nothing_are_written_as_they_are():
    assert _written("天\u200b地\u3000", "tsv") == "天地\t3\t1.250\n天\u200b地\u3000\t2\t0.500\n"
    assert _written("天\u200b地", "jieba") == "天地 3\n天\u200b地 2\n"
