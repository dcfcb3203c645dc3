"""Issue 19, probed again: what a second outside probe of the round-three fixes still found.

Ctrl-C and SIGTERM while ``--dask local:2`` starts its cluster or counts, lexicon
counts too big for a count, the Segmenter given lines that are not text, wordmine
files given to ``--known`` and ``--model``, standard input buffered until the
disk is full. Every test failed before its fix.

The signal tests never sleep to hope the command has got somewhere: they wait
for a condition (a line on stderr, a worker process in /proc, a named pipe
opened by a worker), so a busy machine only makes them slower.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import signal
import subprocess
import sys
import threading
import time

import pytest

import wordmine
from wordmine.errors import WordmineError

needs_proc = pytest.mark.skipif(not pathlib.Path("/proc/self/stat").exists(), reason="needs Linux /proc")
needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="the optional wordmine[dask] extra is not installed")

#: How long a condition is waited for before the test fails (never reached on a working command).
PATIENCE = 600


def _wait_for(condition, what: str):
    """Poll ``condition`` until it returns something true; fail after PATIENCE seconds."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.005)
    pytest.fail(f"waited {PATIENCE} s for {what}")


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return found


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _worker_started(pid: int) -> bool:
    """True once ``pid`` has spawned a Dask worker process (multiprocessing's spawn, not its resource tracker)."""
    return any(b"spawn_main" in _cmdline(child) for child in _children(pid))


def _session_pids(session: int) -> list[int]:
    pids = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            data = stat.read_bytes()
        except OSError:
            continue
        if int(data[data.rfind(b")") + 2 :].split()[3]) == session:
            pids.append(int(stat.parent.name))
    return pids


def _session_processes(session: int) -> list[str]:
    """The processes of ``session`` still in /proc (zombies included)."""
    found = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            data = stat.read_bytes()
        except OSError:
            continue
        fields = data[data.rfind(b")") + 2 :].split()
        if int(fields[3]) == session:
            found.append(data[:80].decode(errors="replace"))
    return found


#: The empty line is click's, on any interruption of any command: it ends the line a terminal's "^C" left open.
INTERRUPTED = "\nwordmine: interrupted\n"


