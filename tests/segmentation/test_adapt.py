"""`learn --adapt jieba`: jieba's segmentation corrected by the corpus' words, as the CRF's teacher."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import wordmine
from wordmine.config import CountConfig, CRFConfig
from wordmine.counting.engine.counter import count_text
from wordmine.errors import FormatError, OptionError, WordmineError
from wordmine.segmentation.crf import adapt
from wordmine.segmentation.crf.learn import _corpus_runs, learn_crf
from wordmine.segmentation.lossless import segment_text

#: 殷栖鹤, a name jieba's dictionary lacks (its dictionary path cuts it into 殷 栖 鹤), in sentences of common words.
SUBJECTS = ["殷栖鹤", "老师", "我们", "他的朋友"]
VERBS = ["今天去了", "喜欢", "想起了"]
OBJECTS = ["北京的书店", "那座山", "学校门口", "殷栖鹤的家"]
TEXT = "\n".join(s + v + o + "。" for s, v, o in itertools.product(SUBJECTS, VERBS, OBJECTS)) * 3 + "\n"
SMALL = CRFConfig(hash_bits=14)


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("adapt") / "story.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def adapted(corpus_file):
    return wordmine.learn(corpus_file, adapt="jieba", crf=SMALL)


def test_a_corpus_word_jieba_splits_comes_out_whole(adapted, corpus_file):
    assert adapted.cut("殷栖鹤喜欢北京的书店，我们想起了殷栖鹤。") == [
        "殷栖鹤", "喜欢", "北京", "的", "书店", "，", "我们", "想起", "了", "殷栖鹤", "。"]
    # the unsupervised CRF, learned from the same text, does not have it
    unsupervised = wordmine.learn(corpus_file, crf=SMALL, adapt="none")
    assert "殷栖鹤" not in unsupervised.cut("殷栖鹤喜欢北京的书店")


def test_the_teacher_takes_the_discovered_word_and_drops_unconfirmed_hmm_words():
    corpus = count_text([TEXT], CountConfig(order=4, jobs=1))
    model = learn_crf(corpus, CRFConfig(hash_bits=14, adapt="jieba"))
    ids, offsets = model.vocabulary().encode("殷栖鹤喜欢那座山", grow=False), np.array([0, 1, 2, 3, 4, 5, 6, 7])
    ends, used = adapt.jieba_teacher_ends(corpus, model.units, ids, offsets, CRFConfig(adapt="jieba"))
    assert ends.tolist() == [False, False, True, False, True, True, True, True]  # 殷栖鹤 喜欢 那 座 山: 那座 is a guess of jieba's HMM that discover does not confirm
    # 殷栖鹤 and 学校门口 join jieba's dictionary: in this text 学校 is never seen outside 学校门口, so by
    # wordmine.mining.novelty's one definition the compound is a word, not a phrase of known words
    assert used == {"adapt": "jieba", "discovered_words_added": 2, "hmm_words": "confirmed"}
    off, _ = adapt.jieba_teacher_ends(corpus, model.units, ids, offsets,
                                      CRFConfig(adapt="jieba", adapt_discovered=False, adapt_hmm="off"))
    assert off.tolist()[:3] == [True, True, True]  # jieba's dictionary path alone: 殷 栖 鹤


def test_output_is_lossless(adapted, lossless):
    text = "殷栖鹤在2019年买了iPhone 12，价格12.5%！\n\n  我们——想起了……殷栖鹤\t的家\n最后一行"
    lossless(text, adapted(text))


def test_model_file_records_what_it_was_learned_with(adapted, tmp_path, run_wordmine):
    path = tmp_path / "a.wmm"
    adapted.save(str(path))
    back = wordmine.load(path)
    assert back.model.learned_with == adapted.model.learned_with
    assert back.cut("殷栖鹤喜欢那座山") == adapted.cut("殷栖鹤喜欢那座山")
    info = run_wordmine("info", path)
    assert info.returncode == 0, info.stderr
    rows = dict(line.split("\t") for line in info.stdout.decode().splitlines())
    assert rows["method"] == "crf" and rows["adapt"] == "jieba" and rows["teacher"] == "jieba"
    assert rows["discovered_words_added"] == "2" and rows["hmm_words"] == "confirmed"


def test_a_model_file_written_before_the_record_still_loads(adapted, tmp_path, run_wordmine):
    from wordmine.io.container import read_container, write_container
    from wordmine.segmentation.modelfile import MAGIC, VERSION

    path = tmp_path / "old.wmm"
    adapted.save(str(path))
    header, arrays = read_container(str(path), MAGIC, VERSION, "model file")
    del header["learned_with"]
    write_container(str(path), MAGIC, VERSION, header, list(arrays.items()))
    back = wordmine.load(path)
    assert back.model.learned_with == {}
    assert back.cut("殷栖鹤喜欢那座山") == adapted.cut("殷栖鹤喜欢那座山")
    info = run_wordmine("info", path)
    assert info.returncode == 0 and b"learned_with\tnot recorded" in info.stdout


def test_damaged_and_wrong_kind_of_model_give_one_line_errors(adapted, tmp_path, corpus_file, run_wordmine):
    path = tmp_path / "a.wmm"
    adapted.save(str(path))
    data = path.read_bytes()
    (tmp_path / "cut.wmm").write_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError):
        wordmine.load(tmp_path / "cut.wmm")
    for bad in (tmp_path / "cut.wmm", corpus_file):  # damaged; a text file, not a model
        for argv in (("info", bad), ("segment", corpus_file, "--model", bad)):
            out = run_wordmine(*argv)
            assert out.returncode == 1, (argv, out.stderr)
            assert out.stderr.decode().count("\n") == 1 and b"Traceback" not in out.stderr


def test_jieba_dictionary_missing_is_a_one_line_error(monkeypatch):
    import jieba

    def missing(self, *args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", "dict.txt")

    from wordmine.mining.jieba_dict import forget_dictionary

    forget_dictionary()  # read afresh, as in a new process
    monkeypatch.setattr(jieba.Tokenizer, "initialize", missing)
    monkeypatch.setattr(jieba.Tokenizer, "get_dict_file", missing)
    corpus = count_text([TEXT], CountConfig(order=4, jobs=1))
    with pytest.raises(WordmineError, match="jieba's dictionary could not be read.*reinstall jieba"):
        learn_crf(corpus, CRFConfig(hash_bits=14, adapt="jieba"))


def test_adapt_none_is_the_unsupervised_crf_and_never_asks_jieba(monkeypatch, corpus_file):
    default = wordmine.learn(corpus_file, crf=SMALL)
    assert default.model.learned_with["adapt"] == "jieba"  # the default adapts

    def refuse(*args, **kwargs):
        raise AssertionError("the unsupervised CRF asked jieba")

    monkeypatch.setattr("wordmine.segmentation.crf.learn.jieba_teacher_ends", refuse)
    by_option = wordmine.learn(corpus_file, crf=SMALL, adapt="none")
    by_config = wordmine.learn(corpus_file, crf=CRFConfig(hash_bits=14, adapt="none"))
    assert np.array_equal(by_option.model.weights, by_config.model.weights)
    assert by_option.model.learned_with["adapt"] == "none"
    assert segment_text(TEXT, by_option.model) == segment_text(TEXT, by_config.model)
    # the lexicon teacher segments no text, so there is nothing to adapt
    lexicon = wordmine.learn(corpus_file, crf=CRFConfig(hash_bits=14, teacher="lexicon"))
    assert lexicon.model.learned_with["adapt"] == "none"
    with pytest.raises(OptionError, match="adapt jieba mends the teacher's segmentation.*not lexicon"):
        wordmine.learn(corpus_file, crf=CRFConfig(teacher="lexicon"), adapt="jieba")


def test_bad_settings_are_refused(corpus_file, run_wordmine, tmp_path):
    with pytest.raises(ValueError, match="adapt must be one of jieba"):
        CRFConfig(adapt="hanlp")
    with pytest.raises(OptionError, match="adapt applies to method crf"):
        wordmine.learn(corpus_file, method="charlm", adapt="jieba")
    with pytest.raises(OptionError, match="adapt: 'hanlp' is not one of jieba"):
        wordmine.learn(corpus_file, adapt="hanlp")
    model = tmp_path / "m.wmm"
    for argv in (("--method", "charlm", "--adapt", "jieba"), ("--teacher", "lexicon", "--adapt", "jieba"),
                 ("--adapt", "hanlp")):
        out = run_wordmine("learn", corpus_file, "-o", model, *argv)
        assert out.returncode == 2, argv
    assert run_wordmine("segment", corpus_file, "--model", model, "--adapt", "jieba").returncode == 2


def test_jieba_dictionary_missing_on_the_command_line(corpus_file, tmp_path, run_patched):
    prelude = """
        import jieba
        def missing(self, *args, **kwargs):
            raise FileNotFoundError(2, "No such file or directory", "dict.txt")
        jieba.Tokenizer.initialize = jieba.Tokenizer.get_dict_file = missing
    """
    out = run_patched(prelude, "learn", corpus_file, "--adapt", "jieba", "-o", tmp_path / "m.wmm", "-q")
    assert out.returncode == 1 and out.stderr.decode().count("\n") == 1, out.stderr
    assert b"jieba's dictionary could not be read" in out.stderr and not (tmp_path / "m.wmm").exists()


def test_segment_learns_an_adapted_model_from_its_input(corpus_file, run_wordmine):
    out = run_wordmine("segment", corpus_file, "--adapt", "jieba", "-q", "--jobs", "1")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.decode().splitlines()
    assert len(lines) == TEXT.count("\n") and lines[0] == "殷栖鹤 今天 去 了 北京 的 书店 。"


def test_the_command_line_default_adapts_and_adapt_none_does_not(corpus_file, run_wordmine, tmp_path):
    described = {}
    for name, argv in (("default", ()), ("none", ("--adapt", "none")), ("lexicon", ("--teacher", "lexicon"))):
        model = tmp_path / f"{name}.wmm"
        assert run_wordmine("learn", corpus_file, "-o", model, "-q", *argv).returncode == 0, argv
        rows = run_wordmine("info", model).stdout.decode().splitlines()
        described[name] = dict(row.split("\t", 1) for row in rows)["adapt"]
    assert described == {"default": "jieba", "none": "none", "lexicon": "none"}
    out = run_wordmine("learn", corpus_file, "--method", "charlm", "--adapt", "none", "-o", tmp_path / "c.wmm")
    assert out.returncode == 2 and b"apply to --method crf, not charlm" in out.stderr


def test_the_teacher_of_the_first_part_of_a_corpus_reads_only_that_part():
    # The CRF learns from the first max_units units; the teacher's words are found in that text alone,
    # so a name that occurs only later (蔺霜笙) joins jieba's dictionary only when the whole corpus is judged.
    later = "\n".join(f"蔺霜笙{v}{o}。" for v, o in itertools.product(VERBS, OBJECTS)) * 3 + "\n"
    first = count_text([TEXT], CountConfig(order=4, jobs=1))
    both = count_text([TEXT + later], CountConfig(order=4, jobs=1))
    ids, offsets, whole = _corpus_runs(first, 10**6)
    assert whole
    part_ids, part_offsets, part_whole = _corpus_runs(both, len(ids))
    assert not part_whole and part_offsets.tolist() == offsets.tolist()
    config = CRFConfig(adapt="jieba")
    alone, used_alone = adapt.jieba_teacher_ends(first, first.vocab.units, ids, offsets, config)
    part, used_part = adapt.jieba_teacher_ends(both, both.vocab.units, part_ids, part_offsets, config, whole=False)
    assert part.tolist() == alone.tolist() and used_part == used_alone
    _, used_judging_all = adapt.jieba_teacher_ends(both, both.vocab.units, part_ids, part_offsets, config)
    assert used_judging_all["discovered_words_added"] == used_alone["discovered_words_added"] + 1
