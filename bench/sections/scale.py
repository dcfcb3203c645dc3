"""Scale: --jobs 1 against 2 on the same input, a gigabyte under --memory 2G, shards on Dask."""

from __future__ import annotations

import filecmp
import shlex
import subprocess
from pathlib import Path

from common import SCALE_BYTES, Bench, Table, measured, repeated_file, scale_file, warm_cache

TITLE = "Scale: both cores, a gigabyte, shards on Dask"
SOURCES = ["laws/laws.txt", "general_reviews/pos.txt", "general_reviews/neg.txt",
           "medical_qa/internal_medicine_qa.txt", "pd1998/raw.txt"]
GENERAL_FILES = ["general_reviews/pos.txt", "general_reviews/neg.txt"]
GIGABYTE = 1_000_000_000
BUDGET = "2G"
PEAK_TARGET_MIB = 2.2e9 / 2**20  # 2.2 GB
MAX_TIME_RATIO = 12.0
JOBS_TARGET = 1.6
JOBS_POLL = 1.0  # seconds between memory samples in the --jobs timings
JOBS_ROUNDS = 3  # --jobs 1 and 2 alternate this many times; the fastest of each is compared
COLUMNS = [("measure", "measure", ""), ("input", "input", ""), ("MB in", "mb_in", ",.1f"),
           ("seconds", "seconds", ",.2f"), ("MB/s", "mb_per_s", ",.2f"), ("peak MB (tree)", "peak_mb", ",.0f"),
           ("vs baseline", "versus", ""), ("check", "check", "")]
NOTES = [
    (f"The --jobs rows: 1 and 2 run alternately {JOBS_ROUNDS} times, the fastest of each kept and every time "
    "shown, with memory sampled once a second (their peak is rough). The mixed files are laws, general_reviews, "
    "medical_qa and pd1998 raw text one after another, repeated to 100 MB and to 1 GB; repeating keeps the "
    "distinct n-grams of about 73 MB of text, so the count tables stop growing after the first copy while the "
    "unit stream, the reading and every pass over the corpus grow tenfold. The 4 Dask shards are laws, reviews "
    "(pos), medical_qa and pd1998 raw text; Dask's start (a local cluster of two worker processes) is most of "
    "its time at this size. discover --dask counts the shards on the workers, shuffles their tables there by "
    "ranges of first characters, prunes each range there, and brings back only the kept n-grams, their "
    "entropies and the unit stream (the cut pass runs on the driver)."),
    (f"Targets: --jobs 2 at least {JOBS_TARGET}x --jobs 1 with identical output; the 1 GB run within "
    f"{MAX_TIME_RATIO:.0f}x the 100 MB time with a peak of at most 2.2 GB under --memory {BUDGET}; Dask equal "
    "to one process (count) and to one machine (discover), byte for byte."),
]


def record(label: str, name: str, path: Path | float, argv: list[str], res, **extra) -> dict:
    mb = path if isinstance(path, float) else path.stat().st_size / 1e6
    return {"measure": label, "input": name, "mb_in": mb, "command": shlex.join(argv),
            **measured(res, mb_per_s=mb / res.seconds if res.ok else None, **extra)}


def same(a: Path, b: Path) -> str:
    return "identical output" if a.is_file() and b.is_file() and filecmp.cmp(a, b, shallow=False) \
        else "OUTPUT DIFFERS"


def jobs_records(bench: Bench, what: str, name: str, path: Path, argv_of) -> list[dict]:
    """--jobs 1 and 2 alternately, JOBS_ROUNDS times, the fastest of each kept (these machines are noisy).

    ``argv_of(jobs)`` gives (argv, output file). Every time is in the check column.
    """
    outputs, best, argvs, times = {}, {}, {}, {1: [], 2: []}
    for _ in range(JOBS_ROUNDS):
        for jobs in (1, 2):
            argvs[jobs], outputs[jobs] = argv_of(jobs)
            res = bench.run(f"{what} --jobs {jobs}", argvs[jobs], poll_interval=JOBS_POLL)
            times[jobs].append(res.seconds)
            if jobs not in best or not res.ok or res.seconds < best[jobs].seconds:
                best[jobs] = res
    spread = {j: "runs " + " / ".join(f"{t:.2f}" for t in times[j]) + " s" for j in (1, 2)}
    rows = [record(f"{what} --jobs 1", name, path, argvs[1], best[1], check=spread[1])]
    extra = {}
    if best[1].ok and best[2].ok:
        ratio = best[1].seconds / best[2].seconds
        extra = {"versus": f"{ratio:.2f}x jobs 1", "speedup": ratio,
                 "check": f"{same(outputs[1], outputs[2])}; {'meets' if ratio >= JOBS_TARGET else 'BELOW'} "
                          f"{JOBS_TARGET}x; {spread[2]}"}
    rows.append(record(f"{what} --jobs 2", name, path, argvs[2], best[2], **extra))
    return rows


def cores(bench: Bench) -> list[dict]:
    laws = bench.data / "laws" / "laws.txt"
    if not laws.is_file():
        return [{"measure": "--jobs rows", "input": "laws.txt", "skipped": "skipped (laws/laws.txt not found)"}]
    big = scale_file(bench, laws)
    warm_cache(big)

    def count_argv(jobs: int):
        out = bench.cache / f"scale_count_jobs{jobs}.wmc"
        return bench.wordmine("count", big, "--jobs", jobs, "-q", "-o", out), out

    rows = jobs_records(bench, "count", "laws x 100 MB", big, count_argv)
    model, pd1998 = bench.cache / "scale_pd1998.wmm", bench.data / "pd1998" / "raw.txt"
    if pd1998.is_file() and not model.is_file():
        bench.run("learn pd1998", bench.wordmine("learn", pd1998, "-q", "-o", model))
    if model.is_file():
        def segment_argv(jobs: int):
            out = bench.cache / f"scale_segment_jobs{jobs}.txt"
            return bench.wordmine("segment", laws, "--model", model, "--jobs", jobs, "-q", "-o", out), out

        rows += jobs_records(bench, "segment --model pd1998.wmm", "laws.txt", laws, segment_argv)
    return rows


