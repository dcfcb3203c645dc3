"""Does the charlm segmenter's default carry over to text it did not learn from?

    python bench/heldout_segment.py [--data ../shared/data]

The segmentation benchmark learns from the text it segments (the issue's
protocol), and the weights of the entropy-variation scores were chosen on those
four sets. Here the model learns from one part and segments another it never
saw: pd1998's first half against its second half, and the train files of
zhuxian and medical_forum against their test files. Each set is scored with the
entropy-variation scores off (``boundary_weight=0, word_weight=0``, the model
before them) and with the defaults, and printed as a markdown table of word-span
F1 (the figures of ``wordmine eval``). ctb6 has no train file, so it is left out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from wordmine.config import CharLMConfig, CountConfig
from wordmine.counting.engine.counter import count_text
from wordmine.segmentation.charlm.model import learn_charlm
from wordmine.segmentation.evaluation import evaluate
from wordmine.segmentation.lossless import segment_text

VARIANTS = {
    "entropy-variation scores off": CharLMConfig(boundary_weight=0, word_weight=0),
    "default": CharLMConfig(),
}


def gold_lines(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return [line.strip() for line in handle if line.strip()]


def splits(data: Path) -> list[tuple[str, list[str], list[str]]]:
    """(label, gold lines learned from, gold lines scored) for each set present."""
    out = []
    pd1998 = data / "pd1998" / "gold.txt"
    if pd1998.is_file():
        lines = gold_lines(pd1998)
        half = len(lines) // 2
        out.append(("pd1998 1st half -> 2nd half", lines[:half], lines[half:]))
    for name in ("zhuxian", "medical_forum"):
        train, test = data / name / "train_gold.txt", data / name / "test_gold.txt"
        if train.is_file() and test.is_file():
            out.append((f"{name} train -> test", gold_lines(train), gold_lines(test)))
    return out


def f1(gold: list[str], raw: list[str], config: CharLMConfig, learned_from: list[str]) -> float:
    corpus = count_text(["".join(line.split()) + "\n" for line in learned_from], CountConfig(order=4, jobs=1))
    model = learn_charlm(corpus, config)
    predicted = [segment_text(line, model)[0] for line in raw]
    return evaluate(gold, predicted).f1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    rows = splits(args.data)
    if not rows:
        print(f"skipped: no pd1998, zhuxian or medical_forum gold under {args.data}")
        return 0
    print("| learned from -> segmented | " + " | ".join(VARIANTS) + " |")
    print("|---|" + "---|" * len(VARIANTS))
    for label, learned_from, scored in rows:
        raw = ["".join(line.split()) for line in scored]
        cells = [f"{f1(scored, raw, config, learned_from):.3f}" for config in VARIANTS.values()]
        print(f"| {label} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
