"""How the output writes numbers and names: the rules the segmentation standards share, whatever the method.

A model decides where words end from the statistics of its corpus; some
decisions are conventions of writing that no statistic teaches. Every number
written in digits is a unit seen too rarely to learn that ``个`` leaves it, and a
character model has no reason to keep 百分之八十 or 铁木尔·达瓦买提 whole. The
standards agree on these (the counts of each gold set are in the docstrings
below), so :mod:`wordmine.segmentation.lossless` applies them to every method's
word ends (:func:`conventional_ends`) and tokens (:func:`token_glue`):

>>> from wordmine.normalize import code_points, unit_spans
>>> cps = code_points("达3个人")  # one run of four units; the model made it one word
>>> spans = unit_spans(cps)
>>> conventional_ends(np.array([0, 0, 0, 1], bool), np.arange(4), cps, spans, character_roles(cps)).tolist()
[True, True, False, True]

Where the standards differ (pd1998 and ctb6 write １９９８年 as one word,
medical_forum as two), the model decides.
"""

from __future__ import annotations

import functools

import numpy as np

from wordmine.arrays import word_starts

#: Characters that write numbers: adjacent words made only of these (三十 六 点 七) are one number.
#: Traditional forms too (萬 億 兩 點), for text written in them.
NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两点萬億兩點")
#: Characters that a date or a time writes after its digits (１９９８年, １２月, ３１日, ８时): left to the model.
DATE_UNITS = frozenset("年月日时時")
#: Characters that close a date written in words (一九九七年, 十二月, 三十一日).
DAY_MONTH_YEAR = frozenset("年月日")
#: Characters that multiply the digits before them into one number (３万, ２．５亿).
MAGNITUDES = frozenset("万亿萬億")
#: A middle dot joins the parts of a transliterated name: 铁木尔·达瓦买提, 让・雷诺.
NAME_GLUE = frozenset("\u00b7\u30fb")
#: A decimal point, a slash and the ratio sign (U+2236), which join digits on both sides.
NUMBER_POINTS = frozenset("./\u2236")
#: Every character Python's str.isspace() accepts: output tokens are split with str.split().
SPACES = frozenset(chr(c) for c in [9, 10, 11, 12, 13, 0x1C, 0x1D, 0x1E, 0x1F, 32, 0x85, 0xA0, 0x1680,
                                    *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000])

#: Bits of :func:`character_roles`.
NUMERAL, DATE, CLOSES_DATE, MAGNITUDE, GLUES_NAME, GLUES_DIGITS, SPACE = (1 << k for k in range(7))


@functools.cache
def _role_table() -> np.ndarray:
    table = np.zeros(0x110000, np.uint8)
    for role, characters in ((NUMERAL, NUMERALS), (DATE, DATE_UNITS), (CLOSES_DATE, DAY_MONTH_YEAR),
                             (MAGNITUDE, MAGNITUDES), (GLUES_NAME, NAME_GLUE), (GLUES_DIGITS, NUMBER_POINTS),
                             (SPACE, SPACES)):
        table[[ord(c) for c in characters]] |= role
    return table


def character_roles(cps: np.ndarray) -> np.ndarray:
    """The role bits of each (folded) code point: one table lookup, not one set test per rule.

    >>> from wordmine.normalize import code_points
    >>> (character_roles(code_points("三月 a")) & (NUMERAL | DATE | SPACE)).tolist()
    [1, 2, 64, 0]
    """
    return _role_table()[cps]


def conventional_ends(ends: np.ndarray, offsets: np.ndarray, cps: np.ndarray, spans, roles: np.ndarray) -> np.ndarray:
    """A model's word ends with numbers kept whole and digits cut from the Han characters around them."""
    first = roles[spans.start]
    digits = _digit_units(cps, spans)
    numeral = digits | (first & NUMERAL != 0)
    han = ~spans.is_latin
    fraction = _fraction_units(cps[spans.start], offsets, numeral)
    ends = _join_number_runs(ends, offsets, numeral | fraction, (first & CLOSES_DATE != 0) & han)
    ends = _cut_digits_from_words(ends, offsets, first, han, digits)
    return _cut_letters_from_han(ends, offsets, han, spans.is_latin & ~digits)


def token_glue(cps: np.ndarray, roles: np.ndarray, in_unit: np.ndarray) -> np.ndarray:
    """True where a token would start inside a number (3.5%, 1/2) or a name (铁木尔·达瓦) and must not."""
    return _number_glue(cps, roles) | _name_glue(roles, in_unit)


