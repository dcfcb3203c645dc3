"""wordmine against the tools a user would pick instead, each pair measured in the same run.

Four comparisons, each as medians of interleaved runs (wordmine, peer,
wordmine, peer, ...), so that a shared machine's load weighs on both sides:

- segmenting pd1998's raw text repeated six times (about 33 MB), one process
  (``--jobs 1``), with a CRF and a charlm model learned from pd1998, against
  SentencePiece encoding the same file on one thread with a unigram model
  learned from the same text (``bench/peer_sentencepiece.py``);
- learning the default CRF from the first 6.6 MB of laws.txt, against
  SentencePiece's unigram training on the same text, one thread;
- ``import wordmine`` against ``import jieba`` (and bare ``python -c pass``),
  with ``wordmine --help`` and ``wordmine discover`` on a 99 KB file, where
  start-up is most of the time;
- ``wordmine count`` on 100 MB of laws with two jobs against one job (skipped
  with ``--skip-scale``).

Times are wall seconds and CPU seconds (user + system of the process and the
workers it waited for): on a machine other work shares, CPU time moves less.
The SentencePiece rows need the ``bench`` extra (``pip install -e '.[bench]'``,
which ``make bench`` does) and are skipped without it.
"""

from __future__ import annotations

import filecmp
import shlex
import statistics
import subprocess
from pathlib import Path

from common import (
    BENCH_DIR,
    LEARN_BYTES,
    REPO,
    Bench,
    Table,
    head_lines,
    log,
    one_line,
    repeated_file,
    scale_file,
    segment_files,
    warm_cache,
)

TITLE = "Against peers, measured in the same run"
SEGMENT_COPIES = 6  # pd1998 six times: about 33 MB
SEGMENT_PAIRS = 3
LEARN_PAIRS = 2
IMPORT_PAIRS = 7
COUNT_PAIRS = 3  # one pair of 100 MB counts varied by a tenth between runs: the median of three
COLUMNS = [("measure", "measure", ""), ("input", "input", ""), ("MB in", "mb_in", ",.1f"), ("runs", "runs", "d"),
           ("wall s", "seconds", ",.2f"), ("CPU s", "cpu_seconds", ",.2f"), ("MB/s wall", "mb_per_s", ",.2f"),
           ("MB/s CPU", "mb_per_s_cpu", ",.2f"), ("vs peer (wall)", "vs_wall", ""), ("vs peer (CPU)", "vs_cpu", ""),
           ("check", "check", "")]


def has_sentencepiece(bench: Bench) -> bool:
    probe = subprocess.run([bench.python, "-c", "import sentencepiece"], capture_output=True, check=False, cwd=REPO)
    return probe.returncode == 0


class Timing:
    """The runs of one command: medians of wall and CPU seconds, or the first failure."""

    def __init__(self, label: str, argv: list[str], mb: float | None, wordmine: bool = True) -> None:
        self.label, self.argv, self.mb, self.wordmine = label, argv, mb, wordmine
        self.walls: list[float] = []
        self.cpus: list[float] = []
        self.failed: str | None = None

    def run(self, bench: Bench) -> None:
        if self.failed:
            return
        res = bench.run(self.label, self.argv, wordmine=self.wordmine, poll_interval=0.5)
        if res.ok:
            self.walls.append(res.seconds)
            self.cpus.append(res.cpu_seconds)
            log(f"{self.label}: {res.cpu_seconds:.2f} s CPU")
        else:
            self.failed = one_line(res)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)

    def record(self, measure: str, input_name: str, peer: Timing | None = None, check: str | None = None) -> dict:
        out = {"measure": measure, "input": input_name, "mb_in": self.mb, "command": shlex.join(self.argv)}
        if self.failed:
            return {**out, "failed": self.failed}
        out.update(runs=len(self.walls), seconds=self.wall, cpu_seconds=self.cpu, check=check)
        if self.mb:
            out.update(mb_per_s=self.mb / self.wall, mb_per_s_cpu=self.mb / self.cpu)
        if peer is not None and not peer.failed and peer.walls:
            out.update(vs_wall=f"{self.wall / peer.wall:.2f}x time", vs_cpu=f"{self.cpu / peer.cpu:.2f}x time")
        return out


def interleaved(bench: Bench, timings: list[Timing], pairs: int) -> None:
    """Run each command once per round, in turn, for ``pairs`` rounds."""
    for _ in range(pairs):
        for timing in timings:
            timing.run(bench)


