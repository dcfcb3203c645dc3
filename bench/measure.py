"""Run a command and measure its wall time and peak memory, process tree included.

The command runs as a subprocess in a new session. Every ``poll_interval``
seconds (25 ms by default) the resident set sizes (``VmRSS`` in
``/proc/PID/status``) of the child and of all its descendants are summed; the
largest sum seen is the peak. Descendants are found by walking the parent pids
in ``/proc/*/stat``; processes of the child's session are counted too, so that a
worker whose parent has already exited (and which was re-parented to init) is
not lost.

As a cross-check the child's ``ru_maxrss`` from ``os.wait4`` is reported: that
is the largest resident set of any *single* process in the tree that has been
waited for (the kernel folds reaped children into it), never a sum.

Summing VmRSS counts pages shared between processes (copy-on-write after fork,
shared libraries) once per process, so for a multi-process tree the sum is an
upper bound of the physical memory actually used.

With ``watch_dir``, each poll also adds up the disk a folder takes (the
blocks of the files under it, and of files under it that a process of the
tree has unlinked but still holds open, such as a unit stream spilled to
``--tmp-dir``); the largest sum seen is ``peak_dir_bytes``.

Linux only (needs ``/proc``).
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

POLL_INTERVAL = 0.025
STDERR_TAIL_CHARS = 4000


@dataclass(frozen=True)
class Result:
    seconds: float  # wall time from start to exit
    peak_rss_mb: float  # max over polls of sum of VmRSS over the tree, MiB
    maxrss_mb: float  # ru_maxrss of the child from wait4 (largest single process), MiB
    returncode: int  # negative: killed by that signal
    stderr_tail: str
    samples: int = 0  # number of polls taken
    max_processes: int = 0  # most processes seen at once in the tree
    timed_out: bool = False
    leftover_processes: int = 0  # processes of the session still alive after the child exited
    cpu_seconds: float = 0.0  # user + system time of the child and the children it waited for (wait4)
    peak_dir_bytes: int = 0  # largest disk use seen of ``watch_dir`` (0 when none was watched)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _read_stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, session id) of a process, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces or ')'.
    fields = data[data.rfind(b")") + 2 :].split()
    # fields[0] is the state, [1] ppid, [2] pgrp, [3] session
    try:
        return int(fields[1]), int(fields[3])
    except (IndexError, ValueError):
        return None


def _process_table() -> dict[int, tuple[int, int]]:
    table = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            stat = _read_stat(int(entry.name))
            if stat is not None:
                table[int(entry.name)] = stat
    return table


def tree_pids(root: int, session: int | None = None) -> list[int]:
    """The root and all its descendants (plus members of ``session`` if given)."""
    table = _process_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _sid) in table.items():
        children.setdefault(ppid, []).append(pid)
    found = {root}
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    if session is not None:
        found.update(pid for pid, (_ppid, sid) in table.items() if sid == session)
    return sorted(found)


def vm_rss_kib(pid: int) -> int:
    """VmRSS of a process in KiB; 0 if it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_rss_kib(root: int, session: int | None = None) -> tuple[int, int]:
    """(sum of VmRSS over the tree in KiB, number of processes in the tree)."""
    pids = tree_pids(root, session)
    return sum(vm_rss_kib(p) for p in pids), len(pids)


def folder_bytes(folder: str, pids: list[int]) -> int:
    """Disk blocks (bytes) of the files under ``folder``, and of the unlinked files under it that ``pids`` hold open.

    Each file is counted once (by device and inode), however many descriptors name it.
    """
    seen: set[tuple[int, int]] = set()
    total = 0

    def add(stat: os.stat_result) -> None:
        nonlocal total
        if (stat.st_dev, stat.st_ino) not in seen:
            seen.add((stat.st_dev, stat.st_ino))
            total += stat.st_blocks * 512

    stack = [folder]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:  # removed while we looked
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    add(entry.stat(follow_symlinks=False))
            except OSError:
                continue
    prefix = os.path.realpath(folder) + os.sep
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith(prefix) and target.endswith(" (deleted)"):
                    add(os.stat(f"/proc/{pid}/fd/{fd}"))
            except OSError:
                continue
    return total


def _tail(f, limit: int = STDERR_TAIL_CHARS) -> str:
    f.seek(0, os.SEEK_END)
    size = f.tell()
    f.seek(max(0, size - limit))
    return f.read().decode("utf-8", errors="replace")


