import json
import struct

import numpy as np
import pytest

from tests.helpers import with_version
from wordmine.config import CountConfig
from wordmine.counting.engine.counter import count_text
from wordmine.counting.files.countfile import MAGIC, is_count_file, read_counts, write_counts
from wordmine.errors import FormatError


@pytest.fixture
def corpus():
    return count_text(["新词发现，新词iPhone发现了"], CountConfig(order=3, jobs=1))


def test_round_trip_keeps_counts_vocabulary_and_stream(tmp_path, corpus):
    path = tmp_path / "c.wmc"
    write_counts(corpus, str(path))
    assert is_count_file(str(path))
    back = read_counts(str(path))
    assert back.order == 3 and back.vocab.units == corpus.vocab.units
    assert np.array_equal(back.stream.to_array(), corpus.stream.to_array())
    for a, b in zip(corpus.counts.keys + corpus.counts.counts, back.counts.keys + back.counts.counts):
        assert np.array_equal(a, b) and b.dtype in (np.uint64, np.int64)
    assert back.vocab.get("iPhone") == corpus.vocab.get("iPhone")


def test_writing_is_deterministic(tmp_path, corpus):
    write_counts(corpus, str(tmp_path / "a.wmc"))
    write_counts(corpus, str(tmp_path / "b.wmc"))
    assert (tmp_path / "a.wmc").read_bytes() == (tmp_path / "b.wmc").read_bytes()


def test_foreign_file_is_refused(tmp_path):
    path = tmp_path / "x.wmc"
    path.write_text("just text")
    with pytest.raises(FormatError, match="not a wordmine count file"):
        read_counts(str(path))


def test_other_version_is_refused(tmp_path, corpus):
    path = tmp_path / "c.wmc"
    write_counts(corpus, str(path))
    with pytest.raises(FormatError, match="version 99"):
        read_counts(str(with_version(path, 99)))


def test_truncated_and_corrupt_files_are_refused(tmp_path, corpus):
    path = tmp_path / "c.wmc"
    write_counts(corpus, str(path))
    whole = path.read_bytes()
    path.write_bytes(whole[:-100])
    with pytest.raises(FormatError, match="truncated"):
        read_counts(str(path))
    header_len = struct.unpack("<Q", whole[16:24])[0]
    header = json.loads(whole[24 : 24 + header_len])
    base = 24 + header_len + (-(24 + header_len) % 64)
    stream = next(a for a in header["arrays"] if a["name"] == "stream")
    flipped = bytearray(whole)
    flipped[base + stream["offset"]] ^= 0xFF
    path.write_bytes(bytes(flipped))
    with pytest.raises(FormatError, match="checksum mismatch in stream"):
        read_counts(str(path))
    assert whole.startswith(MAGIC)
