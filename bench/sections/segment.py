"""Segmentation: P, R, F1 of every method on the four gold sets, learned on each set's raw text."""

from __future__ import annotations

import shlex

from common import SEGMENT_SETS, Bench, Table, measured, segment_files

TITLE = "Segmentation"
COLUMNS = [("gold set", "set", ""), ("method", "method", ""), ("P", "precision", ".3f"), ("R", "recall", ".3f"),
           ("F1", "f1", ".3f"), ("learn s", "learn_seconds", ".2f"), ("segment MB/s", "mb_per_s", ".2f"),
           ("peak MB (tree)", "peak_mb", ",.0f")]
MODELS = [  # label, file tag, learn options
    ("unigram (word model)", "unigram", ["--method", "unigram"]),
    ("charlm", "charlm", ["--method", "charlm"]),
    ("crf (default: --adapt jieba)", "crf", ["--method", "crf"]),
    ("crf --adapt none (unsupervised)", "crf_none", ["--method", "crf", "--adapt", "none"]),
    ("charlm, published weights", "charlm_published", ["--method", "charlm", "--transitions", "published"]),
]
NOTE = (
    "Learned on the raw text of the set (gold with spaces removed, plus the train file where there is one), "
    "scored on the test gold with `wordmine eval` (word spans, both boundaries must match). Classic: learn and "
    "segment in one run over the learning text, so its MB/s includes learning. MB/s includes starting Python "
    "and loading the model, which dominates on the small sets; the scale table below segments 57 MB of "
    "laws.txt with the pd1998 charlm model.")


def scored(bench: Bench, gold, predicted) -> dict:
    figures = bench.eval_figures(gold, predicted)
    return {"failed": figures} if isinstance(figures, str) else figures


def set_records(bench: Bench, name: str, gold_rel: str, extra_rel: list[str]) -> list[dict]:
    gold, test_raw, learn_raw = segment_files(bench, name, gold_rel, extra_rel)
    mb = test_raw.stat().st_size / 1e6
    test_lines = len(gold.read_text(encoding="utf-8").splitlines())
    records = []
    # classic: discovered lexicon + jieba's maximum-probability path, learned and applied in one run
    predicted = bench.cache / f"seg_{name}_classic_all.txt"
    argv = bench.wordmine("segment", learn_raw, "--method", "classic", "-o", predicted, "--quiet")
    res = bench.run(f"segment {name} (classic)", argv)
    record = {"set": name, "method": "classic (lexicon + jieba path)", "input": gold_rel,
              "command": shlex.join(argv), "learn_seconds": "(in one run)", **measured(res)}
    if res.ok:
        head = bench.cache / f"seg_{name}_classic.txt"
        with open(predicted, encoding="utf-8") as f:
            head.write_text("".join(line for _, line in zip(range(test_lines), f)), encoding="utf-8")
        record.update(scored(bench, gold, head), mb_per_s=learn_raw.stat().st_size / 1e6 / res.seconds)
    records.append(record)
    # The learned models: learn on the learning text, then segment the test text with the model.
    for label, tag, options in MODELS:
        model, predicted = bench.cache / f"seg_{name}_{tag}.wmm", bench.cache / f"seg_{name}_{tag}.txt"
        learn = bench.wordmine("learn", learn_raw, *options, "-o", model, "--quiet")
        apply = bench.wordmine("segment", test_raw, "--model", model, "-o", predicted, "--quiet")
        record = {"set": name, "method": label, "input": gold_rel,
                  "command": f"{shlex.join(learn)} && {shlex.join(apply)}"}
        learned = bench.run(f"learn {name} ({tag})", learn)
        applied = bench.run(f"segment {name} ({tag})", apply) if learned.ok else learned
        if not (learned.ok and applied.ok):
            record.update(measured(applied))
        else:
            record.update(scored(bench, gold, predicted), learn_seconds=learned.seconds,
                          mb_per_s=mb / applied.seconds, peak_mb=max(learned.peak_rss_mb, applied.peak_rss_mb))
        records.append(record)
    return records


def run(bench: Bench) -> list[Table]:
    table = Table(TITLE, COLUMNS, labels=2, notes=[NOTE])
    for name, gold_rel, extra_rel in SEGMENT_SETS:
        skipped = bench.missing(gold_rel)
        if skipped:
            table.records.append({"set": name, "skipped": skipped})
        else:
            table.records += set_records(bench, name, gold_rel, extra_rel)
    return [table]
