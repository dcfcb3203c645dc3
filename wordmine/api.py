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
import gc
import os
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from wordmine.checks import (
    check_choice,
    check_encoding,
    check_examples,
    check_jobs,
    check_memory,
    check_optional,
    check_range,
    check_scheduler,
    check_stdin_once,
    checked_lines,
    refuse,
)
from wordmine.config import (
    ADAPT_TEACHERS,
    CONTRAST_METHODS,
    COUNT_ORDERS,
    DISCOVER_ORDERS,
    LEARN_METHODS,
    LEARN_ORDER,
    SEGMENT_METHODS,
    TRANSITION_MODES,
    WORKER_INPUT_UNITS,
    ContrastConfig,
    CountConfig,
    CRFConfig,
    DiscoverConfig,
    auto_min_count,
    capped_jobs,
    check_budget,
    default_jobs,
    default_memory,
    format_size,
)
from wordmine.counting.engine.heap import freed_arrays_kept, give_back_freed
from wordmine.counting.engine.sources import (  # noqa: F401 - CountingOptions, count_sources, learning_reducer: the CLI's too
    CountingOptions,
    Source,
    _is_path,
    count_sources,
    learning_reducer,
    reduce_count_file,
    text_blocks,
)
from wordmine.counting.files.countfile import is_count_file
from wordmine.counts import Counts
from wordmine.errors import InputError, OptionError
from wordmine.io.tables import FORMATS, read_word_counts
from wordmine.io.tables import write_rows as write_table_rows
from wordmine.io.text import (
    ERRORS,
    PIECE_BYTES,
    atomic_output,
    line_pieces,
    read_blocks,
    replayable,
    text_source,
    whole_lines,
)
from wordmine.mining.discover import discover as discover_lexicon

# Only what counting and discovery need is imported with the API: `wordmine discover` on a small
# file is mostly start-up. Every other stage (contrast, the known words, segmentation, merging
# count files, ...) is imported by the function that uses it, the first time it runs.
if TYPE_CHECKING:
    from wordmine.counting.table.corpus import Corpus
    from wordmine.lexicon import Lexicon
    from wordmine.mining.contrast import Terms
    from wordmine.mining.occurrences import Background, CorpusBackground
    from wordmine.segmentation.evaluation import Score
    from wordmine.segmentation.learning import Segmenter

__all__ = ["ERRORS", "FORMATS", "LEARN_METHODS", "SEGMENT_METHODS", "atomic_output"]


@dataclass(frozen=True)
class Files:
    """Several files read as one corpus, in their order (``-`` is standard input, read once).

    What the command line passes for its INPUTS; no paths at all means standard
    input. A count file is read instead of counted, and must then be the only one.

    >>> Files(("a.txt", "b.txt")).paths
    ('a.txt', 'b.txt')
    """

    paths: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "paths", tuple(os.fspath(p) for p in self.paths) or ("-",))
        check_stdin_once(self.paths)

    @property
    def size(self) -> int | None:
        """Bytes to read, when every path has a size (standard input and pipes have none)."""
        sizes = [text_source(p).size for p in self.paths]
        return None if any(s is None for s in sizes) else sum(sizes)


@dataclass(frozen=True)
class Hooks:
    """What a long call tells its caller as it goes; every hook is optional.

    ``on_bytes(n)``: n more bytes of input read (a progress bar's update);
    ``say(line)``: the one line that sums a run up ("668 words (min count 3)"),
    and notes the caller should see (bytes replaced under ``errors``);
    ``detail(line)``: the budget, worker processes and spill folder of a run;
    ``warn(line)``: what may make the result unreliable.
    """

    on_bytes: Callable[[int], None] | None = None
    say: Callable[[str], None] | None = None
    detail: Callable[[str], None] | None = None
    warn: Callable[[str], None] | None = None

    def tell(self, kind: str, message: str) -> None:
        hook = getattr(self, kind)
        if hook is not None:
            hook(message)


_QUIET = Hooks()


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
    """The ranking: count times the smaller boundary entropy; with ``new_only``, the evidence that the word is new
    (Dunning's G2, :func:`wordmine.mining.surprise.rank_by_evidence`); with ``since``, the rise against the older
    corpus."""
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


# The sources and options every function reads, checked once (wordmine.checks).

def _sources(source: object, name: str = "source") -> list[Source]:
    """``source`` as the list of sources the counter reads: a path (a str is always one path), the
    paths of :class:`Files`, an iterable of text lines or an open text file."""
    if isinstance(source, Files):
        return list(source.paths)
    if _is_path(source):
        return [os.fspath(source)]
    if isinstance(source, (bytes, bytearray)) or not isinstance(source, Iterable):
        raise refuse(name, f"{type(source).__name__} is not a source: give a path, an iterable of text "
                     "lines or an open text file")
    return [checked_lines(source, name)]


def _counting(memory: object, jobs: object, tmp_dir: str | None, encoding: object, errors: object,
              hooks: Hooks, input_bytes: int | None = None) -> CountingOptions:
    """The counting options, checked; workers capped by cores and input size (said when --jobs asked more)."""
    check_choice("errors", errors, ERRORS)
    asked = check_jobs(jobs)
    workers = capped_jobs(asked or default_jobs(), input_bytes)
    if asked is not None and workers < asked:
        size = "" if input_bytes is None else f" and {format_size(input_bytes)} of input"
        hooks.tell("say", f"--jobs {asked}: counting with {workers} worker{'s' if workers > 1 else ''} "
                   f"({default_jobs()} cores{size})")

    def undecodable(source_name: str, n: int) -> None:
        done = "replaced by U+FFFD" if errors == "replace" else "skipped"
        hooks.tell("say", f"{source_name}: {n:,} undecodable byte{'s' if n > 1 else ''} {done} (--errors {errors})")

    # An input of unknown size (standard input, lines) is counted here until it proves large enough for workers.
    after = WORKER_INPUT_UNITS if input_bytes is None else 0
    return CountingOptions(check_memory(memory), workers, tmp_dir, check_encoding(encoding), errors, undecodable,
                           workers_after=after)


