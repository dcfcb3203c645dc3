"""What every benchmark section shares: running and measuring a command, files, records and tables.

A section is a module of ``bench/sections/`` with ``TITLE`` and ``run(bench)``,
which returns its tables; a table is a title, its columns and one record (a
dict) per row. A record holds the exact command it ran (``command``), its
input (``input``) and its figures as numbers; ``failed`` (one line) replaces
the figures when a command failed, and ``skipped`` when its data is absent.
The runner writes every table to JSON and ``render.py`` turns the JSON back
into markdown, so the tables of docs/benchmarks.md come from one run's JSON.

Units: input sizes and MB/s use MB = 10**6 bytes; memory columns use MiB
(2**20 bytes), as /proc and ru_maxrss count in KiB.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from measure import Result, run_measured

#: The head of laws.txt that the learning rows learn from (crf_bench, adapt_bench, the peers section).
LEARN_BYTES = 6_600_000


def head_lines(src: Path, size: int, dst: Path) -> Path:
    """The whole lines of ``src`` within its first ``size`` bytes, written to ``dst`` (kept if already there)."""
    with open(src, "rb") as f:
        data = f.read(size)
    data = data[: data.rindex(b"\n") + 1]
    if not (dst.is_file() and dst.stat().st_size == len(data)):
        dst.write_bytes(data)
    return dst


def learn_on_laws_head(data: Path, options: list[str]) -> dict | None:
    """``wordmine learn OPTIONS -q --jobs 1`` on the first LEARN_BYTES of laws.txt, in a child process.

    Returns the command (with the sample named as its size), wall seconds,
    CPU seconds (on a shared machine the wall clock also counts other jobs'
    turns), the peak resident MiB of the children and the exit status; None
    (after saying so) when laws.txt is absent.
    """
    import resource
    import tempfile

    path = data / "laws" / "laws.txt"
    if not path.is_file():
        print("skipped learn: no laws")
        return None
    with tempfile.TemporaryDirectory(prefix="learn-bench-") as folder:
        sample = head_lines(path, LEARN_BYTES, Path(folder) / "laws_6.6MB.txt")
        argv = [sys.executable, "-m", "wordmine", "learn", str(sample), *options, "-o",
                str(Path(folder) / "laws.wmm"), "-q", "--jobs", "1"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=Path(__file__).resolve().parent.parent, check=False, capture_output=True)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        size = sample.stat().st_size
    return {"command": f"wordmine learn <first {size / 1e6:.1f} MB of laws.txt> {shlex.join(options)} -q --jobs 1",
            "seconds": seconds, "cpu_s": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
            "peak_mib": round(after.ru_maxrss / 1024), "exit": done.returncode}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


@dataclass
class Table:
    """One markdown table: ``columns`` are (header, record key, format) triples.

    The format is a ``str.format`` spec for numbers (``.3f``, ``,.0f``) or ``""``
    for text. The first columns that label the row (until the first figure)
    are shown for failed and skipped rows too.
    """

    title: str
    columns: list[tuple[str, str, str]]
    records: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    labels: int = 1  # how many leading columns label a row

    def to_json(self) -> dict:
        return asdict(self)


def one_line(res: Result) -> str:
    """A failed command in one line: how it ended and the last line of its stderr."""
    how = "timed out" if res.timed_out else (
        f"signal {-res.returncode}" if res.returncode < 0 else f"exit {res.returncode}")
    last = [line for line in res.stderr_tail.strip().splitlines() if line.strip()]
    return f"{how}: {last[-1].strip()}" if last else how


@dataclass
class Bench:
    """The run's settings, and every command run, in order."""

    python: str
    data: Path
    cache: Path
    timeout: float | None = None
    skip_scale: bool = False
    commands: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (label, one line) of failed wordmine runs

    def wordmine(self, *args: str) -> list[str]:
        return [self.python, "-m", "wordmine", *map(str, args)]

    def run(self, label: str, argv: list[str], stdout_name: str | None = None, *, wordmine: bool = True,
            poll_interval: float | None = None) -> Result:
        """Run and measure one command (peak memory of its whole process tree); log it.

        ``poll_interval`` (seconds between memory samples) may be raised where only
        time matters: sampling /proc every 25 ms takes CPU a run on both cores needs.
        """
        self.commands.append(shlex.join(argv))
        stdout_path = self.cache / stdout_name if stdout_name else None
        log(f"{label}: {shlex.join(argv)}")
        res = run_measured(argv, stdout_path, cwd=REPO, timeout=self.timeout,
                           **({"poll_interval": poll_interval} if poll_interval else {}))
        log(f"{label}: exit {res.returncode}, {res.seconds:.2f} s, peak {res.peak_rss_mb:.0f} MiB "
            f"(tree, {res.max_processes} proc max), ru_maxrss {res.maxrss_mb:.0f} MiB")
        if res.leftover_processes:
            log(f"{label}: WARNING {res.leftover_processes} process(es) still alive after exit; killed")
        if not res.ok:
            log(f"{label} FAILED; stderr tail:\n{res.stderr_tail.rstrip()}")
            if wordmine:
                self.failures.append((label, one_line(res)))
        return res

    def missing(self, *relative: str) -> str | None:
        """'skipped (a, b not found)' for the data files that are absent, or None."""
        absent = [r for r in relative if not (self.data / r).is_file()]
        return f"skipped ({', '.join(absent)} not found)" if absent else None

    def eval_figures(self, gold: Path, predicted: Path) -> dict[str, float] | str:
        """precision, recall, f1 from `wordmine eval`, or the failure in one line (never raises)."""
        argv = self.wordmine("eval", gold, predicted)
        self.commands.append(shlex.join(argv))
        proc = subprocess.run(argv, capture_output=True, check=False, text=True, cwd=REPO)
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        if proc.returncode != 0:
            why = f"eval exit {proc.returncode}" + (f": {lines[-1].strip()}" if lines else "")
            log(why)
            self.failures.append((f"eval {predicted.name}", why))
            return why
        figures = {k: float(v) for k, v in (line.split("\t") for line in proc.stdout.splitlines())}
        if figures.get("correct_words") is not None and figures["gold_words"] + figures["predicted_words"]:
            # the shares from the counts, unrounded, so that close runs compare exactly
            correct, gold_words, predicted_words = (figures[k] for k in ("correct_words", "gold_words",
                                                                           "predicted_words"))
            figures.update(precision=correct / max(predicted_words, 1), recall=correct / max(gold_words, 1),
                           f1=2 * correct / (gold_words + predicted_words))
        return figures


