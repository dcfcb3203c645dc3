import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wordmine.config import CountConfig
from wordmine.counting.engine.chunkcount import _count_chunk_ranked, count_chunk
from wordmine.counting.engine.corpusmerge import ngram_counts
from wordmine.counting.engine.counter import count_text
from wordmine.counting.table.ngrams import NgramTable, merge_two_tables


def count(text: str, **options) -> dict[str, int]:
    """The counts of ``text`` as {'u1|u2|...': count}."""
    options.setdefault("jobs", 1)
    return ngram_counts(count_text([text], CountConfig(**options)), "|")


def test_hand_counted_toy_corpus():
    # 天天向上 | 天天: the n-grams are counted inside each run only.
    assert count("天天向上，天天", order=2) == {
        "天": 4, "向": 1, "上": 1,
        "天|天": 2, "天|向": 1, "向|上": 1,
        "天|天|向": 1, "天|向|上": 1,
    }


def test_edge_counts_are_exact_at_boundaries():
    # The published scripts derived lower orders from 4-gram records and lost
    # n-grams near boundaries; here every short run counts fully.
    counts = count("甲乙，甲乙，甲乙丙丁戊", order=4)
    assert counts["甲|乙"] == 3 and counts["甲"] == 3 and counts["戊"] == 1
    assert counts["乙|丙|丁|戊"] == 1 and counts["甲|乙|丙|丁|戊"] == 1


def test_latin_run_is_one_unit():
    assert count("买iPhone手机", order=1) == {
        "买": 1, "iPhone": 1, "手": 1, "机": 1,
        "买|iPhone": 1, "iPhone|手": 1, "手|机": 1,
    }


@pytest.mark.parametrize("order,bits,chunk_units", [(4, 16, 7), (2, 16, 3), (5, 8, 5), (3, 4, 4)])
def test_matches_brute_force_at_any_chunking_and_key_width(naive_counts, order, bits, chunk_units):
    rng = random.Random(order * 100 + bits)
    alphabet = "天地人你我他，。ab1 "
    for _ in range(30):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        got = count(text, order=order, bits=bits, chunk_units=chunk_units)
        assert got == naive_counts(text + "\n", order + 1)


def test_tiny_memory_budget_spills_and_merges_to_the_same_counts(tmp_path):
    rng = random.Random(7)
    chars = [chr(0x4E00 + i) for i in range(300)]
    text = "".join(rng.choice(chars) + ("，" if rng.random() < 0.1 else "") for _ in range(30000))
    unbounded = count_text([text], CountConfig(order=4, jobs=1, chunk_units=2000))
    spilled = count_text([text], CountConfig(order=4, jobs=1, chunk_units=2000, memory=1 << 16,
                                             tmp_dir=str(tmp_path)))
    assert unbounded.spilled_runs == 0 and spilled.spilled_runs > 3
    for order in range(5):
        assert np.array_equal(unbounded.counts.keys[order], spilled.counts.keys[order])
        assert np.array_equal(unbounded.counts.counts[order], spilled.counts.counts[order])
    assert list(tmp_path.iterdir()) == []  # spilled runs are removed


def test_worker_processes_give_identical_tables():
    rng = random.Random(3)
    text = "".join(rng.choice("春夏秋冬风花雪月，。") for _ in range(20000))
    one = count_text([text], CountConfig(jobs=1, chunk_units=1500))
    two = count_text([text], CountConfig(jobs=2, chunk_units=1500))
    for a, b in zip(one.counts.keys + one.counts.counts, two.counts.keys + two.counts.counts):
        assert np.array_equal(a, b)


def test_vocabulary_outgrowing_the_key_width_widens_the_tables(naive_counts, table_as_dict):
    text = "".join(chr(0x4E00 + i) for i in range(40)) * 2
    corpus = count_text([text], CountConfig(order=2, bits=4, chunk_units=10, jobs=1))
    assert corpus.counts.bits == 8
    assert table_as_dict(corpus) == naive_counts(text, 3)


