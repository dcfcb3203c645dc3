"""Models of nothing and models that hold no numbers: learning from no units is refused, an empty model still
segments, non-finite gold weights and weights are refused.

test_fault_NN: fault NN of issue 11; test_r3_NN: item NN of issue 19 (docs/reliability.md cites them).
"""

from __future__ import annotations

import numpy as np
import pytest

import wordmine
from tests.helpers import STORY, one_line_error, run_wordmine, stderr_lines
from wordmine.errors import FormatError
from wordmine.segmentation import modelfile


@pytest.fixture
def story_gold(tmp_path, samples):
    """The story's first lines, one character a word, as a gold file."""
    lines = samples.joinpath("story.txt").read_text(encoding="utf-8").splitlines()[:5]
    gold = tmp_path / "gold.txt"
    gold.write_text("".join(" ".join(line) + "\n" for line in lines), encoding="utf-8")
    return gold


# Fault 10 of issue 11: empty models


def test_fault_10_learning_from_nothing_is_refused(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    for method in ("charlm", "unigram"):
        proc = run_wordmine("learn", empty, "--method", method, "-q", "-o", tmp_path / "e.wmm")
        assert proc.returncode == 1
        assert "empty.txt" in one_line_error(proc)
        assert not (tmp_path / "e.wmm").exists()


def test_fault_10_segmenting_with_an_empty_model_keeps_every_character(tmp_path, story, lossless):
    from wordmine.config import CharLMConfig, CountConfig, SegmentConfig
    from wordmine.counting.engine.counter import count_text
    from wordmine.segmentation.charlm.model import learn_charlm
    from wordmine.segmentation.modelfile import write_model
    from wordmine.segmentation.unigram import learn

    empty = count_text([], CountConfig(order=4, jobs=1))
    for name, model in (("charlm", learn_charlm(empty, CharLMConfig())), ("unigram", learn(empty, SegmentConfig()))):
        path = tmp_path / f"{name}.wmm"
        write_model(model, str(path))
        proc = run_wordmine("segment", "--model", path, story, "-q", "--jobs", "2")
        assert proc.returncode == 0, proc.stderr
        lossless(STORY, proc.stdout.decode().split("\n")[:-1])


@pytest.mark.parametrize("weight", ["nan", "inf", "1e308", "-inf", "0"])
def test_r3_01_a_non_finite_or_absurd_gold_weight_is_a_usage_error(run_wordmine, samples, story_gold, tmp_path,
                                                                    weight):
    model = tmp_path / "m.wmm"
    result = run_wordmine("learn", samples / "story.txt", "--gold", story_gold, "--gold-weight", weight, "-o", model,
                          "-q")
    assert result.returncode == 2
    shown = {"inf": "inf", "nan": "nan", "1e308": "1e+308", "-inf": "-inf", "0": "0.0"}[weight]
    assert stderr_lines(result)[-1] == ("Error: Invalid value for '--gold-weight': the gold weight must be a number "
                                  f"above 0 and at most 1000, not {shown}")
    assert not model.exists()


def test_r3_01_the_config_refuses_a_nan_gold_weight():
    with pytest.raises(ValueError, match="the gold weight must be a number above 0 and at most 1000, not nan"):
        wordmine.config.CRFConfig(gold_weight=float("nan"))


def test_r3_01_a_model_with_nan_weights_is_refused_at_save_and_at_load(toy_text, tmp_path, monkeypatch,
                                                                        run_wordmine):
    model = wordmine.learn([toy_text], method="crf")
    model.model.weights[0, 0] = np.nan
    path = tmp_path / "nan.wmm"
    with pytest.raises(FormatError) as caught:
        model.save(path)
    assert str(caught.value) == (f"{path}: the model holds non-finite weights (nan in crf_weights); it was not "
                                 "saved; learn it again with other settings")
    assert not path.exists()
    # A file written before the check (or by another program) is refused when it is read.
    monkeypatch.setattr(modelfile, "_check_finite", lambda *args: None)
    model.save(path)
    monkeypatch.undo()
    with pytest.raises(FormatError, match="non-finite weights"):
        wordmine.load(path)
    result = run_wordmine("segment", "--model", path, "-q", input="黑猫喜欢鱼\n".encode())
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", f"wordmine: error: {path}: the model holds non-finite weights (nan in crf_weights); learn it again\n")


def test_r3_01_a_unigram_model_with_an_infinite_probability_is_refused(toy_text, tmp_path):
    model = wordmine.learn([toy_text], method="unigram")
    model.model.log_prob[0] = np.inf
    with pytest.raises(FormatError, match=r"\(inf in log_prob\)"):
        model.save(tmp_path / "inf.wmm")
