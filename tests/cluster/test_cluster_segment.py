"""Segmenting shards on a (local) Dask cluster writes what one process writes, in the same order."""

from __future__ import annotations

import importlib.util
import pathlib

import pytest
from click.testing import CliRunner

import wordmine
from wordmine.cli import cli
from wordmine.errors import OptionError, WordmineError
from wordmine.segmentation.cluster import part_name, segment_shard

needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="the optional wordmine[dask] extra is not installed")


@pytest.fixture(scope="module")
def model_path(tmp_path_factory, samples) -> str:
    path = str(tmp_path_factory.mktemp("model") / "story.wmm")
    wordmine.learn(str(samples / "story.txt")).save(path)  # the default method, crf
    return path


@pytest.fixture
def shards(tmp_path, sample_path) -> list[str]:
    """Four shards: two samples, one without a final line break, one empty; then a sample again."""
    tail = tmp_path / "no_final_break.txt"
    tail.write_text("黑猫喜欢鱼，白狗讨厌鱼\n黑猫讨厌白狗", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    return [str(sample_path("story.txt")), str(tail), str(empty), str(sample_path("technical.txt")),
            str(sample_path("story.txt"))]


def _segment(*args: str) -> str:
    result = CliRunner().invoke(cli, ["segment", "-q", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.slow
@needs_dask
def test_shards_on_two_workers_give_the_bytes_of_one_process(tmp_path, model_path, shards):
    single = _segment("--model", model_path, "--jobs", "1", *shards)
    assert _segment("--model", model_path, "--dask", "local:2", *shards) == single  # to stdout
    out = tmp_path / "out.txt"
    _segment("--model", model_path, "--dask", "local:2", *shards, "-o", str(out))  # to -o, atomically
    assert out.read_bytes() == single.encode("utf-8")
    assert single.count("\n") == sum(len(pathlib.Path(s).read_text(encoding="utf-8").splitlines()) for s in shards)


@pytest.mark.slow
@needs_dask
def test_the_api_on_dask_takes_a_segmenter_or_a_lexicon(tmp_path, model_path, shards):
    files = wordmine.Files(tuple(shards[:2]))
    segmenter = wordmine.load(model_path)
    assert "".join(wordmine.segment(files, model=segmenter, dask="local:2")) == "".join(
        wordmine.segment(files, model=segmenter))
    lexicon = tmp_path / "words.txt"
    lexicon.write_text("黑猫\t5\n讨厌\t3\n", encoding="utf-8")
    assert "".join(wordmine.segment(files, lexicon=str(lexicon), dask="local:2")) == "".join(
        wordmine.segment(files, lexicon=str(lexicon)))


@pytest.mark.slow
@needs_dask
def test_an_undecodable_shard_is_one_line_and_no_output(tmp_path, model_path, sample_path, run_wordmine):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("天地".encode() + b"\xff" + "人\n".encode())
    out = tmp_path / "out.txt"
    result = run_wordmine("segment", "--model", model_path, "--dask", "local:2", sample_path("story.txt"), bad,
                          "-o", out)
    assert result.returncode == 1
    assert result.stderr.decode() == (f"wordmine: error: {bad}: cannot decode byte 0xff at offset 6 as utf-8; give "
                                      "--errors replace or --errors skip to replace or drop the undecodable bytes, "
                                      "or the right --encoding\n")
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt"]
    replaced = _segment("--model", model_path, "--dask", "local:2", "--errors", "replace", str(bad))
    assert replaced == _segment("--model", model_path, "--errors", "replace", str(bad))


@pytest.mark.parametrize("args, message", [
    (["--dask", "local:2", "STORY"], "--dask segments with a model: give --model FILE"),
    (["--dask", "local:2", "--model", "MODEL", "-"], "not standard input"),
    (["--dask", "local:0", "--model", "MODEL", "STORY"], "local:N"),
])
def test_what_dask_cannot_segment_is_a_usage_error(model_path, sample_path, args, message):
    args = [model_path if a == "MODEL" else str(sample_path("story.txt")) if a == "STORY" else a for a in args]
    result = CliRunner().invoke(cli, ["segment", *args], input="天地\n")
    assert result.exit_code == 2 and message in result.output, result.output


def test_the_api_refuses_dask_without_a_model(sample_path):
    with pytest.raises(OptionError, match="--dask segments with a model"):
        wordmine.segment(str(sample_path("story.txt")), dask="local:2")


# The task itself, run in this process: no cluster needed.

def test_a_shard_task_writes_the_part_one_process_writes(tmp_path, model_path, sample_path):
    segmenter = wordmine.load(model_path)
    story = str(sample_path("story.txt"))
    part = part_name(str(tmp_path), 3)
    assert segment_shard(segmenter, story, "utf-8", "strict", part) == 0
    with open(part, encoding="utf-8", newline="") as handle:
        assert handle.read() == "".join(wordmine.segment(story, model=segmenter))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["000003.txt"]  # no partial file left


def test_a_shard_task_counts_the_bytes_it_replaced(tmp_path, model_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xfe" + "天地".encode() + b"\xff\xff\n")
    assert segment_shard(wordmine.load(model_path), str(bad), "utf-8", "replace", str(tmp_path / "p.txt")) == 3


def test_a_worker_that_cannot_write_its_part_says_where(tmp_path, model_path, sample_path):
    nowhere = str(tmp_path / "missing" / "000000.txt")
    with pytest.raises(WordmineError, match=r"cannot write its part of the output in .*missing "
                       r"\(No such file or directory\): give a --tmp-dir that every worker can write"):
        segment_shard(wordmine.load(model_path), str(sample_path("story.txt")), "utf-8", "strict", nowhere)


def test_the_spark_recipe_gives_the_output_of_one_process(model_path, sample_path):
    """docs/big-corpora.md's segment_partition, over lines split into partitions as textFile splits them."""

    def segment_partition(lines):
        model = wordmine.load(model_path)
        yield from model.segment(lines)

    story = str(sample_path("story.txt"))
    with open(story, encoding="utf-8", newline="") as handle:
        lines = handle.read().splitlines()
    partitions = [lines[:7], lines[7:8], [], lines[8:]]
    parts = ["".join(line + "\n" for line in segment_partition(p)) for p in partitions]  # saveAsTextFile's parts
    assert "".join(parts) == "".join(wordmine.segment(story, model=model_path))


@pytest.mark.slow
@needs_dask
def test_a_running_scheduler_is_checked_then_used(tmp_path, model_path, shards):
    import dask
    from distributed import LocalCluster

    files = wordmine.Files(tuple(shards[:2]))
    with dask.config.set({"temporary-directory": str(tmp_path)}), LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=None,
                      scheduler_kwargs={"dashboard": False, "dashboard_address": ":0"},
                      local_directory=str(tmp_path)) as cluster:
        on_cluster = "".join(wordmine.segment(files, model=model_path, dask=cluster.scheduler_address,
                                              tmp_dir=str(tmp_path)))
    assert on_cluster == "".join(wordmine.segment(files, model=model_path))
