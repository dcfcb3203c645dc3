"""`wordmine learn`, `wordmine segment` and `wordmine eval`: segmentation models, applied and scored."""

from __future__ import annotations

import contextlib
import gc
import os

import click

from wordmine.api import Counting, learning_reducer
from wordmine.cli.options import (
    INPUTS,
    OUTPUT,
    Input,
    counting_options,
    input_options,
    min_count_option,
    progress,
)
from wordmine.cli.streams import echo_rows, load_corpus, spooled, stdin_once, text_output
from wordmine.config import TEACHERS, TRANSITION_MODES, CRFConfig, check_gold_weight
from wordmine.counting.engine.heap import give_back_freed
from wordmine.errors import WordmineError
from wordmine.io.tables import read_word_counts
from wordmine.io.text import line_pieces, read_blocks, text_source, whole_lines
from wordmine.segmentation.evaluation import evaluate
from wordmine.segmentation.learning import LEARN_METHODS, SEGMENT_METHODS, Segmenter, learn_segmenter

TRANSITIONS = click.option(
    "--transitions", type=click.Choice(TRANSITION_MODES), default=None, show_default="scaled",
    help="charlm (and the charlm teacher of crf): the published tag transition weights (Su Jianlin 2016) "
    "times 1.25 (scaled), as "
    "published, or times the scale under which charlm agrees best with the unigram model (calibrated, slower).")


def say_pruned(inputs_read, corpus) -> None:
    """Say when the counts outgrew the budget and learning keeps only the frequent n-grams."""
    if corpus.pruned_at is not None and corpus.learning is not None:
        inputs_read.say(f"the n-gram counts outgrow a sixteenth of --memory: learning from those seen "
                        f"{corpus.pruned_at:,} times or more (a larger --memory keeps more)")


def _transitions(method: str, transitions: str | None) -> str:
    if transitions is not None and method not in ("charlm", "crf"):
        raise click.UsageError(f"--transitions applies to --method charlm (and crf's charlm teacher), not {method}")
    return transitions or "scaled"


def _gold_weight(ctx, param, value: float | None) -> float | None:
    """nan, inf and 1e308 parse as floats: refuse them here, as the config would (a usage error, exit 2)."""
    try:
        return None if value is None else check_gold_weight(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


CRF_OPTIONS = [
    click.option("--teacher", type=click.Choice(TEACHERS), default=None, show_default="charlm",
                 help="crf only: where the tags to learn from come from: the charlm segmentation of the input, "
                 "sentences sampled from the discovered lexicon by frequency, or both."),
    click.option("--gold", "gold_path", type=click.Path(exists=True, dir_okay=False),
                 help="crf only: segmented lines (words separated by spaces) to learn from as well."),
    click.option("--gold-weight", type=float, callback=_gold_weight, default=None, show_default="1",
                 help="crf only: weight of a gold line against a pseudo-labelled one."),
    click.option("--dictionary", default=None, metavar="jieba|FILE",
                 help="crf only: a word list the user already has, as features: jieba's bundled dictionary "
                 "or a file (first column)."),
]


def crf_options(command):
    for option in reversed(CRF_OPTIONS):
        command = option(command)
    return command


def _crf_settings(method: str, teacher, gold_path, gold_weight, dictionary, encoding: str):
    """The CRF's config and gold lines from its options; a usage error if they are given to another method."""
    if method != "crf":
        if teacher or gold_path or gold_weight or dictionary:
            raise click.UsageError(f"--teacher, --gold, --gold-weight and --dictionary apply to --method crf, "
                                   f"not {method}")
        return None, None
    if dictionary not in (None, "jieba") and not os.path.isfile(dictionary):
        raise click.UsageError(f"--dictionary: {dictionary} is not a file (give a word list or 'jieba')")
    gold = None
    if gold_path:
        text = "".join(whole_lines(read_blocks([text_source(gold_path)], encoding)))
        gold = [line.split() for line in text.split("\n") if line.strip()]
    config = CRFConfig(teacher=teacher or "charlm", gold_weight=gold_weight or 1.0, dictionary=dictionary)
    return config, gold


@click.command(name="learn")
@INPUTS
@click.option("--method", type=click.Choice(LEARN_METHODS), default="crf", show_default=True,
              help="crf (a CRF tagger learned from charlm's segmentation of the input, see --teacher), "
              "charlm (an order-4 character model whose context restarts at each word, decoded by "
              "tagging) or unigram (a word model re-estimated by Viterbi passes).")
@TRANSITIONS
@crf_options
@min_count_option("of an n-gram or candidate word")
@input_options
@counting_options
@OUTPUT
def learn_command(inputs, method, transitions, teacher, gold_path, gold_weight, dictionary, min_count,
                  inputs_read: Input, counting: Counting, output: str | None) -> None:
    """Learn a segmentation model from raw text (no labels) and write it with -o.

    unigram: candidates from `discover`, re-estimated by Viterbi passes over the
    corpus. charlm: a Kneser-Ney character model of order 4; each character is
    tagged first, second, third or later in its word, word starts scored also by
    the variation of branching entropy around them. crf: a linear-chain CRF over
    hashed character n-grams and charlm's corpus statistics, learned from
    charlm's segmentation of the input (or the discovered lexicon, or --gold
    lines). `wordmine segment --model FILE` applies any of them.
    """
    if not output:
        raise click.UsageError("a model file is binary: give -o FILE.wmm")
    transitions = _transitions(method, transitions)
    crf, gold = _crf_settings(method, teacher, gold_path, gold_weight, dictionary, inputs_read.encoding)
    corpus = load_corpus(inputs, inputs_read, counting, 4, reduce=learning_reducer(counting.memory))
    say_pruned(inputs_read, corpus)
    segmenter = learn_segmenter(corpus, method, transitions, min_count,
                                crf, gold, memory=counting.memory)
    if not segmenter.entries:
        # A model of nothing would segment every character alone: refuse it rather than write it.
        raise WordmineError(f"{', '.join(inputs or ('<stdin>',))}: nothing to learn from (no text, or no "
                            f"n-gram reaches --min-count); no model written")
    segmenter.save(output)
    inputs_read.say(f"{segmenter.summary}; wrote {output}")


@click.command(name="segment")
@INPUTS
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False),
              help="A model from `wordmine learn` (default: learn one from the input itself).")
