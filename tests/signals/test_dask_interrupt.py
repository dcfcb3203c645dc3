"""Ctrl-C and SIGTERM while ``--dask local:2`` starts its cluster or counts (issue 19, item 4, probed again).

The signal tests never sleep to hope the command has got somewhere: they wait
for an event (a line read from the command's stderr, a named pipe opened by a
worker as it starts or as its task reads a shard), so a busy machine only makes
them slower. Every test failed before its fix.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import signal
import subprocess
import sys
import threading

import pytest

needs_proc = pytest.mark.skipif(not pathlib.Path("/proc/self/stat").exists(), reason="needs Linux /proc")
needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="the optional wordmine[dask] extra is not installed")

#: How long a condition is waited for before the test fails (never reached on a working command).
PATIENCE = 600


def _session_stats(session: int) -> list[tuple[int, bytes]]:
    """The pid and /proc stat line of each process of ``session`` (zombies included)."""
    found = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            data = stat.read_bytes()
        except OSError:
            continue
        if int(data[data.rfind(b")") + 2 :].split()[3]) == session:
            found.append((int(stat.parent.name), data))
    return found


def _session_pids(session: int) -> list[int]:
    return [pid for pid, _ in _session_stats(session)]


def _session_processes(session: int) -> list[str]:
    """The processes of ``session`` still in /proc (zombies included)."""
    return [data[:80].decode(errors="replace") for _, data in _session_stats(session)]


#: The empty line is click's, on any interruption of any command: it ends the line a terminal's "^C" left open.
INTERRUPTED = "\nwordmine: interrupted\n"


def _left_in(folder: pathlib.Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


#: Run at the start of every Python of the test's command (its folder leads PYTHONPATH): a process that
#: multiprocessing spawns (a Dask worker, not its resource tracker) opens the named pipe for writing,
#: from a thread, so the test's blocking open for reading returns once the first worker exists.
_ANNOUNCE_SPAWN = """\
import os, sys, threading
_pipe = os.environ.get("WORDMINE_TEST_SPAWNED")
if _pipe and "--multiprocessing-fork" in sys.argv:
    def _announce():
        try:
            os.close(os.open(_pipe, os.O_WRONLY))
        except OSError:
            pass
    threading.Thread(target=_announce, daemon=True).start()
