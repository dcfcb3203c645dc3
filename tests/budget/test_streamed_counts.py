"""count, count files and merge a range of first units at a time: the same output as the whole table.

Budgets of 64k force the counts to spill and the merged tables to come in many
partitions; every output is compared with the whole-table path (``ngram_rows``,
``write_counts``, ``merge_corpora``, discover on the text), byte for byte.
"""

from __future__ import annotations

import errno
import os
import signal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import STORY_PATH, assert_ends, invoke, random_lines
from wordmine.config import CountConfig
from wordmine.counting.engine.corpusmerge import merge_corpora
from wordmine.counting.engine.counter import count_text
from wordmine.counting.files.countfile import write_counts
from wordmine.counting.files.countstream import CountFileWriter, open_counts
from wordmine.counting.files.filemerge import merge_count_files
from wordmine.counting.reducers.listing import RankedRuns, TopRows, ranked_rows
from wordmine.counting.reducers.reduced import whole_table
from wordmine.counting.table.corpus import ngram_rows

TINY = CountConfig(order=3, memory=64 << 10, jobs=1, chunk_units=1 << 12)


class Partitions:
    """A reducer that counts the partitions handed to another one."""

    def __init__(self, reducer) -> None:
        self.reducer, self.seen = reducer, 0

    def __call__(self, partitions, units, folder):
        def counted():
            for part in partitions:
                self.seen += 1
                yield part
        return self.reducer(counted(), units, folder)


@pytest.fixture(scope="module")
def text() -> list[str]:
    return random_lines(1).splitlines(keepends=True)


@pytest.fixture(scope="module")
def whole(text):
    return count_text(text, CountConfig(order=3, jobs=1), reduce=whole_table)


@pytest.mark.parametrize("top", [None, 0, 1, 37, 5000])
@pytest.mark.parametrize("min_count", [1, 3])
def test_ranked_rows_in_partitions_are_the_rows_of_the_whole_table(text, whole, tmp_path, top, min_count):
    expected = list(ngram_rows(whole, min_count, top))
    reducer = TopRows(top, min_count, 4) if top is not None else RankedRuns(4, min_count, str(tmp_path))
    spy = Partitions(reducer)
    corpus = count_text(text, TINY, reduce=spy)
    assert spy.seen > 5, "the tiny budget must cut the table into many partitions"
    assert list(ranked_rows(reducer, corpus.vocab, top, block_rows=64)) == expected
    if top is None:
        assert len(reducer.runs) > 5
        reducer.close()
        assert list(tmp_path.iterdir()) == []


def test_count_file_written_a_partition_at_a_time_is_the_same_file(text, whole, tmp_path):
    write_counts(whole, str(tmp_path / "whole.wmc"))
    writer = CountFileWriter(str(tmp_path))
    spy = Partitions(writer)
    corpus = count_text(text, TINY, reduce=spy)
    writer.finish(str(tmp_path / "streamed.wmc"), corpus.vocab, corpus.order, corpus.stream)
    writer.close()
    assert spy.seen > 5
    assert (tmp_path / "streamed.wmc").read_bytes() == (tmp_path / "whole.wmc").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["streamed.wmc", "whole.wmc"]


def test_a_count_file_read_in_ranges_has_the_tables_of_the_file(whole, tmp_path):
    write_counts(whole, str(tmp_path / "whole.wmc"))
    count_file = open_counts(str(tmp_path / "whole.wmc"))
    parts = list(count_file.partitions(budget_bytes=4096))
    assert len(parts) > 5
    writer = CountFileWriter(str(tmp_path))
    writer(parts, count_file.total_units, str(tmp_path))
    writer.finish(str(tmp_path / "again.wmc"), count_file.vocab, count_file.order, count_file.stream())
    writer.close()
    assert (tmp_path / "again.wmc").read_bytes() == (tmp_path / "whole.wmc").read_bytes()


TEXT = st.text(st.sampled_from("天地人中国上下iOS7，。 \n"), max_size=80)


