"""Faults while the spilled runs are merged: a full --tmp-dir, Ctrl-C, a budget too small to start."""

from __future__ import annotations

import errno
import os
import random
import signal

from click.testing import CliRunner

from wordmine.cli import cli


def _big_text(path, lines: int = 60, seed: int = 5) -> None:
    rng = random.Random(seed)
    chars = [chr(0x4E00 + i) for i in range(1500)]
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines("".join(rng.choice(chars) for _ in range(2000)) + "\n" for _ in range(lines))


def test_a_full_tmp_dir_while_merging_is_named_and_leaves_no_runs(tmp_path, monkeypatch):
    def disk_full(self, suffix, counts):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("wordmine.counting.table.stats.LeftTerms.add", disk_full)
    text = tmp_path / "big.txt"
    _big_text(text)
    spill = tmp_path / "spill"
    spill.mkdir()
    result = CliRunner().invoke(cli, ["discover", str(text), "--jobs", "1", "--memory", "64k",
                                      "--tmp-dir", str(spill), "-o", str(tmp_path / "out.tsv")])
    assert result.exit_code == 1
    message = str(result.exception)
    assert str(spill) in message and "No space left on device" in message and "--tmp-dir" in message
    assert list(spill.iterdir()) == [] and not (tmp_path / "out.tsv").exists()


def test_ctrl_c_while_merging_exits_130_and_removes_every_run(tmp_path, start_held_merge):
    text = tmp_path / "big.txt"
    _big_text(text)
    spill = tmp_path / "spill"
    spill.mkdir()
    out = tmp_path / "out.tsv"
    proc = start_held_merge("discover", text, "--jobs", "2", "--memory", "64k", "--tmp-dir", spill, "-o", out)
    assert any(spill.iterdir()), "the runs are on disk while they are merged"
    os.killpg(proc.pid, signal.SIGINT)
    proc.stdin.close()  # the partitions under way may finish; no other starts
    assert proc.wait(timeout=60) == 130
    assert proc.stderr.read().decode().strip().splitlines()[-1] == "wordmine: interrupted"
    assert list(spill.iterdir()) == [] and not out.exists()


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
