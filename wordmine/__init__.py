"""wordmine: mine the words of raw Chinese text, with no labelled data.

The public API (:mod:`wordmine.api`)::

    import wordmine
    words = wordmine.discover("corpus.txt", top=100)      # -> list[wordmine.Word]
    entries = wordmine.jieba_dictionary("corpus.txt")     # -> [(word, frequency)] that jieba lacks
    counts = wordmine.count(lines, order=4)               # -> wordmine.Counts (.save, Counts.load)
    rows = wordmine.ngrams(wordmine.Files(("a.txt", "b.txt")), top=50)  # -> (ngram, order, count), never the table
    total = wordmine.merge([counts_a, "b.wmc"])
    terms = wordmine.contrast("domain.txt", "general.txt", top=100)     # -> list[wordmine.Term]
    model = wordmine.learn("corpus.txt")                  # -> wordmine.Segmenter (.cut, .segment, .save)
    model = wordmine.load("m.wmm")
    text = "".join(wordmine.segment("corpus.txt", model=model))
    score = wordmine.evaluate("gold.txt", predicted_lines)
    tokenizer = wordmine.to_jieba(words)                  # a jieba.Tokenizer that knows the words

Every function takes the options of its command as keyword arguments, checked
as the command line checks them (:mod:`wordmine.checks`; a bad one is an
``OptionError``), and ``hooks=wordmine.Hooks(on_bytes=..., say=..., detail=...,
warn=...)`` to follow a long run. A str source is one path; ``wordmine.Files``
names several files read as one corpus. ``write_rows`` and ``atomic_output``
write results as the command line does.

The package, one module per stage, in the order the data flows. Imports go one
way, down this list: ``cli`` -> ``api`` -> ``segmentation`` -> ``mining`` ->
``counting`` -> ``io`` -> the shared modules.

Shared by every stage:
    ``budget``        ``MemoryPlan``: every stage's share of ``--memory``, planned once; sizes
    ``config``        the frozen config of every stage
    ``checks``        options checked once, for the command line and the API alike
    ``errors``        the typed errors the command line turns into one line and an exit status
    ``normalize``     fold full-width forms; text to unit ids (Han characters, Latin/digit runs)
    ``unitstream``    the corpus as unit ids, in memory or in an unlinked temporary file
    ``lexicon``       ``Lexicon``, the discovered words with their figures
    ``parallel``      an ordered map over worker processes
    ``arrays``        numpy idioms written once (runs of equal keys, summed counts by key, word starts, lookups in sorted keys, the narrowest type)
    ``blas``          BLAS threads held to one while a model learns, and restored

``io``: bytes in and out
    ``io.text``       read files or stdin in blocks, decode strictly, write outputs atomically
    ``io.container``  the checked binary container of count and model files
    ``io.tables``     TSV / JSON lines / jieba writers, word lists, jieba's dictionary

``counting``: exact n-gram counts within a memory budget, in layers (each imports only those above it)
    ``counting.table.ngrams``     the count table: packed keys, orders, sorted merges
    ``counting.table.keyset``     hash sets of packed keys
    ``counting.table.corpus``     the counted corpus: ``Corpus`` (whole), ``PrunedCorpus``, ``LearningCorpus``
    ``counting.table.stats``      boundary entropy's formulas: c ln c sums, ln N - S/N, suffix rows
    ``counting.spill.runs``       sorted runs on disk, merged a range of first units at a time
    ``counting.spill.compact``    the runs' compact layout: keys as gaps between prefix rows, bytes per block
    ``counting.spill.passes``     which runs each pass of a multi-pass merge merges (past the fan-in)
    ``counting.reducers.reduced`` what a reducer keeps of the merged table; the whole table
    ``counting.reducers.discovery`` what discovery keeps, with exact boundary entropies
    ``counting.reducers.learning`` what learning keeps: the whole table, or frequent n-grams with exact statistics
    ``counting.reducers.candidates`` the general side of contrast: only the candidates' counts
    ``counting.reducers.listing`` ``count``'s rows: a top-N, or sorted runs merged from disk
    ``counting.files.countfile``  the ``.wmc`` file: its header, keys and checks
    ``counting.files.countstream`` the ``.wmc`` file written and read a range at a time
    ``counting.files.filemerge``  count files merged a range at a time
    ``counting.engine.chunkcount`` one chunk counted by one sort
    ``counting.engine.counter``   the streaming counter: chunks, workers, spilled runs
    ``counting.engine.heap``      keeping freed memory for the next chunk (opt-in, restored)
    ``counting.engine.corpusmerge`` counts of shards merged into the counts of their concatenation
    ``counting.engine.sources``   text sources or a count file counted within the budget, kept as a reducer says
    ``counting.cluster.shards``   shards counted on Dask
    ``counting.cluster.pruning``  discovery's pruning by ranges on Dask workers

``mining``: words and terms from counts
    ``mining.scoring``       cohesion (weakest-split PMI), boundary entropy, its variation
    ``mining.discover``      solid n-grams, cut, count fragments, back-check, redundancy
    ``mining.longfragments`` the cut's fragments longer than the tables' keys, counted within the budget
    ``mining.matching``      every occurrence of many long words, found with numpy in linear time
    ``mining.occurrences``   counts of candidates in a corpus or in jieba's dictionary
    ``mining.dispersion``    lines with each term, residual IDF
    ``mining.contrast``      domain terms ranked against a general side
    ``mining.jieba_dict``    discovered words as jieba entries: what it lacks, on its scale
    ``mining.novelty``       what a new word is: not known, not a fragment, not a phrase of known words
    ``mining.surprise``      --new-only's second witness: strings under the cohesion bar jieba's model cannot explain
    ``mining.known``         the words a user knows: jieba's, --known lists, traditional looked up as simplified
    ``mining.examples``      a few snippets of each word, from one more reading of the text
    ``mining.since``         the words whose rate rose against an older corpus

``segmentation``: text into words
    ``segmentation.lossless``    the output path every method shares
    ``segmentation.conventions`` numbers and names as the segmentation standards write them
    ``segmentation.unigram``     a word model over discovered candidates, Viterbi
    ``segmentation.charlm.kneser_ney`` interpolated Kneser-Ney smoothing of character n-grams
    ``segmentation.charlm.variation``  nVBE boundary and word scores
    ``segmentation.charlm.model``      the character model with position tags
    ``segmentation.crf.chain``    a linear-chain CRF over BMES tags: forward-backward, Viterbi
    ``segmentation.crf.features`` its hashed window features and corpus statistics
    ``segmentation.crf.teacher``  its labels without labelled data: lexicon samples, gold lines
    ``segmentation.crf.adapt``    the teacher of `learn --adapt jieba`: jieba's cut mended by the corpus' words
    ``segmentation.crf.model``    the CRF segmenter as saved and applied
    ``segmentation.crf.learn``    the CRF learned from charlm's segmentation (the default)
    ``segmentation.classic``     the discovered lexicon as jieba's dictionary
    ``segmentation.modelfile``   the ``.wmm`` file
    ``segmentation.learning``    the methods by name, and ``Segmenter``
    ``segmentation.evaluation``  precision, recall and F1 of word spans
    ``segmentation.cluster``     shard files segmented on Dask, the parts given back in order

``api`` and ``cli``: the two faces
    ``counts``               ``Counts``: counts in memory, or a count file read a range at a time
    ``api``                  the functions above
    ``cli.options``          option groups: input, counting, table output
    ``cli.streams``          stdin, stdout and ``-o``; the counting line on stderr
    ``cli.count_commands``   ``count`` and ``merge``
    ``cli.mine_commands``    ``discover`` and ``contrast``
    ``cli.segment_commands`` ``learn``, ``segment`` and ``eval``

``cli`` is the only code that reads argv, prints, or exits.

Where is ...
    entropy         ``counting.table.stats.branching_entropy`` (ln N - S/N of the neighbours' counts),
                    applied to tables in ``mining.scoring`` and to ranges in the reducers
    ``--memory``    planned once in ``budget.MemoryPlan`` (every stage's share); parsed and checked
                    there too; each stage reads its field
    a ``.wmc``      ``counting.files.countfile``: magic, version, a JSON header (order, bits,
                    vocabulary, array directory), then aligned little-endian arrays; byte by byte
                    in docs/formats.md

The counting names, each one thing
    ``Counts``           the public handle: counts in memory or a count file (``counts``)
    ``Corpus``           a counted corpus, its table whole: vocabulary, ``NgramTable``, unit stream
    ``PrunedCorpus``     discovery's: the n-grams at ``min_count`` and up, with their entropies
    ``LearningCorpus``   learning's: pruned, with the statistics of the whole stream
    ``NgramTable``       the packed n-gram keys and counts of every order (``counting.table.ngrams``)
    ``FrequentNgrams``   the table and entropies discovery's pruning keeps of the partitions
    ``CountConfig``      the counter's frozen config; ``CountingOptions``, the reading and budget
                         options every function that reads text shares (``counting.engine.sources``)
    merges          ``merge_sorted_keys`` (two key arrays), ``merge_two_tables``, ``merge_tables``
                    (many, one sort), ``merged_partitions`` (spilled runs, a range at a time),
                    ``merge_corpora`` (``counting.engine.corpusmerge``), ``merge_count_files``
                    (``counting.files.filemerge``)
"""

