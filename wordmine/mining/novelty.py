"""What a new word is: the one definition behind ``--new-only``, ``--format jieba`` and ``to_jieba``.

A discovered word is *new* when it passes four rules, in this order (the first
one it fails is its *reason*):

1. ``known``: it is not in the known lexicon (jieba's bundled dictionary,
   349 k words, unless another set of words is given).
2. ``number``: it holds no digit, when numbers are not wanted (1998年, 3次:
   the segmentation standards split numbers from their classifiers).
3. ``fragment``: it is not a piece of longer words. With the corpus at hand,
   each occurrence of the word in the unit stream is looked at. It is *bound*
   when it sits inside a longer known or discovered word (惊失色 inside
   大惊失色, 小凡 inside 张小凡), or when it straddles a known word: its
   first character and the unit before it, or its last character and the
   unit after it, make a two-character word jieba knows (子里 in 肚子里,
   济医院 in 同济医院), so that the character belongs with its neighbour. A
   word nine of whose ten occurrences are bound, or have the same unit on
   one side (口凉气, nearly always after 一; any number counts as one unit:
   日讯 after 1日, 2日, ...), is a piece of something longer. Nine in ten is
   where a user who looks at the uses of a word sees it only inside another.
   Without the corpus, only the words inside a longer word of the known
   lexicon are fragments (务院 of 国务院).
4. ``phrase``: it is not a phrase of words jieba knows. jieba's best split of
   it (its dictionary and unigram model, Sun Junyi, jieba, 2012,
   https://github.com/fxsjy/jieba) into pieces p1..pk is the evidence:

   a. every piece is a function word, one of the most frequent words that
      make up 30 % of jieba's running text (也没 = 也 + 没, 他说, 得很): a
      string of grammar, not of vocabulary;
   b. a piece of two or more characters sits beside a function word
      (诊断为 = 诊断 + 为, 过程中, 每年都): a known word with a particle
      attached, which every segmentation standard splits off;
   c. a piece is a function word, or every piece is a common word (the most
      frequent words, half of jieba's running text), and jieba's own model of
      the words its dictionary lacks (its HMM, ``jieba.finalseg``) cuts the
      word too (站在, 瞪了, 较低, 约占): each piece is a word by itself unless
      something binds it, and neither jieba's dictionary nor its model of
      unknown words does; 我爸, 偏高, 多梦 are bound by the HMM and stay;
   d. with the counts at hand, a piece of two or more characters is a word of
      its own in the text: none of the longer pieces has nine in ten of its
      occurrences inside the word (脖子僵硬: 脖子 and 僵硬 occur mostly
      apart; 吡嗪酰胺 stays, 吡嗪 occurs only inside it), the share of rule 3;
   e. it is no more cohesive against jieba's model than discovery asks of a
      word against the corpus: ln(p(word) / prod p(pi)) stays under the
      cohesion threshold of its length (3, 5, 7 nats for 2, 3, 4
      characters, ``config.auto_cohesion``), with p(word) its count over the
      corpus' units and p(pi) jieba's frequency of the piece over jieba's
      total. A phrase of common words occurs about as often as its parts do
      together in general text; a word occurs far more often than that.

The function and common words are measured on jieba's dictionary (Zipf's
law puts a closed class of a few hundred words at the head of any frequency
list), not listed by hand; the thresholds are discovery's own and rule 3's.
A word that jieba would cut into single characters none of which is a
function word (反流 = 反 + 流, 胃胀, 殷栖鹤) passes 4a to 4d whatever it is;
4e then asks for evidence in the counts.

>>> words = ["张小凡", "这个", "1997年", "也没", "诊断为"]
>>> reasons(words, [700, 40, 20, 27, 34], total_units=150_000, numbers=False)
[None, 'known', 'number', 'fragment', 'phrase']

(Without the corpus, 也没 is a fragment for sitting inside jieba's 也没有.)
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from wordmine.arrays import in_sorted
from wordmine.config import auto_cohesion
from wordmine.counting.table.corpus import Corpus
from wordmine.lexicon import Lexicon

#: Function words: the most frequent words of jieba's dictionary that make up this share of its tokens.
FUNCTION_SHARE = 0.3

#: Common words: the most frequent words that make up half of its tokens (the median token's frequency).
COMMON_SHARE = 0.5

#: A fragment: a word this share of whose occurrences sit inside longer words, or beside one same unit.
FRAGMENT_SHARE = 0.9

#: The neighbour that every number stands for in the fragment pass (no unit id is this large).
NUMBER = (1 << 32) - 1

#: Units of the stream searched at a time by the fragment pass.
STREAM_WINDOW = 1 << 20

#: Distinct (word, neighbour) pairs the fragment pass counts exactly on each side (16 bytes each, and
#: as much again while they are summed); past them it keeps one candidate a word (``_Neighbours``).
PAIR_ROWS = 1 << 21

REASONS = ("known", "number", "fragment", "phrase")

_DIGIT = re.compile(r"[0-9]")


def _most_frequent(frequencies: dict[str, int], share: float) -> frozenset[str]:
    """The most frequent words that together make up ``share`` of all tokens.

    >>> sorted(_most_frequent({"的": 6, "是": 2, "猫": 1, "狗": 1}, 0.5))
    ['的']
    """
    total = sum(frequencies.values())
    chosen, covered = set(), 0
    for word, freq in sorted(frequencies.items(), key=lambda item: -item[1]):
        if covered >= share * total:
            break
        chosen.add(word)
        covered += freq
    return frozenset(chosen)


@functools.lru_cache(maxsize=1)
def jieba_model() -> tuple[dict[str, int], int, frozenset[str], frozenset[str]]:
    """jieba's bundled dictionary: frequencies, their total, its function words and its common words."""
    from wordmine.io.tables import jieba_frequencies

    frequencies = jieba_frequencies()
    return (frequencies, sum(frequencies.values()), _most_frequent(frequencies, FUNCTION_SHARE),
            _most_frequent(frequencies, COMMON_SHARE))


