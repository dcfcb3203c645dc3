"""Lexicon counts past what a count can be, and the Segmenter given what is not text (issue 19, items 12
and 13, probed again). Every test failed before its fix."""

from __future__ import annotations

import importlib.util
import pathlib

import pytest

import wordmine
from wordmine.errors import WordmineError

needs_proc = pytest.mark.skipif(not pathlib.Path("/proc/self/stat").exists(), reason="needs Linux /proc")
needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="the optional wordmine[dask] extra is not installed")


# Lexicon counts past what a count can be (item 12, probed again)


@pytest.mark.parametrize("count", ["1e308", "1e16"])
def test_a_lexicon_count_above_2_to_the_53_is_one_line(run_wordmine, tmp_path, count):
    # 1e308 passed as a finite number above 0, overflowed the 64-bit sum: a NumPy RuntimeWarning
    # on stderr despite -q, and a model that split every character.
    lexicon = tmp_path / "lexicon.txt"
    lexicon.write_text(f"黑猫\t6\n白狗\t{count}\n", encoding="utf-8")
    result = run_wordmine("segment", "--lexicon", lexicon, "-q", input="黑猫喜欢白狗\n".encode())
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", (f"wordmine: error: {lexicon}: line 2: count '{count}' is more than 2^53, more than any corpus "
                 "holds (a line is: word [count])\n"))


def test_a_word_on_many_lexicon_lines_keeps_its_summed_count(run_wordmine, tmp_path):
    # 2000 lines of 2^53 summed past 2^63 as 64-bit integers: the sum wrapped below 0, was taken
    # as a count of 1, and the rare 猫喜 won over the most frequent word of the list.
    lexicon = tmp_path / "lexicon.txt"
    lexicon.write_text(f"黑猫\t{2 ** 53}\n" * 2000 + "猫喜\t3\n", encoding="utf-8")
    result = run_wordmine("segment", "--lexicon", lexicon, "-q", input="黑猫喜\n".encode())
    assert (result.returncode, result.stdout.decode(), result.stderr) == (0, "黑猫 喜\n", b"")


# The Segmenter given what is not lines of text (item 13, probed again)


@pytest.fixture(scope="module")
def segmenter():
    return wordmine.learn(["黑猫喜欢鱼，白狗讨厌骨头。"] * 20, method="unigram")


@pytest.mark.parametrize("lines, message", [
    ([b"abc"], "segment: lines must be text (str), not bytes: decode them first, or give the path"),
    ([1, 2], "segment: lines must be text (str), not int 1"),
    ([["a"]], "segment: lines must be text (str), not list ['a']"),
    (None, "segment takes lines (e.g. a list of str), not NoneType"),
    (5, "segment takes lines (e.g. a list of str), not int"),
    ("黑猫", "segment takes lines (e.g. a list of str), not one string: give [text], or use cut()"),
])
def test_segmenter_segment_refuses_what_is_not_lines_of_text(segmenter, lines, message):
    # bytes, ints and None raised TypeError or AttributeError from inside the segmenter.
    with pytest.raises(WordmineError) as caught:
        list(segmenter.segment(lines))
    assert str(caught.value) == message


def test_segmenter_segment_refuses_one_string_when_called_not_when_iterated(segmenter):
    with pytest.raises(WordmineError):
        segmenter.segment("黑猫")


@pytest.mark.parametrize("text, message", [
    (b"abc", "cut takes one text (str), not bytes: decode it first"),
    (None, "cut takes one text (str), not NoneType"),
])
def test_segmenter_cut_refuses_what_is_not_text(segmenter, text, message):
    with pytest.raises(WordmineError) as caught:
        segmenter.cut(text)
    assert str(caught.value) == message
