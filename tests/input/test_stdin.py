"""Standard input and pipes: never peeked at, named once, buffered in --tmp-dir when read twice.

test_fault_NN: fault NN of issue 11 (docs/reliability.md cites them).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest

from tests.helpers import STORY, big_text, invoke, run_wordmine, wait_for_budget_line, wordmine_argv
from wordmine.errors import OutputError


def bash(script: str, **kwargs):
    return subprocess.run(["bash", "-c", script], capture_output=True, check=False, **kwargs)


def test_discover_reads_stdin_and_counts_match(run_wordmine, story):
    from_file = run_wordmine("discover", story, "--min-count", "20", "-q").stdout
    from_stdin = run_wordmine("discover", "-", "--min-count", "20", "-q", input=story.read_bytes()).stdout
    assert from_file == from_stdin and from_file


# Fault 4 of issue 11: inputs that are pipes are not peeked at, and are read twice only through a buffer


@pytest.mark.slow
def test_fault_04_a_pipe_input_loses_no_bytes(tmp_path, story):
    small = tmp_path / "a.txt"
    small.write_text("ABCDEFGH中国人民银行\n", encoding="utf-8")
    cmd = f"{sys.executable} -m wordmine"
    for args in ("count {} --order 1 -q", "segment {} -q --jobs 1", "contrast {} -q --jobs 1"):
        for path in (small, story) if not args.startswith("contrast") else (story,):
            from_pipe = bash(f"{cmd} {args.format(f'<(cat {path})')}", timeout=120)
            from_file = bash(f"{cmd} {args.format(path)}", timeout=120)
            assert from_pipe.returncode == 0, from_pipe.stderr
            assert from_pipe.stdout == from_file.stdout and from_file.stdout


# Fault 5 of issue 11: standard input named twice


@pytest.mark.parametrize("args", [["contrast", "-", "-"], ["eval", "-", "-"], ["discover", "-", "-"]])
def test_fault_05_stdin_named_twice_is_a_usage_error(args):
    proc = run_wordmine(*args, input=STORY.encode())
    assert proc.returncode == 2
    assert "-" in proc.stderr.decode() and "once" in proc.stderr.decode()


# Fault 6 of issue 11: standard input buffered in --tmp-dir


@pytest.mark.slow
def test_fault_06_stdin_is_buffered_in_tmp_dir(tmp_path):
    big = tmp_path / "big.txt"
    big_text(big, lines=2)  # 600 kB: its segmentation is far more than a pipe holds
    spill = tmp_path / "spill"
    spill.mkdir()
    with open(big, "rb") as stdin:
        proc = subprocess.Popen(wordmine_argv("segment", "-", "--jobs", "1", "--tmp-dir", spill, "--verbose"),
                                stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wait_for_budget_line(proc)  # standard input is buffered before counting starts
        # Nothing reads stdout yet: the run cannot finish, and remove its copy, before the folder is listed.
        names = [p.name for p in spill.iterdir()]
        segmented, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0
    assert segmented.count(b"\n") == 2 and len(segmented) > 1 << 19
    assert any(name.startswith(f"wordmine-stdin-{proc.pid}-") for name in names), names
    assert list(spill.iterdir()) == []


def test_fault_06_a_full_tmp_dir_while_buffering_stdin(tmp_path, monkeypatch):
    from wordmine.io import text

    def disk_full(tee, size):  # the copy's write fails, after part of a block went in
        tee.copy.write(b"partial")
        raise text._BufferFull(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))

    monkeypatch.setattr(text._Tee, "read", disk_full)
    spill = tmp_path / "spill"
    spill.mkdir()
    result = invoke("segment", "-", "-q", "--tmp-dir", spill, input=STORY)
    assert result.exit_code == 1 and isinstance(result.exception, OutputError), repr(result.exception)
    assert "No space left on device" in str(result.exception) and "--tmp-dir" in str(result.exception)
    assert list(spill.iterdir()) == []
