"""The API takes what the CLI takes and refuses what it refuses, with the same reason (issue 19, item 13);
its hooks and rows."""

from __future__ import annotations

import pytest

import wordmine
from tests.helpers import STORY_PATH, last_line, run_wordmine
from wordmine.errors import OptionError, WordmineError

LINES = ["黑猫喜欢鱼，白狗讨厌鱼，黑猫讨厌白狗"] * 3


# Issue 19, item 13: the API takes what the CLI takes, and refuses what it refuses, with the same reason.


def test_api_memory_as_a_size_string():
    assert [w.word for w in wordmine.discover(LINES, min_count=3, memory="500M")][:1] == ["白狗"]


@pytest.mark.parametrize("kwargs, reason", [
    ({"order": 1}, "1 is not in the range 2..7"),
    ({"order": 50}, "50 is not in the range 2..7"),
    ({"top": -1}, "-1 is below 0"),
    ({"min_count": 0}, "0 is below 1"),
])
def test_api_refuses_what_the_cli_refuses_with_the_same_reason(kwargs, reason, tmp_path):
    with pytest.raises(OptionError) as caught:
        wordmine.discover(LINES, **kwargs)
    assert caught.value.reason == reason
    name, value = next(iter(kwargs.items()))
    proc = run_wordmine("discover", STORY_PATH, f"--{name.replace('_', '-')}", value)
    assert proc.returncode == 2
    assert last_line(proc) == f"Error: Invalid value for '--{name.replace('_', '-')}': {reason}"


def test_api_order_message_names_the_cli_range():
    with pytest.raises(OptionError, match=r"^order: 50 is not in the range 2\.\.7$"):
        wordmine.discover(LINES, order=50)


@pytest.mark.parametrize("source", [[b"\xe9\xbb\x91\xe7\x8c\xab"], [1, 2], 5, b"bytes"])
def test_api_bytes_lines_or_ints_are_a_wordmine_error_not_a_type_error(source):
    with pytest.raises(WordmineError):
        wordmine.discover(source, min_count=3)


def test_api_contrast_takes_a_str_general_as_one_path(tmp_path):
    domain = tmp_path / "domain.txt"
    domain.write_text("\n".join(["病人服用阿莫西林后发烧", "阿莫西林治疗感染"] * 30), encoding="utf-8")
    general = tmp_path / "general.txt"
    general.write_text("\n".join(["今天天气很好，我们去公园散步"] * 60), encoding="utf-8")
    as_str = wordmine.contrast(str(domain), str(general), min_count=5, top=3)
    as_list = wordmine.contrast(str(domain), [str(general)], min_count=5, top=3)
    assert as_str == as_list and as_str[0].term == "阿莫西林"


def test_api_model_segment_refuses_one_string():
    model = wordmine.learn(LINES, method="unigram", min_count=3)
    with pytest.raises(OptionError, match="not one string"):
        list(model.segment("黑猫喜欢鱼"))
    assert list(model.segment(["黑猫喜欢鱼"])) == [" ".join(model.cut("黑猫喜欢鱼"))]


def test_api_hooks_are_told_and_optional():
    said, details = [], []
    words = wordmine.discover(LINES, min_count=3, hooks=wordmine.Hooks(say=said.append, detail=details.append))
    assert said == ["4 words (min count 3) in 48 units"]
    assert any(d.startswith("memory budget ") for d in details)
    assert words == wordmine.discover(LINES, min_count=3)


def test_api_ngrams_are_count_rows():
    assert list(wordmine.ngrams(["天天向上"], order=1, min_count=2)) == [("天", 1, 2)]
