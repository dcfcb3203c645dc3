"""The classic protocol, the baseline the other segmenters must beat.

The lexicon that ``discover`` finds becomes jieba's dictionary, and jieba's
maximum-probability path over its word graph (with the HMM for unknown words
off) segments the text: the evaluation protocol of Su Jianlin, "【中文分词系列】
2. 基于切分的新词发现", 2016, https://kexue.fm/archives/3913. jieba: Sun Junyi,
https://github.com/fxsjy/jieba.
"""

from __future__ import annotations

from wordmine.config import DiscoverConfig
from wordmine.counting.corpus import Corpus
from wordmine.mining.discover import discover


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
