"""`wordmine learn`, `wordmine segment`, `wordmine eval` and `wordmine info`: segmentation models, applied,
scored and described."""

from __future__ import annotations

import os

import click

import wordmine
from wordmine.cli.mine_commands import SCHEDULER
from wordmine.cli.options import (
    INPUTS,
    OUTPUT,
    Counting,
    Input,
    counting_options,
    files,
    input_options,
    min_count_option,
    progress,
)
from wordmine.cli.streams import text_output
from wordmine.config import (
    ADAPT_TEACHERS,
    LEARN_METHODS,
    SEGMENT_METHODS,
    TEACHERS,
    TRANSITION_MODES,
    CRFConfig,
    check_gold_weight,
)
from wordmine.errors import WordmineError

TRANSITIONS = click.option(
    "--transitions", type=click.Choice(TRANSITION_MODES), default=None, show_default="scaled",
    help="charlm (and the charlm teacher of crf): the published tag transition weights (Su Jianlin 2016) "
    "times 1.25 (scaled), as "
    "published, or times the scale under which charlm agrees best with the unigram model (calibrated, slower).")


def _transitions(method: str, transitions: str | None) -> str:
    if transitions is not None and method not in ("charlm", "crf"):
        raise click.UsageError(f"--transitions applies to --method charlm (and crf's charlm teacher), not {method}")
    return transitions or TRANSITION_MODES[0]


def _gold_weight(ctx, param, value: float | None) -> float | None:
    """nan, inf and 1e308 parse as floats: refuse them here, as the config would (a usage error, exit 2)."""
    try:
        return None if value is None else check_gold_weight(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


CRF_OPTIONS = [
    click.option("--teacher", type=click.Choice(TEACHERS), default=None, show_default=CRFConfig.teacher,
                 help="crf only: where the tags to learn from come from: the charlm segmentation of the input, "
                 "sentences sampled from the discovered lexicon by frequency, or both."),
    click.option("--gold", "gold_path", type=click.Path(exists=True, dir_okay=False),
                 help="crf only: segmented lines (words separated by spaces) to learn from as well."),
    click.option("--gold-weight", type=float, callback=_gold_weight, default=None,
                 show_default=str(CRFConfig.gold_weight), help="crf only, with --gold: weight of a gold line "
                 "against a pseudo-labelled one."),
    click.option("--dictionary", default=None, metavar="jieba|FILE",
                 help="crf only: a word list the user already has, as features: jieba's bundled dictionary "
                 "or a file (first column)."),
    click.option("--adapt", type=click.Choice(ADAPT_TEACHERS), default=None, show_default=CRFConfig.adapt,
                 help="crf only: jieba: learn from jieba's segmentation of the input, corrected by the words "
                 "`discover` finds in it (a model of your own text that keeps jieba's knowledge of general "
                 "Chinese); none: from charlm's segmentation, the fully unsupervised CRF."),
]


def crf_options(command):
    for option in reversed(CRF_OPTIONS):
        command = option(command)
    return command


def _crf_settings(method: str, teacher, gold_path, gold_weight, dictionary, adapt=None) -> CRFConfig | None:
    """The CRF's config from its options; a usage error if they are given to another method."""
    if method != "crf":
        if teacher or gold_path or gold_weight or dictionary or adapt:
            raise click.UsageError(f"--teacher, --gold, --gold-weight, --dictionary and --adapt apply to "
                                   f"--method crf, not {method}")
        return None
    if adapt == "jieba" and teacher == "lexicon":
        raise click.UsageError("--adapt jieba mends the teacher's segmentation of the input: it needs --teacher "
                               "charlm or both, not lexicon")
    if gold_weight is not None and not gold_path:
        raise click.UsageError("--gold-weight weighs the lines of --gold: give --gold FILE too")
    if dictionary not in (None, "jieba") and not os.path.isfile(dictionary):
        raise click.UsageError(f"--dictionary: {dictionary} is not a file (give a word list or 'jieba')")
    return CRFConfig(teacher=teacher or CRFConfig.teacher, gold_weight=gold_weight or CRFConfig.gold_weight,
                     dictionary=dictionary, adapt=adapt or CRFConfig.adapt)


@click.command(name="learn")
@INPUTS
@click.option("--method", type=click.Choice(LEARN_METHODS), default="crf", show_default=True,
              help="crf (a CRF tagger learned from jieba's segmentation of the input mended by its own words, "
              "see --adapt, or from charlm's, see --teacher), "
              "charlm (an order-4 character model whose context restarts at each word, decoded by "
              "tagging) or unigram (a word model re-estimated by Viterbi passes).")
@TRANSITIONS
@crf_options
@min_count_option("of an n-gram or candidate word")
@input_options
@counting_options
@OUTPUT
def learn_command(inputs, method, transitions, teacher, gold_path, gold_weight, dictionary, adapt, min_count,
                  inputs_read: Input, counting: Counting, output: str | None) -> None:
    """Learn a segmentation model from raw text (no labels) and write it with -o.

    unigram: candidates from `discover`, re-estimated by Viterbi passes over the
    corpus. charlm: a Kneser-Ney character model of order 4; each character is
    tagged first, second, third or later in its word, word starts scored also by
    the variation of branching entropy around them. crf (the default): a
    linear-chain CRF over hashed character n-grams and charlm's corpus
    statistics, learned from jieba's segmentation of the input corrected by the
    words `discover` finds in it (--adapt jieba, the default), or with --adapt
    none from charlm's segmentation of the input (or the discovered lexicon, or
    --gold lines), with no word list at all. `wordmine segment --model FILE`
    applies any of them; `wordmine info FILE` says what a model file was
    learned with.
    """
    if not output:
        raise click.UsageError("a model file is binary: give -o FILE.wmm")
    transitions = _transitions(method, transitions)
    crf = _crf_settings(method, teacher, gold_path, gold_weight, dictionary, adapt)
    source = files(inputs, inputs_read)
    with progress(inputs_read, source.size) as bar:
        segmenter = wordmine.learn(source, method=method, transitions=transitions, min_count=min_count, crf=crf,
                                   gold=gold_path, hooks=inputs_read.hooks(bar.update), **inputs_read.reading,
                                   **counting.budget)
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
              help="When learning from the input: crf (a CRF tagger learned from jieba's segmentation mended by "
              "the input's own words, or with --adapt none from charlm's), "
              "charlm (a character model tagging each character's place "
              "in its word), unigram (a word model re-estimated by Viterbi passes) "
              "or classic (the discovered lexicon as jieba's dictionary, maximum-probability path).")