def _left_in(folder: pathlib.Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


class _DaskRun:
    """``wordmine COMMAND --dask local:2 --verbose`` over a sample and a named-pipe shard, in a session of
    its own, stderr in a file (a pipe would be held open by the workers), TMPDIR and --tmp-dir a folder
    of the test's."""

    def __init__(self, tmp_path: pathlib.Path, sample: pathlib.Path, command: str) -> None:
        self.tmp = tmp_path / "tmp"
        self.tmp.mkdir()
        self.shard = tmp_path / "shard.txt"
        os.mkfifo(self.shard)
        self.output = tmp_path / ("out.wmc" if command == "count" else "out.tsv")
        self.stderr = tmp_path / "stderr"
        argv = [sys.executable, "-m", "wordmine", command, "--dask", "local:2", "--verbose", str(sample),
                str(self.shard), "--tmp-dir", str(self.tmp), "-o", str(self.output)]
        with open(self.stderr, "wb") as err:
            self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                            start_new_session=True, env={**os.environ, "TMPDIR": str(self.tmp)})
            self._unblocker = threading.Thread(target=self._unblock_when_ended, daemon=True)
        self._unblocker.start()

    def _unblock_when_ended(self) -> None:
        """Once the command has ended, release whoever still waits to open the pipe: the test (a reader
        comes) or a task (a writer comes)."""
        self.process.wait()
        for mode in (os.O_RDONLY, os.O_WRONLY):
            try:
                os.close(os.open(self.shard, mode | os.O_NONBLOCK))
            except OSError:  # no reader for a writer to meet
                pass

    def wait_for_line(self, line: str) -> None:
        _wait_for(lambda: line in self.stderr.read_text(encoding="utf-8") or self.process.poll() is not None,
                  f"{line!r} on stderr")
        assert self.process.poll() is None, self.stderr.read_text(encoding="utf-8")

    def ctrl_c(self, signum: int = signal.SIGINT) -> None:
        """What a terminal's Ctrl-C does: the signal to the command's whole process group, workers included."""
        os.killpg(self.process.pid, signum)

    def finish(self) -> tuple[int, str]:
        try:
            status = self.process.wait(PATIENCE)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {PATIENCE} s after the signal: {self.stderr.read_text(encoding='utf-8')}")
        self._unblocker.join()
        return status, self.stderr.read_text(encoding="utf-8")

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        """A failed test leaves no process running: the command's session is killed."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for pid in _session_pids(self.process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


@needs_proc
@needs_dask
@pytest.mark.slow
@pytest.mark.parametrize("command, line", [
    ("discover", "wordmine: counting and pruning 2 shards on Dask (local:2)\n"),
    ("count", "wordmine: counting 2 shards on Dask (local:2)\n"),
])
@pytest.mark.parametrize("signum, said, status", [
    (signal.SIGINT, INTERRUPTED, 130),
    (signal.SIGTERM, "\nwordmine: terminated\n", 143),
])
def test_ctrl_c_while_the_local_cluster_starts_is_one_line(tmp_path, sample_path, command, line, signum, said,
                                                           status):
    # The signal is sent once the first worker process exists, before its shard can have been read.
    # It used to stop the workers half-way through their start (a traceback from each) and this
    # process inside LocalCluster's constructor: pages of Dask and multiprocessing tracebacks,
    # or a run waiting forever for a worker that would never come.
    with _DaskRun(tmp_path, sample_path("story.txt"), command) as run:
        run.wait_for_line(line)
        _wait_for(lambda: _worker_started(run.process.pid), "a Dask worker process")
        run.ctrl_c(signum)
        assert run.finish() == (status, line + said)
        assert _session_processes(run.process.pid) == []
    assert _left_in(run.tmp) == []
    assert not run.output.exists()


@needs_proc
@needs_dask
@pytest.mark.slow
@pytest.mark.parametrize("command, line", [
    ("discover", "wordmine: counting and pruning 2 shards on Dask (local:2)\n"),
    ("count", "wordmine: counting 2 shards on Dask (local:2)\n"),
])
def test_ctrl_c_while_the_workers_count_is_one_line_and_leaves_no_spill_folder(tmp_path, sample_path, command,
                                                                               line):
    # Opening the pipe's other end returns once a worker's task has opened it: counting is under way.
    # The workers used to get the Ctrl-C too (a KeyboardInterrupt traceback from "Dask Worker
    # process (from Nanny)"), and a worker ended mid-task left its wordmine-spill-PID-* folder.
    with _DaskRun(tmp_path, sample_path("story.txt"), command) as run:
        run.wait_for_line(line)
        with open(run.shard, "wb") as shard:
            shard.write("黑猫喜欢鱼，白狗讨厌骨头。\n".encode() * 1000)
            shard.flush()
            run.ctrl_c()
            status, stderr = run.finish()
        assert (status, stderr) == (130, line + INTERRUPTED)
        assert _session_processes(run.process.pid) == []
    assert _left_in(run.tmp) == []
    assert not run.output.exists()


# Lexicon counts past what a count can be (item 12, probed again)


@pytest.mark.parametrize("count", ["1e308", "1e16"])
def test_a_lexicon_count_above_2_to_the_53_is_one_line(run_wordmine, tmp_path, count):
    # 1e308 passed as a finite number above 0, overflowed the 64-bit sum: a NumPy RuntimeWarning
    # on stderr despite -q, and a model that split every character.
    lexicon = tmp_path / "lexicon.txt"
    lexicon.write_text(f"黑猫\t6\n白狗\t{count}\n", encoding="utf-8")
    result = run_wordmine("segment", "--lexicon", lexicon, "-q", input="黑猫喜欢白狗\n".encode())
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", (f"wordmine: error: {lexicon}: line 2: count '{count}' is more than 2^53, more than any corpus "
                 "holds (a line is: word [count])\n"))


def test_a_word_on_many_lexicon_lines_keeps_its_summed_count(run_wordmine, tmp_path):
    # 2000 lines of 2^53 summed past 2^63 as 64-bit integers: the sum wrapped below 0, was taken
    # as a count of 1, and the rare 猫喜 won over the most frequent word of the list.
    lexicon = tmp_path / "lexicon.txt"
    lexicon.write_text(f"黑猫\t{2 ** 53}\n" * 2000 + "猫喜\t3\n", encoding="utf-8")
    result = run_wordmine("segment", "--lexicon", lexicon, "-q", input="黑猫喜\n".encode())
    assert (result.returncode, result.stdout.decode(), result.stderr) == (0, "黑猫 喜\n", b"")


# The Segmenter given what is not lines of text (item 13, probed again)


@pytest.fixture(scope="module")
def segmenter():
    return wordmine.learn(["黑猫喜欢鱼，白狗讨厌骨头。"] * 20, method="unigram")


@pytest.mark.parametrize("lines, message", [
    ([b"abc"], "segment: lines must be text (str), not bytes: decode them first, or give the path"),
    ([1, 2], "segment: lines must be text (str), not int 1"),
    ([["a"]], "segment: lines must be text (str), not list ['a']"),
    (None, "segment takes lines (e.g. a list of str), not NoneType"),
    (5, "segment takes lines (e.g. a list of str), not int"),
    ("黑猫", "segment takes lines (e.g. a list of str), not one string: give [text], or use cut()"),
])
def test_segmenter_segment_refuses_what_is_not_lines_of_text(segmenter, lines, message):
    # bytes, ints and None raised TypeError or AttributeError from inside the segmenter.
    with pytest.raises(WordmineError) as caught:
        list(segmenter.segment(lines))
    assert str(caught.value) == message


def test_segmenter_segment_refuses_one_string_when_called_not_when_iterated(segmenter):
    with pytest.raises(WordmineError):
        segmenter.segment("黑猫")


@pytest.mark.parametrize("text, message", [
    (b"abc", "cut takes one text (str), not bytes: decode it first"),
    (None, "cut takes one text (str), not NoneType"),
])
def test_segmenter_cut_refuses_what_is_not_text(segmenter, text, message):
    with pytest.raises(WordmineError) as caught:
        segmenter.cut(text)
    assert str(caught.value) == message


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