@click.option("--lexicon", type=click.Path(exists=True, dir_okay=False),
              help="Segment with this word list instead: `discover` output or `word [count]` lines.")
@click.option("--method", type=click.Choice(SEGMENT_METHODS), default=None, show_default="crf",
              help="When learning from the input: crf (a CRF tagger learned from charlm's segmentation), "
              "charlm (a character model tagging each character's place "
              "in its word), unigram (a word model re-estimated by Viterbi passes) "
              "or classic (the discovered lexicon as jieba's dictionary, maximum-probability path).")
@TRANSITIONS
@crf_options
@min_count_option("of an n-gram or candidate word, when learning from the input")
@input_options
@counting_options
@OUTPUT
def segment_command(inputs, model_path, lexicon, method, transitions, teacher, gold_path, gold_weight, dictionary,
                    min_count, inputs_read: Input, counting: Counting, output: str | None) -> None:
    """Segment text into words, one output line per input line, words separated by spaces.

    Without --model or --lexicon, a model is learned from the input first
    (standard input is buffered to a temporary file in --tmp-dir for the second
    pass). Segmentation only inserts boundaries: every character but white
    space comes out, in order.
    """
    if model_path and lexicon:
        raise click.UsageError("give --model or --lexicon, not both")
    if (model_path or lexicon) and (method or transitions or min_count or teacher or gold_path or gold_weight
                                    or dictionary):
        raise click.UsageError("--method, --transitions, --min-count and the crf options choose how to learn "
                               "from the input; they do not apply to --model or --lexicon")
    method = method or "crf"
    transitions = _transitions(method, transitions)
    crf, gold = _crf_settings(method, teacher, gold_path, gold_weight, dictionary, inputs_read.encoding)
    learning = not (model_path or lexicon)
    with spooled(inputs, counting.tmp_dir, inputs_read) if learning else contextlib.nullcontext(inputs or ("-",)) as names:
        if model_path:
            segmenter = Segmenter.load(model_path)
        elif lexicon:
            segmenter = Segmenter.from_lexicon(read_word_counts(lexicon, inputs_read.encoding))
        else:
            corpus = load_corpus(names, inputs_read, counting, 4, reduce=learning_reducer(counting.memory))
            say_pruned(inputs_read, corpus)
            segmenter = learn_segmenter(corpus, method, transitions,
                                        min_count, crf, gold, memory=counting.memory)
            # Segmenting needs only the model: the counts and the unit stream go before the workers
            # fork (on 100 MB of distinct text under --memory 1G they held the tree at 1,517 MiB).
            del corpus
            gc.collect()
            give_back_freed()  # what learning freed, returned before the workers fork
        sources = [text_source(p) for p in names]
        total = sum(s.size or 0 for s in sources) if all(s.size is not None for s in sources) else None
        with text_output(output) as out, progress(inputs_read, total) as bar:
            # Pieces of about a megabyte: enough work per task, enough tasks for every worker,
            # and a line of any length is never held whole.
            blocks = read_blocks(sources, inputs_read.encoding, block_bytes=1 << 20, on_bytes=bar.update,
                                 errors=inputs_read.errors)
            for text in segmenter.segment_pieces(line_pieces(blocks), counting.jobs):
                out.write(text)


@click.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.argument("predicted", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--words", type=click.Path(exists=True, dir_okay=False),
              help="Known words (first column): adds OOV and in-vocabulary recall.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the two files.")
def eval_command(gold, predicted, words, encoding) -> None:
    """Score a segmentation against a gold one: precision, recall and F1 of word spans.

    The same figures as the SIGHAN bakeoff scorer: a word is correct when both
    its boundaries match. Lines must align and hold the same characters.
    correct_words, the count behind the rounded shares, tells two close runs apart.
    """
    stdin_once(gold, predicted)
    known = {row[0] for row in read_word_counts(words, encoding)} if words else None
    lines = [whole_lines(read_blocks([text_source(p)], encoding)) for p in (gold, predicted)]
    gold_lines, predicted_lines = ("".join(blocks).rstrip("\n").split("\n") for blocks in lines)
    score = evaluate(gold_lines, predicted_lines, known)
    rows = [("precision", score.precision), ("recall", score.recall), ("f1", score.f1),
            ("gold_words", score.gold_words), ("predicted_words", score.predicted_words),
            ("correct_words", score.correct)]
    if known is not None:
        rows += [("oov_recall", score.oov_recall), ("iv_recall", score.iv_recall), ("oov_words", score.oov_words)]
    with text_output(None) as out:
        echo_rows(rows, out.write)
