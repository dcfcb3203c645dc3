"""The model file (``.wmm``): a learned segmentation model and the text model it assumes.

A :mod:`wordmine.io.container` with magic ``b"WMMODEL\\0"``, version 3. The header
holds the method (``unigram`` or ``charlm``), the unit vocabulary, the bits per
unit of the keys, the log probability of an unknown unit, and the normalisation
settings the model was learned with. The arrays depend on the method:

- ``unigram``: the sorted word keys (``<u8``) and their log probabilities (``<f8``);
- ``charlm``: for each order k of the character model, ``keys_k`` (``<u8``, the
  :mod:`wordmine.counting.table.ngrams` key encoding), ``log_prob_k`` (``<f8``) and, below the
  top order, ``backoff_k`` (``<f8``); ``transitions``, the 4 x 4 tag
  transition weights (``<f8``, natural log, row-major, -inf where forbidden);
  and, when the header has ``boundary_weight`` (and ``word_weight``), ``right_variation_k`` and
  ``left_variation_k`` (``<f4``, empty for an order without them), the normalised variations of
  branching entropy of the same n-grams. A file without them (written before
  they existed) scores no boundary bonus.
- ``crf``: the character model of ``charlm`` (all of the above: the CRF reads its
  statistics from it) and the CRF of :mod:`wordmine.segmentation.crf.learn`; the
  header adds ``hash_bits`` (the hashed table has 2 ** hash_bits rows), the arrays
  ``crf_weights`` (``<f4``, 2 ** hash_bits x 4, row-major), ``crf_dense_weights``
  (``<f8``, statistics x 4), ``crf_mean`` and ``crf_scale`` (``<f8``, the
  standardisation of the statistics) and ``crf_transitions`` (``<f8``, 4 x 4 over
  B, M, E, S, -inf where forbidden), ``crf_dictionary`` (``<u8``, the sorted keys of
  the ``--dictionary`` words, empty without one).

The header's ``learned_with`` (optional: files written before it lack it) says
what the model was learned with, for ``wordmine info``: the method and, for a
crf, its teacher, ``--dictionary``, the number of ``--gold`` lines and, with
``--adapt``, what the adapted teacher used (:mod:`wordmine.segmentation.crf.adapt`).

Every float must be finite, except ``-inf`` in ``transitions`` and
``crf_transitions`` (a forbidden tag pair): a model with a NaN or an infinity
anywhere else (a learning run gone wrong) is refused when it is saved and when
it is loaded, since it would segment every line into nothing useful, silently.

Version 1 files (unigram only, with no method-dependent arrays) and version 2
files (no checksum of the header) are refused: learn the model again. A model whose normalisation differs from this
wordmine's is refused too: its units would not mean the same characters.
"""

from __future__ import annotations

import numpy as np

from wordmine.counting.files.countfile import normalization_settings
from wordmine.errors import FormatError
from wordmine.io.container import has_magic, read_container, write_container
from wordmine.segmentation.charlm.model import CharLM
from wordmine.segmentation.crf.features import STATISTICS, Standardiser
from wordmine.segmentation.crf.model import CRFModel
from wordmine.segmentation.unigram import WordModel

MAGIC = b"WMMODEL\0"
VERSION = 3
METHODS = ("unigram", "charlm", "crf")


def is_model_file(path: str) -> bool:
    return has_magic(path, MAGIC)


def write_model(model: WordModel | CharLM | CRFModel, path: str) -> None:
    method = {CharLM: "charlm", CRFModel: "crf"}.get(type(model), "unigram")
    header = {
        "format": "wordmine-model",
        "method": method,
        "bits": model.charlm.bits if method == "crf" else model.bits,
        "unknown_log_prob": (model.charlm if method == "crf" else model).unknown_log_prob,
        "normalization": normalization_settings(),
        "units": model.units,
        "learned_with": {"method": method, **(model.learned_with if method == "crf" else {})},
    }
    if method == "unigram":
        arrays = [("keys", model.keys.astype("<u8")), ("log_prob", model.log_prob.astype("<f8"))]
    else:
        arrays = _charlm_arrays(model.charlm if method == "crf" else model, header)
    if method == "crf":
        header["hash_bits"] = model.hash_bits
        header["dictionary_words"] = len(model.dictionary)
        arrays += [("crf_weights", model.weights.astype("<f4").reshape(-1)),
                   ("crf_dense_weights", model.dense_weights.astype("<f8").reshape(-1)),
                   ("crf_mean", model.standardiser.mean.astype("<f8")),
                   ("crf_scale", model.standardiser.scale.astype("<f8")),
                   ("crf_transitions", model.transitions.astype("<f8").reshape(-1)),
                   ("crf_dictionary", model.dictionary.astype("<u8"))]
    _check_finite(path, header, arrays, "it was not saved; learn it again with other settings")
    write_container(path, MAGIC, VERSION, header, arrays)


