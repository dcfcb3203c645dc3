"""wordmine benchmark: discovery precision, speed and peak memory.

    python bench/run_bench.py [--data ../shared/data] [--python PATH]
                              [--skip-scale] [--cache-dir .bench_cache]

Prints markdown tables on stdout and progress on stderr. wordmine is run as a
subprocess (``PATH -m wordmine ...``, working directory = repository root), and
so is the plain-Python ``collections.Counter`` baseline it is compared with.

Data files that are absent are reported as skipped rows. The exit status is 0
unless a wordmine command fails (non-zero exit, or killed) or wordmine cannot
be started while there is data to run it on; its stderr tail is then printed
(on stderr and in a "Failures" section) and the status is 1. The remaining rows
still run. A failing baseline is reported the same way but does not change the
exit status.

Units: input sizes and MB/s use MB = 10**6 bytes; memory columns use
MiB (2**20 bytes), as /proc and ru_maxrss count in KiB.
"""

from __future__ import annotations

import argparse
import datetime
import filecmp
import os
import platform
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from evaluate import load_vocabulary, precision_at_k, read_words, with_nfkc_forms
from measure import Result, run_measured

SECTIONS = ["precision", "speed", "contrast", "segment", "scale"]
SCALE_BYTES = 100_000_000
PRECISION_KS = (100, 1000, 5000)
BASELINE_ORDER = 5  # orders 1..5, the same work as `wordmine count --order 4`
MEMORY_BUDGET = "500M"
MEMORY_TARGET_MIB = 800
CONTRAST_SETS = [
    ("medical_qa", "medical_qa/internal_medicine_qa.txt", "thuocl/THUOCL_medical.txt"),
    ("laws", "laws/laws.txt", "thuocl/THUOCL_law.txt"),
]
GENERAL_FILES = ["general_reviews/pos.txt", "general_reviews/neg.txt"]
CONTRAST_METHODS = ["topical", "salience", "logodds", "g2", "share"]
CONTRAST_KS = (50, 100, 200)
SEGMENT_SETS = [  # name, gold file scored, extra gold files whose raw text is also learned from
    ("pd1998", "pd1998/gold.txt", []),
    ("zhuxian", "zhuxian/test_gold.txt", ["zhuxian/train_gold.txt"]),
    ("ctb6", "ctb6/test_gold.txt", []),
    ("medical_forum", "medical_forum/test_gold.txt", ["medical_forum/train_gold.txt"]),
]


# --------------------------------------------------------------------------- output


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        cells = [str(c).replace("|", "\\|") for c in row]
        cells += [""] * (len(header) - len(cells))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def emit(text: str = "") -> None:
    print(text, flush=True)


def fmt(x: float | None, digits: int = 2) -> str:
    return "" if x is None else f"{x:,.{digits}f}"


# --------------------------------------------------------------------------- running


@dataclass
class Bench:
    python: str
    data: Path
    cache: Path
    timeout: float | None
    failures: list[tuple[str, Result]] = field(default_factory=list)
    wordmine_failed: bool = False
    commands: list[str] = field(default_factory=list)
    _wordmine: tuple[bool, str] | None = None

    def wordmine_ready(self) -> tuple[bool, str]:
        """Whether `python -m wordmine --help` works (checked once, when first needed)."""
        if self._wordmine is None:
            self._wordmine = wordmine_available(self)
            if not self._wordmine[0]:
                log(f"wordmine is not runnable: {self._wordmine[1]}")
                self.failures.append(("wordmine --help", Result(0.0, 0.0, 0.0, 1, self._wordmine[1])))
                self.wordmine_failed = True
        return self._wordmine

    def wordmine_argv(self, *args: str) -> list[str]:
        return [self.python, "-m", "wordmine", *args]

    def run(self, label: str, argv: list[str], stdout_name: str | None, *, wordmine: bool,
            poll_interval: float | None = None) -> Result:
        """Run and measure one command; record it if it is a failing wordmine command.

        ``poll_interval`` (seconds between memory samples) may be raised where only
        time matters: sampling /proc every 25 ms takes CPU a run on both cores needs.
        """
        self.commands.append(shlex.join(argv))
        stdout_path = self.cache / stdout_name if stdout_name else None
        log(f"{label}: {shlex.join(argv)}")
        res = run_measured(argv, stdout_path, cwd=REPO, timeout=self.timeout,
                           **({"poll_interval": poll_interval} if poll_interval else {}))
        log(
            f"{label}: exit {res.returncode}, {res.seconds:.2f} s, peak {res.peak_rss_mb:.0f} MiB "
            f"(tree, {res.max_processes} proc max), ru_maxrss {res.maxrss_mb:.0f} MiB"
        )
        if res.leftover_processes:
            log(f"{label}: WARNING {res.leftover_processes} process(es) still alive after exit; killed")
        if not res.ok:
            why = "timed out" if res.timed_out else f"exit status {res.returncode}"
            log(f"{label} FAILED ({why}); stderr tail:\n{res.stderr_tail.rstrip()}")
            self.failures.append((label, res))
            if wordmine:
                self.wordmine_failed = True
        return res


