"""Issue 19: faults and bad input, round three. Each test failed before its fix.

The names say the item of the issue (test_r3_01_... for item 1) so that the
README's reliability rows can point at them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import numpy as np
import pytest

import wordmine
from wordmine.errors import FormatError
from wordmine.segmentation import modelfile


def _lines(result) -> list[str]:
    return result.stderr.decode().splitlines()


@pytest.fixture
def story_gold(tmp_path, samples):
    """The story's first lines, one character a word, as a gold file."""
    lines = samples.joinpath("story.txt").read_text(encoding="utf-8").splitlines()[:5]
    gold = tmp_path / "gold.txt"
    gold.write_text("".join(" ".join(line) + "\n" for line in lines), encoding="utf-8")
    return gold


@pytest.mark.parametrize("weight", ["nan", "inf", "1e308", "-inf", "0"])
def test_r3_01_a_non_finite_or_absurd_gold_weight_is_a_usage_error(run_wordmine, samples, story_gold, tmp_path,
                                                                    weight):
    model = tmp_path / "m.wmm"
    result = run_wordmine("learn", samples / "story.txt", "--gold", story_gold, "--gold-weight", weight, "-o", model,
                          "-q")
    assert result.returncode == 2
    shown = {"inf": "inf", "nan": "nan", "1e308": "1e+308", "-inf": "-inf", "0": "0.0"}[weight]
    assert _lines(result)[-1] == ("Error: Invalid value for '--gold-weight': the gold weight must be a number "
                                  f"above 0 and at most 1000, not {shown}")
    assert not model.exists()


def test_r3_01_the_config_refuses_a_nan_gold_weight():
    with pytest.raises(ValueError, match="the gold weight must be a number above 0 and at most 1000, not nan"):
        wordmine.config.CRFConfig(gold_weight=float("nan"))


def test_r3_01_a_model_with_nan_weights_is_refused_at_save_and_at_load(toy_text, tmp_path, monkeypatch,
                                                                        run_wordmine):
    model = wordmine.learn([toy_text], method="crf")
    model.model.weights[0, 0] = np.nan
    path = tmp_path / "nan.wmm"
    with pytest.raises(FormatError) as caught:
        model.save(path)
    assert str(caught.value) == (f"{path}: the model holds non-finite weights (nan in crf_weights); it was not "
                                 "saved; learn it again with other settings")
    assert not path.exists()
    # A file written before the check (or by another program) is refused when it is read.
    monkeypatch.setattr(modelfile, "_check_finite", lambda *args: None)
    model.save(path)
    monkeypatch.undo()
    with pytest.raises(FormatError, match="non-finite weights"):
        wordmine.load(path)
    result = run_wordmine("segment", "--model", path, "-q", input="黑猫喜欢鱼\n".encode())
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", f"wordmine: error: {path}: the model holds non-finite weights (nan in crf_weights); learn it again\n")


def test_r3_01_a_unigram_model_with_an_infinite_probability_is_refused(toy_text, tmp_path):
    model = wordmine.learn([toy_text], method="unigram")
    model.model.log_prob[0] = np.inf
    with pytest.raises(FormatError, match=r"\(inf in log_prob\)"):
        model.save(tmp_path / "inf.wmm")


def _run_with_stderr(stderr_setup: str, *args) -> tuple[int, bytes]:
    """Run the command line with its stderr a pipe nobody reads (``gone``) or closed (``closed``)."""
    command = [sys.executable, "-m", "wordmine", *map(str, args)]
    if stderr_setup == "closed":
        result = subprocess.run(["sh", "-c", 'exec "$@" 2>&-', "sh", *command], stdout=subprocess.PIPE, check=False)
        return result.returncode, result.stdout
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line: every write to stderr fails with EPIPE
    try:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=write_end, check=False)
    finally:
        os.close(write_end)
    return result.returncode, result.stdout


@pytest.mark.parametrize("stderr_setup", ["gone", "closed"])
@pytest.mark.parametrize("command", ["discover", "count"])
def test_r3_02_when_stderr_goes_away_the_output_is_still_written(samples, tmp_path, stderr_setup, command):
    out = tmp_path / "out.tsv"
    code, stdout = _run_with_stderr(stderr_setup, command, samples / "story.txt", "-o", out, "--jobs", "2")
    assert (code, stdout) == (0, b"")
    expected = subprocess.run([sys.executable, "-m", "wordmine", command, samples / "story.txt", "-q"],
                              capture_output=True, check=True).stdout
    assert out.read_bytes() == expected
    assert os.listdir(tmp_path) == ["out.tsv"]


