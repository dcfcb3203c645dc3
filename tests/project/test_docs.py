"""The documentation stays true: the CLI page matches --help, every page is linked, the README is short."""

from __future__ import annotations

import ast
import importlib.util
import re

from tests.helpers import REPO

DOCS = REPO / "docs"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_cli", DOCS / "gen_cli.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_cli_page_is_what_help_says():
    committed = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert committed == _generator().render(), "docs/cli.md is stale: run `make docs`"


def test_the_cli_page_has_every_command():
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in ("count", "merge", "discover", "contrast", "learn", "segment", "eval"):
        assert f"## `wordmine {name}`" in page
        assert f"Usage: wordmine {name} [OPTIONS]" in page


def test_the_readme_is_at_most_250_lines():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 250, f"README.md has {len(lines)} lines"


def test_every_docs_page_but_the_notes_is_linked_from_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\((docs/[^)#\s]+)", readme))
    pages = {p.relative_to(REPO).as_posix() for p in DOCS.rglob("*.md") if "notes" not in p.relative_to(DOCS).parts}
    assert pages, "no pages under docs/"
    assert pages - linked == set()


def test_every_relative_link_of_the_docs_resolves():
    for page in [REPO / "README.md", *DOCS.rglob("*.md")]:
        for target in re.findall(r"\]\(([^)#\s]+)", page.read_text(encoding="utf-8")):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.relative_to(REPO)} links to missing {target}"


def test_no_page_names_a_folder_of_the_machine_that_wrote_it():
    for page in [REPO / "README.md", *DOCS.rglob("*.md")]:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w.])/(work|home|Users|root)/", text), page.relative_to(REPO)


def _render():
    spec = importlib.util.spec_from_file_location("render", REPO / "bench" / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_page_names_no_folder_of_the_machine_that_ran_it():
    render = _render()
    report = {"json": "/srv/ci/wordmine/.bench_cache/bench.json", "repo": "/srv/ci/wordmine", "data": "/mnt/corpora",
              "machine": {"wordmine commit": "abc1234"}, "sections": [{"name": "m", "tables": [{
                  "title": "Memory", "columns": [["label", "label", ""], ["output", "output", ""]], "labels": 1,
                  "records": [{"label": "contrast --memory 1G /mnt/corpora/laws/laws.txt",
                               "output": "/srv/ci/wordmine/.bench_cache/out/a.out"},
                              {"label": "learn -o /tmp/x/learn.wmm", "output": "/var/tmp/b.out"}],
                  "notes": ["Read from /mnt/corpora/pd1998/raw.txt."]}]}]}
    block = render.page_block(report)
    assert "contrast --memory 1G laws/laws.txt | .bench_cache/out/a.out" in block
    assert "learn -o learn.wmm | b.out" in block and "Read from pd1998/raw.txt." in block
    assert "`.bench_cache/bench.json`, commit abc1234" in block
    assert not re.search(r"/(srv|mnt|tmp|var)/", block)
    page = (DOCS / "benchmarks.md").read_text(encoding="utf-8")
    assert page.count(render.START) == 1 and page.count(render.END) == 1


def test_every_test_the_reliability_page_names_exists():
    # A row's test cell names `folder/test_file.py::test_name` (below tests/), `::test_name` for the file named
    # before it, or a whole file; each must be there, so that moving or renaming a test updates the page.
    page = (DOCS / "reliability.md").read_text(encoding="utf-8")
    cells = [line.rsplit(" | ", 1)[-1] for line in page.splitlines() if line.startswith("| ") and "`" in line]
    named = 0
    for cell in cells:
        current = None
        for ref in re.findall(r"`((?:[\w/]+\.py)?(?:::\w+)?)`", cell):
            path, _, name = ref.partition("::")
            if path:
                current = REPO / path if path.startswith("tests/") else REPO / "tests" / path
            assert current is not None and current.is_file(), f"docs/reliability.md names a missing {ref}"
            if name:
                tree = ast.parse(current.read_text(encoding="utf-8"))
                defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
                assert name in defined, f"docs/reliability.md names {name}, not in {current.relative_to(REPO)}"
            named += 1
    assert named > 40