def _size(sources: list[Source]) -> int | None:
    paths = [s for s in sources if _is_path(s)]
    return Files(tuple(paths)).size if len(paths) == len(sources) else None


def _count(sources: list[Source], order: int, counting: CountingOptions, hooks: Hooks, **keep) -> Corpus:
    """Count the sources (or read the one count file among them), kept as ``keep`` says (see
    ``count_sources``); the budget and what was read told to ``hooks.detail``."""
    count_files = [s for s in sources if _is_path(s) and is_count_file(os.fspath(s))]
    if count_files and len(sources) > 1:
        raise OptionError("give one count file, or text files, not both")
    if count_files:
        corpus = count_sources(sources, order, counting, **keep)
        hooks.tell("detail", f"{count_files[0]}: {corpus.total_units:,} units counted to order {corpus.order + 1}")
        return corpus
    memory = counting.config(order).memory

    def started(spill_folder: str, workers: list[int]) -> None:
        who = f"worker processes {' '.join(map(str, workers))}" if workers else "counting in this process"
        hooks.tell("detail", f"memory budget {format_size(memory)} (--memory), {max(len(workers), 1)} worker"
                   f"{'s' if len(workers) > 1 else ''} (--jobs); spill folder {spill_folder}; {who}")

    with freed_arrays_kept(counting.config(order).plan.heap_keep):
        corpus = count_sources(sources, order, counting, on_bytes=hooks.on_bytes, on_start=started, **keep)
    hooks.tell("detail", f"read {corpus.total_units:,} units, {len(corpus.vocab) - 1:,} distinct")
    return corpus


def _shards(source: object) -> list[str]:
    """The named text files a Dask cluster reads, one shard each."""
    paths = list(source.paths) if isinstance(source, Files) else [source] if _is_path(source) else None
    if paths is None:
        paths = list(source) if isinstance(source, (list, tuple)) and all(_is_path(p) for p in source) else []
    paths = [os.fspath(p) for p in paths]
    if not paths or "-" in paths or any(is_count_file(p) for p in paths):
        raise OptionError("--dask reads named text shard files, not standard input or count files")
    return paths


def _on_dask(scheduler: str, source: object, order: int, counting: CountingOptions, hooks: Hooks,
             prune: bool = False, min_count: int | None = None) -> Corpus:
    """The one Dask path: shards counted (and, for discovery, pruned) on a cluster."""
    from wordmine.counting.cluster.shards import count_on_dask, pruned_on_dask  # deferred: an optional extra

    shards = _shards(source)
    hooks.tell("detail", f"counting{' and pruning' if prune else ''} {len(shards)} shards on Dask ({scheduler})")
    config = dataclasses.replace(counting.config(order, prune=prune, min_count=min_count), jobs=1)
    if prune:
        corpus = pruned_on_dask(scheduler, shards, config, counting.encoding)
    else:
        corpus = count_on_dask(scheduler, shards, dataclasses.replace(config, prune=False), counting.encoding)
    hooks.tell("detail", f"read {corpus.total_units:,} units, {len(corpus.vocab) - 1:,} distinct")
    return corpus


# count and merge

def count(source: Source | Files, *, order: int = CountConfig.order, memory: int | str | None = None,
          jobs: int | None = None, tmp_dir: str | None = None, encoding: str = "utf-8", errors: str = "strict",
          save_to: str | os.PathLike[str] | None = None, dask: str | None = None, hooks: Hooks | None = None
          ) -> Counts:
    """Exact counts of all n-grams of orders 1..order+1, as ``wordmine count``.

    In memory; with ``save_to``, written to that ``.wmc`` file a range of first
    units at a time, as ``wordmine count -o``, and read from it a range at a time
    whenever used: the way to count text bigger than ``memory``. With ``dask``
    (a scheduler address, or ``local:N``), ``source`` names shard files counted
    on that cluster.

    >>> counts = count(["天天向上"], order=1)
    >>> counts.total_units, counts.order
    (4, 1)
    """
    hooks = hooks or _QUIET
    order = check_range("order", order, *COUNT_ORDERS)
    sources = _sources(source)
    counting = _counting(memory, jobs, tmp_dir, encoding, errors, hooks, _size(sources))
    if dask is not None:
        counts = Counts(_on_dask(check_scheduler(dask), source, order, counting, hooks), counting=counting)
        if save_to is not None:
            counts.save(save_to)
        return counts
    if save_to is None:
        return Counts(_count(sources, order, counting, hooks), counting=counting)
    from wordmine.counting.files.countstream import CountFileWriter
    from wordmine.counting.spill.runs import spill_error

    writer = CountFileWriter(tmp_dir)
    try:
        corpus = _count(sources, order, counting, hooks, reduce=writer)
        writer.finish(os.fspath(save_to), corpus.vocab, corpus.order, corpus.stream)
    except OSError as exc:  # writing the segments, or reading them back
        raise spill_error(tmp_dir, exc) from None
    finally:
        writer.close()
    return Counts._written(os.fspath(save_to), corpus.order, corpus.total_units,
                           CountingOptions(memory=counting.memory, tmp_dir=tmp_dir))


