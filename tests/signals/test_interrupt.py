"""Ctrl-C (SIGINT to the process group) while counting, segmenting, discovering and merging: exit 130,
`wordmine: interrupted`, nothing left behind. No sleeps: each waits for a line the run prints.

Ctrl-C while `count`, `count -o` and `merge` merge their runs is checked beside the tiny-budget runs it needs,
in budget/test_streamed_counts.py (test_ctrl_c_mid_merge_exits_130_and_removes_every_run)."""

from __future__ import annotations

import os
import random
import signal
import subprocess

import pytest

from tests.helpers import assert_ends, distinct_lines, wait_for_budget_line, wordmine_argv


def test_ctrl_c_exits_130_and_leaves_nothing_behind(tmp_path):
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
    proc = subprocess.Popen(wordmine_argv("count", big, "-o", out, "--memory", "100M", "--tmp-dir", spill, "--verbose"),
                            stderr=subprocess.PIPE, start_new_session=True)
    # Not a sleep: the budget line says start-up is over and counting (several seconds) has begun.
    wait_for_budget_line(proc)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    assert_ends(proc, 130, "wordmine: interrupted")
    assert not out.exists() and list(spill.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "spill"]


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
    proc = subprocess.Popen(wordmine_argv(*command, big, "-o", out, "--memory", "100M", "--tmp-dir", spill, "--verbose"),
                            stderr=subprocess.PIPE, start_new_session=True)
    # The budget line comes once start-up is over and counting begins: interrupting then tests the
    # clean-up of a running count whatever the machine's speed (a loaded machine only makes it slower).
    wait_for_budget_line(proc)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    assert_ends(proc, 130, "wordmine: interrupted")
    assert not out.exists() and list(spill.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "spill"]


def test_ctrl_c_while_merging_exits_130_and_removes_every_run(tmp_path, start_held_merge):
    text = tmp_path / "big.txt"
    distinct_lines(text)
    spill = tmp_path / "spill"
    spill.mkdir()
    out = tmp_path / "out.tsv"
    proc = start_held_merge("discover", text, "--jobs", "2", "--memory", "64k", "--tmp-dir", spill, "-o", out)
    assert any(spill.iterdir()), "the runs are on disk while they are merged"
    os.killpg(proc.pid, signal.SIGINT)
    proc.stdin.close()  # the partitions under way may finish; no other starts
    assert_ends(proc, 130, "wordmine: interrupted")
    assert list(spill.iterdir()) == [] and not out.exists()
