import io

import pytest

from wordmine.errors import DecodeError, InputError
from wordmine.io.text import TextSource, atomic_output, read_blocks


def source(data: bytes, name: str = "t.txt") -> TextSource:
    return TextSource(name, lambda: io.BytesIO(data))


def test_decode_error_names_file_offset_and_fix():
    data = "中文".encode() + "汉字".encode("gbk")
    with pytest.raises(DecodeError) as err:
        list(read_blocks([source(data)], block_bytes=3))
    assert str(err.value) == "t.txt: cannot decode byte 0xba at offset 6 as utf-8; try --encoding gb18030"


def test_decode_error_offset_when_a_sequence_straddles_blocks():
    data = "甲乙".encode() + b"\xe4\xb8" + b"\xff"
    with pytest.raises(DecodeError) as err:
        list(read_blocks([source(data)], block_bytes=7))
    assert err.value.offset == 6


def test_gb18030_input():
    data = "新词发现".encode("gb18030")
    assert "".join(read_blocks([source(data)], encoding="gb18030")) == "新词发现\n"


def test_byte_order_mark_is_dropped():
    assert "".join(read_blocks([source(b"\xef\xbb\xbf" + "字".encode())])) == "字\n"


def test_nul_bytes_are_refused_as_binary():
    with pytest.raises(InputError, match="NUL byte at offset 2"):
        list(read_blocks([source(b"ab\x00cd")]))


def test_utf16_may_hold_nul_bytes():
    assert "".join(read_blocks([source("词".encode("utf-16"))], encoding="utf-16")) == "词\n"


def test_unknown_encoding_is_an_input_error():
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        list(read_blocks([source(b"x")], encoding="klingon"))


def test_latin_runs_are_never_split_between_blocks():
    blocks = list(read_blocks([source("中iPhone国".encode())], block_bytes=4))
    assert "".join(blocks) == "中iPhone国\n"
    assert not any(b.endswith(("i", "iP", "iPh")) for b in blocks)


def test_files_are_separated_by_a_line_end():
    assert "".join(read_blocks([source("甲".encode()), source("乙".encode())])) == "甲\n乙\n"


def test_empty_input_and_final_line_ends():
    assert "".join(read_blocks([source(b"")])) == ""
    assert "".join(read_blocks([source("甲\n".encode())], block_bytes=1)) == "甲\n"
    assert "".join(read_blocks([source("甲\n乙".encode())], block_bytes=2)) == "甲\n乙\n"


def test_atomic_output_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.tsv"
    with pytest.raises(RuntimeError), atomic_output(str(target)) as handle:
        handle.write("half")
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []
    with atomic_output(str(target)) as handle:
        handle.write("whole\n")
    assert target.read_text() == "whole\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.tsv"]


def test_atomic_output_gets_the_usual_file_mode(tmp_path):
    import os

    umask = os.umask(0o022)
    try:
        with atomic_output(str(tmp_path / "out.tsv")) as handle:
            handle.write("x\n")
    finally:
        os.umask(umask)
    assert (tmp_path / "out.tsv").stat().st_mode & 0o777 == 0o644