def test_r3_02_an_error_with_stderr_gone_still_exits_1(tmp_path):
    code, stdout = _run_with_stderr("gone", "discover", tmp_path / "missing.txt", "-o", tmp_path / "out.tsv")
    assert (code, stdout) == (2, b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"ab\0cd")
    code, stdout = _run_with_stderr("gone", "discover", binary, "-o", tmp_path / "out.tsv")
    assert (code, stdout) == (1, b"")
    assert sorted(os.listdir(tmp_path)) == ["binary.txt"]


BINARY = "NUL byte at offset 0: binary input, not text"


def _endless(command: list, stdin_path: str | None = None) -> subprocess.CompletedProcess:
    """Run on an endless input (/dev/zero, /dev/urandom): it must end by itself, with stdin from that device."""
    with open(stdin_path or os.devnull, "rb") as stdin:
        return subprocess.run([sys.executable, "-m", "wordmine", *map(str, command)], stdin=stdin,
                              capture_output=True, check=False)


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
    assert "wordmine: <stdin>: 1 undecodable byte replaced by U+FFFD (--errors replace)" in _lines(result)


def test_r3_03_dev_zero_read_as_utf16_is_binary_too(tmp_path):
    result = _endless(["segment", "/dev/zero", "--encoding", "utf-16-le", "--tmp-dir", tmp_path])
    assert (result.returncode, result.stderr.decode()) == (
        1, "wordmine: error: /dev/zero: NUL character near offset 0: binary input, not text\n")
    assert os.listdir(tmp_path) == []


TRADITIONAL = "臺灣的學生們在圖書館裡讀書，他們說這裡的環境很安靜。我們應該學習他們認真的態度。\n" * 3
SIMPLIFIED = "黑猫喜欢鱼，白狗讨厌骨头。小鸟喜欢米粒，黑猫讨厌骨头。\n" * 3


def _error(result) -> tuple[int, str]:
    return result.returncode, result.stderr.decode()


def test_r3_05_a_big5_file_is_told_big5_not_gb18030(run_wordmine, tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    assert _error(run_wordmine("discover", path, "-q")) == (
        1, f"wordmine: error: {path}: cannot decode byte 0xbb at offset 0 as utf-8; try --encoding big5\n")


def test_r3_05_a_gb18030_file_is_still_told_gb18030(run_wordmine, tmp_path):
    path = tmp_path / "gb.txt"
    path.write_bytes(SIMPLIFIED.encode("gb18030"))
    assert _error(run_wordmine("discover", path, "-q")) == (
        1, f"wordmine: error: {path}: cannot decode byte 0xba at offset 0 as utf-8; try --encoding gb18030\n")


def test_r3_05_a_utf8_file_with_its_last_character_cut_is_told_errors_replace(run_wordmine, tmp_path):
    path = tmp_path / "cut.txt"
    data = SIMPLIFIED.rstrip("\n").encode()[:-1]
    path.write_bytes(data)
    assert _error(run_wordmine("discover", path, "-q")) == (
        1, (f"wordmine: error: {path}: cannot decode as utf-8: the text ends inside a character (at offset "
           f"{len(data) - 2}: a cut file?); give --errors replace or --errors skip to replace or drop the cut "
           "character\n"))
    assert run_wordmine("discover", path, "-q", "--errors", "replace").returncode == 0


def test_r3_05_an_odd_length_utf16_file_says_so(run_wordmine, tmp_path):
    path = tmp_path / "odd.txt"
    data = SIMPLIFIED.encode("utf-16-le") + b"x"
    path.write_bytes(data)
    assert _error(run_wordmine("discover", path, "-q", "--encoding", "utf-16-le")) == (
        1, (f"wordmine: error: {path}: cannot decode as utf-16-le: it has an odd number of bytes ({len(data)}), so it "
           "is not whole utf-16-le text; give --errors replace or --errors skip to replace or drop the cut "
           "character\n"))
    # Read as UTF-8, its NUL bytes lead to the right encoding, not to gb18030.
    assert _error(run_wordmine("discover", path, "-q")) == (
        1, f"wordmine: error: {path}: NUL byte at offset {data.index(0)}: UTF-16 text? give --encoding utf-16-le\n")


def test_r3_05_random_bytes_get_no_utf16_hint(run_wordmine, tmp_path):
    path = tmp_path / "random.bin"
    path.write_bytes(bytes(range(256)) * 4)
    assert _error(run_wordmine("discover", path, "-q")) == (
        1, f"wordmine: error: {path}: NUL byte at offset 0: binary input, not text\n")


@pytest.mark.parametrize("count", ["1e400", "abc", "-5", "0", "nan"])
def test_r3_12_a_lexicon_count_that_is_not_a_positive_number_is_one_line(run_wordmine, tmp_path, count):
    lexicon = tmp_path / "lexicon.txt"
    lexicon.write_text(f"word\tcount\n黑猫\t6\n白狗\t{count}\n", encoding="utf-8")
    result = run_wordmine("segment", "--lexicon", lexicon, "-q", input="黑猫喜欢白狗\n".encode())
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", (f"wordmine: error: {lexicon}: line 3: count '{count}' is not a finite number above 0 "
                "(a line is: word [count])\n"))


