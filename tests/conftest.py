"""Fixtures only, and the session's clean temporary folder: the toy corpus, the samples, the story file, the
reference counts, the losslessness check, the runners. What they hand out is written in ``tests/helpers.py``;
nothing is imported from this file."""

from __future__ import annotations

import os
import pathlib
import shutil
import signal
import tempfile

import pytest

import wordmine
from tests import helpers

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


@pytest.fixture(scope="session")
def run_patched():
    return helpers.run_patched


@pytest.fixture(scope="session")
def start_held_merge():
    return helpers.start_held_merge


@pytest.fixture(scope="session")
def toy_text() -> str:
    return helpers.TOY


@pytest.fixture(scope="session")
def samples() -> pathlib.Path:
    return helpers.SAMPLES


@pytest.fixture(scope="session")
def naive_counts():
    return helpers.naive_counts


@pytest.fixture(scope="session")
def table_as_dict():
    return helpers.table_as_dict


@pytest.fixture(scope="session")
def lossless():
    return helpers.assert_lossless


@pytest.fixture(scope="session")
def run_wordmine():
    return helpers.run_wordmine


@pytest.fixture
def sample_path():
    def path(name: str) -> pathlib.Path:
        return helpers.SAMPLES / name

    return path


@pytest.fixture
def story(tmp_path) -> pathlib.Path:
    """``helpers.STORY`` (the toy clauses twenty times, one line) as ``story.txt`` in the test's folder."""
    path = tmp_path / "story.txt"
    path.write_text(helpers.STORY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def wordmine_files(tmp_path_factory):
    """A count file and a model file of the toy corpus."""
    folder = tmp_path_factory.mktemp("files")
    text = folder / "toy.txt"
    text.write_text(("黑猫喜欢鱼，白狗讨厌骨头。\n" * 20), encoding="utf-8")
    wordmine.count(str(text), order=2).save(folder / "x.wmc")
    wordmine.learn(str(text), method="unigram").save(folder / "m.wmm")
    return folder