def measured(res: Result, **figures) -> dict:
    """The usual figures of a measured run, or ``failed`` in one line."""
    if not res.ok:
        return {"failed": one_line(res)}
    return {"seconds": res.seconds, "peak_mb": res.peak_rss_mb, "maxrss_mb": res.maxrss_mb, **figures}


# --------------------------------------------------------------------------- files


def repeated_file(data: bytes, size: int, dst: Path) -> Path:
    """``data`` (whole lines) repeated up to the first line end at or after ``size`` bytes, cached at ``dst``."""
    full, rem = divmod(size, len(data))
    tail = data[: data.index(b"\n", max(rem - 1, 0)) + 1] if rem else b""
    total = full * len(data) + len(tail)
    if dst.is_file() and dst.stat().st_size == total:
        log(f"reusing {dst} ({total:,} bytes)")
        return dst
    log(f"writing {dst} ({total:,} bytes)")
    tmp = dst.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        f.writelines(data for _ in range(full))
        f.write(tail)
    os.replace(tmp, dst)
    return dst


SCALE_BYTES = 100_000_000


def scale_file(bench: Bench, src: Path, size: int = SCALE_BYTES) -> Path:
    """``src`` repeated up to the first line end at or after ``size`` bytes (cached)."""
    data = src.read_bytes()
    data += b"" if data.endswith(b"\n") else b"\n"
    return repeated_file(data, size, bench.cache / f"{src.stem}_{size // 1_000_000}MB.txt")


def warm_cache(path: Path) -> None:
    """Read a file once so every measured run starts with it in the page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def raw_lines(path: Path) -> list[str]:
    """The lines of a gold file with the word separators removed (blank lines dropped)."""
    with open(path, encoding="utf-8") as f:
        return ["".join(line.split()) for line in f if line.strip()]


def gold_lines(path: Path) -> list[str]:
    """The non-blank lines of a gold file, as `wordmine eval` aligns them."""
    with open(path, encoding="utf-8") as f:
        return [line for line in f if line.strip()]


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line if line.endswith("\n") else line + "\n" for line in lines), encoding="utf-8")
    return path


# The four gold sets: name, gold file scored, extra gold files whose raw text is also learned from.
SEGMENT_SETS = [
    ("pd1998", "pd1998/gold.txt", []),
    ("zhuxian", "zhuxian/test_gold.txt", ["zhuxian/train_gold.txt"]),
    ("ctb6", "ctb6/test_gold.txt", []),
    ("medical_forum", "medical_forum/test_gold.txt", ["medical_forum/train_gold.txt"]),
]


def segment_files(bench: Bench, name: str, gold_rel: str, extra_rel: list[str]) -> tuple[Path, Path, Path]:
    """(clean gold, raw test text, raw learning text) of a gold set, written to the cache.

    The learning text is the test text plus the raw text of the extra (train) files.
    """
    test = raw_lines(bench.data / gold_rel)
    gold = write_lines(bench.cache / f"seg_{name}_gold.txt", gold_lines(bench.data / gold_rel))
    test_raw = write_lines(bench.cache / f"seg_{name}_test.txt", test)
    extra = [line for e in extra_rel if (bench.data / e).is_file() for line in raw_lines(bench.data / e)]
    learn_raw = write_lines(bench.cache / f"seg_{name}_learn.txt", test + extra)
    return gold, test_raw, learn_raw
