"""The model file (``.wmm``): a learned segmentation model and the text model it assumes.

A :mod:`wordmine.container` with magic ``b"WMMODEL\\0"``, version 1. The header
holds the method, the unit vocabulary, the bits per unit of the word keys, the
log probability of an unknown unit, and the normalisation settings the model
was learned with; the arrays are the sorted word keys (``<u8``) and their log
probabilities (``<f8``). A model whose normalisation differs from this
wordmine's is refused: its units would not mean the same characters.
"""

from __future__ import annotations

import numpy as np

from .container import has_magic, read_container, write_container
from .countfile import normalization_settings
from .errors import FormatError
from .segment import WordModel

MAGIC = b"WMMODEL\0"
VERSION = 1


def is_model_file(path: str) -> bool:
    return has_magic(path, MAGIC)


def write_model(model: WordModel, path: str) -> None:
    header = {
        "format": "wordmine-model",
        "method": "unigram",
        "bits": model.bits,
        "unknown_log_prob": model.unknown_log_prob,
        "normalization": normalization_settings(),
        "units": model.units,
    }
    write_container(path, MAGIC, VERSION, header,
                    [("keys", model.keys.astype("<u8")), ("log_prob", model.log_prob.astype("<f8"))])


def read_model(path: str) -> WordModel:
    header, arrays = read_container(path, MAGIC, VERSION, "model file (make one with 'wordmine learn')")
    if header.get("normalization") != normalization_settings():
        raise FormatError(f"{path}: the model was learned with other normalisation settings; learn it again")
    try:
        return WordModel(header["units"], int(header["bits"]), arrays["keys"].astype(np.uint64),
                         arrays["log_prob"].astype(np.float64), float(header["unknown_log_prob"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"{path}: corrupt model file ({exc})") from None
