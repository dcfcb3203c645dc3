"""One definition of a new word (wordmine.mining.novelty): known words, numbers, fragments, phrases."""

import pytest

import wordmine
from wordmine.config import CountConfig
from wordmine.counting.engine.counter import count_text
from wordmine.io.tables import jieba_words
from wordmine.mining.jieba_dict import jieba_entries
from wordmine.mining.novelty import fragment_shares, is_phrase, reasons

#: An invented five-character word, always whole; its pieces at each length and position are fragments.
WHOLE = "琰漪滟锃钺"
PIECES = {"start": ["琰漪", "琰漪滟"], "middle": ["漪滟", "漪滟锃"], "end": ["锃钺", "滟锃钺"]}


def _generated_lines() -> list[str]:
    """Text with one fragment of each kind, and control words that are not fragments.

    WHOLE 20 times between commas; 霰甑 20 times alone and 5 times inside the
    listed 霰甑缁; 觥罍 always after 甍 (甍觥罍 is neither known nor listed);
    瑀璟 always after a number (1瑀璟, 2瑀璟, ...); 子钺 after 肚, 儿, 孩, 妻, 鞋
    in turn (肚子, 儿子, ...: jieba's words take its 子); 缁缃 always alone.
    """
    lines = []
    left = "肚儿孩妻鞋"
    for i in range(20):
        lines.append(f"他说，{WHOLE}，很好。霰甑！甍觥罍；{i + 1}瑀璟、缁缃。{left[i % 5]}子钺。")
    lines.extend(["霰甑缁"] * 5)
    return lines


@pytest.fixture(scope="module")
def generated():
    return count_text(_generated_lines(), CountConfig(order=4, jobs=1))


def test_a_fragment_at_each_length_and_position_is_not_new_and_the_controls_are(generated):
    pieces = [w for where in ("start", "middle", "end") for w in PIECES[where]]
    words = [WHOLE, *pieces, "霰甑", "觥罍", "瑀璟", "子钺", "缁缃"]
    got = reasons(words, [20] * len(words), corpus=generated, listed=[WHOLE, "霰甑缁"])
    assert got == [None, *["fragment"] * len(pieces), None, "fragment", "fragment", "fragment", None]


def test_fragment_shares_are_exact(generated):
    n, bound, beside = fragment_shares(generated, ["漪滟", "霰甑", "觥罍", "瑀璟", "子钺", "缁缃"],
                                       listed=[WHOLE, "霰甑缁"])
    assert n.tolist() == [20, 25, 20, 20, 20, 20]
    assert bound.tolist() == [1.0, 0.2, 0.0, 0.0, 1.0, 0.0]  # inside a longer word, or straddling a known one
    assert beside.tolist() == [1.0, 0.2, 1.0, 1.0, 0.2, 0.0]  # the one neighbour (any number counts as one)


def test_without_the_corpus_only_pieces_of_known_words_are_fragments():
    assert reasons(["务院", "殷栖鹤", "这个"]) == ["fragment", None, "known"]


def test_phrases_of_known_words():
    assert is_phrase("也没")  # every piece a function word
    assert is_phrase("诊断为")  # a known word with a function word beside it
    assert is_phrase("站在")  # a function word, and jieba's HMM cuts it too
    assert is_phrase("较低")  # common words only, and jieba's HMM cuts it too
    assert not is_phrase("反流") and not is_phrase("殷栖鹤") and not is_phrase("我爸")
    # A compound whose pieces occur mostly apart is a phrase; one whose piece lives inside it is a word.
    assert is_phrase("脖子僵硬", occurrences={"脖子僵硬": 4, "脖子": 30, "僵硬": 12})
    assert not is_phrase("吡嗪酰胺", occurrences={"吡嗪酰胺": 10, "吡嗪": 10, "酰胺": 11})


def test_the_known_lexicon_can_be_replaced(generated):
    """The seam for --known: another set of known words instead of jieba's."""
    assert reasons(["这个", WHOLE], known=set()) == [None, None]
    assert reasons(["这个", WHOLE], known={WHOLE}) == [None, "known"]
    assert reasons(["这个", "1997年"], numbers=False) == ["known", "number"]


