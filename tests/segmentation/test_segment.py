import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import with_version
from wordmine.config import CountConfig, SegmentConfig
from wordmine.counting.engine.counter import count_text
from wordmine.errors import FormatError, WordmineError
from wordmine.segmentation.evaluation import evaluate
from wordmine.segmentation.lossless import segment_text
from wordmine.segmentation.modelfile import read_model, write_model
from wordmine.segmentation.unigram import learn, model_from_lexicon


@pytest.fixture(scope="module")
def toy_model(toy_text):
    return learn(count_text([toy_text], CountConfig(order=3, jobs=1)), SegmentConfig(min_count=3))


@pytest.fixture(scope="module")
def story_model(samples):
    text = (samples / "story.txt").read_text(encoding="utf-8")
    return learn(count_text([text], CountConfig(jobs=1)), SegmentConfig())


def test_learned_words_and_punctuation_tokens(toy_model):
    assert segment_text("白狗讨厌骨头——黑猫喜欢鱼……\n\n小鸟，米粒", toy_model) == [
        "白狗 讨厌 骨头 —— 黑猫 喜欢 鱼 ……", "", "小鸟 ， 米粒"]


def test_unknown_characters_and_latin_runs_survive(toy_model):
    assert segment_text("黑猫吃iPhone 2019😀！", toy_model) == ["黑猫 吃 iPhone 2019 😀 ！"]


def test_planted_names_come_out_whole(story_model):
    line = segment_text("殷栖鹤和卓岚珂走进了鸾澈城。", story_model)[0].split()
    assert {"殷栖鹤", "卓岚珂", "鸾澈城"} <= set(line)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from("黑猫白狗喜欢讨厌鱼，。 \n——ab1"), st.characters()), max_size=80))
def test_segmenting_never_loses_adds_or_reorders_a_character(lossless, toy_model, text):
    lossless(text, segment_text(text, toy_model))


def test_very_long_run_is_segmented_in_pieces(toy_model):
    text = "黑猫喜欢鱼" * 3000  # 15 000 units with no boundary
    (line,) = segment_text(text, toy_model)
    # Pieces of MAX_RUN units may cut one word each; everything else is whole.
    assert "".join(line.split()) == text and line.count("黑猫") >= 3000 - len(text) // 2048 - 1


def test_model_file_round_trip_and_refusals(toy_text, tmp_path, toy_model):
    path = tmp_path / "m.wmm"
    write_model(toy_model, str(path))
    back = read_model(str(path))
    assert back.units == toy_model.units and np.array_equal(back.keys, toy_model.keys)
    assert segment_text(toy_text[:30], back) == segment_text(toy_text[:30], toy_model)
    with pytest.raises(FormatError, match="version 7"):
        read_model(str(with_version(path, 7)))
    (tmp_path / "x.wmm").write_text("not a model")
    with pytest.raises(FormatError, match="not a wordmine model file"):
        read_model(str(tmp_path / "x.wmm"))


def test_lexicon_model_prefers_listed_words():
    model = model_from_lexicon([("北京", 10), ("大学", 10), ("北京大学", 50), ("生", 1)])
    assert segment_text("北京大学生", model) == ["北京大学 生"]


def test_evaluation_hand_worked():
    score = evaluate(["我 爱 北京 天安门", "你 好"], ["我爱 北京 天 安门", "你好"], known_words={"我", "爱", "北京", "你"})
    # gold 6 words, predicted 5, correct: 北京 only
    assert (score.gold_words, score.predicted_words, score.correct) == (6, 5, 1)
    assert score.precision == pytest.approx(1 / 5) and score.recall == pytest.approx(1 / 6)
    # OOV gold words: 天安门, 好 (0 correct); in-vocabulary: 我 爱 北京 你 (1 correct)
    assert (score.oov_words, score.oov_correct, score.iv_words, score.iv_correct) == (2, 0, 4, 1)


def test_evaluation_refuses_misaligned_files():
    with pytest.raises(WordmineError, match="line 2: the characters differ"):
        evaluate(["甲 乙", "丙 丁"], ["甲乙", "丙戊"])
    with pytest.raises(WordmineError, match="line 2: the predicted file has ended"):
        evaluate(["甲", "乙"], ["甲"])


def test_segment_cli_learns_from_stdin_and_keeps_lines(toy_text, run_wordmine, tmp_path):
    text = (toy_text.replace("，", "\n") + "\n").encode()
    proc = run_wordmine("segment", "-", "-q", "--min-count", "3", input=text)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().split("\n")
    assert lines[0] == "黑猫 喜欢 鱼" and len(lines) == text.decode().count("\n") + 1


