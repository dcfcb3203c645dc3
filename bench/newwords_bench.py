"""New words a user would accept: `discover --new-only --no-numbers` judged against gold words and THUOCL.

    python bench/newwords_bench.py [--data ../shared/data] [--json OUT.json] [--cache-dir DIR]
                                   [--python PATH] [--sets medical_forum zhuxian pd1998]

For each set, the words are discovered on its raw text (medical_forum and
zhuxian: train + test gold with the spaces removed; pd1998: raw.txt, for
reference). A listed word is judged correct when it is a token of the set's
gold files or an entry of one of THUOCL's domain lists (the words a user
would paste into a dictionary). Printed per set: precision of the top 100
and top 500 (or of the whole list when shorter), the judged-correct words of
the top 500, the words listed, how many of the top 200 are fragments (nine of
ten of their occurrences in the raw text inside a longer word, jieba's or
listed: counted here on the text, independently of wordmine's own rule),
whether `--format jieba` lists the same words, and the misses of the top 100,
so that a regression shows as words.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shlex
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent

# name, gold files whose words judge (and whose raw text is learned from, when raw is None), raw text file
SETS = {
    "medical_forum": (["medical_forum/train_gold.txt", "medical_forum/test_gold.txt"], None),
    "zhuxian": (["zhuxian/train_gold.txt", "zhuxian/test_gold.txt"], None),
    "pd1998": (["pd1998/gold.txt"], "pd1998/raw.txt"),
}
KS = (100, 500)
FRAGMENT_TOP = 200
FRAGMENT_SHARE = 0.9


def reference_words(data: Path, gold: list[str]) -> set[str]:
    """Tokens of the gold files and THUOCL entries, each also in its NFKC form (full-width digits fold)."""
    words: set[str] = set()
    for rel in gold:
        with open(data / rel, encoding="utf-8") as f:
            for line in f:
                words.update(line.split())
    for path in sorted(glob.glob(str(data / "thuocl" / "*.txt"))):
        with open(path, encoding="utf-8") as f:
            words.update(line.split("\t")[0].strip() for line in f if line.strip())
    return words | {unicodedata.normalize("NFKC", w) for w in words}


def learning_text(data: Path, cache: Path, name: str, gold: list[str], raw: str | None) -> Path:
    if raw is not None:
        return data / raw
    out = cache / f"newwords_{name}.txt"
    with open(out, "w", encoding="utf-8") as dst:
        for rel in gold:
            with open(data / rel, encoding="utf-8") as f:
                dst.writelines("".join(line.split()) + "\n" for line in f if line.strip())
    return out


def first_column(path: Path, sep: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        return [line.split(sep, 1)[0].strip() for line in f if line.strip()]


def fragments(text_path: Path, words: list[str], listed: list[str], known: set[str]) -> list[str]:
    """The ``words`` nine of ten of whose occurrences in the text sit inside a longer known or listed word."""
    import ahocorasick

    targets = set(words)
    probe = ahocorasick.Automaton()
    for w in targets:
        probe.add_word(w, w)
    probe.make_automaton()
    longer = {e for e in set(listed) | known if len(e) > 1 and any(w != e for _, w in probe.iter(e))}
    scan = ahocorasick.Automaton()
    for w in targets | longer:
        scan.add_word(w, w)
    scan.make_automaton()
    total = dict.fromkeys(targets, 0)
    inside = dict.fromkeys(targets, 0)
    with open(text_path, encoding="utf-8") as f:
        for line in f:
            spans = [(end - len(w) + 1, end + 1, w) for end, w in scan.iter(line)]
            covers = [(s, e) for s, e, w in spans if w in longer or w in targets]
            for s, e, w in spans:
                if w in targets:
                    total[w] += 1
                    if any(cs <= s and e <= ce and ce - cs > e - s for cs, ce in covers):
                        inside[w] += 1
    return [w for w in words if total[w] and inside[w] >= FRAGMENT_SHARE * total[w]]


def run_set(args, name: str) -> dict:
    gold, raw = SETS[name]
    data, cache = Path(args.data), Path(args.cache_dir)
    missing = [r for r in gold + ([raw] if raw else []) if not (data / r).is_file()]
    record: dict = {"set": name}
    if missing:
        record["skipped"] = f"skipped ({', '.join(missing)} not found)"
        return record
    text = learning_text(data, cache, name, gold, raw)
    listed_path, jieba_path = cache / f"newwords_{name}.tsv", cache / f"newwords_{name}.dict"
    argv = [args.python, "-m", "wordmine", "discover", str(text), "--new-only", "--no-numbers", "-q",
            "-o", str(listed_path)]
    record["command"] = shlex.join(argv)
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, check=False)
    record["seconds"] = time.perf_counter() - started
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        record["failed"] = f"exit {proc.returncode}" + (f": {lines[-1]}" if lines else "")
        return record
    jieba_argv = [args.python, "-m", "wordmine", "discover", str(text), "--format", "jieba", "-q",
                  "-o", str(jieba_path)]
    proc = subprocess.run(jieba_argv, capture_output=True, text=True, cwd=REPO, check=False)
    listed = first_column(listed_path, "\t")
    judge = reference_words(data, gold)
    for k in KS:
        head = listed[:k]
        record[f"p{k}"] = sum(w in judge for w in head) / len(head) if head else None
    record["correct"] = sum(w in judge for w in listed[: max(KS)])
    record["words"] = len(listed)
    from wordmine.io.tables import jieba_frequencies

    found = fragments(text, listed[:FRAGMENT_TOP], listed, set(jieba_frequencies()))
    record["fragments"] = len(found)
    record["same_as_jieba_format"] = (proc.returncode == 0 and set(first_column(jieba_path, " ")) == set(listed))
    record["misses"] = " ".join(w for w in listed[: KS[0]] if w not in judge)
    record["fragment_words"] = " ".join(found)
    return record


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(REPO / ".." / "shared" / "data"))
    ap.add_argument("--json", default=None)
    ap.add_argument("--cache-dir", default=str(REPO / ".bench_cache"))
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    args = ap.parse_args(argv)
    os.makedirs(args.cache_dir, exist_ok=True)
    records = [run_set(args, name) for name in args.sets]
    print("| set | P@100 | P@500 | correct (top 500) | words | fragments in top 200 | same as --format jieba |")
    print("|---|---|---|---|---|---|---|")
    for r in records:
        if "skipped" in r or "failed" in r:
            print(f"| {r['set']} | {r.get('skipped') or r.get('failed')} ||||||")
            continue
        p = [f"{r[f'p{k}']:.3f}" if r[f"p{k}"] is not None else "-" for k in KS]
        print(f"| {r['set']} | {p[0]} | {p[1]} | {r['correct']} | {r['words']} | {r['fragments']} | "
              f"{r['same_as_jieba_format']} |")
    for r in records:
        if r.get("misses") is not None:
            print(f"\n{r['set']}: misses in the top 100: {r['misses']}")
            if r["fragment_words"]:
                print(f"{r['set']}: fragments in the top 200: {r['fragment_words']}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(records, f, ensure_ascii=False, indent=1)
    return 1 if any("failed" in r for r in records) else 0


if __name__ == "__main__":
    sys.exit(main())
