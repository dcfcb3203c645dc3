"""`wordmine count` and `wordmine merge`: exact n-gram counts, and count files merged."""

from __future__ import annotations

import click

from wordmine.api import Counting
from wordmine.cli.options import (
    INPUTS,
    Input,
    MemoryParam,
    Table,
    counting_options,
    input_options,
    min_count_option,
    table_options,
)
from wordmine.cli.streams import load_corpus, say_counted, text_output
from wordmine.config import CountConfig, default_memory, format_size
from wordmine.counting.files.countfile import is_count_file, write_counts
from wordmine.counting.files.countstream import CountFileWriter
from wordmine.counting.files.filemerge import merge_count_files
from wordmine.counting.reducers.listing import (
    RankedRuns,
    TopRows,
    block_rows_within,
    listing_reducer,
    ranked_rows,
)
from wordmine.counting.spill.runs import spill_error
from wordmine.counting.table.corpus import Corpus, ngram_rows
from wordmine.io.tables import write_rows


@click.command(name="count")
@INPUTS
@click.option("--order", type=click.IntRange(1, 7), default=4, show_default=True,
              help="n: count orders 1..n+1.")
@click.option("--dask", "scheduler", metavar="SCHEDULER",
              help="Count each input file as a shard on a Dask cluster and merge the results: a scheduler "
              "address (tcp://host:8786) or local:N for N local workers. Needs pip install 'wordmine[dask]'; "
              "every worker must be able to read the files.")
@min_count_option("to print (TSV and JSON lines output only)")
@input_options
@counting_options
@table_options(("tsv", "jsonl", "wmc"))
def count_command(inputs: tuple[str, ...], order: int, scheduler: str | None, min_count: int | None,
                  inputs_read: Input, counting: Counting, table: Table) -> None:
    """Count all n-grams of orders 1..n+1 exactly.

    With -o FILE.wmc (or --format wmc) writes a count file that discover reads
    instead of the text, so a large corpus is counted once. Otherwise prints
    n-grams as TSV: ngram, order, count, most frequent first (--top, --min-count).
    """
    fmt = table.fmt or ("wmc" if table.output and table.output.lower().endswith(".wmc") else "tsv")
    if fmt == "wmc" and not table.output:
        raise click.UsageError("a count file is binary: give -o FILE.wmc, or --format tsv")
    if scheduler:
        corpus = _count_on_dask(scheduler, inputs, order, inputs_read, counting)
        if fmt == "wmc":
            write_counts(corpus, table.output)
            inputs_read.say(f"wrote {table.output}")
            return
        rows = ngram_rows(corpus, min_count or 1, table.top)
        with text_output(table.output) as out:
            write_rows(rows, ["ngram", "order", "count"], out, fmt, table.header)
        return
    # The merged tables pass a range of first units at a time, each range written
    # out or ranked as it goes: no whole table is ever in memory.
    reducer: CountFileWriter | TopRows | RankedRuns
    if fmt == "wmc":
        reducer = CountFileWriter(counting.tmp_dir)
    else:
        reducer = listing_reducer(order, min_count or 1, table.top, counting.tmp_dir)
    try:
        corpus = load_corpus(inputs, inputs_read, counting, order, reduce=reducer)
        if isinstance(reducer, CountFileWriter):
            reducer.finish(table.output, corpus.vocab, corpus.order, corpus.stream)
            inputs_read.say(f"wrote {table.output}")
            return
        rows = ranked_rows(reducer, corpus.vocab, table.top, block_rows_within(counting.memory))
        with text_output(table.output) as out:
            write_rows(rows, ["ngram", "order", "count"], out, fmt, table.header)
    except OSError as exc:  # writing the segments or ranked runs, or reading them back
        raise spill_error(counting.tmp_dir, exc) from None
    finally:
        reducer.close()


def _count_on_dask(scheduler: str, inputs: tuple[str, ...], order: int, inputs_read: Input,
                   counting: Counting) -> Corpus:
    from wordmine.counting.cluster.shards import count_on_dask, parse_scheduler  # deferred: an optional extra

    try:
        parse_scheduler(scheduler)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--dask") from None
    if not inputs or "-" in inputs:
        raise click.UsageError("--dask counts named shard files, not standard input")
    inputs_read.say(f"counting {len(inputs)} shards on Dask ({scheduler})")
    config = CountConfig(order=order, memory=counting.memory, tmp_dir=counting.tmp_dir)
    corpus = count_on_dask(scheduler, list(inputs), config, inputs_read.encoding)
    say_counted(inputs_read, corpus)
    return corpus


@click.command(name="merge")
@click.argument("count_files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The merged count file (written atomically).")
@click.option("--memory", type=MemoryParam(), default=None, show_default="a quarter of RAM",
              help="Memory budget for the tables, e.g. 500M or 2G: the files are merged a range at a time.")
@click.option("--tmp-dir", type=click.Path(file_okay=False),
              help="Folder for renamed runs and the output's pieces (default: the system temporary folder).")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
def merge_command(count_files: tuple[str, ...], output: str, memory: int | None, tmp_dir: str | None,
                  quiet: bool) -> None:
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
    memory = memory or default_memory()
    if not quiet:
        click.echo(f"wordmine: memory budget {format_size(memory)} (--memory); merging {len(count_files)} "
                   f"count files", err=True)
    merged = merge_count_files(list(count_files), output, memory, tmp_dir)
    if not quiet:
        click.echo(f"wordmine: merged {merged.files} count files, {merged.units:,} units; "
                   f"wrote {output}", err=True)
