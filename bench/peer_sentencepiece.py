"""SentencePiece as a user would run it from Python, one thread: train a unigram model, or encode a file.

    python bench/peer_sentencepiece.py train TEXT MODEL_PREFIX [--vocab-size 8000]
    python bench/peer_sentencepiece.py encode MODEL TEXT OUTPUT

``encode`` writes each line's pieces separated by single spaces, one output
line per input line, as ``wordmine segment`` writes words: the work a user
pays for to get segmented text out of either tool. The benchmark runs this
script as a subprocess, so SentencePiece's start-up and import are measured
as wordmine's are. sentencepiece is a benchmark-only dependency (the ``bench``
extra of pyproject.toml); without it the script exits 3 saying so.

SentencePiece: Kudo and Richardson, 2018, "SentencePiece: A simple and
language independent subword tokenizer and detokenizer for Neural Text
Processing", https://arxiv.org/abs/1808.06226; the unigram model: Kudo, 2018,
"Subword Regularization", https://arxiv.org/abs/1804.10959.
"""

from __future__ import annotations

import argparse
import sys

#: Lines encoded per call: enough to amortise the call, little enough to stream.
BLOCK_BYTES = 1 << 20


def train(text: str, prefix: str, vocab_size: int) -> None:
    import sentencepiece as spm

    # character_coverage 0.9995: SentencePiece's recommendation for Chinese and Japanese.
    spm.SentencePieceTrainer.train(input=text, model_prefix=prefix, vocab_size=vocab_size, model_type="unigram",
                                   character_coverage=0.9995, num_threads=1, minloglevel=2)


def encode(model: str, text: str, output: str) -> None:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=model)
    with open(text, encoding="utf-8") as src, open(output, "w", encoding="utf-8") as out:
        while lines := src.readlines(BLOCK_BYTES):
            pieces = processor.encode([line.rstrip("\n") for line in lines], out_type=str, num_threads=1)
            out.write("".join(" ".join(p) + "\n" for p in pieces))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("text")
    t.add_argument("prefix")
    t.add_argument("--vocab-size", type=int, default=8000)
    e = sub.add_parser("encode")
    e.add_argument("model")
    e.add_argument("text")
    e.add_argument("output")
    args = ap.parse_args(argv)
    try:
        import sentencepiece  # noqa: F401
    except ImportError:
        print("sentencepiece is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 3
    if args.command == "train":
        train(args.text, args.prefix, args.vocab_size)
    else:
        encode(args.model, args.text, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