def status_cell(res: Result) -> str:
    if res.timed_out:
        return "FAILED (timeout)"
    if res.returncode < 0:
        return f"FAILED (signal {-res.returncode})"
    return f"FAILED (exit {res.returncode})"


def rel(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- machine


def machine_info(bench: Bench) -> list[list[str]]:
    rows = []
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = os.cpu_count()
    rows.append(["nproc", f"{affinity} (cpu_count {os.cpu_count()})"])
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    if model:
        rows.append(["cpu", model])
    try:
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            for line in meminfo:
                if line.startswith(("MemTotal:", "MemAvailable:")):
                    name, kib = line.split()[:2]
                    rows.append([name.rstrip(":"), f"{int(kib) / 2**20:.1f} GiB"])
    except OSError:
        pass
    probe = (
        "import platform, sys\n"
        "print(platform.python_version())\n"
        "try:\n import numpy; print(numpy.__version__)\n"
        "except Exception as e: print('not importable: %s' % e)\n"
    )
    try:
        out = subprocess.run(
            [bench.python, "-c", probe], capture_output=True, check=False, text=True, timeout=60, cwd=REPO
        ).stdout.split("\n")
        rows.append(["python (benchmarked)", f"{out[0]} ({bench.python})"])
        rows.append(["numpy", out[1]])
    except (OSError, subprocess.SubprocessError, IndexError) as exc:
        rows.append(["python (benchmarked)", f"{bench.python}: cannot run ({exc})"])
    rows.append(["python (harness)", platform.python_version()])
    rows.append(["platform", platform.platform()])
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True, check=False, text=True, timeout=30,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, check=False, text=True, timeout=30,
        ).stdout.strip()
        if head:
            rows.append(["wordmine commit", head + (" + uncommitted changes" if dirty else "")])
    except (OSError, subprocess.SubprocessError):
        pass
    rows.append(["date", datetime.datetime.now().astimezone().isoformat(timespec="seconds")])
    return rows


def wordmine_available(bench: Bench) -> tuple[bool, str]:
    """Whether `python -m wordmine --help` works, and the reason if not."""
    try:
        p = subprocess.run(
            bench.wordmine_argv("--help"), capture_output=True, check=False, text=True, timeout=120, cwd=REPO
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return False, str(exc)
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]
        return False, last
    return True, ""


# --------------------------------------------------------------------------- section 1


def section_precision(bench: Bench) -> None:
    emit("## Discovery precision (pd1998)")
    emit()
    raw = bench.data / "pd1998" / "raw.txt"
    gold = bench.data / "pd1998" / "gold.txt"
    header = ["measure", "input", *(f"P@{k}" for k in PRECISION_KS), "words out", "seconds", "peak MB", "ru_maxrss MB"]
    label = f"discover --top {max(PRECISION_KS)} --min-len 2"
    missing = [p for p in (raw, gold) if not p.is_file()]
    notes = []
    extra_rows: list[list[str]] = []
    if missing:
        row = [label, "pd1998/raw.txt", "skipped (" + ", ".join(rel(p, bench.data) for p in missing) + " not found)"]
    elif not bench.wordmine_ready()[0]:
        row = [label, "pd1998/raw.txt", f"not run (wordmine not runnable: {bench.wordmine_ready()[1]})"]
    else:
        argv = bench.wordmine_argv("discover", str(raw), "--top", str(max(PRECISION_KS)), "--min-len", "2", "--quiet")
        res = bench.run("discover pd1998", argv, "discover_pd1998.tsv", wordmine=True)
        if not res.ok:
            row = [label, "pd1998/raw.txt", status_cell(res)]
        else:
            words = read_words(str(bench.cache / "discover_pd1998.tsv"))
            vocab = load_vocabulary(str(gold))

            def cells(v: set[str]) -> list[str]:
                out = []
                for p in precision_at_k(words, v, PRECISION_KS):
                    cell = f"{p.precision:.3f}"
                    if p.short:
                        cell += f" (only {p.considered} words out)"
                    out.append(cell)
                return out

            row = [label, "pd1998/raw.txt", *cells(vocab), str(len(words)), fmt(res.seconds),
                   fmt(res.peak_rss_mb, 0), fmt(res.maxrss_mb, 0)]
            extra_rows.append([label + " (vs gold + NFKC forms)", "pd1998/raw.txt", *cells(with_nfkc_forms(vocab)),
                               str(len(words))])
            short = [w for w in words if len(w) < 2]
            dups = len(words) - len(set(words))
            notes.append(
                f"Reference vocabulary: the {len(vocab):,} distinct tokens of pd1998/gold.txt. The second row "
                "also accepts each token's NFKC form: gold writes numbers in full-width digits (１９９８年) "
                "and a tool that folds them to ASCII (1998年) would otherwise never match them."
            )
            if short:
                notes.append(f"Note: {len(short)} output words are shorter than 2 characters (e.g. {short[:5]}).")
            if dups:
                notes.append(f"Note: {dups} output words are repeated.")
            if words:
                notes.append("First 20 words: " + " ".join(words[:20]))
    emit(table(header, [row, *extra_rows]))
    emit()
    for n in notes:
        emit(n)
        emit()