def segment_rows(bench: Bench, sentencepiece: bool) -> list[dict]:
    skipped = bench.missing("pd1998/gold.txt")
    if skipped:
        return [{"measure": "segment", "input": "pd1998 x 6", "skipped": skipped}]
    _gold, _test, learn = segment_files(bench, "pd1998", "pd1998/gold.txt", [])
    data = learn.read_bytes()
    text = repeated_file(data, SEGMENT_COPIES * len(data), bench.cache / f"peers_pd1998_x{SEGMENT_COPIES}.txt")
    warm_cache(text)
    mb = text.stat().st_size / 1e6
    name = f"pd1998 x {SEGMENT_COPIES}"
    rows = []
    models = {}
    for method in ("crf", "charlm"):
        model = bench.cache / f"peers_pd1998_{method}.wmm"
        res = bench.run(f"learn {method} pd1998", bench.wordmine("learn", learn, "--method", method, "-o", model,
                                                                  "--quiet"))
        if res.ok:
            models[method] = model
        else:
            rows.append({"measure": f"wordmine segment --model ({method})", "input": name,
                         "failed": f"learning the model: {one_line(res)}"})
    timings = [Timing(f"segment {method} {name}", bench.wordmine(
        "segment", "--model", model, "--jobs", 1, text, "-o", bench.cache / f"peers_segment_{method}.txt", "--quiet"),
        mb) for method, model in models.items()]
    peer = None
    if sentencepiece:
        prefix = bench.cache / "peers_pd1998_sp"
        res = bench.run("sentencepiece train pd1998", [bench.python, str(BENCH_DIR / "peer_sentencepiece.py"),
                                                       "train", str(learn), str(prefix)], wordmine=False)
        if res.ok:
            peer = Timing(f"sentencepiece encode {name}", [
                bench.python, str(BENCH_DIR / "peer_sentencepiece.py"), "encode", f"{prefix}.model", str(text),
                str(bench.cache / "peers_segment_sentencepiece.txt")], mb, wordmine=False)
            timings.append(peer)
        else:
            rows.append({"measure": "SentencePiece encode, 1 thread", "input": name,
                         "failed": f"training: {one_line(res)}"})
    first: dict[str, Path] = {}
    for round_ in range(SEGMENT_PAIRS):
        for timing in timings:
            timing.run(bench)
        if round_ == 0:  # keep the first outputs: every later run must write the same bytes
            for method in models:
                out = bench.cache / f"peers_segment_{method}.txt"
                if out.is_file():
                    first[method] = out.rename(out.with_suffix(".first.txt"))
    for method, timing in zip(models, timings):
        out = bench.cache / f"peers_segment_{method}.txt"
        check = None
        if method in first and out.is_file():
            same = filecmp.cmp(first[method], out, shallow=False)
            check = "output identical across runs" if same else "OUTPUT DIFFERS between runs"
        rows.append(timing.record(f"wordmine segment --model ({method}) --jobs 1", name, peer, check))
    if peer is not None:
        rows.append(peer.record("SentencePiece encode (unigram, 8000 pieces), 1 thread", name))
    elif not sentencepiece:
        rows.append({"measure": "SentencePiece encode, 1 thread", "input": name,
                     "skipped": "skipped (sentencepiece not installed: pip install -e '.[bench]')"})
    return rows


def learn_rows(bench: Bench, sentencepiece: bool) -> list[dict]:
    skipped = bench.missing("laws/laws.txt")
    if skipped:
        return [{"measure": "learn", "input": "laws.txt", "skipped": skipped}]
    text = head_lines(bench.data / "laws" / "laws.txt", LEARN_BYTES, bench.cache / "peers_laws_head.txt")
    warm_cache(text)
    mb = text.stat().st_size / 1e6
    name = f"laws.txt, first {mb:.1f} MB"
    ours = Timing(f"learn crf {name}", bench.wordmine("learn", text, "-o", bench.cache / "peers_laws_crf.wmm",
                                                       "--quiet"), mb)
    unsupervised = Timing(f"learn crf --adapt none {name}", bench.wordmine(
        "learn", text, "--adapt", "none", "-o", bench.cache / "peers_laws_crf_none.wmm", "--quiet"), mb)
    timings = [ours, unsupervised]
    peer = None
    if sentencepiece:
        peer = Timing(f"sentencepiece train {name}", [bench.python, str(BENCH_DIR / "peer_sentencepiece.py"),
                                                      "train", str(text), str(bench.cache / "peers_laws_sp")],
                      mb, wordmine=False)
        timings.append(peer)
    interleaved(bench, timings, LEARN_PAIRS)
    rows = [ours.record("wordmine learn (default: crf --adapt jieba)", name, peer),
            unsupervised.record("wordmine learn --adapt none (unsupervised crf)", name, peer)]
    if peer is not None:
        rows.append(peer.record("SentencePiece train (unigram, 8000 pieces), 1 thread", name))
    else:
        rows.append({"measure": "SentencePiece train, 1 thread", "input": name,
                     "skipped": "skipped (sentencepiece not installed: pip install -e '.[bench]')"})
    return rows


