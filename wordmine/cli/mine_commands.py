"""`wordmine discover` and `wordmine contrast`: the words of a corpus, and the terms of a domain."""

from __future__ import annotations

import dataclasses
import os

import click

import wordmine
from wordmine.checks import check_scheduler
from wordmine.cli.options import (
    INPUTS,
    Checked,
    Counting,
    Input,
    Table,
    counting_options,
    files,
    input_options,
    min_count_option,
    progress,
    table_options,
    whole,
)
from wordmine.cli.streams import text_output
from wordmine.config import (
    CONTRAST_METHODS,
    DISCOVER_ORDERS,
    FORMATS,
    MAX_EXAMPLES,
    NO_JIEBA,
    ContrastConfig,
    DiscoverConfig,
)


def columns(row_type: type) -> list[str]:
    """The TSV columns of a row type: its fields, in order (read when a command runs, not at import,
    so that ``wordmine --help`` does not load the library)."""
    return [field.name for field in dataclasses.fields(row_type)]


SCHEDULER = Checked("SCHEDULER", check_scheduler)
#: The columns of discover's rows by default; --since and --examples each add theirs.
WORD_COLUMNS = ["word", "count", "cohesion", "left_entropy", "right_entropy", "score"]
#: Between the snippets of a word in TSV output (JSON lines hold a list).
EXAMPLES_SEPARATOR = " | "


def _known_files(ctx, param, value: tuple[str, ...]) -> tuple[str, ...]:
    """--known values: 'none' or existing files (a usage error otherwise, as for any missing input)."""
    for path in value:
        if path != NO_JIEBA and not os.path.isfile(path):
            raise click.BadParameter(f"{path}: no such file", ctx, param)
    return value


@click.command(name="discover")
@INPUTS
@click.option("--order", type=whole("order", *DISCOVER_ORDERS), default=DiscoverConfig.order, show_default=True,
              help="n: longest n-gram scored for cohesion; longer words come from joined fragments.")
@click.option("--min-len", type=whole("min_len", 1), default=DiscoverConfig.min_len, show_default=True,
              help="Shortest word reported, in units.")
@click.option("--max-len", type=whole("max_len", 1), default=DiscoverConfig.max_len, show_default=True,
              help="Longest word reported, in units.")
@click.option("--new-only", is_flag=True, help="Only new words: not in jieba's dictionary (349 k words), not a "
              "fragment of longer words, not a phrase of words jieba knows (wordmine.mining.novelty).")
@click.option("--known", "known", multiple=True, metavar="FILE", callback=_known_files,
              help="A lexicon of words you know (one word a line, or jieba's 'word freq tag'), left out as "
              "jieba's are; repeatable; implies --new-only. --known none leaves jieba's dictionary out. Words in "
              "traditional characters are looked up in simplified ones.")
@click.option("--examples", type=whole("examples", 0, MAX_EXAMPLES), default=0, metavar="N",
              help="Add a column of N short snippets of each word, from different places of the text, the word "
              "marked 【so】 (one more reading of the text, for the rows written only).")
@click.option("--since", type=click.Path(exists=True, dir_okay=False, allow_dash=True), metavar="OLDER",
              help="An older text or count file: list the words whose rate rose most against it, ranked by "
              "contrast's salience (score); adds the columns older_count and log_ratio.")
@click.option("--no-numbers", is_flag=True, help="Drop words that hold a digit (1998年, 3次, 49岁); "
              "with --new-only they are most of the list.")
@click.option("--no-redundancy", is_flag=True,
              help="Keep words that are about as probable as their best split into other words.")
@click.option("--dask", "scheduler", type=SCHEDULER, metavar="SCHEDULER",
              help="Count each input file as a shard on a Dask cluster and prune the counts there, a range of "
              "first characters per worker: a scheduler address (tcp://host:8786) or local:N for N local "
              "workers. Needs pip install 'wordmine[dask]'; every worker must be able to read the files.")
@min_count_option("of a word")
@input_options
@counting_options
@table_options(FORMATS)
def discover_command(inputs, order, min_len, max_len, new_only, known: tuple[str, ...], examples: int,
                     since: str | None, no_numbers, no_redundancy, scheduler: str | None,
                     min_count: int | None, inputs_read: Input, counting: Counting, table: Table) -> None:
    """Find the words of a corpus, new words included.

    Solid n-grams (count >= min count, cohesion >= 3, 5, 7 nats for lengths
    2, 3, 4, or 80% of the most PMI their count allows) hold the text together;
    the fragments between cuts are counted, checked and scored. The minimum
    count scales with the corpus: 2 * sqrt(units / 100 k), at least 3 (3 for
    100 k characters, 8 for 1.6 M, 63 for 100 M). INPUTS are text files, - for
    stdin, or one count file from `wordmine count`.

    Columns: word, count, cohesion, left_entropy, right_entropy, score
    (count * min entropy, the ranking; with --new-only, Dunning's G2 of the
    count against jieba's model and the word's weakest split, see
    wordmine.mining.surprise). --format jieba writes a jieba user
    dictionary of the words --new-only --no-numbers lists, at frequencies on
    jieba's scale (see wordmine.mining.jieba_dict); --top counts its entries.
    """
    if min_len > max_len:
        raise click.BadParameter("--min-len is larger than --max-len", param_hint="--min-len")
    if examples and table.fmt == "jieba":
        raise click.UsageError("--examples adds a column, and jieba's format has none: give --format tsv or jsonl")
    if since and table.fmt == "jieba":
        raise click.UsageError("--since ranks the words by their rise, and jieba's format has no ranking: give "
                               "--format tsv or jsonl")
    source = files(inputs, inputs_read)
    with progress(inputs_read, None if scheduler else source.size) as bar:
        options = dict(top=table.top, min_count=min_count, order=order, min_len=min_len, max_len=max_len,
                       new_only=new_only, no_numbers=no_numbers, no_redundancy=no_redundancy, dask=scheduler,
                       known=known or None, hooks=inputs_read.hooks(bar.update), **inputs_read.reading,
                       **counting.budget)
        if table.fmt == "jieba":  # the new words (as --new-only --no-numbers), at jieba's scale
            rows = wordmine.jieba_dictionary(source, **options)
        else:
            rows = wordmine.discover(source, examples=examples, since=since, **options)
    names = (["word", "count"] if table.fmt == "jieba" else
             WORD_COLUMNS + (["older_count", "log_ratio"] if since else []) + (["examples"] if examples else []))
    if examples and table.fmt != "jsonl":  # one TSV cell: the snippets joined
        rows = [{**dataclasses.asdict(row), "examples": EXAMPLES_SEPARATOR.join(row.examples)} for row in rows]
    with text_output(table.output) as out:
        wordmine.write_rows(rows, out, table.fmt or "tsv", table.header, names)


@click.command(name="contrast")
@click.argument("domain", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.argument("general", nargs=-1, type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--method", type=click.Choice(CONTRAST_METHODS), default=ContrastConfig.method, show_default=True,
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
    sides = wordmine.Files((domain, *general))  # standard input named once
    background = wordmine.Files(general) if general else None
    with progress(inputs_read, sides.size) as bar:
        terms = wordmine.contrast(domain, background, top=table.top, method=method, min_count=min_count,
                                  hooks=inputs_read.hooks(bar.update), **inputs_read.reading, **counting.budget)
    with text_output(table.output) as out:
        wordmine.write_rows(terms, out, table.fmt or "tsv", table.header, columns(wordmine.Term))
