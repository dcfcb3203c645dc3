"""--known, --examples, --since and traditional characters (issue 21): exact outputs on made corpora."""

from __future__ import annotations

import functools
import itertools
import json
import random

import numpy as np
import pytest

import wordmine
from wordmine.errors import InputError, OptionError
from wordmine.io.tables import jieba_words
from wordmine.mining.examples import _Sampler, word_examples
from wordmine.mining.known import KnownWords, known_words, read_known_file, simplified


def made_corpus(words: list[str], n_lines: int, seed: int) -> str:
    """Lines of 4-7 words drawn at random (a fixed seed) from ``words``, each ending with 。"""
    rng = random.Random(seed)
    lines = ["".join(rng.choice(words) for _ in range(rng.randint(4, 7))) + "。" for _ in range(n_lines)]
    return "\n".join(lines) + "\n"


TRADITIONAL = ["沒有", "什麼", "這個", "他們", "殷棲鶴", "喜歡", "東西", "時候", "覺得", "蘋果"]
BASE = ["天气", "我们", "公园", "散步", "喜欢", "朋友"]


@pytest.fixture(scope="module")
def jieba_set() -> set[str]:
    return jieba_words()


# --known: formats and errors


def test_known_file_formats(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("\ufeff新冠\n\n核酸检测 30 n\n  方舱 5\n疫苗\t12\n", encoding="utf-8")
    assert read_known_file(path) == ["新冠", "核酸检测", "方舱", "疫苗"]
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("新冠\n方舱 3\n".encode("gb18030"))
    assert read_known_file(gbk, encoding="gb18030") == ["新冠", "方舱"]


def test_known_none_drops_jiebas_dictionary(tmp_path, jieba_set):
    path = tmp_path / "mine.txt"
    path.write_text("新冠\n方舱 5 n\n", encoding="utf-8")
    assert known_words(["none", path]) == {"新冠", "方舱"}
    assert known_words(["none"]) == set()
    both = known_words([path])
    assert {"新冠", "方舱", "我们"} <= both and len(both) == len(jieba_set | {"新冠", "方舱"})
    assert known_words(None) == jieba_set


EMPTY = "--known {p}: no words in the file (one word a line, or 'word freq tag')"
BAD_LINE = "--known {p}: line {n} is not 'word' nor 'word freq tag' (the frequency a whole number): {line!r}"


@pytest.mark.parametrize("content, message", [
    ("", EMPTY),
    ("\n  \n", EMPTY),
    ("新冠\n方舱 many\n", BAD_LINE.replace("{n}", "2").replace("{line!r}", repr("方舱 many"))),
    ("新冠 3 n extra\n", BAD_LINE.replace("{n}", "1").replace("{line!r}", repr("新冠 3 n extra"))),
    ("方舱 -3\n", BAD_LINE.replace("{n}", "1").replace("{line!r}", repr("方舱 -3"))),
])
def test_known_file_errors(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        known_words([path])
    assert str(caught.value) == message.format(p=path)


def test_known_missing_file(tmp_path, run_wordmine):
    missing = tmp_path / "missing.txt"
    with pytest.raises(InputError, match="missing.txt: cannot read"):
        known_words([missing])
    text = tmp_path / "a.txt"
    text.write_text(made_corpus(BASE, 50, 1), encoding="utf-8")
    result = run_wordmine("discover", text, "--known", missing, "-q")
    assert result.returncode == 2 and b"missing.txt: no such file" in result.stderr


@pytest.mark.parametrize("content", ["", "方舱 many\n"])
def test_known_bad_file_is_one_line_on_the_command_line(tmp_path, run_wordmine, content):
    text = tmp_path / "a.txt"
    text.write_text(made_corpus(BASE, 50, 1), encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text(content, encoding="utf-8")
    result = run_wordmine("discover", text, "--known", bad, "-q")
    assert result.returncode == 1 and result.stdout == b""
    assert result.stderr.decode().startswith(f"wordmine: error: --known {bad}: ")
    assert result.stderr.count(b"\n") == 1


def test_known_files_leave_their_words_out(tmp_path, run_wordmine):
    text = tmp_path / "a.txt"
    text.write_text(made_corpus(["殷栖鹤", "欧阳琳", "司马黛", "我们", "喜欢"], 200, 2), encoding="utf-8")
    mine = tmp_path / "mine.txt"
    mine.write_text("欧阳琳 10 nr\n", encoding="utf-8")
    everything = [w.word for w in wordmine.discover(text, min_count=3)]
    assert sorted(everything) == sorted(["殷栖鹤", "欧阳琳", "司马黛", "我们", "喜欢"])
    assert [w.word for w in wordmine.discover(text, min_count=3, known=[mine])] == ["殷栖鹤", "司马黛"]
    only_mine = [w.word for w in wordmine.discover(text, min_count=3, known=["none", mine])]
    assert sorted(only_mine) == sorted(["殷栖鹤", "司马黛", "我们", "喜欢"])
    cli = run_wordmine("discover", text, "--min-count", "3", "--known", mine, "-q")
    assert [line.split("\t")[0] for line in cli.stdout.decode().splitlines()] == ["殷栖鹤", "司马黛"]


# Traditional characters


def test_traditional_words_are_looked_up_in_simplified_form(jieba_set):
    assert simplified("沒有什麼這個他們") == "没有什么这个他们"
    assert "沒有" not in jieba_set  # without the table, jieba would call them new
    known = KnownWords(["没有", "什么"])
    assert "沒有" in known and "什麼" in known and "没有" in known and "這個" not in known


def test_traditional_text_lists_no_common_word(tmp_path, jieba_set):
    text = tmp_path / "trad.txt"
    text.write_text(made_corpus(TRADITIONAL, 300, 1), encoding="utf-8")
    found = [w.word for w in wordmine.discover(text, min_count=3)]
    assert sorted(found) == sorted(TRADITIONAL)
    new = [w.word for w in wordmine.discover(text, min_count=3, new_only=True)]
    assert new == ["殷棲鶴"]  # reported in the text's own characters
    assert not any(simplified(word) in jieba_set for word in new)


# --examples


def _examples(lines: list[str], words: list[str], n: int, **kwargs) -> list[list[str]]:
    return word_examples(lines, words, n, **kwargs)


def test_snippets_are_exact_marked_and_stay_in_their_line():
    lines = ["他说新冠来了\n", "新冠\n", "今年的新冠\t疫情很重要啊\n"]
    assert _examples(lines, ["新冠"], 3, context=3) == [["他说【新冠】来了", "【新冠】", "今年的【新冠】 疫情"]]


def test_snippets_are_spread_over_the_corpus_and_do_not_depend_on_pieces():
    lines = [f"第{i:03d}行有新词甲乙\n" for i in range(100)]
    whole = _examples(lines, ["甲乙"], 3, context=7)
    # 100 occurrences, kept at stride 32 (0, 32, 64, 96), three of the four evenly spaced
    assert whole == [["000行有新词【甲乙】", "064行有新词【甲乙】", "096行有新词【甲乙】"]]
    assert _examples(lines, ["甲乙"], 3, context=7, piece_chars=40) == whole
    # A floor on the number of occurrences saves work, and changes nothing.
    for at_least in (0, 6, 12, 50, 100):
        assert _examples(lines, ["甲乙"], 3, context=7, piece_chars=40, at_least=[at_least]) == whole


def test_snippets_of_repeated_lines_are_given_once():
    assert _examples(["甲乙丙。\n"] * 10, ["甲乙"], 3, context=2) == [["【甲乙】丙。"]]


def test_snippets_match_units_not_characters():
    lines = ["买了iPhone5和iPhone\n", "ＡＢ和AB\n"]
    assert _examples(lines, ["iPhone", "AB", "丙丁"], 2, context=2) == [["5和【iPhone】"], ["【ＡＢ】和A", "Ｂ和【AB】"],
                                                                      []]


def _label(which: np.ndarray, number: np.ndarray, i: int) -> str:
    return f"{int(which[i])}:{int(number[i])}"


def test_the_sampler_keeps_at_most_two_n_a_word():
    sampler = _Sampler(2, 3)
    which = np.array([0] * 10 + [1])
    for start in range(0, 1000, 10):
        number = np.concatenate([np.arange(start, start + 10), [start // 10]])
        sampler.add(which, number, functools.partial(_label, which, number))
        assert all(len(kept) <= 6 for kept in sampler.kept)
    assert sampler.stride.tolist() == [256, 32]
    assert [n for n, _ in sampler.kept[0]] == [0, 256, 512, 768]
    assert sampler.chosen(3) == [["0:0", "0:512", "0:768"], ["1:0", "1:64", "1:96"]]


WHO = ["老王", "小李", "阿明"]
LINES = [f"{who}说黑猫{verb}鱼。" for who in WHO for verb in ["喜欢", "讨厌"]] * 3


def test_examples_on_the_command_line_tsv_and_jsonl(tmp_path, run_wordmine):
    text = tmp_path / "a.txt"
    text.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    tsv = run_wordmine("discover", text, "--min-count", "3", "--examples", "2", "--top", "2", "--header", "-q")
    assert tsv.returncode == 0, tsv.stderr
    rows = [line.split("\t") for line in tsv.stdout.decode().splitlines()]
    assert rows[0] == ["word", "count", "cohesion", "left_entropy", "right_entropy", "score", "examples"]
    assert [(r[0], r[-1]) for r in rows[1:]] == [
        ("说黑猫", "老王【说黑猫】喜欢鱼。 | 阿明【说黑猫】喜欢鱼。"),
        ("喜欢", "老王说黑猫【喜欢】鱼。 | 阿明说黑猫【喜欢】鱼。"),
    ]
    # Standard input is buffered for the second reading; JSON lines hold a list.
    jsonl = run_wordmine("discover", "--min-count", "3", "--examples", "2", "--top", "2", "--format", "jsonl", "-q",
                         input=text.read_bytes())
    assert jsonl.returncode == 0, jsonl.stderr
    assert [json.loads(line)["examples"] for line in jsonl.stdout.decode().splitlines()] == [
        ["老王【说黑猫】喜欢鱼。", "阿明【说黑猫】喜欢鱼。"], ["老王说黑猫【喜欢】鱼。", "阿明说黑猫【喜欢】鱼。"]]


def test_examples_from_the_api_match_the_command_line(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    from_path = wordmine.discover(text, min_count=3, examples=2, top=2)
    from_lines = wordmine.discover(iter(LINES), min_count=3, examples=2, top=2)
    assert [w.examples for w in from_path] == [w.examples for w in from_lines] == [
        ("老王【说黑猫】喜欢鱼。", "阿明【说黑猫】喜欢鱼。"), ("老王说黑猫【喜欢】鱼。", "阿明说黑猫【喜欢】鱼。")]
    assert wordmine.discover(text, min_count=3, top=1)[0].examples == ()


def test_examples_refused_where_they_cannot_work(tmp_path, run_wordmine):
    text = tmp_path / "a.txt"
    text.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    counts = tmp_path / "a.wmc"
    assert run_wordmine("count", text, "-o", counts, "-q").returncode == 0
    with pytest.raises(OptionError, match="a count file holds none"):
        wordmine.discover(counts, examples=2)
    with pytest.raises(OptionError, match="a count file holds none"):
        wordmine.discover(wordmine.Counts.load(counts), examples=2)
    for bad in (-1, 101, 2.5, True):
        with pytest.raises(OptionError, match="--examples takes a whole number from 0 to 100"):
            wordmine.discover(text, examples=bad)
    for args in ([counts, "--examples", "2"], [text, "--examples", "-1"], [text, "--examples", "2", "--format", "jieba"]):
        result = run_wordmine("discover", *args, "-q")
        assert result.returncode == 2 and result.stdout == b"", result.stderr


# --since


@pytest.fixture(scope="module")
def two_corpora(tmp_path_factory):
    folder = tmp_path_factory.mktemp("since")
    older = folder / "older.txt"
    older.write_text(made_corpus(BASE + ["手机", "手机", "电脑"], 400, 2), encoding="utf-8")
    newer = folder / "newer.txt"
    newer.write_text(made_corpus(BASE + ["疫苗", "口罩", "电脑"], 300, 3), encoding="utf-8")
    return newer, older


RISEN = [("口罩", 197, 0, 6.27), ("疫苗", 180, 0, 6.18), ("朋友", 206, 231, 0.177), ("我们", 184, 231, 0.064),
         ("电脑", 194, 254, 0.023)]


def test_since_lists_the_words_whose_rate_rose(two_corpora):
    newer, older = two_corpora
    words = wordmine.discover(newer, min_count=3, since=older)
    assert [(w.word, w.count, w.older_count, round(w.log_ratio, 3)) for w in words] == \
        [(w, c, o, pytest.approx(r, abs=1e-3)) for w, c, o, r in RISEN]
    assert all(a.score >= b.score for a, b in itertools.pairwise(words))
    # Words whose rate fell (天气 散步 喜欢 公园) are not listed.
    assert {w.word for w in wordmine.discover(newer, min_count=3)} - {w.word for w in words} == \
        {"天气", "散步", "喜欢", "公园"}


def test_since_a_count_file_or_counts_as_a_text(two_corpora, tmp_path, run_wordmine):
    newer, older = two_corpora
    counts = tmp_path / "older.wmc"
    assert run_wordmine("count", older, "-o", counts, "-q").returncode == 0
    expected = [(w, o) for w, _, o, _ in RISEN]
    assert [(w.word, w.older_count) for w in wordmine.discover(newer, min_count=3, since=counts)] == expected
    loaded = wordmine.Counts.load(counts)
    assert [(w.word, w.older_count) for w in wordmine.discover(newer, min_count=3, since=loaded, top=2)] == \
        expected[:2]
    cli = run_wordmine("discover", newer, "--min-count", "3", "--since", counts, "--header", "--top", "2", "-q")
    rows = [line.split("\t") for line in cli.stdout.decode().splitlines()]
    assert rows[0][-2:] == ["older_count", "log_ratio"]
    assert [(r[0], r[-2], r[-1]) for r in rows[1:]] == [("口罩", "0", "6.270"), ("疫苗", "0", "6.180")]


def test_since_errors(two_corpora, tmp_path, run_wordmine):
    newer, _ = two_corpora
    with pytest.raises(InputError, match="--since .*missing.txt: no such file"):
        wordmine.discover(newer, since=tmp_path / "missing.txt")
    result = run_wordmine("discover", "--since", "-", "-q", input=b"abc\n")
    assert result.returncode == 2 and b"standard input (-) can be read only once" in result.stderr
    result = run_wordmine("discover", newer, "--since", tmp_path / "missing.txt", "-q")
    assert result.returncode == 2
