"""Standard error that goes away (its reader gone, or closed): the run goes on and its exit status holds.

test_r3_NN: item NN of issue 19 (docs/reliability.md cites them).
"""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.helpers import wordmine_argv


def _run_with_stderr(stderr_setup: str, *args) -> tuple[int, bytes]:
    """Run the command line with its stderr a pipe nobody reads (``gone``) or closed (``closed``)."""
    command = wordmine_argv(*args)
    if stderr_setup == "closed":
        result = subprocess.run(["sh", "-c", 'exec "$@" 2>&-', "sh", *command], stdout=subprocess.PIPE, check=False)
        return result.returncode, result.stdout
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line: every write to stderr fails with EPIPE
    try:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=write_end, check=False)
    finally:
        os.close(write_end)
    return result.returncode, result.stdout


@pytest.mark.parametrize("stderr_setup", ["gone", "closed"])
@pytest.mark.parametrize("command", ["discover", "count"])
def test_r3_02_when_stderr_goes_away_the_output_is_still_written(samples, tmp_path, stderr_setup, command):
    out = tmp_path / "out.tsv"
    code, stdout = _run_with_stderr(stderr_setup, command, samples / "story.txt", "-o", out, "--jobs", "2")
    assert (code, stdout) == (0, b"")
    expected = subprocess.run(wordmine_argv(command, samples / "story.txt", "-q"),
                              capture_output=True, check=True).stdout
    assert out.read_bytes() == expected
    assert os.listdir(tmp_path) == ["out.tsv"]


def test_r3_02_an_error_with_stderr_gone_still_exits_1(tmp_path):
    code, stdout = _run_with_stderr("gone", "discover", tmp_path / "missing.txt", "-o", tmp_path / "out.tsv")
    assert (code, stdout) == (2, b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"ab\0cd")
    code, stdout = _run_with_stderr("gone", "discover", binary, "-o", tmp_path / "out.tsv")
    assert (code, stdout) == (1, b"")
    assert sorted(os.listdir(tmp_path)) == ["binary.txt"]
