"""Do two revisions of wordmine give the same outputs? Every command, on small real inputs, compared by sha256.

A check for refactorings ("behaviour unchanged"), not a test: it runs count,
merge, discover (tsv, jsonl, jieba, --new-only, from a count file), contrast,
learn and segment (charlm and crf), eval and info at two revisions, each
checked out with ``git worktree add`` into a temporary folder and run as
``python -m wordmine`` with ``PYTHONPATH`` pointing at it, and prints one row
per command: same or different (the sha256 of its stdout, exit status and the
files it writes).

Inputs: the three texts of ``corpora_samples/`` and, when ``--data`` exists,
the heads (whole lines, ``--head`` bytes) of the dev sets pd1998, zhuxian,
medical_forum and ctb6, their gold files made raw by removing the spaces.

    python bench/same_outputs.py 5bd23c7 HEAD
    python bench/same_outputs.py main . --only discover-jieba:story   # . is a source folder as it is

A revision may also be a folder holding ``wordmine/`` (run as it is, no
checkout). With ``--only`` the exit status says whether those rows are all the
same (0) or not (1), so that ``git bisect run`` can find the commit that
changed one output: copy this file out of the tree first, then
``git bisect run python /tmp/same_outputs.py GOOD . --only ROW``.
Each revision's outputs are kept in ``--keep`` (when given), so that a bisect
runs the fixed side once.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

#: The dev sets: name, gold file (words separated by spaces) whose head is used.
DEV_SETS = [
    ("pd1998", "pd1998/gold.txt"),
    ("zhuxian", "zhuxian/test_gold.txt"),
    ("medical_forum", "medical_forum/train_gold.txt"),
    ("ctb6", "ctb6/test_gold.txt"),
]
SAMPLES = ["story", "technical", "everyday"]


@dataclass
class Case:
    """One command: its row name, argv after ``wordmine`` ({in}: inputs folder, {out}: this revision's folder)."""

    name: str
    argv: list[str]
    needs: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)


def cases(corpora: list[str], gold: list[str]) -> list[Case]:
    """Every row, in the order run (a row's ``needs`` come before it)."""
    rows: list[Case] = []
    for c in corpora:
        raw = "{in}/" + c + ".txt"
        wmc = "{out}/" + c + ".wmc"
        rows += [
            Case(f"count-tsv:{c}", ["count", raw, "--min-count", "2"]),
            Case(f"count-jsonl:{c}", ["count", raw, "--order", "2", "--format", "jsonl", "--top", "300"]),
            Case(f"count-wmc:{c}", ["count", raw, "--format", "wmc", "-o", wmc], writes=[wmc]),
            Case(f"discover-tsv:{c}", ["discover", raw]),
            Case(f"discover-jsonl:{c}", ["discover", raw, "--format", "jsonl", "--top", "300", "--no-numbers"]),
            Case(f"discover-jieba:{c}", ["discover", raw, "--format", "jieba"]),
            Case(f"discover-jieba-top:{c}", ["discover", raw, "--format", "jieba", "--top", "30"]),
            Case(f"discover-new-only:{c}", ["discover", raw, "--new-only", "--header"]),
            Case(f"discover-wmc:{c}", ["discover", wmc], needs=[f"count-wmc:{c}"]),
        ]
        for method in ("charlm", "crf"):
            model = "{out}/" + f"{c}.{method}.wmm"
            rows += [
                Case(f"learn-{method}:{c}", ["learn", raw, "--method", method, "-o", model], writes=[model]),
                Case(f"segment-{method}:{c}", ["segment", raw, "--model", model], needs=[f"learn-{method}:{c}"]),
            ]
            if c in gold:
                rows.append(Case(f"eval-{method}:{c}", ["eval", "{in}/" + c + ".gold", "{out}/" + f"segment-{method}:{c}"],
                                 needs=[f"segment-{method}:{c}"]))
        rows.append(Case(f"info-crf:{c}", ["info", "{out}/" + f"{c}.crf.wmm"], needs=[f"learn-crf:{c}"]))
    rows.append(Case("segment-unigram:story", ["segment", "{in}/story.txt", "--method", "unigram"]))
    pairs = [("story", "technical")] + ([("pd1998", "zhuxian")] if "pd1998" in corpora else [])
    for a, b in pairs:
        merged = "{out}/" + f"{a}+{b}.wmc"
        rows += [
            Case(f"merge:{a}+{b}", ["merge", "{out}/" + a + ".wmc", "{out}/" + b + ".wmc", "-o", merged],
                 needs=[f"count-wmc:{a}", f"count-wmc:{b}"], writes=[merged]),
            Case(f"discover-merged:{a}+{b}", ["discover", merged], needs=[f"merge:{a}+{b}"]),
        ]
    contrasts = [("technical", "everyday")] + ([("medical_forum", "pd1998")] if "pd1998" in corpora else [])
    for domain, general in contrasts:
        for method in ("topical", "logodds"):
            rows.append(Case(f"contrast-{method}:{domain}-vs-{general}",
                             ["contrast", "{in}/" + domain + ".txt", "{in}/" + general + ".txt", "--method", method]))
    return rows


