import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from wordmine.normalize import MAX_LATIN_UNIT, Vocabulary


def units_of(text: str) -> list[str]:
    vocab = Vocabulary()
    return [vocab.unit(i) if i else "|" for i in vocab.encode(text).tolist()]


def test_han_characters_and_latin_runs_are_units():
    assert units_of("用iPhone拍照") == ["用", "iPhone", "拍", "照"]


def test_fullwidth_forms_fold_to_ascii():
    assert units_of("ＧＤＰ增长７．５％") == ["GDP", "增", "长", "7", "|", "5", "|"]


def test_every_han_block_is_a_unit():
    # Extension A, Extension B, U+9FA6..U+9FFF, compatibility ideograph (folded), 〇
    text = "\u3400\U00020000\u9fa6\uf900\u3007"
    assert units_of(text) == ["\u3400", "\U00020000", "\u9fa6", "\u8c48", "\u3007"]


def test_punctuation_emoji_and_controls_are_single_boundaries():
    assert units_of("你好😀\x00\x07，。  世界\n") == ["你", "好", "|", "世", "界", "|"]


def test_overlong_latin_run_is_a_boundary():
    token = "a" * (MAX_LATIN_UNIT + 1)
    assert units_of(f"甲{token}乙") == ["甲", "|", "乙"]
    assert units_of("甲" + "b" * MAX_LATIN_UNIT + "乙") == ["甲", "b" * MAX_LATIN_UNIT, "乙"]


def test_ids_are_stable_across_calls():
    vocab = Vocabulary()
    first = vocab.encode("天地人").tolist()
    second = vocab.encode("人地天").tolist()
    assert second == first[::-1]
    assert vocab.get("地") == first[1] and vocab.get("海") == 0


@given(st.text())
def test_stream_has_one_id_per_unit_and_never_two_boundaries_in_a_row(text):
    ids = Vocabulary().encode(text)
    zeros = ids == 0
    assert not (zeros[1:] & zeros[:-1]).any()
    assert ids.dtype == np.uint32