def test_r3_12_a_json_lexicon_row_with_an_infinite_count_is_one_line(run_wordmine, tmp_path):
    lexicon = tmp_path / "lexicon.jsonl"
    lexicon.write_text('{"word": "黑猫", "count": 1e400}\n', encoding="utf-8")
    result = run_wordmine("segment", "--lexicon", lexicon, "-q", input="黑猫\n".encode())
    assert _error(result) == (
        1, f"wordmine: error: {lexicon}: line 1: count inf is not a finite number above 0 (a line is: word [count])\n")


@pytest.fixture(scope="module")
def wordmine_files(tmp_path_factory):
    """A count file and a model file of the toy corpus."""
    folder = tmp_path_factory.mktemp("files")
    text = folder / "toy.txt"
    text.write_text(("黑猫喜欢鱼，白狗讨厌骨头。\n" * 20), encoding="utf-8")
    wordmine.count(str(text), order=2).save(folder / "x.wmc")
    wordmine.learn(str(text), method="unigram").save(folder / "m.wmm")
    return folder


COUNT_FILE = ("a wordmine count file (from count -o FILE.wmc), not text: give it as the input of discover, "
              "contrast or learn, or to merge")
MODEL_FILE = "a wordmine model file (from learn -o FILE.wmm), not text: give it to segment --model"


@pytest.mark.parametrize("args, named, what", [
    (["discover", "{m}", "-q"], "{m}", MODEL_FILE),
    (["segment", "{x}", "-q"], "{x}", COUNT_FILE),
    (["segment", "--model", "{m}", "{x}", "-q"], "{x}", COUNT_FILE),
    (["eval", "{g}", "{m}"], "{m}", MODEL_FILE),
    (["segment", "--lexicon", "{m}", "{g}", "-q"], "{m}", MODEL_FILE),
])
def test_r3_14_wordmine_files_given_as_text_are_named(run_wordmine, wordmine_files, args, named, what):
    paths = {"m": wordmine_files / "m.wmm", "x": wordmine_files / "x.wmc", "g": wordmine_files / "toy.txt"}
    result = run_wordmine(*(arg.format(**paths) for arg in args))
    assert (result.returncode, result.stdout) == (1, b"")
    assert _lines(result)[-1] == f"wordmine: error: {named.format(**paths)}: {what}"


def test_r3_14_the_named_magics_are_the_writers_own():
    from wordmine.counting.files import countfile
    from wordmine.io.text import WORDMINE_FILES

    assert set(WORDMINE_FILES) == {countfile.MAGIC, modelfile.MAGIC}


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


@pytest.mark.parametrize("command", ["discover", "count", "merge"])
def test_r3_07_a_memory_budget_above_the_machine_is_a_usage_error(run_wordmine, samples, tmp_path, command):
    from wordmine.config import format_size, installed_memory, parse_size

    installed = installed_memory()
    if installed is None:
        pytest.skip("the system does not say how much memory it has")
    for asked in ["1T" if installed < 1 << 40 else "1000T", format_size(installed * 2)]:
        args = [samples / "story.txt"] if command != "merge" else [tmp_path / "a.wmc", "-o", tmp_path / "b.wmc"]
        if command == "merge":
            wordmine.count(str(samples / "story.txt"), order=2).save(tmp_path / "a.wmc")
        result = run_wordmine(command, *args, "--memory", asked, "-q")
        assert (result.returncode, result.stdout) == (2, b"")
        assert _lines(result)[-1] == (
            f"Error: Invalid value for '--memory': {format_size(parse_size(asked))} is more than this machine's memory "
            f"({format_size(installed)}): give at most {format_size(installed)}, or leave --memory out (a quarter of it)")