def mixed_file(bench: Bench, size: int) -> Path | None:
    """The SOURCES one after another, repeated up to a line end at or after ``size`` bytes (cached)."""
    paths = [bench.data / p for p in SOURCES]
    if not all(p.is_file() for p in paths):
        return None
    data = b"".join(p.read_bytes().rstrip(b"\n") + b"\n" for p in paths)
    return repeated_file(data, size, bench.cache / f"mixed_{size // 1_000_000}MB.txt")


def gigabyte(bench: Bench) -> list[dict]:
    small, large = mixed_file(bench, SCALE_BYTES), mixed_file(bench, GIGABYTE)
    if small is None or large is None:
        return [{"measure": "gigabyte rows", "input": "mixed corpora",
                 "skipped": "skipped (a corpus of the mixed file is missing)"}]
    reviews = [str(bench.data / p) for p in GENERAL_FILES]
    # Each command's arguments after the input: every command that counts stays in the budget.
    commands = {
        "count": lambda tag: ["-o", str(bench.cache / f"scale_count_{tag}.wmc")],
        "discover": lambda tag: ["--top", "1000", "-o", str(bench.cache / f"scale_discover_{tag}.tsv")],
        "learn": lambda tag: ["-o", str(bench.cache / f"scale_learn_{tag}.wmm")],
        "contrast": lambda tag: [*reviews, "--top", "200", "-o", str(bench.cache / f"scale_contrast_{tag}.tsv")],
    }
    warm_cache(small)  # the 1 GB file cannot stay in the page cache beside the run anyway
    rows = []
    for command, extra in commands.items():
        label = f"{command} --memory {BUDGET}" + (" (vs reviews)" if command == "contrast" else "")
        runs = {}
        for tag, path in (("100MB", small), ("1GB", large)):
            argv = bench.wordmine(command, path, *extra(tag), "--memory", BUDGET, "-q")
            runs[tag] = (argv, bench.run(f"{command} {tag}", argv))
        (argv_s, res_s), (argv_l, res_l) = runs["100MB"], runs["1GB"]
        rows.append(record(label, f"mixed {small.stat().st_size // 10**6} MB", small, argv_s, res_s))
        extra_fields = {}
        if res_l.ok and res_s.ok:
            ratio = res_l.seconds / res_s.seconds
            within = res_l.peak_rss_mb <= PEAK_TARGET_MIB
            extra_fields = {"versus": f"{ratio:.1f}x the 100 MB time", "time_ratio": ratio,
                            "check": f"{'within' if ratio <= MAX_TIME_RATIO else 'OVER'} {MAX_TIME_RATIO:.0f}x; "
                                     f"peak {'within' if within else 'OVER'} 2.2 GB ({PEAK_TARGET_MIB:.0f} MiB)"}
        rows.append(record(label, "mixed 1 GB", large, argv_l, res_l, **extra_fields))
    return rows


def dask(bench: Bench) -> list[dict]:
    shards = [bench.data / p for p in SOURCES[:2] + SOURCES[3:]]
    if not all(p.is_file() for p in shards):
        return [{"measure": "Dask rows", "input": "4 shards", "skipped": "skipped (a shard is missing)"}]
    probe = subprocess.run([bench.python, "-c", "import distributed"], capture_output=True, check=False)
    if probe.returncode != 0:
        return [{"measure": "Dask rows", "input": "4 shards", "skipped": "skipped (pip install 'wordmine[dask]')"}]
    single, on_dask = bench.cache / "scale_shards_single.wmc", bench.cache / "scale_shards_dask.wmc"
    one_argv = bench.wordmine("count", *shards, "-q", "-o", single)
    one = bench.run("count 4 shards, one process", one_argv)
    dask_argv = bench.wordmine("count", "--dask", "local:2", *shards, "-q", "-o", on_dask)
    on = bench.run("count 4 shards on Dask", dask_argv)
    size = sum(p.stat().st_size for p in shards) / 1e6
    return [record("count (one process)", "4 shards", size, one_argv, one),
            record("count --dask local:2", "4 shards", size, dask_argv, on,
                   check=same(single, on_dask) + " to one process" if one.ok and on.ok else None),
            *dask_discover(bench, shards, size)]


def dask_discover(bench: Bench, shards: list[Path], size: float) -> list[dict]:
    """discover on the same 4 shards: one machine, then counted and pruned on two Dask workers."""
    single, on_dask = bench.cache / "scale_discover_single.tsv", bench.cache / "scale_discover_dask.tsv"
    one_argv = bench.wordmine("discover", *shards, "-q", "-o", single)
    one = bench.run("discover 4 shards, one machine", one_argv)
    dask_argv = bench.wordmine("discover", "--dask", "local:2", *shards, "-q", "-o", on_dask)
    on = bench.run("discover 4 shards on Dask", dask_argv)
    return [record("discover (one machine)", "4 shards", size, one_argv, one),
            record("discover --dask local:2", "4 shards", size, dask_argv, on,
                   check=same(single, on_dask) + " to one machine" if one.ok and on.ok else None)]


def run(bench: Bench) -> list[Table]:
    table = Table(TITLE, COLUMNS, labels=2, notes=list(NOTES))
    if bench.skip_scale:
        table.records.append({"measure": "all", "skipped": "skipped (--skip-scale)"})
        return [table]
    table.records += cores(bench) + gigabyte(bench) + dask(bench)
    return [table]
