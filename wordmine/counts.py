"""``wordmine.Counts``: the n-gram counts of a corpus, held in memory or read from a count file a range at a time.

Counts made from a small text live in memory. Counts of a big one belong in a
``.wmc`` file (``wordmine count -o``, or ``wordmine.count(..., save_to=PATH)``,
which writes the file a range of first units at a time and never holds the
table): a :class:`Counts` of a file keeps only its path and header, and each use
reads the file a range of first units at a time within the memory budget, as
the command line does (:func:`wordmine.counting.engine.sources.reduce_count_file`):
``ngrams()`` ranks it by a bounded top-N or by sorted runs on disk,
``discover`` keeps discovery's pruned table, ``learn`` learning's.

>>> import os, tempfile, wordmine
>>> with tempfile.TemporaryDirectory() as folder:
...     path = os.path.join(folder, "sky.wmc")
...     saved = wordmine.count(["天天向上", "天上"], order=1, save_to=path)
...     loaded = Counts.load(path)
...     rows = list(loaded.ngrams())
>>> loaded.in_memory, saved.total_units, rows[:2]
(False, 6, [('天', 1, 3), ('上', 1, 2)])
>>> rows == list(wordmine.count(["天天向上", "天上"], order=1).ngrams())  # the same rows as in memory
True
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

from wordmine.counting.engine.sources import CountingOptions, count_sources
from wordmine.counting.files.countfile import read_counts, write_counts
from wordmine.counting.table.corpus import Corpus, ngram_rows
from wordmine.io.text import atomic_output


class Counts:
    """Exact n-gram counts of a corpus, as ``wordmine count`` makes them: in memory, or a ``.wmc`` file."""

    def __init__(self, corpus: Corpus | None = None, *, path: str | None = None,
                 counting: CountingOptions | None = None) -> None:
        if (corpus is None) == (path is None):
            raise ValueError("give the counts in memory or the path of a count file, one of them")
        self._corpus = corpus
        self.path = path
        self.counting = counting or CountingOptions()
        if path is not None:
            # Here: counts in memory never read a file.
            from wordmine.counting.files.countstream import open_counts

            header = open_counts(path)  # read now, so that a file that is not a count file is refused at once
            self._order, self._total_units = header.order, header.total_units

    @classmethod
    def _written(cls, path: str, order: int, total_units: int, counting: CountingOptions) -> Counts:
        """The counts of a count file this process has just written, whose order and units it knows.

        Not read back: checking every byte of a file made a moment ago (``load`` does, for a file
        from elsewhere) took the time of a pass over the file after counting, on one core, and
        every use of the counts opens and checks the file again anyway.
        """
        counts = cls.__new__(cls)
        counts._corpus, counts.path, counts.counting = None, path, counting
        counts._order, counts._total_units = order, total_units
        return counts

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, memory: int | None = None,
             tmp_dir: str | None = None) -> Counts:
        """The counts of a ``.wmc`` file, read a range at a time within ``memory`` whenever they are used."""
        return cls(path=os.fspath(path), counting=CountingOptions(memory=memory, tmp_dir=tmp_dir))

    @property
    def in_memory(self) -> bool:
        return self._corpus is not None

    @property
    def total_units(self) -> int:
        return self._corpus.total_units if self._corpus is not None else self._total_units

    @property
    def order(self) -> int:
        """n of ``--order n``: the file holds counts of orders 1..n+1."""
        return self._corpus.order if self._corpus is not None else self._order

    @property
    def corpus(self) -> Corpus:
        """The whole table in memory (a count file is loaded whole: prefer :meth:`reduced`)."""
        return self._corpus if self._corpus is not None else read_counts(self.path)

    def reduced(self, order: int, counting: CountingOptions | None = None, **keep) -> Corpus:
        """What a stage keeps of the counts: ``keep`` as for :func:`~wordmine.counting.engine.sources.count_sources`
        (``for_discovery``, ``min_count``, ``reduce``, ``vocab``); a count file is read a range at a time."""
        if self._corpus is not None:
            return self._corpus
        return count_sources([self.path], order, counting or self.counting, **keep)

    def ngrams(self, min_count: int = 1, top: int | None = None) -> Iterator[tuple[str, int, int]]:
        """(n-gram, order, count) of every order, most frequent first: the rows of ``wordmine count``.

        >>> from wordmine.counting.engine.counter import count_text
        >>> from wordmine.config import CountConfig
        >>> list(Counts(count_text(["天天向上"], CountConfig(order=1, jobs=1))).ngrams(min_count=2))
        [('天', 1, 2)]
        """
        if self._corpus is not None:
            rows = ngram_rows(self._corpus, min_count, top)
        else:
            rows = _listed_rows(self.path, self.order, self.counting, min_count, top)
        for row in rows:
            yield row["ngram"], row["order"], row["count"]

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the counts to a ``.wmc`` file, atomically (a count file is copied)."""
        path = os.fspath(path)
        if self._corpus is not None:
            write_counts(self._corpus, path)
            return
        with open(self.path, "rb") as source, atomic_output(path, "wb") as out:
            shutil.copyfileobj(source, out)

    def __repr__(self) -> str:
        where = "in memory" if self._corpus is not None else self.path
        return f"Counts({self.total_units:,} units, orders 1..{self.order + 1}, {where})"


def _listed_rows(path: str, order: int, counting: CountingOptions, min_count: int, top: int | None) -> Iterator[dict]:
    from wordmine.counting.reducers.listing import listing_reducer, ranked_rows

    reducer = listing_reducer(order, min_count, top, counting.tmp_dir)
    try:
        corpus = count_sources([path], order, counting, reduce=reducer)
        yield from ranked_rows(reducer, corpus.vocab, top, counting.config(order).plan.rank_block_rows)
    finally:
        reducer.close()
