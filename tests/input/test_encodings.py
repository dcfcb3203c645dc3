"""Text in other encodings: --encoding for every input (word lists too), honest hints for undecodable bytes,
--errors replace|skip, byte-order marks, codecs that are not text encodings.

test_fault_NN: fault NN of issue 11; test_r3_NN: item NN of issue 19 (docs/reliability.md cites them).
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import STORY, STORY_PATH, last_line, one_line_error, run_wordmine, status_and_stderr


@pytest.fixture
def one_bad_byte(tmp_path):
    path = tmp_path / "crawl.txt"
    good = STORY.encode() * 50
    path.write_bytes(good + b"\xff" + good)
    return path, len(good)


TRADITIONAL = "臺灣的學生們在圖書館裡讀書，他們說這裡的環境很安靜。我們應該學習他們認真的態度。\n" * 3


SIMPLIFIED = "黑猫喜欢鱼，白狗讨厌骨头。小鸟喜欢米粒，黑猫讨厌骨头。\n" * 3


# Fault 12 of issue 11: encodings of every input


def test_fault_12_utf16_without_a_byte_order_mark(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("中国人民银行\n".encode("utf-16-le"))
    proc = run_wordmine("discover", path, "--encoding", "utf-16", "-q")
    assert proc.returncode == 1
    assert "utf-16-le" in one_line_error(proc)
    assert run_wordmine("count", path, "--encoding", "utf-16-le", "-q", "--order", "1").stdout.startswith("中".encode())


def test_fault_12_lexicon_and_word_lists_in_the_text_encoding(tmp_path, story):
    gb_story = tmp_path / "story-gb.txt"
    gb_story.write_bytes(STORY.encode("gb18030"))
    lexicon = tmp_path / "words-gb.txt"
    lexicon.write_bytes("黑猫 10\n喜欢 10\n骨头 10\n".encode("gb18030"))
    proc = run_wordmine("segment", gb_story, "--lexicon", lexicon, "--encoding", "gb18030", "-q", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().startswith("黑猫 喜欢 鱼 ， 黑猫 喜欢 骨头")
    proc = run_wordmine("eval", gb_story, gb_story, "--words", lexicon, "--encoding", "gb18030")
    assert proc.returncode == 0 and b"oov_recall" in proc.stdout, proc.stderr
    proc = run_wordmine("segment", story, "--lexicon", lexicon, "-q")  # UTF-8 text, a word list it cannot read
    assert proc.returncode == 1
    assert "words-gb.txt" in one_line_error(proc)


# Fault 13 of issue 11: undecodable bytes: an honest hint, and --errors replace|skip


def test_fault_13_the_hint_names_only_an_encoding_that_decodes(one_bad_byte):
    path, offset = one_bad_byte
    proc = run_wordmine("discover", path, "-q")
    assert proc.returncode == 1
    message = one_line_error(proc)
    assert f"byte 0xff at offset {offset}" in message
    assert "gb18030" not in message and "--errors replace" in message
    gbk = path.with_name("gb.txt")
    gbk.write_bytes(STORY.encode("gb18030"))
    assert "try --encoding gb18030" in one_line_error(run_wordmine("discover", gbk, "-q"))


def test_fault_13_errors_replace_and_skip(one_bad_byte):
    path, _ = one_bad_byte
    for mode in ("replace", "skip"):
        proc = run_wordmine("count", path, "--order", "1", "--errors", mode, "--top", "3")
        assert proc.returncode == 0, proc.stderr
        assert re.search(r"1 undecodable byte (replaced|skipped)", proc.stderr.decode()), proc.stderr
    assert run_wordmine("count", path, "--errors", "ignore").returncode == 2


def test_undecodable_input_is_one_line_exit_1(run_wordmine, tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("新词发现".encode("gbk"))
    proc = run_wordmine("discover", gbk, "--verbose")
    assert proc.returncode == 1
    # With --verbose, the budget line comes first (it is said at every start), then the error, in one line.
    budget, message = proc.stderr.decode().strip().split("\n")
    assert budget.startswith("wordmine: memory budget ") and message.startswith("wordmine: error: ")
    assert f"{gbk}" in message and "offset 0" in message
    assert "--encoding gb18030" in message
    assert run_wordmine("discover", gbk, "--encoding", "gb18030", "-q").returncode == 0


def test_r3_05_a_big5_file_is_told_big5_not_gb18030(run_wordmine, tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    assert status_and_stderr(run_wordmine("discover", path, "-q")) == (
        1, f"wordmine: error: {path}: cannot decode byte 0xbb at offset 0 as utf-8; try --encoding big5\n")


def test_r3_05_a_gb18030_file_is_still_told_gb18030(run_wordmine, tmp_path):
    path = tmp_path / "gb.txt"
    path.write_bytes(SIMPLIFIED.encode("gb18030"))
    assert status_and_stderr(run_wordmine("discover", path, "-q")) == (
        1, f"wordmine: error: {path}: cannot decode byte 0xba at offset 0 as utf-8; try --encoding gb18030\n")


def test_r3_05_a_utf8_file_with_its_last_character_cut_is_told_errors_replace(run_wordmine, tmp_path):
    path = tmp_path / "cut.txt"
    data = SIMPLIFIED.rstrip("\n").encode()[:-1]
    path.write_bytes(data)
    assert status_and_stderr(run_wordmine("discover", path, "-q")) == (
        1, (f"wordmine: error: {path}: cannot decode as utf-8: the text ends inside a character (at offset "
           f"{len(data) - 2}: a cut file?); give --errors replace or --errors skip to replace or drop the cut "
           "character\n"))
    assert run_wordmine("discover", path, "-q", "--errors", "replace").returncode == 0


def test_r3_05_an_odd_length_utf16_file_says_so(run_wordmine, tmp_path):
    path = tmp_path / "odd.txt"
    data = SIMPLIFIED.encode("utf-16-le") + b"x"
    path.write_bytes(data)
    assert status_and_stderr(run_wordmine("discover", path, "-q", "--encoding", "utf-16-le")) == (
        1, (f"wordmine: error: {path}: cannot decode as utf-16-le: it has an odd number of bytes ({len(data)}), so it "
           "is not whole utf-16-le text; give --errors replace or --errors skip to replace or drop the cut "
           "character\n"))
    # Read as UTF-8, its NUL bytes lead to the right encoding, not to gb18030.
    assert status_and_stderr(run_wordmine("discover", path, "-q")) == (
        1, f"wordmine: error: {path}: NUL byte at offset {data.index(0)}: UTF-16 text? give --encoding utf-16-le\n")


def test_r3_05_random_bytes_get_no_utf16_hint(run_wordmine, tmp_path):
    path = tmp_path / "random.bin"
    path.write_bytes(bytes(range(256)) * 4)
    assert status_and_stderr(run_wordmine("discover", path, "-q")) == (
        1, f"wordmine: error: {path}: NUL byte at offset 0: binary input, not text\n")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_r3_14_a_utf16_file_with_a_byte_order_mark_is_read_as_utf16(run_wordmine, tmp_path, encoding):
    path = tmp_path / "wide.txt"
    bom = {"utf-16": b"", "utf-16-be": b"\xfe\xff", "utf-32": b""}[encoding]
    path.write_bytes(bom + SIMPLIFIED.encode(encoding))
    plain = tmp_path / "plain.txt"
    plain.write_text(SIMPLIFIED, encoding="utf-8")
    result = run_wordmine("count", path, "-q", "--order", "2")
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout == run_wordmine("count", plain, "-q", "--order", "2").stdout
    lexicon = tmp_path / "wide_lexicon.txt"
    lexicon.write_bytes(bom + "黑猫 6\n白狗 2\n".encode(encoding))
    segmented = run_wordmine("segment", "--lexicon", lexicon, "-q", input="黑猫白狗\n".encode())
    assert (segmented.returncode, segmented.stdout) == (0, "黑猫 白狗\n".encode())


# Issue 19, item 4: no tracebacks.


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex"])
def test_cli_codec_that_is_not_a_text_encoding_is_a_usage_error(encoding):
    proc = run_wordmine("discover", STORY_PATH, "--encoding", encoding)
    assert proc.returncode == 2
    assert last_line(proc) == (f"Error: Invalid value for '--encoding': {encoding} is not a text encoding "
                               "(give one such as utf-8, gb18030, big5, utf-16-le)")