def ngrams(source: Source | Files, *, order: int = CountConfig.order, min_count: int = 1, top: int | None = None,
           memory: int | str | None = None, jobs: int | None = None, tmp_dir: str | None = None,
           encoding: str = "utf-8", errors: str = "strict", dask: str | None = None, hooks: Hooks | None = None
           ) -> Iterator[tuple[str, int, int]]:
    """(n-gram, order, count) of every order, most frequent first: the rows of ``wordmine count``.

    The counts pass a range of first units at a time, each range ranked as it
    goes (a bounded top-N, or sorted runs merged from disk): the whole table is
    never held. The options are checked at once; the counting starts with the
    first row asked for.

    >>> list(ngrams(["天天向上"], order=1, min_count=2))
    [('天', 1, 2)]
    """
    hooks = hooks or _QUIET
    order = check_range("order", order, *COUNT_ORDERS)
    min_count = check_range("min_count", min_count, 1)
    top = check_optional("top", top, 0)
    sources = _sources(source)
    counting = _counting(memory, jobs, tmp_dir, encoding, errors, hooks, _size(sources))
    if dask is not None:
        corpus = _on_dask(check_scheduler(dask), source, order, counting, hooks)
        return Counts(corpus, counting=counting).ngrams(min_count, top)
    return _listed(sources, order, min_count, top, counting, hooks)


def _listed(sources: list[Source], order: int, min_count: int, top: int | None, counting: CountingOptions,
            hooks: Hooks) -> Iterator[tuple[str, int, int]]:
    from wordmine.counting.reducers.listing import listing_reducer, ranked_rows
    from wordmine.counting.spill.runs import spill_error

    reducer = listing_reducer(order, min_count, top, counting.tmp_dir)
    try:
        corpus = _count(sources, order, counting, hooks, reduce=reducer)
        rows = ranked_rows(reducer, corpus.vocab, top, counting.config(order).plan.rank_block_rows)
        for row in rows:
            yield row["ngram"], row["order"], row["count"]
    except OSError as exc:  # writing the ranked runs, or reading them back
        raise spill_error(counting.tmp_dir, exc) from None
    finally:
        reducer.close()


def merge(counts: Iterable[Counts | str | os.PathLike[str]], *, save_to: str | os.PathLike[str] | None = None,
          memory: int | str | None = None, tmp_dir: str | None = None, hooks: Hooks | None = None) -> Counts:
    """The counts of the concatenated corpora, as ``wordmine merge``.

    ``counts`` are :class:`Counts` or paths of count files. With ``save_to``,
    counts that are all count files are merged into that file a range at a
    time, as ``wordmine merge -o``; otherwise they are merged in memory.

    >>> merge([count(["天天"]), count(["向上"])]).total_units
    4
    """
    from wordmine.counting.engine.corpusmerge import merge_corpora
    from wordmine.counting.files.filemerge import merge_count_files

    hooks = hooks or _QUIET
    memory = check_memory(memory)
    loaded = []
    for item in counts:
        if isinstance(item, Counts):
            loaded.append(item)
        elif _is_path(item) and is_count_file(os.fspath(item)):
            loaded.append(Counts.load(item, memory=memory, tmp_dir=tmp_dir))
        else:
            raise refuse("counts", f"{item} is not a count file (make one with wordmine count -o FILE.wmc)")
    if save_to is not None and loaded and not any(c.in_memory for c in loaded):
        budget = memory or default_memory()
        hooks.tell("detail", f"memory budget {format_size(budget)} (--memory); merging {len(loaded)} count files")
        merged = merge_count_files([c.path for c in loaded], os.fspath(save_to), budget, tmp_dir)
        hooks.tell("say", f"merged {merged.files} count files, {merged.units:,} units; wrote {os.fspath(save_to)}")
        return Counts.load(save_to, memory=memory, tmp_dir=tmp_dir)
    merged_counts = Counts(merge_corpora(c.corpus for c in loaded), counting=CountingOptions(memory=memory, tmp_dir=tmp_dir))
    if save_to is not None:
        merged_counts.save(save_to)
    return merged_counts


# discover and contrast

def lexicon_words(lexicon: Lexicon) -> list[Word]:
    """The rows of a lexicon as :class:`Word` values, in rank order."""
    return [Word(w, int(c), float(h), float(le), float(r), float(s)) for w, c, h, le, r, s in zip(
        lexicon.words, lexicon.count, lexicon.cohesion, lexicon.left_entropy, lexicon.right_entropy,
        lexicon.score)]


def discover_in(corpus: Corpus, config: DiscoverConfig, new_only: bool = False,
                top: int | None = None, known: Collection[str] | None = None,
                witness_strings: int | None = None) -> Lexicon:
    """Discovery on a counted corpus: the step ``discover`` and the command line share.

    ``new_only``: only the new words (:mod:`wordmine.mining.novelty`: not
    known, not a fragment, not a phrase of words jieba knows), among the
    words found and the strings under the cohesion bar that jieba's model
    cannot explain (:mod:`wordmine.mining.surprise`), ranked by that
    evidence (``surprise.rank_by_evidence``); ``known``: the known
    lexicon for ``new_only`` (None: jieba's dictionary); ``witness_strings``:
    how many of those strings are tested at most (``MemoryPlan.witness_strings``;
    None: the default budget's).
    """
    if new_only:  # every word found, numbers too, is a longer word that a fragment may sit in
        from wordmine.mining.novelty import jieba_known, new_words
        from wordmine.mining.surprise import rank_by_evidence, with_surprises

        found = discover_lexicon(corpus, dataclasses.replace(config, numbers=True))
        # and the strings below the cohesion bar that jieba's model cannot explain (mining.surprise)
        found = with_surprises(corpus, config, found, jieba_known() if known is None else known,
                               witness_strings)
        lexicon = new_words(found, corpus, known, numbers=config.numbers)
        # ranked by the evidence that they are new (mining.surprise: G2 against jieba's and the corpus' nulls)
        lexicon = rank_by_evidence(lexicon, corpus.counts.total)
    else:
        lexicon = discover_lexicon(corpus, config)
    if top is not None:
        lexicon = lexicon.take(list(range(min(len(lexicon), top))))
    return lexicon


