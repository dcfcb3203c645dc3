"""The segmenters by name: learn one from a counted corpus, wrap it, save and load it.

Every method yields a model with ``vocabulary()`` and ``word_ends(ids,
offsets)`` (or, for ``classic``, a function from text to lines); a
:class:`Segmenter` puts the lossless output path of
:mod:`wordmine.segmentation.lossless` in front of it, so all methods segment,
cut and stream text the same way.

>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> text = "，".join(s + v + o for s in ["黑猫", "白狗", "小鸟"] for v in ["喜欢", "讨厌"]
...                  for o in ["鱼", "骨头", "米粒"])
>>> corpus = count_text([text + "\\n"] * 5, CountConfig(order=4, jobs=1))
>>> segmenter = learn_segmenter(corpus, "unigram", min_count=3)
>>> segmenter.method, segmenter.cut("小鸟喜欢鱼")
('unigram', ['小鸟', '喜欢', '鱼'])
>>> list(segmenter.segment(["黑猫喜欢米粒", "白狗 喜欢骨头\\n"]))
['黑猫 喜欢 米粒', '白狗 喜欢 骨头']
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Iterator

from wordmine.blas import one_blas_thread
from wordmine.budget import MemoryPlan
from wordmine.checks import checked_lines
from wordmine.config import LEARN_METHODS, SEGMENT_METHODS, CharLMConfig, CRFConfig, SegmentConfig  # noqa: F401
from wordmine.counting.table.corpus import Corpus
from wordmine.errors import OptionError
from wordmine.segmentation.charlm.model import CharLM, learn_charlm
from wordmine.segmentation.classic import classic_segmenter
from wordmine.segmentation.crf.learn import learn_crf
from wordmine.segmentation.crf.model import CRFModel
from wordmine.segmentation.lossless import segment_text, segmented_text
from wordmine.segmentation.modelfile import read_model, write_model
from wordmine.segmentation.unigram import WordModel, learn, model_from_lexicon


class Segmenter:
    """A segmentation method ready to use: ``cut`` one text, ``segment`` many lines, ``save``."""

    def __init__(self, method: str, model: WordModel | CharLM | CRFModel | None = None,
                 segment_lines: Callable[[str], list[str]] | None = None) -> None:
        self.method = method
        self.model = model
        if segment_lines is None:
            if model is None:
                raise ValueError("a segmenter needs a model or a segmenting function")
            segment_lines = functools.partial(segment_text, model=model, vocab=model.vocabulary())
        self._segment_lines = segment_lines

    def __call__(self, text: str) -> list[str]:
        """One output line per line of ``text``, words separated by single spaces."""
        return self._segment_lines(text)

    def cut(self, text: str) -> list[str]:
        """The words of ``text`` as a list, like ``jieba.lcut`` (white space is dropped)."""
        if not isinstance(text, str):
            raise OptionError(f"cut takes one text (str), not {type(text).__name__}" +
                              (": decode it first" if isinstance(text, (bytes, bytearray)) else ""))
        return [word for line in self._segment_lines(text) for word in line.split(" ") if word]

    def segment(self, lines: Iterable[str], jobs: int = 1) -> Iterator[str]:
        """Each line segmented, words joined by single spaces, in order (without line breaks).

        ``lines`` is an iterable of lines: one string is refused (its characters would each be a
        line); give ``[text]``, or use :meth:`cut`.
        """
        if isinstance(lines, (str, bytes)):
            raise OptionError("segment takes lines (e.g. a list of str), not one string: give [text], or use cut()")
        if not isinstance(lines, Iterable):
            raise OptionError(f"segment takes lines (e.g. a list of str), not {type(lines).__name__}")
        return self._segmented(checked_lines(lines, "segment"), jobs)

    def _segmented(self, lines: Iterable[str], jobs: int) -> Iterator[str]:
        blocks = (line if line.endswith("\n") else line + "\n" for line in lines)
        pending = ""
        for text in self.segment_pieces(blocks, jobs):
            pending += text
            *done, pending = pending.split("\n")
            yield from done

    def segment_pieces(self, pieces: Iterable[str], jobs: int = 1) -> Iterator[str]:
        """Output text for input pieces (see :func:`wordmine.io.text.line_pieces`), on ``jobs`` processes."""
        return segmented_text(pieces, self._segment_lines, jobs)

    @property
    def entries(self) -> int:
        """How many n-grams (charlm, the crf's character model) or words (unigram) the model holds.

        0 for a model learned from nothing.
        """
        model = self.model.charlm if isinstance(self.model, CRFModel) else self.model
        if isinstance(model, CharLM):
            return sum(len(k) for k in model.keys)
        return len(model.keys) if isinstance(model, WordModel) else 0

    @property
    def summary(self) -> str:
        """One line saying what the model holds, for logs."""
        if isinstance(self.model, CRFModel):
            return (f"CRF over 2^{self.model.hash_bits} hashed features and the statistics of a "
                    f"{Segmenter('charlm', self.model.charlm).summary}")
        if isinstance(self.model, CharLM):
            return f"character model of order {self.model.order}, {sum(len(k) for k in self.model.keys):,} n-grams"
        if isinstance(self.model, WordModel):
            return f"{len(self.model.keys):,} words"
        return f"{self.method} segmenter"

    def description(self) -> list[tuple[str, object]]:
        """(field, value) rows: what the model is and what it was learned with (for ``wordmine info``).

        >>> Segmenter.from_lexicon([("天地", 3.0)]).description()
        [('method', 'unigram'), ('model', '1 words')]
        """
        rows: list[tuple[str, object]] = [("method", self.method), ("model", self.summary)]
        if isinstance(self.model, CRFModel):
            rows.append(("dictionary_words", len(self.model.dictionary)))
            if not self.model.learned_with:
                rows.append(("learned_with", "not recorded (a file written before wordmine recorded it)"))
            rows += [(key, "none" if value is None else value) for key, value in self.model.learned_with.items()]
        return rows

    def save(self, path: str) -> None:
        if self.model is None:
            raise ValueError(f"a {self.method} segmenter has no model to save; learn crf, charlm or unigram")
        write_model(self.model, path)

    @classmethod
    def load(cls, path: str) -> Segmenter:
        model = read_model(path)
        method = "crf" if isinstance(model, CRFModel) else "charlm" if isinstance(model, CharLM) else "unigram"
        return cls(method, model)

    @classmethod
    def from_lexicon(cls, rows: list[tuple[str, float]]) -> Segmenter:
        """A unigram segmenter over any word list with counts."""
        return cls("unigram", model_from_lexicon(rows))

    def __repr__(self) -> str:
        return f"Segmenter({self.method}: {self.summary})"


def learn_segmenter(corpus: Corpus, method: str = "crf", transitions: str = "scaled",
                    min_count: int | None = None, crf: CRFConfig | None = None,
                    gold: list[list[str]] | None = None, memory: int | None = None) -> Segmenter:
    """The segmenter of ``method`` learned from a counted corpus, with no labels.

    ``crf`` holds the CRF's own settings (its ``charlm`` field is replaced by
    ``transitions`` and ``min_count``); ``gold``, segmented lines as lists of
    words, joins the CRF's pseudo-labelled text. ``memory``, the budget in bytes,
    bounds how much of the text the CRF learns from (``MemoryPlan.crf_units``) and how many
    strings the adapted teacher's second witness tests (``MemoryPlan.witness_strings``).
    """
    with one_blas_thread():  # small products: extra BLAS threads only spin (wordmine.blas); same bits
        return _learn(corpus, method, transitions, min_count, crf, gold, memory)


def _learn(corpus: Corpus, method: str, transitions: str, min_count: int | None, crf: CRFConfig | None,
           gold: list[list[str]] | None, memory: int | None) -> Segmenter:
    charlm = CharLMConfig(transitions=transitions, min_count=min_count)
    if method == "crf":
        crf = crf or CRFConfig()
        plan = MemoryPlan.of(memory) if memory else None
        units = max(1, min(crf.max_units, plan.crf_units)) if plan else crf.max_units
        witness = plan.witness_strings if plan else crf.witness_strings
        return Segmenter(method, learn_crf(corpus, dataclasses.replace(crf, charlm=charlm, max_units=units,
                                                                       witness_strings=witness), gold))
    if method == "charlm":
        return Segmenter(method, learn_charlm(corpus, charlm))
    if method == "unigram":
        return Segmenter(method, learn(corpus, SegmentConfig(min_count=min_count)))
    if method == "classic":
        return Segmenter(method, segment_lines=classic_segmenter(corpus, min_count))
    raise ValueError(f"unknown method {method!r}: choose one of {', '.join(SEGMENT_METHODS)}")
