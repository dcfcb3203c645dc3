"""The command line: the only module that reads argv, prints, or exits.

Exit status: 0 success (also when the reader of stdout goes away), 1 a runtime
error (one line on stderr), 2 a usage error, 130 interrupted.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TextIO

import click
import numpy as np

from . import __version__
from .charlm import TRANSITION_MODES, CharLMConfig, learn_charlm
from .config import (
    CountConfig,
    DiscoverConfig,
    auto_min_count,
    default_jobs,
    default_memory,
    format_size,
    parse_size,
)
from .contrast import METHODS, TERM_COLUMNS, ContrastConfig, contrast
from .countfile import is_count_file, read_counts, write_counts
from .counting import Corpus, count_text
from .discover import discover
from .errors import WordmineError
from .evaluation import evaluate
from .lexicon import FORMATS, LEXICON_COLUMNS, jieba_words, lexicon_rows, read_word_counts, write_rows
from .merging import merge_corpora
from .modelfile import read_model, write_model
from .occurrences import CorpusBackground, JiebaBackground
from .segment import SegmentConfig, classic_segmenter, learn, model_from_lexicon, segment_text, segmented_text
from .textio import atomic_output, line_pieces, read_blocks, text_source, whole_lines


class SizeParam(click.ParamType):
    name = "SIZE"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        try:
            return parse_size(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@dataclass(frozen=True)
class Common:
    """The options every text-reading command shares."""

    quiet: bool
    encoding: str
    output: str | None
    header: bool
    fmt: str | None
    top: int | None
    min_count: int | None
    memory: int
    jobs: int
    tmp_dir: str | None

    def say(self, message: str) -> None:
        if not self.quiet:
            click.echo(f"wordmine: {message}", err=True)


def common_options(formats: tuple[str, ...]) -> Callable:
    """Decorate a command with the shared options, passed on as one ``Common``."""

    def decorate(command: Callable) -> Callable:
        options = [
            click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary on stderr."),
            click.option("--encoding", default="utf-8", show_default=True,
                         help="Encoding of the text inputs (e.g. gb18030, big5, utf-16)."),
            click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
                         help="Write here (atomically: a temporary file renamed at the end) "
                         "instead of stdout."),
            click.option("--header", is_flag=True, help="Start TSV output with a line of column names."),
            click.option("--format", "fmt", type=click.Choice(formats), default=None,
                         help=f"Output format (default {formats[0]})."),
            click.option("--top", type=click.IntRange(min=0), help="Write only the first N rows."),
            click.option("--min-count", type=click.IntRange(min=1),
                         help="Fewest occurrences to report (default: scaled with corpus size, see above)."),
            click.option("--memory", type=SizeParam(), default=None,
                         show_default="a quarter of RAM",
                         help="Memory budget for counting, e.g. 500M or 2G; count tables past half of "
                         "it are spilled to --tmp-dir and merged."),
            click.option("--jobs", type=click.IntRange(min=1), default=None,
                         show_default="the machine's cores",
                         help="Worker processes for counting and segmenting (the output does not depend on it)."),
            click.option("--tmp-dir", type=click.Path(file_okay=False),
                         help="Folder for spilled count runs (default: the system temporary folder)."),
        ]
        for option in reversed(options):
            command = option(command)

        @functools.wraps(command)
        def wrapper(quiet, encoding, output, header, fmt, top, min_count, memory, jobs, tmp_dir, **kwargs):
            common = Common(quiet, encoding, output, header, fmt, top, min_count,
                            memory or default_memory(), jobs or default_jobs(), tmp_dir)
            return command(common=common, **kwargs)

        return wrapper

    return decorate


INPUTS = click.argument("inputs", nargs=-1, type=click.Path(exists=True, dir_okay=False, allow_dash=True))


def _progress(common: Common, total: int | None):
    from tqdm import tqdm  # deferred: only commands that read text need it

    disable = common.quiet or not sys.stderr.isatty()
    return tqdm(total=total, unit="B", unit_scale=True, file=sys.stderr, disable=disable, leave=False)


def load_corpus(inputs: tuple[str, ...], common: Common, order: int, prune: bool = False) -> Corpus:
    """Count the text inputs (or load one count file); stdin when no input is named.

    With ``prune`` only what discovery needs is kept of counts made from text
    (see :mod:`wordmine.pruning`), at the --min-count given or discovery's default.
    """
    inputs = inputs or ("-",)
    count_files = [p for p in inputs if is_count_file(p)]
    if count_files:
        if len(inputs) > 1:
            raise click.UsageError("give one count file, or text files, not both")
        corpus = read_counts(count_files[0])
        common.say(f"{count_files[0]}: {corpus.total_units:,} units counted to order {corpus.order + 1}")
        return corpus
    sources = [text_source(p) for p in inputs]
    total = sum(s.size or 0 for s in sources) if all(s.size is not None for s in sources) else None
    config = CountConfig(order=order, memory=common.memory, jobs=common.jobs, tmp_dir=common.tmp_dir,
                         prune=prune, min_count=common.min_count)
    common.say(f"memory budget {format_size(common.memory)} (--memory), {common.jobs} worker"
               f"{'s' if common.jobs > 1 else ''} (--jobs); spilling to {common.tmp_dir or tempfile.gettempdir()}")
    with _progress(common, total) as bar:
        corpus = count_text(read_blocks(sources, common.encoding, on_bytes=bar.update), config)
    _say_counted(common, corpus)
    return corpus


def _say_counted(common: Common, corpus: Corpus) -> None:
    common.say(f"read {corpus.total_units:,} units, {len(corpus.vocab) - 1:,} distinct")


class PipeClosed(Exception):
    """The reader of stdout went away (wordmine ... | head); not an error."""


@contextlib.contextmanager
def text_output(common: Common) -> Iterator[TextIO]:
    """-o FILE written atomically, or stdout; a closed stdout ends the run quietly."""
    if common.output and common.output != "-":
        with atomic_output(common.output) as handle:
            yield handle
        return
    try:
        yield sys.stdout
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise PipeClosed() from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="wordmine")
def cli() -> None:
    """Mine the words of raw Chinese text, with no labelled data.

    Every command reads files or - (stdin), writes data to stdout (or -o FILE)
    and logs to stderr only.
    """


@cli.command()
@INPUTS
@click.option("--order", type=click.IntRange(1, 7), default=4, show_default=True,
              help="n: count orders 1..n+1.")
@click.option("--dask", "scheduler", metavar="SCHEDULER",
              help="Count each input file as a shard on a Dask cluster and merge the results: a scheduler "
              "address (tcp://host:8786) or local:N for N local workers. Needs pip install 'wordmine[dask]'; "
              "every worker must be able to read the files.")
@common_options(("tsv", "jsonl", "wmc"))
def count(inputs: tuple[str, ...], order: int, scheduler: str | None, common: Common) -> None:
    """Count all n-grams of orders 1..n+1 exactly.

    With -o FILE.wmc (or --format wmc) writes a count file that discover reads
    instead of the text, so a large corpus is counted once. Otherwise prints
    n-grams as TSV: ngram, order, count, most frequent first (--top, --min-count).
    """
    fmt = common.fmt or ("wmc" if common.output and common.output.endswith(".wmc") else "tsv")
    if fmt == "wmc" and not common.output:
        raise click.UsageError("a count file is binary: give -o FILE.wmc, or --format tsv")
    if scheduler:
        corpus = _count_on_dask(scheduler, inputs, order, common)
    else:
        corpus = load_corpus(inputs, common, order)
    if fmt == "wmc":
        write_counts(corpus, common.output)
        common.say(f"wrote {common.output}")
        return
    with text_output(common) as out:
        write_rows(_ngram_rows(corpus, common), ["ngram", "order", "count"], out, fmt, common.header)


def _count_on_dask(scheduler: str, inputs: tuple[str, ...], order: int, common: Common) -> Corpus:
    from .cluster import count_on_dask, parse_scheduler  # deferred: Dask is an optional extra

    try:
        parse_scheduler(scheduler)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--dask") from None
    if not inputs or "-" in inputs:
        raise click.UsageError("--dask counts named shard files, not standard input")
    common.say(f"counting {len(inputs)} shards on Dask ({scheduler})")
    config = CountConfig(order=order, memory=common.memory, tmp_dir=common.tmp_dir)
    corpus = count_on_dask(scheduler, list(inputs), config, common.encoding)
    _say_counted(common, corpus)
    return corpus


@cli.command(name="merge")
@click.argument("count_files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The merged count file (written atomically).")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
def merge_command(count_files: tuple[str, ...], output: str, quiet: bool) -> None:
    """Merge count files into the counts of their concatenated corpora.

    `wordmine count a.txt -o a.wmc; wordmine count b.txt -o b.wmc;
    wordmine merge a.wmc b.wmc -o all.wmc` gives the counts of `wordmine count
    a.txt b.txt`, so shards can be counted anywhere (other machines, a Dask or
    Spark cluster) and merged in any grouping. All files must be counted with
    the same --order.
    """
    for path in count_files:
        if not is_count_file(path):
            raise click.BadParameter(f"{path} is not a count file (make one with wordmine count -o FILE.wmc)",
                                     param_hint="COUNT_FILES")
    merged = merge_corpora(read_counts(path) for path in count_files)
    write_counts(merged, output)
    if not quiet:
        click.echo(f"wordmine: merged {len(count_files)} count files, {merged.total_units:,} units; "
                   f"wrote {output}", err=True)


def _ngram_rows(corpus: Corpus, common: Common) -> Iterator[dict]:
    """All n-grams, most frequent first, decoded a whole order at a time."""
    counts = corpus.counts
    values = np.concatenate(counts.counts)
    orders = np.concatenate([np.full(len(c), k + 1) for k, c in enumerate(counts.counts)])
    rows = np.concatenate([np.arange(len(c)) for c in counts.counts])
    ranked = np.argsort(-values, kind="stable")
    ranked = ranked[values[ranked] >= (common.min_count or 1)][: common.top]
    units = np.array(corpus.vocab.units, dtype=object)
    text = np.empty(len(ranked), dtype=object)
    for order in range(1, counts.max_order + 1):
        at = np.flatnonzero(orders[ranked] == order)
        ids = counts.decode(order, rows[ranked[at]])
        text[at] = units[ids[:, 0]]
        for j in range(1, order):
            text[at] += units[ids[:, j]]
    for ngram, order, count in zip(text.tolist(), orders[ranked].tolist(), values[ranked].tolist()):
        yield {"ngram": ngram, "order": order, "count": count}


@cli.command(name="discover")
@INPUTS
@click.option("--order", type=click.IntRange(2, 7), default=4, show_default=True,
              help="n: longest n-gram scored for cohesion; longer words come from joined fragments.")
@click.option("--min-len", type=click.IntRange(min=1), default=2, show_default=True,
              help="Shortest word reported, in units.")
@click.option("--max-len", type=click.IntRange(min=1), default=12, show_default=True,
              help="Longest word reported, in units.")
@click.option("--new-only", is_flag=True, help="Drop words found in jieba's dictionary (349 k words).")
@click.option("--no-redundancy", is_flag=True,
              help="Keep words that are about as probable as their best split into other words.")
@common_options(FORMATS)
def discover_command(inputs, order, min_len, max_len, new_only, no_redundancy, common: Common) -> None:
    """Find the words of a corpus, new words included.

    Solid n-grams (count >= min count, cohesion >= 3, 5, 7 nats for lengths
    2, 3, 4, or 80% of the most PMI their count allows) hold the text together; the fragments between cuts are counted,
    checked and scored. The minimum count scales with the corpus:
    2 * sqrt(units / 100 k), at least 3 (3 for 100 k characters, 8 for 1.6 M,
    63 for 100 M). INPUTS are text files, - for stdin, or one count file
    from `wordmine count`.

    Columns: word, count, cohesion, left_entropy, right_entropy, score
    (count * min entropy, the ranking). --format jieba writes a jieba user
    dictionary.
    """
    if min_len > max_len:
        raise click.BadParameter("--min-len is larger than --max-len", param_hint="--min-len")
    corpus = load_corpus(inputs, common, order, prune=True)
    if corpus.order < order:
        raise click.BadParameter(f"the count file has order {corpus.order}; count again with --order {order}",
                                 param_hint="--order")
    config = DiscoverConfig(order=order, min_count=common.min_count, min_len=min_len, max_len=max_len,
                            redundancy=not no_redundancy)
    known = jieba_words() if new_only else None
    lexicon = discover(corpus, config, known)
    common.say(f"{len(lexicon):,} words (min count {common.min_count or auto_min_count(max(corpus.total_units, 1))})")
    if common.top is not None:
        lexicon = lexicon.take(np.arange(min(len(lexicon), common.top)))
    rows = lexicon_rows(lexicon)
    with text_output(common) as out:
        write_rows(rows, LEXICON_COLUMNS, out, common.fmt or "tsv", common.header)


@cli.command(name="contrast")
@click.argument("domain", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.argument("general", nargs=-1, type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--method", type=click.Choice(METHODS), default="topical", show_default=True,
              help="Ranking: topical (salience times how much the term gathers in few lines of "
              "DOMAIN, its residual IDF), salience (capped log ratio times ln domain count times "
              "boundary entropy), logodds (informative Dirichlet prior, z-score), g2 "
              "(log-likelihood), share (the published smoothed share).")
@common_options(FORMATS)
def contrast_command(domain, general, method, common: Common) -> None:
    """Find the terms that characterise DOMAIN against GENERAL.

    Candidates are the words `discover` finds in DOMAIN (--min-count applies
    there); each is counted exactly on both sides, and a term absent from the
    general side is kept, not dropped. GENERAL is one or more text files or one
    count file. Without GENERAL, jieba's dictionary frequencies (349 k words,
    shipped with jieba, no download) are the background; a word it lacks gets
    the probability of its best split into dictionary words.

    The default method reads DOMAIN twice (standard input is buffered to a
    temporary file), the second time to count in how many lines each term
    occurs; each line is one document. With a count file as DOMAIN, or a DOMAIN
    of one line, there are no lines to compare, and salience is used instead.

    Columns: term, domain_count, general_count, domain_per_million,
    general_per_million, log_ratio (ln of the rate ratio, half a count added to
    each side), score.
    """
    names, cleanup = _spooled_inputs((domain,)) if method == "topical" else ((domain,), lambda: None)
    try:
        _contrast(names[0], general, method, common)
    finally:
        cleanup()


def _contrast(domain: str, general: tuple[str, ...], method: str, common: Common) -> None:
    if method == "topical" and is_count_file(domain):
        common.say("DOMAIN is a count file, which has no lines: ranking by salience instead of topical")
        method = "salience"
    domain_corpus = load_corpus((domain,), common, 4)
    lexicon = discover(domain_corpus, DiscoverConfig(min_count=common.min_count))
    if general:
        background = CorpusBackground(load_corpus(general, common, 4))
        if background.total * 4 < domain_corpus.total_units:
            click.echo(
                f"wordmine: warning: the general corpus ({background.total:,} units) is much smaller "
                f"than the domain corpus ({domain_corpus.total_units:,}); general counts are sparse "
                "and scores unreliable",
                err=True,
            )
    else:
        background = JiebaBackground()
    domain_text = read_blocks([text_source(domain)], common.encoding) if method == "topical" else None
    terms = contrast(domain_corpus, lexicon, background, ContrastConfig(method=method), domain_text)
    common.say(f"{len(terms):,} candidate terms")
    rows = itertools.islice(terms.rows(), common.top)
    with text_output(common) as out:
        write_rows(rows, TERM_COLUMNS, out, common.fmt or "tsv", common.header)


def _spooled_inputs(inputs: tuple[str, ...]) -> tuple[tuple[str, ...], Callable[[], None]]:
    """Inputs readable twice: standard input is copied to a temporary file first."""
    if "-" not in inputs and inputs:
        return inputs, lambda: None
    with tempfile.NamedTemporaryFile(prefix="wordmine-stdin-", delete=False) as handle:
        shutil.copyfileobj(sys.stdin.buffer, handle)
    names = tuple(handle.name if p == "-" else p for p in (inputs or ("-",)))
    return names, lambda: os.unlink(handle.name)


LEARN_METHODS = ("charlm", "unigram")


TRANSITIONS = click.option(
    "--transitions", type=click.Choice(TRANSITION_MODES), default="scaled", show_default=True,
    help="charlm only: the tag transition weights of article 3956 times 1.25 (scaled), as published, "
    "or times the scale under which charlm agrees best with the unigram model (calibrated, slower).")


def learn_model(corpus: Corpus, method: str, common: Common, transitions: str = "scaled"):
    """The model of ``method`` learned from a counted corpus."""
    if method == "charlm":
        return learn_charlm(corpus, CharLMConfig(transitions=transitions, min_count=common.min_count))
    return learn(corpus, SegmentConfig(min_count=common.min_count))


def _model_summary(model) -> str:
    if hasattr(model, "transitions"):
        return f"character model of order {model.order}, {sum(len(k) for k in model.keys):,} n-grams"
    return f"{len(model.keys):,} words"


@cli.command(name="learn")
@INPUTS
@click.option("--method", type=click.Choice(LEARN_METHODS), default="charlm", show_default=True,
              help="charlm (an order-4 character model whose context restarts at each word, decoded by "
              "tagging) or unigram (a word model re-estimated by Viterbi passes).")
@TRANSITIONS
@common_options(("wmm",))
def learn_command(inputs, method, transitions, common: Common) -> None:
    """Learn a segmentation model from raw text (no labels) and write it with -o.

    unigram: candidates from `discover`, re-estimated by Viterbi passes over the
    corpus. charlm: a Kneser-Ney character model of order 4; each character is
    tagged first, second, third or later in its word, word starts scored also by
    the variation of branching entropy around them. `wordmine segment --model
    FILE` applies either.
    """
    if not common.output:
        raise click.UsageError("a model file is binary: give -o FILE.wmm")
    corpus = load_corpus(inputs, common, 4)
    model = learn_model(corpus, method, common, transitions)
    write_model(model, common.output)
    common.say(f"{_model_summary(model)}; wrote {common.output}")


@cli.command(name="segment")
@INPUTS
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False),
              help="A model from `wordmine learn` (default: learn one from the input itself).")
@click.option("--lexicon", type=click.Path(exists=True, dir_okay=False),
              help="Segment with this word list instead: `discover` output or `word [count]` lines.")
@click.option("--method", type=click.Choice([*LEARN_METHODS, "classic"]), default="charlm",
              show_default=True,
              help="When learning from the input: charlm (a character model tagging each character's place "
              "in its word), unigram (a word model re-estimated by Viterbi passes) "
              "or classic (the discovered lexicon as jieba's dictionary, maximum-probability path).")
@TRANSITIONS
@common_options(("text",))
def segment_command(inputs, model_path, lexicon, method, transitions, common: Common) -> None:
    """Segment text into words, one output line per input line, words separated by spaces.

    Without --model or --lexicon, a model is learned from the input first
    (standard input is buffered to a temporary file for the second pass).
    Segmentation only inserts boundaries: every character but white space comes
    out, in order.
    """
    if model_path and lexicon:
        raise click.UsageError("give --model or --lexicon, not both")
    names, cleanup = _spooled_inputs(inputs)
    try:
        if model_path:
            model = read_model(model_path)
        elif lexicon:
            model = model_from_lexicon(read_word_counts(lexicon))
        elif method == "classic":
            model = None
            segmenter = classic_segmenter(load_corpus(names, common, 4), common.min_count)
        else:
            model = learn_model(load_corpus(names, common, 4), method, common, transitions)
        if model is not None:
            vocab = model.vocabulary()
            segmenter = functools.partial(segment_text, model=model, vocab=vocab)
        sources = [text_source(p) for p in names]
        with text_output(common) as out:
            # Pieces of about a megabyte: enough work per task, enough tasks for every worker,
            # and a line of any length is never held whole.
            pieces = line_pieces(read_blocks(sources, common.encoding, block_bytes=1 << 20))
            for text in segmented_text(pieces, segmenter, common.jobs):
                out.write(text)
    finally:
        cleanup()


@cli.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.argument("predicted", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--words", type=click.Path(exists=True, dir_okay=False),
              help="Known words (first column): adds OOV and in-vocabulary recall.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the two files.")
def eval_command(gold, predicted, words, encoding) -> None:
    """Score a segmentation against a gold one: precision, recall and F1 of word spans.

    The same figures as the SIGHAN bakeoff scorer: a word is correct when both
    its boundaries match. Lines must align and hold the same characters.
    """
    known = {row[0] for row in read_word_counts(words)} if words else None
    lines = [whole_lines(read_blocks([text_source(p)], encoding)) for p in (gold, predicted)]
    gold_lines, predicted_lines = ("".join(blocks).rstrip("\n").split("\n") for blocks in lines)
    score = evaluate(gold_lines, predicted_lines, known)
    rows = [("precision", score.precision), ("recall", score.recall), ("f1", score.f1),
            ("gold_words", score.gold_words), ("predicted_words", score.predicted_words)]
    if known is not None:
        rows += [("oov_recall", score.oov_recall), ("iv_recall", score.iv_recall), ("oov_words", score.oov_words)]
    for name, value in rows:
        click.echo(f"{name}\t{value:.4f}" if isinstance(value, float) else f"{name}\t{value}")


def main(argv: list[str] | None = None) -> None:
    """Run the command line; turn library errors into one line and an exit status."""
    try:
        cli.main(args=argv, prog_name="wordmine", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("wordmine: interrupted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("wordmine: interrupted", err=True)
        sys.exit(130)
    except PipeClosed:
        sys.exit(0)
    except WordmineError as exc:
        click.echo(f"wordmine: error: {exc}", err=True)
        sys.exit(1)
    except MemoryError:
        click.echo("wordmine: error: out of memory; give a smaller --memory budget or more RAM", err=True)
        sys.exit(1)
    sys.exit(0)
