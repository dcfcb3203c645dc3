"""The peers section of the benchmark: rows that skip without data or without SentencePiece, and its ratios."""

import sys

from tests.helpers import REPO

BENCH = REPO / "bench"
sys.path.insert(0, str(BENCH))

from common import Bench
from sections import peers


def test_without_data_or_sentencepiece_the_rows_skip_and_say_why(tmp_path):
    bench = Bench(python=sys.executable, data=tmp_path / "none", cache=tmp_path)
    rows = peers.segment_rows(bench, sentencepiece=False) + peers.learn_rows(bench, sentencepiece=False)
    assert [r["skipped"] for r in rows] == ["skipped (pd1998/gold.txt not found)", "skipped (laws/laws.txt not found)"]
    assert peers.count_rows(bench)[0]["skipped"] == "skipped (laws/laws.txt not found)"
    (tmp_path / "data" / "laws").mkdir(parents=True)
    (tmp_path / "data" / "laws" / "laws.txt").write_text("法律\n", encoding="utf-8")
    scaled = Bench(python=sys.executable, data=tmp_path / "data", cache=tmp_path, skip_scale=True)
    assert peers.count_rows(scaled)[0]["skipped"] == "skipped (--skip-scale)"
    assert not bench.commands  # nothing was run


def test_a_row_gives_medians_and_its_time_over_the_peers():
    ours = peers.Timing("ours", ["wordmine"], mb=6.0)
    ours.walls, ours.cpus = [2.0, 4.0, 3.0], [1.0, 3.0, 2.0]
    peer = peers.Timing("peer", ["spm"], mb=6.0, wordmine=False)
    peer.walls, peer.cpus = [1.5, 1.0, 2.0], [0.5, 0.5, 0.5]
    row = ours.record("segment", "text", peer, check="ok")
    assert (row["seconds"], row["cpu_seconds"], row["mb_per_s"], row["mb_per_s_cpu"]) == (3.0, 2.0, 2.0, 3.0)
    assert (row["vs_wall"], row["vs_cpu"], row["runs"], row["check"]) == ("2.00x time", "4.00x time", 3, "ok")
    failed = peers.Timing("broken", ["x"], mb=1.0)
    failed.failed = "exit 2: no model"
    assert failed.record("segment", "text", peer)["failed"] == "exit 2: no model"


def test_head_lines_keeps_whole_lines(tmp_path):
    src = tmp_path / "src.txt"
    src.write_bytes("第一行\n第二行\n第三行\n".encode())
    assert peers.head_lines(src, 15, tmp_path / "head.txt").read_text(encoding="utf-8") == "第一行\n"
