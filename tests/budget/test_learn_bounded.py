"""learn, segment and contrast within --memory: the whole table while it fits, else pruned with exact figures."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest

import wordmine
from tests.helpers import SAMPLES, run_wordmine
from wordmine.api import count_sources, learning_reducer
from wordmine.budget import MemoryPlan
from wordmine.config import CountConfig
from wordmine.counting.engine.counter import count_text
from wordmine.counting.reducers.candidates import CandidatePruning
from wordmine.counting.reducers.learning import LearningPruning
from wordmine.counting.table.ngrams import NgramTable
from wordmine.mining.scoring import boundary_entropy
from wordmine.normalize import Vocabulary
from wordmine.segmentation.learning import learn_segmenter

STORY = SAMPLES / "story.txt"
EVERYDAY = SAMPLES / "everyday.txt"
TECHNICAL = SAMPLES / "technical.txt"


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def spilling(**kwargs) -> CountConfig:
    """A budget small enough that the sample corpora spill runs and merge in many partitions."""
    return CountConfig(order=4, memory=1 << 17, chunk_units=1 << 14, jobs=1, **kwargs)


def model_bytes(segmenter, folder: Path, name: str) -> bytes:
    path = folder / name
    segmenter.save(str(path))
    return path.read_bytes()


# Where the whole table fits: nothing changes, byte for byte.


@pytest.mark.parametrize("method", ["charlm", "crf"])
def test_a_table_that_fits_gives_the_same_model_bytes(tmp_path, method):
    whole = count_text(lines_of(STORY), CountConfig(order=4, jobs=1))
    reduced = count_text(lines_of(STORY), spilling(), reduce=LearningPruning(order=4, budget=1 << 40))
    assert reduced.spilled_runs > 0 and reduced.pruned_at is None and not hasattr(reduced, "learning")
    for a, b in zip(whole.counts.keys + whole.counts.counts, reduced.counts.keys + reduced.counts.counts):
        assert np.array_equal(a, b)
    expected = model_bytes(learn_segmenter(whole, method), tmp_path, "whole.wmm")
    assert model_bytes(learn_segmenter(reduced, method), tmp_path, "reduced.wmm") == expected


def test_the_api_under_a_budget_that_fits_learns_what_it_learned_before(tmp_path):
    before = learn_segmenter(count_text(lines_of(STORY), CountConfig(order=4, jobs=1)), "charlm")
    after = wordmine.learn(str(STORY), method="charlm", memory=1 << 30, jobs=1)
    assert model_bytes(after, tmp_path, "a.wmm") == model_bytes(before, tmp_path, "b.wmm")


# Where it does not: pruned, and what is kept is exact.


def exact_continuation(table: NgramTable, k: int) -> np.ndarray:
    rows = table.decode(k + 1, np.arange(len(table.keys[k])))
    suffix = table.index(k, rows[:, 1:])
    return np.bincount(suffix[suffix >= 0], minlength=len(table.keys[k - 1]))


@pytest.mark.parametrize("budget", [4_000, 100_000, 200_000])
def test_pruned_counts_and_statistics_equal_the_exact_ones(budget):
    whole = count_text(lines_of(STORY), CountConfig(order=4, jobs=1)).counts
    pruned = count_text(lines_of(STORY), spilling(), reduce=LearningPruning(order=4, budget=budget))
    assert pruned.pruned_at is not None and pruned.pruned_at >= 2
    kept, stats = pruned.counts, pruned.learning
    assert kept.max_order == 4 and len(kept.keys[0]) == len(whole.keys[0])  # every unit is kept
    for k in range(1, 5):
        ids = kept.decode(k, np.arange(len(kept.keys[k - 1])))
        rows = whole.index(k, ids)
        assert (rows >= 0).all()
        assert np.array_equal(kept.counts[k - 1], whole.counts[k - 1][rows])
        if k > 1:  # exactly the n-grams at the threshold or above
            assert len(rows) == np.count_nonzero(whole.counts[k - 1] >= pruned.pruned_at)
        left, right = boundary_entropy(whole, k)
        assert np.array_equal(pruned.entropy[k][0], left[rows])  # to the last bit
        assert np.array_equal(pruned.entropy[k][1], right[rows])
        if k < 4:
            continuation = exact_continuation(whole, k)
            assert np.array_equal(stats.continuation[k], continuation[rows])
            assert stats.counts_of_counts[k] == (np.count_nonzero(continuation == 1),
                                                 np.count_nonzero(continuation == 2))
    top = whole.counts[3]
    assert stats.counts_of_counts[4] == (np.count_nonzero(top == 1), np.count_nonzero(top == 2))


def test_a_tighter_budget_keeps_fewer_ngrams():
    sizes = []
    for budget in (100_000, 200_000, 400_000):
        corpus = count_text(lines_of(STORY), spilling(), reduce=LearningPruning(order=4, budget=budget))
        sizes.append((corpus.pruned_at, sum(len(k) for k in corpus.counts.keys)))
    assert sizes[0][0] > sizes[1][0] > sizes[2][0]
    assert sizes[0][1] < sizes[1][1] < sizes[2][1]


@pytest.mark.parametrize("method", ["charlm", "crf"])
def test_a_pruned_model_is_smaller_and_segments_losslessly(tmp_path, method):
    whole = learn_segmenter(count_text(lines_of(STORY), CountConfig(order=4, jobs=1)), method)
    corpus = count_text(lines_of(STORY), spilling(), reduce=LearningPruning(order=4, budget=200_000))
    pruned = learn_segmenter(corpus, method)
    assert 0 < pruned.entries < whole.entries
    assert len(model_bytes(pruned, tmp_path, "p.wmm")) < len(model_bytes(whole, tmp_path, "w.wmm"))
    lines = [line.rstrip("\n") for line in lines_of(STORY)[:50]]
    for line, out in zip(lines, pruned.segment(lines)):
        assert out.replace(" ", "") == "".join(line.split())
    # Still a segmenter: the story's invented names come out whole.
    assert "殷栖鹤" in pruned.cut("殷栖鹤握着霜魄铃走进了黑松林")


def test_the_learning_reducer_takes_a_sixteenth_of_the_budget():
    assert learning_reducer(MemoryPlan.of(1 << 30)) == LearningPruning(order=4, budget=64 << 20)


# contrast: the general side keeps only the candidates' counts.


def test_candidate_counts_equal_the_whole_table():
    words = ("殷栖鹤", "霜魄铃", "黑松林", "走进", "不在这里", "殷", "殷栖鹤握着霜")
    whole = count_text(lines_of(STORY), CountConfig(order=4, jobs=1))
    vocab = Vocabulary()
    kept = count_text(lines_of(STORY), spilling(), vocab=vocab, reduce=CandidatePruning(words, vocab))
    assert kept.spilled_runs > 0 and kept.total_units == whole.total_units
    for word in words:
        ids = whole.vocab.encode(word, grow=False)
        if 0 in ids.tolist() or len(ids) > 5:  # longer words are matched in the stream, not the tables
            continue
        mine = vocab.encode(word, grow=False)
        assert kept.counts.lookup(len(mine), mine[None, :]).tolist() == \
            whole.counts.lookup(len(ids), ids[None, :]).tolist()
    assert sum(len(k) for k in kept.counts.keys[1:]) <= 12  # the candidates and their prefixes


@pytest.mark.parametrize("method", ["topical", "salience", "g2"])
def test_contrast_under_a_small_budget_is_identical(method):
    big = wordmine.contrast(str(TECHNICAL), [str(EVERYDAY), str(STORY)], method=method, memory=1 << 30, jobs=1)
    small = wordmine.contrast(str(TECHNICAL), [str(EVERYDAY), str(STORY)], method=method, memory=1 << 17, jobs=1)
    assert small == big and len(big) > 10


def test_the_general_side_spills_under_that_budget():
    vocab = Vocabulary()
    corpus = count_sources([str(EVERYDAY), str(STORY)], 4, wordmine.api.CountingOptions(memory=1 << 17, jobs=1),
                           vocab=vocab, reduce=CandidatePruning(("天气",), vocab))
    assert corpus.spilled_runs > 0


@pytest.mark.slow
def test_count_files_read_a_range_at_a_time_give_what_the_text_gives(tmp_path):
    # The general side of contrast and learning both take a count file through the
    # streamed reader (a range of first units at a time, units numbered as in the file).
    general, story = tmp_path / "general.wmc", tmp_path / "story.wmc"
    for text, counts in ((EVERYDAY, general), (STORY, story)):
        assert run_wordmine("count", text, "-q", "-o", counts).returncode == 0
    assert run_wordmine("count", TECHNICAL, "-q", "-o", tmp_path / "technical.wmc").returncode == 0
    for args in (("contrast", TECHNICAL, "--top", "30"), ("contrast", tmp_path / "technical.wmc", "--top", "30",
                                                       "--method", "salience")):
        from_text = run_wordmine(*args, EVERYDAY, "-q", "--memory", "1M", "--jobs", "1")
        from_counts = run_wordmine(*args, general, "-q", "--memory", "1M", "--jobs", "1")
        assert from_counts.returncode == 0 and from_counts.stdout == from_text.stdout
        assert len(from_text.stdout.splitlines()) == 30
    models = [tmp_path / "text.wmm", tmp_path / "counts.wmm"]
    for source, model in zip((STORY, story), models):
        proc = run_wordmine("learn", source, "--method", "charlm", "-q", "--memory", "1M", "--jobs", "1", "-o", model)
        assert proc.returncode == 0, proc.stderr.decode()
    assert models[0].read_bytes() == models[1].read_bytes()


# The budget truly too small: one line naming --memory, exit 1, before any work.


@pytest.fixture(scope="module")
def nine_megabytes():
    folder = Path(tempfile.mkdtemp())
    path = folder / "big.txt"
    line = "，".join(a + b for a in "天地人日月星山水" for b in "风云雷电雨雪") + "\n"
    with open(path, "w", encoding="utf-8") as out:
        while out.tell() < 9 << 20:
            out.write(line * 1000)
    yield path
    path.unlink()
    folder.rmdir()


@pytest.mark.parametrize("command", [
    ("learn", "{big}", "-o", "{out}"),
    ("segment", "{big}", "-o", "{out}"),
    ("contrast", "{big}"),
    ("contrast", "{small}", "{big}"),
])
def test_a_budget_too_small_for_a_big_input_is_one_line_and_exit_1(tmp_path, nine_megabytes, command):
    out = tmp_path / "out"
    args = [a.format(big=nine_megabytes, small=STORY, out=out) for a in command]
    proc = run_wordmine(*args, "--memory", "50M", "-q")
    assert proc.returncode == 1
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "--memory" in lines[0] and "100M" in lines[0], lines
    assert not out.exists()
    assert not list(tmp_path.iterdir())


def test_learn_under_a_tiny_budget_says_it_pruned_and_still_segments(tmp_path):
    model = tmp_path / "m.wmm"
    proc = run_wordmine("learn", STORY, "--method", "charlm", "--memory", "2M", "--jobs", "1", "-o", model)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "learning from those seen" in proc.stderr.decode() and "--memory" in proc.stderr.decode()
    whole = tmp_path / "whole.wmm"
    assert run_wordmine("learn", STORY, "--method", "charlm", "--memory", "1G", "-o", whole, "-q").returncode == 0
    assert model.stat().st_size < whole.stat().st_size
    out = run_wordmine("segment", "--model", model, STORY, "-q")
    assert out.returncode == 0
    assert out.stdout.decode().replace(" ", "") == "".join(
        "".join(line.split()) + "\n" for line in STORY.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("method", ["unigram", "classic"])
def test_every_method_learns_from_pruned_counts(method):
    corpus = count_text(lines_of(STORY), spilling(), reduce=LearningPruning(order=4, budget=200_000))
    assert corpus.pruned_at is not None
    segmenter = learn_segmenter(corpus, method, min_count=2)  # below the threshold: raised to it
    line = "殷栖鹤握着霜魄铃走进了黑松林"
    assert "".join(segmenter.cut(line)) == line


@pytest.mark.parametrize("budget", [100_000, 200_000])
def test_the_pruned_table_does_not_depend_on_how_the_runs_were_cut(budget):
    results = []
    for config in (CountConfig(order=4, jobs=1), spilling(), CountConfig(order=4, memory=1 << 18, chunk_units=1 << 15,
                                                                          jobs=1)):
        corpus = count_text(lines_of(STORY), config, reduce=LearningPruning(order=4, budget=budget))
        results.append(corpus)
    assert results[1].spilled_runs and results[2].spilled_runs
    first = results[0]
    for other in results[1:]:
        assert other.pruned_at == first.pruned_at
        for a, b in zip(first.counts.keys + first.counts.counts, other.counts.keys + other.counts.counts):
            assert np.array_equal(a, b)
        for k in range(1, 5):
            assert np.array_equal(first.entropy[k][0], other.entropy[k][0])
            assert np.array_equal(first.entropy[k][1], other.entropy[k][1])
        for k in range(1, 4):
            assert np.array_equal(first.learning.continuation[k], other.learning.continuation[k])
