"""The model file (``.wmm``): a learned segmentation model and the text model it assumes.

A :mod:`wordmine.io.container` with magic ``b"WMMODEL\\0"``, version 2. The header
holds the method (``unigram`` or ``charlm``), the unit vocabulary, the bits per
unit of the keys, the log probability of an unknown unit, and the normalisation
settings the model was learned with. The arrays depend on the method:

- ``unigram``: the sorted word keys (``<u8``) and their log probabilities (``<f8``);
- ``charlm``: for each order k of the character model, ``keys_k`` (``<u8``, the
  :mod:`wordmine.counting.ngrams` key encoding), ``log_prob_k`` (``<f8``) and, below the
  top order, ``backoff_k`` (``<f8``); ``transitions``, the 4 x 4 tag
  transition weights (``<f8``, natural log, row-major, -inf where forbidden);
  and, when the header has ``boundary_weight`` (and ``word_weight``), ``right_variation_k`` and
  ``left_variation_k`` (``<f4``, empty for an order without them), the normalised variations of
  branching entropy of the same n-grams. A file without them (written before
  they existed) scores no boundary bonus.

Version 1 files (unigram only, with no method-dependent arrays) are refused:
learn the model again. A model whose normalisation differs from this
wordmine's is refused too: its units would not mean the same characters.
"""

from __future__ import annotations

import numpy as np

from wordmine.counting.countfile import normalization_settings
from wordmine.errors import FormatError
from wordmine.io.container import has_magic, read_container, write_container
from wordmine.segmentation.charlm import CharLM
from wordmine.segmentation.unigram import WordModel

MAGIC = b"WMMODEL\0"
VERSION = 2
METHODS = ("unigram", "charlm")


def is_model_file(path: str) -> bool:
    return has_magic(path, MAGIC)


def write_model(model: WordModel | CharLM, path: str) -> None:
    header = {
        "format": "wordmine-model",
        "method": "charlm" if isinstance(model, CharLM) else "unigram",
        "bits": model.bits,
        "unknown_log_prob": model.unknown_log_prob,
        "normalization": normalization_settings(),
        "units": model.units,
    }
    if isinstance(model, CharLM):
        header["order"] = model.order
        boundary = model.scores_entropy
        if boundary:
            header["boundary_weight"] = model.boundary_weight
            header["word_weight"] = model.word_weight
        arrays = [("transitions", model.transitions.astype("<f8").reshape(-1))]
        for k in range(1, model.order + 1):
            arrays += [(f"keys_{k}", model.keys[k - 1].astype("<u8")),
                       (f"log_prob_{k}", model.log_prob[k - 1].astype("<f8"))]
            if k < model.order:
                arrays.append((f"backoff_{k}", model.backoff[k - 1].astype("<f8")))
            if boundary:
                arrays += [(f"right_variation_{k}", model.right_variation[k - 1].astype("<f4")),
                           (f"left_variation_{k}", model.left_variation[k - 1].astype("<f4"))]
    else:
        arrays = [("keys", model.keys.astype("<u8")), ("log_prob", model.log_prob.astype("<f8"))]
    write_container(path, MAGIC, VERSION, header, arrays)


def read_model(path: str) -> WordModel | CharLM:
    header, arrays = read_container(path, MAGIC, VERSION, "model file (make one with 'wordmine learn')")
    if header.get("normalization") != normalization_settings():
        raise FormatError(f"{path}: the model was learned with other normalisation settings; learn it again")
    method = header.get("method")
    if method not in METHODS:
        raise FormatError(f"{path}: unknown model method {method!r}; this wordmine knows {', '.join(METHODS)}")
    try:
        if method == "charlm":
            order = int(header["order"])
            model = CharLM(header["units"], int(header["bits"]),
                           [arrays[f"keys_{k}"].astype(np.uint64) for k in range(1, order + 1)],
                           [arrays[f"log_prob_{k}"].astype(np.float64) for k in range(1, order + 1)],
                           [arrays[f"backoff_{k}"].astype(np.float64) for k in range(1, order)],
                           float(header["unknown_log_prob"]), arrays["transitions"].astype(np.float64).reshape(4, 4))
            if "boundary_weight" in header:
                model.boundary_weight = float(header["boundary_weight"])
                model.word_weight = float(header.get("word_weight", 0.0))
                model.right_variation = [arrays[f"right_variation_{k}"].astype(np.float32) for k in range(1, order + 1)]
                model.left_variation = [arrays[f"left_variation_{k}"].astype(np.float32) for k in range(1, order + 1)]
            if any(len(k) != len(p) for k, p in zip(model.keys, model.log_prob)):
                raise ValueError("keys and probabilities differ in length")
            if any(len(v) not in (0, len(k)) for k, v in zip(model.keys * 2, model.right_variation + model.left_variation)):
                raise ValueError("keys and entropy variations differ in length")
            return model
        return WordModel(header["units"], int(header["bits"]), arrays["keys"].astype(np.uint64),
                         arrays["log_prob"].astype(np.float64), float(header["unknown_log_prob"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"{path}: corrupt model file ({exc})") from None
