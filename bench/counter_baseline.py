"""Baseline n-gram counter: plain Python, one collections.Counter per order.

    python bench/counter_baseline.py FILE [MAX_ORDER]

This is the yardstick `wordmine count` is compared against, so it is written
the way one would write it without thinking about speed or memory: no numpy,
no packing of keys, n-grams are tuples of strings.

Text model: the file is read line by line. A *unit* is one Han character
(CJK ideographs with Extension A and the supplementary planes: U+3400-U+4DBF,
U+4E00-U+9FFF, U+F900-U+FAFF, U+20000-U+323AF) or one maximal run of ASCII
letters and digits. Any other character is a boundary. Every n-gram of orders
1..MAX_ORDER inside a run of consecutive units is counted.

Prints, on stdout, the number of units and the number of distinct n-grams of
each order (so the counting cannot be optimised away).
"""

from __future__ import annotations

import re
import sys
from collections import Counter

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
UNIT = re.compile(f"[{HAN}]|[A-Za-z0-9]+")
RUN = re.compile(f"(?:[{HAN}]|[A-Za-z0-9])+")


def units_runs(line: str):
    """The runs of consecutive units in a line, each as a list of unit strings."""
    for run in RUN.findall(line):
        yield UNIT.findall(run)


def count_ngrams(path: str, max_order: int) -> list[Counter]:
    counters = [Counter() for _ in range(max_order)]
    with open(path, encoding="utf-8") as f:
        for line in f:
            for units in units_runs(line):
                for n, counter in enumerate(counters, start=1):
                    if len(units) < n:
                        break
                    counter.update(zip(*(units[i:] for i in range(n))))
    return counters


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print("usage: counter_baseline.py FILE [MAX_ORDER]", file=sys.stderr)
        return 2
    path = argv[0]
    max_order = int(argv[1]) if len(argv) > 1 else 5
    counters = count_ngrams(path, max_order)
    print(f"units\t{sum(counters[0].values())}")
    for n, counter in enumerate(counters, start=1):
        print(f"order{n}\t{len(counter)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
