"""Ranking variants of `wordmine contrast`, measured side by side in one run.

    python bench/contrast_variants.py [--data ../shared/data]

Counts each domain corpus once, discovers its candidates once, counts them on
both general sides (general_reviews, jieba's dictionary) and in the domain's
lines, then scores every variant from the same arrays and prints precision at
50/100/200 against the domain's THUOCL list as a markdown table. The
variants are the ones tried while choosing the default (README, contrast).

``edge`` is the larger, over a term's first and last character, of the share
of that character's occurrences in jieba's dictionary (frequency-weighted) in
which it is a word by itself: high for 的, 了, 也, low for 医, 症.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from wordmine.config import CountConfig, DiscoverConfig
from wordmine.counting.engine.counter import count_text
from wordmine.io.tables import jieba_frequencies
from wordmine.io.text import read_blocks, text_source
from wordmine.mining.contrast import log_likelihood, log_odds_z, log_ratio, smoothed_share
from wordmine.mining.discover import discover
from wordmine.mining.dispersion import document_frequency, residual_idf
from wordmine.mining.occurrences import JiebaBackground, corpus_occurrences

SETS = [("medical_qa", "medical_qa/internal_medicine_qa.txt", "thuocl/THUOCL_medical.txt"),
        ("laws", "laws/laws.txt", "thuocl/THUOCL_law.txt")]
GENERAL = ["general_reviews/pos.txt", "general_reviews/neg.txt"]
KS = (50, 100, 200)


def count(paths: list[Path]):
    return count_text(read_blocks([text_source(str(p)) for p in paths]), CountConfig(order=4, jobs=2))


def standalone_share() -> dict[str, float]:
    alone: dict[str, float] = {}
    inside: dict[str, float] = {}
    for word, freq in jieba_frequencies().items():
        if len(word) == 1:
            alone[word] = alone.get(word, 0) + freq
        else:
            for ch in word:
                inside[ch] = inside.get(ch, 0) + freq
    return {ch: (alone.get(ch, 0) + 0.5) / (alone.get(ch, 0) + inside.get(ch, 0) + 1) for ch in set(alone) | set(inside)}


def salience(a, b, n_d, n_g, freedom, ratio_cap=4.0, entropy_cap=3.0):
    ratio = log_ratio(a, b, n_d, n_g)
    with np.errstate(divide="ignore"):
        s = np.minimum(ratio, ratio_cap) * np.log(a) * np.minimum(freedom, entropy_cap)
    return np.where((ratio > 0) & (a > 0), s, ratio)


def variants(a, b, n_d, n_g, freedom, ridf, edge, jieba_rate=None):
    sal = salience(a, b, n_d, n_g, freedom)
    r = np.maximum(ridf, 0.0)
    positive = sal > 0  # boosts apply to over-used terms only; the others keep their negative log ratio

    def boosted(factor):
        return np.where(positive, sal * factor, sal)

    out = {
        "domain frequency": a.astype(float),
        "share (published, fixed)": smoothed_share(a, b, n_d, n_g),
        "g2": log_likelihood(a, b, n_d, n_g),
        "logodds z": log_odds_z(a, b, n_d, n_g, 1000.0),
        "salience (old default)": sal,
        "salience ratio cap 3": salience(a, b, n_d, n_g, freedom, ratio_cap=3),
        "salience ratio cap 6": salience(a, b, n_d, n_g, freedom, ratio_cap=6),
        "salience entropy cap 2": salience(a, b, n_d, n_g, freedom, entropy_cap=2),
        "salience entropy cap 4": salience(a, b, n_d, n_g, freedom, entropy_cap=4),
        "salience x (1 - edge)": boosted(1 - edge),
        "salience, a >= 10": np.where(a >= 10, sal, -1e9),
        "topical = salience x ridf (new default)": boosted(r),
        "salience x (0.1 + ridf)": boosted(0.1 + r),
        "salience x (0.25 + ridf)": boosted(0.25 + r),
        "salience x (0.5 + ridf)": boosted(0.5 + r),
        "salience x (1 + ridf)": boosted(1 + r),
        "salience x exp(ridf)": boosted(np.exp(r)),
        "salience x ridf^2": boosted(r**2),
        "salience without entropy x ridf": np.where(positive, salience(a, b, n_d, n_g, np.full(len(a), 3.0)) * r, sal),
        "topical x (1 - edge)": boosted(r * (1 - edge)),
        "g2 x ridf": log_likelihood(a, b, n_d, n_g) * r,
        "logodds z x ridf": log_odds_z(a, b, n_d, n_g, 1000.0) * r,
        "share x ridf": smoothed_share(a, b, n_d, n_g) * r,
        "domain frequency x ridf": a * r,
        "ridf alone": ridf,
    }
    if jieba_rate is not None:
        # jieba's rate as a prior on the general corpus's rate, worth 10^6 units
        prior = 1e6
        out["salience, reviews + jieba prior"] = salience(a, b + prior * jieba_rate, n_d, n_g + prior, freedom)
    return out


def scored(domain_path: Path, general, jieba: JiebaBackground, alone: dict[str, float]):
    """Candidates of one domain corpus and every variant's scores against both general sides."""
    domain = count([domain_path])
    lexicon = discover(domain, DiscoverConfig())
    words = lexicon.words
    a = corpus_occurrences(domain, words)
    lines_with, n_lines = document_frequency(read_blocks([text_source(str(domain_path))]), domain.vocab, words)
    ridf = residual_idf(a, lines_with, n_lines)
    freedom = np.minimum(lexicon.left_entropy, lexicon.right_entropy)
    edge = np.array([max(alone.get(w[0], 0.5), alone.get(w[-1], 0.5)) for w in words])
    b_jieba = jieba.occurrences(words)
    sides = [("general", corpus_occurrences(general, words), general.total_units, b_jieba / jieba.total),
             ("built-in (jieba)", b_jieba, jieba.total, None)]
    out = {}
    for side, b, n_g, jieba_rate in sides:
        for label, score in variants(a, b, domain.total_units, n_g, freedom, ridf, edge, jieba_rate).items():
            out.setdefault(side, {})[label] = [words[i] for i in np.lexsort((words, -a, -score))]
    print(f"{domain_path.name}: {len(words):,} candidates, {n_lines:,} lines", file=sys.stderr)
    return out