@functools.lru_cache(maxsize=1)
def _splitter() -> Any:
    """A private jieba.Tokenizer for the splits (jieba's global default tokenizer is left alone)."""
    from wordmine.io.tables import jieba_tokenizer

    return jieba_tokenizer()


#: jieba's splits kept for the next asking (a few hundred bytes each): rules 3 and 4 split each
#: word, and ``wordmine.mining.surprise`` splits the strings it tests before they become words.
SPLIT_CACHE = 1 << 16


@functools.lru_cache(maxsize=SPLIT_CACHE)
def jieba_split(word: str) -> tuple[str, ...]:
    """jieba's best split of ``word`` by its dictionary and unigram model alone (no HMM).

    >>> jieba_split("诊断为"), jieba_split("反流")
    (('诊断', '为'), ('反', '流'))
    """
    return tuple(_splitter().lcut(word, HMM=False))


def forget_jieba() -> None:
    """Drop jieba's dictionary, its word set, the tokenizer and the splits kept here, until they are next needed."""
    for cached in (jieba_model, jieba_known, _splitter, jieba_split):
        cached.cache_clear()


@functools.lru_cache(maxsize=1)
def jieba_known() -> frozenset[str]:
    """The default known lexicon: the words of jieba's bundled dictionary."""
    return frozenset(jieba_model()[0])


def is_phrase(word: str, count: float | None = None, total_units: int | None = None,
              thresholds: Sequence[float] | None = None, occurrences: dict[str, int] | None = None) -> bool:
    """Rule 4: ``word`` is a phrase of words jieba knows (a to e of the module docstring).

    ``count`` and ``total_units``: the word's count and the corpus' units, for
    rule 4c; ``occurrences``: how often the word and each piece of jieba's
    split occur in the corpus, for rule 4e (each rule is skipped without them).

    >>> is_phrase("也没"), is_phrase("诊断为"), is_phrase("站在"), is_phrase("反流"), is_phrase("我爸")
    (True, True, True, False, False)
    >>> is_phrase("脖子僵硬", occurrences={"脖子僵硬": 4, "脖子": 30, "僵硬": 12})
    True
    >>> is_phrase("吡嗪酰胺", occurrences={"吡嗪酰胺": 10, "吡嗪": 10, "酰胺": 11})
    False
    """
    frequencies, total, function_words, common_words = jieba_model()
    pieces = jieba_split(word)
    if len(pieces) < 2:
        return False
    if all(p in function_words for p in pieces):
        return True
    for left, right in itertools.pairwise(pieces):
        if (len(left) > 1 and right in function_words) or (len(right) > 1 and left in function_words):
            return True
    if (any(p in function_words for p in pieces) or all(p in common_words for p in pieces)) \
            and len(_hmm_cut(word)) > 1:
        return True
    longer = [p for p in pieces if len(p) > 1]
    if longer and occurrences and occurrences.get(word) \
            and all(occurrences[word] < FRAGMENT_SHARE * occurrences.get(p, 0) for p in longer):
        return True
    if not count or not total_units:
        return False
    thresholds = tuple(thresholds or auto_cohesion(4))
    known = [frequencies.get(p, 0) for p in pieces]
    if not all(known):
        return False  # a piece jieba lacks: jieba's model says nothing about it
    pmi = math.log(count / total_units) - sum(math.log(f / total) for f in known)
    return pmi < thresholds[min(len(word), len(thresholds) + 1) - 2]


