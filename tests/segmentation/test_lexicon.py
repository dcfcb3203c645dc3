"""segment --lexicon: discover's JSON lines read as a lexicon, counts that are not positive numbers refused.

test_fault_NN: fault NN of issue 11; test_r3_NN: item NN of issue 19 (docs/reliability.md cites them).
"""

from __future__ import annotations

import pytest

from tests.helpers import run_wordmine, status_and_stderr

# Fault 14 of issue 11: each command offers only the options it reads


def test_fault_14_segment_reads_discover_json_output_as_a_lexicon(tmp_path, story):
    words = tmp_path / "words.jsonl"
    assert run_wordmine("discover", story, "--format", "jsonl", "-q", "-o", words).returncode == 0
    tsv = tmp_path / "words.tsv"
    assert run_wordmine("discover", story, "-q", "-o", tsv).returncode == 0
    from_json = run_wordmine("segment", story, "--lexicon", words, "-q", "--jobs", "1")
    assert from_json.returncode == 0, from_json.stderr
    assert from_json.stdout == run_wordmine("segment", story, "--lexicon", tsv, "-q", "--jobs", "1").stdout
    assert from_json.stdout.decode().startswith("黑猫 喜欢 ")


@pytest.mark.parametrize("count", ["1e400", "abc", "-5", "0", "nan"])
def test_r3_12_a_lexicon_count_that_is_not_a_positive_number_is_one_line(run_wordmine, tmp_path, count):
    lexicon = tmp_path / "lexicon.txt"
    lexicon.write_text(f"word\tcount\n黑猫\t6\n白狗\t{count}\n", encoding="utf-8")
    result = run_wordmine("segment", "--lexicon", lexicon, "-q", input="黑猫喜欢白狗\n".encode())
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", (f"wordmine: error: {lexicon}: line 3: count '{count}' is not a finite number above 0 "
                "(a line is: word [count])\n"))


def test_r3_12_a_json_lexicon_row_with_an_infinite_count_is_one_line(run_wordmine, tmp_path):
    lexicon = tmp_path / "lexicon.jsonl"
    lexicon.write_text('{"word": "黑猫", "count": 1e400}\n', encoding="utf-8")
    result = run_wordmine("segment", "--lexicon", lexicon, "-q", input="黑猫\n".encode())
    assert status_and_stderr(result) == (
        1, f"wordmine: error: {lexicon}: line 1: count inf is not a finite number above 0 (a line is: word [count])\n")