@TRANSITIONS
@crf_options
@click.option("--dask", "scheduler", type=SCHEDULER, metavar="SCHEDULER",
              help="With --model or --lexicon: segment each input file as a shard on a Dask cluster, the output "
              "the same and in the same order: a scheduler address (tcp://host:8786) or local:N for N local "
              "workers. Needs pip install 'wordmine[dask]'; every worker must be able to read the files and write "
              "in --tmp-dir.")
@min_count_option("of an n-gram or candidate word, when learning from the input")
@input_options
@counting_options
@OUTPUT
def segment_command(inputs, model_path, lexicon, method, transitions, teacher, gold_path, gold_weight, dictionary,
                    adapt, scheduler, min_count, inputs_read: Input, counting: Counting, output: str | None) -> None:
    """Segment text into words, one output line per input line, words separated by spaces.

    Without --model or --lexicon, a model is learned from the input first
    (standard input is buffered to a temporary file in --tmp-dir for the second
    pass). Segmentation only inserts boundaries: every character but white
    space comes out, in order.
    """
    if model_path and lexicon:
        raise click.UsageError("give --model or --lexicon, not both")
    if (model_path or lexicon) and (method or transitions or min_count or teacher or gold_path or gold_weight
                                    or dictionary or adapt):
        raise click.UsageError("--method, --transitions, --min-count and the crf options choose how to learn "
                               "from the input; they do not apply to --model or --lexicon")
    method = method or "crf"
    transitions = _transitions(method, transitions)
    crf = _crf_settings(method, teacher, gold_path, gold_weight, dictionary, adapt)
    source = files(inputs, inputs_read)
    with progress(inputs_read, source.size) as bar:
        pieces = wordmine.segment(source, model=model_path, lexicon=lexicon, method=method, transitions=transitions,
                                  min_count=min_count, crf=crf, gold=gold_path, hooks=inputs_read.hooks(bar.update),
                                  dask=scheduler, **inputs_read.reading, **counting.budget)
        first = next(pieces, "")  # the model learned or loaded, before the output is opened
        with text_output(output) as out:
            out.write(first)
            for text in pieces:
                out.write(text)


@click.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.argument("predicted", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--words", type=click.Path(exists=True, dir_okay=False),
              help="Known words (first column): adds OOV and in-vocabulary recall.")
@input_options
def eval_command(gold, predicted, words, inputs_read: Input) -> None:
    """Score a segmentation against a gold one: precision, recall and F1 of word spans.

    The same figures as the SIGHAN bakeoff scorer: a word is correct when both
    its boundaries match. Lines must align and hold the same characters.
    correct_words, the count behind the rounded shares, tells two close runs apart.
    """
    score = wordmine.evaluate(gold, predicted, words, **inputs_read.reading)
    rows = [("precision", score.precision), ("recall", score.recall), ("f1", score.f1),
            ("gold_words", score.gold_words), ("predicted_words", score.predicted_words),
            ("correct_words", score.correct)]
    if words is not None:
        rows += [("oov_recall", score.oov_recall), ("iv_recall", score.iv_recall), ("oov_words", score.oov_words)]
    with text_output(None) as out:
        for name, value in rows:
            out.write(f"{name}\t{value:.4f}\n" if isinstance(value, float) else f"{name}\t{value}\n")


@click.command(name="info")
@click.argument("model_path", metavar="MODEL", type=click.Path(exists=True, dir_okay=False))
def info_command(model_path) -> None:
    """Say what a model file from `wordmine learn` is and what it was learned with.

    One `field<TAB>value` line each: the method, what the model holds and, for
    a crf, its teacher, --dictionary, --adapt and the number of --gold lines
    (files written before wordmine recorded them say so).
    """
    rows = [("file", model_path), ("bytes", os.path.getsize(model_path)), *wordmine.load(model_path).description()]
    with text_output(None) as out:
        for name, value in rows:
            out.write(f"{name}\t{value}\n")
