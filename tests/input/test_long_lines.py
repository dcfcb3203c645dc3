"""One line of many megabytes: read in pieces, still one line, counted, discovered and segmented.

test_fault_NN: fault NN of issue 11 (docs/reliability.md cites them).
"""

from __future__ import annotations

import random
import subprocess

import pytest

from tests.helpers import run_wordmine, wordmine_argv

# Fault 15 of issue 11: lines of a long single line


def test_fault_15_a_line_longer_than_a_piece_is_one_line():
    from wordmine.mining.dispersion import document_frequency
    from wordmine.normalize import Vocabulary

    vocab = Vocabulary(list("高血压喝茶，"))
    line = "高血压，喝茶，" * 200_000  # 1.4 M characters: two pieces of the reader
    df, n_lines = document_frequency([line, "\n喝茶\n"], vocab, ["高血压", "喝茶"])
    assert n_lines == 2 and df.tolist() == [1, 2]


@pytest.mark.slow
def test_fault_15_contrast_of_one_long_line_ranks_by_salience(tmp_path):
    path = tmp_path / "one_line.txt"
    path.write_text("高血压患者，喝绿茶好吗，医生建议，" * 70_000, encoding="utf-8")  # 1.2 M characters: two pieces
    topical = run_wordmine("contrast", path, "--jobs", "1")
    assert topical.returncode == 0, topical.stderr
    assert "ranking by salience" in topical.stderr.decode()
    assert topical.stdout == run_wordmine("contrast", path, "--jobs", "1", "-q", "--method", "salience").stdout


@pytest.mark.slow
def test_a_24_mb_single_line(tmp_path):
    # One line of 24 MB (8 M characters), no line end anywhere: six of counting's 4 MiB reading
    # blocks and two dozen of segmenting's megabyte pieces (io.text), so the line is streamed in
    # blocks and never held, and discovery finds its words.
    rng = random.Random(3)
    words = ["数据", "挖掘", "新词", "发现", "语料", "统计", "边界", "熵值", "凝固", "程度", "，"]
    chosen = [rng.choice(words) for _ in range(500_000)]
    piece = "".join(chosen).encode()  # about 3 MB
    path = tmp_path / "one_line.txt"
    with open(path, "wb") as handle:
        written_bytes = 0
        while written_bytes < 24_000_000:
            handle.write(piece)
            written_bytes += len(piece)
    proc = subprocess.run(wordmine_argv("discover", path, "-q", "--top", "20", "--memory", "1G"), capture_output=True,
                          check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    found = {line.split("\t")[0] for line in proc.stdout.decode().splitlines()}
    assert {"数据", "挖掘", "新词", "语料"} <= found
    # Segmenting takes the line a megabyte at a time and still writes one line, every character kept.
    lexicon = tmp_path / "words.txt"
    lexicon.write_text("".join(f"{w} 10\n" for w in words[:-1]), encoding="utf-8")
    out = tmp_path / "one_line.seg"
    proc = subprocess.run(wordmine_argv("segment", path, "--lexicon", lexicon, "--jobs", "2", "-q", "-o", out),
                          capture_output=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    characters = line_ends = 0
    with open(out, encoding="utf-8") as segmented:
        tokens: list[str] = []
        for word in chosen[:1000]:  # a run of commas is one token
            if word == "，" and tokens and tokens[-1].startswith("，"):
                tokens[-1] += word
            else:
                tokens.append(word)
        start = " ".join(tokens)
        assert segmented.read(len(start)) == start
        segmented.seek(0)
        while chunk := segmented.read(1 << 24):
            line_ends += chunk.count("\n")
            characters += len(chunk) - chunk.count(" ") - chunk.count("\n")
    assert line_ends == 1 and characters == written_bytes // 3  # every character is 3 bytes of UTF-8
