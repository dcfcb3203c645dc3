"""A stress corpus of really distinct text, built deterministically from the benchmark data.

    python bench/stress_corpus.py [--data ../shared/data] [--cache-dir .bench_cache] SIZE ...

SIZE is a byte count such as 100M or 1G (10**6 and 10**9 bytes). The file
``stress_<SIZE>.txt`` is written into the cache folder (once; an existing file
of the right name is reused) and its path printed.

How it is made, so that every size is a prefix of every larger one:

1. The base: every line of the text corpora (raw text; gold files with their
   spaces removed), each distinct line once, shuffled with a fixed seed.
2. Copy 0 is the base; copy i >= 1 is the base passed through its own fixed
   random permutation of the Han characters that occur in it. Every copy then
   has the frequency profile of real text and n-grams of its own, so distinct
   n-grams grow linearly with size: harder than real text, whose vocabulary
   saturates, and unlike a repeated file, whose tables stop growing after the
   first copy.
3. Copies follow one another until SIZE bytes; the last line that would cross
   SIZE is left out.

The THUOCL lexicons are word lists, not text, and are not used.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

TEXT_FILES = [
    "laws/laws.txt",
    "general_reviews/pos.txt",
    "general_reviews/neg.txt",
    "medical_qa/internal_medicine_qa.txt",
    "pd1998/raw.txt",
    "zhuxian/train_gold.txt",
    "zhuxian/test_gold.txt",
    "ctb6/test_gold.txt",
    "medical_forum/train_gold.txt",
    "medical_forum/test_gold.txt",
]
SEED = 20161018


def parse_bytes(text: str) -> int:
    """Bytes in 100M or 1G (decimal units, as the benchmark reports MB = 10**6 bytes)."""
    units = {"k": 10**3, "m": 10**6, "g": 10**9}
    text = text.strip().lower()
    if text[-1:] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def base_lines(data: Path) -> list[str]:
    """The distinct lines of the text corpora, in a fixed shuffled order."""
    seen: set[str] = set()
    lines: list[str] = []
    for name in TEXT_FILES:
        path = data / name
        if not path.exists():
            continue
        gold = "gold" in path.name
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                line = "".join(line.split()) if gold else line.strip()
                if line and line not in seen:
                    seen.add(line)
                    lines.append(line)
    random.Random(SEED).shuffle(lines)
    return lines


def is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def build(data: Path, size: int, out: Path) -> Path:
    lines = base_lines(data)
    if not lines:
        raise SystemExit(f"{data}: no corpus found")
    base = "\n".join(lines) + "\n"
    han = sorted({c for c in set(base) if is_han(c)})
    tmp = out.with_suffix(".part")
    written = 0
    copy = 0
    with open(tmp, "wb") as handle:
        while written < size:
            if copy == 0:
                text = base
            else:
                shuffled = list(han)
                random.Random(SEED + copy).shuffle(shuffled)
                text = base.translate(str.maketrans(dict(zip(han, shuffled))))
            data_bytes = text.encode("utf-8")
            whole = len(data_bytes)
            if written + whole > size:
                cut = data_bytes.rfind(b"\n", 0, size - written)
                data_bytes = data_bytes[: cut + 1]
            handle.write(data_bytes)
            written += len(data_bytes)
            copy += 1
            if len(data_bytes) < whole:
                break
    tmp.replace(out)
    return out


def stress_file(data: Path, cache: Path, size_text: str) -> Path:
    """The stress corpus of ``size_text`` bytes in ``cache``, built when missing."""
    size = parse_bytes(size_text)
    cache.mkdir(parents=True, exist_ok=True)
    out = cache / f"stress_{size_text}.txt"
    if not out.exists():
        build(data, size, out)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parent.parent.parent / "shared" / "data"))
    parser.add_argument("--cache-dir", default=str(Path(__file__).resolve().parent.parent / ".bench_cache"))
    parser.add_argument("sizes", nargs="+")
    args = parser.parse_args()
    if not Path(args.data).is_dir():
        print(f"{args.data}: no data, skipped", file=sys.stderr)
        return 0
    for size in args.sizes:
        print(stress_file(Path(args.data), Path(args.cache_dir), size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
