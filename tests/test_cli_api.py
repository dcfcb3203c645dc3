"""The command line through the public API (issue 20, step 2) and its options checked once (issue 19).

Each CLI case states the exit status and the exact last line of stderr; each API case the error kind
and the same reason the command line gives.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

import wordmine
from wordmine.errors import OptionError, WordmineError

SAMPLES = pathlib.Path(__file__).resolve().parent.parent / "corpora_samples"
STORY = SAMPLES / "story.txt"
TECHNICAL = SAMPLES / "technical.txt"
LINES = ["黑猫喜欢鱼，白狗讨厌鱼，黑猫讨厌白狗"] * 3


def run(*args, env=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wordmine", *map(str, args)], capture_output=True, check=False,
                          env={**os.environ, **(env or {})}, **kwargs)


def last_line(proc: subprocess.CompletedProcess) -> str:
    return proc.stderr.decode().strip().splitlines()[-1]


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
    proc = run("discover", STORY, f"--{name.replace('_', '-')}", value)
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


# Issue 19, item 4: no tracebacks.

@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex"])
def test_cli_codec_that_is_not_a_text_encoding_is_a_usage_error(encoding):
    proc = run("discover", STORY, "--encoding", encoding)
    assert proc.returncode == 2
    assert last_line(proc) == (f"Error: Invalid value for '--encoding': {encoding} is not a text encoding "
                               "(give one such as utf-8, gb18030, big5, utf-16-le)")


def test_cli_dask_nonsense_is_a_usage_error():
    proc = run("count", STORY, "--dask", "nonsense")
    assert proc.returncode == 2
    assert last_line(proc) == ("Error: Invalid value for '--dask': 'nonsense' is not a scheduler: give an address "
                               "with its port (tcp://host:8786) or local:N")


def test_cli_dask_unreachable_scheduler_is_one_line():
    pytest.importorskip("distributed")
    proc = run("count", STORY, "--dask", "tcp://127.0.0.1:1",
               env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"})
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == ("wordmine: error: --dask tcp://127.0.0.1:1: cannot reach the scheduler: "
                                            "Timed out trying to connect to tcp://127.0.0.1:1 after 1 s")


def test_cli_contrast_count_file_among_general_texts_is_a_usage_error(tmp_path):
    counts = tmp_path / "a.wmc"
    assert run("count", STORY, "--order", "2", "-o", counts, "-q").returncode == 0
    proc = run("contrast", STORY, counts, SAMPLES / "everyday.txt")
    assert proc.returncode == 2
    assert last_line(proc) == "Error: GENERAL: give one count file, or text files, not both"


def test_cli_closed_stdout_is_one_line_not_a_traceback():
    proc = run("discover", STORY, "-q", stdout=None, stdin=subprocess.DEVNULL, close_fds=True,
               preexec_fn=lambda: os.close(1))
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == ("wordmine: error: <stdout>: cannot write: standard output is closed; "
                                            "give -o FILE")


# Issue 19, item 6: --format jieba --top N counts entries after the filter.

def test_cli_jieba_top_applies_after_the_filter():
    # The five best words of technical.txt are all in jieba's dictionary: --top 5 first left nothing.
    every = run("discover", TECHNICAL, "-q", "--format", "jieba").stdout.decode().splitlines()
    assert len(every) > 5
    top = run("discover", TECHNICAL, "-q", "--format", "jieba", "--top", "5").stdout.decode().splitlines()
    assert top == every[:5]


# Issue 19, item 10: count --help states the real --min-count default.

def test_cli_count_help_states_min_count_default_1():
    text = " ".join(run("count", "--help").stdout.decode().split())
    assert "(default: 1, every n-gram)" in text and "at least 3" not in text


# Issue 19, item 11: options that would be ignored are usage errors.

@pytest.mark.parametrize("args, message", [
    (["learn", STORY, "-o", "m.wmm", "--gold-weight", "2"],
     "Error: --gold-weight weighs the lines of --gold: give --gold FILE too"),
    (["discover", STORY, "--header", "--format", "jsonl"],
     "Error: --header starts TSV output with column names; --format jsonl has none"),
    (["discover", STORY, "--header", "--format", "jieba"],
     "Error: --header starts TSV output with column names; --format jieba has none"),
    (["discover", STORY, "-o", ""],
     ("Error: Invalid value for '-o' / '--output': an empty path: give a file name, or leave the option out "
      "for standard output")),
])
def test_cli_ignored_options_are_usage_errors(args, message, tmp_path):
    proc = run(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert last_line(proc) == message
    assert list(tmp_path.iterdir()) == []


# Issue 19, item 15: the order of a count file, suggested as discover's.

def test_cli_discover_count_file_of_a_lower_order_suggests_its_order(tmp_path):
    counts = tmp_path / "f.wmc"
    assert run("count", STORY, "--order", "2", "-o", counts, "-q").returncode == 0
    proc = run("discover", counts)
    assert proc.returncode == 2
    assert last_line(proc) == (f"Error: {counts} counted to order 2 (count --order 2): give discover "
                               f"--order 2 {counts}, or count again with --order 4")
    assert run("discover", "--order", "2", counts, "-q").returncode == 0


# Also seen in issue 19: one short stderr line by default, the details behind --verbose; workers capped.

def test_cli_one_short_line_by_default_details_with_verbose():
    plain = run("discover", STORY, "--top", "1")
    assert plain.stderr.decode().splitlines() == ["wordmine: 668 words (min count 3) in 28,394 units"]
    verbose = run("discover", STORY, "--top", "1", "--verbose", "--jobs", "1").stderr.decode().splitlines()
    assert verbose[0].startswith("wordmine: memory budget ") and "spill folder" in verbose[0]
    assert verbose[-1] == "wordmine: 668 words (min count 3) in 28,394 units"
    assert run("discover", STORY, "-q").stderr == b""


def test_cli_jobs_capped_by_input_size_and_said():
    proc = run("count", STORY, "--jobs", "64", "--top", "1")
    assert proc.returncode == 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert proc.stderr.decode().splitlines() == [f"wordmine: --jobs 64: counting with 1 worker ({cores} cores and 96.9k of input)"]


def test_capped_jobs_is_the_one_rule():
    from wordmine.config import capped_jobs

    assert capped_jobs(64, 2_600_000, cores=2) == 1
    assert capped_jobs(64, 100 << 20, cores=2) == 2
    assert capped_jobs(64, None, cores=4) == 4


# merge and eval share the option groups.

def test_cli_merge_takes_quiet_verbose_memory_tmp_dir_and_refuses_jobs(tmp_path):
    counts = tmp_path / "a.wmc"
    assert run("count", STORY, "--order", "2", "-o", counts, "-q").returncode == 0
    proc = run("merge", counts, counts, "-o", tmp_path / "b.wmc", "--verbose", "--memory", "500M",
               "--tmp-dir", tmp_path)
    assert proc.returncode == 0
    lines = proc.stderr.decode().splitlines()
    assert lines[0] == "wordmine: memory budget 500M (--memory); merging 2 count files"
    assert lines[1] == f"wordmine: merged 2 count files, 56,788 units; wrote {tmp_path / 'b.wmc'}"
    assert run("merge", counts, "-o", tmp_path / "c.wmc", "--jobs", "2").returncode == 2


def test_cli_eval_reads_encoding_and_quiet(tmp_path):
    gold = tmp_path / "gold.txt"
    gold.write_bytes("我 爱 北京\n".encode("gb18030"))
    proc = run("eval", gold, gold, "--encoding", "gb18030", "-q")
    assert proc.returncode == 0 and proc.stdout.decode().splitlines()[2] == "f1\t1.0000"
