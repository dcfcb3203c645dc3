"""The lossless output path every segmenter shares: text in, space-separated words out.

A segmenter only decides where words end inside runs of units (see
:mod:`wordmine.normalize`); this module turns those decisions into output that
keeps every character of the input except white space, in order. Adjacent words
made only of numerals are joined (三十六点七), decimal numbers and percentages
stay one word (12.3%), and each other character is a token of its own (a run of
one repeated character, such as —— or ……, stays one token).

A model is anything with ``vocabulary()`` and ``word_ends(ids, offsets)``:

>>> from wordmine.normalize import Vocabulary
>>> class EveryUnit:  # a word ends after every unit
...     def vocabulary(self): return Vocabulary()
...     def word_ends(self, ids, offsets): return np.ones(len(ids), bool)
>>> segment_text("天地人，12.5%的iPhone……\\n", EveryUnit())
['天 地 人 ， 12.5% 的 iPhone ……']
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from wordmine.arrays import word_starts
from wordmine.normalize import Vocabulary, code_points, unit_spans
from wordmine.parallel import ordered_map

#: Longest run of units decoded in one piece.
MAX_RUN = 2048


def run_offsets(new_run: np.ndarray) -> np.ndarray:
    """Offset of each unit in its run (restarting every MAX_RUN units).

    >>> run_offsets(np.array([True, False, False, True, False])).tolist()
    [0, 1, 2, 0, 1]
    """
    index = np.arange(len(new_run))
    start = np.maximum.accumulate(np.where(new_run, index, 0))
    return (index - start) % MAX_RUN


def runs_of(stream: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The units of a piece of unit stream and each one's offset in its run (0s dropped).

    >>> ids, offsets = runs_of(np.array([0, 5, 6, 0, 7, 8, 9]))
    >>> ids.tolist(), offsets.tolist()
    ([5, 6, 7, 8, 9], [0, 1, 0, 1, 2])
    """
    stream = np.asarray(stream).astype(np.int64)
    units = stream != 0
    return stream[units], run_offsets(np.concatenate([[True], stream[:-1] == 0])[units])


def segment_text(text: str, model, vocab: Vocabulary | None = None) -> list[str]:
    """Segment ``text``: one output line per line, tokens separated by single spaces.

    ``model`` is any model with ``vocabulary()`` and ``word_ends(ids, offsets)``:
    a :class:`WordModel` or a :class:`wordmine.segmentation.charlm.CharLM`.
    """
    vocab = vocab or model.vocabulary()
    cps = code_points(text)
    spans = unit_spans(cps)
    ids = vocab.ids_of_spans(cps, spans, grow=False).astype(np.int64)
    new_run = np.ones(len(ids), bool)
    new_run[1:] = spans.start[1:] != spans.end[:-1]
    offsets = run_offsets(new_run)
    ends = model.word_ends(ids, offsets) if len(ids) else np.zeros(0, bool)
    digits = _digit_units(cps, spans)
    numeral = digits | np.isin(cps[spans.start], _NUMERAL_CODES)
    first_cps = cps[spans.start]
    ends = _join_number_runs(ends, offsets, numeral | _fraction_units(first_cps, offsets, numeral),
                             np.isin(first_cps, _DAY_MONTH_YEAR) & ~spans.is_latin)
    ends = _cut_digits_from_words(ends, offsets, cps[spans.start], ~spans.is_latin, digits)
    word_start = spans.start[word_starts(offsets, ends)]
    # Characters outside units: white space is dropped, each other one is a token,
    # except that a run of one repeated character (—— or ……) stays together.
    covered = np.cumsum(np.bincount(spans.start, minlength=len(cps) + 1)
                        - np.bincount(spans.end, minlength=len(cps) + 1))[:-1]
    space = _is_space(cps)
    other = (covered == 0) & ~space
    repeat = np.zeros(len(cps), bool)
    repeat[1:] = other[1:] & other[:-1] & (cps[1:] == cps[:-1])
    token_start = np.zeros(len(cps), bool)
    token_start[word_start] = True
    token_start |= other & ~repeat
    token_start &= ~(_number_glue(cps) | _name_glue(cps, covered > 0))
    return _join_tokens(text, token_start, ~space, cps == 10)