def _discovered(source: Source | Counts | Files, top: int | None, min_count: int | None, order: int, min_len: int,
                max_len: int, new_only: bool, no_numbers: bool, no_redundancy: bool, memory: object, jobs: object,
                tmp_dir: str | None, encoding: object, errors: object, dask: str | None,
                hooks: Hooks | None, known: object = None) -> tuple[Lexicon, Corpus, CountingOptions]:
    """The lexicon of ``discover`` (``top`` words), the corpus it was found in and the options it was counted with.

    ``known``: lexicon files whose words are known too (:func:`wordmine.mining.known.known_words`);
    giving any implies ``new_only``."""
    hooks = hooks or _QUIET
    order = check_range("order", order, *DISCOVER_ORDERS)
    top = check_optional("top", top, 0)
    min_count = check_optional("min_count", min_count, 1)
    min_len = check_range("min_len", min_len, 1)
    max_len = check_range("max_len", max_len, 1)
    if min_len > max_len:
        raise refuse("min_len", f"{min_len} is larger than max_len, {max_len}")
    sources = [] if isinstance(source, Counts) else _sources(source) if dask is None else []
    counting = _counting(memory, jobs, tmp_dir, encoding, errors, hooks, _size(sources) if sources else None)
    if dask is not None:
        corpus = _on_dask(check_scheduler(dask), source, order, counting, hooks, prune=True, min_count=min_count)
    elif isinstance(source, Counts):
        corpus = source.reduced(order, counting, for_discovery=True, min_count=min_count)
    else:
        corpus = _count(sources, order, counting, hooks, for_discovery=True, min_count=min_count)
    if corpus.order < order:
        named = sources[0] if len(sources) == 1 and _is_path(sources[0]) else None
        again = f"discover --order {corpus.order} {named}" if named else f"order={corpus.order}"
        raise refuse("order", f"{named or 'the counts'} counted to order {corpus.order} (count --order "
                     f"{corpus.order}): give {again}, or count again with --order {order}")
    config = counting.discovery(order=order, min_count=min_count, min_len=min_len, max_len=max_len,
                                redundancy=not no_redundancy, numbers=not no_numbers)
    known_paths = [known] if isinstance(known, (str, os.PathLike)) else list(known or [])
    known_set = None
    if new_only or known_paths:  # jieba's words and the files', looked up through simplified forms as well
        from wordmine.mining.known import known_words

        known_set = known_words(known_paths, counting.encoding)
    lexicon = discover_in(corpus, config, new_only or bool(known_paths), known=known_set,
                          witness_strings=counting.plan().witness_strings)
    hooks.tell("say", f"{len(lexicon):,} words (min count {min_count or auto_min_count(max(corpus.total_units, 1))})"
               f" in {corpus.total_units:,} units")
    if top is not None:
        lexicon = lexicon.take(list(range(min(len(lexicon), top))))
    return lexicon, corpus, counting


def candidate_background(general: list[Source] | Counts, words: list[str], counting: CountingOptions,
                         on_bytes: Callable[[int], None] | None = None) -> CorpusBackground:
    """The counts of ``words`` in ``general`` (text sources, one count file, or Counts), within the budget.

    Of the general text only the units and the candidates' counts are kept, as
    the partitions pass, so that its tables stay small (wordmine.counting.reducers.candidates).
    """
    from wordmine.counting.reducers.candidates import CandidatePruning
    from wordmine.mining.occurrences import CorpusBackground
    from wordmine.normalize import Vocabulary

    vocab = Vocabulary()
    keep = CandidatePruning(tuple(words), vocab)
    if isinstance(general, Counts):
        return CorpusBackground(general.reduced(LEARN_ORDER, counting, vocab=vocab, reduce=keep))
    give_back_freed()  # what discovery freed, returned before the counting workers fork
    return CorpusBackground(count_sources(general, LEARN_ORDER, counting, on_bytes, vocab=vocab, reduce=keep))


def check_discover_options(examples: int, counted: bool, since: Source | Counts | None) -> None:
    """Refuse, before any work, ``discover`` options that cannot work (one check for the API and the CLI)."""
    check_examples(examples)
    if examples and counted:
        raise OptionError("--examples quotes the text, and a count file holds none: give the text files")
    if since is not None and _is_path(since) and os.fspath(since) != "-" and not os.path.isfile(since):
        raise InputError(f"--since {os.fspath(since)}: no such file")


