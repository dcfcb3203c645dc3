"""Speed and memory on laws.txt (and 100 MB of it): `wordmine count`/`discover` against a Counter baseline."""

from __future__ import annotations

import filecmp
import shlex
from pathlib import Path

from common import BENCH_DIR, Bench, Table, measured, scale_file, warm_cache
from evaluate import read_words

TITLE = "Speed and memory (laws)"
BASELINE_ORDER = 5  # orders 1..5, the same work as `wordmine count --order 4`
MEMORY_BUDGET = "500M"
MEMORY_TARGET_MIB = 800
COLUMNS = [("measure", "measure", ""), ("input", "input", ""), ("MB in", "mb_in", ",.1f"),
           ("seconds", "seconds", ",.2f"), ("MB/s", "mb_per_s", ",.2f"), ("peak MB (tree)", "peak_mb", ",.0f"),
           ("ru_maxrss MB", "maxrss_mb", ",.0f"), ("speedup", "speedup", ""), ("check", "check", "")]
DISTINCT_COLUMNS = [("input", "input", ""), ("units", "units", ",d"),
                    *((f"order {n}", f"order{n}", ",d") for n in range(1, BASELINE_ORDER + 1))]


def parse_baseline(path: Path) -> dict[str, int]:
    out = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition("\t")
        if value.strip().isdigit():
            out[key] = int(value)
    return out


def speed_records(bench: Bench, name: str, path: Path, distinct: Table) -> list[dict]:
    mb = path.stat().st_size / 1e6
    tag = name.replace(" ", "_").replace("/", "_")
    warm_cache(path)

    def record(label: str, argv: list[str], res, **extra) -> dict:
        figures = measured(res, mb_per_s=mb / res.seconds if res.ok else None, **extra)
        return {"measure": label, "input": name, "mb_in": mb, "command": shlex.join(argv), **figures}

    argv = [bench.python, str(BENCH_DIR / "counter_baseline.py"), str(path), str(BASELINE_ORDER)]
    base = bench.run(f"baseline {name}", argv, f"baseline_{tag}.out", wordmine=False)
    if base.ok:
        counts = parse_baseline(bench.cache / f"baseline_{tag}.out")
        distinct.records.append({"input": name, "units": counts.get("units", 0), "command": shlex.join(argv),
                                 **{f"order{n}": counts.get(f"order{n}", 0) for n in range(1, BASELINE_ORDER + 1)}})
    records = [record(f"Counter baseline (orders 1-{BASELINE_ORDER})", argv, base)]

    def speedup(res) -> str | None:
        return f"{base.seconds / res.seconds:.1f}x" if base.ok and res.ok else None

    order = ["--order", str(BASELINE_ORDER - 1)]
    wmc = bench.cache / f"count_{tag}.wmc"
    wmc.unlink(missing_ok=True)
    argv = bench.wordmine("count", path, "-o", wmc, *order, "--quiet")
    res = bench.run(f"count {name}", argv)
    check = (f"{wmc.stat().st_size / 1e6:.1f} MB .wmc" if wmc.is_file() else "no output file!") if res.ok else None
    records.append(record(f"wordmine count {' '.join(order)}", argv, res, speedup=speedup(res), check=check))
    count_ok = res.ok and wmc.is_file()

    bounded = bench.cache / f"count_{tag}.mem{MEMORY_BUDGET}.wmc"
    bounded.unlink(missing_ok=True)
    argv = bench.wordmine("count", path, "-o", bounded, *order, "--memory", MEMORY_BUDGET, "--quiet")
    res = bench.run(f"count --memory {MEMORY_BUDGET} {name}", argv)
    check = None
    if res.ok:
        if not bounded.is_file():
            check = "no output file!"
        elif count_ok:
            check = "identical" if filecmp.cmp(wmc, bounded, shallow=False) else "DIFFERENT"
        else:
            check = "(no unbounded output to compare)"
        # The target for a 500M budget: the whole process tree stays under about 0.8 GB.
        check += f"; peak {'within' if res.peak_rss_mb <= MEMORY_TARGET_MIB else 'OVER'} {MEMORY_TARGET_MIB} MiB"
    records.append(record(f"wordmine count {' '.join(order)} --memory {MEMORY_BUDGET}", argv, res,
                          speedup=speedup(res), check=check))

    argv = bench.wordmine("discover", path, "--top", 1000, "--quiet")
    res = bench.run(f"discover {name}", argv, f"discover_{tag}.tsv")
    check = f"{len(read_words(str(bench.cache / f'discover_{tag}.tsv')))} words" if res.ok else None
    records.append(record("wordmine discover --top 1000 (from text)", argv, res, check=check))
    return records


def run(bench: Bench) -> list[Table]:
    table = Table(TITLE, COLUMNS, labels=3)
    distinct = Table("Distinct n-grams counted by the baseline", DISTINCT_COLUMNS)
    laws = bench.data / "laws" / "laws.txt"
    inputs = [("laws.txt", lambda: laws), ("laws x 100 MB", lambda: scale_file(bench, laws))]
    for name, path in inputs:
        if not laws.is_file():
            table.records.append({"measure": "all", "input": name, "skipped": "skipped (laws/laws.txt not found)"})
        elif bench.skip_scale and name != "laws.txt":
            table.records.append({"measure": "all", "input": name, "skipped": "skipped (--skip-scale)"})
        else:
            table.records += speed_records(bench, name, path(), distinct)
    table.notes.append(
        "MB in and MB/s: 10^6 bytes of input. peak MB (tree): largest sum of VmRSS over the process and all its "
        "descendants, polled every 25 ms (MiB). ru_maxrss MB: wait4 of the child, the largest single process "
        f"(MiB). speedup: baseline seconds / wordmine seconds. wordmine count --order {BASELINE_ORDER - 1} "
        f"counts orders 1-{BASELINE_ORDER}, the same as the baseline.")
    return [table, distinct] if distinct.records else [table]