def _number_glue(cps: np.ndarray) -> np.ndarray:
    """True where a token would start inside a decimal number, a fraction or a score, or before a percent sign.

    Segmentation standards write 12.3%, １１０．８亿, 1/2 and 3∶1 as one word: a
    point, a slash or a ratio sign between two digits joins them, and a percent
    sign joins the digits before it (the code points are folded, so full-width ．
    ／ and ％ count too). pd1998 writes 1,637 such points, 92 slashes and 155
    ratio signs inside a word and none between two.

    >>> from wordmine.normalize import code_points
    >>> _number_glue(code_points("3.5%，a.b，5.，1/2")).tolist()
    [False, True, True, True, False, False, False, False, False, False, False, False, False, True, True]
    """
    digit = (cps >= 48) & (cps <= 57)
    after_digit = np.concatenate([[False], digit[:-1]])
    point = np.isin(cps, _NUMBER_POINTS) & after_digit & np.concatenate([digit[1:], [False]])
    glue = point | ((cps == 37) & after_digit)
    glue[1:] |= point[:-1]
    return glue


#: A decimal point, a slash and the ratio sign (U+2236), which join digits on both sides.
_NUMBER_POINTS = np.array([ord("."), ord("/"), 0x2236], np.uint32)


def _join_tokens(text: str, token_start: np.ndarray, kept: np.ndarray, newline: np.ndarray) -> list[str]:
    r"""The output lines: kept characters in order, a space before each token but a line's first.

    Built as one array of code points rather than one Python string per token.

    >>> _join_tokens("ab c\nd", *np.array([[1, 1, 0, 1, 0, 1], [1, 1, 0, 1, 0, 1], [0, 0, 0, 0, 1, 0]], bool))
    ['a b c', 'd']
    """
    raw = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    line = np.cumsum(newline) - newline
    starts = np.flatnonzero(token_start)
    space_before = np.zeros(len(raw), bool)
    space_before[starts[1:][line[starts[1:]] == line[starts[:-1]]]] = True
    emitted = kept | newline
    width = emitted.astype(np.int64) + space_before
    slot = np.cumsum(width) - width
    out = np.empty(int(width.sum()), "<u4")
    out[slot[space_before]] = 32
    out[slot[emitted] + space_before[emitted]] = raw[emitted]
    lines = out.tobytes().decode("utf-32-le", "surrogatepass").split("\n")
    if text.endswith("\n"):
        lines.pop()
    return lines


#: Characters that write numbers: adjacent words made only of these (三十 六 点 七) are one number.
NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两点")


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


_NUMERAL_CODES = np.array(sorted(map(ord, NUMERALS)), np.uint32)


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


#: Characters that a date or a time writes after its digits (１９９８年, １２月, ３１日, ８时): left to the model.
DATE_UNITS = frozenset("年月日时")
#: Characters that multiply the digits before them into one number (３万, ２．５亿).
MAGNITUDES = frozenset("万亿")


def _cut_digits_from_words(ends: np.ndarray, offsets: np.ndarray, first_cps: np.ndarray, han: np.ndarray,
                           digits: np.ndarray) -> np.ndarray:
    """Word boundaries around a number written in digits: before it and after it, when a Han character is there.

    A number in digits is a word of its own: ``３ 个``, ``２０ 多``, ``５万 元``,
    ``达 ３０％``, whatever the model learned (every number is a unit of its own,
    so a character model sees each one too rarely to learn that ``个`` leaves it).
    The segmentation standards agree (a Han character then digits written as two
    words / as one: pd1998 18,609 / 68, ctb6 185 / 18, medical_forum 216 / 0;
    digits then 个: pd1998 1,065 / 0, medical_forum 59 / 1). 万 and 亿 after
    digits are part of the number (pd1998 2,433 / 2, ctb6 13 / 0), other numerals
    (三十) are joined by :func:`_join_number_runs`, and the date and time
    characters 年 月 日 时 are left to the model, because the standards differ
    there: pd1998 and ctb6 write １９９８年 as one word, medical_forum as two.

    ``first_cps`` is the first (folded) code point of each unit, ``han`` and
    ``digits`` say which units are Han characters and which are digits.

    >>> from wordmine.normalize import code_points
    >>> units, digits = code_points("3个达5万元3月"), np.array([1, 0, 0, 1, 0, 0, 1, 0], bool)
    >>> _cut_digits_from_words(np.zeros(8, bool), np.arange(8), units, ~digits, digits).tolist()
    [True, False, True, False, True, True, False, False]
    """
    if len(ends) < 2:
        return ends
    out = ends.copy()
    same_run = offsets[1:] != 0
    number = digits.copy()
    magnitude = np.isin(first_cps, _MAGNITUDE_CODES)
    for _ in range(2):  # ３万 and ３万亿
        joined = number[:-1] & magnitude[1:] & same_run
        out[:-1][joined] = False
        number[1:] |= joined
    word = han & ~np.isin(first_cps, _NUMERAL_CODES)
    after_number = word & ~np.isin(first_cps, _DATE_CODES)
    cut = ((number[:-1] & after_number[1:]) | (word[:-1] & digits[1:])) & same_run
    out[:-1] |= cut
    return out


