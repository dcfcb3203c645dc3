"""Damaged count and model files: a flipped bit, a crafted header with a valid checksum, a cut file;
each refused in one line, before anything is allocated.

test_fault_NN: fault NN of issue 11 (docs/reliability.md cites them).
"""

from __future__ import annotations

import json
import re
import struct
import zlib

from tests.helpers import count_file, invoke, model_file
from wordmine.errors import FormatError


def refused(args, match="damaged|corrupt|not a wordmine|truncated"):
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, FormatError), repr(result.exception)
    assert re.search(match, str(result.exception)), str(result.exception)
    return str(result.exception)


def craft(path, edit) -> None:
    """Rewrite a container's header through ``edit`` (JSON text to JSON text), with a valid checksum."""
    data = path.read_bytes()
    magic, version, _, length = struct.unpack("<8sIIQ", data[:24])
    base = 24 + length
    body = data[base + (-base % 64):]
    header = edit(data[24:base].decode()).encode()
    base = 24 + len(header)
    path.write_bytes(struct.pack("<8sIIQ", magic, version, zlib.crc32(header), len(header)) + header
                     + b"\0" * (-base % 64) + body)


def edit_json(change):
    def edit(text):
        header = json.loads(text)
        change(header)
        return json.dumps(header, ensure_ascii=False)
    return edit


# Faults 8-9 of issue 11: count and model files: the header is checked, crafted headers are refused in one line


def test_fault_08_a_changed_character_in_the_header_is_refused(tmp_path, story):
    counts = count_file(tmp_path, story)
    data = counts.read_bytes()
    counts.write_bytes(data.replace("黑".encode(), "墨".encode(), 1))
    refused(["discover", counts, "-q"], "checksum")
    model = model_file(tmp_path, story)
    data = model.read_bytes()
    model.write_bytes(data.replace("黑".encode(), "墨".encode(), 1))
    refused(["segment", "--model", model, story, "-q"], "checksum")


def test_fault_08_an_edited_dtype_is_refused(tmp_path, story):
    counts = count_file(tmp_path, story)
    data = counts.read_bytes()
    assert b'"<i8"' in data
    counts.write_bytes(data.replace(b'"<i8"', b'"<f8"', 1))
    refused(["discover", counts, "-q"], "checksum")


def test_fault_09_crafted_count_file_headers_are_refused(tmp_path, story):
    counts = count_file(tmp_path, story)
    original = counts.read_bytes()
    crafted = [
        lambda text: "[" * 100_000 + "]" * 100_000,
        edit_json(lambda h: h.update(bits=-1)),
        edit_json(lambda h: h.update(bits=64)),
        edit_json(lambda h: h.update(bits=32)),
        edit_json(lambda h: h.update(bits=8)),
        edit_json(lambda h: h.update(order="4")),
        edit_json(lambda h: h.update(vocabulary=h["vocabulary"][:5])),
        edit_json(lambda h: h["arrays"][0].update(length=1 << 40)),
        edit_json(lambda h: h["arrays"][0].update(offset=-64)),
        edit_json(lambda h: h["arrays"][0].update(dtype="O")),
    ]
    for edit in crafted:
        counts.write_bytes(original)
        craft(counts, edit)
        message = refused(["discover", counts, "-q"])
        assert "--memory" not in message
    # A header length past the end of the file, even one of 2^63 or more.
    for length in (1 << 40, 1 << 63, (1 << 64) - 1):
        counts.write_bytes(original[:12] + struct.pack("<IQ", 0, length) + original[24:])
        refused(["discover", counts, "-q"])


def test_fault_09_crafted_model_headers_are_refused(tmp_path, story):
    for method in ("charlm", "unigram"):
        model = model_file(tmp_path, story, method)
        original = model.read_bytes()
        edits = [edit_json(lambda h: h.update(units=h["units"][:3])), edit_json(lambda h: h.update(bits=-1)),
                 edit_json(lambda h: h.update(unknown_log_prob="x")), edit_json(lambda h: h.update(bits=32))]
        if method == "charlm":
            edits.append(edit_json(lambda h: h.update(order=9)))
        for edit in edits:
            model.write_bytes(original)
            craft(model, edit)
            refused(["segment", "--model", model, story, "-q", "--jobs", "1"])


def test_fault_09_a_cut_count_file_is_not_read_as_text(tmp_path, story):
    counts = count_file(tmp_path, story)
    original = counts.read_bytes()
    for cut in (0, 4, 8, 30):
        short = tmp_path / f"cut{cut}.wmc"
        short.write_bytes(original[:cut])
        refused(["discover", short, "-q"])
    unnamed = tmp_path / "cut4"
    unnamed.write_bytes(original[:4])
    refused(["discover", unnamed, "-q"])
