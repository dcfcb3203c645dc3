"""The CRF segmenter against charlm and jieba, in one run: F1, the gold-lines curve, speed and memory.

    python bench/crf_bench.py [--data ../shared/data] [--json crf_bench.json] [--only heldout,self,...]

Sections (each row is also a JSON record with the protocol it ran):

- ``heldout``: the protocols of ``bench/heldout_segment.py`` (learn on one text,
  segment another: pd1998 1st half -> 2nd half, zhuxian and medical_forum train
  -> test): charlm (the default), the CRF with each teacher, with and without
  jieba's dictionary as features, and ``jieba.lcut`` (HMM on) on the same lines.
- ``self``: learn on a set's raw text and score it (the README segmentation
  protocol: zhuxian and medical_forum also learn the raw text of their train file).
- ``rounds``: self-training rounds (pd1998 halves), F1 after each.
- ``gold``: F1 against the number of gold lines (0, 100, 500, 2000 from the
  first half of pd1998) added to the pseudo-labelled ones (pd1998 halves).
- ``words``: how often 但是, 此外, 所以 come out whole in pd1998 segmented by a
  model learned on it.
- ``speed``: segmenting pd1998's raw text repeated to >= 30 MB on one core with a
  model loaded once (in this process; pieces of 1 MB as the CLI cuts them), in MB
  per second of wall time and of this process's CPU time.
- ``learn``: ``wordmine learn --method crf`` on 6.6 MB of laws.txt (distinct text),
  wall time and peak memory of the process tree.

Missing data files are skipped with a line saying so.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from common import learn_on_laws_head
from heldout_segment import gold_lines, splits

from wordmine.config import CharLMConfig, CountConfig, CRFConfig
from wordmine.counting.engine.counter import count_text
from wordmine.io.tables import jieba_tokenizer
from wordmine.segmentation.charlm.model import learn_charlm
from wordmine.segmentation.crf.learn import learn_crf
from wordmine.segmentation.evaluation import evaluate
from wordmine.segmentation.lossless import segment_text

SECTIONS = ("heldout", "self", "rounds", "gold", "words", "speed", "learn")
#: The CRF these sections study: learned from charlm's segmentation, no word list (the adapted default is
#: measured by adapt_bench.py).
UNSUPERVISED = "crf --adapt none (teacher charlm)"
RECORDS: list[dict] = []


def raw(lines: list[str]) -> list[str]:
    return ["".join(line.split()) for line in lines]


def corpus_of(lines: list[str]):
    return count_text([line + "\n" for line in raw(lines)], CountConfig(order=4, jobs=1))


def score(model_or_segmenter, scored: list[str]) -> float:
    text = "\n".join(raw(scored)) + "\n"
    if callable(model_or_segmenter):
        predicted = model_or_segmenter(text)
    else:
        predicted = segment_text(text, model_or_segmenter)
    return evaluate(scored, predicted).f1


def jieba_segmenter():
    tokenizer = jieba_tokenizer()  # jieba's own dictionary, HMM on in lcut: what a user gets by default
    return lambda text: [" ".join(w for w in tokenizer.lcut(line) if w.strip())
                         for line in text.rstrip("\n").split("\n")]


def record(section: str, protocol: str, method: str, **values) -> dict:
    row = {"section": section, "protocol": protocol, "method": method, **values}
    RECORDS.append(row)
    cells = ", ".join(f"{k} {v:.4f}" if k == "f1" else f"{k} {v}" for k, v in values.items())
    print(f"| {section} | {protocol} | {method} | {cells} |", flush=True)
    return row


def self_sets(data: Path) -> list[tuple[str, list[str], list[str]]]:
    """(name, lines learned from, lines scored): the README segmentation protocol."""
    out = []
    for name, scored, extra in (("pd1998", "pd1998/gold.txt", []),
                                ("zhuxian", "zhuxian/test_gold.txt", ["zhuxian/train_gold.txt"]),
                                ("ctb6", "ctb6/test_gold.txt", []),
                                ("medical_forum", "medical_forum/test_gold.txt", ["medical_forum/train_gold.txt"])):
        if (data / scored).is_file() and all((data / e).is_file() for e in extra):
            lines = gold_lines(data / scored)
            out.append((name, lines + [line for e in extra for line in gold_lines(data / e)], lines))
    return out


def variants(with_dictionary: bool) -> dict[str, CRFConfig]:
    out = {UNSUPERVISED: CRFConfig(adapt="none"), "crf (teacher lexicon)": CRFConfig(teacher="lexicon"),
           "crf (teacher both, --adapt none)": CRFConfig(teacher="both", adapt="none")}
    if with_dictionary:
        out["crf --adapt none + jieba dictionary"] = CRFConfig(adapt="none", dictionary="jieba")
    return out


def compare(section: str, sets, with_teachers: bool) -> None:
    jieba = jieba_segmenter()
    for protocol, learned_from, scored in sets:
        corpus = corpus_of(learned_from)
        record(section, protocol, "charlm", f1=score(learn_charlm(corpus, CharLMConfig()), scored))
        configs = variants(True) if with_teachers else {UNSUPERVISED: CRFConfig(adapt="none"),
                                                        "crf --adapt none + jieba dictionary":
                                                        CRFConfig(adapt="none", dictionary="jieba")}
        for label, config in configs.items():
            start = time.perf_counter()
            model = learn_crf(corpus, config)
            record(section, protocol, label, f1=score(model, scored), learn_s=round(time.perf_counter() - start, 1))
        record(section, protocol, "jieba.lcut (HMM on, supervised)", f1=score(jieba, scored))


def section_rounds(data: Path) -> None:
    for protocol, learned_from, scored in splits(data)[:1]:
        corpus = corpus_of(learned_from)
        for rounds in (1, 2, 3):
            record("rounds", protocol, f"crf, {rounds} round(s)", f1=score(learn_crf(corpus, CRFConfig(rounds=rounds, adapt="none")),
                                                                          scored))


def section_gold(data: Path) -> None:
    protocols = splits(data)
    if not protocols or not protocols[0][0].startswith("pd1998"):
        print("skipped gold: no pd1998")
        return
    protocol, learned_from, scored = protocols[0]
    corpus = corpus_of(learned_from)
    for n in (0, 100, 500, 2000):
        gold = [line.split() for line in learned_from[:n]]
        model = learn_crf(corpus, CRFConfig(gold_weight=5.0, adapt="none"), gold=gold or None)
        record("gold", protocol, f"crf + {n} gold lines (weight 5)", f1=score(model, scored), gold_lines=n)


@functools.cache
def pd1998_models(data: Path) -> tuple[str, tuple[tuple[str, object], ...]] | None:
    """pd1998's raw text and the charlm and CRF models learned on it, once for the sections that use them."""
    path = data / "pd1998" / "raw.txt"
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    corpus = count_text([text], CountConfig(order=4, jobs=1))
    return text, (("charlm", learn_charlm(corpus, CharLMConfig())),
                  (UNSUPERVISED, learn_crf(corpus, CRFConfig(adapt="none"))))


