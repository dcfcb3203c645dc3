"""The features of the CRF segmenter: hashed character n-grams in a window, and corpus statistics.

Two kinds of feature describe each unit i of a run:

1. **Hashed indicators** (:func:`hashed_features`), one id per template, each
   id a row of a weight table of ``2 ** hash_bits`` rows by 4 tags. The templates
   look at the units c-2 .. c+2 around i (a unit outside the run reads as a pad):
   the five unigrams, the bigrams c-2c-1, c-1c0, c0c1, c1c2, the skip pair
   c-1c+1, the character classes of c-1 c0 c+1 (Han, Han numeral, Latin, digits,
   unknown, pad), and a bias. Hashing (Weinberger et al., 2009, "Feature Hashing
   for Large Scale Multitask Learning", https://arxiv.org/abs/0902.2206) keeps
   the table a fixed size, whatever the corpus; a collision shares a row.

   With a dictionary (``--dictionary``), two more templates: the lengths (2 ..
   :data:`DICTIONARY_LONGEST`) of the dictionary words that end at i, and of those
   that start at i, each set as one bit mask (:func:`dictionary_features`).

2. **Statistics of the corpus** (:func:`statistics`), real numbers read from the
   character model that ``learn`` already fits (:mod:`wordmine.charlm`): the
   boundary score (mean normalised variation of branching entropy) before and
   after i, the gain log p(c | k previous) - log p(c | k - 1 previous) for k = 1,
   2, 3 (k = 1 is the pointwise mutual information of the pair ending at i), the
   same gain for the pair starting at i, the autonomy (left + right nVBE) of the
   1- to 4-grams ending at i, and log p(c). They carry what the whole corpus says
   about each position to a tagger that sees only a window.

>>> ids = np.array([1, 2, 3, 1, 2], np.int64)
>>> offsets = np.array([0, 1, 2, 0, 1])
>>> f = hashed_features(ids, offsets, unit_classes(["", "天", "地", "3"]), hash_bits=12)
>>> f.shape, bool((f < 4096).all())
((5, 12), True)
>>> bool((f[0, :3] == f[3, :3]).all())  # both 天 start a run before 地: c0, c-1, c+1 agree
True
>>> bool(f[0, 4] == f[3, 4])  # c+2 is 3 in the first run and the pad in the second
False
"""

from __future__ import annotations

import dataclasses

import numpy as np

from wordmine.normalize import code_points, unit_spans
from wordmine.segmentation.charlm.model import CharLM, lattice_scores

#: Number of hashed templates (see the module docstring).
TEMPLATES = 12
#: Number of statistics per unit (see :func:`statistics`).
STATISTICS = 11
#: The id a position outside the run reads as.
_PAD = np.uint64(0xFFFF_FFFF)
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9),
        np.uint64(0xD6E8FEB86659FD93))

#: Character classes.
HAN, NUMERAL, LATIN, DIGITS, UNKNOWN, PAD = range(6)
_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两")


def unit_classes(units: list[str]) -> np.ndarray:
    """The class of each unit id (id 0, an unknown unit, is UNKNOWN).

    >>> unit_classes(["", "天", "三", "abc", "2019"]).tolist()
    [4, 0, 1, 2, 3]
    """
    out = np.full(len(units), HAN, np.uint64)
    for i, unit in enumerate(units):  # once per vocabulary entry, not per character
        if i == 0:
            out[i] = UNKNOWN
        elif unit in _NUMERALS:
            out[i] = NUMERAL
        elif unit.isascii():
            out[i] = DIGITS if unit.isdigit() else LATIN
    return out


def _shifted(values: np.ndarray, offsets: np.ndarray, by: int, pad) -> np.ndarray:
    """values[i + by] where unit i + by is in the same run as unit i, else ``pad``."""
    n = len(values)
    out = np.full(n, pad, values.dtype)
    if by < 0:
        k = -by
        if k < n:
            out[k:] = values[:-k]
        out[offsets < k] = pad
    elif by > 0:
        if by < n:
            out[:-by] = values[by:]
        # unit i + by is in the run if the run goes on that far: offsets climb by one inside a run
        ahead = np.full(n, -1, np.int64)
        if by < n:
            ahead[:-by] = offsets[by:]
        out[ahead != offsets + by] = pad
    else:
        out[:] = values
    return out


