"""Spilling to --tmp-dir when it fails: a full folder while spilling or merging the runs, a path that is not
a folder; one line naming the folder and --tmp-dir, nothing left.

test_r3_NN: item NN of issue 19 (docs/reliability.md cites them).
"""

from __future__ import annotations

import errno
import os
import random

import pytest
from click.testing import CliRunner

from tests.helpers import distinct_lines, invoke
from wordmine.cli import cli

_FULL_DISK_RUNS = """
    from wordmine.counting.engine import counter
    from wordmine.counting.spill import runs
    counter._write_run = lambda table, path: runs.write_run(table, "/dev/full")  # the real writer, on a full device
"""


@pytest.mark.parametrize("command", ["count", "discover"])
def test_r3_09_a_full_tmp_dir_while_spilling_says_the_os_error(run_patched, samples, tmp_path, command):
    spill = tmp_path / "spill"
    spill.mkdir()
    texts = [samples / name for name in ("story.txt", "technical.txt", "everyday.txt")]
    result = run_patched(_FULL_DISK_RUNS, command, *texts, "--memory", "256k", "--jobs", "1", "--tmp-dir", spill,
                         "-q")
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", f"wordmine: error: {spill}: cannot spill counts: No space left on device; see --tmp-dir\n")
    assert os.listdir(spill) == []


def test_r3_09_a_short_write_with_no_errno_on_a_full_folder_is_no_space(tmp_path, monkeypatch):
    from wordmine.counting.spill import runs

    class Full:
        f_bavail, f_frsize = 0, 4096

    monkeypatch.setattr(runs.os, "statvfs", lambda folder: Full())
    error = runs.spill_error(str(tmp_path / "wordmine-spill-1-x"), OSError("4096 requested and 0 written"))
    assert str(error) == f"{tmp_path}: cannot spill counts: No space left on device; see --tmp-dir"


def test_a_spill_folder_that_is_not_a_folder_is_named(tmp_path, sample_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    result = invoke("count", sample_path("story.txt"), "--jobs", "1", "--tmp-dir", blocker / "spill",
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
    result = invoke("count", distinct, "--jobs", "1", "--memory", "16M", "--tmp-dir", spill,
                    "-o", tmp_path / "out.wmc")
    assert result.exit_code == 1
    message = str(result.exception)
    assert str(spill) in message and "No space left on device" in message and "--tmp-dir" in message
    assert list(spill.iterdir()) == [] and not (tmp_path / "out.wmc").exists()


def test_a_full_tmp_dir_while_merging_is_named_and_leaves_no_runs(tmp_path, monkeypatch):
    def disk_full(self, suffix, counts):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("wordmine.counting.table.stats.LeftTerms.add", disk_full)
    text = tmp_path / "big.txt"
    distinct_lines(text)
    spill = tmp_path / "spill"
    spill.mkdir()
    result = CliRunner().invoke(cli, ["discover", str(text), "--jobs", "1", "--memory", "64k",
                                      "--tmp-dir", str(spill), "-o", str(tmp_path / "out.tsv")])
    assert result.exit_code == 1
    message = str(result.exception)
    assert str(spill) in message and "No space left on device" in message and "--tmp-dir" in message
    assert list(spill.iterdir()) == [] and not (tmp_path / "out.tsv").exists()