def print_table(table: dict[str, dict[str, str]], columns: list[str]) -> None:
    print("| variant | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for label, row in table.items():
        print(f"| {label} | " + " | ".join(row.get(c, "") for c in columns) + " |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(REPO / ".." / "shared" / "data"))
    data = Path(ap.parse_args().data)
    jieba = JiebaBackground()
    alone = standalone_share()
    general = count([data / g for g in GENERAL])
    table: dict[str, dict[str, str]] = {}
    columns = []
    for name, domain_rel, reference_rel in SETS:
        with open(data / reference_rel, encoding="utf-8") as f:
            reference = {line.split("\t")[0].strip() for line in f}
        for side, ranked in scored(data / domain_rel, general, jieba, alone).items():
            column = f"{name} vs {'general_reviews' if side == 'general' else side}"
            columns.append(column)
            for label, words in ranked.items():
                cells = [sum(w in reference for w in words[:k]) / k for k in KS]
                table.setdefault(label, {})[column] = " / ".join(f"{p:.2f}" for p in cells)
    print_table(table, columns)
    print(f"\nP@{'/'.join(map(str, KS))} against THUOCL (medical, law).\n")
    # The demo samples: how many of the planted words each variant puts in its top 25.
    samples = REPO / "corpora_samples"
    everyday = count([samples / "everyday.txt"])
    table, columns = {}, []
    for name in ["technical", "story"]:
        planted = (samples / f"{name}.planted").read_text(encoding="utf-8").split()
        for side, ranked in scored(samples / f"{name}.txt", everyday, jieba, alone).items():
            column = f"{name} vs {'everyday' if side == 'general' else side}"
            columns.append(column)
            for label, words in ranked.items():
                table.setdefault(label, {})[column] = f"{sum(w in set(words[:25]) for w in planted)} of {len(planted)}"
    print_table(table, columns)
    print("\nPlanted words of corpora_samples in the top 25.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
