"""Wordmine files and UTF-16 where a word list or a model is read (issue 19, item 14, probed again).
Every test failed before its fix."""

from __future__ import annotations

import importlib.util
import pathlib

import pytest

import wordmine

needs_proc = pytest.mark.skipif(not pathlib.Path("/proc/self/stat").exists(), reason="needs Linux /proc")
needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="the optional wordmine[dask] extra is not installed")


# Wordmine files and UTF-16 where a word list or a model is read (item 14, probed again)


@pytest.fixture(scope="module")
def wordmine_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("files")
    text = folder / "toy.txt"
    text.write_text("黑猫喜欢鱼，白狗讨厌骨头。\n" * 20, encoding="utf-8")
    wordmine.count(str(text), order=2).save(folder / "x.wmc")
    wordmine.learn(str(text), method="unigram").save(folder / "m.wmm")
    return folder


@pytest.mark.parametrize("name, what", [
    ("m.wmm", "a wordmine model file (from learn -o FILE.wmm), not text: give it to segment --model"),
    ("x.wmc", ("a wordmine count file (from count -o FILE.wmc), not text: give it as the input of discover, "
               "contrast or learn, or to merge")),
])
def test_discover_known_names_a_wordmine_file(run_wordmine, wordmine_files, name, what):
    # Said "not UTF-8 nor utf-8: give the file's --encoding".
    known = wordmine_files / name
    result = run_wordmine("discover", "--known", known, wordmine_files / "toy.txt", "-q")
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", f"wordmine: error: --known {known}: {what}\n")


def test_discover_known_reads_a_utf16_file_with_a_byte_order_mark(run_wordmine, wordmine_files, tmp_path):
    known = tmp_path / "known.txt"
    known.write_bytes("黑猫\n白狗\n".encode("utf-16"))
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text("黑猫\n白狗\n", encoding="utf-8")
    text = wordmine_files / "toy.txt"
    expected = run_wordmine("discover", "--known", utf8, text, "-q")
    result = run_wordmine("discover", "--known", known, text, "-q")
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout == expected.stdout


def test_discover_known_in_big5_is_told_big5(run_wordmine, wordmine_files, tmp_path):
    known = tmp_path / "known.txt"
    known.write_bytes("臺灣\n學生們\n圖書館\n".encode("big5"))
    result = run_wordmine("discover", "--known", known, wordmine_files / "toy.txt", "-q")
    assert (result.returncode, result.stderr.decode()) == (
        1, f"wordmine: error: --known {known}: not UTF-8: try --encoding big5\n")


@pytest.mark.parametrize("command", [["segment", "--model", "{x}", "{text}"], ["info", "{x}"]])
def test_a_count_file_given_as_a_model_is_named(run_wordmine, wordmine_files, command):
    # Said only "not a wordmine model file".
    x = wordmine_files / "x.wmc"
    args = [arg.format(x=x, text=wordmine_files / "toy.txt") for arg in command]
    result = run_wordmine(*args)
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", (f"wordmine: error: {x}: a wordmine count file (from count -o FILE.wmc), not a wordmine model "
                 "file (make one with 'wordmine learn')\n"))
