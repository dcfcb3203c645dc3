"""Segmenting the user's own text: jieba, jieba with discovered words, the unsupervised CRF, the adapted CRF.

    python bench/adapt_bench.py [--data ../shared/data] [--json adapt_bench.json] [--steps] [--sets a,b]

The protocol is crf_bench's ``self``: each model learns from a set's raw text
(the gold with its spaces removed, plus the train file where there is one) and
segments the test gold's raw text, scored as ``wordmine eval`` does (word spans).

- ``jieba``: ``jieba.Tokenizer().lcut`` (HMM on), jieba's default cut;
- ``jieba + discovered words``: the same with ``wordmine.to_jieba`` of the words
  ``discover`` finds in the learning text (the entries of ``discover --format jieba``);
- ``crf --adapt none``: ``wordmine learn --adapt none`` (the unsupervised CRF, taught by charlm);
- ``crf --adapt jieba (default)``: ``wordmine learn``, the same as ``--adapt jieba``;
- with ``--steps``, the adapted teacher's rules one at a time (``STEPS``).

Then the adapted model's cost: segmenting pd1998's raw text repeated to >= 30 MB
on one core (as crf_bench's speed row), and ``wordmine learn --adapt jieba`` on
6.6 MB of laws.txt (wall time, peak memory of the child process).

Missing data files are skipped with a line saying so.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from common import learn_on_laws_head
from crf_bench import corpus_of, raw, self_sets

from wordmine.config import CRFConfig, DiscoverConfig
from wordmine.io.tables import jieba_tokenizer
from wordmine.mining.discover import discover
from wordmine.mining.jieba_dict import to_jieba
from wordmine.segmentation.crf.learn import learn_crf
from wordmine.segmentation.evaluation import evaluate
from wordmine.segmentation.lossless import segment_text

RECORDS: list[dict] = []
ADAPTED = "crf --adapt jieba (default)"

#: The adapted teacher's steps one at a time (``--steps``), each a CRFConfig; the last is the default.
STEPS = {
    "adapt: jieba's cut (HMM on) as teacher": CRFConfig(adapt="jieba", adapt_discovered=False, adapt_hmm="kept"),
    "adapt: jieba's cut (HMM off) as teacher": CRFConfig(adapt="jieba", adapt_discovered=False, adapt_hmm="off"),
    "adapt: + discovered words (HMM on)": CRFConfig(adapt="jieba", adapt_hmm="kept"),
    "adapt: + discovered words (HMM off)": CRFConfig(adapt="jieba", adapt_hmm="off"),
    "adapt: + discovered words, HMM words where discover confirms them": CRFConfig(adapt="jieba"),
    "adapt: the same + jieba dictionary features (--dictionary jieba)": CRFConfig(adapt="jieba",
                                                                                 dictionary="jieba"),
}


def lines_of(tokenizer, text: str) -> list[str]:
    return [" ".join(w for w in tokenizer.lcut(line) if w.strip()) for line in text.rstrip("\n").split("\n")]


def record(protocol: str, method: str, gold: list[str], predicted: list[str], **extra) -> None:
    s = evaluate(gold, predicted)
    row = {"set": protocol, "method": method, "f1": round(s.f1, 4), "precision": round(s.precision, 4),
           "recall": round(s.recall, 4), **extra}
    RECORDS.append(row)
    cells = " | ".join(f"{k} {v}" for k, v in extra.items())
    print(f"| {protocol} | {method} | {s.f1:.4f} | {s.precision:.4f} | {s.recall:.4f} | {cells} |", flush=True)


def learned(corpus, config: CRFConfig):
    start = time.perf_counter()
    model = learn_crf(corpus, config)
    return model, round(time.perf_counter() - start, 1)


def speed(model, text: str) -> None:
    """Segmenting ``text`` repeated to >= 30 MB on one core, pieces of 1 MB as the CLI cuts them."""
    repeated = text * (30_000_000 // len(text.encode("utf-8")) + 1)
    size = len(repeated.encode("utf-8"))
    start, cpu = time.perf_counter(), time.process_time()
    at = 0
    while at < len(repeated):
        end = repeated.find("\n", at + (1 << 20) // 3)
        end = len(repeated) if end < 0 else end + 1
        segment_text(repeated[at:end], model)
        at = end
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    row = {"set": f"pd1998 raw x{size / len(text.encode('utf-8')):.1f} ({size / 1e6:.1f} MB), one process",
           "method": f"{ADAPTED}: speed", "mb_per_s": round(size / 1e6 / seconds, 2),
           "cpu_mb_per_s": round(size / 1e6 / cpu, 2)}
    RECORDS.append(row)
    print(f"| {row['set']} | {row['method']} | | | | {row['mb_per_s']} MB/s, cpu {row['cpu_mb_per_s']} MB/s |",
          flush=True)


def learn_cost(data: Path) -> None:
    """``wordmine learn --adapt jieba`` on the first 6.6 MB of laws.txt: wall time and peak memory."""
    cost = learn_on_laws_head(data, ["--adapt", "jieba"])
    if cost is None:
        return
    row = {"set": cost["command"], "method": f"{ADAPTED}: learning", "seconds": round(cost["seconds"], 1),
           "cpu_s": round(cost["cpu_s"], 1), "peak_mib": cost["peak_mib"], "exit": cost["exit"]}
    RECORDS.append(row)
    print(f"| {row['set']} | {row['method']} | | | | {row['seconds']} s (cpu {row['cpu_s']} s), {row['peak_mib']} MiB, "
          f"exit {row['exit']} |", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--json", type=Path, default=Path("adapt_bench.json"))
    parser.add_argument("--steps", action="store_true", help="also each step of the adapted teacher alone")
    parser.add_argument("--sets", default="", help="only these sets (comma-separated names)")
    parser.add_argument("--no-cost", action="store_true", help="skip the speed and learning-time rows")
    args = parser.parse_args()
    sets = self_sets(args.data)
    if args.sets:
        sets = [s for s in sets if s[0] in args.sets.split(",")]
    if not sets:
        print(f"skipped: no gold sets under {args.data}")
        return 0
    print("| set | method | F1 | P | R | |\n|---|---|---|---|---|---|")
    for protocol, learned_from, scored in sets:
        corpus = corpus_of(learned_from)
        text = "\n".join(raw(scored)) + "\n"
        record(protocol, "jieba", scored, lines_of(jieba_tokenizer(), text))
        words = discover(corpus, DiscoverConfig())
        tokenizer = to_jieba(words, jieba_tokenizer(), total_units=corpus.total_units)
        record(protocol, "jieba + discovered words", scored, lines_of(tokenizer, text))
        model, seconds = learned(corpus, CRFConfig(adapt="none"))
        record(protocol, "crf --adapt none", scored, segment_text(text, model), learn_s=seconds)
        adapted, seconds = learned(corpus, CRFConfig(adapt="jieba"))
        record(protocol, ADAPTED, scored, segment_text(text, adapted), learn_s=seconds)
        if args.steps:
            for label, config in STEPS.items():
                model, seconds = learned(corpus, config)
                record(protocol, label, scored, segment_text(text, model), learn_s=seconds)
        if protocol == "pd1998" and not args.no_cost:
            speed(adapted, (args.data / "pd1998" / "raw.txt").read_text(encoding="utf-8"))
    if not args.no_cost:
        learn_cost(args.data)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(RECORDS, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
