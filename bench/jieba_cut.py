"""Cut a text with jieba's default ``Tokenizer().cut`` (HMM on), alone or with discovered words.

    python bench/jieba_cut.py TEST OUT                          # jieba alone
    python bench/jieba_cut.py TEST OUT --userdict user.dict     # + a `discover --format jieba` file
    python bench/jieba_cut.py TEST OUT --to-jieba LEARN         # + wordmine.to_jieba of what LEARN gives
    python bench/jieba_cut.py TEST OUT --raw-counts words.tsv   # + every word at its raw count (the old file)

Writes one line per line of TEST, words separated by spaces, and the number of
entries added on stderr.
"""

from __future__ import annotations

import argparse
import logging
import sys

import jieba


def tokenizer_for(args) -> tuple[jieba.Tokenizer, int]:
    tokenizer = jieba.Tokenizer()
    if args.userdict:
        tokenizer.load_userdict(args.userdict)
        with open(args.userdict, encoding="utf-8") as f:
            return tokenizer, sum(1 for line in f if line.strip())
    if args.raw_counts:
        with open(args.raw_counts, encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f]
        for word, count, *_ in rows:
            tokenizer.add_word(word, int(count))
        return tokenizer, len(rows)
    if args.to_jieba:
        import wordmine
        from wordmine.mining.jieba_dict import jieba_entries

        counts = wordmine.count(args.to_jieba)
        words = wordmine.discover(counts)
        total = counts.corpus.total_units
        wordmine.to_jieba(words, tokenizer, total_units=total, counts=counts)
        return tokenizer, len(jieba_entries(words, total, corpus=counts))  # counted on a fresh tokenizer
    return tokenizer, 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("test")
    ap.add_argument("out")
    how = ap.add_mutually_exclusive_group()
    how.add_argument("--userdict")
    how.add_argument("--to-jieba", metavar="LEARN")
    how.add_argument("--raw-counts", metavar="TSV")
    args = ap.parse_args(argv)
    jieba.setLogLevel(logging.WARNING)  # this script's own process: jieba's start-up lines are noise here
    tokenizer, entries = tokenizer_for(args)
    with open(args.test, encoding="utf-8") as f, open(args.out, "w", encoding="utf-8") as out:
        for line in f:
            line = line.rstrip("\n")
            out.write(" ".join(w for w in tokenizer.cut(line) if w.strip()) + "\n")
    print(f"entries\t{entries}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
