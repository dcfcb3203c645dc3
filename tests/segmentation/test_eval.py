"""eval of nothing: no 0.0000 that reads as a score, in the CLI and the API.

test_r3_NN: item NN of issue 19 (docs/reliability.md cites them).
"""

from __future__ import annotations

import pytest

import wordmine


@pytest.mark.parametrize("content", ["", "\n\n", "  \n"])
def test_r3_16_eval_of_empty_files_says_there_is_nothing_to_score(run_wordmine, tmp_path, content):
    empty = tmp_path / "empty.txt"
    empty.write_text(content, encoding="utf-8")
    result = run_wordmine("eval", empty, empty)
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", "wordmine: error: nothing to score: the gold segmentation holds no words (empty lines only)\n")


def test_r3_16_the_api_refuses_to_score_nothing():
    with pytest.raises(wordmine.errors.WordmineError, match="^nothing to score"):
        wordmine.evaluate([], [])
