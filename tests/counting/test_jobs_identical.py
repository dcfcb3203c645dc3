"""``--jobs 2`` writes the very count file ``--jobs 1`` writes, byte for byte, on text made here.

Counting with workers cuts the work differently (which process counts which
chunk, which runs are merged where and when); counts are exact sums, so the
file must not change. Each case forces a path of the parallel counter:
repeating text (tables that stop growing, as on a corpus with repeated
documents), distinct text under a tiny budget (many spilled runs, many
partitions), a vocabulary that outgrows 16-bit ids part-way (tables widened
in the workers), high orders (chained keys), fewer chunks than workers, and
the public API's ``count(..., jobs=2, save_to=...)``.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import wordmine
from tests.helpers import random_lines
from wordmine.config import CountConfig
from wordmine.counting.engine.counter import count_text
from wordmine.counting.files.countstream import CountFileWriter

PLENTY = 1 << 30
TINY = 64 << 10


def count_file(blocks: list[str], path: Path, **options) -> list[int]:
    """Count ``blocks`` to the count file ``path`` as ``wordmine count -o`` does; the worker pids used."""
    workers: list[int] = []
    writer = CountFileWriter(str(path.parent))
    try:
        corpus = count_text(blocks, CountConfig(tmp_dir=str(path.parent), **options), reduce=writer,
                            on_start=lambda folder, pids: workers.extend(pids))
        writer.finish(str(path), corpus.vocab, corpus.order, corpus.stream)
    finally:
        writer.close()
    return workers


def same_file_with_two_jobs(tmp_path: Path, blocks: list[str], **options) -> bytes:
    """The count file of one job and of two, checked equal; its bytes."""
    one, two = tmp_path / "one.wmc", tmp_path / "two.wmc"
    assert count_file(blocks, one, jobs=1, **options) == []
    assert len(count_file(blocks, two, jobs=2, **options)) == 2
    assert two.read_bytes() == one.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.wmc", "two.wmc"]  # nothing left behind
    return one.read_bytes()


def zipf_text(seed: int, units: int, alphabet: int = 3000) -> str:
    """Han characters drawn by a Zipf-like law, with clause marks, Latin words and numbers between."""
    rng = random.Random(seed)
    chars = [chr(0x4E00 + i) for i in range(alphabet)]
    weights = [1 / (rank + 1) for rank in range(alphabet)]
    drawn = rng.choices(chars, weights, k=units)
    for at in range(0, units, 37):
        drawn[at] = rng.choice(["，", "。", "\n", " iOS7 ", "2019年", "、"])
    return "".join(drawn)


def blocks_of(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


@pytest.mark.parametrize("order", [1, 4, 7])
def test_repeated_text_gives_the_same_file(tmp_path, order):
    # The second copy adds no n-gram: the workers' tables overlap almost wholly.
    text = zipf_text(1, 30_000) * 2
    same_file_with_two_jobs(tmp_path, blocks_of(text, 7_000), order=order, chunk_units=4_000, memory=PLENTY)


def test_distinct_text_spilled_under_a_tiny_budget_gives_the_same_file(tmp_path):
    text = random_lines(5, 30, width=1500, alphabet=1500)
    same_file_with_two_jobs(tmp_path, blocks_of(text, 5_000), order=4, chunk_units=4_096, memory=TINY)


def test_a_vocabulary_past_16_bit_ids_gives_the_same_file(tmp_path):
    # The basic block and Extension A, then B: over 65 536 distinct units part-way through.
    han = [chr(c) for lo, hi in [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF)] for c in range(lo, hi)]
    rng = random.Random(9)
    common = "".join(rng.choice(han[:500]) for _ in range(20_000))
    text = common + "".join(han[500:70_000]) + common
    same_file_with_two_jobs(tmp_path, blocks_of(text, 10_000), order=3, chunk_units=8_000, memory=PLENTY)


def test_fewer_chunks_than_workers_gives_the_same_file(tmp_path):
    same_file_with_two_jobs(tmp_path, ["天天向上，好好学习\n"], order=4, memory=PLENTY)


def test_the_api_writes_the_same_file_with_two_jobs(tmp_path):
    # Lines, not a path: no input size caps the workers. Two cores or more give two workers here.
    lines = zipf_text(3, 60_000).split("\n")
    wordmine.count(lines, jobs=1, save_to=tmp_path / "one.wmc")
    wordmine.count(lines, jobs=2, save_to=tmp_path / "two.wmc")
    assert (tmp_path / "two.wmc").read_bytes() == (tmp_path / "one.wmc").read_bytes()