def with_needs(rows: list[Case], only: list[str]) -> list[Case]:
    by_name = {r.name: r for r in rows}
    missing = [n for n in only if n not in by_name]
    if missing:
        sys.exit(f"same_outputs: no row {', '.join(missing)} (--list shows them)")
    wanted: set[str] = set()
    todo = list(only)
    while todo:
        name = todo.pop()
        if name not in wanted:
            wanted.add(name)
            todo += by_name[name].needs
    return [r for r in rows if r.name in wanted]


def prepare_inputs(samples: Path, data: Path | None, head: int, folder: Path) -> tuple[list[str], list[str]]:
    """Write the inputs to ``folder``: returns (corpus names, names with a gold file)."""
    corpora = []
    for name in SAMPLES:
        shutil.copyfile(samples / f"{name}.txt", folder / f"{name}.txt")
        corpora.append(name)
    gold = []
    for name, rel in DEV_SETS if data is not None else []:
        with open(data / rel, "rb") as f:
            chunk = f.read(head)
        lines = [line for line in chunk[: chunk.rindex(b"\n") + 1].decode("utf-8").splitlines() if line.strip()]
        (folder / f"{name}.gold").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        (folder / f"{name}.txt").write_text("".join("".join(line.split()) + "\n" for line in lines), encoding="utf-8")
        corpora.append(name)
        gold.append(name)
    return corpora, gold


def resolve(repo: Path, rev: str) -> tuple[str, str | None]:
    """(label, full commit or None for a folder used as it is)."""
    if (Path(rev) / "wordmine" / "__init__.py").is_file():
        return str(Path(rev).resolve()), None
    sha = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", rev + "^{commit}"],
                         capture_output=True, text=True, check=False)
    if sha.returncode:
        sys.exit(f"same_outputs: {rev} is neither a git revision nor a folder holding wordmine/")
    return rev, sha.stdout.strip()


def run_revision(repo: Path, rev: str, rows: list[Case], inputs: Path, python: str, keep: Path | None,
                 scratch: Path) -> dict[str, str]:
    """The digest of every row at ``rev``: its exit status, stdout and written files, hashed."""
    label, sha = resolve(repo, rev)
    key = hashlib.sha256(json.dumps(["relative paths", sha, inputs.name, [(r.name, r.argv) for r in rows]]).encode()
                         ).hexdigest()[:16]
    cached = keep / f"{sha}-{key}.json" if keep is not None and sha else None
    if cached is not None and cached.is_file():
        return json.loads(cached.read_text())
    # Commands run in ``out`` and name their files relative to it ({out} is ".", {in} "../inputs-..."),
    # so that an output naming a file (info) is the same at both revisions and in any folder.
    out = scratch / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    tree = None
    if sha is None:
        source = Path(label)
    else:
        tree = scratch / f"tree-{sha[:12]}"
        subprocess.run(["git", "-C", str(repo), "worktree", "add", "--detach", "--force", str(tree), sha],
                       check=True, capture_output=True)
        source = tree
    env = dict(os.environ, PYTHONPATH=str(source), PYTHONHASHSEED="0", COLUMNS="100")
    where = subprocess.run([python, "-c", "import wordmine; print(wordmine.__file__)"], env=env, cwd=out,
                           capture_output=True, text=True, check=False).stdout.strip()
    if not where.startswith(str(source)):
        sys.exit(f"same_outputs: {python} imports wordmine from {where}, not from {source}")
    digests = {}
    try:
        for row in rows:
            argv = [a.replace("{in}", f"../{inputs.name}").replace("{out}", ".") for a in row.argv]
            began = time.monotonic()
            done = subprocess.run([python, "-m", "wordmine", *argv], env=env, cwd=out, capture_output=True, check=False)
            print(f"[{label}] {row.name} ({time.monotonic() - began:.1f} s)", file=sys.stderr, flush=True)
            (out / row.name).write_bytes(done.stdout)
            h = hashlib.sha256(f"exit {done.returncode}\n".encode() + done.stdout)
            for w in row.writes:
                path = out / w.replace("{out}/", "")
                h.update(path.read_bytes() if path.is_file() else b"(no file)")
            digests[row.name] = h.hexdigest()
            if done.returncode:  # said after the digest, so that the table shows why
                last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
                digests[row.name] += f" exit {done.returncode}: {last[0][:80]}"
    finally:
        if tree is not None:
            subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(tree)], capture_output=True, check=False)
        shutil.rmtree(out, ignore_errors=True)
    if cached is not None:
        cached.write_text(json.dumps(digests))
    return digests


