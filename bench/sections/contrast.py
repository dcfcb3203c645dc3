"""Domain terms: P@K of `wordmine contrast` against the THUOCL list of the domain."""

from __future__ import annotations

import shlex
from pathlib import Path

from common import Bench, Table, measured
from evaluate import precision_at_k, read_words

TITLE = "Domain terms (contrast)"
SETS = [  # name, domain text, reference list
    ("medical_qa", "medical_qa/internal_medicine_qa.txt", "thuocl/THUOCL_medical.txt"),
    ("laws", "laws/laws.txt", "thuocl/THUOCL_law.txt"),
]
GENERAL_FILES = ["general_reviews/pos.txt", "general_reviews/neg.txt"]
METHODS = ["topical", "salience", "logodds", "g2", "share"]
KS = (50, 100, 200)
COLUMNS = [("domain", "domain", ""), ("general side", "general", ""), ("method", "method", ""),
           *((f"P@{k}", f"p{k}", ".2f") for k in KS), ("seconds", "seconds", ".2f"),
           ("peak MB (tree)", "peak_mb", ",.0f")]
NOTE = (
    "Judged against the THUOCL list of the domain (medical, law): a term counts when the list has it. The lists "
    "are incomplete (乙肝, 医生, 确诊 are not in THUOCL medical), so compare methods within a row group rather "
    "than reading the numbers as absolute precision. general_reviews = pos.txt + neg.txt; built-in = jieba's "
    "dictionary frequencies. THUOCL law says little about laws.txt: two thirds of its 9,895 entries are names "
    "of six characters or more (statutes, crimes), only 1,019 occur 10 times in laws.txt, and the vocabulary of "
    "the statutes (法律, 诉讼, 合同, 仲裁, 商标, 审计, 抵押, 当事人) is not in it; 115 of the 5,098 candidates "
    "are. Seconds are wall time on 2 shared cores and vary by a third between runs.")


def reference_terms(path: Path) -> set[str]:
    """The words of a THUOCL list (word TAB document frequency)."""
    with open(path, encoding="utf-8") as f:
        return {line.split("\t")[0].strip() for line in f if line.strip()}


def run(bench: Bench) -> list[Table]:
    table = Table(TITLE, COLUMNS, labels=3, notes=[NOTE])
    general = [bench.data / g for g in GENERAL_FILES]
    for name, domain_rel, reference_rel in SETS:
        skipped = bench.missing(domain_rel, reference_rel)
        if skipped:
            table.records.append({"domain": name, "skipped": skipped})
            continue
        terms = reference_terms(bench.data / reference_rel)
        sides = [("general_reviews", general)] if all(g.is_file() for g in general) else []
        sides.append(("built-in (jieba)", []))
        for side, general_args in sides:
            for method in METHODS:
                out = f"contrast_{name}_{'reviews' if general_args else 'builtin'}_{method}.tsv"
                argv = bench.wordmine("contrast", bench.data / domain_rel, *general_args, "--method", method,
                                      "--top", max(KS), "--quiet")
                res = bench.run(f"contrast {name} vs {side} ({method})", argv, out)
                record = {"domain": name, "general": side, "method": method, "input": domain_rel,
                          "command": shlex.join(argv), **measured(res)}
                if res.ok:
                    words = read_words(str(bench.cache / out))
                    record.update({f"p{p.k}": p.precision for p in precision_at_k(words, terms, KS)})
                table.records.append(record)
    return [table]
