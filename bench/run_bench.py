"""wordmine benchmark: discovery precision, speed and peak memory, contrast, segmentation, jieba, scale.

    python bench/run_bench.py [--data ../shared/data] [--skip-scale] [--only SECTION ...]
                              [--json .bench_cache/bench.json] [--python PATH] [--cache-dir DIR]

Each section is a module of ``bench/sections/`` (the order is ``sections.ORDER``)
returning tables of records, one per row, each with the exact command it ran.
All of them go to one JSON file (``--json``), and the same tables are printed
as markdown on stdout, progress on stderr; ``python bench/render.py JSON``
prints them again, and ``--page docs/benchmarks.md`` rewrites that page's block.

wordmine is run as a subprocess (``PATH -m wordmine ...``, working directory
the repository root), and so is the plain-Python ``collections.Counter``
baseline. Absent data files give skipped rows. A failed command gives a row
saying "failed: <how it ended and its last line on stderr>"; the other rows
still run, and the exit status is 1 when a wordmine command failed.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import platform
import subprocess
import sys
import traceback
from pathlib import Path

from common import REPO, Bench, Table, log
from render import machine_free, markdown_table, section_body
from sections import ORDER


def machine_info(python: str) -> dict[str, str]:
    info: dict[str, str] = {}
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = os.cpu_count()
    info["nproc"] = f"{affinity}"
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            info["cpu"] = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            for line in meminfo:
                if line.startswith(("MemTotal:", "MemAvailable:")):
                    name, kib = line.split()[:2]
                    info[name.rstrip(":")] = f"{int(kib) / 2**20:.1f} GiB"
    except (OSError, StopIteration):
        pass
    probe = "import platform, numpy; print(platform.python_version()); print(numpy.__version__)"
    out = subprocess.run([python, "-c", probe], capture_output=True, check=False, text=True, cwd=REPO).stdout.split()
    info["python"], info["numpy"] = (out + ["?", "?"])[:2]
    info["interpreter"] = python
    info["platform"] = platform.platform()
    git = ["git", "-C", str(REPO)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True,
                           check=False)
    info["wordmine commit"] = head.stdout.strip() + (" + uncommitted changes" if dirty.stdout.strip() else "")
    info["date"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    info["load average"] = load_average()
    return info


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on a shared machine slows every timing."""
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(REPO / ".." / "shared" / "data"),
                    help="folder of benchmark data (default: ../shared/data from the repository root)")
    ap.add_argument("--skip-scale", action="store_true", help="skip the 100 MB and 1 GB rows")
    ap.add_argument("--only", nargs="+", default=ORDER, choices=ORDER, metavar="SECTION",
                    help=f"run only these sections ({', '.join(ORDER)})")
    ap.add_argument("--json", default=None, help="where the records go (default: CACHE/bench.json)")
    ap.add_argument("--python", default=sys.executable,
                    help="interpreter that runs wordmine and the baseline (default: this one)")
    ap.add_argument("--cache-dir", default=str(REPO / ".bench_cache"),
                    help="where outputs and the 100 MB and 1 GB files go (default: .bench_cache)")
    ap.add_argument("--timeout", type=float, default=None, help="kill any single measured command after this many s")
    return ap.parse_args(argv)


def run_section(bench: Bench, name: str) -> dict:
    """One section's tables as JSON; a section that raises becomes one failed row (the others still run)."""
    module = importlib.import_module(f"sections.{name}")
    try:
        tables = module.run(bench)
    except Exception as exc:  # noqa: BLE001 - a bug in one section must not lose the others' figures
        log(f"section {name} raised:\n{traceback.format_exc()}")
        bench.failures.append((f"section {name}", f"{type(exc).__name__}: {exc}"))
        tables = [Table(module.TITLE, [("section", "section", "")],
                        [{"section": name, "failed": f"{type(exc).__name__}: {exc}"}])]
    return {"name": name, "tables": [t.to_json() for t in tables]}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    python = os.path.abspath(args.python) if os.sep in args.python else args.python
    cache = Path(args.cache_dir).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    json_path = Path(args.json) if args.json else cache / "bench.json"
    bench = Bench(python=python, data=Path(args.data).resolve(), cache=cache, timeout=args.timeout,
                  skip_scale=args.skip_scale)
    log(f"data {bench.data}, cache {cache}, python {python}, json {json_path}")
    report = {"json": str(json_path), "machine": machine_info(python), "data": str(bench.data), "repo": str(REPO),
              "sections": []}
    print("# wordmine benchmark\n", flush=True)
    print(markdown_table({"columns": [["machine", "k", ""], ["", "v", ""]],
                          "records": [{"k": k, "v": v} for k, v in report["machine"].items()]}) + "\n", flush=True)
    for name in [n for n in ORDER if n in args.only]:
        section = run_section(bench, name)
        report["sections"].append(section)
        print(machine_free(section_body({"sections": [section]}, "##"), report), flush=True)
        # Written after every section, so an interrupted run keeps what it measured.
        report["commands"], report["failures"] = bench.commands, bench.failures
        report["machine"]["load average at end"] = load_average()
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if bench.failures:
        print("## Failures\n\n" + "\n".join(f"- {label}: {why}" for label, why in bench.failures) + "\n")
    print("Commands run (working directory: repository root):\n\n" + "\n".join(f"    {c}" for c in bench.commands))
    log(f"records written to {json_path}")
    return 1 if bench.failures else 0


if __name__ == "__main__":
    sys.exit(main())
