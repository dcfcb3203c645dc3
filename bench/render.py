"""Markdown tables from the benchmark's JSON, and the README's benchmark section from them.

    python bench/render.py .bench_cache/bench.json              # the tables, as `make bench` prints them
    python bench/render.py .bench_cache/bench.json --readme README.md   # rewrite the README's section

The README's generated part lies between the lines ``<!-- bench:start -->``
and ``<!-- bench:end -->``; everything outside them is left as it is.

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
import sys
from pathlib import Path

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


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
    where = Path(report.get("json", "bench.json"))
    repo = Path(__file__).resolve().parent.parent
    where = where.relative_to(repo) if where.is_relative_to(repo) else where.name
    return (f"The figures below are from one `make bench` run (`{where}`, commit {m.get('wordmine commit', '?')}, "
            f"{m.get('date', '?')}) on {m.get('nproc', '?')} cores ({m.get('cpu', '?')}), "
            f"{m.get('MemTotal', '?')}, Python {m.get('python', '?')}, numpy {m.get('numpy', '?')}; load average "
            f"(1 / 5 / 15 min) {m.get('load average', '?')} at the start, {m.get('load average at end', '?')} "
            "at the end.")


def readme_block(report: dict) -> str:
    return "\n".join([START, "", machine_line(report), "", section_body(report).rstrip(), "", END])


def replace_block(readme: str, block: str) -> str:
    """The README with the text between the markers (markers included) replaced by ``block``.

    >>> replace_block("a\\n<!-- bench:start -->\\nold\\n<!-- bench:end -->\\nb\\n", "NEW")
    'a\\nNEW\\nb\\n'
    """
    start, end = readme.find(START), readme.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"the README has no {START} ... {END} block to replace")
    return readme[:start] + block + readme[end + len(END):]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("json", help="the JSON written by run_bench.py")
    ap.add_argument("--readme", help="rewrite the benchmark block of this README in place")
    args = ap.parse_args(argv)
    report = json.loads(Path(args.json).read_text(encoding="utf-8"))
    if args.readme:
        path = Path(args.readme)
        path.write_text(replace_block(path.read_text(encoding="utf-8"), readme_block(report)), encoding="utf-8")
        print(f"rewrote the benchmark block of {path}", file=sys.stderr)
    else:
        sys.stdout.write(section_body(report, "##"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