def _hash(template: int, a: np.ndarray, b: np.ndarray, bits: int) -> np.ndarray:
    with np.errstate(over="ignore"):
        h = a * _MIX[0] + (b + np.uint64(1)) * _MIX[1] + np.uint64(template + 1) * _MIX[2]
        h ^= h >> np.uint64(31)
        h *= _MIX[3]
    return h >> np.uint64(64 - bits)


#: The hashed templates that read one unit: template j reads the unit ``UNIGRAM_SHIFTS[j]`` away.
UNIGRAM_SHIFTS = (0, -1, 1, -2, 2)
#: The templates that read two units, by number, and the shifts of the two.
BIGRAM_SHIFTS = {5: (-2, -1), 6: (-1, 0), 7: (0, 1), 8: (1, 2), 9: (-1, 1)}
#: The template of the classes of c-1 c0 c+1, and the bias.
CLASS_TEMPLATE, BIAS_TEMPLATE = 10, 11


def hashed_features(ids: np.ndarray, offsets: np.ndarray, classes: np.ndarray, hash_bits: int) -> np.ndarray:
    """The (n, TEMPLATES) feature ids (``uint32``) of each unit of the runs."""
    ids = ids.astype(np.uint64)
    classes_of = classes[np.minimum(ids, len(classes) - 1)]
    classes_of[ids >= len(classes)] = UNKNOWN
    c = {by: _shifted(ids, offsets, by, _PAD) for by in (-2, -1, 0, 1, 2)}
    k = {by: _shifted(classes_of, offsets, by, np.uint64(PAD)) for by in (-1, 0, 1)}
    zero = np.zeros(len(ids), np.uint64)
    pairs = [(c[by], zero) for by in UNIGRAM_SHIFTS] + [(c[a], c[b]) for a, b in BIGRAM_SHIFTS.values()]
    pairs += [((k[-1] << np.uint64(8)) | k[0], k[1]), (zero, zero)]
    out = np.empty((len(ids), TEMPLATES), np.uint32)
    for template, (a, b) in enumerate(pairs):
        out[:, template] = _hash(template, a, b, hash_bits)
    return out


class UnitRows:
    """The table rows of the templates that need no hashing per unit, looked up once per vocabulary entry.

    A unigram template's row depends on one unit only, and the class template's
    on three classes of 6, so segmenting reads them from small tables (one
    16-byte row per unit, a few hundred kB, which stay in the processor's
    cache) instead of hashing every unit and reading the large table at random.
    ``rows`` is the weight table with each row of 4 ``float32`` viewed as one
    ``complex128``; index ``len(classes)`` stands for the pad outside a run.

    >>> table = np.arange(4 * 2 ** 8, dtype=np.float32).reshape(-1, 4)
    >>> classes = unit_classes(["", "天", "3"])
    >>> ids, offsets = np.array([1, 2, 1]), np.array([0, 1, 0])
    >>> looked_up = UnitRows(table.view(np.complex128).reshape(-1), classes, 8)
    >>> hashed = hashed_features(ids, offsets, classes, 8)
    >>> bool((looked_up.rows_of(ids, offsets, 0) == table[hashed[:, 0]]).all())
    True
    """

    def __init__(self, rows: np.ndarray, classes: np.ndarray, hash_bits: int) -> None:
        padded = np.append(np.arange(len(classes), dtype=np.uint64), _PAD)
        zero = np.zeros(len(padded), np.uint64)
        self.unigram = [rows[_hash(j, padded, zero, hash_bits)] for j in range(len(UNIGRAM_SHIFTS))]
        a, b, c = (x.reshape(-1).astype(np.uint64) for x in np.indices((PAD + 1,) * 3))
        self.classes = rows[_hash(CLASS_TEMPLATE, (a << np.uint64(8)) | b, c, hash_bits)]
        self.class_of = np.append(classes, np.uint64(PAD)).astype(np.int64)
        self.bias = rows[_hash(BIAS_TEMPLATE, np.zeros(1, np.uint64), np.zeros(1, np.uint64), hash_bits)]
        self.pad = len(classes)

    def shifted_units(self, ids: np.ndarray, offsets: np.ndarray) -> dict[int, np.ndarray]:
        return {by: _shifted(ids, offsets, by, self.pad) for by in (-2, -1, 0, 1, 2)}

    def rows_of(self, ids: np.ndarray, offsets: np.ndarray, template: int,
                shifted: dict[int, np.ndarray] | None = None) -> np.ndarray:
        """The (n, 4) ``float32`` rows of a unigram, class or bias template for each unit."""
        shifted = shifted or self.shifted_units(ids.astype(np.int64), offsets)
        if template < len(UNIGRAM_SHIFTS):
            found = np.take(self.unigram[template], shifted[UNIGRAM_SHIFTS[template]])
        elif template == CLASS_TEMPLATE:
            k = [self.class_of[shifted[by]] for by in (-1, 0, 1)]
            found = np.take(self.classes, (k[0] * (PAD + 1) + k[1]) * (PAD + 1) + k[2])
        else:
            found = np.repeat(self.bias, len(ids))
        return found.view(np.float32).reshape(-1, 4)


