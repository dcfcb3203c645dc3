"""The command line through click's runner and through real processes and pipes."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
from click.testing import CliRunner

from wordmine.cli import cli

STORY = "，".join(s + v + o for s in ["黑猫", "白狗", "小鸟"] for v in ["喜欢", "讨厌"]
                 for o in ["鱼", "骨头", "米粒"]) * 20


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY + "\n", encoding="utf-8")
    return path


def invoke(*args, input=None):
    result = CliRunner().invoke(cli, [str(a) for a in args], input=input)
    return result


@pytest.mark.parametrize("command", ["count", "discover"])
def test_every_command_has_help_and_the_shared_options(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    for option in ["--quiet", "--encoding", "--output", "--header", "--format", "--top",
                   "--min-count", "--memory"]:
        assert option in result.output


def test_discover_prints_tsv_rows_on_stdout_only(run_wordmine, story):
    proc = run_wordmine("discover", story, "--min-count", "20", "--header", "--quiet")
    assert proc.returncode == 0 and proc.stderr == b""
    lines = proc.stdout.decode().splitlines()
    assert lines[0].split("\t") == ["word", "count", "cohesion", "left_entropy", "right_entropy", "score"]
    assert {line.split("\t")[0] for line in lines[1:]} == {"黑猫", "白狗", "小鸟", "喜欢", "讨厌", "骨头", "米粒"}


def test_discover_reads_stdin_and_counts_match(run_wordmine, story):
    from_file = run_wordmine("discover", story, "--min-count", "20", "-q").stdout
    from_stdin = run_wordmine("discover", "-", "--min-count", "20", "-q", input=story.read_bytes()).stdout
    assert from_file == from_stdin and from_file


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


def test_count_file_gives_the_same_discovery_as_the_text(run_wordmine, story, tmp_path):
    wmc = tmp_path / "story.wmc"
    assert run_wordmine("count", story, "-o", wmc, "-q").returncode == 0
    from_counts = run_wordmine("discover", wmc, "--min-count", "20", "-q").stdout
    assert from_counts == run_wordmine("discover", story, "--min-count", "20", "-q").stdout


def test_count_prints_ngrams_as_tsv(story):
    result = invoke("count", story, "--order", "1", "--top", "3", "--header", "-q")
    lines = result.output.splitlines()
    assert lines[0] == "ngram\torder\tcount"
    # 喜, 欢, 讨, 厌 stand in 9 of the 18 sentences of each of the 20 repeats
    assert lines[1].split("\t") in (["喜", "1", "180"], ["欢", "1", "180"])


def test_count_file_to_stdout_is_a_usage_error(run_wordmine, story):
    result = run_wordmine("count", story, "--format", "wmc")
    assert result.returncode == 2 and b"give -o FILE.wmc" in result.stderr


def test_empty_input_gives_empty_output(run_wordmine, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for command in ["count", "discover"]:
        proc = run_wordmine(command, empty, "-q")
        assert proc.returncode == 0 and proc.stdout == b"" and proc.stderr == b""


def test_undecodable_input_is_one_line_exit_1(run_wordmine, tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("新词发现".encode("gbk"))
    proc = run_wordmine("discover", gbk, "--verbose")
    assert proc.returncode == 1
    # With --verbose, the budget line comes first (it is said at every start), then the error, in one line.
    budget, message = proc.stderr.decode().strip().split("\n")
    assert budget.startswith("wordmine: memory budget ") and message.startswith("wordmine: error: ")
    assert f"{gbk}" in message and "offset 0" in message
    assert "--encoding gb18030" in message
    assert run_wordmine("discover", gbk, "--encoding", "gb18030", "-q").returncode == 0


def test_missing_file_and_bad_option_are_usage_errors(run_wordmine, story):
    assert run_wordmine("discover", "/no/such/file.txt").returncode == 2
    assert run_wordmine("discover", story, "--top", "-3").returncode == 2
    assert run_wordmine("discover", story, "--memory", "lots").returncode == 2
    assert run_wordmine("discover", story, "--format", "xml").returncode == 2


def test_binary_input_is_refused(run_wordmine, tmp_path):
    binary = tmp_path / "a.bin"
    binary.write_bytes(b"\x7fELF\x00\x01\x02")
    proc = run_wordmine("count", binary)
    assert proc.returncode == 1 and b"NUL byte at offset 4" in proc.stderr


def test_closed_pipe_ends_quietly(story):
    big = story.parent / "big.txt"
    big.write_text((STORY + "\n") * 50, encoding="utf-8")
    shell = f"{sys.executable} -m wordmine count {big} --order 2 -q | head -1"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b"" and len(proc.stdout.splitlines()) == 1


def test_failed_run_leaves_no_output_file(run_wordmine, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa" * 10)
    out = tmp_path / "words.tsv"
    proc = run_wordmine("discover", bad, "-o", out)
    assert proc.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt"]


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


def test_ctrl_c_exits_130_and_leaves_nothing_behind(tmp_path):
    import os
    import signal

    rng = random.Random(9)
    chars = [chr(0x4E00 + i) for i in range(3000)]
    big = tmp_path / "big.txt"
    line = "".join(rng.choice(chars) for _ in range(100_000))
    with open(big, "w", encoding="utf-8") as handle:
        # 15 M characters: counting under a 100M budget (the least a 45 MB input may have) spills and takes seconds
        handle.writelines(line[shift * 601 % len(line):] + line[: shift * 601 % len(line)] + "\n"
                          for shift in range(150))
    spill = tmp_path / "spill"
    spill.mkdir()
    out = tmp_path / "out.wmc"
    proc = subprocess.Popen([sys.executable, "-m", "wordmine", "count", str(big), "-o", str(out),
                             "--memory", "100M", "--tmp-dir", str(spill), "--verbose"],
                            stderr=subprocess.PIPE, start_new_session=True)
    # Not a sleep: the budget line says start-up is over and counting (several seconds) has begun.
    assert "memory budget" in proc.stderr.readline().decode()
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    assert proc.wait(timeout=60) == 130
    assert proc.stderr.read().decode().strip().splitlines()[-1] == "wordmine: interrupted"
    assert not out.exists() and list(spill.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "spill"]
