"""Endless valid text on standard input read twice stops short of a full disk (issue 19, part 3 of the
second probe)."""

from __future__ import annotations

import importlib.util
import os
import pathlib

import pytest

needs_proc = pytest.mark.skipif(not pathlib.Path("/proc/self/stat").exists(), reason="needs Linux /proc")
needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="the optional wordmine[dask] extra is not installed")


# Endless valid text on standard input (the brief's part 3)

#: A file system of 8 MiB whose free room is what the copies in it have left, and a reserve of 4 MiB.
_NEARLY_FULL = """
    import os
    from wordmine.io import text
    def free(folder):
        return (8 << 20) - sum(entry.stat().st_size for entry in os.scandir(folder))
    text._free = free
    text.reserve_of = lambda folder: 4 << 20
"""


def test_standard_input_buffered_for_a_second_pass_stops_short_of_a_full_disk(run_patched, tmp_path):
    # ``yes 中文 | wordmine segment -`` is valid text that never ends: its copy filled --tmp-dir to the
    # last byte before the run failed, and every other program writing there with it. The copy now
    # stops while the reserve is still free. (16 MiB of input stands for the endless stream: before
    # the fix it was all copied, and the run went on.)
    source = tmp_path / "stdin.txt"
    source.write_bytes("中文\n".encode() * ((16 << 20) // 7))
    folder = tmp_path / "tmp"
    folder.mkdir()
    with open(source, "rb") as stdin:
        result = run_patched(_NEARLY_FULL, "segment", "-", "--tmp-dir", folder, "-q", stdin=stdin)
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", (f"wordmine: error: {folder}: cannot buffer standard input for a second pass: it would leave "
                 "less than 4M free there (or give a file, not a pipe); see --tmp-dir\n"))
    assert list(folder.iterdir()) == []


def test_standard_input_that_fits_above_the_reserve_is_segmented(run_patched, tmp_path):
    folder = tmp_path / "tmp"
    folder.mkdir()
    result = run_patched(_NEARLY_FULL, "segment", "-", "--tmp-dir", folder, "-q", input="中文\n".encode() * 1000)
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout.decode().count("\n") == 1000
    assert list(folder.iterdir()) == []


def test_the_reserve_is_a_hundredth_of_the_file_system_at_most_256m(tmp_path):
    from wordmine.io.text import reserve_of

    info = os.statvfs(tmp_path)
    assert reserve_of(str(tmp_path)) == min(256 << 20, info.f_blocks * info.f_frsize // 100)
    assert reserve_of(str(tmp_path / "no such folder")) == 0