__version__ = "0.1.0"

import importlib
from typing import TYPE_CHECKING

#: Where each public name lives. ``import wordmine`` loads none of them: a name is imported the
#: first time it is read (PEP 562), so the command line's ``--help`` and a script that only wants
#: ``wordmine.config`` do not pay for numpy and the whole pipeline.
_HOMES = {
    **dict.fromkeys(["ERRORS", "FORMATS", "LEARN_METHODS", "SEGMENT_METHODS"], "wordmine.config"),
    **dict.fromkeys(["Counts", "Files", "Hooks", "Term", "Word", "atomic_output", "contrast",
                     "count", "discover", "evaluate", "jieba_dictionary", "learn", "load", "merge", "ngrams",
                     "segment", "write_rows"], "wordmine.api"),
    # not loaded with the API either: the API imports each stage where it is used
    "Segmenter": "wordmine.segmentation.learning",
    "to_jieba": "wordmine.mining.jieba_dict",
}


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'wordmine' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # read once: later reads are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


if TYPE_CHECKING:  # what type checkers and editors see: the same names, imported eagerly
    from wordmine.api import (
        ERRORS,
        FORMATS,
        LEARN_METHODS,
        SEGMENT_METHODS,
        Counts,
        Files,
        Hooks,
        Term,
        Word,
        atomic_output,
        contrast,
        count,
        discover,
        evaluate,
        jieba_dictionary,
        learn,
        load,
        merge,
        ngrams,
        segment,
        write_rows,
    )
    from wordmine.mining.jieba_dict import to_jieba
    from wordmine.segmentation.learning import Segmenter

__all__ = [  # written out for linters and readers; tests/project/test_layout.py checks it names every home
    "ERRORS",
    "FORMATS",
    "LEARN_METHODS",
    "SEGMENT_METHODS",
    "Counts",
    "Files",
    "Hooks",
    "Segmenter",
    "Term",
    "Word",
    "__version__",
    "atomic_output",
    "contrast",
    "count",
    "discover",
    "evaluate",
    "jieba_dictionary",
    "learn",
    "load",
    "merge",
    "ngrams",
    "segment",
    "to_jieba",
    "write_rows",
]
