"""Discovery's pruned tables from shards, a range of first units per task, equal one machine's to the last bit.

The range functions are tested in this process first (no cluster needed, many
ranges); then ``discover --dask`` on a real local two-worker cluster.
"""

import dataclasses
import itertools

import numpy as np
import pytest
from click.testing import CliRunner

import wordmine
from wordmine.api import CountingOptions
from wordmine.cli import cli
from wordmine.counting.cluster.pruning import (
    cut_ranges,
    pruned_on,
    renumbered_stream,
    shared_vocabulary,
    table_slice,
)
from wordmine.counting.cluster.shards import count_shard
from wordmine.counting.engine.counter import count_text
from wordmine.counting.spill.runs import concatenate
from wordmine.counting.table.ngrams import NgramTable, bits_for
from wordmine.io.text import read_blocks, text_source

SHARDS = ("story.txt", "technical.txt", "everyday.txt", "story.txt")


def _here(fn, *args):
    return fn(*args)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and np.array_equal(a, b)


@pytest.mark.parametrize("order, bits, ranges", [(4, 16, 1), (4, 16, 2), (4, 16, 7), (5, 16, 5), (4, 32, 3)])
def test_ranges_of_shards_equal_one_machines_pruning_to_the_last_bit(sample_path, order, bits, ranges):
    paths = [str(sample_path(name)) for name in SHARDS]
    # At 32 bits a unit from the start, orders 3 and up are chained (keyed on the prefix's row).
    config = dataclasses.replace(CountingOptions(jobs=1).config(order), bits=bits)
    one = count_text(read_blocks([text_source(p) for p in paths], "utf-8"), dataclasses.replace(config, prune=True))
    shards = [count_shard(p, config, "utf-8") for p in paths]
    vocab, maps = shared_vocabulary([s.vocab.units for s in shards])
    assert vocab.units == one.vocab.units
    pruned = pruned_on(_here, lambda x: x, shards, maps, bits_for(len(vocab), bits), order, one.pruned_at, ranges)
    assert pruned.counts.bits == one.counts.bits
    for k in range(order):
        assert _same(pruned.counts.keys[k], one.counts.keys[k]) and _same(pruned.counts.counts[k], one.counts.counts[k])
    for k in range(1, order + 1):
        left, right = pruned.entropy[k]
        assert _same(left, one.entropy[k][0]) and _same(right, one.entropy[k][1])


def test_slices_laid_end_to_end_are_the_table(sample_path):
    table = count_shard(str(sample_path("story.txt")), CountingOptions(jobs=1).config(5), "utf-8").counts
    units = int(table.keys[0][-1]) + 1
    parts = [table_slice(table, lo, hi) for lo, hi in cut_ranges(np.ones(units, np.int64), 4)]
    assert len(parts) == 4
    whole = concatenate(parts)
    for k in range(table.max_order):
        assert _same(whole.keys[k], table.keys[k]) and _same(whole.counts[k], table.counts[k])


def test_ranges_cover_every_unit_once_and_never_exceed_the_number_asked():
    for weight in (np.zeros(5, np.int64), np.array([100, 0, 0, 1]), np.arange(50)):
        for ranges in (1, 2, 3, 9):
            bounds = cut_ranges(weight, ranges)
            assert bounds[0][0] == 0 and bounds[-1][1] == len(weight) and len(bounds) <= ranges
            assert all(a[1] == b[0] and a[0] < a[1] for a, b in itertools.pairwise(bounds))


def test_an_empty_slice_is_an_empty_table():
    table = NgramTable.from_ngrams({(1,): 2, (2,): 1, (1, 2): 1})
    assert [len(k) for k in table_slice(table, 5, 9).keys] == [0, 0]


# -- on a local Dask cluster -----------------------------------------------------------------------------


def _cluster_tests():
    pytest.importorskip("distributed", reason="the optional wordmine[dask] extra is not installed")


@pytest.mark.parametrize("extra", [[], ["--min-count", "5", "--order", "5"]])
@pytest.mark.slow
def test_discover_on_two_dask_workers_equals_one_machine(tmp_path, sample_path, extra):
    _cluster_tests()
    shards = [str(sample_path(name)) for name in SHARDS]
    runner = CliRunner()
    single = runner.invoke(cli, ["discover", *shards, *extra, "--jobs", "1", "-q", "-o", f"{tmp_path}/one.tsv"])
    assert single.exit_code == 0, single.output
    on_dask = runner.invoke(cli, ["discover", "--dask", "local:2", *shards, *extra, "-q",
                                  "-o", f"{tmp_path}/dask.tsv"])
    assert on_dask.exit_code == 0, on_dask.output
    assert (tmp_path / "dask.tsv").read_bytes() == (tmp_path / "one.tsv").read_bytes()
    assert len((tmp_path / "one.tsv").read_text().splitlines()) > 100


@pytest.mark.slow
def test_the_api_takes_a_dask_scheduler_and_shard_paths(sample_path):
    _cluster_tests()
    shards = [str(sample_path(name)) for name in SHARDS[:2]]
    text = "".join(sample_path(name).read_text(encoding="utf-8") for name in SHARDS[:2])
    assert wordmine.discover(shards, dask="local:2", top=50) == wordmine.discover([text], jobs=1, top=50)


@pytest.mark.parametrize("inputs, message", [(["-"], "not standard input"), ([], "not standard input")])
def test_discover_dask_needs_named_text_files(inputs, message):
    _cluster_tests()
    result = CliRunner().invoke(cli, ["discover", "--dask", "local:2", *inputs], input="天地")
    assert result.exit_code == 2 and message in result.output


def test_discover_dask_refuses_a_count_file(tmp_path, sample_path):
    _cluster_tests()
    runner = CliRunner()
    assert runner.invoke(cli, ["count", str(sample_path("story.txt")), "-q", "-o", f"{tmp_path}/s.wmc"]).exit_code == 0
    result = runner.invoke(cli, ["discover", "--dask", "local:2", f"{tmp_path}/s.wmc"])
    assert result.exit_code == 2 and "count files" in result.output


def test_a_malformed_local_cluster_is_a_usage_error_for_discover(sample_path):
    result = CliRunner().invoke(cli, ["discover", "--dask", "local:0", str(sample_path("story.txt"))])
    assert result.exit_code == 2 and "local:N" in result.output


def test_a_shard_stream_is_as_wide_as_the_shared_ids_not_the_shards_vocabulary(sample_path):
    corpus = count_shard(str(sample_path("story.txt")), CountingOptions(jobs=1).config(1), "utf-8")
    id_map = np.arange(len(corpus.vocab), dtype=np.int64) + (1 << 16)  # units 65,536 and up elsewhere
    id_map[0] = 0
    stream = renumbered_stream(corpus, id_map)
    assert stream.dtype == np.uint32 and np.array_equal(stream, id_map[corpus.stream.to_array()])