def finish_words(corpus: Corpus, lexicon: Lexicon, counting: CountingOptions, top: int | None = None,
                 since: Source | Counts | None = None, examples: int = 0, text: list[Source] | None = None,
                 on_bytes: Callable[[int], None] | None = None) -> list[Word]:
    """The rows of discovered words: ranked by their rise against ``since`` if given, cut to ``top``,
    with ``examples`` snippets each from ``text`` (the sources counted, read once more)."""
    older = None
    if since is not None:
        from wordmine.mining.occurrences import corpus_occurrences
        from wordmine.mining.since import rank_rising

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
        from wordmine.mining.examples import word_examples

        blocks = text_blocks(text or [], counting.encoding, errors=counting.errors)
        snippets = word_examples(blocks, [w.word for w in words], examples, at_least=[w.count for w in words])
        words = [dataclasses.replace(w, examples=tuple(s)) for w, s in zip(words, snippets)]
    return words


def discover(source: Source | Counts | Files, *, top: int | None = None, min_count: int | None = None,
             order: int = DiscoverConfig.order, min_len: int = DiscoverConfig.min_len,
             max_len: int = DiscoverConfig.max_len, new_only: bool = False, no_numbers: bool = False,
             no_redundancy: bool = False, memory: int | str | None = None, jobs: int | None = None,
             tmp_dir: str | None = None, encoding: str = "utf-8", errors: str = "strict", dask: str | None = None,
             hooks: Hooks | None = None, known: Iterable[str | os.PathLike[str]] | str | None = None,
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
    paths = source.paths if isinstance(source, Files) else [source] if _is_path(source) else []
    counted = isinstance(source, Counts) or any(is_count_file(os.fspath(p)) for p in paths)
    check_stdin_once([*paths, since])
    check_discover_options(examples, counted, since)
    with contextlib.ExitStack() as stack:
        if examples and dask is None:  # the snippets read the text once more
            source = Files(tuple(_readable_twice(_sources(source), tmp_dir, encoding, errors, stack)))
        lexicon, corpus, counting = _discovered(source, None if since is not None else top, min_count, order,
                                                min_len, max_len, new_only, no_numbers, no_redundancy, memory,
                                                jobs, tmp_dir, encoding, errors, dask, hooks, known)
        text = _sources(source) if examples else None
        return finish_words(corpus, lexicon, counting, top, since, examples, text, (hooks or _QUIET).on_bytes)


def jieba_dictionary(source: Source | Counts | Files, *, top: int | None = None, min_count: int | None = None,
                     order: int = DiscoverConfig.order, min_len: int = DiscoverConfig.min_len,
                     max_len: int = DiscoverConfig.max_len, new_only: bool = False, no_numbers: bool = False,
                     no_redundancy: bool = False, memory: int | str | None = None, jobs: int | None = None,
                     tmp_dir: str | None = None, encoding: str = "utf-8", errors: str = "strict",
                     dask: str | None = None, hooks: Hooks | None = None,
                     known: Iterable[str | os.PathLike[str]] | str | None = None) -> list[tuple[str, int]]:
    """``discover --format jieba``: (word, frequency) of the new words, on jieba's scale.

    The words are those of ``discover(..., new_only=True, no_numbers=True)``
    (:mod:`wordmine.mining.novelty`), whatever ``new_only`` and ``no_numbers``
    say; the other options are :func:`discover`'s, and ``top`` counts entries
    (see :mod:`wordmine.mining.jieba_dict`).
    """
    from wordmine.mining.jieba_dict import jieba_entries

    top = check_optional("top", top, 0)
    lexicon, corpus, _ = _discovered(source, top, min_count, order, min_len, max_len, True, True,
                                     no_redundancy, memory, jobs, tmp_dir, encoding, errors, dask, hooks, known)
    return jieba_entries(lexicon_words(lexicon), corpus.total_units, judged=True)


def _readable_twice(sources: list[Source], tmp_dir: str | None, encoding: str, errors: str,
                    stack: contextlib.ExitStack) -> list[Source]:
    """Sources that can be read a second time: paths as they are (standard input and pipes buffered
    to ``tmp_dir``), lines in memory copied to one temporary file; removed when ``stack`` closes."""
    if all(_is_path(s) for s in sources):
        return list(stack.enter_context(replayable(tuple(os.fspath(s) for s in sources), tmp_dir, encoding, errors)))
    spool = stack.enter_context(tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed with the stack
        "w", encoding=encoding, dir=tmp_dir, prefix="wordmine-lines-", suffix=".txt"))
    spool.writelines(text_blocks(sources))
    spool.flush()
    return [spool.name]


def terms_rows(terms: Terms, top: int | None = None) -> list[Term]:
    """The rows of ranked terms as :class:`Term` values."""
    rows = []
    for row in terms.rows():
        if top is not None and len(rows) >= top:
            break
        rows.append(Term(*(row[name] for name in Term.__dataclass_fields__)))
    return rows


def contrast_terms(domain: str, general: list[Source] | Counts | None, method: str, min_count: int | None,
                   counting: CountingOptions, on_bytes: Callable[[int], None] | None = None,
                   warn: Callable[[str], None] | None = None) -> Terms:
    """Rank the terms of the ``domain`` file against ``general`` (None: jieba's dictionary).

    The step of :func:`contrast`. ``topical`` reads the domain file a second
    time, for its line counts; a count file has no lines, so it is ranked by
    ``salience`` (and ``warn`` is told).
    """
    from wordmine.mining.contrast import contrast as rank_contrast
    from wordmine.mining.occurrences import JiebaBackground

    # The budget checked against both sides before any work (a big general side would else be refused
    # only after the domain was counted).
    general_paths = [] if general is None or isinstance(general, Counts) else general
    check_budget(counting.config(LEARN_ORDER).memory, sum(
        os.path.getsize(s) for s in [domain, *general_paths] if _is_path(s) and os.fspath(s) != "-"
        and os.path.isfile(s)))
    if method == "topical" and is_count_file(domain):
        if warn:
            warn("DOMAIN is a count file, which has no lines: ranking by salience instead of topical")
        method = "salience"
    # The domain's candidates are discovered words, counted min_count times or more: pruned counts serve.
    domain_corpus = count_sources([domain], LEARN_ORDER, counting, on_bytes, for_discovery=True, min_count=min_count)
    lexicon = discover_lexicon(domain_corpus, counting.discovery(min_count=min_count))
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