def _hmm_cut(word: str) -> list[str]:
    """jieba's model of the words its dictionary lacks (its HMM, ``jieba.finalseg``) on ``word`` alone."""
    import jieba.finalseg

    return list(jieba.finalseg.cut(word))


def _pairs(words: Any) -> tuple[list[str], list[float | None]]:
    """Words and counts from a Lexicon, words, (word, count) pairs, or rows with .word and .count."""
    if isinstance(words, Lexicon):
        return list(words.words), words.count.tolist()
    out_words: list[str] = []
    out_counts: list[float | None] = []
    for item in words:
        if isinstance(item, str):
            out_words.append(item)
            out_counts.append(None)
        elif isinstance(item, tuple):
            out_words.append(item[0])
            out_counts.append(item[1])
        else:
            out_words.append(item.word)
            out_counts.append(getattr(item, "count", None))
    return out_words, out_counts


def _matcher(words: Iterable[str]):
    """An Aho-Corasick automaton finding ``words`` (each reported as itself), or None for no words."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


def _containers(words: Collection[str], lexicons: Iterable[Iterable[str]]) -> set[str]:
    """The words of ``lexicons`` that hold one of ``words`` and are longer (Aho-Corasick over the lexicons)."""
    automaton = _matcher(words)
    if automaton is None:
        return set()
    found = set()
    for lexicon in lexicons:
        for entry in lexicon:
            if len(entry) > 1 and any(w != entry for _, w in automaton.iter(entry)):
                found.add(entry)
    return found


@functools.lru_cache(maxsize=4)
def _pair_index(known: frozenset[str]) -> tuple[dict[str, str], dict[str, str]]:
    """For each character, the characters before it and after it that make a two-character known word."""
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    for word in known:
        if len(word) == 2:
            before.setdefault(word[1], []).append(word[0])
            after.setdefault(word[0], []).append(word[1])
    return ({c: "".join(v) for c, v in before.items()}, {c: "".join(v) for c, v in after.items()})


def _binding_pairs(corpus: Corpus, words: Sequence[str], index: Sequence[int],
                   known: frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
    """Keys (word << 32 | unit) of the neighbours that make a known word with the word's edge character.

    Only where jieba's split of the word leaves that edge character alone: a
    word that starts with a word jieba knows (诊断为) keeps its edge.
    """
    before, after = _pair_index(known)
    left: list[int] = []
    right: list[int] = []
    for j, i in enumerate(index):
        pieces = jieba_split(words[i])
        if len(pieces[0]) == 1:
            left.extend(j << 32 | u for u in map(corpus.vocab.get, before.get(words[i][0], "")) if u)
        if len(pieces[-1]) == 1:
            right.extend(j << 32 | u for u in map(corpus.vocab.get, after.get(words[i][-1], "")) if u)
    return np.array(sorted(set(left)), np.int64), np.array(sorted(set(right)), np.int64)


def _summed(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys and their summed counts from several (keys, counts) pairs."""
    keys = np.concatenate([k for k, _ in parts])
    counts = np.concatenate([c for _, c in parts])
    distinct, which = np.unique(keys, return_inverse=True)
    return distinct, np.bincount(which.reshape(-1), weights=counts, minlength=len(distinct)).astype(np.int64)


