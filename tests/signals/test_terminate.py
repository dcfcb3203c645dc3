"""SIGTERM (handled like Ctrl-C: exit 143) and SIGKILL (workers end with their parent; what is left is named
for the killed process and removed by the next run).

test_fault_NN: fault NN of issue 11; test_r3_NN: item NN of issue 19 (docs/reliability.md cites them).
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys

import pytest

from tests.helpers import assert_ends, big_text, run_wordmine, wordmine_argv


def wait_for_counting_line(proc) -> tuple[str, list[int]]:
    """Block until the run's budget line says where it spills and which processes count: both exist by then."""
    while line := proc.stderr.readline().decode():
        found = re.search(r"; spill folder (\S+); (?:worker processes ([\d ]+)|counting in this process)$",
                          line.strip())
        if found:
            return found.group(1), [int(pid) for pid in (found.group(2) or "").split()]
    raise AssertionError("the run ended before it started counting")


def ends_within(pid: int, seconds: float) -> bool:
    """Whether process ``pid`` ends within ``seconds``: its pidfd becomes readable when it does, no polling."""
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([pidfd], [], [], seconds)[0])
    finally:
        os.close(pidfd)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _dead_pid() -> int:
    """A PID no process can have: past Linux's largest (PID_MAX_LIMIT, 2 ** 22), so never reused by a busy machine."""
    return 2**22 + 1


# Fault 7 of issue 11: SIGTERM is handled like SIGINT; spill folders are named


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
@pytest.mark.parametrize("command", [["count", "--jobs", "2", "-o", "OUT"], ["segment", "--jobs", "2", "-o", "OUT"],
                                     ["segment", "--jobs", "1"]])
def test_fault_07_sigterm_exits_143_ends_workers_and_removes_everything(tmp_path, command):
    big = tmp_path / "big.txt"
    big_text(big)
    spill = tmp_path / "spill"
    spill.mkdir()
    out = tmp_path / "out"
    args = [str(out) if a == "OUT" else a for a in command]
    source = "-" if "-o" not in args else str(big)
    with open(big if source == "-" else os.devnull, "rb") as stdin:
        proc = subprocess.Popen(wordmine_argv(*args, source, "--memory", "500M", "--tmp-dir", spill, "--verbose"),
                                stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # The spill folder is made as counting starts; its name says whose it is.
        spill_folder, workers = wait_for_counting_line(proc)
        names = [p.name for p in spill.iterdir()]
        assert proc.poll() is None, "the run ended before it could be stopped"
        assert os.path.dirname(spill_folder) == str(spill) and len(workers) == (2 if "2" in args else 0)
        assert names and all(re.fullmatch(rf"wordmine-(spill|stream|stdin)-{proc.pid}-\w+", n) for n in names), names
        proc.send_signal(signal.SIGTERM)
        assert_ends(proc, 143, "wordmine: terminated")
    assert not any(alive(pid) for pid in workers)
    assert list(spill.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "spill"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers follow their parent on Linux")
@pytest.mark.slow
def test_fault_07_after_sigkill_the_workers_end_and_the_spill_folder_is_recognisable(tmp_path):
    big = tmp_path / "big.txt"
    big_text(big)
    spill = tmp_path / "spill"
    spill.mkdir()
    proc = subprocess.Popen(wordmine_argv("count", big, "--jobs", "2", "--memory", "500M", "--tmp-dir", spill,
                                          "-o", tmp_path / "big.wmc", "--verbose"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, workers = wait_for_counting_line(proc)
    assert len(workers) == 2
    proc.kill()
    assert proc.wait(timeout=60) == -signal.SIGKILL
    assert all(ends_within(pid, 60) for pid in workers)
    # Nothing can clean up after SIGKILL; what is left says which run left it.
    assert [p.name.startswith(f"wordmine-spill-{proc.pid}-") for p in spill.iterdir()] == [True]
    assert run_wordmine("count", big, "--jobs", "2", "--memory", "500M", "--tmp-dir", spill, "--order", "1",
                        "--top", "1", "-q").returncode == 0


@pytest.mark.parametrize("command", [["segment", "--model", "{model}"], ["count"], ["discover"]])
def test_r3_08_files_left_by_a_killed_run_are_removed_by_the_next(run_wordmine, wordmine_files, tmp_path, command):
    dead, alive = _dead_pid(), os.getpid()
    out, spill = tmp_path / "out", tmp_path / "spill"
    out.mkdir()
    spill.mkdir()
    left = [out / f".wordmine-{dead}-abc123.part", spill / f"wordmine-stdin-{dead}-abc123"]
    kept = [out / f".wordmine-{alive}-abc123.part", spill / f"wordmine-spill-{alive}-abc123", out / ".wordmine-x.part"]
    for path in [*left, *kept]:
        path.write_text("partial")
    (spill / f"wordmine-spill-{dead}-abc123").mkdir()
    (spill / f"wordmine-spill-{dead}-abc123" / "run-1.bin").write_bytes(b"\0" * 64)
    args = [arg.format(model=wordmine_files / "m.wmm") for arg in command]
    result = run_wordmine(*args, "-", "-o", out / "result.txt", "--tmp-dir", spill, "-q",
                          input="黑猫喜欢鱼，白狗讨厌骨头。\n".encode() * 3)
    assert (result.returncode, result.stderr) == (0, b"")
    assert sorted(os.listdir(out)) == sorted([".wordmine-x.part", f".wordmine-{alive}-abc123.part", "result.txt"])
    if command[0] == "segment":  # segment --model neither spills nor buffers its input: spill is not looked into
        assert len(os.listdir(spill)) == 3
    else:
        assert os.listdir(spill) == [f"wordmine-spill-{alive}-abc123"]