def _digit_units(cps: np.ndarray, spans) -> np.ndarray:
    """True for each unit that is a run of digits (folded, so full-width digits count).

    >>> from wordmine.normalize import code_points, unit_spans
    >>> cps = code_points("三十abc，２０１９年")
    >>> _digit_units(cps, unit_spans(cps)).tolist()
    [False, False, False, True, False]
    """
    out = np.zeros(len(spans.start), bool)
    if spans.is_latin.any():
        # A Latin unit is a number when all its characters are digits: count digits by prefix sums.
        digits = np.concatenate([[0], np.cumsum((cps >= 48) & (cps <= 57))])
        latin = np.flatnonzero(spans.is_latin)
        a, b = spans.start[latin], spans.end[latin]
        out[latin] = digits[b] - digits[a] == b - a
    return out


def _fraction_units(first_cps: np.ndarray, offsets: np.ndarray, numeral: np.ndarray) -> np.ndarray:
    """True for the units 分 and 之 of a fraction written in words (三分之一, 百分之八十), which join the number.

    The standards write such a fraction as one word (pd1998 103 times, ctb6 125,
    never split), while a model sees 分 and 之 as ordinary characters (百分之 八十).

    >>> from wordmine.normalize import code_points
    >>> _fraction_units(code_points("百分之八十分之后"), np.arange(8),
    ...                 np.array([1, 0, 0, 1, 1, 0, 0, 0], bool)).tolist()
    [False, True, True, False, False, False, False, False]
    """
    out = np.zeros(len(first_cps), bool)
    if len(first_cps) < 4:
        return out
    inside = offsets[1:] != 0  # inside[k]: units k and k + 1 are in the same run
    fraction = (numeral[:-3] & (first_cps[1:-2] == ord("分")) & (first_cps[2:-1] == ord("之")) & numeral[3:]
                & inside[:-2] & inside[1:-1] & inside[2:])
    out[1:-2] |= fraction
    out[2:-1] |= fraction
    return out


def _join_number_runs(ends: np.ndarray, offsets: np.ndarray, numeral: np.ndarray,
                      dated: np.ndarray | None = None) -> np.ndarray:
    """Clear the boundary between a word made only of numerals and the next word, made only of numerals too
    or of numerals and then one ``dated`` unit (年 月 日).

    The unigram model cuts a number it has never seen into the pieces it knows
    (四百 三十 八); the gold standards write it as one word. Measured on four
    gold sets: F1 0.749 -> 0.751 (pd1998), 0.686 -> 0.696 (ctb6), unchanged on
    zhuxian and medical_forum. A date cut inside its number (一九九 七年, 十 二月)
    is joined the same way; whether the date character goes with the number at all
    (三 年, three years) stays the model's choice: only a word of two or more units
    that already holds it is joined to the numerals before it.

    >>> _join_number_runs(np.array([1, 1, 0, 1, 1], bool), np.arange(5), np.array([1, 1, 1, 0, 1], bool)).tolist()
    [False, True, False, True, True]
    >>> numeral, month = np.array([1, 1, 0], bool), np.array([0, 0, 1], bool)  # 十 二 月
    >>> _join_number_runs(np.array([1, 0, 1], bool), np.arange(3), numeral, month).tolist()  # 十 二月
    [False, False, True]
    >>> _join_number_runs(np.array([1, 1, 1], bool), np.arange(3), numeral, month).tolist()  # 十 二 月
    [False, True, True]
    """
    if not len(ends):
        return ends
    starts = word_starts(offsets, ends)
    word = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    all_numeral = np.minimum.reduceat(numeral.astype(np.int8), first).astype(bool)
    closes = all_numeral
    if dated is not None:
        last_unit = np.append(first[1:], len(ends)) - 1
        is_last = np.zeros(len(ends), bool)
        is_last[last_unit] = True
        numeral_then_date = numeral | (dated & is_last)
        closes = all_numeral | (np.minimum.reduceat(numeral_then_date.astype(np.int8), first).astype(bool)
                                & (last_unit > first))
    joined = ends.copy()
    inside_run = np.ones(len(ends), bool)
    inside_run[:-1] = offsets[1:] != 0
    inside_run[-1] = False
    candidate = np.flatnonzero(ends & inside_run)
    both = all_numeral[word[candidate]] & closes[word[candidate] + 1]
    joined[candidate[both]] = False
    return joined


