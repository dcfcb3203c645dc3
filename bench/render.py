"""Markdown tables from the benchmark's JSON, and the page docs/benchmarks.md from them.

    python bench/render.py .bench_cache/bench.json              # the tables, as `make bench` prints them
    python bench/render.py .bench_cache/bench.json --page docs/benchmarks.md   # rewrite the page's block
    python bench/render.py .bench_cache/bench.json --readme README.md          # and the README's small table

The page's generated part lies between the lines ``<!-- bench:start -->``
and ``<!-- bench:end -->``; everything outside them is left as it is.

What it prints names no folder of the machine that ran the bench: a path under
the repository is written relative to it, one under the data folder relative
to that, and any other absolute path by its file name::

    >>> report = {"repo": "/home/me/wordmine", "data": "/srv/data"}
    >>> machine_free("/srv/data/laws/laws.txt -o /home/me/wordmine/.bench_cache/x.wmm /tmp/a b/c", report)
    'laws/laws.txt -o .bench_cache/x.wmm a b/c'

A record's figure is formatted by its column's spec; a record with ``failed``
or ``skipped`` shows that text after its label columns instead::

    >>> table = {"title": "T", "columns": [["measure", "measure", ""], ["F1", "f1", ".3f"]], "labels": 1,
    ...          "records": [{"measure": "a", "f1": 0.81234}, {"measure": "b", "failed": "exit 1: bad line 3"}],
    ...          "notes": []}
    >>> print(markdown_table(table))
    | measure | F1 |
    |---|---|
    | a | 0.812 |
    | b | failed: exit 1: bad line 3 |
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
REPO = Path(__file__).resolve().parent.parent
_ABSOLUTE = re.compile(r"(?<![\w.~])/(?:[^\s|/`'\"()]+/)+([^\s|/`'\"()]*)")


def machine_free(text: str, report: dict) -> str:
    """``text`` with the paths of the machine that ran the bench made relative (see the module doc)."""
    for key, default in (("data", None), ("repo", str(REPO))):
        root = report.get(key, default)
        if root:
            text = text.replace(root.rstrip("/") + "/", "")
    return _ABSOLUTE.sub(lambda m: m.group(1), text)


def cell(value, spec: str) -> str:
    if value is None:
        return ""
    if spec and isinstance(value, (int, float)) and not isinstance(value, bool):
        return format(value, spec)
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(table: dict) -> str:
    columns = table["columns"]
    lines = ["| " + " | ".join(c[0] for c in columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    for record in table["records"]:
        cells = [cell(record.get(key), spec) for _, key, spec in columns]
        for status in ("failed", "skipped"):
            if record.get(status):
                text = record[status] if status == "skipped" else f"failed: {record[status]}"
                cells = cells[: table.get("labels", 1)] + [cell(text, "")]
                cells += [""] * (len(columns) - len(cells))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def section_body(report: dict, heading: str = "###") -> str:
    """Every table of the report with its title and notes, in run order."""
    out = []
    for section in report["sections"]:
        for table in section["tables"]:
            out += [f"{heading} {table['title']}", "", markdown_table(table), ""]
            for note in table.get("notes", []):
                out += [note, ""]
    return "\n".join(out).rstrip() + "\n"


def machine_line(report: dict) -> str:
    m = report.get("machine", {})
    where = machine_free(report.get("json", "bench.json"), report)
    return (f"The figures below are from one `make bench` run (`{where}`, commit {m.get('wordmine commit', '?')}, "
            f"{m.get('date', '?')}) on {m.get('nproc', '?')} cores ({m.get('cpu', '?')}), "
            f"{m.get('MemTotal', '?')}, Python {m.get('python', '?')}, numpy {m.get('numpy', '?')}; load average "
            f"(1 / 5 / 15 min) {m.get('load average', '?')} at the start, {m.get('load average at end', '?')} "
            "at the end. Paths under the data folder (`make bench DATA=...`) are relative to it, others to "
            "the repository.")


def page_block(report: dict) -> str:
    body = machine_free(section_body(report, "##").rstrip(), report)
    return "\n".join([START, "", machine_line(report), "", body, "", END])


def replace_block(page: str, block: str, markers: tuple[str, str] = (START, END)) -> str:
    """The page with the text between the markers (markers included) replaced by ``block``.

    >>> replace_block("a\\n<!-- bench:start -->\\nold\\n<!-- bench:end -->\\nb\\n", "NEW")
    'a\\nNEW\\nb\\n'
    """
    start, end = page.find(markers[0]), page.find(markers[1])
    if start < 0 or end < start:
        raise SystemExit(f"the page has no {markers[0]} ... {markers[1]} block to replace")
    return page[:start] + block + page[end + len(markers[1]):]


OWN_TEXT = ("<!-- bench:own-text:start -->", "<!-- bench:own-text:end -->")
OWN_TEXT_TITLE = "Segmenting your own text"


def own_text_table(report: dict) -> str | None:
    """The F1 of each method on each gold set, from the "your own text" section, one row a set.

    The README shows this small table; docs/benchmarks.md has the section whole::

        >>> records = [{"set": "s", "method": "jieba", "f1": 0.8}, {"set": "s", "method": "crf", "f1": 0.85},
        ...            {"set": "s", "method": "crf: speed", "mb_per_s": 6.0}]
        >>> report = {"sections": [{"tables": [{"title": "Segmenting your own text: x", "records": records}]}],
        ...           "machine": {"wordmine commit": "abc1234"}}
        >>> print(own_text_table(report))
        | set | jieba | crf |
        |---|---|---|
        | s | 0.800 | 0.850 |
        <BLANKLINE>
        F1 from one run of the benchmark's "Segmenting your own text" section (bench/run_bench.py), commit abc1234.
    """
    tables = [t for section in report["sections"] for t in section["tables"]
              if t["title"].startswith(OWN_TEXT_TITLE)]
    scored = [r for t in tables for r in t["records"] if isinstance(r.get("f1"), (int, float))]
    if not scored:
        return None
    methods = list(dict.fromkeys(r["method"] for r in scored))
    sets = list(dict.fromkeys(r["set"] for r in scored))
    f1 = {(r["set"], r["method"]): r["f1"] for r in scored}
    lines = ["| set | " + " | ".join(methods) + " |", "|" + "---|" * (len(methods) + 1)]
    lines += ["| " + " | ".join([name] + [cell(f1.get((name, m)), ".3f") for m in methods]) + " |" for name in sets]
    commit = report.get("machine", {}).get("wordmine commit", "?")
    source = f"F1 from one run of the benchmark's \"Segmenting your own text\" section (bench/run_bench.py), commit {commit}."
    return "\n".join([*lines, "", source])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("json", help="the JSON written by run_bench.py")
    ap.add_argument("--page", help="rewrite the benchmark block of this page (docs/benchmarks.md) in place")
    ap.add_argument("--readme", help="rewrite the your-own-text table of this page (README.md) in place, when the "
                    "run has that section")
    args = ap.parse_args(argv)
    report = json.loads(Path(args.json).read_text(encoding="utf-8"))
    if args.page:
        path = Path(args.page)
        path.write_text(replace_block(path.read_text(encoding="utf-8"), page_block(report)), encoding="utf-8")
        print(f"rewrote the benchmark block of {path}", file=sys.stderr)
    if args.readme:
        table = own_text_table(report)
        if table is not None:
            path = Path(args.readme)
            block = "\n".join([OWN_TEXT[0], table, OWN_TEXT[1]])
            path.write_text(replace_block(path.read_text(encoding="utf-8"), block, OWN_TEXT), encoding="utf-8")
            print(f"rewrote the your-own-text table of {path}", file=sys.stderr)
    if not (args.page or args.readme):
        sys.stdout.write(machine_free(section_body(report, "##"), report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
