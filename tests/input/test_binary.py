"""Binary input (NUL bytes, /dev/zero, /dev/urandom, a pipe of either): refused at the first block, in one line.

test_r3_NN: item NN of issue 19 (docs/reliability.md cites them).
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from tests.helpers import stderr_lines, wordmine_argv

BINARY = "NUL byte at offset 0: binary input, not text"


def _endless(command: list, stdin_path: str | None = None) -> subprocess.CompletedProcess:
    """Run on an endless input (/dev/zero, /dev/urandom): it must end by itself, with stdin from that device."""
    with open(stdin_path or os.devnull, "rb") as stdin:
        return subprocess.run(wordmine_argv(*command), stdin=stdin,
                              capture_output=True, check=False)


def test_binary_input_is_refused(run_wordmine, tmp_path):
    binary = tmp_path / "a.bin"
    binary.write_bytes(b"\x7fELF\x00\x01\x02")
    proc = run_wordmine("count", binary)
    assert proc.returncode == 1 and b"NUL byte at offset 4" in proc.stderr


@pytest.mark.parametrize("command", [["segment", "/dev/zero"], ["contrast", "/dev/zero"], ["segment", "-"],
                                     ["contrast", "-"]])
def test_r3_03_an_endless_binary_input_stops_at_its_first_block(tmp_path, command):
    spill = tmp_path / "tmp"
    spill.mkdir()
    result = _endless([*command, "--tmp-dir", spill], "/dev/zero" if "-" in command else None)
    name = "<stdin>" if "-" in command else "/dev/zero"
    assert (result.returncode, result.stdout, result.stderr.decode()) == (1, b"", f"wordmine: error: {name}: {BINARY}\n")
    assert os.listdir(spill) == []


def test_r3_03_random_bytes_on_stdin_are_refused_naming_stdin(tmp_path):
    spill = tmp_path / "tmp"
    spill.mkdir()
    result = _endless(["segment", "-", "--tmp-dir", spill], "/dev/urandom")
    assert result.returncode == 1
    assert re.fullmatch(r"wordmine: error: <stdin>: (NUL byte at offset \d+: binary input, not text"
                        r"|cannot decode byte 0x[0-9a-f]{2} at offset \d+ as utf-8; .*)\n", result.stderr.decode())
    assert os.listdir(spill) == []


def test_r3_03_an_undecodable_byte_on_stdin_names_stdin_not_the_buffer(run_wordmine, tmp_path):
    result = run_wordmine("segment", "-", "--tmp-dir", tmp_path, input="黑猫喜欢鱼".encode() + b"\xff\n")
    assert (result.returncode, result.stderr.decode()) == (
        1, ("wordmine: error: <stdin>: cannot decode byte 0xff at offset 15 as utf-8; give --errors replace or "
           "--errors skip to replace or drop the undecodable bytes, or the right --encoding\n"))
    assert os.listdir(tmp_path) == []


def test_r3_03_replaced_bytes_on_stdin_are_counted_under_its_name(run_wordmine, tmp_path):
    result = run_wordmine("segment", "-", "--tmp-dir", tmp_path, "--errors", "replace",
                          input="黑猫喜欢鱼".encode() + b"\xff\n")
    assert result.returncode == 0
    assert "wordmine: <stdin>: 1 undecodable byte replaced by U+FFFD (--errors replace)" in stderr_lines(result)


def test_r3_03_dev_zero_read_as_utf16_is_binary_too(tmp_path):
    result = _endless(["segment", "/dev/zero", "--encoding", "utf-16-le", "--tmp-dir", tmp_path])
    assert (result.returncode, result.stderr.decode()) == (
        1, "wordmine: error: /dev/zero: NUL character near offset 0: binary input, not text\n")
    assert os.listdir(tmp_path) == []