@settings(max_examples=40, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=4))
def test_merged_files_are_the_file_of_merged_corpora(tmp_path_factory, parts):
    tmp = tmp_path_factory.mktemp("m")
    corpora = [count_text([p + "\n"], CountConfig(order=2, jobs=1)) for p in parts]
    paths = []
    for i, corpus in enumerate(corpora):
        paths.append(str(tmp / f"{i}.wmc"))
        write_counts(corpus, paths[-1])
    write_counts(merge_corpora(corpora), str(tmp / "whole.wmc"))
    merge_count_files(paths, str(tmp / "streamed.wmc"), 64 << 10, str(tmp))
    assert (tmp / "streamed.wmc").read_bytes() == (tmp / "whole.wmc").read_bytes()


def test_merging_files_whose_units_outgrow_16_bits(tmp_path):
    # 70,000 distinct characters between them: ids widen to 32 bits, the second file's units are renamed.
    han = [chr(c) for c in range(0x20000, 0x20000 + 70_000)]
    corpora = [count_text(["".join(han[:40_000]) + "\n"], CountConfig(order=1, jobs=1)),
               count_text(["".join(han[30_000:]) + "\n" + "".join(han[:50]) + "\n"], CountConfig(order=1, jobs=1))]
    for i, corpus in enumerate(corpora):
        write_counts(corpus, str(tmp_path / f"{i}.wmc"))
    write_counts(merge_corpora(corpora), str(tmp_path / "whole.wmc"))
    merge_count_files([str(tmp_path / "0.wmc"), str(tmp_path / "1.wmc")], str(tmp_path / "streamed.wmc"),
                      1 << 20, str(tmp_path))
    assert open_counts(str(tmp_path / "streamed.wmc")).bits == 32
    assert (tmp_path / "streamed.wmc").read_bytes() == (tmp_path / "whole.wmc").read_bytes()


@pytest.fixture(scope="module")
def text_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("t") / "text.txt"
    path.write_text(random_lines(2, lines=80) + random_lines(3, lines=40, alphabet=400), encoding="utf-8")
    return path


def test_count_command_under_a_tiny_budget_writes_what_the_whole_table_gives(text_file, tmp_path):
    lines = text_file.read_text(encoding="utf-8").splitlines(keepends=True)
    whole = count_text(lines, CountConfig(order=4, jobs=1), reduce=whole_table)
    write_counts(whole, str(tmp_path / "whole.wmc"))
    for budget in ("64k", "1G"):
        result = invoke("count", text_file, "--memory", budget, "--jobs", "1", "-q", "-o", tmp_path / "c.wmc")
        assert result.exit_code == 0, result.output
        assert (tmp_path / "c.wmc").read_bytes() == (tmp_path / "whole.wmc").read_bytes(), budget
        for options in ([], ["--top", "250"], ["--min-count", "4"], ["--top", "99", "--min-count", "2"]):
            result = invoke("count", text_file, "--memory", budget, "--jobs", "1", "-q", *options)
            top = int(options[options.index("--top") + 1]) if "--top" in options else None
            min_count = int(options[options.index("--min-count") + 1]) if "--min-count" in options else 1
            expected = "".join(f"{r['ngram']}\t{r['order']}\t{r['count']}\n" for r in ngram_rows(whole, min_count, top))
            assert result.output == expected, (budget, options)


def test_discover_on_a_count_file_under_a_tiny_budget_is_discover_on_the_text(tmp_path):
    text_file = STORY_PATH
    assert invoke("count", text_file, "-q", "-o", tmp_path / "c.wmc").exit_code == 0
    for options in ([], ["--min-count", "3"]):
        on_text = invoke("discover", text_file, "-q", *options)
        on_file = invoke("discover", tmp_path / "c.wmc", "-q", "--memory", "64k", *options)
        assert on_text.exit_code == on_file.exit_code == 0
        assert on_file.output == on_text.output and on_text.output.count("\n") > 100


