"""Every command against arbitrary Unicode, huge lines, broken temporary folders and Ctrl-C."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wordmine.cli import cli
from wordmine.counting.files.countfile import read_counts
from wordmine.errors import InputError
from wordmine.normalize import Vocabulary

# Arbitrary code points (but lone surrogates, which UTF-8 cannot carry),
# mixed with Han text, line ends and white space so that words and lines do occur.
ANY_TEXT = st.text(st.one_of(st.sampled_from("天地人中国上下，。\n\r\t 😀iOS7"), st.characters(codec="utf-8")),
                   max_size=80)
ANYTHING = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


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
    result = run("count", source, "--jobs", "1", "-q", "-o", tmp_path / "any.wmc")
    assert_documented_outcome(result, text)
    if result.exit_code == 0:
        corpus = read_counts(str(tmp_path / "any.wmc"))
        assert corpus.counts.counts[0].sum() == corpus.total_units == np.count_nonzero(corpus.stream.to_array())


@ANYTHING
@given(text=ANY_TEXT)
def test_discover_and_contrast_take_any_text(tmp_path, text):
    source = written(tmp_path, "any.txt", text)
    general = written(tmp_path, "general.txt", "天地人，中国上下。\n" * 3)
    assert_documented_outcome(run("discover", source, "--jobs", "1", "-q"), text)
    assert_documented_outcome(run("contrast", source, general, "--jobs", "1", "-q"), text)


@ANYTHING
@given(text=ANY_TEXT)
@pytest.mark.slow
def test_learn_segment_and_eval_take_any_text_and_segmenting_is_lossless(lossless, tmp_path, text):
    source = written(tmp_path, "any.txt", text)
    learned = run("learn", source, "--jobs", "1", "-q", "-o", tmp_path / "any.wmm")
    if "\x00" not in text and not Vocabulary().encode(text).any():
        # No unit at all (no letter, digit or ideograph): a model of nothing is refused, not written.
        assert learned.exit_code == 1 and "nothing to learn from" in str(learned.exception)
    else:
        assert_documented_outcome(learned, text)
    segmented = run("segment", source, "--jobs", "1", "-q", "-o", tmp_path / "seg.txt")
    assert_documented_outcome(segmented, text)
    if "\x00" in text:
        return
    produced = (tmp_path / "seg.txt").read_text(encoding="utf-8").split("\n")[:-1]
    # An empty file is no line; to segment_text the empty string is one empty line.
    lossless(text, produced if text else [""])
    # A segmentation scored against itself is perfect, whatever the characters.
    scored = run("eval", tmp_path / "seg.txt", tmp_path / "seg.txt")
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
        assert run("count", path, "--jobs", "1", "-q", "-o", tmp_path / f"part{i}.wmc").exit_code == 0
    assert run("count", *paths, "--jobs", "1", "-q", "-o", tmp_path / "whole.wmc").exit_code == 0
    merged = run("merge", *(tmp_path / f"part{i}.wmc" for i in range(len(paths))), "-q",
                 "-o", tmp_path / "merged.wmc")
    assert merged.exit_code == 0, merged.output
    assert (tmp_path / "merged.wmc").read_bytes() == (tmp_path / "whole.wmc").read_bytes()


def test_a_200_mb_single_line(tmp_path):
    # One line of 200 MB (66 M characters), no line end anywhere: counting streams it in
    # blocks and never holds the line, and discovery finds its words.
    rng = random.Random(3)
    words = ["数据", "挖掘", "新词", "发现", "语料", "统计", "边界", "熵值", "凝固", "程度", "，"]
    chosen = [rng.choice(words) for _ in range(500_000)]
    piece = "".join(chosen).encode()  # about 3 MB
    path = tmp_path / "one_line.txt"
    with open(path, "wb") as handle:
        written_bytes = 0
        while written_bytes < 200_000_000:
            handle.write(piece)
            written_bytes += len(piece)
    proc = subprocess.run([sys.executable, "-m", "wordmine", "discover", str(path), "-q", "--top", "20",
                           "--memory", "1G"], capture_output=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    found = {line.split("\t")[0] for line in proc.stdout.decode().splitlines()}
    assert {"数据", "挖掘", "新词", "语料"} <= found
    # Segmenting takes the line a megabyte at a time and still writes one line, every character kept.
    lexicon = tmp_path / "words.txt"
    lexicon.write_text("".join(f"{w} 10\n" for w in words[:-1]), encoding="utf-8")
    out = tmp_path / "one_line.seg"
    proc = subprocess.run([sys.executable, "-m", "wordmine", "segment", str(path), "--lexicon", str(lexicon),
                           "--jobs", "2", "-q", "-o", str(out)], capture_output=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    characters = line_ends = 0
    with open(out, encoding="utf-8") as segmented:
        tokens: list[str] = []
        for word in chosen[:1000]:  # a run of commas is one token
            if word == "，" and tokens and tokens[-1].startswith("，"):
                tokens[-1] += word
            else:
                tokens.append(word)
        start = " ".join(tokens)
        assert segmented.read(len(start)) == start
        segmented.seek(0)
        while chunk := segmented.read(1 << 24):
            line_ends += chunk.count("\n")
            characters += len(chunk) - chunk.count(" ") - chunk.count("\n")
    assert line_ends == 1 and characters == written_bytes // 3  # every character is 3 bytes of UTF-8


def test_a_spill_folder_that_is_not_a_folder_is_named(tmp_path, sample_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    result = run("count", sample_path("story.txt"), "--jobs", "1", "--tmp-dir", blocker / "spill",
                 "-o", tmp_path / "out.wmc")
    assert result.exit_code == 1
    assert str(blocker / "spill") in str(result.exception) and "--tmp-dir" in str(result.exception)
    assert not (tmp_path / "out.wmc").exists()


def test_a_full_disk_while_spilling_is_named_and_cleaned_up(tmp_path, sample_path, monkeypatch):
    def disk_full(table, path):
        with open(path, "wb") as handle:  # a partial run is on disk when the device fills up
            handle.write(b"partial")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr("wordmine.counting.engine.counter._write_run", disk_full)
    spill = tmp_path / "spill"
    spill.mkdir()
    # 300 k characters drawn from 3 000: about a million distinct n-grams, past half of the smallest budget.
    rng = random.Random(7)
    distinct = tmp_path / "distinct.txt"
    distinct.write_text("".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(300_000)), encoding="utf-8")
    result = run("count", distinct, "--jobs", "1", "--memory", "16M", "--tmp-dir", spill,
                 "-o", tmp_path / "out.wmc")
    assert result.exit_code == 1
    message = str(result.exception)
    assert str(spill) in message and "No space left on device" in message and "--tmp-dir" in message
    assert list(spill.iterdir()) == [] and not (tmp_path / "out.wmc").exists()


@pytest.mark.parametrize("command", [["segment", "--jobs", "2"], ["discover"]])
def test_ctrl_c_in_any_command_exits_130_with_nothing_written(tmp_path, command):
    rng = random.Random(11)
    chars = [chr(0x4E00 + i) for i in range(2000)]
    line = "".join(rng.choice(chars) for _ in range(50_000))
    big = tmp_path / "big.txt"
    with open(big, "w", encoding="utf-8") as handle:
        handle.writelines(line[shift * 307:] + "，" + line[: shift * 307] + "\n" for shift in range(200))
    spill = tmp_path / "spill"
    spill.mkdir()
    out = tmp_path / "out.txt"
    proc = subprocess.Popen([sys.executable, "-m", "wordmine", *command, str(big), "-o", str(out),
                             "--memory", "100M", "--tmp-dir", str(spill), "--verbose"],
                            stderr=subprocess.PIPE, start_new_session=True)
    # The budget line comes once start-up is over and counting begins: interrupting then tests the
    # clean-up of a running count whatever the machine's speed (a loaded machine only makes it slower).
    assert "memory budget" in proc.stderr.readline().decode()
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=60) == 130
    assert proc.stderr.read().decode().strip().splitlines()[-1] == "wordmine: interrupted"
    assert not out.exists() and list(spill.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "spill"]
