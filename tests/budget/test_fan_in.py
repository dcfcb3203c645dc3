"""More sorted runs than ``runs.FAN_IN``: merged a few at a time, the same bytes, within the open-file limit.

The text is generated and really distinct (random lines over thousands of
characters, each line drawn once), so a tiny budget makes many runs: the count
runs (chunks of 4,096 units through the library), the ranked runs of the
listing and the renamed runs of ``merge`` (64k budgets through the command
line). With FAN_IN set to 2 or 3, each output is compared byte for byte with
the one-pass merge (FAN_IN past the number of runs).
"""

from __future__ import annotations

import resource
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import STORY_PATH, random_lines
from wordmine.cli import cli
from wordmine.config import CountConfig
from wordmine.counting.engine.counter import count_text
from wordmine.counting.files.countfile import write_counts
from wordmine.counting.files.countstream import CountFileWriter
from wordmine.counting.files.filemerge import merge_count_files
from wordmine.counting.reducers import listing as ranking
from wordmine.counting.spill import runs

ONE_PASS = 1 << 30


def distinct_text(seed: int, lines: int, alphabet: int = 2500) -> str:
    """Lines over thousands of characters: nearly every n-gram distinct."""
    return random_lines(seed, lines, alphabet=alphabet)


@pytest.fixture(scope="module")
def text_file(tmp_path_factory) -> Path:
    """Distinct random lines, and a story whose words repeat (so discover has words to find)."""
    path = tmp_path_factory.mktemp("fan") / "text.txt"
    path.write_text(distinct_text(11, 40) + STORY_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    return path


class Widths:
    """Spies on every merge: how many runs each one read at once."""

    def __init__(self, monkeypatch) -> None:
        self.counts: list[int] = []
        self.ranked: list[int] = []
        merge_all, merged_blocks = runs._merge_all, ranking._merged_blocks

        def spy_all(group, *args):
            self.counts.append(len(group))
            return merge_all(group, *args)

        def spy_blocks(group, *args):
            self.ranked.append(len(group))
            return merged_blocks(group, *args)

        monkeypatch.setattr(runs, "_merge_all", spy_all)
        monkeypatch.setattr(ranking, "_merged_blocks", spy_blocks)


def outputs(text_file: Path, folder: Path) -> dict[str, bytes]:
    """What the commands write under a 64k budget: the listing, the count file, discover, merge."""
    def run(*args) -> bytes:
        result = CliRunner().invoke(cli, [str(a) for a in args])
        assert result.exit_code == 0, result.output
        return result.stdout_bytes

    other = folder / "other.txt"
    other.write_text(distinct_text(12, 30, alphabet=4000), encoding="utf-8")
    tiny = ["--memory", "64k", "--jobs", "1", "-q", "--tmp-dir", folder]
    found = {"count": run("count", text_file, *tiny),
             "count --min-count 2": run("count", text_file, *tiny, "--min-count", "2"),
             "discover": run("discover", text_file, *tiny)}
    run("count", text_file, *tiny, "-o", folder / "a.wmc")
    run("count", other, *tiny, "-o", folder / "b.wmc")
    run("merge", folder / "a.wmc", folder / "b.wmc", folder / "a.wmc", "--memory", "64k", "-q", "--tmp-dir", folder,
        "-o", folder / "ab.wmc")
    for name in ("a.wmc", "ab.wmc"):
        found[name] = (folder / name).read_bytes()
        (folder / name).unlink()
    (folder / "b.wmc").unlink()
    other.unlink()
    assert list(folder.iterdir()) == [], "no run is left behind"
    return found


@pytest.fixture(scope="module")
def one_pass(text_file, tmp_path_factory) -> dict[str, bytes]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runs, "FAN_IN", ONE_PASS)
        return outputs(text_file, tmp_path_factory.mktemp("one"))


@pytest.mark.parametrize("fan_in", [2, 3])
@pytest.mark.slow
def test_the_commands_write_the_same_bytes_merging_a_few_runs_at_a_time(text_file, one_pass, tmp_path,
                                                                         monkeypatch, fan_in):
    monkeypatch.setattr(runs, "FAN_IN", fan_in)
    widths = Widths(monkeypatch)
    bounded = outputs(text_file, tmp_path)
    assert bounded.keys() == one_pass.keys()
    for name, expected in one_pass.items():
        assert bounded[name] == expected, name
    assert one_pass["discover"].count(b"\n") > 20 and one_pass["count"].count(b"\n") > 10_000
    # Hundreds of ranked runs and three renamed files or more were there, none merged more than fan_in at once.
    assert len(widths.ranked) > 50 and max(widths.ranked) <= fan_in
    assert len(widths.counts) > 3 and max(widths.counts) <= fan_in


