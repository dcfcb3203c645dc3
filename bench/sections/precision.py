"""Discovery precision on pd1998: P@K of `wordmine discover` against the gold vocabulary."""

from __future__ import annotations

import shlex

from common import Bench, Table, measured
from evaluate import load_vocabulary, precision_at_k, read_words, with_nfkc_forms

TITLE = "Discovery precision (pd1998)"
KS = (100, 1000, 5000)
COLUMNS = [("measure", "measure", ""), ("input", "input", ""),
           *((f"P@{k}", f"p{k}", ".3f") for k in KS),
           ("words out", "words_out", ""), ("seconds", "seconds", ".2f"), ("peak MB", "peak_mb", ",.0f"),
           ("ru_maxrss MB", "maxrss_mb", ",.0f")]


def run(bench: Bench) -> list[Table]:
    table = Table(TITLE, COLUMNS, labels=2)
    label = f"discover --top {max(KS)} --min-len 2"
    base = {"measure": label, "input": "pd1998/raw.txt"}
    skipped = bench.missing("pd1998/raw.txt", "pd1998/gold.txt")
    if skipped:
        table.records.append({**base, "skipped": skipped})
        return [table]
    argv = bench.wordmine("discover", bench.data / "pd1998/raw.txt", "--top", max(KS), "--min-len", 2, "--quiet")
    res = bench.run("discover pd1998", argv, "discover_pd1998.tsv")
    record = {**base, "command": shlex.join(argv), **measured(res)}
    table.records.append(record)
    if not res.ok:
        return [table]
    words = read_words(str(bench.cache / "discover_pd1998.tsv"))
    vocab = load_vocabulary(str(bench.data / "pd1998/gold.txt"))
    for target, v in ((record, vocab), (None, with_nfkc_forms(vocab))):
        figures = {f"p{p.k}": p.precision for p in precision_at_k(words, v, KS)}
        if target is None:
            table.records.append({**base, "measure": label + " (vs gold + NFKC forms)", "command": record["command"],
                                  **figures, "words_out": len(words)})
        else:
            target.update(figures, words_out=len(words))
    table.notes.append(
        f"Reference vocabulary: the {len(vocab):,} distinct tokens of pd1998/gold.txt. The second row also "
        "accepts each token's NFKC form: gold writes numbers in full-width digits (１９９８年) and a tool that "
        "folds them to ASCII (1998年) would otherwise never match them.")
    short = [w for w in words if len(w) < 2]
    if short:
        table.notes.append(f"Note: {len(short)} output words are shorter than 2 characters (e.g. {short[:5]}).")
    if len(set(words)) < len(words):
        table.notes.append(f"Note: {len(words) - len(set(words))} output words are repeated.")
    if words:
        table.notes.append("First 20 words: " + " ".join(words[:20]))
    return [table]
