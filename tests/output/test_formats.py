"""The rows written: TSV on stdout and nothing else, --header, JSON lines, jieba's user dictionary, --top,
and the count file that only goes to -o."""

from __future__ import annotations

import json

from tests.helpers import TECHNICAL_PATH, invoke, run_wordmine


def test_discover_prints_tsv_rows_on_stdout_only(run_wordmine, story):
    proc = run_wordmine("discover", story, "--min-count", "20", "--header", "--quiet")
    assert proc.returncode == 0 and proc.stderr == b""
    lines = proc.stdout.decode().splitlines()
    assert lines[0].split("\t") == ["word", "count", "cohesion", "left_entropy", "right_entropy", "score"]
    assert {line.split("\t")[0] for line in lines[1:]} == {"黑猫", "白狗", "小鸟", "喜欢", "讨厌", "骨头", "米粒"}


def test_jieba_format_loads_as_a_user_dictionary(story, tmp_path):
    out = tmp_path / "userdict.txt"
    assert invoke("discover", story, "--min-count", "20", "--format", "jieba", "-o", out).exit_code == 0
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(out))
    assert list(tokenizer.cut("小鸟讨厌米粒", HMM=False)) == ["小鸟", "讨厌", "米粒"]


def test_jsonl_and_top(story):
    result = invoke("discover", story, "--min-count", "20", "--format", "jsonl", "--top", "2", "-q")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 2 and set(rows[0]) == {"word", "count", "cohesion", "left_entropy",
                                               "right_entropy", "score"}


def test_count_prints_ngrams_as_tsv(story):
    result = invoke("count", story, "--order", "1", "--top", "3", "--header", "-q")
    lines = result.output.splitlines()
    assert lines[0] == "ngram\torder\tcount"
    # 喜, 欢, 讨, 厌 stand in 9 of the 18 sentences of each of the 20 repeats
    assert lines[1].split("\t") in (["喜", "1", "180"], ["欢", "1", "180"])


def test_count_file_to_stdout_is_a_usage_error(run_wordmine, story):
    result = run_wordmine("count", story, "--format", "wmc")
    assert result.returncode == 2 and b"give -o FILE.wmc" in result.stderr


# Issue 19, item 6: --format jieba --top N counts entries after the filter.


def test_cli_jieba_top_applies_after_the_filter():
    # The five best words of technical.txt are all in jieba's dictionary: --top 5 first left nothing.
    every = run_wordmine("discover", TECHNICAL_PATH, "-q", "--format", "jieba").stdout.decode().splitlines()
    assert len(every) > 5
    top = run_wordmine("discover", TECHNICAL_PATH, "-q", "--format", "jieba", "--top", "5").stdout.decode().splitlines()
    assert top == every[:5]