_FULL_DISK_RUNS = """
    from wordmine.counting.engine import counter
    from wordmine.counting.spill import runs
    counter._write_run = lambda table, path: runs.write_run(table, "/dev/full")  # the real writer, on a full device
"""


@pytest.mark.parametrize("command", ["count", "discover"])
def test_r3_09_a_full_tmp_dir_while_spilling_says_the_os_error(run_patched, samples, tmp_path, command):
    spill = tmp_path / "spill"
    spill.mkdir()
    texts = [samples / name for name in ("story.txt", "technical.txt", "everyday.txt")]
    result = run_patched(_FULL_DISK_RUNS, command, *texts, "--memory", "256k", "--jobs", "1", "--tmp-dir", spill,
                         "-q")
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", f"wordmine: error: {spill}: cannot spill counts: No space left on device; see --tmp-dir\n")
    assert os.listdir(spill) == []


def test_r3_09_a_short_write_with_no_errno_on_a_full_folder_is_no_space(tmp_path, monkeypatch):
    from wordmine.counting.spill import runs

    class Full:
        f_bavail, f_frsize = 0, 4096

    monkeypatch.setattr(runs.os, "statvfs", lambda folder: Full())
    error = runs.spill_error(str(tmp_path / "wordmine-spill-1-x"), OSError("4096 requested and 0 written"))
    assert str(error) == f"{tmp_path}: cannot spill counts: No space left on device; see --tmp-dir"


def _dead_pid() -> int:
    """A PID no process can have: past Linux's largest (PID_MAX_LIMIT, 2 ** 22), so never reused by a busy machine."""
    return 2**22 + 1


def test_r3_08_a_partial_output_is_named_for_its_process(tmp_path):
    from wordmine.io.text import atomic_output

    with atomic_output(str(tmp_path / "out.tsv")) as handle:
        handle.write("x\n")
        (partial,) = os.listdir(tmp_path)
        assert re.fullmatch(rf"\.wordmine-{os.getpid()}-\w+\.part", partial)
    assert os.listdir(tmp_path) == ["out.tsv"]


@pytest.mark.parametrize("command", [["segment", "--model", "{model}"], ["count"], ["discover"]])
def test_r3_08_files_left_by_a_killed_run_are_removed_by_the_next(run_wordmine, wordmine_files, tmp_path, command):
    dead, alive = _dead_pid(), os.getpid()
    out, spill = tmp_path / "out", tmp_path / "spill"
    out.mkdir()
    spill.mkdir()
    left = [out / f".wordmine-{dead}-abc123.part", spill / f"wordmine-stdin-{dead}-abc123"]
    kept = [out / f".wordmine-{alive}-abc123.part", spill / f"wordmine-spill-{alive}-abc123", out / ".wordmine-x.part"]
    for path in [*left, *kept]:
        path.write_text("partial")
    (spill / f"wordmine-spill-{dead}-abc123").mkdir()
    (spill / f"wordmine-spill-{dead}-abc123" / "run-1.bin").write_bytes(b"\0" * 64)
    args = [arg.format(model=wordmine_files / "m.wmm") for arg in command]
    result = run_wordmine(*args, "-", "-o", out / "result.txt", "--tmp-dir", spill, "-q",
                          input="黑猫喜欢鱼，白狗讨厌骨头。\n".encode() * 3)
    assert (result.returncode, result.stderr) == (0, b"")
    assert sorted(os.listdir(out)) == sorted([".wordmine-x.part", f".wordmine-{alive}-abc123.part", "result.txt"])
    if command[0] == "segment":  # segment --model neither spills nor buffers its input: spill is not looked into
        assert len(os.listdir(spill)) == 3
    else:
        assert os.listdir(spill) == [f"wordmine-spill-{alive}-abc123"]


@pytest.mark.parametrize("content", ["", "\n\n", "  \n"])
def test_r3_16_eval_of_empty_files_says_there_is_nothing_to_score(run_wordmine, tmp_path, content):
    empty = tmp_path / "empty.txt"
    empty.write_text(content, encoding="utf-8")
    result = run_wordmine("eval", empty, empty)
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", "wordmine: error: nothing to score: the gold segmentation holds no words (empty lines only)\n")


def test_r3_16_the_api_refuses_to_score_nothing():
    with pytest.raises(wordmine.errors.WordmineError, match="^nothing to score"):
        wordmine.evaluate([], [])
