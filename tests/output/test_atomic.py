"""What -o writes: the whole output or nothing (atomic, .part files named for their process), through symlinks,
into devices and FIFOs, and one line on a full disk.

test_fault_NN: fault NN of issue 11; test_r3_NN: item NN of issue 19 (docs/reliability.md cites them).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess

import pytest

from tests.helpers import invoke, one_line_error, run_wordmine, wordmine_argv
from wordmine.errors import OutputError

# Fault 1 of issue 11: -o writes through symlinks and straight into devices and FIFOs


def test_fault_01_output_through_a_symlink_writes_its_target(tmp_path, story):
    real = tmp_path / "real.txt"
    real.write_text("old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    proc = run_wordmine("discover", story, "-q", "-o", link)
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == run_wordmine("discover", story, "-q").stdout.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt", "story.txt"]


def test_fault_01_output_to_a_fifo_is_written_into_it(tmp_path, story):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    proc = run_wordmine("discover", story, "-q", "-o", fifo, timeout=120)
    try:
        got, _ = reader.communicate(timeout=30)
    finally:
        reader.kill()
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a file"
    assert got == run_wordmine("discover", story, "-q").stdout and got


def test_fault_01_output_to_dev_stdout_goes_to_stdout(story):
    proc = run_wordmine("discover", story, "-q", "-o", "/dev/stdout")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == run_wordmine("discover", story, "-q").stdout
    assert os.path.islink("/dev/stdout") or not os.path.isfile("/dev/stdout")


# Fault 2 of issue 11: A full disk is one line and exit 1, with nothing left behind


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["--help"], ["discover", "STORY", "-q"], ["count", "STORY", "-q"],
                                  ["eval", "STORY", "STORY"]])
def test_fault_02_stdout_on_a_full_disk(story, args):
    with open("/dev/full", "w") as full:
        proc = subprocess.run(wordmine_argv(*(str(story) if a == "STORY" else a for a in args)),
                              stdout=full, stderr=subprocess.PIPE, check=False)
    assert proc.returncode == 1
    assert "No space left on device" in one_line_error(proc)


def test_fault_02_output_file_on_a_full_disk(tmp_path, story, monkeypatch):
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("wordmine.io.text.os.fdopen", lambda fd, *a, **k: FullDisk(real_fdopen(fd, *a, **k)))
    for args in (["discover", story, "-q", "-o", tmp_path / "words.tsv"],
                 ["count", story, "-q", "--jobs", "1", "-o", tmp_path / "story.wmc"]):
        result = invoke(*args)
        assert result.exit_code == 1
        assert isinstance(result.exception, OutputError), repr(result.exception)
        assert "No space left on device" in str(result.exception)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["story.txt"]


def test_r3_08_a_partial_output_is_named_for_its_process(tmp_path):
    from wordmine.io.text import atomic_output

    with atomic_output(str(tmp_path / "out.tsv")) as handle:
        handle.write("x\n")
        (partial,) = os.listdir(tmp_path)
        assert re.fullmatch(rf"\.wordmine-{os.getpid()}-\w+\.part", partial)
    assert os.listdir(tmp_path) == ["out.tsv"]


def test_failed_run_leaves_no_output_file(run_wordmine, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa" * 10)
    out = tmp_path / "words.tsv"
    proc = run_wordmine("discover", bad, "-o", out)
    assert proc.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt"]
