"""`wordmine discover` and `wordmine contrast`: the words of a corpus, and the terms of a domain."""

from __future__ import annotations

import dataclasses

import click

from wordmine.api import Counting, contrast_terms, discover_in, lexicon_words, terms_rows
from wordmine.cli.options import (
    INPUTS,
    Input,
    Table,
    counting_options,
    input_options,
    min_count_option,
    progress,
    table_options,
    with_counting,
)
from wordmine.cli.streams import load_corpus, say_budget, say_counted, spooled, stdin_once, text_output
from wordmine.config import CONTRAST_METHODS as METHODS
from wordmine.config import DiscoverConfig, auto_min_count
from wordmine.counting.engine.heap import freed_arrays_kept, keep_budget
from wordmine.counting.files.countfile import is_count_file
from wordmine.counting.table.corpus import Corpus
from wordmine.io.tables import FORMATS, LEXICON_COLUMNS, write_rows
from wordmine.io.text import text_source
from wordmine.mining.contrast import TERM_COLUMNS
from wordmine.mining.jieba_dict import jieba_entries


@click.command(name="discover")
@INPUTS
@click.option("--order", type=click.IntRange(2, 7), default=4, show_default=True,
              help="n: longest n-gram scored for cohesion; longer words come from joined fragments.")
@click.option("--min-len", type=click.IntRange(min=1), default=2, show_default=True,
              help="Shortest word reported, in units.")
@click.option("--max-len", type=click.IntRange(min=1), default=12, show_default=True,
              help="Longest word reported, in units.")
@click.option("--new-only", is_flag=True, help="Drop words found in jieba's dictionary (349 k words).")
@click.option("--no-numbers", is_flag=True, help="Drop words that hold a digit (1998年, 3次, 49岁); "
              "with --new-only they are most of the list.")
@click.option("--no-redundancy", is_flag=True,
              help="Keep words that are about as probable as their best split into other words.")
@click.option("--dask", "scheduler", metavar="SCHEDULER",
              help="Count each input file as a shard on a Dask cluster and prune the counts there, a range of "
              "first characters per worker: a scheduler address (tcp://host:8786) or local:N for N local "
              "workers. Needs pip install 'wordmine[dask]'; every worker must be able to read the files.")
@min_count_option("of a word")
@input_options
@counting_options
@table_options(FORMATS)
def discover_command(inputs, order, min_len, max_len, new_only, no_numbers, no_redundancy, scheduler: str | None,
                     min_count: int | None, inputs_read: Input, counting: Counting, table: Table) -> None:
    """Find the words of a corpus, new words included.

    Solid n-grams (count >= min count, cohesion >= 3, 5, 7 nats for lengths
    2, 3, 4, or 80% of the most PMI their count allows) hold the text together;
    the fragments between cuts are counted, checked and scored. The minimum
    count scales with the corpus: 2 * sqrt(units / 100 k), at least 3 (3 for
    100 k characters, 8 for 1.6 M, 63 for 100 M). INPUTS are text files, - for
    stdin, or one count file from `wordmine count`.

    Columns: word, count, cohesion, left_entropy, right_entropy, score
    (count * min entropy, the ranking). --format jieba writes a jieba user
    dictionary of the words jieba lacks, at frequencies on its scale (see
    wordmine.mining.jieba_dict).
    """
    if min_len > max_len:
        raise click.BadParameter("--min-len is larger than --max-len", param_hint="--min-len")
    if scheduler:
        corpus = _pruned_on_dask(scheduler, inputs, order, min_count, inputs_read, counting)
    else:
        corpus = load_corpus(inputs, inputs_read, counting, order, for_discovery=True, min_count=min_count)
    if corpus.order < order:
        raise click.BadParameter(f"the count file has order {corpus.order}; count again with --order {order}",
                                 param_hint="--order")
    config = DiscoverConfig(order=order, min_count=min_count, min_len=min_len, max_len=max_len,
                            redundancy=not no_redundancy, numbers=not no_numbers)
    lexicon = discover_in(corpus, config, new_only)
    inputs_read.say(f"{len(lexicon):,} words (min count {min_count or auto_min_count(max(corpus.total_units, 1))})")
    words = lexicon_words(lexicon)[: table.top]
    rows = (dataclasses.asdict(word) for word in words)
    if table.fmt == "jieba":  # only what jieba lacks, at frequencies on its scale
        rows = ({"word": w, "count": f} for w, f in jieba_entries(words, corpus.total_units))
    with text_output(table.output) as out:
        write_rows(rows, LEXICON_COLUMNS, out, table.fmt or "tsv", table.header)