# --------------------------------------------------------------------------- section 2


def repeated_file(bench: Bench, data: bytes, size: int, dst: Path) -> Path:
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


def scale_file(bench: Bench, src: Path) -> Path:
    """`src` repeated up to the first line end at or after SCALE_BYTES (cached)."""
    data = src.read_bytes()
    data += b"" if data.endswith(b"\n") else b"\n"
    return repeated_file(bench, data, SCALE_BYTES, bench.cache / f"{src.stem}_{SCALE_BYTES // 1_000_000}MB.txt")


def warm_cache(path: Path) -> None:
    """Read a file once so every measured run starts with it in the page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def parse_baseline(path: Path) -> dict[str, int]:
    out = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition("\t")
        if value.strip().isdigit():
            out[key] = int(value)
    return out


def speed_rows(bench: Bench, name: str, path: Path, distinct_rows: list[list[str]]) -> list[list[str]]:
    size = path.stat().st_size
    mb = size / 1e6
    tag = name.replace(" ", "_").replace("/", "_")
    warm_cache(path)
    rows = []

    def row(label: str, res: Result, speedup: str = "", check: str = "") -> list[str]:
        if not res.ok:
            return [label, name, fmt(mb, 1), status_cell(res), "", fmt(res.peak_rss_mb, 0),
                    fmt(res.maxrss_mb, 0), "", check]
        return [label, name, fmt(mb, 1), fmt(res.seconds), fmt(mb / res.seconds),
                fmt(res.peak_rss_mb, 0), fmt(res.maxrss_mb, 0), speedup, check]

    # baseline
    base_label = f"Counter baseline (orders 1-{BASELINE_ORDER})"
    base_out = f"baseline_{tag}.out"
    base = bench.run(f"baseline {name}", [bench.python, str(BENCH_DIR / "counter_baseline.py"), str(path),
                                          str(BASELINE_ORDER)], base_out, wordmine=False)
    if base.ok:
        counts = parse_baseline(bench.cache / base_out)
        distinct_rows.append([name, f"{counts.get('units', 0):,}",
                              *(f"{counts.get(f'order{n}', 0):,}" for n in range(1, BASELINE_ORDER + 1))])
    rows.append(row(base_label, base))

    def speedup(res: Result) -> str:
        return f"{base.seconds / res.seconds:.1f}x" if base.ok and res.ok else ""

    order_args = ["--order", str(BASELINE_ORDER - 1)]
    wm_ok, wm_reason = bench.wordmine_ready()
    if not wm_ok:
        rows.append(["wordmine rows", name, fmt(mb, 1), f"not run (wordmine not runnable: {wm_reason})"])
        return rows

    # wordmine count, unbounded
    wmc = bench.cache / f"count_{tag}.wmc"
    wmc.unlink(missing_ok=True)
    count_label = f"wordmine count {' '.join(order_args)}"
    res = bench.run(f"count {name}", bench.wordmine_argv("count", str(path), "-o", str(wmc), *order_args, "--quiet"),
                    f"count_{tag}.stdout", wordmine=True)
    check = ""
    if res.ok:
        check = f"{wmc.stat().st_size / 1e6:.1f} MB .wmc" if wmc.is_file() else "no output file!"
    rows.append(row(count_label, res, speedup(res), check))
    count_ok = res.ok and wmc.is_file()

    # wordmine count, bounded memory
    wmc_mem = bench.cache / f"count_{tag}.mem{MEMORY_BUDGET}.wmc"
    wmc_mem.unlink(missing_ok=True)
    res = bench.run(f"count --memory {MEMORY_BUDGET} {name}",
                    bench.wordmine_argv("count", str(path), "-o", str(wmc_mem), *order_args,
                                        "--memory", MEMORY_BUDGET, "--quiet"),
                    f"count_{tag}.mem.stdout", wordmine=True)
    check = ""
    if res.ok:
        if not wmc_mem.is_file():
            check = "no output file!"
        elif count_ok:
            check = "identical" if filecmp.cmp(wmc, wmc_mem, shallow=False) else "DIFFERENT"
        else:
            check = "(no unbounded output to compare)"
        # The target for a 500M budget: the whole process tree stays under about 0.8 GB.
        check += f"; peak {'within' if res.peak_rss_mb <= MEMORY_TARGET_MIB else 'OVER'} {MEMORY_TARGET_MIB} MiB"
    rows.append(row(f"{count_label} --memory {MEMORY_BUDGET}", res, speedup(res), check))

    # discover end to end
    out_name = f"discover_{tag}.tsv"
    res = bench.run(f"discover {name}", bench.wordmine_argv("discover", str(path), "--top", "1000", "--quiet"),
                    out_name, wordmine=True)
    check = f"{len(read_words(str(bench.cache / out_name)))} words" if res.ok else ""
    rows.append(row("wordmine discover --top 1000 (from text)", res, "", check))
    return rows


def section_speed(bench: Bench, skip_scale: bool) -> None:
    emit("## Speed and memory (laws)")
    emit()
    header = ["measure", "input", "MB in", "seconds", "MB/s", "peak MB (tree)", "ru_maxrss MB", "speedup", "check"]
    laws = bench.data / "laws" / "laws.txt"
    rows: list[list[str]] = []
    distinct_rows: list[list[str]] = []
    if not laws.is_file():
        rows.append(["all", "laws.txt", "", "skipped (laws/laws.txt not found)"])
        if not skip_scale:
            rows.append(["all", "laws x 100 MB", "", "skipped (laws/laws.txt not found)"])
    else:
        rows += speed_rows(bench, "laws.txt", laws, distinct_rows)
        if skip_scale:
            rows.append(["all", "laws x 100 MB", "", "skipped (--skip-scale)"])
        else:
            big = scale_file(bench, laws)
            rows += speed_rows(bench, "laws x 100 MB", big, distinct_rows)
    emit(table(header, rows))
    emit()
    emit("MB in and MB/s: 10^6 bytes of input. peak MB (tree): largest sum of VmRSS over the process "
         "and all its descendants, polled every 25 ms (MiB). ru_maxrss MB: wait4 of the child, the "
         f"largest single process (MiB). speedup: baseline seconds / wordmine seconds. "
         f"wordmine count {' '.join(['--order', str(BASELINE_ORDER - 1)])} counts orders 1-{BASELINE_ORDER}, "
         "the same as the baseline.")
    emit()
    if distinct_rows:
        emit("### Distinct n-grams counted by the baseline")
        emit()
        emit(table(["input", "units", *(f"order {n}" for n in range(1, BASELINE_ORDER + 1))], distinct_rows))
        emit()


# --------------------------------------------------------------------------- section 3


def reference_terms(path: Path) -> set[str]:
    """The words of a THUOCL list (word TAB document frequency)."""
    with open(path, encoding="utf-8") as f:
        return {line.split("\t")[0].strip() for line in f if line.strip()}


def section_contrast(bench: Bench) -> None:
    emit("## Domain terms (contrast)")
    emit()
    header = ["domain", "general side", "method", *(f"P@{k}" for k in CONTRAST_KS), "seconds", "peak MB (tree)"]
    rows: list[list[str]] = []
    general = [bench.data / g for g in GENERAL_FILES]
    for name, domain_rel, reference_rel in CONTRAST_SETS:
        domain, reference = bench.data / domain_rel, bench.data / reference_rel
        missing = [p for p in (domain, reference) if not p.is_file()]
        if missing:
            rows.append([name, "", "", "skipped (" + ", ".join(rel(p, bench.data) for p in missing) + " not found)"])
            continue
        if not bench.wordmine_ready()[0]:
            rows.append([name, "", "", "not run (wordmine not runnable)"])
            continue
        terms = reference_terms(reference)
        sides = [("general_reviews", [str(g) for g in general])] if all(g.is_file() for g in general) else []
        sides.append(("built-in (jieba)", []))
        for side, general_args in sides:
            for method in CONTRAST_METHODS:
                out = f"contrast_{name}_{'reviews' if general_args else 'builtin'}_{method}.tsv"
                argv = bench.wordmine_argv("contrast", str(domain), *general_args, "--method", method,
                                           "--top", str(max(CONTRAST_KS)), "--quiet")
                res = bench.run(f"contrast {name} vs {side} ({method})", argv, out, wordmine=True)
                if not res.ok:
                    rows.append([name, side, method, status_cell(res)])
                    continue
                words = read_words(str(bench.cache / out))
                cells = [f"{p.precision:.2f}" for p in precision_at_k(words, terms, CONTRAST_KS)]
                rows.append([name, side, method, *cells, fmt(res.seconds), fmt(res.peak_rss_mb, 0)])
    emit(table(header, rows))
    emit()
    emit("Judged against the THUOCL list of the domain (medical, law): a term counts when the list has it. "
         "The lists are incomplete (乙肝, 医生, 确诊 are not in THUOCL medical), so compare methods within "
         "a row group rather than reading the numbers as absolute precision. general_reviews = pos.txt + "
         "neg.txt; built-in = jieba's dictionary frequencies. THUOCL law says little about laws.txt: most "
         "of its entries are long names (statutes, crimes), and the vocabulary of the statutes (法律, 诉讼, "
         "合同, 仲裁, 商标, 当事人) is not in it.")
    emit()


# --------------------------------------------------------------------------- section 4


def raw_lines(path: Path) -> list[str]:
    """The lines of a gold file with the word separators removed (blank lines dropped)."""
    with open(path, encoding="utf-8") as f:
        return ["".join(line.split()) for line in f if line.strip()]


def eval_figures(bench: Bench, gold: Path, predicted: Path) -> dict[str, float] | None:
    proc = subprocess.run(bench.wordmine_argv("eval", str(gold), str(predicted)), capture_output=True, check=False,
                          text=True, cwd=REPO)
    if proc.returncode != 0:
        log(f"eval failed: {proc.stderr.strip()}")
        return None
    return {k: float(v) for k, v in (line.split("\t") for line in proc.stdout.splitlines())}


def section_segment(bench: Bench) -> None:
    emit("## Segmentation")
    emit()
    header = ["gold set", "method", "P", "R", "F1", "learn s", "segment MB/s", "peak MB (tree)"]
    rows: list[list[str]] = []
    for name, gold_rel, extra_rel in SEGMENT_SETS:
        gold_path = bench.data / gold_rel
        extras = [bench.data / e for e in extra_rel]
        if not gold_path.is_file():
            rows.append([name, "", f"skipped ({gold_rel} not found)"])
            continue
        if not bench.wordmine_ready()[0]:
            rows.append([name, "", "not run (wordmine not runnable)"])
            continue
        test = raw_lines(gold_path)
        gold_clean = bench.cache / f"seg_{name}_gold.txt"
        with open(gold_path, encoding="utf-8") as f:
            gold_clean.write_text("".join(line for line in f if line.strip()), encoding="utf-8")
        test_raw = bench.cache / f"seg_{name}_test.txt"
        test_raw.write_text("\n".join(test) + "\n", encoding="utf-8")
        learn_raw = bench.cache / f"seg_{name}_learn.txt"
        learn_lines = test + [line for e in extras if e.is_file() for line in raw_lines(e)]
        learn_raw.write_text("\n".join(learn_lines) + "\n", encoding="utf-8")
        mb = test_raw.stat().st_size / 1e6
        # classic: discovered lexicon + jieba's maximum-probability path, learned and applied in one run
        predicted = bench.cache / f"seg_{name}_classic_all.txt"
        res = bench.run(f"segment {name} (classic)",
                        bench.wordmine_argv("segment", str(learn_raw), "--method", "classic", "-o",
                                            str(predicted), "--quiet"), None, wordmine=True)
        if res.ok:
            head = bench.cache / f"seg_{name}_classic.txt"
            with open(predicted, encoding="utf-8") as f:
                head.write_text("".join(next(f) for _ in range(len(test))), encoding="utf-8")
            figures = eval_figures(bench, gold_clean, head)
            rows.append([name, "classic (lexicon + jieba path)", f"{figures['precision']:.3f}",
                         f"{figures['recall']:.3f}", f"{figures['f1']:.3f}", "(in one run)",
                         fmt(learn_raw.stat().st_size / 1e6 / res.seconds), fmt(res.peak_rss_mb, 0)])
        else:
            rows.append([name, "classic (lexicon + jieba path)", "FAILED"])
        # The learned models: learn on the learning text, then segment the test text with the model.
        # charlm (the character model with position tags) with its default and the published weights, and
        # the CRF learned from charlm's segmentation (the default method).
        for label, tag, extra in [("unigram (word model)", "unigram", ["--method", "unigram"]),
                                  ("charlm", "charlm", ["--method", "charlm"]),
                                  ("crf (default)", "crf", ["--method", "crf"]),
                                  ("charlm, published weights", "charlm_published",
                                   ["--method", "charlm", "--transitions", "published"])]:
            model = bench.cache / f"seg_{name}_{tag}.wmm"
            learned = bench.run(f"learn {name} ({tag})",
                                bench.wordmine_argv("learn", str(learn_raw), *extra, "-o", str(model), "--quiet"),
                                None, wordmine=True)
            predicted = bench.cache / f"seg_{name}_{tag}.txt"
            applied = bench.run(f"segment {name} ({tag})",
                                bench.wordmine_argv("segment", str(test_raw), "--model", str(model), "-o",
                                                    str(predicted), "--quiet"), None, wordmine=True)
            figures = eval_figures(bench, gold_clean, predicted) if learned.ok and applied.ok else None
            if figures:
                rows.append([name, label, f"{figures['precision']:.3f}", f"{figures['recall']:.3f}",
                             f"{figures['f1']:.3f}", fmt(learned.seconds), fmt(mb / applied.seconds),
                             fmt(max(learned.peak_rss_mb, applied.peak_rss_mb), 0)])
            else:
                rows.append([name, label, "FAILED"])
    emit(table(header, rows))
    emit()
    emit("Learned on the raw text of the set (gold with spaces removed, plus the train file where there is "
         "one), scored on the test gold with `wordmine eval` (word spans, both boundaries must match). "
         "Classic: learn and segment in one run over the learning text, so its MB/s includes learning.")
    emit()


# --------------------------------------------------------------------------- section 5

SCALE_SOURCES = ["laws/laws.txt", "general_reviews/pos.txt", "general_reviews/neg.txt",
                 "medical_qa/internal_medicine_qa.txt", "pd1998/raw.txt"]
GIGABYTE = 1_000_000_000
GIGABYTE_BUDGET = "2G"
GIGABYTE_PEAK_TARGET_MIB = 2.2e9 / 2**20  # 2.2 GB
MAX_TIME_RATIO = 12.0
JOBS_TARGET = 1.6
JOBS_POLL = 1.0  # seconds between memory samples in the --jobs timings
JOBS_ROUNDS = 3  # --jobs 1 and 2 alternate this many times; the fastest of each is compared


def mixed_file(bench: Bench, size: int) -> Path | None:
    """The SCALE_SOURCES one after another, repeated up to a line end at or after ``size`` bytes (cached).

    Repeating keeps the distinct n-grams of about 73 MB of text: the count tables
    stop growing after the first copy while the unit stream grows tenfold.
    """
    paths = [bench.data / p for p in SCALE_SOURCES]
    if not all(p.is_file() for p in paths):
        return None
    data = b"".join(p.read_bytes().rstrip(b"\n") + b"\n" for p in paths)
    return repeated_file(bench, data, size, bench.cache / f"mixed_{size // 1_000_000}MB.txt")


def section_scale(bench: Bench, skip_scale: bool) -> None:
    emit("## Scale: both cores, a gigabyte, shards on Dask")
    emit()
    header = ["measure", "input", "MB in", "seconds", "MB/s", "peak MB (tree)", "vs baseline", "check"]
    rows: list[list[str]] = []
    if skip_scale:
        emit("skipped (--skip-scale)")
        emit()
        return
    if not bench.wordmine_ready()[0]:
        emit("not run (wordmine not runnable)")
        emit()
        return

    def row(label: str, name: str, path: Path, res: Result, versus: str = "", check: str = "") -> list[str]:
        mb = path.stat().st_size / 1e6
        if not res.ok:
            return [label, name, fmt(mb, 1), status_cell(res)]
        return [label, name, fmt(mb, 1), fmt(res.seconds), fmt(mb / res.seconds), fmt(res.peak_rss_mb, 0),
                versus, check]

    def same(a: Path, b: Path) -> str:
        return "identical output" if a.is_file() and b.is_file() and filecmp.cmp(a, b, shallow=False) \
            else "OUTPUT DIFFERS"

    def best_of(label: str, argv_of) -> tuple[dict[int, Path], dict[int, Result], dict[int, list[float]]]:
        """--jobs 1 and 2 alternately, JOBS_ROUNDS times, the fastest of each kept (these machines are noisy).

        Also returns every time, so the spread is in the table beside the best.
        """
        outputs, results, times = {}, {}, {1: [], 2: []}
        for _ in range(JOBS_ROUNDS):
            for jobs in (1, 2):
                argv, outputs[jobs] = argv_of(jobs)
                res = bench.run(f"{label} --jobs {jobs}", argv, None, wordmine=True, poll_interval=JOBS_POLL)
                times[jobs].append(res.seconds)
                if jobs not in results or not res.ok or res.seconds < results[jobs].seconds:
                    results[jobs] = res
        return outputs, results, times

    def spread(times: list[float]) -> str:
        return "runs " + " / ".join(f"{t:.2f}" for t in times) + " s"

    # 1. Both cores: counting and segmenting with --jobs 1 and --jobs 2, same input, same run.
    laws = bench.data / "laws" / "laws.txt"
    if laws.is_file():
        big = scale_file(bench, laws)
        warm_cache(big)

        def count_argv(jobs: int) -> tuple[list[str], Path]:
            out = bench.cache / f"scale_count_jobs{jobs}.wmc"
            return bench.wordmine_argv("count", str(big), "--jobs", str(jobs), "-q", "-o", str(out)), out

        outputs, results, times = best_of("count", count_argv)
        rows.append(row("count --jobs 1", "laws x 100 MB", big, results[1], check=spread(times[1])))
        if results[1].ok and results[2].ok:
            ratio = results[1].seconds / results[2].seconds
            verdict = "meets" if ratio >= JOBS_TARGET else "BELOW"
            rows.append(row("count --jobs 2", "laws x 100 MB", big, results[2], f"{ratio:.2f}x jobs 1",
                            f"{same(outputs[1], outputs[2])}; {verdict} {JOBS_TARGET}x; {spread(times[2])}"))
        model, pd1998 = bench.cache / "scale_pd1998.wmm", bench.data / "pd1998" / "raw.txt"
        if pd1998.is_file() and not model.is_file():
            bench.run("learn pd1998", bench.wordmine_argv("learn", str(pd1998), "-q", "-o", str(model)), None,
                      wordmine=True)
        if model.is_file():
            def segment_argv(jobs: int) -> tuple[list[str], Path]:
                out = bench.cache / f"scale_segment_jobs{jobs}.txt"
                return bench.wordmine_argv("segment", str(laws), "--model", str(model), "--jobs", str(jobs),
                                           "-q", "-o", str(out)), out

            outputs, results, times = best_of("segment", segment_argv)
            rows.append(row("segment --model pd1998.wmm --jobs 1", "laws.txt", laws, results[1],
                            check=spread(times[1])))
            if results[1].ok and results[2].ok:
                ratio = results[1].seconds / results[2].seconds
                verdict = "meets" if ratio >= JOBS_TARGET else "BELOW"
                rows.append(row("segment --model pd1998.wmm --jobs 2", "laws.txt", laws, results[2],
                                f"{ratio:.2f}x jobs 1",
                                f"{same(outputs[1], outputs[2])}; {verdict} {JOBS_TARGET}x; {spread(times[2])}"))
    else:
        rows.append(["--jobs rows", "laws.txt", "", "skipped (laws/laws.txt not found)"])

    # 2. A gigabyte under --memory 2G, against a tenth of it in the same run.
    small, large = mixed_file(bench, SCALE_BYTES), mixed_file(bench, GIGABYTE)
    if small is None or large is None:
        rows.append(["gigabyte rows", "mixed corpora", "", "skipped (a corpus of SCALE_SOURCES is missing)"])
    else:
        reviews = [str(bench.data / p) for p in GENERAL_FILES]
        # Each command's arguments after the input; the first two are the figures,
        # learn and contrast show that every command that counts stays in the budget.
        commands = {
            "count": lambda tag: ["-o", str(bench.cache / f"scale_count_{tag}.wmc")],
            "discover": lambda tag: ["--top", "1000", "-o", str(bench.cache / f"scale_discover_{tag}.tsv")],
            "learn": lambda tag: ["-o", str(bench.cache / f"scale_learn_{tag}.wmm")],
            "contrast": lambda tag: [*reviews, "--top", "200", "-o", str(bench.cache / f"scale_contrast_{tag}.tsv")],
        }
        warm_cache(small)  # the 1 GB file cannot stay in the page cache beside the run anyway
        for command, extra in commands.items():
            results = {}
            for name, path in (("100 MB", small), ("1 GB", large)):
                results[name] = bench.run(f"{command} {name}", bench.wordmine_argv(
                    command, str(path), *extra(name.replace(" ", "")), "--memory", GIGABYTE_BUDGET, "-q"),
                    None, wordmine=True)
            label = f"{command} --memory {GIGABYTE_BUDGET}" + (" (vs reviews)" if command == "contrast" else "")
            rows.append(row(label, f"mixed {small.stat().st_size // 10**6} MB", small, results["100 MB"]))
            res = results["1 GB"]
            if res.ok and results["100 MB"].ok:
                ratio = res.seconds / results["100 MB"].seconds
                memory_ok = res.peak_rss_mb <= GIGABYTE_PEAK_TARGET_MIB
                rows.append(row(label, "mixed 1 GB", large, res, f"{ratio:.1f}x the 100 MB time",
                                f"{'within' if ratio <= MAX_TIME_RATIO else 'OVER'} {MAX_TIME_RATIO:.0f}x; peak "
                                f"{'within' if memory_ok else 'OVER'} 2.2 GB ({GIGABYTE_PEAK_TARGET_MIB:.0f} MiB)"))
            else:
                rows.append(row(label, "mixed 1 GB", large, res))

    # 3. Shards on a local Dask cluster of two workers, against one process.
    shards = [bench.data / p for p in SCALE_SOURCES[:2] + SCALE_SOURCES[3:]]
    try:
        subprocess.run([bench.python, "-c", "import distributed"], check=True, capture_output=True)
        have_dask = True
    except subprocess.CalledProcessError:
        have_dask = False
    if not all(p.is_file() for p in shards):
        rows.append(["Dask rows", "4 shards", "", "skipped (a shard is missing)"])
    elif not have_dask:
        rows.append(["Dask rows", "4 shards", "", "skipped (pip install 'wordmine[dask]')"])
    else:
        single, on_dask = bench.cache / "scale_shards_single.wmc", bench.cache / "scale_shards_dask.wmc"
        one = bench.run("count 4 shards, one process", bench.wordmine_argv(
            "count", *map(str, shards), "-q", "-o", str(single)), None, wordmine=True)
        dask = bench.run("count 4 shards on Dask", bench.wordmine_argv(
            "count", "--dask", "local:2", *map(str, shards), "-q", "-o", str(on_dask)), None, wordmine=True)
        size = sum(p.stat().st_size for p in shards) / 1e6
        for label, res, check in (("count (one process)", one, ""),
                                  ("count --dask local:2", dask, same(single, on_dask) + " to one process")):
            rows.append([label, "4 shards", fmt(size, 1), fmt(res.seconds) if res.ok else status_cell(res),
                         fmt(size / res.seconds) if res.ok else "", fmt(res.peak_rss_mb, 0), "", check])
    emit(table(header, rows))
    emit()
    emit(f"The --jobs rows: 1 and 2 run alternately {JOBS_ROUNDS} times, the fastest of each kept (every "
         "time is in the check column), memory sampled once a second (its peak is rough there). ")
    emit(f"Targets: --jobs 2 at least {JOBS_TARGET}x --jobs 1 with identical output; the 1 GB run within "
         f"{MAX_TIME_RATIO:.0f}x the 100 MB time with a peak of at most 2.2 GB under --memory {GIGABYTE_BUDGET}; "
         "Dask equal to one process. The mixed files are the corpora of SCALE_SOURCES one after another, "
         "repeated. The 4 shards are laws, reviews (pos), medical_qa and pd1998 raw text.")
    emit()


# --------------------------------------------------------------------------- main




def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=None,
                    help="folder of benchmark data (default: ../shared/data from the repository root)")
    ap.add_argument("--python", default=sys.executable,
                    help="interpreter that runs wordmine and the baseline (default: this one)")
    ap.add_argument("--skip-scale", action="store_true", help="skip the 100 MB and 1 GB rows")
    ap.add_argument("--only", nargs="+", default=SECTIONS, choices=SECTIONS, metavar="SECTION",
                    help=f"run only these sections ({', '.join(SECTIONS)})")
    ap.add_argument("--cache-dir", default=None,
                    help="where outputs and the 100 MB file go (default: .bench_cache at the repository root)")
    ap.add_argument("--timeout", type=float, default=None,
                    help="kill any single measured command after this many seconds")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    data = Path(args.data).resolve() if args.data else (REPO / ".." / "shared" / "data").resolve()
    cache = Path(args.cache_dir).resolve() if args.cache_dir else REPO / ".bench_cache"
    python = args.python
    if os.sep in python:
        python = os.path.abspath(python)
    cache.mkdir(parents=True, exist_ok=True)
    bench = Bench(python=python, data=data, cache=cache, timeout=args.timeout)
    log(f"data {data}, cache {cache}, python {python}")

    emit("# wordmine benchmark")
    emit()
    emit(table(["machine", ""], machine_info(bench)))
    emit()
    emit(f"Data: `{data}`")
    emit()

    if "precision" in args.only:
        section_precision(bench)
    if "speed" in args.only:
        section_speed(bench, args.skip_scale)
    if "contrast" in args.only:
        section_contrast(bench)
    if "segment" in args.only:
        section_segment(bench)
    if "scale" in args.only:
        section_scale(bench, args.skip_scale)

    if bench.failures:
        emit("## Failures")
        emit()
        for label, res in bench.failures:
            emit(f"### {label}: {status_cell(res)}")
            emit()
            emit("```")
            emit(res.stderr_tail.rstrip()[-2000:])
            emit("```")
            emit()
    if bench.commands:
        emit("Commands run (working directory: repository root):")
        emit()
        for c in bench.commands:
            emit(f"    {c}")
        emit()
    return 1 if bench.wordmine_failed else 0


if __name__ == "__main__":
    sys.exit(main())
