"""Faults an outside probe found (issue 11), one test or more per fault; the README's reliability table cites them.

Each test names its fault by number. Most run the real command in a subprocess,
since what is checked is what a user sees: the exit status, one line on stderr,
and what is left on disk.
"""

from __future__ import annotations

import errno
import json
import os
import re
import select
import signal
import stat
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest
from click.testing import CliRunner

from wordmine.cli import cli
from wordmine.errors import FormatError, OutputError

STORY = "，".join(s + v + o for s in ["黑猫", "白狗", "小鸟"] for v in ["喜欢", "讨厌"]
                 for o in ["鱼", "骨头", "米粒"]) * 20 + "\n"


def wordmine(*args, input=None, env=None, **kwargs):
    """The real command in a subprocess."""
    return subprocess.run([sys.executable, "-m", "wordmine", *map(str, args)], input=input,
                          capture_output=True, check=False, env=env, **kwargs)


def invoke(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def one_line_error(proc) -> str:
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wordmine: "), proc.stderr.decode()[-2000:]
    return lines[0]


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


# 1. -o writes through symlinks and straight into devices and FIFOs


def test_fault_01_output_through_a_symlink_writes_its_target(tmp_path, story):
    real = tmp_path / "real.txt"
    real.write_text("old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    proc = wordmine("discover", story, "-q", "-o", link)
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == wordmine("discover", story, "-q").stdout.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt", "story.txt"]


def test_fault_01_output_to_a_fifo_is_written_into_it(tmp_path, story):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    proc = wordmine("discover", story, "-q", "-o", fifo, timeout=120)
    try:
        got, _ = reader.communicate(timeout=30)
    finally:
        reader.kill()
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a file"
    assert got == wordmine("discover", story, "-q").stdout and got


def test_fault_01_output_to_dev_stdout_goes_to_stdout(story):
    proc = wordmine("discover", story, "-q", "-o", "/dev/stdout")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == wordmine("discover", story, "-q").stdout
    assert os.path.islink("/dev/stdout") or not os.path.isfile("/dev/stdout")


# 2. A full disk is one line and exit 1, with nothing left behind


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["--help"], ["discover", "STORY", "-q"], ["count", "STORY", "-q"],
                                  ["eval", "STORY", "STORY"]])
def test_fault_02_stdout_on_a_full_disk(story, args):
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "wordmine", *(str(story) if a == "STORY" else a for a in args)],
                              stdout=full, stderr=subprocess.PIPE, check=False)
    assert proc.returncode == 1
    assert "No space left on device" in one_line_error(proc)


def test_fault_02_output_file_on_a_full_disk(tmp_path, story, monkeypatch):
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("wordmine.io.text.os.fdopen", lambda fd, *a, **k: FullDisk(real_fdopen(fd, *a, **k)))
    for args in (["discover", story, "-q", "-o", tmp_path / "words.tsv"],
                 ["count", story, "-q", "--jobs", "1", "-o", tmp_path / "story.wmc"]):
        result = invoke(*args)
        assert result.exit_code == 1
        assert isinstance(result.exception, OutputError), repr(result.exception)
        assert "No space left on device" in str(result.exception)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["story.txt"]


# 3. The count-file extension in any case


def test_fault_03_upper_case_wmc_is_a_count_file(tmp_path, story):
    proc = wordmine("count", story, "-q", "-o", tmp_path / "X.WMC")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "X.WMC").read_bytes()[:8] == b"WMCOUNTS"


# 4. Inputs that are pipes are not peeked at, and are read twice only through a buffer


def bash(script: str, **kwargs):
    return subprocess.run(["bash", "-c", script], capture_output=True, check=False, **kwargs)


@pytest.mark.slow
def test_fault_04_a_pipe_input_loses_no_bytes(tmp_path, story):
    small = tmp_path / "a.txt"
    small.write_text("ABCDEFGH中国人民银行\n", encoding="utf-8")
    cmd = f"{sys.executable} -m wordmine"
    for args in ("count {} --order 1 -q", "segment {} -q --jobs 1", "contrast {} -q --jobs 1"):
        for path in (small, story) if not args.startswith("contrast") else (story,):
            from_pipe = bash(f"{cmd} {args.format(f'<(cat {path})')}", timeout=120)
            from_file = bash(f"{cmd} {args.format(path)}", timeout=120)
            assert from_pipe.returncode == 0, from_pipe.stderr
            assert from_pipe.stdout == from_file.stdout and from_file.stdout


# 5. Standard input named twice


