"""Worker processes only where they count faster: none for a small input, whether its size is known (a file) or
not (standard input, lines given to the API), and the same counts and output however a run counts."""

from __future__ import annotations

import multiprocessing
import os
import random
import re

import numpy as np
import pytest

import wordmine
from tests.helpers import STORY, run_patched, run_wordmine, stderr_lines, table_as_dict
from wordmine.budget import WORKER_INPUT_BYTES, capped_jobs, default_jobs
from wordmine.config import CountConfig
from wordmine.counting.engine.counter import count_text
from wordmine.parallel import ordered_map

#: Patches for a subprocess: workers for any input of known size, or after 2,000 units of one of unknown size.
WORKERS_AT_ONCE = "import wordmine.budget\nwordmine.budget.WORKER_INPUT_BYTES = 1\n"
WORKERS_AFTER_2000 = "import wordmine.api\nwordmine.api.WORKER_INPUT_UNITS = 2000\n"


def _lines(seed: int = 21) -> list[str]:
    """About 70,000 units: 400 made-up words of two to four characters (of 500), drawn by a Zipf-like weight, 30 a
    line between commas, so that discovery finds words, and counts of every size repeat."""
    rng = random.Random(seed)
    chars = [chr(0x4E00 + i) for i in range(500)]
    words = ["".join(rng.choice(chars) for _ in range(rng.randint(2, 4))) for _ in range(400)]
    weights = [1 / (rank + 1) for rank in range(len(words))]
    return ["，".join(rng.choices(words, weights, k=30)) + "\n" for _ in range(800)]


def _counted(lines: list[str], **config) -> tuple[dict[str, int], list[list[int]]]:
    told: list[list[int]] = []
    corpus = count_text(lines, CountConfig(order=3, chunk_units=4000, **config),
                        on_start=lambda folder, pids: told.append(pids))
    return table_as_dict(corpus), told


def test_counting_begun_here_and_handed_to_workers_gives_the_same_counts():
    lines = _lines()
    alone, told_alone = _counted(lines, jobs=1)
    at_once, told_at_once = _counted(lines, jobs=2)
    handed, told_handed = _counted(lines, jobs=2, workers_after=15_000)
    never, told_never = _counted(lines, jobs=2, workers_after=10**9)
    assert at_once == alone and handed == alone and never == alone
    assert [len(p) for p in told_alone + told_at_once + told_handed + told_never] == [0, 2, 2, 0]


def test_a_handover_under_a_tiny_budget_spills_and_still_counts_the_same():
    lines = _lines(seed=4)
    alone, _ = _counted(lines, jobs=1)
    handed, told = _counted(lines, jobs=2, workers_after=20_000, memory=64 << 10)
    assert handed == alone and len(told[0]) == 2


def test_the_cut_over_for_an_input_of_known_size():
    assert capped_jobs(2, WORKER_INPUT_BYTES, cores=2) == 1
    assert capped_jobs(2, WORKER_INPUT_BYTES + 1, cores=2) == 2
    assert capped_jobs(8, 3 * WORKER_INPUT_BYTES + 1, cores=8) == 4


def _how_counted(proc) -> str:
    """What the --verbose budget line says: 'workers N' or 'here'."""
    for line in stderr_lines(proc):
        found = re.search(r"(worker processes ([\d ]+)|counting in this process)$", line)
        if found:
            return f"workers {len(found.group(2).split())}" if found.group(2) else "here"
    raise AssertionError(f"no budget line in {stderr_lines(proc)}")


@pytest.mark.skipif(default_jobs() < 2, reason="one core never starts workers")
def test_small_standard_input_is_counted_in_this_process_even_with_jobs_asked():
    proc = run_wordmine("discover", "-", "--jobs", "2", "--verbose", "--top", "3", input="".join(_lines()).encode())
    assert proc.returncode == 0 and _how_counted(proc) == "here"


def test_small_lines_given_to_the_api_are_counted_in_this_process():
    said: list[str] = []
    words = wordmine.discover([STORY] * 3, jobs=2, top=3, hooks=wordmine.Hooks(detail=said.append))
    assert len(words) == 3 and any(line.endswith("counting in this process") for line in said)


@pytest.mark.skipif(default_jobs() < 2, reason="two workers need two cores")
@pytest.mark.parametrize("command", [["discover", "--top", "200"], ["count", "--top", "500"],
                                     ["count", "-o", "OUT.wmc"]])
def test_output_is_the_same_counted_here_at_once_by_workers_or_handed_over(tmp_path, command):
    text = tmp_path / "text.txt"
    text.write_text("".join(_lines(seed=8)), encoding="utf-8")
    runs = {"default": ("", text, []), "jobs 1": ("", text, ["--jobs", "1"]),
            "workers": (WORKERS_AT_ONCE, text, ["--jobs", "2"]),
            "handed over": (WORKERS_AFTER_2000, "-", ["--jobs", "2"])}
    outputs, counted = {}, {}
    for name, (prelude, source, jobs) in runs.items():
        out = tmp_path / f"{name.replace(' ', '_')}.out"
        args = [str(out) if a == "OUT.wmc" else a for a in command]
        if "-o" not in args:
            args += ["-o", str(out)]
        with open(text, "rb") as stdin:
            proc = run_patched(prelude, *args, source, *jobs, "--verbose", stdin=stdin)
        assert proc.returncode == 0, proc.stderr.decode()
        outputs[name], counted[name] = out.read_bytes(), _how_counted(proc)
    assert counted == {"default": "here", "jobs 1": "here", "workers": "workers 2", "handed over": "workers 2"}
    assert len(outputs["default"]) > 1000
    assert all(output == outputs["default"] for output in outputs.values())


def test_the_table_arrays_are_identical_not_only_equal_as_counts():
    lines = _lines(seed=13)
    one = count_text(lines, CountConfig(order=2, jobs=1, chunk_units=3000))
    handed = count_text(lines, CountConfig(order=2, jobs=2, chunk_units=3000, workers_after=9000))
    assert one.total_units == handed.total_units and one.vocab.units == handed.vocab.units
    for a, b in zip(one.counts.keys, handed.counts.keys):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    for a, b in zip(one.counts.counts, handed.counts.counts):
        assert np.array_equal(a, b)


# Segmenting's workers (wordmine.parallel.ordered_map): a pool only for two pieces or more.


def _pid(item: int) -> int:
    return os.getpid()


def test_a_single_piece_is_mapped_in_this_process():
    assert list(ordered_map(_pid, [7], jobs=2)) == [os.getpid()]
    assert list(ordered_map(_pid, [], jobs=2)) == []


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the pool is forked")
def test_two_pieces_or_more_go_to_the_workers():
    pids = list(ordered_map(_pid, range(5), jobs=2))
    assert len(pids) == 5 and os.getpid() not in pids
