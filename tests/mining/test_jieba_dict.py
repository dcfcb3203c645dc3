"""Discovered words given to jieba: only what it lacks, at frequencies on its scale."""

import jieba
import pytest

import wordmine
from wordmine.config import CountConfig, DiscoverConfig
from wordmine.counting.engine.counter import count_text
from wordmine.io.tables import jieba_words
from wordmine.io.text import read_blocks, text_source
from wordmine.mining.discover import discover
from wordmine.mining.jieba_dict import jieba_entries, to_jieba

SENTENCE = "所以我们还是只能这样做"
JIEBA_CUT = ["所以", "我们", "还是", "只能", "这样", "做"]


@pytest.fixture(scope="module")
def story(samples):
    """The story sample's corpus and lexicon: planted names, and 没有, 什么, 这个 that jieba knows."""
    path = str(samples / "story.txt")
    corpus = count_text(read_blocks([text_source(path)]), CountConfig(jobs=1))
    return corpus, discover(corpus, DiscoverConfig())


def test_known_words_keep_jiebas_frequencies_and_planted_words_are_cut_whole(story):
    corpus, lexicon = story
    assert {"没有", "什么"} <= set(lexicon.words)  # the raw counts would have lowered these
    tokenizer = to_jieba(lexicon, total_units=corpus.total_units)
    assert tokenizer.lcut(SENTENCE) == JIEBA_CUT
    assert tokenizer.lcut(SENTENCE, HMM=False) == JIEBA_CUT
    assert tokenizer.lcut("殷栖鹤和卓岚珂在鸾澈城", HMM=False) == ["殷栖鹤", "和", "卓岚珂", "在", "鸾澈城"]


def test_entries_are_new_words_without_digits_fragments_or_phrases():
    pairs = [("殷栖鹤", 234), ("这个", 471), ("1997年", 40), ("务院", 30), ("扶贫攻坚", 20), ("也没", 27)]
    entries = jieba_entries(pairs, total_units=28_394)
    # 扶贫攻坚: a compound whose pieces' counts are not at hand (no corpus) is not judged a phrase.
    assert [w for w, _ in entries] == ["殷栖鹤", "扶贫攻坚"]
    # The cap: one more than jieba's own best split of the word, below the scaled count here.
    assert entries[0][1] == jieba.Tokenizer().suggest_freq("殷栖鹤") < 234 * 60_000_000 / 28_394
    assert to_jieba(entries).lcut("殷栖鹤说") == ["殷栖鹤", "说"]


def test_sequences_of_common_words_are_phrases_but_a_rare_character_makes_a_word():
    # 较低 约占 元钱: every character is among the words that make half of jieba's text;
    # 王磊 and 什麽 each hold one jieba seldom sees alone (磊, 麽).
    pairs = [("较低", 33), ("约占", 18), ("元钱", 47), ("越办越", 9), ("王磊", 42), ("什麽", 112)]
    assert [w for w, _ in jieba_entries(pairs, total_units=1_000_000)] == ["王磊", "什麽"]


def test_the_public_api_gives_words_to_jieba_and_drops_numbers(samples):
    story = str(samples / "story.txt")
    words = wordmine.discover(story, top=50, jobs=1)
    tokenizer = wordmine.to_jieba(words)
    assert tokenizer.lcut(SENTENCE) == JIEBA_CUT
    assert tokenizer.lcut("殷栖鹤和卓岚珂", HMM=False) == ["殷栖鹤", "和", "卓岚珂"]
    everyday = str(samples / "everyday.txt")
    kept = [w.word for w in wordmine.discover(everyday, jobs=1)]
    dropped = [w.word for w in wordmine.discover(everyday, jobs=1, no_numbers=True)]
    assert dropped == [w for w in kept if not any(ch.isdigit() for ch in w)] != kept


def test_to_jieba_leaves_the_global_tokenizer_alone():
    before = (jieba.dt.initialized, jieba.dt.total, len(jieba.dt.FREQ))
    mine = jieba.Tokenizer()
    assert to_jieba(["殷栖鹤"], mine) is mine
    assert (jieba.dt.initialized, jieba.dt.total, len(jieba.dt.FREQ)) == before
    assert "殷栖鹤" in mine.lcut("殷栖鹤说", HMM=False)


@pytest.mark.slow
def test_cli_jieba_format_is_the_same_entries_and_loads_into_jieba(tmp_path, story, samples, run_wordmine):
    corpus, lexicon = story
    out = tmp_path / "user.dict"
    proc = run_wordmine("discover", samples / "story.txt", "--format", "jieba", "-q", "-o", out)
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    expected = jieba_entries(lexicon, corpus.total_units, corpus=corpus)
    assert lines == [f"{w} {f}" for w, f in expected]
    assert {"殷栖鹤", "卓岚珂", "夔狰"} <= {line.split()[0] for line in lines}
    assert not {line.split()[0] for line in lines} & jieba_words()
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(out))
    assert tokenizer.lcut(SENTENCE, HMM=False) == JIEBA_CUT


def test_no_numbers_drops_words_holding_a_digit():
    text = "，".join(s + v + o for s in ["黑猫", "白狗", "1997年", "1998年"] for v in ["喜欢", "讨厌"]
                    for o in ["鱼", "骨头", "米粒"])
    corpus = count_text([text], CountConfig(order=3, jobs=1))
    found = {numbers: discover(corpus, DiscoverConfig(order=3, min_count=3, cohesion=(2.0, 4.0), numbers=numbers))
             for numbers in (True, False)}
    assert found[True].words == ["喜欢", "讨厌", "骨头", "米粒", "黑猫", "白狗", "1997年", "1998年"]
    assert found[False].words == ["喜欢", "讨厌", "骨头", "米粒", "黑猫", "白狗"]
    assert found[False].count.tolist() == found[True].count[:6].tolist()


def test_cli_no_numbers_drops_the_words_with_digits_and_nothing_else(samples, run_wordmine):
    rows = {flag: run_wordmine("discover", samples / "everyday.txt", "-q", *flag).stdout.decode().splitlines()
            for flag in [(), ("--no-numbers",)]}
    assert rows[("--no-numbers",)] == [r for r in rows[()] if not any(ch.isdigit() for ch in r.split("\t")[0])]
    assert len(rows[("--no-numbers",)]) < len(rows[()])