@pytest.mark.parametrize("args", [["contrast", "-", "-"], ["eval", "-", "-"], ["discover", "-", "-"]])
def test_fault_05_stdin_named_twice_is_a_usage_error(args):
    proc = wordmine(*args, input=STORY.encode())
    assert proc.returncode == 2
    assert "-" in proc.stderr.decode() and "once" in proc.stderr.decode()


# 6. Standard input buffered in --tmp-dir


@pytest.mark.slow
def test_fault_06_stdin_is_buffered_in_tmp_dir(tmp_path):
    big = tmp_path / "big.txt"
    big_text(big, lines=20)
    spill = tmp_path / "spill"
    spill.mkdir()
    with open(big, "rb") as stdin:
        proc = subprocess.Popen([sys.executable, "-m", "wordmine", "segment", "-", "--jobs", "1",
                                 "--tmp-dir", str(spill), "--verbose"], stdin=stdin, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        wait_for_budget_line(proc)  # standard input is buffered before counting starts
        names = [p.name for p in spill.iterdir()]
        assert proc.wait(timeout=300) == 0
    assert any(name.startswith(f"wordmine-stdin-{proc.pid}-") for name in names), names
    assert list(spill.iterdir()) == []


def test_fault_06_a_full_tmp_dir_while_buffering_stdin(tmp_path, monkeypatch):
    from wordmine.io import text

    def disk_full(tee, size):  # the copy's write fails, after part of a block went in
        tee.copy.write(b"partial")
        raise text._BufferFull(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))

    monkeypatch.setattr(text._Tee, "read", disk_full)
    spill = tmp_path / "spill"
    spill.mkdir()
    result = invoke("segment", "-", "-q", "--tmp-dir", spill, input=STORY)
    assert result.exit_code == 1 and isinstance(result.exception, OutputError), repr(result.exception)
    assert "No space left on device" in str(result.exception) and "--tmp-dir" in str(result.exception)
    assert list(spill.iterdir()) == []


# 7. SIGTERM is handled like SIGINT; spill folders are named


def big_text(path, lines=150):
    rng = np.random.default_rng(9)
    line = "".join(chr(0x4E00 + int(c)) for c in rng.integers(0, 3000, 100_000))
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(line[s * 601 % len(line):] + line[: s * 601 % len(line)] + "\n" for s in range(lines))


def wait_for_budget_line(proc) -> str:
    """Block until the run prints its budget line: it is then past start-up and counting."""
    line = proc.stderr.readline().decode()
    assert "memory budget" in line, line
    return line


def wait_for_counting_line(proc) -> tuple[str, list[int]]:
    """Block until the run's budget line says where it spills and which processes count: both exist by then."""
    while line := proc.stderr.readline().decode():
        found = re.search(r"; spill folder (\S+); (?:worker processes ([\d ]+)|counting in this process)$",
                          line.strip())
        if found:
            return found.group(1), [int(pid) for pid in (found.group(2) or "").split()]
    raise AssertionError("the run ended before it started counting")


def ends_within(pid: int, seconds: float) -> bool:
    """Whether process ``pid`` ends within ``seconds``: its pidfd becomes readable when it does, no polling."""
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([pidfd], [], [], seconds)[0])
    finally:
        os.close(pidfd)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
@pytest.mark.parametrize("command", [["count", "--jobs", "2", "-o", "OUT"], ["segment", "--jobs", "2", "-o", "OUT"],
                                     ["segment", "--jobs", "1"]])
