"""Discovered words as jieba entries: what jieba lacks, at a frequency that fits its dictionary.

jieba (Sun Junyi, jieba Chinese text segmentation, 2012,
https://github.com/fxsjy/jieba) cuts a sentence along the most probable path
through its dictionary: a word of frequency f is worth f / T (T, the
dictionary's total, is about 60 M tokens). A user dictionary that gives a corpus' raw counts to words jieba
already knows breaks that balance: 这个 (61,310 in jieba) at its count in a
small corpus (471) becomes rarer than 这 and 个 apart, and
"所以我们还是只能这样做" comes out "所 以 我们 还 是 只 能 这样 做". So this
module adds only the words that fill a hole in jieba's dictionary, each at a
frequency on jieba's scale. A discovered word becomes an entry when

1. jieba does not know it (known words keep jieba's frequency);
2. it holds no digit (1997年, 3次, 49岁: every segmentation standard measured
   splits numbers from their classifiers, and jieba's own rules do the same);
3. it is not a piece of a longer dictionary word (务院 of 国务院, 实事求 of
   实事求是: fragments that the count-and-cut pass left when it cut a long word);
4. jieba, without it, would cut it into single characters only: a word that
   jieba splits into words it knows (扶贫攻坚 = 扶贫 + 攻坚) is a compound, and
   the standards split compounds too;
5. none of those characters is one of jieba's function words, the few most
   frequent words that make up 30 % of its running text (的 了 是 我 也 没 ...):
   也没, 让我, 子里 are phrases, not words;
6. at least one of those characters is rare on its own: outside the common
   words, the most frequent ones that make up half of jieba's running text.
   A sequence of common words (较 + 低, 约 + 占, 元 + 钱, 越 + 办 + 越) is as
   likely a phrase as a word: news repeats 较低 and 约占 often enough to make
   them cohesive, but they are adverb + adjective and adverb + verb, and
   jieba's pieces are the better guess. A hole in jieba's dictionary shows as
   a character it seldom sees alone: 磊 of 王磊, 麽 of 什么's old form 什麽,
   琉 of 帛琉.

Its frequency is its count scaled to jieba's total (count x T / units of the
corpus), capped at one more than the frequency of jieba's own best split of it
(what ``jieba.Tokenizer.suggest_freq`` computes): that is enough to beat the
characters it would otherwise be cut into, and not enough to win wherever a
word jieba knows overlaps it.

With ``jieba.Tokenizer().cut`` (HMM on) on the test gold of four sets, the
entries raise jieba's F1 of word spans a little on all four, where the raw-count
file of every discovered word lowered it on all four; rule 6 takes off entries
such as 元钱, 较低, 约占 (phrases news repeats) that cost correct words. The
figures are in ``make bench`` (jieba with discovered words) and docs/notes/.

>>> entries = jieba_entries([("殷栖鹤", 234), ("这个", 471), ("1997年", 40), ("也没", 27)], total_units=28_394)
>>> [word for word, _ in entries]
['殷栖鹤']
>>> tokenizer = to_jieba(entries)
>>> tokenizer.lcut("殷栖鹤说所以我们还是只能这样做")
['殷栖鹤', '说', '所以', '我们', '还是', '只能', '这样', '做']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from wordmine.lexicon import Lexicon

#: What the functions take: a Lexicon, words, (word, count) pairs, or rows with .word and .count.
Words = Lexicon | Iterable[Any]

#: Function words: the most frequent words of jieba's dictionary that make up this share of its tokens.
FUNCTION_SHARE = 0.3

#: Common words: the most frequent words that make up half of its tokens (the median token's frequency).
COMMON_SHARE = 0.5

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
def _dictionary() -> tuple[dict[str, int], int, frozenset[str], frozenset[str]]:
    """jieba's bundled dictionary: frequencies, their total, its function words and its common words."""
    from wordmine.io.tables import jieba_frequencies

    frequencies = jieba_frequencies()
    return (frequencies, sum(frequencies.values()), _most_frequent(frequencies, FUNCTION_SHARE),
            _most_frequent(frequencies, COMMON_SHARE))


def _new_tokenizer():
    from wordmine.io.tables import jieba_tokenizer

    return jieba_tokenizer()  # private: jieba's global default tokenizer is left alone


def _pairs(words: Words) -> list[tuple[str, float | None]]:
    """(word, count) from a Lexicon, words, (word, count) pairs or rows with .word and .count."""
    if isinstance(words, Lexicon):
        return list(zip(words.words, words.count.tolist()))
    pairs = []
    for item in words:
        if isinstance(item, str):
            pairs.append((item, None))
        elif isinstance(item, tuple):
            pairs.append((item[0], item[1]))
        else:
            pairs.append((item.word, getattr(item, "count", None)))
    return pairs


def _fragments(words: list[str], dictionary: Iterable[str]) -> set[str]:
    """The words that occur inside a longer dictionary word (Aho-Corasick over the dictionary)."""
    import ahocorasick

    if not words:
        return set()
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    found = set()
    for entry in dictionary:
        if len(entry) > 1:
            found.update(w for _, w in automaton.iter(entry) if w != entry)
    return found


def jieba_entries(words: Words, total_units: int | None = None, tokenizer: Any = None) -> list[tuple[str, int]]:
    """The (word, frequency) entries that the discovered ``words`` give jieba (rules in the module docstring).

    ``words``: a Lexicon, words, (word, count) pairs or rows with ``.word`` and
    ``.count``, best first. ``total_units``: units of the corpus the counts come
    from; without it (or without a count) a word gets the cap, the frequency
    that just beats its split. ``tokenizer``: the jieba.Tokenizer whose split and
    frequencies set the cap (a new private one when None; it is not changed).
    """
    frequencies, total, function_words, common_words = _dictionary()
    tokenizer = tokenizer or _new_tokenizer()
    candidates = [(w, c) for w, c in _pairs(words) if w not in frequencies and not _DIGIT.search(w)]
    fragments = _fragments([w for w, _ in candidates], frequencies)
    scale = total / total_units if total_units else None
    entries = []
    for word, count in candidates:
        if word in fragments:
            continue
        pieces = tokenizer.lcut(word, HMM=False)
        if any(len(piece) > 1 or piece in function_words for piece in pieces):
            continue
        if all(piece in common_words for piece in pieces):
            continue
        cap = tokenizer.suggest_freq(word, tune=False)
        entries.append((word, cap if scale is None or count is None else max(1, min(cap, round(count * scale)))))
    return entries


def to_jieba(words: Words, tokenizer: Any = None, total_units: int | None = None) -> Any:
    """Add discovered words to a ``jieba.Tokenizer`` through its public ``add_word``; return the tokenizer.

    ``words`` and ``total_units`` as for :func:`jieba_entries`, whose rules
    choose the entries and their frequencies. A new private Tokenizer when
    ``tokenizer`` is None; jieba's global default tokenizer is never touched.
    """
    tokenizer = tokenizer or _new_tokenizer()
    for word, freq in jieba_entries(words, total_units, tokenizer):
        tokenizer.add_word(word, freq)
    return tokenizer
