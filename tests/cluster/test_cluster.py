"""Counting shards on a real (local) Dask cluster gives the single-process count file, and leaves no process behind."""

import os
import pathlib
import signal
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from wordmine.cli import cli

pytest.importorskip("distributed", reason="the optional wordmine[dask] extra is not installed")


@pytest.mark.slow
def test_four_shards_on_two_dask_workers_equal_one_process(tmp_path, sample_path):
    shards = [str(sample_path(name)) for name in ("story.txt", "technical.txt", "everyday.txt", "story.txt")]
    runner = CliRunner()
    single = runner.invoke(cli, ["count", *shards, "--jobs", "1", "-q", "-o", f"{tmp_path}/single.wmc"])
    assert single.exit_code == 0, single.output
    on_dask = runner.invoke(cli, ["count", "--dask", "local:2", *shards, "-q", "-o", f"{tmp_path}/dask.wmc"])
    assert on_dask.exit_code == 0, on_dask.output
    assert (tmp_path / "dask.wmc").read_bytes() == (tmp_path / "single.wmc").read_bytes()


@pytest.mark.parametrize("spec", ["local:0", "local:two"])
def test_a_malformed_local_cluster_is_a_usage_error(tmp_path, sample_path, spec):
    result = CliRunner().invoke(cli, ["count", "--dask", spec, str(sample_path("story.txt")),
                                      "-o", f"{tmp_path}/x.wmc"])
    assert result.exit_code == 2 and "local:N" in result.output
    assert not (tmp_path / "x.wmc").exists()


def test_dask_needs_named_files():
    result = CliRunner().invoke(cli, ["count", "--dask", "local:2", "-", "-o", "x.wmc"], input="天地")
    assert result.exit_code == 2 and "not standard input" in result.output


# A local cluster must be gone when the command returns: its worker processes and
# whatever started them (multiprocessing's resource tracker, a forkserver). Each command
# runs in a session of its own; once it has exited and been reaped, any process still in
# that session was left behind. The command's stderr goes to a file, not a pipe: reading
# a pipe to its end would wait for every process holding it, hiding the ones left.


def _session_processes(session: int) -> list[str]:
    """The processes of ``session`` still in /proc (zombies included), as 'pid state (name) ...'."""
    found = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            data = stat.read_bytes()
        except OSError:  # gone since the listing
            continue
        name_end = data.rfind(b")")  # the name, in parentheses, may hold spaces
        fields = data[name_end + 2 :].split()  # state, ppid, pgrp, session, ...
        if int(fields[3]) == session:
            try:  # what a live process runs (a zombie has no command line left)
                cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")[:200]
            except OSError:
                cmdline = b""
            found.append(f"{data[: name_end + 1].decode(errors='replace')} {fields[0].decode()} "
                         f"{cmdline.decode(errors='replace')}")
    return found


def _run_in_session(argv: list[str], stderr_path: pathlib.Path) -> tuple[int, int]:
    """Run ``argv`` in a new session (its id is the child's pid) to its exit: (status, session)."""
    with open(stderr_path, "wb") as err:
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                 start_new_session=True)
    return child.wait(), child.pid


needs_proc = pytest.mark.skipif(not pathlib.Path("/proc/self/stat").exists(), reason="needs Linux /proc")


@needs_proc
@pytest.mark.parametrize("command", ["count", "discover"])
@pytest.mark.slow
def test_a_command_on_a_local_cluster_leaves_no_process_behind(tmp_path, sample_path, command):
    shards = [str(sample_path(name)) for name in ("story.txt", "technical.txt")]
    argv = [sys.executable, "-m", "wordmine", command, "--dask", "local:2", *shards, "-o", f"{tmp_path}/out"]
    status, session = _run_in_session(argv, tmp_path / "stderr")
    assert status == 0, (tmp_path / "stderr").read_text()
    assert _session_processes(session) == []


@needs_proc
@pytest.mark.slow
def test_a_failed_shard_leaves_no_process_behind(tmp_path, sample_path):
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe not utf-8")
    argv = [sys.executable, "-m", "wordmine", "count", "--dask", "local:2", str(sample_path("story.txt")),
            f"{tmp_path}/bad.txt", "-o", f"{tmp_path}/out.wmc"]
    status, session = _run_in_session(argv, tmp_path / "stderr")
    assert status == 1
    # one error line (the progress line is --verbose's): the workers' own log of the failed task is silenced
    assert (tmp_path / "stderr").read_text().splitlines() == [
        (f"wordmine: error: {tmp_path}/bad.txt: cannot decode byte 0xff at offset 0 as utf-8; give --errors replace "
         "or --errors skip to replace or drop the undecodable bytes, or the right --encoding")]
    assert _session_processes(session) == []
    assert not (tmp_path / "out.wmc").exists()


@needs_proc
@pytest.mark.slow
def test_the_api_on_a_local_cluster_leaves_no_process_behind(tmp_path, sample_path):
    shards = [str(sample_path(name)) for name in ("story.txt", "technical.txt")]
    script = f"import wordmine; assert wordmine.discover({shards!r}, dask='local:2', top=5)"
    status, session = _run_in_session([sys.executable, "-c", script], tmp_path / "stderr")
    assert status == 0, (tmp_path / "stderr").read_text()
    assert _session_processes(session) == []


@needs_proc
@pytest.mark.slow
def test_ctrl_c_on_a_local_cluster_leaves_no_process_behind(tmp_path, sample_path):
    # A shard that is a named pipe: opening our end returns once its task has opened
    # it, so the count is known to be under way on a worker without any timing.
    shard = tmp_path / "shard.txt"
    os.mkfifo(shard)
    argv = [sys.executable, "-m", "wordmine", "count", "--dask", "local:2", str(sample_path("story.txt")),
            str(shard), "-o", f"{tmp_path}/out.wmc"]
    with open(tmp_path / "stderr", "wb") as err:
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                 start_new_session=True)

    def unblock_if_it_ended() -> None:  # a command that ended without reading the shard must not hang the test
        child.wait()
        os.close(os.open(shard, os.O_RDONLY | os.O_NONBLOCK))

    ended = threading.Thread(target=unblock_if_it_ended)
    ended.start()
    with open(shard, "wb"):
        os.killpg(child.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to the command and its workers
        ended.join()
    assert child.returncode == 130, (tmp_path / "stderr").read_text()
    assert "interrupted" in (tmp_path / "stderr").read_text()
    assert _session_processes(child.pid) == []
    assert not (tmp_path / "out.wmc").exists()
