"""A count file's segments are copied into the container by the kernel where it can, else through the
process: the same bytes either way, and a full disk is still an error naming the output."""

from __future__ import annotations

import errno
import os

import pytest

import wordmine
from wordmine.errors import WordmineError

LINES = ["天天向上，好好学习", "iOS7 用户 2019年", "上上下下左右左右"] * 50


def _refuse(code: int):
    def sendfile(*args):
        raise OSError(code, os.strerror(code))
    return sendfile


@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOSYS])
def test_without_sendfile_the_count_file_is_the_same(tmp_path, monkeypatch, code):
    wordmine.count(LINES, jobs=1, save_to=tmp_path / "kernel.wmc")
    monkeypatch.setattr(os, "sendfile", _refuse(code))
    wordmine.count(LINES, jobs=1, save_to=tmp_path / "copied.wmc")
    assert (tmp_path / "copied.wmc").read_bytes() == (tmp_path / "kernel.wmc").read_bytes()
    assert wordmine.Counts.load(tmp_path / "copied.wmc").total_units == 1050


def test_a_full_disk_while_copying_is_an_error_naming_the_output(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "sendfile", _refuse(errno.ENOSPC))
    with pytest.raises(WordmineError, match="full.wmc"):
        wordmine.count(LINES, jobs=1, save_to=tmp_path / "full.wmc")
    assert not (tmp_path / "full.wmc").exists()
    assert [p.name for p in tmp_path.iterdir()] == []
