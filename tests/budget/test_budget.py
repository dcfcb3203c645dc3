"""The memory plan: every share of --memory, computed in one place (wordmine.budget)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

import wordmine
from wordmine.budget import MemoryPlan
from wordmine.config import CountConfig
from wordmine.counting.engine.sources import CountingOptions

M = 1 << 20

#: Every field of the plan after ``memory`` and ``jobs``, in the order of the rows below.
FIELDS = ("workers", "chunk_units", "count_tables", "spill_at", "merge_block", "file_read", "file_merge",
          "stream_buffer", "heap_keep", "learning_table", "learning_pruned", "crf_share", "crf_units",
          "rank_block_rows", "cut_fragments", "witness_strings")

#: (memory, jobs) -> the fields, worked out by hand from the rules in the fields' docstrings.
PLANS = [
    ((64 << 10, 1), (1, 1 << 16, 32 << 10, 16 << 10, 32 << 10, 32 << 10, 32 << 10,
                     4 << 10, 4 << 10, 4 << 10, 2 << 10, 16 << 10, 64, 1024, 2 << 10, 1024)),
    ((100 * M, 2), (1, 819200, 50 * M, 25 * M, 50 * M, 50 * M, 50 * M,
                    6553600, 2184533, 6553600, 3276800, 25 * M, 102400, 102400, 100 * M // 32, 1600)),
    ((500 * M, 2), (2, 1 << 21, 250 * M, 125 * M // 2, 250 * M, 250 * M, 250 * M,
                    32000 << 10, 10922666, 32000 << 10, 16000 << 10, 125 * M, 512000, 512000, 500 * M // 32, 8000)),
    ((2 << 30, 2), (2, 1 << 21, 1 << 30, 256 * M, 1 << 30, 1 << 30, 1 << 30,
                    128 * M, 44739242, 128 * M, 64 * M, 512 * M, 1 << 21, 1 << 21, 64 * M, 32768)),
    ((8 << 30, 4), (4, 1 << 21, 4 << 30, 512 * M, 4 << 30, 4 << 30, 4 << 30,
                    256 * M, 107374182, 512 * M, 256 * M, 2 << 30, 8 << 20, 8 << 20, 256 * M, 131072)),
    ((64 << 30, 8), (8, 1 << 21, 32 << 30, 2 << 30, 32 << 30, 32 << 30, 32 << 30,
                     256 * M, 128 * M, 4 << 30, 2 << 30, 16 << 30, 64 << 20, 64 << 20, 2 << 30, 1 << 20)),
]


@pytest.mark.parametrize(("given", "expected"), PLANS, ids=[f"{m >> 10}k-{j}jobs" for (m, j), _ in PLANS])
def test_every_field_of_the_plan(given, expected):
    memory, jobs = given
    plan = MemoryPlan.of(memory, jobs)
    assert len(expected) == len(FIELDS)
    assert dataclasses.asdict(plan) == {"memory": memory, "jobs": jobs, **dict(zip(FIELDS, expected))}


def test_every_field_says_what_it_is_for():
    # the table above names every field, and every field has its docstring in the source
    assert {f.name for f in dataclasses.fields(MemoryPlan)} == {"memory", "jobs", *FIELDS}
    source = Path(wordmine.budget.__file__).read_text(encoding="utf-8")
    for field in dataclasses.fields(MemoryPlan):
        assert re.search(rf'^    {field.name}: int\n    """', source, flags=re.MULTILINE), field.name


def test_counting_reads_its_config_from_the_plan():
    counting = CountingOptions(memory=100 * M, jobs=2)
    config = counting.config(4)
    assert (config.memory, config.jobs, config.chunk_units) == (100 * M, 1, 819200)
    assert config.plan.spill_at == counting.plan().spill_at == 25 * M
    assert config.plan.merge_block == counting.plan().merge_block


def test_a_count_config_by_hand_keeps_its_workers_and_chunks():
    # tests force the merge paths with two workers under a tiny budget: the plan takes them as given
    plan = CountConfig(memory=64 << 10, jobs=2, chunk_units=1500).plan
    assert (plan.workers, plan.chunk_units, plan.spill_at) == (2, 1500, 8 << 10)


def test_the_spill_point_is_a_quarter_of_the_budget_over_all_workers():
    for jobs in (1, 2, 4):
        plan = MemoryPlan.of(8 << 30, jobs)
        assert plan.spill_at * plan.workers == plan.memory // 4


def test_no_stage_divides_the_budget_itself():
    root = Path(wordmine.__file__).parent
    found = [f"{path.relative_to(root)}:{n}: {line.strip()}"
             for path in sorted(root.rglob("*.py")) if path.name != "budget.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if re.search(r"\b(memory|budget)\w* *//", line)]
    assert found == []


def test_the_budget_grep_catches_a_division():
    line = "    return memory // 16"
    assert re.search(r"\b(memory|budget)\w* *//", line)