def test_fault_07_sigterm_exits_143_ends_workers_and_removes_everything(tmp_path, command):
    big = tmp_path / "big.txt"
    big_text(big)
    spill = tmp_path / "spill"
    spill.mkdir()
    out = tmp_path / "out"
    args = [str(out) if a == "OUT" else a for a in command]
    source = "-" if "-o" not in args else str(big)
    with open(big if source == "-" else os.devnull, "rb") as stdin:
        proc = subprocess.Popen([sys.executable, "-m", "wordmine", *args, source, "--memory", "500M",
                                 "--tmp-dir", str(spill), "--verbose"], stdin=stdin, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        # The spill folder is made as counting starts; its name says whose it is.
        spill_folder, workers = wait_for_counting_line(proc)
        names = [p.name for p in spill.iterdir()]
        assert proc.poll() is None, "the run ended before it could be stopped"
        assert os.path.dirname(spill_folder) == str(spill) and len(workers) == (2 if "2" in args else 0)
        assert names and all(re.fullmatch(rf"wordmine-(spill|stream|stdin)-{proc.pid}-\w+", n) for n in names), names
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    stderr = proc.stderr.read().decode()
    assert code == 143, stderr
    assert stderr.strip().splitlines()[-1] == "wordmine: terminated"
    assert not any(alive(pid) for pid in workers)
    assert list(spill.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "spill"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers follow their parent on Linux")
@pytest.mark.slow
def test_fault_07_after_sigkill_the_workers_end_and_the_spill_folder_is_recognisable(tmp_path):
    big = tmp_path / "big.txt"
    big_text(big)
    spill = tmp_path / "spill"
    spill.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "wordmine", "count", str(big), "--jobs", "2", "--memory", "500M",
                             "--tmp-dir", str(spill), "-o", str(tmp_path / "big.wmc"), "--verbose"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, workers = wait_for_counting_line(proc)
    assert len(workers) == 2
    proc.kill()
    assert proc.wait(timeout=60) == -signal.SIGKILL
    assert all(ends_within(pid, 60) for pid in workers)
    # Nothing can clean up after SIGKILL; what is left says which run left it.
    assert [p.name.startswith(f"wordmine-spill-{proc.pid}-") for p in spill.iterdir()] == [True]
    assert wordmine("count", big, "--jobs", "2", "--memory", "500M", "--tmp-dir", spill, "--order", "1",
                    "--top", "1", "-q").returncode == 0


# 8-9. Count and model files: the header is checked, crafted headers are refused in one line


def count_file(tmp_path, story):
    path = tmp_path / "story.wmc"
    assert wordmine("count", story, "-q", "-o", path).returncode == 0
    return path


def model_file(tmp_path, story, method="charlm"):
    path = tmp_path / f"story-{method}.wmm"
    proc = wordmine("learn", story, "-q", "--method", method, "-o", path)
    assert proc.returncode == 0, proc.stderr
    return path


def refused(args, match="damaged|corrupt|not a wordmine|truncated"):
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, FormatError), repr(result.exception)
    assert re.search(match, str(result.exception)), str(result.exception)
    return str(result.exception)


def test_fault_08_a_changed_character_in_the_header_is_refused(tmp_path, story):
    counts = count_file(tmp_path, story)
    data = counts.read_bytes()
    counts.write_bytes(data.replace("黑".encode(), "墨".encode(), 1))
    refused(["discover", counts, "-q"], "checksum")
    model = model_file(tmp_path, story)
    data = model.read_bytes()
    model.write_bytes(data.replace("黑".encode(), "墨".encode(), 1))
    refused(["segment", "--model", model, story, "-q"], "checksum")


def test_fault_08_an_edited_dtype_is_refused(tmp_path, story):
    counts = count_file(tmp_path, story)
    data = counts.read_bytes()
    assert b'"<i8"' in data
    counts.write_bytes(data.replace(b'"<i8"', b'"<f8"', 1))
    refused(["discover", counts, "-q"], "checksum")


def craft(path, edit) -> None:
    """Rewrite a container's header through ``edit`` (JSON text to JSON text), with a valid checksum."""
    data = path.read_bytes()
    magic, version, _, length = struct.unpack("<8sIIQ", data[:24])
    base = 24 + length
    body = data[base + (-base % 64):]
    header = edit(data[24:base].decode()).encode()
    base = 24 + len(header)
    path.write_bytes(struct.pack("<8sIIQ", magic, version, zlib.crc32(header), len(header)) + header
                     + b"\0" * (-base % 64) + body)


def edit_json(change):
    def edit(text):
        header = json.loads(text)
        change(header)
        return json.dumps(header, ensure_ascii=False)
    return edit


def test_fault_09_crafted_count_file_headers_are_refused(tmp_path, story):
    counts = count_file(tmp_path, story)
    original = counts.read_bytes()
    crafted = [
        lambda text: "[" * 100_000 + "]" * 100_000,
        edit_json(lambda h: h.update(bits=-1)),
        edit_json(lambda h: h.update(bits=64)),
        edit_json(lambda h: h.update(bits=32)),
        edit_json(lambda h: h.update(bits=8)),
        edit_json(lambda h: h.update(order="4")),
        edit_json(lambda h: h.update(vocabulary=h["vocabulary"][:5])),
        edit_json(lambda h: h["arrays"][0].update(length=1 << 40)),
        edit_json(lambda h: h["arrays"][0].update(offset=-64)),
        edit_json(lambda h: h["arrays"][0].update(dtype="O")),
    ]
    for edit in crafted:
        counts.write_bytes(original)
        craft(counts, edit)
        message = refused(["discover", counts, "-q"])
        assert "--memory" not in message
    # A header length past the end of the file, even one of 2^63 or more.
    for length in (1 << 40, 1 << 63, (1 << 64) - 1):
        counts.write_bytes(original[:12] + struct.pack("<IQ", 0, length) + original[24:])
        refused(["discover", counts, "-q"])


def test_fault_09_crafted_model_headers_are_refused(tmp_path, story):
    for method in ("charlm", "unigram"):
        model = model_file(tmp_path, story, method)
        original = model.read_bytes()
        edits = [edit_json(lambda h: h.update(units=h["units"][:3])), edit_json(lambda h: h.update(bits=-1)),
                 edit_json(lambda h: h.update(unknown_log_prob="x")), edit_json(lambda h: h.update(bits=32))]
        if method == "charlm":
            edits.append(edit_json(lambda h: h.update(order=9)))
        for edit in edits:
            model.write_bytes(original)
            craft(model, edit)
            refused(["segment", "--model", model, story, "-q", "--jobs", "1"])


def test_fault_09_a_cut_count_file_is_not_read_as_text(tmp_path, story):
    counts = count_file(tmp_path, story)
    original = counts.read_bytes()
    for cut in (0, 4, 8, 30):
        short = tmp_path / f"cut{cut}.wmc"
        short.write_bytes(original[:cut])
        refused(["discover", short, "-q"])
    unnamed = tmp_path / "cut4"
    unnamed.write_bytes(original[:4])
    refused(["discover", unnamed, "-q"])


# 10. Empty models


def test_fault_10_learning_from_nothing_is_refused(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    for method in ("charlm", "unigram"):
        proc = wordmine("learn", empty, "--method", method, "-q", "-o", tmp_path / "e.wmm")
        assert proc.returncode == 1
        assert "empty.txt" in one_line_error(proc)
        assert not (tmp_path / "e.wmm").exists()


def test_fault_10_segmenting_with_an_empty_model_keeps_every_character(tmp_path, story, lossless):
    from wordmine.config import CharLMConfig, CountConfig, SegmentConfig
    from wordmine.counting.engine.counter import count_text
    from wordmine.segmentation.charlm.model import learn_charlm
    from wordmine.segmentation.modelfile import write_model
    from wordmine.segmentation.unigram import learn

    empty = count_text([], CountConfig(order=4, jobs=1))
    for name, model in (("charlm", learn_charlm(empty, CharLMConfig())), ("unigram", learn(empty, SegmentConfig()))):
        path = tmp_path / f"{name}.wmm"
        write_model(model, str(path))
        proc = wordmine("segment", "--model", path, story, "-q", "--jobs", "2")
        assert proc.returncode == 0, proc.stderr
        lossless(STORY, proc.stdout.decode().split("\n")[:-1])


# 11. The smallest memory budget


@pytest.mark.parametrize("size", ["1", "1k", "16k", "63k"])
def test_fault_11_a_budget_below_the_minimum_is_a_usage_error(story, size):
    proc = wordmine("count", story, "--memory", size, "-q")
    assert proc.returncode == 2
    assert "--memory" in proc.stderr.decode() and "64k" in proc.stderr.decode()
    assert wordmine("count", story, "--memory", "64k", "-q").returncode == 0


# 12. Encodings of every input


def test_fault_12_utf16_without_a_byte_order_mark(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("中国人民银行\n".encode("utf-16-le"))
    proc = wordmine("discover", path, "--encoding", "utf-16", "-q")
    assert proc.returncode == 1
    assert "utf-16-le" in one_line_error(proc)
    assert wordmine("count", path, "--encoding", "utf-16-le", "-q", "--order", "1").stdout.startswith("中".encode())


def test_fault_12_lexicon_and_word_lists_in_the_text_encoding(tmp_path, story):
    gb_story = tmp_path / "story-gb.txt"
    gb_story.write_bytes(STORY.encode("gb18030"))
    lexicon = tmp_path / "words-gb.txt"
    lexicon.write_bytes("黑猫 10\n喜欢 10\n骨头 10\n".encode("gb18030"))
    proc = wordmine("segment", gb_story, "--lexicon", lexicon, "--encoding", "gb18030", "-q", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().startswith("黑猫 喜欢 鱼 ， 黑猫 喜欢 骨头")
    proc = wordmine("eval", gb_story, gb_story, "--words", lexicon, "--encoding", "gb18030")
    assert proc.returncode == 0 and b"oov_recall" in proc.stdout, proc.stderr
    proc = wordmine("segment", story, "--lexicon", lexicon, "-q")  # UTF-8 text, a word list it cannot read
    assert proc.returncode == 1
    assert "words-gb.txt" in one_line_error(proc)


# 13. Undecodable bytes: an honest hint, and --errors replace|skip


@pytest.fixture
def one_bad_byte(tmp_path):
    path = tmp_path / "crawl.txt"
    good = STORY.encode() * 50
    path.write_bytes(good + b"\xff" + good)
    return path, len(good)


def test_fault_13_the_hint_names_only_an_encoding_that_decodes(one_bad_byte):
    path, offset = one_bad_byte
    proc = wordmine("discover", path, "-q")
    assert proc.returncode == 1
    message = one_line_error(proc)
    assert f"byte 0xff at offset {offset}" in message
    assert "gb18030" not in message and "--errors replace" in message
    gbk = path.with_name("gb.txt")
    gbk.write_bytes(STORY.encode("gb18030"))
    assert "try --encoding gb18030" in one_line_error(wordmine("discover", gbk, "-q"))


def test_fault_13_errors_replace_and_skip(one_bad_byte):
    path, _ = one_bad_byte
    for mode in ("replace", "skip"):
        proc = wordmine("count", path, "--order", "1", "--errors", mode, "--top", "3")
        assert proc.returncode == 0, proc.stderr
        assert re.search(r"1 undecodable byte (replaced|skipped)", proc.stderr.decode()), proc.stderr
    assert wordmine("count", path, "--errors", "ignore").returncode == 2


# 14. Each command offers only the options it reads


@pytest.mark.parametrize("args", [
    ["segment", "STORY", "--header"], ["segment", "STORY", "--top", "3"],
    ["learn", "STORY", "-o", "M", "--header"], ["learn", "STORY", "-o", "M", "--top", "3"],
    ["segment", "STORY", "--model", "M", "--method", "unigram"],
    ["segment", "STORY", "--model", "M", "--transitions", "published"],
    ["segment", "STORY", "--model", "M", "--min-count", "3"],
    ["segment", "STORY", "--lexicon", "M", "--method", "classic"],
    ["segment", "STORY", "--method", "unigram", "--transitions", "published"],
    ["learn", "STORY", "-o", "M", "--method", "unigram", "--transitions", "calibrated"],
])
def test_fault_14_options_that_would_be_ignored_are_usage_errors(tmp_path, story, args):
    model = model_file(tmp_path, story)
    proc = wordmine(*(story if a == "STORY" else model if a == "M" else a for a in args))
    assert proc.returncode == 2, proc.stderr


def test_fault_14_segment_reads_discover_json_output_as_a_lexicon(tmp_path, story):
    words = tmp_path / "words.jsonl"
    assert wordmine("discover", story, "--format", "jsonl", "-q", "-o", words).returncode == 0
    tsv = tmp_path / "words.tsv"
    assert wordmine("discover", story, "-q", "-o", tsv).returncode == 0
    from_json = wordmine("segment", story, "--lexicon", words, "-q", "--jobs", "1")
    assert from_json.returncode == 0, from_json.stderr
    assert from_json.stdout == wordmine("segment", story, "--lexicon", tsv, "-q", "--jobs", "1").stdout
    assert from_json.stdout.decode().startswith("黑猫 喜欢 ")


# 15. Lines of a long single line


def test_fault_15_a_line_longer_than_a_piece_is_one_line():
    from wordmine.mining.dispersion import document_frequency
    from wordmine.normalize import Vocabulary

    vocab = Vocabulary(list("高血压喝茶，"))
    line = "高血压，喝茶，" * 200_000  # 1.4 M characters: two pieces of the reader
    df, n_lines = document_frequency([line, "\n喝茶\n"], vocab, ["高血压", "喝茶"])
    assert n_lines == 2 and df.tolist() == [1, 2]


@pytest.mark.slow
def test_fault_15_contrast_of_one_long_line_ranks_by_salience(tmp_path):
    path = tmp_path / "one_line.txt"
    path.write_text("高血压患者，喝绿茶好吗，医生建议，" * 70_000, encoding="utf-8")  # 1.2 M characters: two pieces
    topical = wordmine("contrast", path, "--jobs", "1")
    assert topical.returncode == 0, topical.stderr
    assert "ranking by salience" in topical.stderr.decode()
    assert topical.stdout == wordmine("contrast", path, "--jobs", "1", "-q", "--method", "salience").stdout


# 16. A closed pipe is a quiet success for eval too


def test_fault_16_eval_into_a_closed_pipe_exits_0(story):
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "wordmine", "eval", str(story), str(story)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdout.close()  # the reader is gone before eval writes a line
        assert proc.wait(timeout=60) == 0
        assert proc.stderr.read() == b""
