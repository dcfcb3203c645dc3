"""Counting shards on a real (local) Dask cluster gives the single-process count file."""

import pytest
from click.testing import CliRunner

from wordmine.cli import cli

pytest.importorskip("distributed", reason="the optional wordmine[dask] extra is not installed")


def test_four_shards_on_two_dask_workers_equal_one_process(tmp_path, sample_path):
    shards = [str(sample_path(name)) for name in ("story.txt", "technical.txt", "everyday.txt", "story.txt")]
    runner = CliRunner()
    single = runner.invoke(cli, ["count", *shards, "--jobs", "1", "-q", "-o", f"{tmp_path}/single.wmc"])
    assert single.exit_code == 0, single.output
    on_dask = runner.invoke(cli, ["count", "--dask", "local:2", *shards, "-q", "-o", f"{tmp_path}/dask.wmc"])
    assert on_dask.exit_code == 0, on_dask.output
    assert (tmp_path / "dask.wmc").read_bytes() == (tmp_path / "single.wmc").read_bytes()


@pytest.mark.parametrize("spec", ["local:0", "local:two"])
def test_a_malformed_local_cluster_is_a_usage_error(tmp_path, sample_path, spec):
    result = CliRunner().invoke(cli, ["count", "--dask", spec, str(sample_path("story.txt")),
                                      "-o", f"{tmp_path}/x.wmc"])
    assert result.exit_code == 2 and "local:N" in result.output
    assert not (tmp_path / "x.wmc").exists()


def test_dask_needs_named_files():
    result = CliRunner().invoke(cli, ["count", "--dask", "local:2", "-", "-o", "x.wmc"], input="天地")
    assert result.exit_code == 2 and "not standard input" in result.output