def main() -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", help="a git revision, or a folder holding wordmine/")
    parser.add_argument("new", help="a git revision, or a folder holding wordmine/")
    parser.add_argument("--data", default=str(here.parent.parent / "shared" / "data"),
                        help="the dev sets (default ../shared/data); skipped when absent")
    parser.add_argument("--head", type=int, default=150_000, help="bytes of each dev set's gold file (whole lines)")
    parser.add_argument("--samples", default=None, help="folder of story.txt, technical.txt, everyday.txt "
                        "(default: corpora_samples/ of this file's tree)")
    parser.add_argument("--repo", default=None, help="the git repository (default: this file's)")
    parser.add_argument("--python", default=None, help="the Python to run (default: this tree's .venv, else this one)")
    parser.add_argument("--only", action="append", default=[], help="only this row (repeatable); exit 1 if different")
    parser.add_argument("--keep", default=None, help="keep each revision's digests in this folder and reuse them")
    parser.add_argument("--list", action="store_true", help="list the rows and stop")
    args = parser.parse_args()

    repo = Path(args.repo or subprocess.run(["git", "-C", str(here), "rev-parse", "--show-toplevel"],
                                            capture_output=True, text=True, check=True).stdout.strip())
    samples = Path(args.samples) if args.samples else repo / "corpora_samples"
    if not (samples / "story.txt").is_file():  # an old checkout run from elsewhere: the repository's own
        samples = repo / "corpora_samples"
    venv = here.parent / ".venv" / "bin" / "python"
    python = args.python or (str(venv) if venv.is_file() else sys.executable)
    data = Path(args.data) if Path(args.data).is_dir() else None
    if data is None:
        print(f"same_outputs: no {args.data}: the samples only", file=sys.stderr)
    keep = Path(args.keep) if args.keep else None
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="same-outputs-") as tmp:
        scratch = Path(tmp)
        inputs = scratch / f"inputs-{args.head}-{'data' if data else 'samples'}"
        inputs.mkdir()
        corpora, gold = prepare_inputs(samples, data, args.head, inputs)
        rows = cases(corpora, gold)
        if args.list:
            print("\n".join(r.name for r in rows))
            return 0
        if args.only:
            rows = with_needs(rows, args.only)
        old = run_revision(repo, args.old, rows, inputs, python, keep, scratch)
        new = run_revision(repo, args.new, rows, inputs, python, keep, scratch)

    shown = [r for r in rows if not args.only or r.name in args.only]
    width = max(len(r.name) for r in shown)
    print(f"{'command':<{width}}  result     {args.old} -> {args.new}")
    differ = 0
    for r in shown:
        a, b = old[r.name], new[r.name]
        same = a == b
        differ += not same
        note = "" if same else f"{a[:12]} -> {b[:12]}" + "".join(
            f"  [{side}{d[64:]}]" for side, d in (("old", a), ("new", b)) if len(d) > 64)
        print(f"{r.name:<{width}}  {'same' if same else 'DIFFERENT':<9}  {note}")
    print(f"{len(shown) - differ} same, {differ} different")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