def _general(general: object) -> list[Source] | Counts | None:
    """The general side: None (jieba's dictionary), Counts, one path (a str), Files, or sources."""
    if general is None or isinstance(general, Counts):
        return general
    if isinstance(general, Files) or _is_path(general):
        sources = _sources(general, "general")
    elif isinstance(general, Iterable) and not isinstance(general, (bytes, bytearray)):
        sources = [s for item in general for s in (_sources(item, "general") if _is_path(item) or
                                                   isinstance(item, Files) else [item])]
        sources = [s if _is_path(s) else checked_lines(s, "general") for s in sources]
    else:
        raise refuse("general", f"{type(general).__name__} is not a source")
    if len(sources) > 1 and any(_is_path(s) and is_count_file(os.fspath(s)) for s in sources):
        raise OptionError("GENERAL: give one count file, or text files, not both")
    return sources


def contrast(domain: Source | Files, general: Iterable[Source] | Source | Files | Counts | None = None, *,
             top: int | None = None, method: str = ContrastConfig.method, min_count: int | None = None,
             memory: int | str | None = None, jobs: int | None = None, tmp_dir: str | None = None,
             encoding: str = "utf-8", errors: str = "strict", hooks: Hooks | None = None) -> list[Term]:
    """The terms that characterise ``domain`` against ``general``, best first, as ``wordmine contrast``.

    ``general`` is one path, a list of sources, or :class:`Counts`; None ranks
    against jieba's dictionary frequencies. A domain that cannot be read twice
    (standard input, a pipe, lines in memory) is first copied to a temporary
    file in ``tmp_dir``, since the default method reads it twice.

    >>> domain = ["病人服用阿莫西林后发烧", "阿莫西林治疗感染"] * 30
    >>> general = ["今天天气很好，我们去公园散步"] * 60
    >>> best = contrast(domain, [general], min_count=5, top=1)[0]
    >>> best.term, best.domain_count, best.general_count
    ('阿莫西林', 60, 0)
    """
    hooks = hooks or _QUIET
    method = check_choice("method", method, CONTRAST_METHODS)
    top = check_optional("top", top, 0)
    min_count = check_optional("min_count", min_count, 1)
    domain_sources = _sources(domain, "domain")
    if len(domain_sources) != 1:
        raise refuse("domain", "give one domain file")
    general_sources = _general(general)
    named = [*domain_sources, *(general_sources if isinstance(general_sources, list) else [])]
    check_stdin_once(s for s in named if _is_path(s))
    size = _size(named) if all(_is_path(s) for s in named) else None
    counting = _counting(memory, jobs, tmp_dir, encoding, errors, hooks, size)
    memory_used = counting.config(LEARN_ORDER).memory
    with contextlib.ExitStack() as stack:
        path = _readable_twice(domain_sources, tmp_dir, counting.encoding, counting.errors, stack)[0]
        hooks.tell("detail", f"memory budget {format_size(memory_used)} (--memory), {counting.jobs} worker"
                   f"{'s' if counting.jobs > 1 else ''} (--jobs); spilling to {tmp_dir or tempfile.gettempdir()}")
        stack.enter_context(freed_arrays_kept(counting.plan().heap_keep))
        terms = contrast_terms(path, general_sources or None, method, min_count, counting, hooks.on_bytes, hooks.warn)
    hooks.tell("say", f"{len(terms):,} candidate terms")
    return terms_rows(terms, top)


# learn, segment, evaluate

def _gold_lines(gold: Iterable[str] | str | os.PathLike[str] | None, encoding: str) -> list[list[str]] | None:
    """Segmented lines (words separated by spaces) as word lists: from lines, or from a file (a str is a path)."""
    if gold is None:
        return None
    if _is_path(gold):
        text = "".join(whole_lines(read_blocks([text_source(os.fspath(gold))], encoding)))
        gold = text.split("\n")
    return [line.split() for line in checked_lines(gold, "gold") if line.strip()]


def _learned(corpus: Corpus, method: str, transitions: str, min_count: int | None, crf: CRFConfig | None,
             gold: list[list[str]] | None, memory: int, hooks: Hooks) -> Segmenter:
    from wordmine.counting.table.corpus import LearningCorpus
    from wordmine.segmentation.learning import learn_segmenter

    if isinstance(corpus, LearningCorpus):
        hooks.tell("say", f"the n-gram counts outgrow a sixteenth of --memory: learning from those seen "
                   f"{corpus.pruned_at:,} times or more (a larger --memory keeps more)")
    return learn_segmenter(corpus, method, transitions=transitions, min_count=min_count, crf=crf, gold=gold,
                           memory=memory)


def _check_learning(method: str, methods: tuple[str, ...], transitions: str, min_count: object,
                    crf: CRFConfig | None, gold: object) -> None:
    check_choice("method", method, methods)
    check_choice("transitions", transitions, TRANSITION_MODES)
    check_optional("min_count", min_count, 1)
    if (crf is not None or gold is not None) and method != "crf":
        raise refuse("crf", f"the CRF's settings and gold lines apply to method crf, not {method}")


