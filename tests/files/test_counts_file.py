"""``wordmine.Counts`` of a count file: read a range at a time, never loaded whole, with the in-memory results."""

from __future__ import annotations

import random

import pytest

import wordmine
from wordmine.counting.engine import sources
from wordmine.errors import WordmineError

SMALL = 1 << 17  # a budget far below these tables: every use of the file goes range by range


def _wordy_lines(seed: int, words: int = 30_000) -> list[str]:
    """Distinct text from a Zipf-distributed lexicon of 2-4 character words (no line repeats another)."""
    rng = random.Random(seed)
    chars = [chr(0x4E00 + i) for i in range(400)]
    lexicon = ["".join(rng.choices(chars, k=rng.choice([2, 2, 3, 4]))) for _ in range(2000)]
    body = rng.choices(lexicon, [1.0 / (i + 1) for i in range(len(lexicon))], k=words)
    return ["".join(body[i:i + 12]) for i in range(0, words, 12)]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    lines = _wordy_lines(1)
    path = tmp_path_factory.mktemp("counts") / "c.wmc"
    counts = wordmine.count(lines, memory=SMALL, jobs=1, save_to=path)
    return lines, path, counts


@pytest.fixture
def whole_loads_refused(monkeypatch):
    """Fail a test that loads a count file whole: every path must read it a range at a time."""
    def refuse(path):
        raise AssertionError(f"{path} was loaded whole")
    monkeypatch.setattr(sources, "read_counts", refuse)
    monkeypatch.setattr(wordmine.counts, "read_counts", refuse)


def test_saved_counts_are_a_file_with_the_rows_of_counting_in_memory(saved, whole_loads_refused):
    lines, path, counts = saved
    assert not counts.in_memory and counts.path == str(path)
    in_memory = wordmine.count(lines, jobs=1)
    assert counts.total_units == in_memory.total_units == sum(len(line) for line in lines)
    assert list(counts.ngrams(min_count=3)) == list(in_memory.ngrams(min_count=3))
    assert list(counts.ngrams(top=50)) == list(in_memory.ngrams(top=50))


def test_discover_learn_and_contrast_read_the_file_a_range_at_a_time(saved, whole_loads_refused):
    lines, path, _ = saved
    loaded = wordmine.Counts.load(path, memory=SMALL)
    assert wordmine.discover(loaded, top=100) == wordmine.discover(lines, top=100, jobs=1)
    assert wordmine.learn(loaded, method="charlm").cut(lines[7]) == wordmine.learn(lines, method="charlm",
                                                                                    jobs=1).cut(lines[7])
    domain = _wordy_lines(2, 6_000)
    assert (wordmine.contrast(domain, loaded, method="salience", min_count=3, top=30)
            == wordmine.contrast(domain, [lines], method="salience", min_count=3, top=30, jobs=1))


def test_merge_of_files_is_a_file_with_the_counts_of_the_concatenation(tmp_path, whole_loads_refused):
    first, second = _wordy_lines(3, 6_000), _wordy_lines(4, 6_000)
    parts = [wordmine.count(text, jobs=1, save_to=tmp_path / f"{i}.wmc") for i, text in enumerate((first, second))]
    merged = wordmine.merge(parts, save_to=tmp_path / "all.wmc", memory=SMALL)
    assert not merged.in_memory
    assert list(merged.ngrams(min_count=2)) == list(wordmine.count(first + second, jobs=1).ngrams(min_count=2))


def test_saving_a_file_copies_it_and_a_text_file_is_refused_at_load(saved, tmp_path):
    _, path, counts = saved
    counts.save(tmp_path / "copy.wmc")
    assert (tmp_path / "copy.wmc").read_bytes() == path.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["copy.wmc"]  # no partial file left beside it
    text = tmp_path / "words.txt"
    text.write_text("天天向上\n", encoding="utf-8")
    with pytest.raises(WordmineError, match="words.txt"):
        wordmine.Counts.load(text)
