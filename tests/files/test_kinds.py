"""Files of the wrong kind: the .wmc extension in any case, wordmine files given as text, a count file among
texts, a count file of a lower order than asked.

test_fault_NN: fault NN of issue 11; test_r3_NN: item NN of issue 19 (docs/reliability.md cites them).
"""

from __future__ import annotations

import pytest

from tests.helpers import SAMPLES, STORY_PATH, last_line, run_wordmine, stderr_lines
from wordmine.segmentation import modelfile

COUNT_FILE = ("a wordmine count file (from count -o FILE.wmc), not text: give it as the input of discover, "
              "contrast or learn, or to merge")


MODEL_FILE = "a wordmine model file (from learn -o FILE.wmm), not text: give it to segment --model"


# Fault 3 of issue 11: the count-file extension in any case


def test_fault_03_upper_case_wmc_is_a_count_file(tmp_path, story):
    proc = run_wordmine("count", story, "-q", "-o", tmp_path / "X.WMC")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "X.WMC").read_bytes()[:8] == b"WMCOUNTS"


@pytest.mark.parametrize("args, named, what", [
    (["discover", "{m}", "-q"], "{m}", MODEL_FILE),
    (["segment", "{x}", "-q"], "{x}", COUNT_FILE),
    (["segment", "--model", "{m}", "{x}", "-q"], "{x}", COUNT_FILE),
    (["eval", "{g}", "{m}"], "{m}", MODEL_FILE),
    (["segment", "--lexicon", "{m}", "{g}", "-q"], "{m}", MODEL_FILE),
])
def test_r3_14_wordmine_files_given_as_text_are_named(run_wordmine, wordmine_files, args, named, what):
    paths = {"m": wordmine_files / "m.wmm", "x": wordmine_files / "x.wmc", "g": wordmine_files / "toy.txt"}
    result = run_wordmine(*(arg.format(**paths) for arg in args))
    assert (result.returncode, result.stdout) == (1, b"")
    assert stderr_lines(result)[-1] == f"wordmine: error: {named.format(**paths)}: {what}"


def test_r3_14_the_named_magics_are_the_writers_own():
    from wordmine.counting.files import countfile
    from wordmine.io.text import WORDMINE_FILES

    assert set(WORDMINE_FILES) == {countfile.MAGIC, modelfile.MAGIC}


# Issue 19, item 4: no tracebacks.


def test_cli_contrast_count_file_among_general_texts_is_a_usage_error(tmp_path):
    counts = tmp_path / "a.wmc"
    assert run_wordmine("count", STORY_PATH, "--order", "2", "-o", counts, "-q").returncode == 0
    proc = run_wordmine("contrast", STORY_PATH, counts, SAMPLES / "everyday.txt")
    assert proc.returncode == 2
    assert last_line(proc) == "Error: GENERAL: give one count file, or text files, not both"


# Issue 19, item 15: the order of a count file, suggested as discover's.


def test_cli_discover_count_file_of_a_lower_order_suggests_its_order(tmp_path):
    counts = tmp_path / "f.wmc"
    assert run_wordmine("count", STORY_PATH, "--order", "2", "-o", counts, "-q").returncode == 0
    proc = run_wordmine("discover", counts)
    assert proc.returncode == 2
    assert last_line(proc) == (f"Error: {counts} counted to order 2 (count --order 2): give discover "
                               f"--order 2 {counts}, or count again with --order 4")
    assert run_wordmine("discover", "--order", "2", counts, "-q").returncode == 0
