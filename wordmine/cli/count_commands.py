"""`wordmine count` and `wordmine merge`: exact n-gram counts, and count files merged."""

from __future__ import annotations

import click

import wordmine
from wordmine.cli.mine_commands import SCHEDULER
from wordmine.cli.options import (
    INPUTS,
    Counting,
    Input,
    Log,
    Table,
    counting_options,
    files,
    input_options,
    log_options,
    merging_options,
    min_count_option,
    progress,
    table_options,
    whole,
)
from wordmine.cli.streams import text_output
from wordmine.config import COUNT_ORDERS, CountConfig


@click.command(name="count")
@INPUTS
@click.option("--order", type=whole("order", *COUNT_ORDERS), default=CountConfig.order, show_default=True,
              help="n: count orders 1..n+1.")
@click.option("--dask", "scheduler", type=SCHEDULER, metavar="SCHEDULER",
              help="Count each input file as a shard on a Dask cluster and merge the results: a scheduler "
              "address (tcp://host:8786) or local:N for N local workers. Needs pip install 'wordmine[dask]'; "
              "every worker must be able to read the files.")
@min_count_option("to print (TSV and JSON lines output only)", default="1, every n-gram")
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
    if fmt == "wmc" and (table.header or table.top is not None or min_count is not None):
        raise click.UsageError("--header, --top and --min-count choose TSV or JSON lines rows; a count file "
                               "holds every n-gram")
    source = files(inputs, inputs_read)
    with progress(inputs_read, None if scheduler else source.size) as bar:
        options = dict(order=order, dask=scheduler, hooks=inputs_read.hooks(bar.update), **inputs_read.reading,
                       **counting.budget)
        if fmt == "wmc":
            # Written a range of first units at a time: no whole table is ever in memory.
            counts = wordmine.count(source, save_to=table.output, **options)
            inputs_read.say(f"{counts.total_units:,} units counted to order {counts.order + 1}; wrote {table.output}")
            return
        # Each range ranked as it goes: the rows come out of a bounded top-N or sorted runs on disk.
        rows = wordmine.ngrams(source, min_count=min_count or 1, top=table.top, **options)
        with text_output(table.output) as out:
            wordmine.write_rows(rows, out, fmt, table.header, ["ngram", "order", "count"])


@click.command(name="merge")
@click.argument("count_files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The merged count file (written atomically).")
@log_options
@merging_options
def merge_command(count_files: tuple[str, ...], output: str, log: Log, counting: Counting) -> None:
    """Merge count files into the counts of their concatenated corpora.

    `wordmine count a.txt -o a.wmc; wordmine count b.txt -o b.wmc;
    wordmine merge a.wmc b.wmc -o all.wmc` gives the counts of `wordmine count
    a.txt b.txt`, so shards can be counted anywhere (other machines, a Dask or
    Spark cluster) and merged in any grouping. All files must be counted with
    the same --order. --memory bounds the tables: the files are merged a range
    at a time.
    """
    if not output:
        raise click.BadParameter("an empty path: give a file name", param_hint="'-o' / '--output'")
    wordmine.merge(count_files, save_to=output, memory=counting.memory, tmp_dir=counting.tmp_dir,
                   hooks=log.hooks())