_DATE_CODES = np.array(sorted(map(ord, DATE_UNITS)), np.uint32)
_DAY_MONTH_YEAR = np.array(sorted(map(ord, "年月日")), np.uint32)
_MAGNITUDE_CODES = np.array(sorted(map(ord, MAGNITUDES)), np.uint32)


#: Code points that join the names on both sides into one word: 铁木尔·达瓦买提, 让・雷诺.
NAME_GLUE = np.array([0xB7, 0x30FB], np.uint32)


def _name_glue(cps: np.ndarray, in_unit: np.ndarray) -> np.ndarray:
    """True where a token would start at a middle dot between two units, or just after it.

    Transliterated names write their parts with a middle dot between them, and the
    standards write the whole name as one word (pd1998 943 times, ctb6 29, never
    split); the same dot is pd1998's decimal point (３·５％).

    >>> from wordmine.normalize import code_points, unit_spans
    >>> cps = code_points("铁木尔·达瓦，·是")
    >>> covered = np.zeros(len(cps), bool); covered[unit_spans(cps).start] = True
    >>> _name_glue(cps, covered).tolist()
    [False, False, False, True, True, False, False, False, False]
    """
    between = np.zeros(len(cps), bool)
    between[1:-1] = np.isin(cps[1:-1], NAME_GLUE) & in_unit[:-2] & in_unit[2:]
    glue = between.copy()
    glue[1:] |= between[:-1]
    return glue


#: Every code point Python's str.isspace() accepts: output tokens are split with str.split().
_SPACES = np.array([9, 10, 11, 12, 13, 0x1C, 0x1D, 0x1E, 0x1F, 32, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                    0x2028, 0x2029, 0x202F, 0x205F, 0x3000], np.uint32)


def _is_space(cps: np.ndarray) -> np.ndarray:
    return np.isin(cps, _SPACES)


def segmented_text(pieces: Iterable[str], segmenter: Callable[[str], list[str]], jobs: int = 1) -> Iterator[str]:
    """The output text for input pieces (as :func:`~wordmine.textio.line_pieces` cuts them).

    One output line per input line even when a long line arrives in several
    pieces: the words of a piece that ends mid-line continue the same output
    line. Pieces are segmented on ``jobs`` processes, in order.

    >>> by_character = lambda t: [" ".join(line.replace(" ", "")) for line in t.removesuffix("\\n").split("\\n")]
    >>> "".join(segmented_text(["天地 人，", "天\\n地\\n"], by_character))  # one line in two pieces, then another
    '天 地 人 ， 天\\n地\\n'
    """
    words_on_line = False
    for lines, ends_line in ordered_map(functools.partial(_segment_piece, segmenter), pieces, jobs):
        out = []
        for i, line in enumerate(lines):
            if i:
                out.append("\n")
                words_on_line = False
            if line:
                out.append(" " + line if words_on_line else line)
                words_on_line = True
        if ends_line:
            out.append("\n")
            words_on_line = False
        yield "".join(out)


def _segment_piece(segmenter: Callable[[str], list[str]], piece: str) -> tuple[list[str], bool]:
    return segmenter(piece), piece.endswith("\n")
