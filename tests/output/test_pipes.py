"""Standard output that goes away: a reader that closes the pipe (a quiet success), stdout closed before the run.

test_fault_NN: fault NN of issue 11 (docs/reliability.md cites them).
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import STORY, STORY_PATH, run_wordmine, wordmine_argv


def test_closed_pipe_ends_quietly(story):
    big = story.parent / "big.txt"
    big.write_text(STORY * 50, encoding="utf-8")
    shell = f"{sys.executable} -m wordmine count {big} --order 2 -q | head -1"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b"" and len(proc.stdout.splitlines()) == 1


# Fault 16 of issue 11: A closed pipe is a quiet success for eval too


def test_fault_16_eval_into_a_closed_pipe_exits_0(story):
    for _ in range(3):
        proc = subprocess.Popen(wordmine_argv("eval", str(story), str(story)),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdout.close()  # the reader is gone before eval writes a line
        assert proc.wait(timeout=60) == 0
        assert proc.stderr.read() == b""


# Issue 19, item 4: no tracebacks.


def test_cli_closed_stdout_is_one_line_not_a_traceback():
    proc = run_wordmine("discover", STORY_PATH, "-q", stdout=None, stdin=subprocess.DEVNULL, close_fds=True,
                        preexec_fn=lambda: os.close(1))
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == ("wordmine: error: <stdout>: cannot write: standard output is closed; "
                                            "give -o FILE")