def learn(source: Source | Files | Counts, *, method: str = "crf", transitions: str = "scaled",
          min_count: int | None = None, memory: int | str | None = None, jobs: int | None = None,
          tmp_dir: str | None = None, encoding: str = "utf-8", errors: str = "strict", crf: CRFConfig | None = None,
          gold: Iterable[str] | str | os.PathLike[str] | None = None, hooks: Hooks | None = None,
          adapt: str | None = None) -> Segmenter:
    """A segmenter learned from raw text with no labels, as ``wordmine learn``.

    ``method`` is ``crf`` (the default), ``charlm``, ``unigram`` or ``classic``
    (jieba's path over the discovered lexicon; it cannot be saved). ``crf`` sets
    the CRF's teacher, dictionary and learning; ``gold`` (segmented lines, words
    separated by spaces, or the path of a file of them) adds labelled lines to
    what the CRF learns from. ``adapt`` (``learn --adapt``) is ``jieba``, the
    default, where the CRF learns from jieba's segmentation of the text,
    corrected by the words ``discover`` finds in it
    (:mod:`wordmine.segmentation.crf.adapt`), or ``none``, from charlm's: the
    fully unsupervised CRF. None keeps ``crf``'s setting.
    """
    hooks = hooks or _QUIET
    _check_learning(method, SEGMENT_METHODS, transitions, min_count, crf, gold)
    if adapt is not None:
        if method != "crf":
            raise refuse("adapt", f"adapt applies to method crf, not {method}")
        crf = dataclasses.replace(crf or CRFConfig(), adapt=check_choice("adapt", adapt, ADAPT_TEACHERS))
        if adapt == "jieba" and not crf.adapts:
            raise refuse("adapt", "adapt jieba mends the teacher's segmentation of the text: it needs teacher "
                         "charlm or both, not lexicon")
    sources = [] if isinstance(source, Counts) else _sources(source)
    counting = _counting(memory, jobs, tmp_dir, encoding, errors, hooks, _size(sources) if sources else None)
    plan = counting.config(LEARN_ORDER).plan
    budget = plan.memory
    gold_words = _gold_lines(gold, counting.encoding)
    keep = learning_reducer(plan)
    if isinstance(source, Counts):
        corpus = source.reduced(LEARN_ORDER, counting, reduce=keep)
    else:
        corpus = _count(sources, LEARN_ORDER, counting, hooks, reduce=keep)
    return _learned(corpus, method, transitions, min_count, crf, gold_words, budget, hooks)


def segment(source: Source | Files, *, model: Segmenter | str | os.PathLike[str] | None = None,
            lexicon: str | os.PathLike[str] | None = None, method: str = "crf", transitions: str = "scaled",
            min_count: int | None = None, crf: CRFConfig | None = None,
            gold: Iterable[str] | str | os.PathLike[str] | None = None, memory: int | str | None = None,
            jobs: int | None = None, tmp_dir: str | None = None, encoding: str = "utf-8", errors: str = "strict",
            hooks: Hooks | None = None, dask: str | None = None) -> Iterator[str]:
    """The text of ``source`` segmented, as ``wordmine segment``: pieces of output text, in order.

    One output line per input line, words separated by spaces; joined, the
    pieces are the whole output. With ``model`` (a :class:`Segmenter` or the
    path of a ``.wmm`` file) or ``lexicon`` (a word list file: ``discover``
    output or ``word [count]`` lines), the text is segmented with it; without
    either, a model is learned from ``source`` first (``method``, ...), which is
    then read twice (standard input is buffered to a file in ``tmp_dir``).

    With ``dask`` (a scheduler address, or ``local:N``) and a model or lexicon,
    ``source`` names shard files segmented on that cluster, one task a file,
    the output the same, in the same order
    (:mod:`wordmine.segmentation.cluster`): ``segment(Files(("a.txt", "b.txt")),
    model="m.wmm", dask="local:2")``.

    >>> model = learn(["黑猫喜欢鱼，白狗讨厌鱼，黑猫讨厌白狗"] * 3, method="unigram", min_count=3)
    >>> "".join(segment(["白狗讨厌黑猫", "黑猫"], model=model))
    '白狗 讨厌 黑猫\\n黑猫\\n'
    """
    hooks = hooks or _QUIET
    if model is not None and lexicon is not None:
        raise OptionError("give --model or --lexicon, not both")
    if model is None and lexicon is None:
        _check_learning(method, SEGMENT_METHODS, transitions, min_count, crf, gold)
    sources = _sources(source)
    learning = model is None and lexicon is None
    if dask is not None:
        check_scheduler(dask)
        if learning:
            raise OptionError("--dask segments with a model: give --model FILE (wordmine learn makes one) or "
                              "--lexicon FILE")
        sources = list(_shards(source))
    counting = _counting(memory, jobs, tmp_dir, encoding, errors, hooks if learning else _QUIET, _size(sources))
    # Segmenting is slower than counting by far: its workers are capped by the cores only.
    asked = check_jobs(jobs)
    workers = capped_jobs(asked or default_jobs(), None)
    if asked is not None and workers < asked:
        hooks.tell("say", f"--jobs {asked}: segmenting with {workers} worker{'s' if workers > 1 else ''} "
                   f"({default_jobs()} cores)")
    return _segmented(sources, model, lexicon, method, transitions, min_count, crf, gold, counting, workers, hooks,
                      dask)