def import_rows(bench: Bench) -> list[dict]:
    """Start-up: the import, ``--help`` and ``discover`` on a 99 KB file, each a fresh process.

    The package's bytecode is compiled first, as ``pip install`` does: where
    ``PYTHONDONTWRITEBYTECODE`` is set (or the folder is read-only), an editable
    install would otherwise compile every module again on every run.
    """
    bench.run("compile wordmine's bytecode", [bench.python, "-m", "compileall", "-q", str(REPO / "wordmine")],
              wordmine=False)
    story = REPO / "corpora_samples" / "story.txt"
    ours = Timing("import wordmine", [bench.python, "-c", "import wordmine"], None)
    jieba = Timing("import jieba", [bench.python, "-c", "import jieba"], None, wordmine=False)
    bare = Timing("python -c pass", [bench.python, "-c", "pass"], None, wordmine=False)
    helps = Timing("wordmine --help", bench.wordmine("--help"), None)
    small = Timing("discover story.txt", bench.wordmine("discover", story, "--quiet", "-o", bench.cache /
                                                        "peers_discover_story.tsv"), story.stat().st_size / 1e6)
    interleaved(bench, [ours, jieba, bare, helps, small], IMPORT_PAIRS)
    return [ours.record('python -c "import wordmine"', "-", jieba),
            jieba.record('python -c "import jieba"', "-"),
            bare.record('python -c "pass" (interpreter start-up alone)', "-"),
            helps.record("wordmine --help", "-"),
            small.record("wordmine discover (start-up and all)", f"story.txt, {story.stat().st_size / 1e3:.0f} KB")]


def count_rows(bench: Bench) -> list[dict]:
    name = "laws x 100 MB"
    skipped = bench.missing("laws/laws.txt") or ("skipped (--skip-scale)" if bench.skip_scale else None)
    if skipped:
        return [{"measure": "wordmine count --order 4, 2 jobs vs 1", "input": name, "skipped": skipped}]
    text = scale_file(bench, bench.data / "laws" / "laws.txt")
    warm_cache(text)
    mb = text.stat().st_size / 1e6
    timings = [Timing(f"count --jobs {jobs} {name}", bench.wordmine(
        "count", text, "-o", bench.cache / f"peers_count_jobs{jobs}.wmc", "--order", 4, "--jobs", jobs, "--quiet"),
        mb) for jobs in (2, 1)]
    interleaved(bench, timings, COUNT_PAIRS)
    two, one = timings
    check = None
    outputs = [bench.cache / f"peers_count_jobs{jobs}.wmc" for jobs in (2, 1)]
    if all(p.is_file() for p in outputs):
        check = "identical .wmc" if filecmp.cmp(*outputs, shallow=False) else "DIFFERENT .wmc"
    rows = [two.record("wordmine count --order 4 --jobs 2", name, one, check),
            one.record("wordmine count --order 4 --jobs 1", name)]
    if not two.failed and not one.failed:
        rows[0]["vs_wall"] = f"speed-up {one.wall / two.wall:.2f}x over 1 job"
        rows[0]["vs_cpu"] = f"{two.cpu / one.cpu:.2f}x the CPU of 1 job"
    return rows


def run(bench: Bench) -> list[Table]:
    sentencepiece = has_sentencepiece(bench)
    if not sentencepiece:
        log("sentencepiece is not installed for this interpreter: its rows are skipped (pip install -e '.[bench]')")
    table = Table(TITLE, COLUMNS, labels=2)
    table.records += segment_rows(bench, sentencepiece)
    table.records += learn_rows(bench, sentencepiece)
    table.records += import_rows(bench)
    table.records += count_rows(bench)
    table.notes.append(
        "Medians of interleaved runs (runs: how many of each), each command a fresh process measured from start "
        "to exit, start-up and import included. wall s: elapsed; CPU s: user + system time of the process and "
        "the workers it waited for. vs peer: this row's median time over the peer row's below it (below 1: "
        "wordmine is faster); for count, one job's time over two jobs' (the speed-up) and two jobs' CPU over "
        "one job's. MB = 10^6 bytes of input. SentencePiece runs from Python (bench/peer_sentencepiece.py): encode writes "
        "each line's pieces separated by spaces, as wordmine writes words.")
    return [table]
