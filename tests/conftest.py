"""Shared fixtures: the toy corpus, the samples, reference counts, the losslessness check, the subprocess runner.

Tests take these as fixtures; nothing is imported from this file."""

from __future__ import annotations

import collections
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap

import pytest

from wordmine.counting.engine.corpusmerge import ngram_counts
from wordmine.normalize import Vocabulary

SAMPLES = pathlib.Path(__file__).resolve().parent.parent / "corpora_samples"

#: What may be left in the session's temporary folder: pytest's own tmp_path folders, and the cache
#: jieba keeps of its parsed dictionary (jieba's, meant to outlive a run, written where it likes).
_ALLOWED_IN_TMP = ("pytest-of-", "jieba.cache")
_SESSION_TMP = pytest.StashKey[tuple]()


def pytest_configure(config) -> None:
    """Give the session (and every subprocess it starts) a temporary folder of its own.

    TMPDIR points into it, so whatever a test, a doctest, the library or Dask
    leaves behind lands there, where :func:`pytest_sessionfinish` finds it
    and fails the run; the folder is then removed, so ``make test`` leaves
    nothing in the system's temporary folder either way.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        # Started in the background by a shell (`make test &`, some CI runners), pytest inherits
        # SIGINT ignored, and so would every command a test starts: Python installs no
        # KeyboardInterrupt handler then, so the Ctrl-C tests would see a run ignore Ctrl-C.
        # A command a user starts in a terminal has it; the tests' commands get it too.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: its controller made the folder
        return
    folder = tempfile.mkdtemp(prefix="wordmine-tests-")
    config.stash[_SESSION_TMP] = (folder, os.environ.get("TMPDIR"))
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = None  # read TMPDIR again


@pytest.hookimpl(trylast=True)  # after pytest's own tmp_path clean-up, which reads the folder
def pytest_sessionfinish(session, exitstatus) -> None:
    """Fail the run when anything but what :data:`_ALLOWED_IN_TMP` names is left in the session's temporary
    folder, then remove the folder and restore TMPDIR."""
    saved = session.config.stash.get(_SESSION_TMP, None)
    if saved is None:
        return
    folder, before = saved
    left = sorted(name for name in os.listdir(folder) if not name.startswith(_ALLOWED_IN_TMP))
    if left:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"tests left files in the temporary folder: {', '.join(left)}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if before is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = before
    tempfile.tempdir = None
    shutil.rmtree(folder, ignore_errors=True)

#: 18 clauses (3 subjects x 2 verbs x 3 objects), five times: every word is frequent and free.
TOY = "，".join(s + v + o for s in ["黑猫", "白狗", "小鸟"] for v in ["喜欢", "讨厌"]
               for o in ["鱼", "骨头", "米粒"]) * 5


def _naive_counts(text: str, max_order: int) -> dict[str, int]:
    """Reference counts: every n-gram of orders 1..max_order inside unit runs, by brute force."""
    vocab = Vocabulary()
    runs, current = [], []
    for unit_id in vocab.encode(text).tolist() + [0]:
        if unit_id:
            current.append(vocab.unit(unit_id))
        else:
            runs.append(current)
            current = []
    counts: collections.Counter = collections.Counter()
    for run in runs:
        for order in range(1, max_order + 1):
            for i in range(len(run) - order + 1):
                counts["|".join(run[i : i + order])] += 1
    return dict(counts)


def _table_as_dict(corpus) -> dict[str, int]:
    """The counts of a Corpus as {'u1|u2|...': count}."""
    return ngram_counts(corpus, "|")


def _assert_lossless(text: str, produced: list[str]) -> None:
    """Segmentation only inserted boundaries: one output line per input line, and each
    output line, spaces removed, is its input line with its white space removed."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    assert len(produced) == len(lines)
    for words, line in zip(produced, lines):
        assert "".join(words.split()) == "".join(line.split())
        assert "  " not in words and words == words.strip()


def _run_wordmine(*args, input=None) -> subprocess.CompletedProcess:
    """Run the real console entry point in a subprocess, capturing stdout and stderr as bytes."""
    return subprocess.run([sys.executable, "-m", "wordmine", *map(str, args)], input=input, capture_output=True,
                          check=False)


def _script(prelude: str) -> str:
    """Python code for ``python -c``: ``prelude`` (say, a patch of the library), then the command line."""
    return textwrap.dedent(prelude) + textwrap.dedent("""
        from wordmine.cli import main
        sys.argv = ["wordmine"] + sys.argv[1:]
        main()
    """)


def _run_patched(prelude: str, *args, **popen) -> subprocess.CompletedProcess:
    """Run the command line in a subprocess after ``prelude`` (``import sys`` done), capturing bytes."""
    return subprocess.run([sys.executable, "-c", "import sys\n" + _script(prelude), *map(str, args)],
                          capture_output=True, check=False, **popen)


#: Holds the merge at the first slice read (of a run or of a count file) until stdin says go on,
#: saying so on stderr first: the test then knows the merge has begun without sleeping.
_HOLD_MERGE = """
    from wordmine.counting.files import countstream
    from wordmine.counting.spill import runs
    def hold(original):
        def held(*args):
            sys.stderr.write("merging runs\\n")
            sys.stderr.flush()
            sys.stdin.readline()
            return original(*args)
        return held
    runs.read_slice = hold(runs.read_slice)
    countstream.CountFile.read_slice = hold(countstream.CountFile.read_slice)
"""


def _start_held_merge(*args) -> subprocess.Popen:
    """Start the command line in a new session, and return once its merge is held (see _HOLD_MERGE)."""
    proc = subprocess.Popen([sys.executable, "-c", "import sys\n" + _script(_HOLD_MERGE), *map(str, args)],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    line = proc.stderr.readline().decode()
    while line and line != "merging runs\n":
        line = proc.stderr.readline().decode()
    assert line == "merging runs\n"
    return proc


@pytest.fixture(scope="session")
def run_patched():
    return _run_patched


@pytest.fixture(scope="session")
def start_held_merge():
    return _start_held_merge


@pytest.fixture(scope="session")
def toy_text() -> str:
    return TOY


@pytest.fixture(scope="session")
def samples() -> pathlib.Path:
    return SAMPLES


@pytest.fixture(scope="session")
def naive_counts():
    return _naive_counts


@pytest.fixture(scope="session")
def table_as_dict():
    return _table_as_dict


@pytest.fixture(scope="session")
def lossless():
    return _assert_lossless


@pytest.fixture(scope="session")
def run_wordmine():
    return _run_wordmine


@pytest.fixture
def sample_path():
    def path(name: str) -> pathlib.Path:
        return SAMPLES / name

    return path
