"""Adapting jieba to the user's own text: the teacher of ``learn --adapt jieba``.

The unsupervised CRF (:mod:`wordmine.segmentation.crf.learn`) learns from the
character model's segmentation of the corpus. Where the user's text is far from
news, jieba (Sun Junyi, 2012, https://github.com/fxsjy/jieba) knows the general
language better than any model of one corpus; where the text has words of its
own (a drug, a sect of a novel, a forum's slang), the corpus knows them and
jieba does not. The adapted teacher is jieba's segmentation of the corpus,
corrected by the corpus' own evidence, in three steps:

1. **jieba's dictionary plus the corpus' words.** The words ``discover`` finds
   that fill a hole in jieba's dictionary join it first, chosen and weighed by
   the rules of :func:`wordmine.mining.jieba_dict.jieba_entries` (what
   ``discover --format jieba`` writes): a word jieba would cut into characters
   it rarely sees alone, at a frequency on jieba's scale. This rests on the
   discovered word's cohesion and free boundaries in this corpus (Su Jianlin,
   2019, https://kexue.fm/archives/6920), and on jieba's own frequencies.
2. **jieba's HMM words, where the corpus confirms them.** With HMM on, jieba
   joins runs of single characters that its dictionary path leaves into words
   guessed by a character HMM trained on the (mostly news) text jieba was made from. Such a guess is
   kept only when ``discover`` lists the word (it is frequent, cohesive and
   free at both ends in this corpus); otherwise its characters stay apart, as
   jieba's dictionary path (HMM off) cuts them. The HMM finds names and new
   words (the reason to keep it); on text unlike its training text it also
   glues phrases, and the corpus says which of the two a guess is.
3. **The CRF learns from that teacher** over its usual features (hashed
   character n-grams, the character model's corpus statistics; jieba's
   dictionary matches with ``--dictionary jieba``), and generalises from where
   the teacher is consistent to where it is not, as the unsupervised CRF does
   with charlm's segmentation. Adapting a CRF segmenter to a new domain with
   annotations found for free in that domain is the setting of Liu, Zhang,
   Che, Liu and Wu, 2014, "Domain adaptation for CRF-based Chinese word
   segmentation using free annotations", EMNLP,
   https://aclanthology.org/D14-1093/; they keep such evidence as partial
   labels and marginalise the rest. Here every position gets a label: leaving
   the characters of an unconfirmed HMM word unlabelled (marginalised) instead
   of apart scored lower on every dev set when this was written
   (``python bench/adapt_bench.py --steps`` measures the steps that were kept).

Everything is computed on the learning text only; no label is used.

>>> text, unit_ends = run_text(np.array([1, 2, 3, 1]), np.array([0, 1, 2, 0]), ["", "天", "ab", "人"])
>>> text, unit_ends.tolist()
('天ab人\\n天', [1, 3, 4, 6])
>>> cut_ends(["天ab", "人", "\\n", "天"], unit_ends).tolist()
[False, True, True, True]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from wordmine.config import CountConfig, CRFConfig, DiscoverConfig
from wordmine.counting.engine.counter import count_text
from wordmine.counting.table.corpus import Corpus
from wordmine.errors import WordmineError
from wordmine.io.tables import jieba_tokenizer
from wordmine.mining import jieba_dict
from wordmine.mining.discover import discover
from wordmine.segmentation.unigram import at_least_pruned


def run_text(ids: np.ndarray, offsets: np.ndarray, units: list[str]) -> tuple[str, np.ndarray]:
    """The runs of units as one text, a line end before each run but the first, and where each unit ends.

    ``units[id]`` is the text of a unit; the second array holds, for each unit,
    the offset in the text just after it.
    """
    if not len(ids):
        return "", np.zeros(0, np.int64)
    pieces = np.array(units, dtype=object)[ids]
    lengths = np.fromiter((len(u) for u in units), np.int64, len(units))[ids]
    starts = np.flatnonzero(offsets == 0)
    starts = starts[starts > 0]
    pieces[starts] = "\n" + pieces[starts]
    lengths[starts] += 1
    return "".join(pieces.tolist()), np.cumsum(lengths)


def cut_ends(words: Iterable[str], unit_ends: np.ndarray) -> np.ndarray:
    """True after each unit where a word of ``words`` (the text, cut) ends.

    A boundary inside a unit (jieba cutting a Latin word or a number that the
    units keep whole) is not one of the units' and is dropped.
    """
    if not len(unit_ends):
        return np.zeros(0, bool)
    boundary = np.zeros(int(unit_ends[-1]) + 1, bool)
    lengths = np.fromiter((len(w) for w in words), np.int64)
    at = np.cumsum(lengths)
    boundary[at[at < len(boundary)]] = True
    return boundary[unit_ends]


def confirmed_cut(tokenizer, text: str, confirmed: set[str]) -> Iterator[str]:
    """jieba's cut (HMM on), a word its HMM made up split into characters unless ``confirmed`` holds it.

    A word of two or more characters that jieba's dictionary lacks can only
    come from its HMM.

    >>> class Toy:  # a dictionary of 天地; the "HMM" glues 人人 and 山水
    ...     FREQ = {"天地": 5}
    ...     def cut(self, text, HMM=True): return ["天地", "人人", "山水"]
    >>> list(confirmed_cut(Toy(), "天地人人山水", {"山水"}))
    ['天地', '人', '人', '山水']
    """
    known = tokenizer.FREQ
    for word in tokenizer.cut(text, HMM=True):
        if len(word) > 1 and word not in confirmed and not known.get(word):
            yield from word
        else:
            yield word


def _tokenizer(with_word_list: bool):
    """A private jieba tokenizer (and, ``with_word_list``, jieba's word list read for
    :func:`~wordmine.mining.jieba_dict.jieba_entries`), or a one-line error saying what to do."""
    try:
        if with_word_list:
            # the word list first: what reading it holds for a moment is free again when the tokenizer loads
            jieba_dict.load_dictionary()
        return jieba_tokenizer()
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise WordmineError(f"--adapt jieba: jieba's dictionary could not be read ({exc}); reinstall jieba "
                            f"(pip install --force-reinstall jieba) or learn with --adapt none") from None


def jieba_teacher_ends(corpus: Corpus, units: list[str], ids: np.ndarray, offsets: np.ndarray,
                       config: CRFConfig, whole: bool = True) -> tuple[np.ndarray, dict]:
    """The adapted teacher's word ends for the runs (steps 1 and 2 of the module docstring).

    Returns True after each unit that ends a word, and what the teacher used
    (for the model file's record): the discovered words added to jieba's
    dictionary and how jieba's HMM words were treated.

    ``whole``: the runs are all of ``corpus``. When they are only its first
    part (the CRF learns from at most ``CRFConfig.max_units`` units), the words
    are discovered in, and judged on, the text the teacher labels, counted on
    its own: a word that never occurs there changes no label, and the passes
    over the stream that judge a word (:mod:`wordmine.mining.novelty`) then
    cost what the sample costs. Over the whole of a large corpus they would
    not: their time grows with its length, and their memory with the distinct
    neighbours of the words judged, which keep growing with distinct text.
    """
    needs_words = config.adapt_discovered or config.adapt_hmm == "confirmed"
    text, unit_ends = run_text(ids, offsets, units)
    if needs_words and not whole:
        corpus = count_text([text], CountConfig(order=corpus.order, jobs=1))
    words = discover(corpus, DiscoverConfig(min_count=at_least_pruned(corpus, None))) if needs_words else None
    tokenizer = _tokenizer(config.adapt_discovered)
    added = 0
    if config.adapt_discovered and words is not None and len(words):
        entries = jieba_dict.jieba_entries(words, corpus.total_units, tokenizer, corpus=corpus,
                                           witness_strings=config.witness_strings)
        for word, frequency in entries:  # what wordmine.to_jieba does, counted
            tokenizer.add_word(word, frequency)
        added = len(entries)
    if config.adapt_hmm == "confirmed":
        cut = confirmed_cut(tokenizer, text, set(words.words) if words is not None else set())
    else:
        cut = tokenizer.cut(text, HMM=config.adapt_hmm == "kept")
    ends = cut_ends(cut, unit_ends)
    del tokenizer, cut, text
    jieba_dict.forget_dictionary()  # jieba's word list (tens of MB) is not needed while the CRF learns
    return ends, {"adapt": config.adapt, "discovered_words_added": added, "hmm_words": config.adapt_hmm}
