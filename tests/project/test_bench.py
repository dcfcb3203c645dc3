"""The benchmark harness: records to JSON, JSON to the tables of docs/benchmarks.md, failures as rows (no data needed)."""

import json
import subprocess
import sys

import pytest

from tests.helpers import REPO

BENCH = REPO / "bench"
sys.path.insert(0, str(BENCH))

from common import Bench
from render import END, START, markdown_table, page_block, replace_block
from sections.script import script_section


def test_a_failed_or_skipped_record_keeps_its_labels_and_says_why():
    table = {"columns": [["set", "set", ""], ["method", "method", ""], ["F1", "f1", ".3f"], ["s", "seconds", ".2f"]],
             "labels": 2, "records": [{"set": "a", "method": "m", "f1": 0.8, "seconds": 1.234},
                                      {"set": "a", "method": "n", "failed": "eval exit 1: line 3 differs"},
                                      {"set": "b", "skipped": "skipped (b.txt not found)"}]}
    assert markdown_table(table).splitlines()[2:] == [
        "| a | m | 0.800 | 1.23 |",
        "| a | n | failed: eval exit 1: line 3 differs |  |",
        "| b |  | skipped (b.txt not found) |  |",
    ]


def test_the_page_block_is_replaced_between_its_markers_only():
    report = {"machine": {"nproc": "2"}, "sections": [{"name": "x", "tables": [
        {"title": "T", "columns": [["k", "k", ""]], "records": [{"k": "v"}], "notes": ["A note."]}]}]}
    readme = f"# R\n\n## Benchmark\n\nkept\n\n{START}\nold table\n{END}\n\n## After\n"
    out = replace_block(readme, page_block(report))
    assert out.startswith("# R\n\n## Benchmark\n\nkept\n\n" + START) and out.endswith(END + "\n\n## After\n")
    assert "old table" not in out and "## T\n\n| k |\n|---|\n| v |\n\nA note." in out
    with pytest.raises(SystemExit, match="no <!-- bench:start -->"):
        replace_block("no markers\n", "x")


def test_a_failing_eval_is_one_line_not_a_crash(tmp_path):
    gold, predicted = tmp_path / "gold.txt", tmp_path / "pred.txt"
    gold.write_text("我 爱 北京\n", encoding="utf-8")
    predicted.write_text("我 爱 上海\n", encoding="utf-8")
    bench = Bench(python=sys.executable, data=tmp_path, cache=tmp_path)
    why = bench.eval_figures(gold, predicted)
    assert isinstance(why, str) and why.startswith("eval exit 1: ") and "\n" not in why
    assert bench.failures == [("eval pred.txt", why)]


def test_a_script_section_takes_the_records_the_script_writes(tmp_path):
    script = tmp_path / "fake_bench.py"
    script.write_text(
        "import json, sys\n"
        "args = dict(zip(sys.argv[1::2], sys.argv[2::2]))\n"
        "if 'fail' in args['--data']: sys.exit('no corpus here')\n"
        "json.dump([{'set': 'a', 'f1': 0.81234}], open(args['--json'], 'w'))\n", encoding="utf-8")
    run = script_section("Fake", str(script))
    tables = run(Bench(python=sys.executable, data=tmp_path, cache=tmp_path))
    assert [(t.title, t.records[0]["set"], t.records[0]["f1"]) for t in tables] == [("Fake", "a", 0.81234)]
    assert "fake_bench.py --data" in tables[0].records[0]["command"]
    assert markdown_table(tables[0].to_json()).splitlines()[2] == "| a | 0.812 |"
    failed = run(Bench(python=sys.executable, data=tmp_path / "fail", cache=tmp_path))[0].records[0]
    assert failed["failed"] == "exit 1: no corpus here"


def test_without_data_every_section_skips_and_the_json_says_so(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(BENCH / "run_bench.py"), "--data", str(tmp_path / "none"),
                           "--only", "precision", "contrast", "segment", "jieba", "--skip-scale",
                           "--cache-dir", str(tmp_path / "cache"), "--json", str(out)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [s["name"] for s in report["sections"]] == ["precision", "contrast", "segment", "jieba"]
    records = [r for s in report["sections"] for t in s["tables"] for r in t["records"]]
    assert len(records) == 1 + 2 + 4 + 4 and all(r["skipped"].startswith("skipped (") for r in records)
    assert "| pd1998 |  | skipped (pd1998/gold.txt not found) |" in proc.stdout
    rendered = subprocess.run([sys.executable, str(BENCH / "render.py"), str(out)], capture_output=True, text=True,
                              check=True).stdout
    assert rendered in proc.stdout
