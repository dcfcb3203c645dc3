"""Every command against any text: arbitrary Unicode (Hypothesis), mixed scripts, emoji and controls,
an empty file."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import invoke
from wordmine.counting.files.countfile import read_counts
from wordmine.errors import InputError
from wordmine.normalize import Vocabulary

# Arbitrary code points (but lone surrogates, which UTF-8 cannot carry),
# mixed with Han text, line ends and white space so that words and lines do occur.
ANY_TEXT = st.text(st.one_of(st.sampled_from("天地人中国上下，。\n\r\t 😀iOS7"), st.characters(codec="utf-8")),
                   max_size=80)


ANYTHING = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def written(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def assert_documented_outcome(result, text):
    """Success, or, for text holding a NUL, the documented refusal of binary input."""
    if "\x00" in text:
        assert isinstance(result.exception, InputError) and "NUL byte" in str(result.exception)
    else:
        assert result.exit_code == 0, (result.output, result.exception)


@ANYTHING
@given(text=ANY_TEXT)
def test_count_of_any_text_adds_up_to_its_units(tmp_path, text):
    source = written(tmp_path, "any.txt", text)
    result = invoke("count", source, "--jobs", "1", "-q", "-o", tmp_path / "any.wmc")
    assert_documented_outcome(result, text)
    if result.exit_code == 0:
        corpus = read_counts(str(tmp_path / "any.wmc"))
        assert corpus.counts.counts[0].sum() == corpus.total_units == np.count_nonzero(corpus.stream.to_array())


@ANYTHING
@given(text=ANY_TEXT)
def test_discover_and_contrast_take_any_text(tmp_path, text):
    source = written(tmp_path, "any.txt", text)
    general = written(tmp_path, "general.txt", "天地人，中国上下。\n" * 3)
    assert_documented_outcome(invoke("discover", source, "--jobs", "1", "-q"), text)
    assert_documented_outcome(invoke("contrast", source, general, "--jobs", "1", "-q"), text)


@pytest.fixture
def jieba_read_once(monkeypatch):
    """jieba's word list read once for all the examples of a test, not once a command (a second each).

    learn and segment adapt to jieba by default and drop its word list when done with it
    (jieba_dict.forget_dictionary); the list read is the same every time and is never changed,
    so only the forgetting waits until the test ends.
    """
    from wordmine.mining import jieba_dict

    forget = jieba_dict.forget_dictionary
    monkeypatch.setattr(jieba_dict, "forget_dictionary", lambda: None)
    yield
    forget()


@ANYTHING
@given(text=ANY_TEXT)
@pytest.mark.slow
def test_learn_segment_and_eval_take_any_text_and_segmenting_is_lossless(lossless, tmp_path, jieba_read_once, text):
    source = written(tmp_path, "any.txt", text)
    learned = invoke("learn", source, "--jobs", "1", "-q", "-o", tmp_path / "any.wmm")
    if "\x00" not in text and not Vocabulary().encode(text).any():
        # No unit at all (no letter, digit or ideograph): a model of nothing is refused, not written.
        assert learned.exit_code == 1 and "nothing to learn from" in str(learned.exception)
    else:
        assert_documented_outcome(learned, text)
    segmented = invoke("segment", source, "--jobs", "1", "-q", "-o", tmp_path / "seg.txt")
    assert_documented_outcome(segmented, text)
    if "\x00" in text:
        return
    produced = (tmp_path / "seg.txt").read_text(encoding="utf-8").split("\n")[:-1]
    # An empty file is no line; to segment_text the empty string is one empty line.
    lossless(text, produced if text else [""])
    # A segmentation scored against itself is perfect, whatever the characters.
    scored = invoke("eval", tmp_path / "seg.txt", tmp_path / "seg.txt")
    if any(produced_line.split() for produced_line in produced):
        assert scored.exit_code == 0, scored.output
        assert "f1\t1.0000" in scored.output
    else:  # no word at all: nothing to score, said in one line
        assert scored.exit_code == 1 and str(scored.exception).startswith("nothing to score")


@ANYTHING
@given(texts=st.lists(ANY_TEXT.filter(lambda t: "\x00" not in t), min_size=1, max_size=3))
def test_merge_of_any_counts_is_the_count_of_the_whole(tmp_path, texts):
    paths = [written(tmp_path, f"part{i}.txt", t) for i, t in enumerate(texts)]
    for i, path in enumerate(paths):
        assert invoke("count", path, "--jobs", "1", "-q", "-o", tmp_path / f"part{i}.wmc").exit_code == 0
    assert invoke("count", *paths, "--jobs", "1", "-q", "-o", tmp_path / "whole.wmc").exit_code == 0
    merged = invoke("merge", *(tmp_path / f"part{i}.wmc" for i in range(len(paths))), "-q",
                    "-o", tmp_path / "merged.wmc")
    assert merged.exit_code == 0, merged.output
    assert (tmp_path / "merged.wmc").read_bytes() == (tmp_path / "whole.wmc").read_bytes()


def test_mixed_scripts_emoji_controls_and_one_long_line(run_wordmine, tmp_path):
    rng = random.Random(5)
    pieces = ["繁體", "測試", "iPhone", "中文", "混合", "😀", "\x01", "\x1b[31m", "，", "的", "了"]
    text = "".join(rng.choice(pieces) for _ in range(60000))  # about 100 k characters, no line end
    path = tmp_path / "mixed.txt"
    path.write_text(text, encoding="utf-8")
    proc = run_wordmine("discover", path, "-q")
    assert proc.returncode == 0 and proc.stderr == b""
    words = {line.split("\t")[0] for line in proc.stdout.decode().splitlines()}
    assert {"繁體", "測試", "中文", "混合"} <= words
    assert not any("\x1b" in w or "😀" in w or "\x01" in w for w in words)


def test_empty_input_gives_empty_output(run_wordmine, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for command in ["count", "discover"]:
        proc = run_wordmine(command, empty, "-q")
        assert proc.returncode == 0 and proc.stdout == b"" and proc.stderr == b""