def fragment_shares(corpus: Corpus, words: Sequence[str], listed: Iterable[str] = (),
                    known: Collection[str] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per word: its occurrences, the share bound to longer words, the largest share beside one same unit.

    An occurrence is *bound* when it sits inside a longer word, the known
    lexicon's (jieba's by default) or ``listed`` (the discovered lexicon),
    found where it occurs in the unit stream; or when it straddles a word:
    its first character and the unit before it (or its last character and
    the unit after it) make a two-character known word (子里 in 肚子里: 肚子;
    力下降 in 视力下降: 视力), so that jieba, reading the sentence, puts that
    character with its neighbour. Neighbours: the unit just before and just
    after each occurrence; a boundary (text start or end, punctuation) counts
    as a new neighbour each time. One pass over the stream, and a second one
    on text with more distinct (word, neighbour) pairs than ``PAIR_ROWS``
    (see :class:`_Neighbours`).

    >>> from wordmine.config import CountConfig
    >>> from wordmine.counting.engine.counter import count_text
    >>> corpus = count_text(["张小凡来了，张小凡走了，小凡哥"], CountConfig(order=2, jobs=1))
    >>> n, bound, beside = fragment_shares(corpus, ["小凡", "张小凡"], listed=["张小凡"], known=[])
    >>> n.tolist(), bound.round(2).tolist(), beside.round(2).tolist()
    ([3, 2], [0.67, 0.0], [0.67, 0.5])
    """
    known = jieba_known() if known is None else known if isinstance(known, frozenset) else frozenset(known)
    occurrences = _Occurrences.of(corpus, words, listed, known)
    if occurrences is None:
        zero = np.zeros(len(words))
        return np.zeros(len(words), np.int64), zero, zero
    present = occurrences.present
    n = np.zeros(len(present), np.int64)
    bound = np.zeros(len(present), np.int64)
    sides = [_Neighbours(len(present)), _Neighbours(len(present))]
    for w, tied, left, right in occurrences.each_window():
        n += np.bincount(w, minlength=len(present))
        bound += np.bincount(w[tied], minlength=len(present))
        sides[0].add(left)
        sides[1].add(right)
    if any(side.candidate is not None for side in sides):  # a second pass counts the candidates
        for _, _, left, right in occurrences.each_window(ties=False):
            sides[0].recount(left)
            sides[1].recount(right)
    beside = np.zeros(len(words))
    for side in sides:
        beside[present] = np.maximum(beside[present], side.most() / np.maximum(n, 1))
    share = np.zeros(len(words))
    share[present] = bound / np.maximum(n, 1)
    counts = np.zeros(len(words), np.int64)
    counts[present] = n
    return counts, share, beside


class _Occurrences:
    """The occurrences of some words in a corpus' unit stream, a window at a time (for :func:`fragment_shares`)."""

    def __init__(self, corpus: Corpus, present: list[int], patterns: list, binds: tuple) -> None:
        from wordmine.mining.matching import Matcher

        self.corpus, self.present = corpus, present
        self.word_of = np.arange(len(patterns), dtype=np.int64)
        self.word_of[len(present):] = -1
        self.length = np.array([len(p) for p in patterns], np.int64)
        self.binds_left, self.binds_right = binds
        self.matcher = Matcher([np.array(p) for p in patterns])
        self.numbers = np.array([u.isdigit() for u in corpus.vocab.units], bool)

    @classmethod
    def of(cls, corpus: Corpus, words: Sequence[str], listed: Iterable[str],
           known: frozenset[str]) -> _Occurrences | None:
        """The words found with their containers (None when no word is spelled in the corpus' units)."""
        from wordmine.mining.occurrences import _unit_ids

        ids = [_unit_ids(corpus.vocab, w) for w in words]
        present = [i for i, u in enumerate(ids) if u is not None]
        if not present:
            return None
        holders = _containers([words[i] for i in present], [listed, known]) - {words[i] for i in present}
        holder_ids = [u for u in (_unit_ids(corpus.vocab, h) for h in sorted(holders)) if u is not None]
        return cls(corpus, present, [ids[i] for i in present] + holder_ids,
                   _binding_pairs(corpus, words, present, known))

    def each_window(self, ties: bool = True) -> Iterator[tuple[np.ndarray, np.ndarray | None, np.ndarray,
                                                               np.ndarray]]:
        """For each window: the word (its index among the present ones) of each occurrence, whether it
        is bound (None without ``ties``: the second pass wants only the neighbours), and the
        (word << 32 | neighbour) keys of its left and right neighbours, boundaries left out (a
        boundary is a new neighbour each time: never the same one twice)."""
        for window in self.corpus.stream.windows(STREAM_WINDOW):
            which, start = self.matcher.find(window)
            if not len(which):
                continue
            end = start + self.length[which]
            mine = self.word_of[which] >= 0
            w, s, e = self.word_of[which[mine]], start[mine], end[mine]
            padded = np.concatenate([[0], window, [0]]).astype(np.int64)
            left, right = padded[s], padded[e + 1]
            tied = None
            if ties:
                # reach[q]: the furthest end of a pattern occurrence starting at q; before[p]: of one
                # starting before p.
                reach = np.zeros(len(window) + 1, np.int64)
                np.maximum.at(reach, start, end)
                before = np.concatenate([[0], np.maximum.accumulate(reach)[:-1]])
                tied = ((before[s] >= e) | (reach[s] > e) | in_sorted((w << 32) | left, self.binds_left)
                        | in_sorted((w << 32) | right, self.binds_right))
            # Any number is the same neighbour: 日讯 after 1日, 2日, ... is a piece of a date.
            left_same = (w << 32) | np.where(self.numbers[left], NUMBER, left)
            right_same = (w << 32) | np.where(self.numbers[right], NUMBER, right)
            yield w, tied, left_same[left != 0], right_same[right != 0]


