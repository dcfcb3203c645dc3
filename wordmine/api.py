"""The public Python API: what ``import wordmine`` gives, and what the command line calls.

Each function takes what a notebook has at hand, a path, an iterable of text
lines or an open text file, and the options of the matching command as keyword
arguments with the same names (``min_count``, ``memory``, ``jobs``, ...). Result
rows are dataclasses, so ``pandas.DataFrame(words)`` makes a table of them.

>>> import wordmine
>>> text = "，".join(s + v + o for s in ["黑猫", "白狗", "小鸟"] for v in ["喜欢", "讨厌"]
...                  for o in ["鱼", "骨头", "米粒"])
>>> lines = [text] * 5   # 18 clauses, each five times
>>> words = wordmine.discover(lines, min_count=3, top=3)
>>> [(w.word, w.count) for w in words]
[('喜欢', 45), ('讨厌', 45), ('黑猫', 30)]
>>> model = wordmine.learn(lines, min_count=3)
>>> model.cut("小鸟喜欢米粒！白狗讨厌鱼")
['小鸟', '喜欢', '米粒', '！', '白狗', '讨厌', '鱼']
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from wordmine.config import (
    ContrastConfig,
    CRFConfig,
    DiscoverConfig,
    check_budget,
    default_memory,
)
from wordmine.counting.cluster.shards import pruned_on_dask
from wordmine.counting.engine.heap import give_back_freed
from wordmine.counting.engine.merging import merge_corpora
from wordmine.counting.engine.sources import (  # noqa: F401 - Counting, count_sources, learning_reducer: the CLI's too
    Counting,
    Source,
    _is_path,
    count_sources,
    learning_reducer,
    reduce_count_file,
    text_blocks,
)
from wordmine.counting.files.countfile import is_count_file
from wordmine.counting.files.countstream import CountFileWriter
from wordmine.counting.files.filemerge import merge_count_files
from wordmine.counting.reducers.candidates import CandidateCounts
from wordmine.counting.table.corpus import Corpus
from wordmine.counts import Counts
from wordmine.errors import InputError, OptionError
from wordmine.io.text import read_blocks, text_source
from wordmine.lexicon import Lexicon
from wordmine.mining.contrast import Terms
from wordmine.mining.contrast import contrast as rank_contrast
from wordmine.mining.discover import discover as discover_lexicon
from wordmine.mining.examples import check_examples, word_examples
from wordmine.mining.jieba_dict import to_jieba  # noqa: F401 - re-exported: the public API
from wordmine.mining.known import known_words
from wordmine.mining.occurrences import Background, CorpusBackground, JiebaBackground, corpus_occurrences
from wordmine.mining.since import rank_rising
from wordmine.normalize import Vocabulary
from wordmine.segmentation.evaluation import Score
from wordmine.segmentation.evaluation import evaluate as evaluate_spans
from wordmine.segmentation.learning import Segmenter, learn_segmenter


@dataclass(frozen=True)
class Word:
    """One discovered word and its figures (the columns of ``wordmine discover``).

    With ``examples=N``, each word comes with N snippets of its use, from
    different places of the text (:mod:`wordmine.mining.examples`):

    >>> lines = [f"{who}说黑猫{verb}鱼。" for who in ["老王", "小李", "阿明"] for verb in ["喜欢", "讨厌"]] * 3
    >>> word = discover(lines, min_count=3, top=2, examples=3)[1]
    >>> word.word, word.examples
    ('喜欢', ('老王说黑猫【喜欢】鱼。', '阿明说黑猫【喜欢】鱼。', '小李说黑猫【喜欢】鱼。'))
    """

    word: str
    count: int
    cohesion: float
    left_entropy: float
    right_entropy: float
    score: float
    """The ranking: count times the smaller boundary entropy; with ``since``, the rise against the older corpus."""
    older_count: int | None = None
    """With ``since``: occurrences in the older corpus (as a string, also inside longer words)."""
    log_ratio: float | None = None
    """With ``since``: ln of the newer rate over the older one, half a count added to each side."""
    examples: tuple[str, ...] = ()
    """With ``examples=N``: up to N snippets of the word from different places of the text, the word marked 【so】."""


@dataclass(frozen=True)
class Term:
    """One domain term and its figures (the columns of ``wordmine contrast``)."""

    term: str
    domain_count: int
    general_count: float
    domain_per_million: float
    general_per_million: float
    log_ratio: float
    score: float


def _corpus(source: Source | Counts, order: int, counting: Counting, for_discovery: bool = False,
            min_count: int | None = None) -> Corpus:
    if isinstance(source, Counts):
        return source.reduced(order, counting, for_discovery=for_discovery, min_count=min_count)
    return count_sources([source], order, counting, for_discovery=for_discovery, min_count=min_count)


def count(source: Source, *, order: int = 4, memory: int | None = None, jobs: int | None = None,
          tmp_dir: str | None = None, encoding: str = "utf-8", save_to: str | os.PathLike[str] | None = None
          ) -> Counts:
    """Exact counts of all n-grams of orders 1..order+1, as ``wordmine count``.

    In memory; with ``save_to``, written to that ``.wmc`` file a range of first
    units at a time, as ``wordmine count -o``, and read from it a range at a time
    whenever used: the way to count text bigger than ``memory``.

    >>> counts = count(["天天向上"], order=1)
    >>> counts.total_units, counts.order
    (4, 1)
    """
    counting = Counting(memory, jobs, tmp_dir, encoding)
    if save_to is None:
        return Counts(_corpus(source, order, counting), counting=counting)
    writer = CountFileWriter(tmp_dir)
    try:
        corpus = count_sources([source], order, counting, reduce=writer)
        writer.finish(os.fspath(save_to), corpus.vocab, corpus.order, corpus.stream)
    finally:
        writer.close()
    return Counts.load(save_to, memory=memory, tmp_dir=tmp_dir)


def merge(counts: Iterable[Counts], *, save_to: str | os.PathLike[str] | None = None, memory: int | None = None,
          tmp_dir: str | None = None) -> Counts:
    """The counts of the concatenated corpora, as ``wordmine merge``.

    With ``save_to``, counts that are all count files are merged into that file a
    range at a time, as ``wordmine merge -o``; otherwise they are merged in memory.

    >>> merge([count(["天天"]), count(["向上"])]).total_units
    4
    """
    counts = list(counts)
    if save_to is not None and counts and not any(c.in_memory for c in counts):
        merge_count_files([c.path for c in counts], os.fspath(save_to), memory or default_memory(), tmp_dir)
        return Counts.load(save_to, memory=memory, tmp_dir=tmp_dir)
    merged = Counts(merge_corpora(c.corpus for c in counts), counting=Counting(memory=memory, tmp_dir=tmp_dir))
    if save_to is not None:
        merged.save(save_to)
    return merged


def lexicon_words(lexicon: Lexicon) -> list[Word]:
    """The rows of a lexicon as :class:`Word` values, in rank order."""
    return [Word(w, int(c), float(h), float(le), float(r), float(s)) for w, c, h, le, r, s in zip(
        lexicon.words, lexicon.count, lexicon.cohesion, lexicon.left_entropy, lexicon.right_entropy,
        lexicon.score)]


def discover_in(corpus: Corpus, config: DiscoverConfig, known: frozenset[str] | None = None,
                top: int | None = None) -> Lexicon:
    """Discovery on a counted corpus: the step ``discover`` and the command line share.

    ``known``: the words to leave out (:func:`wordmine.mining.known.known_words`), or None.
    """
    lexicon = discover_lexicon(corpus, config, known)
    if top is not None:
        lexicon = lexicon.take(list(range(min(len(lexicon), top))))
    return lexicon


def candidate_background(general: list[Source] | Counts, words: list[str], counting: Counting,
                         on_bytes: Callable[[int], None] | None = None) -> CorpusBackground:
    """The counts of ``words`` in ``general`` (text sources, one count file, or Counts), within the budget.

    Of the general text only the units and the candidates' counts are kept, as
    the partitions pass, so that its tables stay small (wordmine.counting.reducers.candidates).
    """
    vocab = Vocabulary()
    keep = CandidateCounts(tuple(words), vocab)
    if isinstance(general, Counts):
        return CorpusBackground(general.reduced(4, counting, vocab=vocab, reduce=keep))
    give_back_freed()  # what discovery freed, returned before the counting workers fork
    return CorpusBackground(count_sources(general, 4, counting, on_bytes, vocab=vocab, reduce=keep))


def check_discover_options(examples: int, counted: bool, since: Source | Counts | None) -> None:
    """Refuse, before any work, ``discover`` options that cannot work (one check for the API and the CLI)."""
    check_examples(examples)
    if examples and counted:
        raise OptionError("--examples quotes the text, and a count file holds none: give the text files")
    if since is not None and _is_path(since) and os.fspath(since) != "-" and not os.path.isfile(since):
        raise InputError(f"--since {os.fspath(since)}: no such file")


def finish_words(corpus: Corpus, lexicon: Lexicon, counting: Counting, top: int | None = None,
                 since: Source | Counts | None = None, examples: int = 0, text: list[Source] | None = None,
                 on_bytes: Callable[[int], None] | None = None) -> list[Word]:
    """The rows of discovered words: ranked by their rise against ``since`` if given, cut to ``top``,
    with ``examples`` snippets each from ``text`` (the sources counted, read once more)."""
    older = None
    if since is not None:
        background = candidate_background(since if isinstance(since, Counts) else [since], lexicon.words, counting,
                                          on_bytes)
        order, older_count, ratio, rise = rank_rising(lexicon, corpus_occurrences(corpus, lexicon.words),
                                                      background.occurrences(lexicon.words), corpus.total_units,
                                                      background.total)
        lexicon = dataclasses.replace(lexicon.take(order), score=rise)
        older = (older_count, ratio)
    words = lexicon_words(lexicon)[:top]
    if older is not None:
        words = [dataclasses.replace(w, older_count=round(float(b)), log_ratio=float(r))
                 for w, b, r in zip(words, *older)]
    if examples and words:
        blocks = text_blocks(text or [], counting.encoding, errors=counting.errors)
        snippets = word_examples(blocks, [w.word for w in words], examples, at_least=[w.count for w in words])
        words = [dataclasses.replace(w, examples=tuple(s)) for w, s in zip(words, snippets)]
    return words


def discover(source: Source | Counts, *, top: int | None = None, min_count: int | None = None, order: int = 4,
             min_len: int = 2, max_len: int = 12, new_only: bool = False, no_numbers: bool = False,
             no_redundancy: bool = False, memory: int | None = None, jobs: int | None = None, tmp_dir: str | None = None,
             encoding: str = "utf-8", dask: str | None = None, known: Iterable[str | os.PathLike[str]] | None = None,
             examples: int = 0, since: Source | Counts | None = None) -> list[Word]:
    """The words of a corpus, best first, as ``wordmine discover``.

    With ``dask`` (a scheduler address, or ``local:N``), ``source`` is a list of
    shard paths, counted and pruned on that Dask cluster as ``discover --dask``:
    ``discover(["a.txt", "b.txt"], dask="local:2")``.

    ``known``: lexicon files whose words count as known too (one word a line,
    or jieba's ``word freq tag``; ``"none"`` leaves jieba's dictionary out); it
    implies ``new_only``. ``examples``: snippets of each word
    (:attr:`Word.examples`), from one more reading of the text (a source that
    is not a path is first copied to a temporary file in ``tmp_dir``).
    ``since``: an older corpus (a text, a count file or :class:`Counts`); the
    words whose rate rose most against it, best first (:mod:`wordmine.mining.since`).

    >>> words = discover(["黑猫喜欢鱼，白狗讨厌鱼，黑猫讨厌白狗"] * 3, min_count=3)
    >>> [(w.word, w.count) for w in words]
    [('白狗', 6), ('黑猫', 6), ('讨厌', 6), ('喜欢', 3)]
    """
    counting = Counting(memory, jobs, tmp_dir, encoding)
    counted = isinstance(source, Counts) or (_is_path(source) and is_count_file(os.fspath(source)))
    check_discover_options(examples, counted, since)
    known_paths = [known] if isinstance(known, (str, os.PathLike)) else known
    known_set = known_words(known_paths, encoding) if new_only or known_paths else None
    with _readable_twice(source if examples and dask is None else None, encoding, tmp_dir) as text:
        if dask is not None:
            shards = [os.fspath(source)] if _is_path(source) else [os.fspath(p) for p in source]
            config = dataclasses.replace(counting.config(order, prune=True, min_count=min_count), jobs=1)
            corpus = pruned_on_dask(dask, shards, config, encoding)
            text = shards
        else:
            corpus = _corpus(text[0] if text else source, order, counting, for_discovery=True, min_count=min_count)
        if corpus.order < order:
            raise ValueError(f"the counts have order {corpus.order}; count again with order={order}")
        config = DiscoverConfig(order=order, min_count=min_count, min_len=min_len, max_len=max_len,
                                redundancy=not no_redundancy, numbers=not no_numbers)
        lexicon = discover_in(corpus, config, known_set)
        return finish_words(corpus, lexicon, counting, top, since, examples, text)


@contextlib.contextmanager
def _readable_twice(source: Source | None, encoding: str, tmp_dir: str | None) -> Iterator[list[Source] | None]:
    """``[source]`` if it is a path (None for None); any other source copied to a temporary file first."""
    if source is None or _is_path(source):
        yield None if source is None else [source]
        return
    with tempfile.NamedTemporaryFile("w", encoding=encoding, dir=tmp_dir, prefix="wordmine-text-",
                                     suffix=".txt") as spool:
        spool.writelines(text_blocks([source]))
        spool.flush()
        yield [spool.name]


def terms_rows(terms: Terms, top: int | None = None) -> list[Term]:
    """The rows of ranked terms as :class:`Term` values."""
    rows = []
    for row in terms.rows():
        if top is not None and len(rows) >= top:
            break
        rows.append(Term(*(row[name] for name in Term.__dataclass_fields__)))
    return rows


def contrast_terms(domain: str, general: list[Source] | Counts | None, method: str, min_count: int | None,
                   counting: Counting, on_bytes: Callable[[int], None] | None = None,
                   warn: Callable[[str], None] | None = None) -> Terms:
    """Rank the terms of the ``domain`` file against ``general`` (None: jieba's dictionary).

    The step that ``contrast`` and the command line share. ``topical`` reads the
    domain file a second time, for its line counts; a count file has no lines, so
    it is ranked by ``salience`` (and ``warn`` is told).
    """
    # The budget checked against both sides before any work (a big general side would else be refused
    # only after the domain was counted).
    general_paths = [] if general is None or isinstance(general, Counts) else general
    check_budget(counting.config(4).memory, sum(os.path.getsize(s) for s in [domain, *general_paths]
                                                if _is_path(s) and os.fspath(s) != "-" and os.path.isfile(s)))
    if method == "topical" and is_count_file(domain):
        if warn:
            warn("DOMAIN is a count file, which has no lines: ranking by salience instead of topical")
        method = "salience"
    # The domain's candidates are discovered words, counted min_count times or more: pruned counts serve.
    domain_corpus = count_sources([domain], 4, counting, on_bytes, for_discovery=True, min_count=min_count)
    lexicon = discover_lexicon(domain_corpus, DiscoverConfig(min_count=min_count))
    background: Background
    if general is None or (not isinstance(general, Counts) and not general):
        background = JiebaBackground()
    else:
        background = candidate_background(general, lexicon.words, counting, on_bytes)
        if warn and background.total * 4 < domain_corpus.total_units:
            warn(f"warning: the general corpus ({background.total:,} units) is much smaller than the domain "
                 f"corpus ({domain_corpus.total_units:,}); general counts are sparse and scores unreliable")
    domain_text = (read_blocks([text_source(domain)], counting.encoding, errors=counting.errors)
                   if method == "topical" else None)
    return rank_contrast(domain_corpus, lexicon, background, ContrastConfig(method=method), domain_text, warn)


def contrast(domain: Source, general: Iterable[Source] | Counts | None = None, *, top: int | None = None,
             method: str = "topical", min_count: int | None = None, memory: int | None = None,
             jobs: int | None = None, tmp_dir: str | None = None, encoding: str = "utf-8") -> list[Term]:
    """The terms that characterise ``domain`` against ``general``, best first, as ``wordmine contrast``.

    ``general`` is a list of sources, or :class:`Counts`; None ranks against
    jieba's dictionary frequencies. A domain that is not a path is first copied
    to a temporary file in ``tmp_dir``, since the default method reads it twice.

    >>> domain = ["病人服用阿莫西林后发烧", "阿莫西林治疗感染"] * 30
    >>> general = ["今天天气很好，我们去公园散步"] * 60
    >>> best = contrast(domain, [general], min_count=5, top=1)[0]
    >>> best.term, best.domain_count, best.general_count
    ('阿莫西林', 60, 0)
    """
    counting = Counting(memory, jobs, tmp_dir, encoding)
    general_sources = general if general is None or isinstance(general, Counts) else list(general)
    if _is_path(domain):
        return terms_rows(contrast_terms(os.fspath(domain), general_sources, method, min_count, counting), top)
    with tempfile.NamedTemporaryFile("w", encoding=encoding, dir=tmp_dir, prefix="wordmine-domain-",
                                     suffix=".txt") as spool:
        spool.writelines(text_blocks([domain]))
        spool.flush()
        return terms_rows(contrast_terms(spool.name, general_sources, method, min_count, counting), top)


def learn(source: Source | Counts, *, method: str = "crf", transitions: str = "scaled",
          min_count: int | None = None, memory: int | None = None, jobs: int | None = None,
          tmp_dir: str | None = None, encoding: str = "utf-8", crf: CRFConfig | None = None,
          gold: Iterable[str] | None = None) -> Segmenter:
    """A segmenter learned from raw text with no labels, as ``wordmine learn``.

    ``method`` is ``crf`` (the default), ``charlm``, ``unigram`` or ``classic``
    (jieba's path over the discovered lexicon; it cannot be saved). ``crf`` sets
    the CRF's teacher, dictionary and learning; ``gold`` (segmented lines, words
    separated by spaces) adds labelled lines to what the CRF learns from.
    """
    counting = Counting(memory, jobs, tmp_dir, encoding)
    keep = learning_reducer(counting.config(4).memory)
    if isinstance(source, Counts):
        corpus = source.reduced(4, counting, reduce=keep)
    else:
        corpus = count_sources([source], 4, counting, reduce=keep)
    gold_words = [line.split() for line in gold if line.strip()] if gold is not None else None
    return learn_segmenter(corpus, method, transitions=transitions, min_count=min_count, crf=crf, gold=gold_words,
                           memory=counting.config(4).memory)


def load(path: str | os.PathLike[str]) -> Segmenter:
    """A segmenter saved by ``Segmenter.save`` or ``wordmine learn -o``."""
    return Segmenter.load(os.fspath(path))


def evaluate(gold: Iterable[str], predicted: Iterable[str], words: Iterable[str] | None = None) -> Score:
    """Precision, recall and F1 of word spans, as ``wordmine eval`` (OOV recall with ``words``).

    >>> score = evaluate(["我 爱 北京"], ["我爱 北京"])
    >>> round(score.precision, 2), round(score.recall, 2)
    (0.5, 0.33)
    """
    gold_lines = [line.rstrip("\n") for line in gold]
    predicted_lines = [line.rstrip("\n") for line in predicted]
    return evaluate_spans(gold_lines, predicted_lines, set(words) if words is not None else None)