@pytest.mark.parametrize("fan_in", [2, 3])
def test_many_count_runs_merged_a_few_at_a_time_are_the_same_count_file(tmp_path, monkeypatch, fan_in):
    lines = distinct_text(13, 60).splitlines(keepends=True)
    config = CountConfig(order=3, memory=64 << 10, jobs=1, chunk_units=1 << 12)

    def count_file(name: str) -> bytes:
        writer = CountFileWriter(str(tmp_path))
        corpus = count_text(lines, config, reduce=writer)
        writer.finish(str(tmp_path / name), corpus.vocab, corpus.order, corpus.stream)
        writer.close()
        assert corpus.spilled_runs > 3
        return (tmp_path / name).read_bytes()

    monkeypatch.setattr(runs, "FAN_IN", ONE_PASS)
    expected = count_file("one.wmc")
    whole = count_text(lines, CountConfig(order=3, jobs=1))
    write_counts(whole, str(tmp_path / "whole.wmc"))
    assert expected == (tmp_path / "whole.wmc").read_bytes()
    monkeypatch.setattr(runs, "FAN_IN", fan_in)
    widths = Widths(monkeypatch)
    assert count_file("bounded.wmc") == expected
    assert len(widths.counts) > 1 and max(widths.counts) <= fan_in
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bounded.wmc", "one.wmc", "whole.wmc"]


def test_merging_more_count_files_than_fan_in(tmp_path, monkeypatch):
    paths = []
    for seed in range(5):
        paths.append(str(tmp_path / f"{seed}.wmc"))
        write_counts(count_text([distinct_text(seed, 3, alphabet=300 + 500 * seed)], CountConfig(order=2, jobs=1)),
                     paths[-1])
    monkeypatch.setattr(runs, "FAN_IN", ONE_PASS)
    merge_count_files(paths, str(tmp_path / "one.wmc"), 64 << 10, str(tmp_path))
    monkeypatch.setattr(runs, "FAN_IN", 2)
    widths = Widths(monkeypatch)
    merge_count_files(paths, str(tmp_path / "two.wmc"), 64 << 10, str(tmp_path))
    assert (tmp_path / "two.wmc").read_bytes() == (tmp_path / "one.wmc").read_bytes()
    assert max(widths.counts) == 2 and len(widths.counts) > 3
    assert (tmp_path / "0.wmc").exists(), "the files merged are the user's: never removed"


#: Open files the process may hold: past FAN_IN (64) and what Python, numpy and the CLI hold, far below the runs.
LIMIT = 96


def _limit_open_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (LIMIT, LIMIT))


@pytest.mark.parametrize("command", ["count", "count -o", "discover"])
@pytest.mark.slow
def test_more_runs_than_the_open_file_limit(text_file, tmp_path, run_patched, command):
    args = [*command.split()[:1], text_file, "--memory", "64k", "--jobs", "1", "-q", "--tmp-dir", tmp_path]
    if command == "count -o":
        args += ["-o", tmp_path / "out.wmc"]
    free = run_patched("", *args)
    assert free.returncode == 0, free.stderr
    expected = (tmp_path / "out.wmc").read_bytes() if command == "count -o" else free.stdout
    # The one-pass merge opens a file per ranked run (hundreds): it stops under the limit ...
    if command == "count":
        one_pass = run_patched(f"from wordmine.counting.spill import runs\nruns.FAN_IN = {ONE_PASS}\n", *args,
                               preexec_fn=_limit_open_files)
        assert one_pass.returncode == 1 and b"Too many open files" in one_pass.stderr
    # ... the bounded one does not, and writes the same bytes.
    bounded = run_patched("", *args, preexec_fn=_limit_open_files)
    assert bounded.returncode == 0, bounded.stderr
    got = (tmp_path / "out.wmc").read_bytes() if command == "count -o" else bounded.stdout
    assert got == expected
    assert [p.name for p in tmp_path.iterdir()] == (["out.wmc"] if command == "count -o" else [])