def pd1998_for(section: str, data: Path):
    """:func:`pd1998_models`, or None after saying the section is skipped."""
    learned = pd1998_models(data)
    if learned is None:
        print(f"skipped {section}: no pd1998")
    return learned


def section_words(data: Path) -> None:
    learned = pd1998_for("words", data)
    if learned is None:
        return
    text, models = learned
    for label, model in models:
        out = " ".join(segment_text(text, model))
        for word in ("但是", "此外", "所以"):
            whole = f" {out} ".count(f" {word} ")
            record("words", "pd1998 learned on itself", label, word=word, whole=whole, occurrences=text.count(word))


def section_speed(data: Path) -> None:
    learned = pd1998_for("speed", data)
    if learned is None:
        return
    text, models = learned
    repeated = text * (30_000_000 // len(text.encode("utf-8")) + 1)
    size = len(repeated.encode("utf-8"))
    piece = 1 << 20
    for label, model in models:
        start, cpu = time.perf_counter(), time.process_time()
        at = 0
        while at < len(repeated):  # pieces end at a line end, as the CLI cuts them
            end = repeated.find("\n", at + piece // 3)
            end = len(repeated) if end < 0 else end + 1
            segment_text(repeated[at:end], model)
            at = end
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        # CPU time beside wall time: on a shared machine the wall clock also counts other jobs' turns
        record("speed", f"pd1998 raw x{size / len(text.encode('utf-8')):.1f} ({size / 1e6:.1f} MB), one process",
               label, mb_per_s=round(size / 1e6 / seconds, 2), cpu_mb_per_s=round(size / 1e6 / cpu, 2))


def section_learn(data: Path) -> None:
    cost = learn_on_laws_head(data, ["--method", "crf", "--adapt", "none"])
    if cost is not None:
        record("learn", cost["command"], UNSUPERVISED, seconds=round(cost["seconds"], 1), peak_mib=cost["peak_mib"],
               exit=cost["exit"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--json", type=Path, default=Path("crf_bench.json"))
    parser.add_argument("--only", default=",".join(SECTIONS))
    args = parser.parse_args()
    only = args.only.split(",")
    if not splits(args.data) and not self_sets(args.data):
        print(f"skipped: no gold sets under {args.data}")
        return 0
    print("| section | protocol | method | figures |\n|---|---|---|---|")
    if "heldout" in only:
        compare("heldout", splits(args.data), with_teachers=True)
    if "self" in only:
        compare("self", self_sets(args.data), with_teachers=False)
    for name, run in (("rounds", section_rounds), ("gold", section_gold), ("words", section_words),
                      ("speed", section_speed), ("learn", section_learn)):
        if name in only:
            run(args.data)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(RECORDS, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