class _Neighbours:
    """How often each word is seen beside each unit on one side, to find its most frequent neighbour.

    Counted exactly while the distinct (word, neighbour) pairs stay within
    ``PAIR_ROWS``; past that (distinct text brings ever new neighbours) each
    word keeps one candidate, the only neighbour that can hold more than half
    of its occurrences (Misra and Gries, 1982, "Finding repeated elements",
    https://doi.org/10.1016/0167-6423(82)90012-0, with one counter, merged a
    window at a time as Agarwal et al., 2012, "Mergeable summaries",
    https://doi.org/10.1145/2213556.2213562, merge them), and a second pass
    (:meth:`recount`) counts the candidates exactly. The largest share is then
    exact wherever it passes one half, which is all that ``FRAGMENT_SHARE``
    asks of it; below one half it may come out lower.

    >>> side = _Neighbours(2)
    >>> side.add(np.array([0 << 32 | 7, 0 << 32 | 7, 0 << 32 | 8, 1 << 32 | 5]))
    >>> side.most().tolist()
    [2, 1]
    """

    def __init__(self, words: int) -> None:
        self.words = words
        self.parts: list[tuple[np.ndarray, np.ndarray]] = []
        self.pending = 0
        self.candidate: np.ndarray | None = None  # past PAIR_ROWS, per word: its candidate's key, or -1
        self.lead = np.zeros(words, np.int64)  # the candidate's count less what the others took from it
        self.counted = np.zeros(words, np.int64)  # the candidate's exact count, from the second pass
        self.wanted: np.ndarray | None = None  # the candidates' keys, sorted, in the second pass

    def add(self, keys: np.ndarray) -> None:
        part = np.unique(keys, return_counts=True)
        if self.candidate is not None:
            self._merge(*part)
            return
        # Summed from time to time, the pairs take memory for each distinct (word, neighbour), not for
        # each occurrence.
        self.parts.append(part)
        self.pending += len(part[0])
        if self.pending > PAIR_ROWS or len(self.parts) > 64:
            keys, times = _summed(self.parts)
            self.parts, self.pending = [(keys, times)], len(keys)
            if len(keys) > PAIR_ROWS:
                self.parts, self.pending = [], 0
                self.candidate = np.full(self.words, -1, np.int64)
                self._merge(keys, times)

    def _merge(self, keys: np.ndarray, times: np.ndarray) -> None:
        """Fold exact (key, count) pairs into the one-counter summaries: per word, the leader keeps
        its count less the runner-up's."""
        held = np.flatnonzero(self.candidate >= 0)
        keys, times = _summed([(keys, times), (self.candidate[held], self.lead[held])])
        word = (keys >> 32).astype(np.int64)
        order = np.lexsort((-times, word))  # by word, most frequent first
        keys, times, word = keys[order], times[order], word[order]
        first = np.flatnonzero(np.concatenate([[True], word[1:] != word[:-1]]))
        runner_up = np.zeros(len(first), np.int64)
        has_second = np.append(first[1:], len(word)) - first > 1
        runner_up[has_second] = times[first[has_second] + 1]
        lead = times[first] - runner_up
        kept = lead > 0
        self.candidate[:] = -1
        self.lead[:] = 0
        self.candidate[word[first[kept]]] = keys[first[kept]]
        self.lead[word[first[kept]]] = lead[kept]

    def recount(self, keys: np.ndarray) -> None:
        """Count the candidates' occurrences among ``keys`` (the second pass; nothing to do on a side
        still counted exactly)."""
        if self.candidate is None:
            return
        if self.wanted is None:
            self.wanted = np.sort(self.candidate[self.candidate >= 0])
        hit = keys[in_sorted(keys, self.wanted)]
        self.counted += np.bincount((hit >> 32).astype(np.int64), minlength=self.words)

    def most(self) -> np.ndarray:
        """Per word, how often its most frequent neighbour is seen (past ``PAIR_ROWS``, after the second
        pass: its candidate's count)."""
        if self.candidate is not None:
            return self.counted
        most = np.zeros(self.words, np.int64)
        if self.parts:
            keys, times = _summed(self.parts)
            np.maximum.at(most, (keys >> 32).astype(np.int64), times)
        return most