@pytest.mark.slow
def test_merge_command_under_a_tiny_budget(text_file, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text(random_lines(4, lines=30, alphabet=500), encoding="utf-8")
    for name, path in (("a", text_file), ("b", other)):
        assert invoke("count", path, "-q", "-o", tmp_path / f"{name}.wmc").exit_code == 0
    assert invoke("count", text_file, other, "-q", "-o", tmp_path / "both.wmc").exit_code == 0
    result = invoke("merge", tmp_path / "a.wmc", tmp_path / "b.wmc", "--memory", "64k", "--tmp-dir", tmp_path,
                    "-o", tmp_path / "ab.wmc", "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ab.wmc").read_bytes() == (tmp_path / "both.wmc").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.wmc", "ab.wmc", "b.wmc", "both.wmc", "other.txt"]


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("command", ["count -o", "count", "merge"])
def test_a_full_tmp_dir_mid_merge_is_one_line_naming_it_and_leaves_nothing(text_file, tmp_path, monkeypatch,
                                                                            command):
    if command == "merge":
        assert invoke("count", text_file, "-q", "-o", tmp_path / "a.wmc").exit_code == 0
        (tmp_path / "b.txt").write_text(random_lines(5, alphabet=900), encoding="utf-8")
        assert invoke("count", tmp_path / "b.txt", "-q", "-o", tmp_path / "b.wmc").exit_code == 0
    spill = tmp_path / "spill"
    spill.mkdir()
    out = tmp_path / "out"
    if command == "count":
        monkeypatch.setattr("wordmine.counting.reducers.listing.RankedRuns.add", _disk_full)
        args = ["count", text_file, "--memory", "64k", "--jobs", "1"]
    elif command == "count -o":
        monkeypatch.setattr("wordmine.counting.files.countstream.Segment.append", _disk_full)
        args = ["count", text_file, "--memory", "64k", "--jobs", "1"]
        out = tmp_path / "out.wmc"
    else:
        monkeypatch.setattr("wordmine.counting.files.filemerge.write_run", _disk_full)
        args = ["merge", tmp_path / "a.wmc", tmp_path / "b.wmc", "--memory", "64k"]
        out = tmp_path / "out.wmc"
    result = invoke(*args, "--tmp-dir", spill, "-o", out)
    assert result.exit_code == 1
    message = str(result.exception)
    assert message.startswith(f"{spill}: ") and "No space left on device" in message and "--tmp-dir" in message
    assert "\n" not in message
    assert list(spill.iterdir()) == [] and not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("command", ["count -o", "count", "merge"])
def test_ctrl_c_mid_merge_exits_130_and_removes_every_run(text_file, tmp_path, command, start_held_merge):
    spill = tmp_path / "spill"
    spill.mkdir()
    out = tmp_path / ("out.tsv" if command == "count" else "out.wmc")
    if command == "merge":
        assert invoke("count", text_file, "-q", "-o", tmp_path / "a.wmc").exit_code == 0
        args = ["merge", tmp_path / "a.wmc", tmp_path / "a.wmc", "--memory", "64k"]
    else:
        args = ["count", text_file, "--memory", "64k", "--jobs", "1"]
    proc = start_held_merge(*args, "--tmp-dir", spill, "-o", out)
    assert any(spill.iterdir()), "runs are on disk while they are merged"
    os.killpg(proc.pid, signal.SIGINT)
    proc.stdin.close()
    assert_ends(proc, 130, "wordmine: interrupted")
    assert list(spill.iterdir()) == [] and not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_count_reads_a_count_file_a_range_at_a_time_whatever_its_order(tmp_path):
    assert invoke("count", STORY_PATH, "-q", "--order", "3", "-o", tmp_path / "s.wmc").exit_code == 0
    whole = count_text(STORY_PATH.read_text(encoding="utf-8").splitlines(keepends=True), CountConfig(order=3, jobs=1))
    for options in (["--top", "40"], ["--min-count", "9"]):
        # --order is the text's to count; a count file holds its own orders, all listed
        result = invoke("count", tmp_path / "s.wmc", "--order", "1", "--memory", "64k", "-q", *options)
        top = 40 if "--top" in options else None
        expected = "".join(f"{r['ngram']}\t{r['order']}\t{r['count']}\n"
                           for r in ngram_rows(whole, 9 if top is None else 1, top))
        assert result.exit_code == 0 and result.output == expected
    assert invoke("count", tmp_path / "s.wmc", "--memory", "64k", "-q", "-o", tmp_path / "again.wmc").exit_code == 0
    assert (tmp_path / "again.wmc").read_bytes() == (tmp_path / "s.wmc").read_bytes()