def _segmented(sources: list[Source], model: Segmenter | str | os.PathLike[str] | None,
               lexicon: str | os.PathLike[str] | None, method: str, transitions: str, min_count: int | None,
               crf: CRFConfig | None, gold: object, counting: CountingOptions, jobs: int, hooks: Hooks,
               dask: str | None = None) -> Iterator[str]:
    from wordmine.segmentation.learning import Segmenter

    learning = model is None and lexicon is None
    with contextlib.ExitStack() as stack:
        if learning:  # counted, then segmented: read twice
            sources = _readable_twice(sources, counting.tmp_dir, counting.encoding, counting.errors, stack)
        if isinstance(model, Segmenter):
            segmenter = model
        elif model is not None:
            segmenter = Segmenter.load(os.fspath(model))
        elif lexicon is not None:
            segmenter = Segmenter.from_lexicon(read_word_counts(os.fspath(lexicon), counting.encoding))
        else:
            plan = counting.config(LEARN_ORDER).plan
            budget = plan.memory
            gold_words = _gold_lines(gold, counting.encoding)
            corpus = _count(sources, LEARN_ORDER, counting, hooks, reduce=learning_reducer(plan))
            segmenter = _learned(corpus, method, transitions, min_count, crf, gold_words, budget, hooks)
            hooks.tell("say", f"learned a {segmenter.summary}")
            # Segmenting needs only the model: the counts and the unit stream go before the workers fork.
            del corpus
            gc.collect()
            give_back_freed()  # what learning freed, returned before the workers fork
        if dask is not None:  # one task a shard file, the parts given back in order
            from wordmine.segmentation.cluster import segmented_on_dask  # deferred: an optional extra

            yield from segmented_on_dask(dask, segmenter, [os.fspath(s) for s in sources], counting.encoding,
                                         counting.errors, counting.tmp_dir, hooks.on_bytes, counting.on_undecodable)
            return
        # Pieces of about a megabyte (io.text.PIECE_BYTES), read as such: a line of any length is never
        # held whole, and each worker's arrays stay the size of one piece, not of a reading block.
        blocks = text_blocks(sources, counting.encoding, hooks.on_bytes, counting.errors, counting.on_undecodable,
                             block_bytes=PIECE_BYTES)
        yield from segmenter.segment_pieces(line_pieces(blocks), jobs)


def load(path: str | os.PathLike[str]) -> Segmenter:
    """A segmenter saved by ``Segmenter.save`` or ``wordmine learn -o``."""
    from wordmine.segmentation.learning import Segmenter

    return Segmenter.load(os.fspath(path))


def _lines_of(lines: Iterable[str] | str | os.PathLike[str], encoding: str, errors: str, name: str) -> list[str]:
    if _is_path(lines):
        blocks = whole_lines(read_blocks([text_source(os.fspath(lines))], encoding, errors=errors))
        return "".join(blocks).rstrip("\n").split("\n")
    return [line.rstrip("\n") for line in checked_lines(lines, name)]


def evaluate(gold: Iterable[str] | str | os.PathLike[str], predicted: Iterable[str] | str | os.PathLike[str],
             words: Iterable[str] | str | os.PathLike[str] | None = None, *, encoding: str = "utf-8",
             errors: str = "strict") -> Score:
    """Precision, recall and F1 of word spans, as ``wordmine eval`` (OOV recall with ``words``).

    ``gold`` and ``predicted`` are segmented lines, or the paths of files of them
    (a str is a path); ``words`` known words, or a word list file (first column).

    >>> score = evaluate(["我 爱 北京"], ["我爱 北京"])
    >>> round(score.precision, 2), round(score.recall, 2)
    (0.5, 0.33)
    """
    from wordmine.segmentation.evaluation import evaluate as evaluate_spans

    encoding = check_encoding(encoding)
    errors = check_choice("errors", errors, ERRORS)
    check_stdin_once(p for p in (gold, predicted) if _is_path(p))
    if words is None:
        known = None
    elif _is_path(words):
        known = {row[0] for row in read_word_counts(os.fspath(words), encoding)}
    else:
        known = set(checked_lines(words, "words"))
    return evaluate_spans(_lines_of(gold, encoding, errors, "gold"), _lines_of(predicted, encoding, errors, "predicted"),
                          known)


def write_rows(rows: Iterable[object], out: TextIO, fmt: str = "tsv", header: bool = False,
               columns: Iterable[str] | None = None) -> None:
    """Write result rows to ``out`` as ``wordmine`` writes them: ``tsv``, ``jsonl`` or ``jieba`` (word and count).

    Rows are :class:`Word` or :class:`Term` values, dicts or tuples; ``columns``
    names the fields of tuples (default: the dataclass's fields). A key with a
    tab or line break is refused rather than written.

    >>> import sys
    >>> write_rows([("天", 1, 3)], sys.stdout, "jsonl", columns=["ngram", "order", "count"])
    {"ngram": "天", "order": 1, "count": 3}
    """
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        if header and fmt == "tsv" and columns is not None:
            out.write("\t".join(columns) + "\n")
        return
    if dataclasses.is_dataclass(first):
        fields = [f.name for f in dataclasses.fields(first)]
        names = list(columns or fields)
        # Field by field: dataclasses.asdict deep-copies every value of every row, which took longer
        # than discovering the words of a small file.
        dicts: Iterable[dict] = ({name: getattr(r, name) for name in fields} for r in _chain(first, rows))
    elif isinstance(first, dict):
        names = list(columns or first)
        dicts = _chain(first, rows)
    else:
        if columns is None:
            raise ValueError("give the columns of tuple rows")
        names = list(columns)
        dicts = (dict(zip(names, r)) for r in _chain(first, rows))
    write_table_rows(dicts, names, out, fmt, header)


def _chain(first: object, rest: Iterator) -> Iterator:
    yield first
    yield from rest