#: Arrays where ``-inf`` has a meaning (a forbidden transition between two tags).
_MAY_FORBID = frozenset({"transitions", "crf_transitions"})
_HEADER_FLOATS = ("unknown_log_prob", "boundary_weight", "word_weight")


def _check_finite(path: str, header: dict, arrays, remedy: str) -> None:
    """Refuse a model with a NaN or an infinity in a header figure or an array (``-inf`` allowed in transitions).

    >>> _check_finite("m.wmm", {"unknown_log_prob": -9.0}, [("crf_weights", np.array([0.5, np.nan]))], "learn it again")
    Traceback (most recent call last):
    wordmine.errors.FormatError: m.wmm: the model holds non-finite weights (nan in crf_weights); learn it again
    """
    for name in _HEADER_FLOATS:
        value = header.get(name)
        if isinstance(value, float) and not np.isfinite(value):
            raise FormatError(f"{path}: the model holds non-finite weights ({value} in {name}); {remedy}")
    for name, array in (arrays.items() if isinstance(arrays, dict) else arrays):
        if not isinstance(array, np.ndarray) or array.dtype.kind != "f" or len(array) == 0:
            continue
        bad = np.isnan(array) | (array == np.inf)
        if name not in _MAY_FORBID:
            bad |= array == -np.inf
        if bad.any():
            raise FormatError(f"{path}: the model holds non-finite weights ({array[bad][0]} in {name}); {remedy}")


def _charlm_arrays(model: CharLM, header: dict) -> list[tuple[str, np.ndarray]]:
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
    return arrays


def _check_units(keys: list[np.ndarray], bits: int, n_units: int) -> None:
    """Raise ValueError when a key ends in a unit past the vocabulary (the last unit is in the low bits)."""
    low = np.uint64((1 << bits) - 1) if bits < 64 else np.uint64(2**64 - 1)
    if any(len(k) and int((k & low).max()) >= n_units for k in keys):
        raise ValueError("keys refer to units past the vocabulary")


def read_model(path: str) -> WordModel | CharLM:
    header, arrays = read_container(path, MAGIC, VERSION, "model file (make one with 'wordmine learn')",
                                    bounds={"units": ("keys_1",)})
    if header.get("normalization") != normalization_settings():
        raise FormatError(f"{path}: the model was learned with other normalisation settings; learn it again")
    _check_finite(path, header, arrays, "learn it again")
    method = header.get("method")
    units, bits = header.get("units"), header.get("bits")
    if not (isinstance(units, list) and units and all(isinstance(u, str) for u in units)
            and type(bits) is int and 1 <= bits <= 64 and len(units) <= 1 << bits):
        raise FormatError(f"{path}: damaged model file (units or bits); learn it again")
    if method != "unigram" and not (type(header.get("order")) is int and 1 <= header["order"] <= 64 // bits):
        raise FormatError(f"{path}: damaged model file (order {header.get('order')!r}); learn it again")
    if method not in METHODS:
        raise FormatError(f"{path}: unknown model method {method!r}; this wordmine knows {', '.join(METHODS)}")
    try:
        if method == "unigram":
            model = WordModel(header["units"], int(header["bits"]), arrays["keys"].astype(np.uint64),
                              arrays["log_prob"].astype(np.float64), float(header["unknown_log_prob"]))
            _check_units([model.keys], model.bits, len(model.units))
            if len(model.keys) != len(model.log_prob):
                raise ValueError("keys and probabilities differ in length")
            return model
        charlm = _read_charlm(header, arrays)
        if method == "charlm":
            return charlm
        bits = int(header["hash_bits"])
        model = CRFModel(charlm, bits, arrays["crf_weights"].astype(np.float32).reshape(1 << bits, 4),
                         arrays["crf_dense_weights"].astype(np.float64).reshape(STATISTICS, 4),
                         Standardiser(arrays["crf_mean"].astype(np.float64), arrays["crf_scale"].astype(np.float64)),
                         arrays["crf_transitions"].astype(np.float64).reshape(4, 4),
                         arrays["crf_dictionary"].astype(np.uint64), learned_with(header))
        if len(model.standardiser.mean) != STATISTICS or len(model.standardiser.scale) != STATISTICS:
            raise ValueError("the statistics' standardisation has the wrong length")
        return model
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"{path}: damaged model file ({exc}); learn it again") from None


def learned_with(header: dict) -> dict:
    """The header's record of what the model was learned with; {} for a file written before it existed."""
    found = header.get("learned_with", {})
    if not isinstance(found, dict):
        raise TypeError("learned_with is not a mapping")
    return {key: value for key, value in found.items() if key != "method"}


def _read_charlm(header: dict, arrays: dict) -> CharLM:
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
    _check_units(model.keys, model.bits, len(model.units))
    if any(len(k) != len(p) for k, p in zip(model.keys, model.log_prob)):
        raise ValueError("keys and probabilities differ in length")
    if any(len(v) not in (0, len(k)) for k, v in zip(model.keys * 2, model.right_variation + model.left_variation)):
        raise ValueError("keys and entropy variations differ in length")
    return model
