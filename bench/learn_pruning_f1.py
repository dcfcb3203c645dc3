"""What pruning the counts costs a learned segmenter: F1 on pd1998 with the table whole and pruned.

    python bench/learn_pruning_f1.py [--data ../shared/data] [--shares 0,32,16,8,4]

Counts pd1998's raw text once per share of the table (MiB kept for learning; 0 = the
whole table), learns charlm and the CRF from it (the CRF's own share of the budget the
same in every row, --memory 1G, so that only the counts differ), segments the raw text
and scores it against the gold standard. Prints one line per model. Skips cleanly
(status 0) when the data folder is absent.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from wordmine.api import CountingOptions, count_sources, evaluate
from wordmine.counting.reducers.learning import LearningPruning
from wordmine.segmentation.learning import learn_segmenter


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument("--shares", default="0,32,16,8,4")
    args = parser.parse_args()
    folder = Path(args.data) / "pd1998"
    if not (folder / "raw.txt").exists():
        print(f"{folder}: no data; skipped", file=sys.stderr)
        return 0
    raw = str(folder / "raw.txt")
    gold = (folder / "gold.txt").read_text(encoding="utf-8").splitlines()
    lines = Path(raw).read_text(encoding="utf-8").splitlines()
    print("| table kept (MiB) | pruned at | n-grams kept | method | F1 |")
    print("|---|---|---|---|---|")
    for share in (int(s) for s in args.shares.split(",")):
        reduce = LearningPruning(order=4, budget=share << 20) if share else None
        corpus = count_sources([raw], 4, CountingOptions(memory=8 << 30, jobs=1), reduce=reduce)
        for method in ("charlm", "crf"):
            segmenter = learn_segmenter(corpus, method, memory=1 << 30)
            score = evaluate(gold, list(segmenter.segment(lines)))
            print(f"| {share or 'whole'} | {corpus.pruned_at or '-'} | {sum(len(k) for k in corpus.counts.keys):,} | "
                  f"{method} | {score.f1:.4f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
