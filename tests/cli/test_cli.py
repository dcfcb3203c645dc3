"""The command line through click's runner and real processes: every command's help, usage errors,
a count file in place of its text."""

from __future__ import annotations

import pytest

from tests.helpers import invoke


@pytest.mark.parametrize("command", ["count", "discover"])
def test_every_command_has_help_and_the_shared_options(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    for option in ["--quiet", "--encoding", "--output", "--header", "--format", "--top",
                   "--min-count", "--memory"]:
        assert option in result.output


def test_count_file_gives_the_same_discovery_as_the_text(run_wordmine, story, tmp_path):
    wmc = tmp_path / "story.wmc"
    assert run_wordmine("count", story, "-o", wmc, "-q").returncode == 0
    from_counts = run_wordmine("discover", wmc, "--min-count", "20", "-q").stdout
    assert from_counts == run_wordmine("discover", story, "--min-count", "20", "-q").stdout


def test_missing_file_and_bad_option_are_usage_errors(run_wordmine, story):
    assert run_wordmine("discover", "/no/such/file.txt").returncode == 2
    assert run_wordmine("discover", story, "--top", "-3").returncode == 2
    assert run_wordmine("discover", story, "--memory", "lots").returncode == 2
    assert run_wordmine("discover", story, "--format", "xml").returncode == 2