def test_empty_input_gives_empty_tables():
    corpus = count_text([], CountConfig(jobs=1))
    assert corpus.total_units == 0 and all(len(k) == 0 for k in corpus.counts.keys)
    assert count("，。！", order=2) == {}


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("甲乙丙丁，x1"), max_size=60), st.integers(1, 3))
def test_order_one_counts_add_up_to_the_units(text, order):
    corpus = count_text([text], CountConfig(order=order, jobs=1, chunk_units=8))
    assert corpus.total_units == int((corpus.stream.to_array() != 0).sum())
    # Every n-gram of order k + 1 extends one of order k: counts never grow with order.
    for k in range(1, order + 1):
        assert corpus.counts.counts[k].sum() <= corpus.counts.counts[k - 1].sum()


def test_count_chunk_counts_only_positions_before_stop():
    ids = np.array([1, 2, 3, 0, 1, 2], np.uint32)
    table = count_chunk(ids, 2, 3, 16)  # positions 0 and 1 start n-grams; the rest is look-ahead
    assert [c.tolist() for c in table.counts] == [[1, 1], [1, 1], [1]]


def test_merge_is_commutative_and_adds_counts():
    a = NgramTable.from_ngrams({(1,): 2, (2,): 1, (1, 2): 1})
    b = NgramTable.from_ngrams({(2,): 2, (3,): 1, (2, 3): 1})
    ab, ba = merge_two_tables(a, b), merge_two_tables(b, a)
    assert [k.tolist() for k in ab.keys] == [k.tolist() for k in ba.keys]
    assert ab.counts[0].tolist() == [2, 3, 1]
    assert ab.lookup(2, np.array([[1, 2], [2, 3], [3, 1]])).tolist() == [1, 1, 0]


@pytest.mark.parametrize("distinct", [3, 4000, 5000, 20000])
def test_fast_and_ranked_chunk_counting_agree(distinct):
    # 4000 units pack five to a record; 5000 need two classes; 20000 fall back to ranks.
    rng = np.random.default_rng(distinct)
    ids = rng.integers(1, distinct + 1, 30000).astype(np.uint32)
    ids[rng.random(30000) < 0.15] = 0
    fast, ranked = count_chunk(ids, 29996, 5, 16), _count_chunk_ranked(ids, 29996, 5, 16)
    for a, b in zip(fast.keys + fast.counts, ranked.keys + ranked.counts):
        assert np.array_equal(a, b)


def test_a_stream_past_its_budget_moves_to_disk_and_reads_the_same(tmp_path, sample_path):
    from wordmine.config import DiscoverConfig
    from wordmine.counting.files.countfile import write_counts
    from wordmine.mining.discover import discover

    text = sample_path("story.txt").read_text(encoding="utf-8")
    on_disk = count_text([text[:5000], text[5000:]], CountConfig(jobs=1, memory=64 << 10))
    in_memory = count_text([text[:5000], text[5000:]], CountConfig(jobs=1))
    assert on_disk.stream.spilled and not in_memory.stream.spilled
    assert np.array_equal(on_disk.stream.to_array(), in_memory.stream.to_array())
    write_counts(on_disk, str(tmp_path / "disk.wmc"))
    write_counts(in_memory, str(tmp_path / "memory.wmc"))
    assert (tmp_path / "disk.wmc").read_bytes() == (tmp_path / "memory.wmc").read_bytes()
    assert discover(on_disk, DiscoverConfig()).words == discover(in_memory, DiscoverConfig()).words


def test_a_stream_on_disk_widens_when_the_vocabulary_passes_65536_ids():
    # The basic block and Extensions A, B and C give 70 000 distinct units.
    han = [chr(c) for lo, hi in [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B739)]
           for c in range(lo, hi)]
    first, second = "".join(han[:1000]) * 20, "".join(han[1000:70000])
    on_disk = count_text([first, second], CountConfig(order=1, jobs=1, memory=64 << 10))
    assert on_disk.stream.spilled and on_disk.stream.dtype == np.uint32
    ids = on_disk.stream.to_array()
    assert ids[0] == 1 and ids[19_999] == 1000 and ids[20_000] == 1001 and ids[-1] == 70_000
    assert np.array_equal(ids, count_text([first, second], CountConfig(order=1, jobs=1)).stream.to_array())
