"""--dask given nonsense or an address where no scheduler listens: a usage error, or one line."""

from __future__ import annotations

import pytest

from tests.helpers import STORY_PATH, last_line, run_wordmine

# Issue 19, item 4: no tracebacks.


def test_cli_dask_nonsense_is_a_usage_error():
    proc = run_wordmine("count", STORY_PATH, "--dask", "nonsense")
    assert proc.returncode == 2
    assert last_line(proc) == ("Error: Invalid value for '--dask': 'nonsense' is not a scheduler: give an address "
                               "with its port (tcp://host:8786) or local:N")


def test_cli_dask_unreachable_scheduler_is_one_line():
    pytest.importorskip("distributed")
    proc = run_wordmine("count", STORY_PATH, "--dask", "tcp://127.0.0.1:1",
                        env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"})
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == ("wordmine: error: --dask tcp://127.0.0.1:1: cannot reach the scheduler: "
                                            "Timed out trying to connect to tcp://127.0.0.1:1 after 1 s")
