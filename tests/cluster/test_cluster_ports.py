"""Two local Dask clusters at once: the second says nothing about ports on stderr.

The scheduler's HTTP server listens even without a dashboard, on 8787 unless
told otherwise; a run beside another one (a test suite beside a benchmark)
printed distributed's "Port 8787 is already in use" warning into our stderr.
"""

import contextlib
import errno
import socket
import subprocess
import sys

import pytest

pytest.importorskip("distributed", reason="the optional wordmine[dask] extra is not installed")


@pytest.mark.slow
def test_a_local_cluster_beside_another_one_keeps_stderr_quiet(sample_path):
    with contextlib.ExitStack() as stack:
        holder = stack.enter_context(socket.socket())
        try:
            holder.bind(("127.0.0.1", 8787))
            holder.listen()
        except OSError as exc:  # already taken by something else: the same situation
            assert exc.errno == errno.EADDRINUSE
        done = subprocess.run([sys.executable, "-m", "wordmine", "count", "--dask", "local:2", "-q", "--top", "1",
                               str(sample_path("story.txt"))], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "的\t1\t988\n")