def add_template_rows(out: np.ndarray, rows: np.ndarray, ids: np.ndarray, offsets: np.ndarray,
                      classes: np.ndarray, hash_bits: int) -> None:
    """``out`` += the table rows of the TEMPLATES hashed templates of each unit, in template order.

    The same sums, in the same order, as adding ``rows[hashed_features(...)[:, j]]``
    for j = 0, 1, ...: the templates of :class:`UnitRows` come from its small
    tables, only the pairs are hashed. ``rows`` is the weight table viewed as
    ``complex128``; ``ids`` must be below ``len(classes)``.
    """
    looked_up = UnitRows(rows, classes, hash_bits)  # a few thousand hashes: cheaper to redo than to keep fresh
    shifted = looked_up.shifted_units(ids, offsets)
    key = np.append(np.arange(len(classes), dtype=np.uint64), _PAD)  # what hashed_features hashes, pad included
    units = {by: key[shifted[by]] for by in (-2, -1, 0, 1, 2)}
    for template in range(TEMPLATES):
        if template in BIGRAM_SHIFTS:
            a, b = BIGRAM_SHIFTS[template]
            out += np.take(rows, _hash(template, units[a], units[b], hash_bits)).view(np.float32).reshape(-1, 4)
        else:
            out += looked_up.rows_of(ids, offsets, template, shifted)


#: Longest dictionary word the features look for, in units.
DICTIONARY_LONGEST = 6


def dictionary_keys(words: list[str], vocab) -> np.ndarray:
    """The sorted keys of the dictionary words of 2 .. DICTIONARY_LONGEST units the vocabulary can spell.

    A word's key folds its unit ids into 64 bits by multiplying and mixing in
    one unit at a time (a collision, about one in 2 ** 64, would only add a
    feature where no word is), so the words of any length share one sorted
    array. Words with a unit the vocabulary lacks can never match the text, so
    they are left out.
    """
    if not words:
        return np.zeros(0, np.uint64)
    # All words in one pass: join them with line ends, find the units, give each unit its word.
    text = "\n".join(words)
    cps = code_points(text)
    spans = unit_spans(cps)
    ids = vocab.ids_of_spans(cps, spans, grow=False).astype(np.uint64)
    lengths = np.array([len(w) for w in words], np.int64)
    word_start = np.cumsum(lengths + 1) - lengths - 1
    word_of = np.searchsorted(word_start, spans.start, side="right") - 1
    units = np.bincount(word_of, minlength=len(words))
    covered = np.bincount(word_of, weights=spans.end - spans.start, minlength=len(words))
    unknown = np.bincount(word_of, weights=ids == 0, minlength=len(words))
    # A word must be units only (no punctuation inside), all known, of a length the features look for.
    valid = (covered == lengths) & (unknown == 0) & (units >= 2) & (units <= DICTIONARY_LONGEST)
    first_unit = np.cumsum(units) - units
    out = []
    for length in range(2, DICTIONARY_LONGEST + 1):
        first = first_unit[valid & (units == length)]
        key = np.zeros(len(first), np.uint64)
        for j in range(length):
            key = _fold(key, ids[first + j])
        out.append(key)
    return np.unique(np.concatenate(out))