def _pruned_on_dask(scheduler: str, inputs: tuple[str, ...], order: int, min_count: int | None,
                    inputs_read: Input, counting: Counting) -> Corpus:
    from wordmine.counting.cluster.shards import (  # deferred: an optional extra
        parse_scheduler,
        pruned_on_dask,
    )

    try:
        parse_scheduler(scheduler)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--dask") from None
    if not inputs or "-" in inputs or any(is_count_file(p) for p in inputs):
        raise click.UsageError("--dask counts named text shard files, not standard input or count files")
    inputs_read.say(f"counting and pruning {len(inputs)} shards on Dask ({scheduler})")
    config = dataclasses.replace(counting.config(order, prune=True, min_count=min_count), jobs=1)
    corpus = pruned_on_dask(scheduler, list(inputs), config, inputs_read.encoding)
    say_counted(inputs_read, corpus)
    return corpus


@click.command(name="contrast")
@click.argument("domain", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.argument("general", nargs=-1, type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--method", type=click.Choice(METHODS), default="topical", show_default=True,
              help="Ranking: topical (salience times how much the term gathers in few lines of "
              "DOMAIN, its residual IDF), salience (capped log ratio times ln domain count times "
              "boundary entropy), logodds (informative Dirichlet prior, z-score), g2 "
              "(log-likelihood), share (the published smoothed share).")
@min_count_option("of a candidate in DOMAIN")
@input_options
@counting_options
@table_options(FORMATS[:2])
def contrast_command(domain, general, method, min_count: int | None, inputs_read: Input, counting: Counting,
                     table: Table) -> None:
    """Find the terms that characterise DOMAIN against GENERAL.

    Candidates are the words `discover` finds in DOMAIN (--min-count applies
    there); each is counted exactly on both sides, and a term absent from the
    general side is kept, not dropped. GENERAL is one or more text files or one
    count file. Without GENERAL, jieba's dictionary frequencies (349 k words,
    shipped with jieba, no download) are the background; a word it lacks gets
    the probability of its best split into dictionary words.

    The default method reads DOMAIN twice (standard input is buffered to a
    temporary file in --tmp-dir), the second time to count in how many lines
    each term occurs; each line is one document. With a count file as DOMAIN,
    or a DOMAIN of one line, there are no lines to compare, and salience is
    used instead.

    Columns: term, domain_count, general_count, domain_per_million,
    general_per_million, log_ratio (ln of the rate ratio, half a count added to
    each side), score.
    """
    stdin_once(domain, *general)
    counting = with_counting(inputs_read, counting)
    with spooled((domain,), counting.tmp_dir, inputs_read) as names:
        sources = [text_source(p) for p in (*names, *general)]
        total = sum(s.size or 0 for s in sources) if all(s.size is not None for s in sources) else None
        say_budget(inputs_read, counting)
        with progress(inputs_read, total) as bar, freed_arrays_kept(keep_budget(counting.memory, counting.jobs)):
            terms = contrast_terms(names[0], list(general) or None, method, min_count, counting,
                                   on_bytes=bar.update, warn=lambda message: click.echo(f"wordmine: {message}",
                                                                                       err=True))
    inputs_read.say(f"{len(terms):,} candidate terms")
    rows = (dataclasses.asdict(term) for term in terms_rows(terms, table.top))
    with text_output(table.output) as out:
        write_rows(rows, TERM_COLUMNS, out, table.fmt or "tsv", table.header)
