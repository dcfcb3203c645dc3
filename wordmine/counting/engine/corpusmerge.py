"""Merging counted corpora: the counts of their concatenation, without the text.

Counting is a monoid. No n-gram crosses a line end and every counted source ends
with one, so the n-gram counts of ``a + b`` are the counts of ``a`` plus the
counts of ``b``. The only work is naming the units alike: unit ids are given by
first appearance, so ``b``'s ids are renamed into the vocabulary of ``a``
(``a``'s units keep their ids, ``b``'s new units follow in ``b``'s order, which
is the order they first appear in ``a + b``). Then the tables are re-keyed and
merged, and the unit streams joined.

This is what lets any engine shard the work: count the shards anywhere, in any
grouping, and merge the results in the shards' order (associative); merged in
another order, the counts are the same and only the unit ids differ
(commutative up to naming).

>>> from wordmine.config import CountConfig
>>> a = count_text(["天天向上"], CountConfig(order=1))
>>> b = count_text(["上上下下"], CountConfig(order=1))
>>> both = merge_corpora([a, b])
>>> both.vocab.units[1:], both.counts.counts[0].tolist()
(['天', '向', '上', '下'], [2, 1, 3, 2])
>>> ngram_counts(both) == ngram_counts(count_text(["天天向上\\n上上下下"], CountConfig(order=1)))
True
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from wordmine.config import CountConfig
from wordmine.counting.engine.counter import count_text  # noqa: F401 - count_text for the doctest
from wordmine.counting.table.corpus import Corpus
from wordmine.counting.table.ngrams import bits_for, merge_two_tables, rekey
from wordmine.errors import WordmineError
from wordmine.normalize import Vocabulary
from wordmine.unitstream import UnitStream


def merge_corpora(corpora: Iterable[Corpus], config: CountConfig | None = None) -> Corpus:
    """The corpus counted as the concatenation of ``corpora``, in order.

    ``config`` gives the memory budget and temporary folder of the joined unit stream.
    """
    config = config or CountConfig()
    merged: Corpus | None = None
    for corpus in corpora:
        merged = corpus if merged is None else _merge_two(merged, corpus, config)
    if merged is None:
        raise WordmineError("nothing to merge")
    return merged


def _merge_two(a: Corpus, b: Corpus, config: CountConfig) -> Corpus:
    if a.order != b.order:
        raise WordmineError(f"cannot merge counts of order {a.order + 1} with counts of order {b.order + 1}; "
                            "count both with the same --order")
    vocab = Vocabulary(a.vocab.units[1:])
    id_map = np.array([0] + [vocab.add(unit) for unit in b.vocab.units[1:]], dtype=np.int64)
    bits = bits_for(len(vocab), min(a.counts.bits, b.counts.bits))
    a_counts = a.counts if a.counts.bits == bits else rekey(a.counts, bits)
    renamed = not np.array_equal(id_map, np.arange(len(id_map)))
    b_counts = rekey(b.counts, bits, id_map) if renamed or b.counts.bits != bits else b.counts
    counts = merge_two_tables(a_counts, b_counts)
    stream = UnitStream(config.plan.stream_buffer, config.tmp_dir)
    wide = len(vocab) > 1 << 16
    for chunk in a.stream.chunks():
        stream.append(chunk, wide)
    for chunk in b.stream.chunks():
        stream.append(id_map[chunk], wide)
    return Corpus(vocab, counts, stream, a.order, a.spilled_runs + b.spilled_runs)


def ngram_counts(corpus: Corpus, sep: str = " ") -> dict[str, int]:
    """Every n-gram as text with its count: the id-free view two corpora can be compared by.

    Units are joined with ``sep``, so Latin runs stay apart.
    """
    units = corpus.vocab.units
    out = {}
    for order in range(1, corpus.counts.max_order + 1):
        ids = corpus.counts.decode(order, np.arange(len(corpus.counts.keys[order - 1])))
        for row, count in zip(ids.tolist(), corpus.counts.counts[order - 1].tolist()):
            out[sep.join(units[i] for i in row)] = count
    return out
