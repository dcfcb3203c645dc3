"""What several test files need: the repository's paths, the toy texts, running the command line (in a
subprocess or through click's runner), reading what it said, and texts made to keep a run busy.

Fixtures live in ``conftest.py`` (several hand these functions to tests); import the rest from here::

    from tests.helpers import STORY, invoke, one_line_error, run_wordmine
"""

from __future__ import annotations

import collections
import os
import pathlib
import random
import struct
import subprocess
import sys
import textwrap

import numpy as np
from click.testing import CliRunner

from wordmine.cli import cli
from wordmine.counting.engine.corpusmerge import ngram_counts
from wordmine.normalize import Vocabulary

REPO = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = REPO / "corpora_samples"
STORY_PATH = SAMPLES / "story.txt"
TECHNICAL_PATH = SAMPLES / "technical.txt"
#: The benchmark data beside the checkout (../shared/data); the few tests that read it skip without it.
DATA = REPO.parent / "shared" / "data"

_CLAUSES = "，".join(s + v + o for s in ["黑猫", "白狗", "小鸟"] for v in ["喜欢", "讨厌"]
                    for o in ["鱼", "骨头", "米粒"])
#: 18 clauses (3 subjects x 2 verbs x 3 objects), five times: every word is frequent and free.
TOY = _CLAUSES * 5
#: The same clauses twenty times, as one line (with its line end): the ``story`` fixture's file.
STORY = _CLAUSES * 20 + "\n"


# Running the command line


def wordmine_argv(*args) -> list[str]:
    """The command line of the real console entry point, for ``subprocess.Popen``."""
    return [sys.executable, "-m", "wordmine", *map(str, args)]


def run_wordmine(*args, input=None, env=None, **kwargs) -> subprocess.CompletedProcess:
    """Run the real console entry point in a subprocess, capturing stdout and stderr as bytes.

    ``env`` adds to the environment of this process; other keywords go to :func:`subprocess.run`.
    """
    return subprocess.run(wordmine_argv(*args), input=input, capture_output=True, check=False,
                          env=None if env is None else {**os.environ, **env}, **kwargs)


def invoke(*args, input=None):
    """Run the command line in this process through click's runner (exceptions caught, in ``.exception``)."""
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def _script(prelude: str) -> str:
    """Python code for ``python -c``: ``prelude`` (say, a patch of the library), then the command line."""
    return textwrap.dedent(prelude) + textwrap.dedent("""
        from wordmine.cli import main
        sys.argv = ["wordmine"] + sys.argv[1:]
        main()
    """)


def run_patched(prelude: str, *args, **popen) -> subprocess.CompletedProcess:
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


def start_held_merge(*args) -> subprocess.Popen:
    """Start the command line in a new session, and return once its merge is held (see _HOLD_MERGE)."""
    proc = subprocess.Popen([sys.executable, "-c", "import sys\n" + _script(_HOLD_MERGE), *map(str, args)],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    line = proc.stderr.readline().decode()
    while line and line != "merging runs\n":
        line = proc.stderr.readline().decode()
    assert line == "merging runs\n"
    return proc


# What a run said


def stderr_lines(result) -> list[str]:
    """The lines a finished subprocess wrote on stderr."""
    return result.stderr.decode().splitlines()


def last_line(proc) -> str:
    """The last line a finished subprocess wrote on stderr (a usage error's message)."""
    return proc.stderr.decode().strip().splitlines()[-1]


def one_line_error(proc) -> str:
    """The one line a failed subprocess wrote on stderr, checked to be one line starting ``wordmine: ``."""
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wordmine: "), proc.stderr.decode()[-2000:]
    return lines[0]


def status_and_stderr(result) -> tuple[int, str]:
    """A finished subprocess' exit status and all it wrote on stderr."""
    return result.returncode, result.stderr.decode()


def wait_for_budget_line(proc) -> str:
    """Block until a ``--verbose`` run prints its budget line: it is then past start-up and counting."""
    line = proc.stderr.readline().decode()
    assert "memory budget" in line, line
    return line


def assert_ends(proc, status: int, said: str) -> str:
    """Wait for a run that was sent a signal: it exits with ``status`` (130 for SIGINT, 143 for SIGTERM) and its
    last line on stderr is ``said``. Returns all it wrote on stderr."""
    code = proc.wait(timeout=60)
    stderr = proc.stderr.read().decode()
    assert code == status, stderr
    assert stderr.strip().splitlines()[-1] == said
    return stderr


# Files the tests make


def with_version(path: pathlib.Path, version: int) -> pathlib.Path:
    """A copy of the ``.wmc`` or ``.wmm`` file ``path`` whose header claims format ``version`` (bytes 8..11,
    little-endian: docs/formats.md), beside it as ``v<version>.<suffix>``."""
    data = bytearray(path.read_bytes())
    data[8:12] = struct.pack("<I", version)
    copy = path.with_name(f"v{version}{path.suffix}")
    copy.write_bytes(bytes(data))
    return copy


def count_file(tmp_path, story) -> pathlib.Path:
    """The count file of ``story``, written by ``count -o`` in ``tmp_path``."""
    path = tmp_path / "story.wmc"
    assert run_wordmine("count", story, "-q", "-o", path).returncode == 0
    return path


def model_file(tmp_path, story, method="charlm") -> pathlib.Path:
    """The model of ``story`` learnt by ``learn --method METHOD -o``, in ``tmp_path``."""
    path = tmp_path / f"story-{method}.wmm"
    proc = run_wordmine("learn", story, "-q", "--method", method, "-o", path)
    assert proc.returncode == 0, proc.stderr
    return path


def big_text(path, lines=150) -> None:
    """``lines`` lines of 100,000 characters drawn from 3,000 (rotations of one line): counting it takes seconds
    and spills under a small budget, long enough for a signal to arrive while it runs."""
    rng = np.random.default_rng(9)
    line = "".join(chr(0x4E00 + int(c)) for c in rng.integers(0, 3000, 100_000))
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(line[s * 601 % len(line):] + line[: s * 601 % len(line)] + "\n" for s in range(lines))


def random_lines(seed: int, lines: int = 40, width: int = 300, alphabet: int = 60) -> str:
    """``lines`` lines of ``width`` characters drawn at random from the first ``alphabet`` CJK ideographs: a few
    dozen make n-grams repeat and counts tie, thousands make nearly every n-gram distinct (many spilled runs)."""
    rng = random.Random(seed)
    chars = [chr(0x4E00 + i) for i in range(alphabet)]
    return "".join("".join(rng.choice(chars) for _ in range(width)) + "\n" for _ in range(lines))


def distinct_lines(path, lines: int = 60, seed: int = 5) -> None:
    """Write ``lines`` random lines of 2,000 characters drawn from 1,500 to ``path``: enough distinct n-grams to
    spill many runs under a 64k budget."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(random_lines(seed, lines, width=2000, alphabet=1500))


# References the library is checked against


def naive_counts(text: str, max_order: int) -> dict[str, int]:
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


def table_as_dict(corpus) -> dict[str, int]:
    """The counts of a Corpus as {'u1|u2|...': count}."""
    return ngram_counts(corpus, "|")


def assert_lossless(text: str, produced: list[str]) -> None:
    """Segmentation only inserted boundaries: one output line per input line, and each
    output line, spaces removed, is its input line with its white space removed."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    assert len(produced) == len(lines)
    for words, line in zip(produced, lines):
        assert "".join(words.split()) == "".join(line.split())
        assert "  " not in words and words == words.strip()