def test_learn_then_segment_with_model_and_eval(samples, run_wordmine, tmp_path):
    model = tmp_path / "story.wmm"
    assert run_wordmine("learn", samples / "story.txt", "-o", model, "-q").returncode == 0
    source = tmp_path / "in.txt"
    source.write_text("殷栖鹤来到鸾澈城。\n", encoding="utf-8")
    out = run_wordmine("segment", source, "--model", model, "-q")
    words = out.stdout.decode().split()
    assert out.returncode == 0 and words[0] == "殷栖鹤" and "鸾澈城" in words
    gold = tmp_path / "gold.txt"
    gold.write_text("殷栖鹤 来到 鸾澈城 。\n", encoding="utf-8")
    predicted = tmp_path / "pred.txt"
    predicted.write_text("殷栖鹤 来 到 鸾澈城 。\n", encoding="utf-8")
    known = tmp_path / "known.txt"
    known.write_text("来到\n。\n", encoding="utf-8")
    scored = run_wordmine("eval", gold, predicted, "--words", known)
    # 3 of 5 predicted words are right, 3 of 4 gold words found; the two names are
    # out of vocabulary (both found), 来到 and 。 in it (one found)
    assert scored.returncode == 0 and scored.stdout.decode().splitlines() == [
        "precision\t0.6000", "recall\t0.7500", "f1\t0.6667", "gold_words\t4", "predicted_words\t5",
        "correct_words\t3", "oov_recall\t1.0000", "iv_recall\t0.5000", "oov_words\t2"]
    bad = tmp_path / "bad.txt"
    bad.write_text("殷栖鹤 来到 鸾澈 。\n", encoding="utf-8")
    refused = run_wordmine("eval", gold, bad)
    assert refused.returncode == 1 and b"line 1: the characters differ" in refused.stderr


def test_segment_usage_errors_and_empty_input(run_wordmine, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    proc = run_wordmine("segment", empty, "-q")
    assert proc.returncode == 0 and proc.stdout == b""
    lexicon = tmp_path / "words.txt"
    lexicon.write_text("甲乙 3\n", encoding="utf-8")
    assert run_wordmine("segment", empty, "--model", lexicon, "--lexicon", lexicon).returncode == 2
    assert run_wordmine("learn", empty).returncode == 2


def test_adjacent_numeral_words_are_one_number(toy_model):
    assert segment_text("黑猫四百三十八点八，２０１９年", toy_model) == ["黑猫 四百三十八点八 ， ２０１９ 年"]


def test_learning_a_window_at_a_time_gives_the_same_model(toy_text, monkeypatch):
    from wordmine.segmentation import unigram

    corpus = count_text([toy_text], CountConfig(order=3, jobs=1, memory=64 << 10))
    whole = learn(corpus, SegmentConfig(min_count=3))
    monkeypatch.setattr(unigram, "LEARN_WINDOW", 7)  # about one clause a window
    windowed = learn(corpus, SegmentConfig(min_count=3))
    assert np.array_equal(windowed.keys, whole.keys) and np.array_equal(windowed.log_prob, whole.log_prob)


def test_decimal_numbers_and_percentages_are_one_word(toy_model):
    assert segment_text("黑猫３．５％，白狗12.30%，a.b，5.", toy_model) == ["黑猫 ３．５％ ， 白狗 12.30% ， a . b ， 5 ."]


class _OneWordPerRun:
    """A model that never ends a word inside a run: what the number rules do is all that shows."""

    def vocabulary(self):
        from wordmine.normalize import Vocabulary

        return Vocabulary()

    def word_ends(self, ids, offsets):
        ends = np.zeros(len(ids), bool)
        ends[:-1] = offsets[1:] == 0
        if len(ends):
            ends[-1] = True
        return ends


def test_digits_are_a_word_apart_from_the_characters_around_them():
    # 3|个, 有|3 and 万|元 are cut; 万 is part of the number; the date character 年 is left to the model (joined here).
    assert segment_text("有3个苹果，达５万元，1998年，第12", _OneWordPerRun()) == ["有 3 个苹果 ， 达 ５万 元 ， 1998年 ， 第 12"]


def test_middle_dot_joins_a_name_and_digits_but_not_elsewhere():
    assert segment_text("铁木尔·达瓦买提，3·5%，3∶1，1/2；·是", _OneWordPerRun()) == [
        "铁木尔·达瓦买提 ， 3·5% ， 3∶1 ， 1/2 ； · 是"]
    assert segment_text("让・雷诺", _OneWordPerRun()) == ["让・雷诺"]


class _DateCharactersJoinTheUnitBefore:
    """Ends a word after every unit but before 年, 月 and 日: numbers come out cut to single characters."""

    def __init__(self, text):
        from wordmine.normalize import Vocabulary

        self.units = sorted(set(text))
        self.vocab = Vocabulary(self.units)

    def vocabulary(self):
        return self.vocab

    def word_ends(self, ids, offsets):
        date_ids = [self.vocab.encode(c, grow=False)[0] for c in "年月日"]
        ends = np.ones(len(ids), bool)
        ends[:-1] = ~np.isin(ids[1:], date_ids) | (offsets[1:] == 0)
        return ends


def test_fractions_and_dates_cut_inside_their_number_are_joined():
    text = "一九九七年十二月，百分之八十，三分之一，十分之后，三年"
    assert segment_text(text, _DateCharactersJoinTheUnitBefore(text)) == [
        "一九九七年 十二月 ， 百分之八十 ， 三分之一 ， 十 分 之 后 ， 三年"]


def test_latin_letters_are_a_word_apart_from_han_characters():
    assert segment_text("用iPhone拍照，ISO9001标准", _OneWordPerRun()) == ["用 iPhone 拍照 ， ISO9001 标准"]


def test_traditional_numerals_and_time_follow_the_same_rules():
    assert segment_text("達3萬元，8時，三十 萬", _OneWordPerRun()) == ["達 3萬 元 ， 8時 ， 三十 萬"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("3１万亿年月时个百分之三十·・.．/∶%％abX的，\n "), max_size=40))
def test_the_number_and_name_rules_never_lose_a_character(lossless, toy_model, text):
    lossless(text, segment_text(text, _OneWordPerRun()))
    lossless(text, segment_text(text, toy_model))
