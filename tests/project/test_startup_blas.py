"""The command line starts numpy's OpenBLAS with one thread (its threads only cost start-up), unless the user
set OPENBLAS_NUM_THREADS."""

from __future__ import annotations

import os

from tests.helpers import STORY_PATH, run_patched

#: Said on stderr as the run exits: the variable as the run saw it, and the threads OpenBLAS runs (None: no OpenBLAS).
_SAY_AT_EXIT = """
    import atexit, os
    def said():
        from wordmine.blas import blas_threads
        os.write(2, f"BLAS {os.environ.get('OPENBLAS_NUM_THREADS')} {blas_threads()}\\n".encode())
    atexit.register(said)
"""


def _blas(env: dict[str, str]) -> list[str]:
    proc = run_patched(_SAY_AT_EXIT, "discover", STORY_PATH, "-q", "--top", "1", env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stderr.decode().split("BLAS ")[1].split()


def test_one_blas_thread_by_default():
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    variable, threads = _blas(env)
    assert variable == "1" and threads in ("1", "None")


def test_a_thread_count_the_user_set_is_kept():
    variable, _ = _blas({**os.environ, "OPENBLAS_NUM_THREADS": "2"})
    assert variable == "2"