def reasons(words: Any, counts: Sequence[float | None] | None = None, *, corpus: Corpus | None = None,
            known: Collection[str] | None = None, listed: Iterable[str] = (), numbers: bool = True,
            total_units: int | None = None, thresholds: Sequence[float] | None = None) -> list[str | None]:
    """Why each word is not new (``'known'``, ``'number'``, ``'fragment'``, ``'phrase'``), or None if it is.

    ``words``: strings, or (as :func:`new_words` takes) a Lexicon or rows; ``counts``: their
    counts when ``words`` are strings. ``corpus``: the counted corpus the words
    come from, for the fragment pass (and its units for rule 4c); ``known``:
    the known lexicon (None: jieba's dictionary); ``listed``: longer
    discovered words, besides the known ones, that a fragment may sit in;
    ``numbers``: False makes a word holding a digit not new.
    """
    if isinstance(words, Lexicon) or (words and not isinstance(next(iter(words)), str)):
        words, counts = _pairs(words)
    words = list(words)
    counts = list(counts) if counts is not None else [None] * len(words)
    known_set = jieba_known() if known is None else known
    if corpus is not None:
        total_units = total_units or corpus.total_units
    out: list[str | None] = []
    for word in words:
        if word in known_set:
            out.append("known")
        elif not numbers and _DIGIT.search(word):
            out.append("number")
        else:
            out.append(None)
    todo = [i for i, r in enumerate(out) if r is None]
    if corpus is not None:
        n, bound, beside = fragment_shares(corpus, [words[i] for i in todo], listed, known_set)
        for j, i in enumerate(todo):
            if n[j] and (bound[j] >= FRAGMENT_SHARE or beside[j] >= FRAGMENT_SHARE):
                out[i] = "fragment"
    else:
        inside_known = _inside_any([words[i] for i in todo], known_set)
        for i in todo:
            if words[i] in inside_known:
                out[i] = "fragment"
    occurrences = _piece_occurrences(corpus, [words[i] for i in todo if out[i] is None]) if corpus else None
    for i in todo:
        if out[i] is None and is_phrase(words[i], counts[i], total_units, thresholds, occurrences):
            out[i] = "phrase"
    return out


def _piece_occurrences(corpus: Corpus, words: Sequence[str]) -> dict[str, int]:
    """How often each word, and each piece of two or more characters of jieba's split of it, occurs."""
    from wordmine.mining.occurrences import corpus_occurrences

    wanted = set(words)
    for word in words:
        wanted.update(p for p in jieba_split(word) if len(p) > 1)
    wanted_list = sorted(wanted)
    return dict(zip(wanted_list, corpus_occurrences(corpus, wanted_list).tolist()))


def _inside_any(words: Sequence[str], longer: Iterable[str]) -> set[str]:
    """The words that occur inside one of the ``longer`` strings."""
    automaton = _matcher(words)
    if automaton is None:
        return set()
    return {w for entry in longer for _, w in automaton.iter(entry) if w != entry}


def new_words(lexicon: Lexicon, corpus: Corpus | None = None, known: Collection[str] | None = None,
              numbers: bool = True, thresholds: Sequence[float] | None = None) -> Lexicon:
    """The new words of a discovered lexicon, in its order (the rules of the module docstring).

    ``lexicon``: every word discovery found (known ones too: they are the
    longer words a fragment may sit in). ``corpus``: the counted corpus it
    comes from (None: no fragment pass, only pieces of known words are
    fragments). ``known``: the known lexicon, jieba's dictionary when None
    (``--known`` passes the user's lexicons, with jieba's or instead of them).
    """
    why = reasons(lexicon.words, lexicon.count.tolist(), corpus=corpus, known=known, listed=lexicon.words,
                  numbers=numbers, thresholds=thresholds)
    return lexicon.take(np.array([i for i, r in enumerate(why) if r is None], np.int64))