def _cut_digits_from_words(ends: np.ndarray, offsets: np.ndarray, first_roles: np.ndarray, han: np.ndarray,
                           digits: np.ndarray) -> np.ndarray:
    """Word boundaries around a number written in digits: before it and after it, when a Han character is there.

    A number in digits is a word of its own: ``３ 个``, ``２０ 多``, ``５万 元``,
    ``达 ３０％``, whatever the model learned. The segmentation standards agree (a
    Han character then digits written as two words / as one: pd1998 18,609 / 68,
    ctb6 185 / 18, medical_forum 216 / 0; digits then 个: pd1998 1,065 / 0,
    medical_forum 59 / 1). 万 and 亿 after digits are part of the number (pd1998
    2,433 / 2, ctb6 13 / 0), other numerals (三十) are joined by
    :func:`_join_number_runs`, and the date and time characters 年 月 日 时 are
    left to the model, because the standards differ there: pd1998 and ctb6 write
    １９９８年 as one word, medical_forum as two.

    ``first_roles`` are the :func:`character_roles` of each unit's first
    character, ``han`` and ``digits`` say which units are Han characters and
    which are digits.

    >>> from wordmine.normalize import code_points
    >>> roles, digits = character_roles(code_points("3个达5万元3月")), np.array([1, 0, 0, 1, 0, 0, 1, 0], bool)
    >>> _cut_digits_from_words(np.zeros(8, bool), np.arange(8), roles, ~digits, digits).tolist()
    [True, False, True, False, True, True, False, False]
    """
    if len(ends) < 2:
        return ends
    out = ends.copy()
    same_run = offsets[1:] != 0
    number = digits.copy()
    magnitude = first_roles & MAGNITUDE != 0
    for _ in range(2):  # ３万 and ３万亿
        joined = number[:-1] & magnitude[1:] & same_run
        out[:-1][joined] = False
        number[1:] |= joined
    word = han & (first_roles & NUMERAL == 0)
    after_number = word & (first_roles & DATE == 0)
    cut = ((number[:-1] & after_number[1:]) | (word[:-1] & digits[1:])) & same_run
    out[:-1] |= cut
    return out


def _cut_letters_from_han(ends: np.ndarray, offsets: np.ndarray, han: np.ndarray, letters: np.ndarray) -> np.ndarray:
    """A word boundary between a run of Latin letters and a Han character, either way round (用 iPhone 拍).

    The standards mostly write them apart (a Latin run then a Han character as two
    words / as one: pd1998 335 / 88, ctb6 54 / 4, medical_forum 34 / 1; a Han
    character then a Latin run: 354 / 70, 56 / 11, 35 / 0), while a character
    model, which sees each Latin run as one rare unit, often joins them. The few
    joined in the gold (X光, B超, 卡拉OK) are lost; measured on the default CRF's
    output, F1 pd1998 +0.0002, ctb6 +0.0005, medical_forum +0.0025, zhuxian (no
    Latin) unchanged.

    >>> letters = np.array([0, 1, 0, 0], bool)  # 用 iPhone 拍 照
    >>> _cut_letters_from_han(np.array([0, 0, 0, 1], bool), np.arange(4), ~letters, letters).tolist()
    [True, True, False, True]
    """
    if len(ends) < 2:
        return ends
    out = ends.copy()
    out[:-1] |= ((letters[:-1] & han[1:]) | (han[:-1] & letters[1:])) & (offsets[1:] != 0)
    return out


def _number_glue(cps: np.ndarray, roles: np.ndarray) -> np.ndarray:
    """True where a token would start inside a decimal number, a fraction or a score, or before a percent sign.

    Segmentation standards write 12.3%, １１０．８亿, 1/2 and 3∶1 as one word: a
    point, a slash or a ratio sign between two digits joins them, and a percent
    sign joins the digits before it (the code points are folded, so full-width ．
    ／ and ％ count too). pd1998 writes 1,637 such points, 92 slashes and 155
    ratio signs inside a word and none between two.

    >>> from wordmine.normalize import code_points
    >>> cps = code_points("3.5%，a.b，5.，1/2")
    >>> _number_glue(cps, character_roles(cps)).tolist()
    [False, True, True, True, False, False, False, False, False, False, False, False, False, True, True]
    """
    digit = (cps >= 48) & (cps <= 57)
    after_digit = np.concatenate([[False], digit[:-1]])
    point = (roles & GLUES_DIGITS != 0) & after_digit & np.concatenate([digit[1:], [False]])
    glue = point | ((cps == 37) & after_digit)
    glue[1:] |= point[:-1]
    return glue


def _name_glue(roles: np.ndarray, in_unit: np.ndarray) -> np.ndarray:
    """True where a token would start at a middle dot between two units, or just after it.

    Transliterated names write their parts with a middle dot between them, and the
    standards write the whole name as one word (pd1998 943 times, ctb6 29, never
    split); the same dot is pd1998's decimal point (３·５％).

    >>> from wordmine.normalize import code_points, unit_spans
    >>> cps = code_points("铁木尔·达瓦，·是")
    >>> covered = np.zeros(len(cps), bool); covered[unit_spans(cps).start] = True
    >>> _name_glue(character_roles(cps), covered).tolist()
    [False, False, False, True, True, False, False, False, False]
    """
    between = np.zeros(len(roles), bool)
    between[1:-1] = (roles[1:-1] & GLUES_NAME != 0) & in_unit[:-2] & in_unit[2:]
    glue = between.copy()
    glue[1:] |= between[:-1]
    return glue
