"""Stage 8: unsupervised segmentation with a unigram word model learned from the corpus.

Learning (BytePiece-style, ALGORITHMS.md section 5):

1. Candidates: every word ``discover`` finds (single units included, with
   their counts as fragments of the cut text).
2. Viterbi: segment the corpus with p(sentence) = prod p(w), p(w) = count(w) / total.
3. Re-estimate: count the words of that segmentation, drop words seen fewer
   than ``prune_count`` times (single units are always kept), and go to 2.

Decoding a text runs the same Viterbi pass over its units. Words hold at most
``64 // bits`` units (4 for up to 65 535 distinct units), as keys are packed in
one ``uint64``. The pass is vectorised over all runs of units at once: step t
decides the best split of every run's first t + 1 units. A run longer than
``MAX_RUN`` units (a page with no punctuation) is decoded in pieces of that size.

Output keeps every character of the input except white space, in order: runs of
units are split into words, adjacent words made only of numerals are joined
(三十六点七), and each other character is a token of its own (a run of one
repeated character, such as —— or ……, stays one token).

>>> from wordmine.config import CountConfig
>>> from wordmine.counting.counter import count_text
>>> text = "，".join(s + v + o for s in ["黑猫", "白狗", "小鸟"] for v in ["喜欢", "讨厌"]
...                  for o in ["鱼", "骨头", "米粒"]) * 5
>>> model = learn(count_text([text], CountConfig(order=3, jobs=1)), SegmentConfig(min_count=3))
>>> segment_text("小鸟喜欢米粒！白狗讨厌鱼……", model)
['小鸟 喜欢 米粒 ！ 白狗 讨厌 鱼 ……']
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from wordmine.config import DiscoverConfig
from wordmine.counting.corpus import Corpus
from wordmine.counting.ngrams import U64, pack_at
from wordmine.mining.discover import discover
from wordmine.normalize import Vocabulary, code_points, unit_spans
from wordmine.parallel import ordered_map

#: Longest run of units decoded in one piece.
MAX_RUN = 2048
#: Units of the corpus re-segmented at a time while learning.
LEARN_WINDOW = 1 << 22


@dataclass(frozen=True)
class SegmentConfig:
    iterations: int = 1
    """Viterbi re-estimation rounds. Measured on four gold sets, further rounds (and
    soft EM with forward-backward counts) moved F1 by less than 0.001: the
    candidates, not the estimates, limit the model."""
    prune_count: int = 2
    """Words seen fewer times in a round are dropped; single units never are."""
    min_count: int | None = None
    """Fewest occurrences of a candidate word (None: discover's default for the corpus size)."""
    cohesion: tuple[float, ...] = (2.0, 4.0, 6.0)
    """Cohesion thresholds of the candidates' discovery: lower than discover's own
    (3, 5, 7), as a segmenter needs every word more than a clean list; 2, 4, 6 gave
    the best F1 on three of the four gold sets measured."""


@dataclass
class WordModel:
    """A unigram word model: packed word keys (sorted) and their log probabilities."""

    units: list[str]
    bits: int
    keys: np.ndarray
    log_prob: np.ndarray
    unknown_log_prob: float

    @property
    def max_word(self) -> int:
        return 64 // self.bits

    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self.units[1:])

    def word_ends(self, ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """True after each unit that ends a word in the most probable segmentation."""
        return best_word_ends(ids, offsets, self)


def _bits(n_units: int) -> int:
    return max(8, int(n_units).bit_length())


def _model_from_counts(units: list[str], bits: int, keys: np.ndarray, counts: np.ndarray) -> WordModel:
    order = np.argsort(keys)
    keys, counts = keys[order], counts[order].astype(np.float64)
    total = counts.sum() + 1.0
    return WordModel(units, bits, keys, np.log(counts / total), float(np.log(0.5 / total)))


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


def best_word_ends(ids: np.ndarray, offsets: np.ndarray, model: WordModel) -> np.ndarray:
    """Viterbi: True after each unit where the most probable segmentation ends a word."""
    n, longest = len(ids), model.max_word
    scores = []
    key = np.zeros(n, U64)
    for length in range(1, longest + 1):
        key = (np.concatenate([np.zeros(1, U64), key[:-1]]) << U64(model.bits)) | ids.astype(U64)
        rows = np.minimum(np.searchsorted(model.keys, key), max(len(model.keys) - 1, 0))
        found = (model.keys[rows] == key) if len(model.keys) else np.zeros(n, bool)
        score = np.where(found, model.log_prob[rows] if len(model.keys) else 0.0, -np.inf)
        if length == 1:
            score = np.where(found, score, model.unknown_log_prob)
        score[offsets < length - 1] = -np.inf
        scores.append(score)
    best = np.full(n, -np.inf)
    back = np.ones(n, np.int8)
    order = np.argsort(offsets, kind="stable")
    bounds = np.searchsorted(offsets[order], np.arange(offsets.max(initial=-1) + 2))
    for step in range(len(bounds) - 1):
        at = order[bounds[step] : bounds[step + 1]]
        options = np.full((len(at), longest), -np.inf)
        for length in range(1, min(longest, step + 1) + 1):
            before = best[at - length] if step >= length else 0.0
            options[:, length - 1] = before + scores[length - 1][at]
        choice = np.argmax(options, axis=1)
        best[at] = options[np.arange(len(at)), choice]
        back[at] = choice + 1
    ends = np.zeros(n, bool)
    last = np.ones(n, bool)
    last[:-1] = offsets[1:] == 0
    current = np.flatnonzero(last)
    while len(current):
        ends[current] = True
        previous = current - back[current]
        current = previous[offsets[current] - back[current] >= 0]
    return ends


def _count_words(ids: np.ndarray, ends: np.ndarray, offsets: np.ndarray, bits: int, longest: int):
    starts = np.flatnonzero((offsets == 0) | np.concatenate([[True], ends[:-1]]))
    lengths = np.flatnonzero(ends) - starts + 1
    keys, counts = [], []
    for length in range(1, longest + 1):
        packed = pack_at(ids, starts[lengths == length], length, bits)
        distinct, n = np.unique(packed, return_counts=True)
        keys.append(distinct)
        counts.append(n)
    return np.concatenate(keys), np.concatenate(counts)


def learn(corpus: Corpus, config: SegmentConfig) -> WordModel:
    """Learn a word model from a counted corpus (no labels)."""
    units = corpus.vocab.units
    bits = _bits(len(units))
    longest = 64 // bits
    keys, counts = _candidates(corpus, config, bits, longest)
    model = _model_from_counts(units, bits, keys, counts)
    for _ in range(config.iterations):
        found_keys, found_counts = [], []
        # A window at a time (each ends at a boundary), so a gigabyte corpus is never held whole.
        for window in corpus.stream.windows(LEARN_WINDOW):
            ids, offsets = runs_of(window)
            ends = best_word_ends(ids, offsets, model)
            window_keys, window_counts = _count_words(ids, ends, offsets, bits, longest)
            found_keys.append(window_keys)
            found_counts.append(window_counts)
        keys_found, counts_found = _sum_keys(found_keys, found_counts) if found_keys else (
            np.zeros(0, U64), np.zeros(0, np.int64))
        single = keys_found < (U64(1) << U64(bits))
        keep = (counts_found >= config.prune_count) | single
        model = _model_from_counts(units, bits, keys_found[keep], counts_found[keep])
    return model


def _candidates(corpus: Corpus, config: SegmentConfig, bits: int, longest: int) -> tuple[np.ndarray, np.ndarray]:
    """Initial vocabulary: the words ``discover`` finds, with their counts.

    A discovered word longer than a key holds (中共中央总书记) is split, by the
    same Viterbi pass, into shorter discovered words or frequent n-grams
    (中共中央 + 总书记), which receive its count; otherwise its parts would
    look rare, as the cut pass seldom leaves them alone.
    """
    vocab, table = corpus.vocab, corpus.counts
    lexicon = discover(corpus, DiscoverConfig(min_count=config.min_count, min_len=1, max_len=64,
                                              cohesion=config.cohesion))
    short_keys, short_counts, long_ids, long_counts = [], [], [], []
    for word, count in zip(lexicon.words, lexicon.count.tolist()):
        ids = vocab.encode(word, grow=False)
        if not len(ids) or (ids == 0).any():
            continue
        if len(ids) <= longest:
            short_keys.append(int(pack_at(ids, np.zeros(1, np.int64), len(ids), bits)[0]))
            short_counts.append(count)
        else:
            long_ids.append(ids.astype(np.int64))
            long_counts.append(count)
    keys, counts = np.array(short_keys, U64), np.array(short_counts, np.int64)
    if not long_ids:
        return keys, counts
    # Parts may also be frequent n-grams that the cut pass never left alone.
    min_count = config.min_count or 2
    extra_keys, extra_counts = [keys], [counts]
    for length in range(2, min(longest, table.max_order) + 1):
        rows = np.flatnonzero(table.counts[length - 1] >= min_count)
        units = table.decode(length, rows).reshape(-1)
        extra_keys.append(pack_at(units, np.arange(len(rows)) * length, length, bits))
        extra_counts.append(table.counts[length - 1][rows])
    helper = _model_from_counts(corpus.vocab.units, bits, *_sum_keys(extra_keys, extra_counts))
    ids = np.concatenate(long_ids)
    new_run = np.zeros(len(ids), bool)
    new_run[np.cumsum([0] + [len(w) for w in long_ids[:-1]])] = True
    offsets = run_offsets(new_run)
    ends = best_word_ends(ids, offsets, helper)
    weight = np.repeat(np.array(long_counts), [len(w) for w in long_ids])
    starts = np.flatnonzero((offsets == 0) | np.concatenate([[True], ends[:-1]]))
    lengths = np.flatnonzero(ends) - starts + 1
    part_keys, part_counts = [keys], [counts]
    for length in range(1, longest + 1):
        at = starts[lengths == length]
        part_keys.append(pack_at(ids, at, length, bits))
        part_counts.append(weight[at])
    return _sum_keys(part_keys, part_counts)


def _sum_keys(keys: list[np.ndarray], counts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    all_keys, all_counts = np.concatenate(keys), np.concatenate(counts).astype(np.int64)
    distinct, where = np.unique(all_keys, return_inverse=True)
    return distinct, np.bincount(where.reshape(-1), weights=all_counts).astype(np.int64)


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
    ends = _join_number_runs(ends, offsets, _numeral_units(cps, spans))
    word_start = spans.start[(offsets == 0) | np.concatenate([[True], ends[:-1]])]
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
    token_start &= ~_number_glue(cps)
    return _join_tokens(text, token_start, ~space, cps == 10)


def _number_glue(cps: np.ndarray) -> np.ndarray:
    """True where a token would start inside a decimal number or before a percent sign.

    Segmentation standards write 12.3% and １１０．８亿 as one word: a point between
    two digits joins them, and a percent sign joins the digits before it (the code
    points are folded, so full-width ．and ％ count too).

    >>> from wordmine.normalize import code_points
    >>> _number_glue(code_points("3.5%，a.b，5.")).tolist()
    [False, True, True, True, False, False, False, False, False, False, False]
    """
    digit = (cps >= 48) & (cps <= 57)
    after_digit = np.concatenate([[False], digit[:-1]])
    point = (cps == 46) & after_digit & np.concatenate([digit[1:], [False]])
    glue = point | ((cps == 37) & after_digit)
    glue[1:] |= point[:-1]
    return glue


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


def _numeral_units(cps: np.ndarray, spans) -> np.ndarray:
    """True for each unit that is a numeral character or a run of ASCII digits.

    >>> from wordmine.normalize import code_points, unit_spans
    >>> cps = code_points("三十abc，２０１９年")
    >>> _numeral_units(cps, unit_spans(cps)).tolist()
    [True, True, False, True, False]
    """
    numeral = np.isin(cps[spans.start], _NUMERAL_CODES)
    if spans.is_latin.any():
        # A Latin unit is a number when all its characters are digits: count digits by prefix sums.
        digits = np.concatenate([[0], np.cumsum((cps >= 48) & (cps <= 57))])
        latin = np.flatnonzero(spans.is_latin)
        a, b = spans.start[latin], spans.end[latin]
        numeral[latin] = digits[b] - digits[a] == b - a
    return numeral


_NUMERAL_CODES = np.array(sorted(map(ord, NUMERALS)), np.uint32)


def _join_number_runs(ends: np.ndarray, offsets: np.ndarray, numeral: np.ndarray) -> np.ndarray:
    """Clear the boundary between two adjacent words that are both made only of numerals.

    The unigram model cuts a number it has never seen into the pieces it knows
    (四百 三十 八); the gold standards write it as one word. Measured on four
    gold sets: F1 0.749 -> 0.751 (pd1998), 0.686 -> 0.696 (ctb6), unchanged on
    zhuxian and medical_forum.

    >>> _join_number_runs(np.array([1, 1, 0, 1, 1], bool), np.arange(5), np.array([1, 1, 1, 0, 1], bool)).tolist()
    [False, True, False, True, True]
    """
    if not len(ends):
        return ends
    starts = (offsets == 0) | np.concatenate([[True], ends[:-1]])
    word = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    all_numeral = np.minimum.reduceat(numeral.astype(np.int8), first).astype(bool)
    joined = ends.copy()
    inside_run = np.ones(len(ends), bool)
    inside_run[:-1] = offsets[1:] != 0
    inside_run[-1] = False
    candidate = np.flatnonzero(ends & inside_run)
    both = all_numeral[word[candidate]] & all_numeral[word[candidate] + 1]
    joined[candidate[both]] = False
    return joined


#: Every code point Python's str.isspace() accepts: output tokens are split with str.split().
_SPACES = np.array([9, 10, 11, 12, 13, 0x1C, 0x1D, 0x1E, 0x1F, 32, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                    0x2028, 0x2029, 0x202F, 0x205F, 0x3000], np.uint32)


def _is_space(cps: np.ndarray) -> np.ndarray:
    return np.isin(cps, _SPACES)


def model_from_lexicon(rows: list[tuple[str, float]]) -> WordModel:
    """A word model from a word list with counts (``discover`` output or any ``word [count]`` list)."""
    vocab = Vocabulary()
    encoded = [(vocab.encode(word), count) for word, count in rows]
    bits = _bits(len(vocab.units))
    keys, counts = [], []
    for ids, count in encoded:
        if 0 < len(ids) <= 64 // bits and not (ids == 0).any():
            keys.append(int(pack_at(ids, np.zeros(1, np.int64), len(ids), bits)[0]))
            counts.append(count)
    merged_keys, merged_counts = _sum_keys([np.array(keys, U64)], [np.array(counts, np.float64)])
    return _model_from_counts(vocab.units, bits, merged_keys, np.maximum(merged_counts, 1))


def classic_segmenter(corpus: Corpus, min_count: int | None = None):
    """The classic protocol, the baseline to beat: the discovered lexicon as jieba's
    dictionary and jieba's maximum-probability path (``HMM=False``).

    Returns a function from text to output lines, like :func:`segment_text`.
    """
    import io

    import jieba  # deferred: a private Tokenizer, never jieba's global one

    lexicon = discover(corpus, DiscoverConfig(min_count=min_count))
    entries = "".join(f"{word} {count}\n" for word, count in zip(lexicon.words, lexicon.count.tolist()))
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(io.BytesIO(entries.encode("utf-8")))
    tokenizer.total = max(tokenizer.total, 1)
    tokenizer.initialized = True  # the dictionary is ours: no default load, no cache file

    def segment(text: str) -> list[str]:
        lines = text.split("\n")
        if text.endswith("\n"):
            lines.pop()
        return [" ".join("".join(t.split()) for t in tokenizer.cut(line, HMM=False) if t.strip()) for line in lines]

    return segment


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
