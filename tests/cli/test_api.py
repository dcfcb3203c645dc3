"""The public API: the README's snippet, and results equal to the command line's, byte for byte."""

from __future__ import annotations

import dataclasses
import io

import pytest
from click.testing import CliRunner

import wordmine
from wordmine.cli import cli
from wordmine.io.tables import LEXICON_COLUMNS, write_rows
from wordmine.mining.contrast import TERM_COLUMNS


def _tsv(rows, columns) -> str:
    out = io.StringIO()
    write_rows((dataclasses.asdict(r) for r in rows), columns, out, "tsv")
    return out.getvalue()


def _cli(*args) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_discover_equals_the_command_line(sample_path):
    words = wordmine.discover(sample_path("story.txt"), top=40, jobs=1)
    assert len(words) == 40
    assert _tsv(words, LEXICON_COLUMNS) == _cli("discover", sample_path("story.txt"), "--top", 40, "-q",
                                               "--jobs", 1)


def test_discover_from_lines_and_from_saved_counts_agree(sample_path, tmp_path):
    with open(sample_path("story.txt"), encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    counts = wordmine.count(lines, jobs=1)
    counts.save(tmp_path / "c.wmc")
    again = wordmine.Counts.load(tmp_path / "c.wmc")
    assert again.total_units == counts.total_units
    assert wordmine.discover(again, top=30) == wordmine.discover(lines, top=30, jobs=1) \
        == wordmine.discover(sample_path("story.txt"), top=30, jobs=1)


def test_count_rows_equal_the_command_line(sample_path):
    rows = wordmine.count(sample_path("story.txt"), order=2, jobs=1).ngrams(min_count=5, top=60)
    expected = "".join(f"{ngram}\t{order}\t{n}\n" for ngram, order, n in rows)
    assert expected == _cli("count", sample_path("story.txt"), "--order", 2, "--min-count", 5, "--top", 60, "-q")


def test_merge_equals_counting_the_concatenation(sample_path):
    a, b = sample_path("story.txt"), sample_path("everyday.txt")
    merged = wordmine.merge([wordmine.count(a, jobs=1), wordmine.count(b, jobs=1)])
    lines = []
    for path in (a, b):
        with open(path, encoding="utf-8") as handle:
            lines += handle.readlines()
    both = wordmine.count(lines, jobs=1)
    assert merged.total_units == both.total_units
    assert wordmine.discover(merged, top=50) == wordmine.discover(both, top=50)


def test_contrast_equals_the_command_line(sample_path):
    terms = wordmine.contrast(sample_path("technical.txt"), [sample_path("everyday.txt")], top=25, jobs=1)
    assert _tsv(terms, TERM_COLUMNS) == _cli("contrast", sample_path("technical.txt"),
                                            sample_path("everyday.txt"), "--top", 25, "-q", "--jobs", 1)
    assert all(isinstance(t.general_count, int) for t in terms)


def test_segmenter_equals_the_command_line_and_round_trips(sample_path, tmp_path):
    model = wordmine.learn(sample_path("story.txt"), jobs=1)
    model.save(tmp_path / "m.wmm")
    with open(sample_path("story.txt"), encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    ours = list(wordmine.load(tmp_path / "m.wmm").segment(lines))
    assert "\n".join(ours) + "\n" == _cli("segment", "--model", tmp_path / "m.wmm", sample_path("story.txt"),
                                          "--jobs", 1)
    assert [w for line in ours for w in line.split()] == [w for line in lines for w in model.cut(line)]
    assert [line.replace(" ", "") for line in ours] == ["".join(line.split()) for line in lines]


def test_evaluate_with_known_words():
    score = wordmine.evaluate(["我 爱 北京", "天安门"], ["我爱 北京", "天安门"], words=["北京", "我"])
    assert (score.precision, score.recall) == (2 / 3, 2 / 4)
    assert score.oov_words == 2 and score.oov_recall == 0.5


def test_classic_has_no_model_to_save(sample_path, tmp_path):
    classic = wordmine.learn(sample_path("story.txt"), method="classic", jobs=1)
    assert classic.cut("他们走进了山谷")  # a path through jieba's graph over the discovered words
    with pytest.raises(ValueError, match="no model to save"):
        classic.save(tmp_path / "x.wmm")


def test_result_rows_make_a_data_frame(sample_path):
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(wordmine.discover(sample_path("story.txt"), top=5, jobs=1))
    assert list(frame.columns) == LEXICON_COLUMNS and len(frame) == 5


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and result.stdout.startswith(f"Usage: cli {name}")
    assert "see above" not in result.stdout


def test_the_help_walk_covers_all_eight_commands():
    assert sorted(cli.commands) == ["contrast", "count", "discover", "eval", "info", "learn", "merge", "segment"]
