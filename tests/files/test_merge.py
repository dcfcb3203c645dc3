"""Count files merge like the corpora they count: merge(count(a), count(b)) = count(a + b)."""

import io

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from wordmine.cli import cli
from wordmine.config import CountConfig
from wordmine.counting.engine.corpusmerge import merge_corpora
from wordmine.counting.engine.counter import count_text
from wordmine.counting.files.countfile import read_counts, write_counts
from wordmine.counting.table import ngrams
from wordmine.counting.table.ngrams import NgramTable, merge_two_tables
from wordmine.errors import WordmineError
from wordmine.io.text import TextSource, read_blocks

# Few distinct characters so n-grams repeat; Latin, digits, punctuation and line breaks as cut points.
TEXT = st.text(st.sampled_from("天地人中国上下iOS7，。 \n😀"), max_size=60)


def count_sources(*texts: str, order: int = 3):
    """Count texts as separate input files (each ends with a line break), in one pass."""
    sources = [TextSource(f"part{i}", lambda t=t: io.BytesIO(t.encode())) for i, t in enumerate(texts)]
    return count_text(read_blocks(sources), CountConfig(order=order, jobs=1))


def file_bytes(corpus, path) -> bytes:
    write_counts(corpus, str(path))
    return path.read_bytes()


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=4))
def test_merged_shards_are_the_count_of_the_concatenation(tmp_path_factory, parts):
    merged = merge_corpora(count_sources(p) for p in parts)
    whole = count_sources(*parts)
    tmp = tmp_path_factory.mktemp("m")
    # Same ids too: shards merged in their order name units as one pass over them does.
    assert file_bytes(merged, tmp / "merged.wmc") == file_bytes(whole, tmp / "whole.wmc")
    assert merged.counts.counts[0].sum() == merged.total_units == whole.total_units


@settings(max_examples=60, deadline=None)
@given(TEXT, TEXT, TEXT)
def test_merge_is_associative_and_commutative(table_as_dict, tmp_path_factory, a, b, c):
    ca, cb, cc = (count_sources(t) for t in (a, b, c))
    tmp = tmp_path_factory.mktemp("m")
    left = merge_corpora([merge_corpora([ca, cb]), cc])
    right = merge_corpora([ca, merge_corpora([cb, cc])])
    assert file_bytes(left, tmp / "l.wmc") == file_bytes(right, tmp / "r.wmc")
    # Another order names the units differently, but counts the same n-grams.
    assert table_as_dict(merge_corpora([cb, ca])) == table_as_dict(merge_corpora([ca, cb]))


def test_merging_widens_keys_when_the_vocabulary_outgrows_them(table_as_dict):
    # 200 distinct characters in each half fit 8-bit ids; the 400 of both do not.
    first = "".join(chr(0x4E00 + i) for i in range(200))
    second = "".join(chr(0x5000 + i) for i in range(200))
    halves = [count_text([t], CountConfig(order=2, jobs=1, bits=8)) for t in (first, second)]
    assert [h.counts.bits for h in halves] == [8, 8]
    merged = merge_corpora(halves)
    assert merged.counts.bits == 16
    assert table_as_dict(merged) == table_as_dict(count_text([first + "\n" + second],
                                                             CountConfig(order=2, jobs=1, bits=8)))


def test_counts_of_different_order_do_not_merge():
    with pytest.raises(WordmineError, match="same --order"):
        merge_corpora([count_sources("天地", order=2), count_sources("天地", order=3)])


def test_merge_command(tmp_path):
    (tmp_path / "a.txt").write_text("天地人，天地\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("人中国天地", encoding="utf-8")
    runner = CliRunner()
    for name in ("a", "b"):
        assert runner.invoke(cli, ["count", f"{tmp_path}/{name}.txt", "-o", f"{tmp_path}/{name}.wmc"]).exit_code == 0
    assert runner.invoke(cli, ["count", f"{tmp_path}/a.txt", f"{tmp_path}/b.txt",
                               "-o", f"{tmp_path}/ab.wmc"]).exit_code == 0
    result = runner.invoke(cli, ["merge", f"{tmp_path}/a.wmc", f"{tmp_path}/b.wmc", "-o", f"{tmp_path}/m.wmc"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m.wmc").read_bytes() == (tmp_path / "ab.wmc").read_bytes()
    assert read_counts(f"{tmp_path}/m.wmc").total_units == 10


def test_merge_command_refuses_text_and_needs_an_output(tmp_path):
    (tmp_path / "a.txt").write_text("天地\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["merge", f"{tmp_path}/a.txt", "-o", f"{tmp_path}/m.wmc"])
    assert result.exit_code == 2 and "is not a count file" in result.output
    assert runner.invoke(cli, ["merge", f"{tmp_path}/a.txt"]).exit_code == 2
    assert not (tmp_path / "m.wmc").exists()


# Tables of random n-grams (every prefix present) over few units, so ranges of first units repeat.
NGRAMS = st.lists(st.lists(st.integers(1, 6), min_size=1, max_size=5), max_size=40)


def table_of(grams: list[list[int]], bits: int) -> NgramTable:
    counts: dict[tuple[int, ...], int] = {}
    for gram in grams:
        for k in range(1, len(gram) + 1):
            counts[tuple(gram[:k])] = counts.get(tuple(gram[:k]), 0) + 1
    for k in range(1, 6):  # every order present, so the two tables have the same shape
        counts.setdefault((1,) * k, 1)
    return NgramTable.from_ngrams(counts, bits=bits)


@settings(max_examples=80, deadline=None)
@given(NGRAMS, NGRAMS, st.sampled_from([16, 32]), st.integers(2, 4))
def test_a_merge_in_ranges_of_first_units_is_the_same_table(a, b, bits, threads):
    whole = merge_two_tables(table_of(a, bits), table_of(b, bits))
    with pytest.MonkeyPatch.context() as patch:
        # Every table is split, however small; with 32-bit ids orders 3-5 are chained on prefix rows.
        patch.setattr(ngrams, "PARALLEL_MERGE_ROWS", 0)
        parts = merge_two_tables(table_of(a, bits), table_of(b, bits), consume=True, threads=threads)
    assert [k.tolist() for k in parts.keys] == [k.tolist() for k in whole.keys]
    assert [c.tolist() for c in parts.counts] == [c.tolist() for c in whole.counts]


def test_first_unit_cuts_split_the_top_packed_order_evenly():
    table = table_of([[u, 1, 1, 1] for u in range(1, 7) for _ in range(3)], bits=16)
    assert ngrams._first_unit_cuts(table, 3) == [0, 3, 5]
    # A range of one first unit is never split, so fewer ranges than asked come back.
    one_unit = NgramTable.from_ngrams({(2,) * k: 5 for k in range(1, 5)}, bits=16)
    assert ngrams._first_unit_cuts(one_unit, 4) == [0, 2]