def test_new_only_format_jieba_the_api_and_to_jieba_list_the_same_words(tmp_path, samples, run_wordmine):
    story = samples / "story.txt"
    listed_path, dict_path = tmp_path / "new.tsv", tmp_path / "user.dict"
    for args, out in (("--new-only", "--no-numbers"), listed_path), (("--format", "jieba"), dict_path):
        proc = run_wordmine("discover", story, *args, "-q", "-o", out)
        assert proc.returncode == 0, proc.stderr
    listed = [line.split("\t")[0] for line in listed_path.read_text(encoding="utf-8").splitlines()]
    entries = [line.split()[0] for line in dict_path.read_text(encoding="utf-8").splitlines()]
    assert sorted(listed) == sorted(entries)
    assert {"殷栖鹤", "卓岚珂", "夔狰"} <= set(listed)
    assert not set(listed) & jieba_words()
    counts = wordmine.count(str(story), jobs=1)
    api = [w.word for w in wordmine.discover(counts, new_only=True, no_numbers=True)]
    assert api == listed
    words = wordmine.discover(counts)
    assert [w for w, _ in jieba_entries(words, corpus=counts)] == entries
    tokenizer = wordmine.to_jieba(words, counts=counts)
    assert all(tokenizer.FREQ.get(w) for w in entries)


def test_past_pair_rows_the_fragment_pass_keeps_one_candidate_a_word_and_decides_the_same(generated, monkeypatch):
    from wordmine.mining import novelty

    words, listed = ["漪滟", "霰甑", "觥罍", "瑀璟", "子钺", "缁缃"], [WHOLE, "霰甑缁"]
    exact = fragment_shares(generated, words, listed=listed)
    monkeypatch.setattr(novelty, "PAIR_ROWS", 0)  # every pair past the limit
    monkeypatch.setattr(novelty, "STREAM_WINDOW", 40)  # a line or two a window: summaries merged many times
    n, bound, beside = fragment_shares(generated, words, listed=listed)
    assert n.tolist() == exact[0].tolist() and bound.tolist() == exact[1].tolist()
    # exact where one neighbour holds more than half (漪滟 after 琰, 觥罍 after 甍, 瑀璟 after a number),
    # never higher elsewhere
    assert [beside[i] for i in (0, 2, 3)] == [1.0, 1.0, 1.0]
    assert all(b <= e for b, e in zip(beside.tolist(), exact[2].tolist()))
    assert reasons(words, [20] * len(words), corpus=generated, listed=listed) == [
        "fragment", None, "fragment", "fragment", "fragment", None]


@pytest.mark.parametrize("seed", range(5))
def test_one_candidate_a_word_finds_every_neighbour_that_holds_more_than_half(seed, monkeypatch):
    import numpy as np

    from wordmine.mining import novelty

    rng = np.random.default_rng(seed)
    words = 50
    keys = (rng.integers(0, words, 20_000) << 32) | rng.integers(1, 400, 20_000)  # many neighbours each
    planted = rng.integers(0, 10, 12_000)  # ten words get one neighbour most of the time
    keys = np.concatenate([keys, (planted << 32) | 999])
    rng.shuffle(keys)
    exact, bounded = novelty._Neighbours(words), novelty._Neighbours(words)
    pieces = np.array_split(keys, 37)
    for piece in pieces:
        exact.add(piece)
    monkeypatch.setattr(novelty, "PAIR_ROWS", 100)
    for piece in pieces:
        bounded.add(piece)
    assert bounded.candidate is not None
    for piece in pieces:
        bounded.recount(piece)
    seen = np.bincount((keys >> 32).astype(np.int64), minlength=words)
    majority = exact.most() * 2 > seen
    assert majority.any() and not majority.all()
    assert bounded.most()[majority].tolist() == exact.most()[majority].tolist()
    assert (bounded.most() <= exact.most()).all()


def test_a_side_still_counted_exactly_ignores_the_second_pass():
    import numpy as np

    from wordmine.mining import novelty

    side = novelty._Neighbours(2)
    keys = np.array([0 << 32 | 7, 0 << 32 | 7, 0 << 32 | 8, 1 << 32 | 5])
    side.add(keys)
    side.recount(keys)  # the other side went past PAIR_ROWS; this one did not
    assert side.candidate is None and side.most().tolist() == [2, 1]