"""


class _DaskRun:
    """``wordmine COMMAND --dask local:2 --verbose`` over a sample and a named-pipe shard, in a session of
    its own, TMPDIR and --tmp-dir a folder of the test's.

    Its stderr is a pipe read by a thread of the test, which wakes whoever waits for a line. The
    workers inherit the pipe, so it ends only once every process of the run has closed it."""

    def __init__(self, tmp_path: pathlib.Path, sample: pathlib.Path, command: str) -> None:
        self.tmp = tmp_path / "tmp"
        self.tmp.mkdir()
        self.shard = tmp_path / "shard.txt"
        os.mkfifo(self.shard)
        self.output = tmp_path / ("out.wmc" if command == "count" else "out.tsv")
        self.spawned = tmp_path / "spawned"
        os.mkfifo(self.spawned)
        site = tmp_path / "site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(_ANNOUNCE_SPAWN, encoding="utf-8")
        path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
        self._said = bytearray()
        self._heard = threading.Condition()
        self._stderr_closed = False
        argv = [sys.executable, "-m", "wordmine", command, "--dask", "local:2", "--verbose", str(sample),
                str(self.shard), "--tmp-dir", str(self.tmp), "-o", str(self.output)]
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, start_new_session=True,
                                        env={**os.environ, "TMPDIR": str(self.tmp), "PYTHONPATH": path,
                                             "WORDMINE_TEST_SPAWNED": str(self.spawned)})
        self._listener = threading.Thread(target=self._listen, daemon=True)
        self._unblocker = threading.Thread(target=self._unblock_when_ended, daemon=True)
        self._listener.start()
        self._unblocker.start()

    @property
    def stderr(self) -> str:
        with self._heard:
            return self._said.decode("utf-8", errors="replace")

    def _listen(self) -> None:
        """Read stderr as it comes, waking the waiters at each piece and at its end."""
        while chunk := os.read(self.process.stderr.fileno(), 65536):
            with self._heard:
                self._said += chunk
                self._heard.notify_all()
        with self._heard:
            self._stderr_closed = True
            self._heard.notify_all()

    def _unblock_when_ended(self) -> None:
        """Once the command has ended, wake the line waiters and release whoever still waits to open
        the pipe: the test (a reader comes) or a task (a writer comes)."""
        self.process.wait()
        with self._heard:
            self._heard.notify_all()
        for pipe, mode in ((self.shard, os.O_RDONLY), (self.shard, os.O_WRONLY), (self.spawned, os.O_WRONLY)):
            try:
                os.close(os.open(pipe, mode | os.O_NONBLOCK))
            except OSError:  # no reader for a writer to meet
                pass

    def wait_for_line(self, line: str) -> None:
        """Block until ``line`` is on stderr; fail if the command ends first."""
        wanted = line.encode()
        with self._heard:
            heard = self._heard.wait_for(lambda: wanted in self._said or self.process.poll() is not None,
                                         timeout=PATIENCE)
        assert heard, f"waited {PATIENCE} s for {line!r} on stderr"
        assert self.process.poll() is None, self.stderr

    def wait_for_a_worker(self) -> None:
        """Block until a worker process of the command has started (it opens the named pipe); a command
        that never starts one is killed after PATIENCE seconds, which fails the test."""
        deadline = threading.Timer(PATIENCE, os.killpg, (self.process.pid, signal.SIGKILL))
        deadline.start()
        try:
            with open(self.spawned, "rb"):
                pass
        finally:
            deadline.cancel()
        assert self.process.poll() is None, f"no worker started: {self.stderr}"

    def ctrl_c(self, signum: int = signal.SIGINT) -> None:
        """What a terminal's Ctrl-C does: the signal to the command's whole process group, workers included."""
        os.killpg(self.process.pid, signum)

    def finish(self) -> tuple[int, str]:
        """The command's exit status and all it wrote on stderr, once every process of it has let go."""
        try:
            status = self.process.wait(PATIENCE)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {PATIENCE} s after the signal: {self.stderr}")
        self._unblocker.join()
        with self._heard:
            closed = self._heard.wait_for(lambda: self._stderr_closed, timeout=PATIENCE)
        assert closed, f"a process of the run still holds its stderr {PATIENCE} s after it ended"
        return status, self.stderr

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        """A failed test leaves no process running: the command's session is killed."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for pid in _session_pids(self.process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


#: Each Dask command and the line it says once its cluster is being started.
each_dask_command = pytest.mark.parametrize("command, line", [
    ("discover", "wordmine: counting and pruning 2 shards on Dask (local:2)\n"),
    ("count", "wordmine: counting 2 shards on Dask (local:2)\n"),
])


@needs_proc
@needs_dask
@pytest.mark.slow
@each_dask_command
@pytest.mark.parametrize("signum, said, status", [
    (signal.SIGINT, INTERRUPTED, 130),
    (signal.SIGTERM, "\nwordmine: terminated\n", 143),
])
def test_ctrl_c_while_the_local_cluster_starts_is_one_line(tmp_path, sample_path, command, line, signum, said,
                                                           status):
    # The signal is sent once the first worker process exists, before its shard can have been read.
    # It used to stop the workers half-way through their start (a traceback from each) and this
    # process inside LocalCluster's constructor: pages of Dask and multiprocessing tracebacks,
    # or a run waiting forever for a worker that would never come.
    with _DaskRun(tmp_path, sample_path("story.txt"), command) as run:
        run.wait_for_line(line)
        run.wait_for_a_worker()
        run.ctrl_c(signum)
        assert run.finish() == (status, line + said)
        assert _session_processes(run.process.pid) == []
    assert _left_in(run.tmp) == []
    assert not run.output.exists()


@needs_proc
@needs_dask
@pytest.mark.slow
@each_dask_command
def test_ctrl_c_while_the_workers_count_is_one_line_and_leaves_no_spill_folder(tmp_path, sample_path, command,
                                                                               line):
    # Opening the pipe's other end returns once a worker's task has opened it: counting is under way.
    # The workers used to get the Ctrl-C too (a KeyboardInterrupt traceback from "Dask Worker
    # process (from Nanny)"), and a worker ended mid-task left its wordmine-spill-PID-* folder.
    with _DaskRun(tmp_path, sample_path("story.txt"), command) as run:
        run.wait_for_line(line)
        with open(run.shard, "wb") as shard:
            shard.write("黑猫喜欢鱼，白狗讨厌骨头。\n".encode() * 1000)
            shard.flush()
            run.ctrl_c()
            status, stderr = run.finish()
        assert (status, stderr) == (130, line + INTERRUPTED)
        assert _session_processes(run.process.pid) == []
    assert _left_in(run.tmp) == []
    assert not run.output.exists()
