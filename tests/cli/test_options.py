"""Options checked once: those a command would ignore are usage errors, --help says the real defaults, -q and
--verbose, and merge and eval share the option groups of the other commands.

test_fault_NN: fault NN of issue 11 (docs/reliability.md cites them).
"""

from __future__ import annotations

import pytest

from tests.helpers import STORY_PATH, last_line, model_file, run_wordmine

# Fault 14 of issue 11: each command offers only the options it reads


@pytest.mark.parametrize("args", [
    ["segment", "STORY", "--header"], ["segment", "STORY", "--top", "3"],
    ["learn", "STORY", "-o", "M", "--header"], ["learn", "STORY", "-o", "M", "--top", "3"],
    ["segment", "STORY", "--model", "M", "--method", "unigram"],
    ["segment", "STORY", "--model", "M", "--transitions", "published"],
    ["segment", "STORY", "--model", "M", "--min-count", "3"],
    ["segment", "STORY", "--lexicon", "M", "--method", "classic"],
    ["segment", "STORY", "--method", "unigram", "--transitions", "published"],
    ["learn", "STORY", "-o", "M", "--method", "unigram", "--transitions", "calibrated"],
])
def test_fault_14_options_that_would_be_ignored_are_usage_errors(tmp_path, story, args):
    model = model_file(tmp_path, story)
    proc = run_wordmine(*(story if a == "STORY" else model if a == "M" else a for a in args))
    assert proc.returncode == 2, proc.stderr


# Issue 19, item 10: count --help states the real --min-count default.


def test_cli_count_help_states_min_count_default_1():
    text = " ".join(run_wordmine("count", "--help").stdout.decode().split())
    assert "(default: 1, every n-gram)" in text and "at least 3" not in text


# Issue 19, item 11: options that would be ignored are usage errors.


@pytest.mark.parametrize("args, message", [
    (["learn", STORY_PATH, "-o", "m.wmm", "--gold-weight", "2"],
     "Error: --gold-weight weighs the lines of --gold: give --gold FILE too"),
    (["discover", STORY_PATH, "--header", "--format", "jsonl"],
     "Error: --header starts TSV output with column names; --format jsonl has none"),
    (["discover", STORY_PATH, "--header", "--format", "jieba"],
     "Error: --header starts TSV output with column names; --format jieba has none"),
    (["discover", STORY_PATH, "-o", ""],
     ("Error: Invalid value for '-o' / '--output': an empty path: give a file name, or leave the option out "
      "for standard output")),
])
def test_cli_ignored_options_are_usage_errors(args, message, tmp_path):
    proc = run_wordmine(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert last_line(proc) == message
    assert list(tmp_path.iterdir()) == []


# Also seen in issue 19: one short stderr line by default, the details behind --verbose; workers capped.


def test_cli_one_short_line_by_default_details_with_verbose():
    plain = run_wordmine("discover", STORY_PATH, "--top", "1")
    assert plain.stderr.decode().splitlines() == ["wordmine: 668 words (min count 3) in 28,394 units"]
    verbose = run_wordmine("discover", STORY_PATH, "--top", "1", "--verbose", "--jobs", "1").stderr.decode().splitlines()
    assert verbose[0].startswith("wordmine: memory budget ") and "spill folder" in verbose[0]
    assert verbose[-1] == "wordmine: 668 words (min count 3) in 28,394 units"
    assert run_wordmine("discover", STORY_PATH, "-q").stderr == b""


# merge and eval share the option groups.


def test_cli_merge_takes_quiet_verbose_memory_tmp_dir_and_refuses_jobs(tmp_path):
    counts = tmp_path / "a.wmc"
    assert run_wordmine("count", STORY_PATH, "--order", "2", "-o", counts, "-q").returncode == 0
    proc = run_wordmine("merge", counts, counts, "-o", tmp_path / "b.wmc", "--verbose", "--memory", "500M",
                        "--tmp-dir", tmp_path)
    assert proc.returncode == 0
    lines = proc.stderr.decode().splitlines()
    assert lines[0] == "wordmine: memory budget 500M (--memory); merging 2 count files"
    assert lines[1] == f"wordmine: merged 2 count files, 56,788 units; wrote {tmp_path / 'b.wmc'}"
    assert run_wordmine("merge", counts, "-o", tmp_path / "c.wmc", "--jobs", "2").returncode == 2


def test_cli_eval_reads_encoding_and_quiet(tmp_path):
    gold = tmp_path / "gold.txt"
    gold.write_bytes("我 爱 北京\n".encode("gb18030"))
    proc = run_wordmine("eval", gold, gold, "--encoding", "gb18030", "-q")
    assert proc.returncode == 0 and proc.stdout.decode().splitlines()[2] == "f1\t1.0000"