def _fold(key: np.ndarray, unit: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return (key * _MIX[3]) ^ (unit + np.uint64(1))


def dictionary_masks(ids: np.ndarray, offsets: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each unit, bit k set when a dictionary word of k units ends at it, and when one starts at it.

    >>> from wordmine.normalize import Vocabulary
    >>> keys = dictionary_keys(["天地", "地人", "天地人", "人天"], Vocabulary(list("天地人")))
    >>> ending, starting = dictionary_masks(np.array([1, 2, 3, 1]), np.array([0, 1, 2, 0]), keys)
    >>> ending.tolist(), starting.tolist()  # 天地 and 地人, 天地人 (人天 spans two runs: no match)
    ([0, 4, 12, 0], [12, 4, 0, 0])
    """
    n = len(ids)
    units = ids.astype(np.uint64)
    ending = np.zeros(n, np.uint64)
    starting = np.zeros(n, np.uint64)
    key = np.zeros(n, np.uint64)
    for length in range(1, DICTIONARY_LONGEST + 1):
        previous = _shifted(key, offsets, -1, np.uint64(0)) if length > 1 else np.zeros(n, np.uint64)
        key = _fold(previous, units)  # the key of the length-gram ending at each unit
        if length == 1 or not len(keys):
            continue
        at = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
        found = (keys[at] == key) & (offsets >= length - 1)
        bit = np.uint64(1 << length)
        ending[found] |= bit
        starting[np.flatnonzero(found) - (length - 1)] |= bit
    return ending, starting


def dictionary_features(ids: np.ndarray, offsets: np.ndarray, keys: np.ndarray, hash_bits: int) -> np.ndarray:
    """Two hashed feature ids per unit (``uint32``): its :func:`dictionary_masks`, ending and starting."""
    ending, starting = dictionary_masks(ids, offsets, keys)
    zero = np.zeros(len(ids), np.uint64)
    return np.stack([_hash(TEMPLATES, ending, zero, hash_bits), _hash(TEMPLATES + 1, starting, zero, hash_bits)],
                    axis=1).astype(np.uint32)


def statistics(ids: np.ndarray, offsets: np.ndarray, model: CharLM) -> np.ndarray:
    """The (n, STATISTICS) corpus statistics of each unit, raw (``float64``; see the module docstring).

    Column-major (the transpose of a (STATISTICS, n) array): each statistic is one
    contiguous row of memory, so the emission reads it as a plain vector.
    """
    n = len(ids)
    out = np.zeros((STATISTICS, n))
    if n == 0:
        return out.T
    scores, word_end = lattice_scores(ids, offsets, model, boundary_weight=1.0, word_weight=1.0)
    rows = model.unigram_rows()
    safe = np.minimum(ids.astype(np.int64), len(rows) - 1)
    unigram_rows = np.where(ids < len(rows), rows[safe], -1)
    log_p1 = np.where(unigram_rows >= 0, model.log_prob[0][np.maximum(unigram_rows, 0)], model.unknown_log_prob)
    if bool(model.right_variation):  # lattice_scores scored the entropy with weights 1
        np.subtract(scores[:, 0], log_p1, out=out[0])
    lower = log_p1
    for k in range(1, 4):
        known = np.isfinite(scores[:, k])
        out[1 + k] = np.where(known, scores[:, k] - lower, 0.0)
        lower = np.where(known, scores[:, k], lower)
    out[1] = _shifted(out[0], offsets, 1, 0.0)
    out[5] = _shifted(out[2], offsets, 1, 0.0)
    for k in range(4):  # the autonomy of the (k + 1)-gram, without the length lattice_scores weighs it by
        np.divide(word_end[:, k], k + 1, out=out[6 + k])
    out[10] = log_p1
    return out.T


@dataclasses.dataclass
class Standardiser:
    """(x - mean) / scale, clipped to +-``CLIP``: fitted on the learning text, stored with the model."""

    mean: np.ndarray
    scale: np.ndarray

    CLIP = 6.0

    @classmethod
    def fit(cls, values: np.ndarray) -> Standardiser:
        mean = values.mean(axis=0, dtype=np.float64) if len(values) else np.zeros(values.shape[1])
        scale = values.std(axis=0, dtype=np.float64) if len(values) else np.ones(values.shape[1])
        return cls(mean, np.where(scale > 1e-9, scale, 1.0))

    def __call__(self, values: np.ndarray) -> np.ndarray:
        out = values.astype(np.float32)
        out -= self.mean.astype(np.float32)
        out /= self.scale.astype(np.float32)
        return np.clip(out, -self.CLIP, self.CLIP, out=out)
