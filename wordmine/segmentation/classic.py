"""The classic protocol, the baseline the other segmenters must beat.

The lexicon that ``discover`` finds becomes jieba's dictionary, and jieba's
maximum-probability path over its word graph (with the HMM for unknown words
off) segments the text: the evaluation protocol of Su Jianlin, "【中文分词系列】
2. 基于切分的新词发现", 2016, https://kexue.fm/archives/3913. jieba: Sun Junyi,
https://github.com/fxsjy/jieba.
"""

from __future__ import annotations

import functools
import os
import tempfile

from wordmine.config import DiscoverConfig
from wordmine.counting.table.corpus import Corpus
from wordmine.io.tables import jieba_tokenizer
from wordmine.mining.discover import discover
from wordmine.segmentation.lossless import segment_text
from wordmine.segmentation.unigram import at_least_pruned, model_from_lexicon


def classic_segmenter(corpus: Corpus, min_count: int | None = None):
    """The classic protocol, the baseline to beat: the discovered lexicon as jieba's
    dictionary and jieba's maximum-probability path (``HMM=False``).

    Returns a function from text to output lines, like :func:`segment_text`.
    """
    lexicon = discover(corpus, DiscoverConfig(min_count=at_least_pruned(corpus, min_count)))
    if not lexicon.words:
        # jieba cannot take an empty dictionary (it divides by its total): every unit is a word.
        return functools.partial(segment_text, model=model_from_lexicon([]))
    # jieba's public way to use a dictionary of our own: a file, read once by initialize(),
    # with its cache in a folder of ours that goes with the file. Its global tokenizer,
    # default dictionary and /tmp cache are left alone.
    with tempfile.TemporaryDirectory(prefix="wordmine-jieba-") as folder:
        path = os.path.join(folder, "lexicon.txt")
        with open(path, "w", encoding="utf-8") as handle:
            handle.writelines(f"{word} {count}\n" for word, count in zip(lexicon.words, lexicon.count.tolist()))
        tokenizer = jieba_tokenizer(path, cache_dir=folder)

    def segment(text: str) -> list[str]:
        lines = text.split("\n")
        if text.endswith("\n"):
            lines.pop()
        return [" ".join("".join(t.split()) for t in tokenizer.cut(line, HMM=False) if t.strip()) for line in lines]

    return segment