def run_measured(
    argv: list[str],
    stdout_path: str | os.PathLike | None = None,
    *,
    cwd: str | os.PathLike | None = None,
    env: dict[str, str] | None = None,
    poll_interval: float = POLL_INTERVAL,
    timeout: float | None = None,
    watch_dir: str | os.PathLike | None = None,
) -> Result:
    """Run ``argv``, send its stdout to ``stdout_path`` (or discard it), measure it.

    ``watch_dir``: a folder whose disk use is sampled at each poll (:func:`folder_bytes`).

    stderr is kept in an anonymous temporary file (not in memory) and its last
    few thousand characters are returned. On timeout or Ctrl-C the whole
    session of the child is killed.
    """
    stdout = open(stdout_path, "wb") if stdout_path is not None else subprocess.DEVNULL  # noqa: SIM115 - closed below
    with tempfile.TemporaryFile() as err:
        try:
            start = time.perf_counter()
            proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=err,
                cwd=cwd, env=env, start_new_session=True,
            )
        finally:
            if stdout_path is not None:
                stdout.close()
        pid = proc.pid
        # Wake up the moment the child exits, not at the next poll: with a long
        # poll interval, sleeping would round every time up to it.
        try:
            exited = os.pidfd_open(pid)
        except (AttributeError, OSError):
            exited = None
        peak_kib = 0
        peak_dir = 0
        samples = 0
        max_procs = 0
        timed_out = False
        try:
            while True:
                poll_start = time.perf_counter()
                pids = tree_pids(pid, session=pid)
                rss, nprocs = sum(vm_rss_kib(p) for p in pids), len(pids)
                if watch_dir is not None:
                    peak_dir = max(peak_dir, folder_bytes(os.fspath(watch_dir), pids))
                samples += 1
                peak_kib = max(peak_kib, rss)
                max_procs = max(max_procs, nprocs)
                waited, status, rusage = os.wait4(pid, os.WNOHANG)
                if waited == pid:
                    break
                if timeout is not None and time.perf_counter() - start > timeout:
                    timed_out = True
                    _kill_session(pid)
                    waited, status, rusage = os.wait4(pid, 0)
                    break
                pause = max(0.0, poll_interval - (time.perf_counter() - poll_start))
                if exited is not None:
                    select.select([exited], [], [], pause)
                else:
                    time.sleep(pause)
        except BaseException:
            _kill_session(pid)
            try:
                os.wait4(pid, 0)
            except ChildProcessError:
                pass
            proc.returncode = -9
            raise
        seconds = time.perf_counter() - start
        if exited is not None:
            os.close(exited)
        returncode = os.waitstatus_to_exitcode(status)
        proc.returncode = returncode  # reaped by us; keep Popen from waiting again
        # Workers left behind in the session would distort later runs: count
        # them (a sign of a leak in the measured program) and kill them.
        leftover = [p for p in tree_pids(pid, session=pid) if p != pid and vm_rss_kib(p) > 0]
        if leftover:
            _kill_session(pid)
        tail = _tail(err)
    return Result(
        seconds=seconds,
        peak_rss_mb=peak_kib / 1024,
        maxrss_mb=rusage.ru_maxrss / 1024,  # Linux: KiB
        returncode=returncode,
        stderr_tail=tail,
        samples=samples,
        max_processes=max_procs,
        timed_out=timed_out,
        leftover_processes=len(leftover),
        cpu_seconds=rusage.ru_utime + rusage.ru_stime,
        peak_dir_bytes=peak_dir,
    )


def _kill_session(sid: int) -> None:
    try:
        os.killpg(sid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


if __name__ == "__main__":
    # python bench/measure.py CMD ARGS...: measure one command, report on stderr.
    r = run_measured(sys.argv[1:])
    print(
        f"seconds={r.seconds:.3f} peak_rss_mb={r.peak_rss_mb:.1f} "
        f"maxrss_mb={r.maxrss_mb:.1f} returncode={r.returncode} "
        f"samples={r.samples} max_processes={r.max_processes}",
        file=sys.stderr,
    )
    if r.stderr_tail:
        print(r.stderr_tail, file=sys.stderr, end="")
    sys.exit(r.returncode if r.returncode >= 0 else 1)
