"""The limits of --memory and --jobs: the smallest budget, more than the machine has, a budget too small for
the input (refused before any work), workers capped by cores and input size.

test_fault_NN: fault NN of issue 11; test_r3_NN: item NN of issue 19 (docs/reliability.md cites them).
"""

from __future__ import annotations

import os

import pytest

import wordmine
from tests.helpers import STORY_PATH, run_wordmine, stderr_lines

# Fault 11 of issue 11: the smallest memory budget


@pytest.mark.parametrize("size", ["1", "1k", "16k", "63k"])
def test_fault_11_a_budget_below_the_minimum_is_a_usage_error(story, size):
    proc = run_wordmine("count", story, "--memory", size, "-q")
    assert proc.returncode == 2
    assert "--memory" in proc.stderr.decode() and "64k" in proc.stderr.decode()
    assert run_wordmine("count", story, "--memory", "64k", "-q").returncode == 0


@pytest.mark.parametrize("command", ["discover", "count", "merge"])
def test_r3_07_a_memory_budget_above_the_machine_is_a_usage_error(run_wordmine, samples, tmp_path, command):
    from wordmine.config import format_size, installed_memory, parse_size

    installed = installed_memory()
    if installed is None:
        pytest.skip("the system does not say how much memory it has")
    for asked in ["1T" if installed < 1 << 40 else "1000T", format_size(installed * 2)]:
        args = [samples / "story.txt"] if command != "merge" else [tmp_path / "a.wmc", "-o", tmp_path / "b.wmc"]
        if command == "merge":
            wordmine.count(str(samples / "story.txt"), order=2).save(tmp_path / "a.wmc")
        result = run_wordmine(command, *args, "--memory", asked, "-q")
        assert (result.returncode, result.stdout) == (2, b"")
        assert stderr_lines(result)[-1] == (
            f"Error: Invalid value for '--memory': {format_size(parse_size(asked))} is more than this machine's memory "
            f"({format_size(installed)}): give at most {format_size(installed)}, or leave --memory out (a quarter of it)")


def test_a_budget_too_small_for_the_input_is_refused_before_any_work(tmp_path, run_wordmine):
    text = tmp_path / "big.txt"
    with open(text, "w", encoding="utf-8") as handle:
        handle.write(("天地玄黄宇宙洪荒" * 1000 + "\n") * 400)  # 9.6 MB
    spill = tmp_path / "spill"
    spill.mkdir()
    for command in ("count", "discover", "learn", "segment", "contrast"):
        output = ["-o", str(tmp_path / "model.wmm")] if command == "learn" else []
        proc = run_wordmine(command, text, "--memory", "50M", "--tmp-dir", spill, "-q", *output)
        lines = proc.stderr.decode().strip().splitlines()
        assert proc.returncode == 1, command
        assert len(lines) == 1 and "--memory" in lines[0] and "100M" in lines[0], (command, lines)
        assert list(spill.iterdir()) == []


# Also seen in issue 19: one short stderr line by default, the details behind --verbose; workers capped.


def test_cli_jobs_capped_by_input_size_and_said():
    proc = run_wordmine("count", STORY_PATH, "--jobs", "64", "--top", "1")
    assert proc.returncode == 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert proc.stderr.decode().splitlines() == [f"wordmine: --jobs 64: counting with 1 worker ({cores} cores and 96.9k of input)"]


def test_capped_jobs_is_the_one_rule():
    from wordmine.config import capped_jobs

    assert capped_jobs(64, 2_600_000, cores=2) == 1
    assert capped_jobs(64, 100 << 20, cores=2) == 2
    assert capped_jobs(64, None, cores=4) == 4
