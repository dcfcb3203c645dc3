"""jieba with discovered words: its default cut on each gold set, alone and with what `discover` finds.

This is what users do with `discover`'s output. The words come from the set's
raw text (pd1998: raw.txt; zhuxian, medical_forum: train + test; ctb6: test),
through the CLI's `--format jieba` file (load_userdict) and through
`wordmine.jieba_dict.to_jieba`; the old file (every word at its raw count) is
the row to beat.
"""

from __future__ import annotations

import re
import shlex

from common import BENCH_DIR, SEGMENT_SETS, Bench, Table, measured, segment_files

TITLE = "jieba with discovered words"
COLUMNS = [("gold set", "set", ""), ("jieba with", "variant", ""), ("entries", "entries", ",d"),
           ("P", "precision", ".3f"), ("R", "recall", ".3f"), ("F1", "f1", ".5f"), ("vs alone", "delta", "+.5f"),
           ("seconds", "seconds", ".2f")]
NOTE = (
    "jieba.Tokenizer().cut (HMM on) on the raw test text, scored with `wordmine eval`. The words are discovered "
    "on the set's raw text (pd1998: raw.txt; zhuxian and medical_forum: train + test; ctb6: test). "
    "`--format jieba` writes the words `--new-only --no-numbers` lists (wordmine/mining/novelty.py: not in jieba's "
    "dictionary, not a fragment of longer words, not a phrase of words jieba knows), at their count scaled to "
    "jieba's total and capped at one more than jieba's split of them (wordmine/mining/jieba_dict.py says why); "
    "`to_jieba` gets the Counts too, for the fragment pass. Raw counts: the file as `--format jieba` wrote it "
    "before, every discovered word at its count in the corpus. Seconds: the whole run (jieba's start, and for "
    "to_jieba counting and discovery too).")


def run(bench: Bench) -> list[Table]:
    table = Table(TITLE, COLUMNS, labels=2, notes=[NOTE])
    for name, gold_rel, extra_rel in SEGMENT_SETS:
        skipped = bench.missing(gold_rel)
        if skipped:
            table.records.append({"set": name, "skipped": skipped})
            continue
        gold, test_raw, learn_raw = segment_files(bench, name, gold_rel, extra_rel)
        userdict, words = bench.cache / f"jieba_{name}.dict", bench.cache / f"jieba_{name}_words.tsv"
        made = {
            "userdict": (argv := bench.wordmine("discover", learn_raw, "--format", "jieba", "-q", "-o", userdict),
                         bench.run(f"discover {name} --format jieba", argv)),
            "words": (argv := bench.wordmine("discover", learn_raw, "-q", "-o", words),
                      bench.run(f"discover {name}", argv)),
        }
        variants = [("nothing (alone)", [], None),
                    ("every word at its raw count (old file)", ["--raw-counts", words], "words"),
                    ("discover --format jieba (load_userdict)", ["--userdict", userdict], "userdict"),
                    ("wordmine.to_jieba", ["--to-jieba", learn_raw], None)]
        alone = None
        for label, options, needs in variants:
            predicted = bench.cache / f"jieba_{name}_{len(table.records)}.txt"
            argv = [bench.python, str(BENCH_DIR / "jieba_cut.py"), str(test_raw), str(predicted), *map(str, options)]
            command = shlex.join(argv) if needs is None else f"{shlex.join(made[needs][0])} && {shlex.join(argv)}"
            record = {"set": name, "variant": label, "input": gold_rel, "command": command}
            if needs is not None and not made[needs][1].ok:
                table.records.append({**record, **measured(made[needs][1])})
                continue
            res = bench.run(f"jieba {name}: {label}", argv)
            record.update(measured(res))
            if res.ok:
                found = re.search(r"entries\t(\d+)", res.stderr_tail)
                figures = bench.eval_figures(gold, predicted)
                if isinstance(figures, str):
                    record["failed"] = figures
                else:
                    alone = figures["f1"] if not options else alone
                    record.update(figures, entries=int(found.group(1)) if found else None,
                                  delta=figures["f1"] - alone if options and alone is not None else None)
            table.records.append(record)
    return [table]
