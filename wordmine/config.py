"""Frozen settings, one dataclass per stage, each field with its reason.

CountConfig (counting, with its share of the memory plan of
:mod:`wordmine.budget`), DiscoverConfig (mining.discover), ContrastConfig
(mining.contrast), SegmentConfig (segmentation.unigram) and CharLMConfig
(segmentation.charlm). Options flow one way: the command line and the API
build these, the stages read them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# The budget's names, read here by the command line and the API: they live in wordmine.budget.
from wordmine.budget import (  # noqa: F401
    MIN_BUDGET,
    WORKER_INPUT_UNITS,
    MemoryPlan,
    capped_jobs,
    check_budget,
    default_jobs,
    default_memory,
    format_size,
    installed_memory,
    parse_size,
)

#: The choices of the options several commands share, declared once (the command line's click
#: choices and the API's checks read them here).
#: ``--errors``: undecodable bytes stop the run, are replaced by U+FFFD, or are dropped.
ERRORS = ("strict", "replace", "skip")
#: ``--format`` of ``discover``; ``contrast`` takes the first two.
FORMATS = ("tsv", "jsonl", "jieba")
#: Methods that learn a model from raw text; ``classic`` has no model to save.
LEARN_METHODS = ("crf", "charlm", "unigram")
#: What ``segment`` can segment with when it learns from its input.
SEGMENT_METHODS = (*LEARN_METHODS, "classic")
#: ``discover --examples`` at most: the snippets are held in memory for every reported word.
MAX_EXAMPLES = 100
#: The ``--known`` value that leaves jieba's dictionary out.
NO_JIEBA = "none"

@dataclass(frozen=True)
class CountConfig:
    """How the streaming counter runs."""

    order: int = 4
    """n: counts orders 1..n+1 (n+1 gives the neighbours for boundary entropy of n-grams)."""
    memory: int = field(default_factory=default_memory)
    """Memory budget in bytes (``--memory``); ``plan`` says what counting takes of it: the
    tables of all workers together spill to disk past a quarter of it."""
    chunk_units: int = 1 << 21
    """Units counted per sort: 2 M keeps a sort cache-friendly and both cores busy
    (``MemoryPlan.chunk_units`` under a smaller budget)."""
    bits: int = 16
    """Starting bits per unit id; widened automatically when the vocabulary outgrows it."""
    tmp_dir: str | None = None
    """Where spilled runs go (default: the system's temporary folder)."""
    jobs: int = field(default_factory=default_jobs)
    """Worker processes that count chunks (the main process reads and merges): the plan's
    ``workers``."""
    workers_after: int = 0
    """Units this process counts itself before the ``jobs`` workers start: 0, at once (an input
    known to be large enough for them, see ``capped_jobs``); for text of unknown size, such as
    standard input, :data:`~wordmine.budget.WORKER_INPUT_UNITS`, so that a small one never
    starts them."""
    prune: bool = False
    """Keep only what discovery needs: orders 1..order, n-grams of order 2 and up seen
    ``min_count`` times or more, and the boundary entropies of those (wordmine.counting.reducers.discovery)."""
    min_count: int | None = None
    """The pruning threshold; None: auto_min_count of the number of units, as discovery's default."""
    plan: MemoryPlan = field(init=False, repr=False, compare=False)
    """The shares of ``memory`` the counter reads, planned once from the fields above, with
    ``jobs`` workers counting ``chunk_units`` at a time (see :class:`~wordmine.budget.MemoryPlan`)."""

    def __post_init__(self) -> None:
        if not 1 <= self.order <= 8:
            raise ValueError(f"order must be 1..8, not {self.order}")
        if self.memory < MIN_BUDGET:
            raise ValueError("a memory budget below 64K is not workable")
        plan = MemoryPlan.of(self.memory, self.jobs, workers=self.jobs, chunk_units=self.chunk_units)
        object.__setattr__(self, "plan", plan)  # derived from the frozen fields, once


@dataclass(frozen=True)
class DiscoverConfig:
    """Thresholds of new-word discovery (Su Jianlin, 2019, https://kexue.fm/archives/6920)."""

    order: int = 4
    """n: longest n-gram scored for cohesion; longer words come from joined fragments."""
    min_count: int | None = None
    """Fewest occurrences of a word; None scales it with corpus size (see auto_min_count)."""
    cohesion: tuple[float, ...] = ()
    """Cohesion threshold (nats) per length 2..n; empty means the defaults of auto_cohesion."""
    min_len: int = 2
    max_len: int = 12
    redundancy: bool = True
    """Drop words that are about as probable as their best split into other words."""
    numbers: bool = True
    """Keep words that hold a digit (1998年, 3次); False drops them, as --new-only users mostly want."""
    cut_fragments: int | None = None
    """Bytes of long-fragment occurrences the cut pass holds before it writes them to ``tmp_dir``
    (``MemoryPlan.cut_fragments``); None holds them all (``wordmine.mining.longfragments``)."""
    tmp_dir: str | None = None
    """Where the cut pass writes them (None: the system's temporary folder)."""


#: The orders ``discover --order`` takes: n-grams of 2..7 units scored for cohesion.
DISCOVER_ORDERS = (2, 7)
#: The orders ``count --order`` takes (a count file of order n holds orders 1..n+1).
COUNT_ORDERS = (1, 7)
#: The order learn and contrast count to: the n of the character model (charlm, the CRF's
#: statistics) and of the discovery that gives contrast its candidates (DiscoverConfig.order).
LEARN_ORDER = 4


def auto_min_count(total_units: int) -> int:
    """Default minimum count: 2 per 100 k units, growing with the square root of size.

    Counts of a fixed word grow linearly with corpus size while chance
    repetitions of a non-word grow more slowly, so a square-root rule keeps
    precision steady: 3 at 100 k units and below, 8 at 1.6 M (a year of news,
    the published setting for a novel), 63 at 100 M (near the published 32-64
    for millions of documents).

    >>> auto_min_count(100_000), auto_min_count(1_600_000), auto_min_count(100_000_000)
    (3, 8, 63)
    """
    return max(3, round(2 * math.sqrt(total_units / 100_000)))


def auto_cohesion(order: int) -> tuple[float, ...]:
    """Default cohesion thresholds for lengths 2..order: 3, 5, 7, ... nats (2L - 1).

    The published thresholds were 1, 3, 5 (small corpora) and 2, 4, 6 (large).
    Measured against the gold vocabularies of four corpora of 80 k to 1.6 M
    characters (news, fiction, treebank, medical forum), 3, 5, 7 gave higher
    precision at every K on all four, with the relative rule of
    ``discover.is_solid`` keeping frequent words from being rejected.

    >>> auto_cohesion(4)
    (3.0, 5.0, 7.0)
    """
    return tuple(2.0 * length - 1.0 for length in range(2, order + 1))


# Contrast (wordmine.mining.contrast)

#: The rankings of ``wordmine contrast --method``.
CONTRAST_METHODS = ("topical", "salience", "logodds", "g2", "share")


@dataclass(frozen=True)
class ContrastConfig:
    method: str = "topical"
    """How terms are ranked (see the module docstring)."""
    prior: float = 1000.0
    """Strength α0 of the Dirichlet prior of ``logodds``, in pseudo-counts."""
    ratio_cap: float = 4.0
    """``salience``: log ratios above this (55-fold) count as this much."""
    entropy_cap: float = 3.0
    """``salience``: boundary entropies above this (20 equally likely neighbours) count as this much."""

    def __post_init__(self) -> None:
        if self.method not in CONTRAST_METHODS:
            raise ValueError(f"unknown method {self.method!r}: choose one of {', '.join(CONTRAST_METHODS)}")


# Segmentation: the unigram word model (wordmine.segmentation.unigram)

@dataclass(frozen=True)
class SegmentConfig:
    iterations: int = 1
    """Viterbi re-estimation rounds. On the four gold sets further rounds (and soft
    EM with forward-backward counts) did not move F1: the candidates, not the
    estimates, limit the model (figures: docs/notes/)."""
    prune_count: int = 2
    """Words seen fewer times in a round are dropped; single units never are."""
    min_count: int | None = None
    """Fewest occurrences of a candidate word (None: discover's default for the corpus size)."""
    cohesion: tuple[float, ...] = (2.0, 4.0, 6.0)
    """Cohesion thresholds of the candidates' discovery: lower than discover's own
    (3, 5, 7), as a segmenter needs every word more than a clean list; 2, 4, 6 was
    best on three of the four gold sets measured."""


# Segmentation: the character model (wordmine.segmentation.charlm.model)

#: How the transition weights are set: see CharLMConfig.transitions.
TRANSITION_MODES = ("scaled", "published", "calibrated")


@dataclass(frozen=True)
class CharLMConfig:
    transitions: str = "scaled"
    """scaled: the published weights times ``scale``. published: the weights of
    Su Jianlin (2016) as they are. calibrated: the published weights times the scale from
    ``scales`` under which the model's segmentation of the corpus agrees best with
    the unigram model's (word-span F1), learned without labels."""
    scale: float = 1.25
    """The published weights join too much on corpora of 0.1-2 M characters (a
    Kneser-Ney model of a small corpus is sure of its n-grams); 1.25 is close to
    the best scale on every one of the four gold sets, not the best of one. The
    calibration was no better than one constant and several times slower to
    learn, so it is not the default (figures: docs/notes/)."""
    scales: tuple[float, ...] = (1.0, 1.125, 1.25, 1.375, 1.5, 1.75, 2.0)
    """Scales the calibration tries."""
    calibration_units: int = 1_000_000
    """Units of the corpus (from its start) that the calibration segments; bounds its cost."""
    min_count: int | None = None
    """Passed to the unigram model that the calibration agrees with."""
    prune_count: int = 2
    """n-grams of order 3 and 4 seen fewer times are dropped (they back off). On the four
    gold sets F1 is the same as keeping them all, with a model a third the size
    (figures: docs/notes/)."""
    boundary_weight: float = 1.25
    """Weight (natural log per standard deviation) of the boundary score added to
    tag b: the mean normalised variation of branching entropy of the n-grams that
    end just before and start at the unit (:func:`wordmine.segmentation.charlm.variation.boundary_scores`). The
    character model alone says how well a unit is predicted inside a word; this
    says whether the strings around the position look complete, the cue of
    nVBE segmentation (Magistry and Sagot 2012). Without the word score every
    one of the four gold sets gains from weight 1 to 2; pd1998 and zhuxian pull
    the balance of splitting opposite ways, and the mean over orders 1-4 at the
    transition scale of 1.25 lowers neither. 1.25 goes with ``word_weight``
    (figures: docs/notes/)."""
    word_weight: float = 0.125
    """Weight of each word's autonomy times its length, added where the word ends
    (:func:`wordmine.segmentation.charlm.variation.autonomy`; the sum of a(w) |w| is what Magistry and Sagot's segmenter
    maximises). Where the boundary score judges a position from every n-gram
    around it, this judges the word the tagging actually proposes. The default
    is the pair (boundary weight, word weight) of a grid measured on the four
    gold sets that leaves no set below the boundary score alone. Dropping the
    length factor helped one set and hurt another; the length factor is the
    published objective (figures: docs/notes/)."""

    def __post_init__(self) -> None:
        if self.transitions not in TRANSITION_MODES:
            raise ValueError(f"transitions must be one of {', '.join(TRANSITION_MODES)}")
        if not self.scale > 0:
            raise ValueError("the transition scale must be positive")
        if not (self.boundary_weight >= 0 and self.word_weight >= 0):
            raise ValueError("the boundary weight and the word weight must be 0 or more")


# Segmentation: the CRF (wordmine.segmentation.crf.learn)

TEACHERS = ("charlm", "lexicon", "both")
#: What a CRF's teacher segmentation adapts (``--adapt``; :mod:`wordmine.segmentation.crf.adapt`):
#: jieba's segmentation mended by the corpus' own words, or ``none`` (charlm's, the unsupervised CRF).
ADAPT_TEACHERS = ("jieba", "none")
#: What becomes of a word jieba's HMM makes up (:func:`wordmine.segmentation.crf.adapt.jieba_teacher_ends`).
HMM_WORDS = ("kept", "confirmed", "off")


@dataclass(frozen=True)
class CRFConfig:
    teacher: str = "charlm"
    """Where the tags come from: charlm, lexicon (sentences sampled from the discovered lexicon), both."""
    hash_bits: int = 20
    """The hashed table has 2 ** hash_bits rows of 4 weights (float32: 16 MiB at 20)."""
    epochs: int = 1
    """Passes of AdaGrad over the tagged runs."""
    rate: float = 0.03
    """AdaGrad's step size. The CRF should learn what the teacher does *consistently*,
    not every one of its mistakes: a short, gentle fit is the regulariser that
    matters. On the held-out protocols (learn on one text, segment another) one
    epoch at 0.03 was as good as the best rate and epoch count tried, in half the
    time. Learning only from the runs where charlm and the unigram word model
    agree, and more self-training rounds, did not help (figures: docs/notes/)."""
    l2: float = 1e-6
    """L2 penalty per row update."""
    batch_units: int = 20_000
    """Units per mini-batch."""
    rounds: int = 1
    """Self-training rounds: after the first, the CRF re-tags the text and learns again."""
    gold_weight: float = 1.0
    """Weight of a gold run against a pseudo-labelled one, above 0 and at most
    :data:`MAX_GOLD_WEIGHT` (:func:`check_gold_weight`)."""
    max_units: int = 4_000_000
    """Units of the learning text (from its start) that are tagged and learned from; fewer
    under a small memory budget (``MemoryPlan.crf_units``)."""
    join_pairs: bool = True
    """Join two one-unit words of the teacher that spell a two-unit word ``discover`` finds
    (:func:`~wordmine.segmentation.crf.teacher.join_discovered_pairs`)."""
    dictionary: str | None = None
    """Words the user already has, as features: ``jieba`` (jieba's bundled dictionary) or a word-list file."""
    seed: int = 0
    charlm: CharLMConfig = field(default_factory=CharLMConfig)
    """The teacher's settings (and the character model the statistics come from)."""
    adapt: str = "jieba"
    """``jieba``: jieba's segmentation of the corpus, corrected by the corpus' own words, replaces
    charlm's as the teacher (:mod:`wordmine.segmentation.crf.adapt`); ``none``: charlm's, the fully
    unsupervised CRF. The default is ``jieba`` because on every dev set of ``make bench``'s
    "your own text" section (news of two standards, a novel, a medical forum) the adapted CRF
    scores above both jieba and the unsupervised CRF (docs/benchmarks.md). With ``teacher``
    ``lexicon`` no segmentation of the corpus is learned from, so there is nothing to adapt:
    the model records ``none`` (:meth:`adapts`)."""
    adapt_discovered: bool = True
    """With ``adapt``: the words ``discover`` finds that jieba lacks join jieba's dictionary first,
    chosen and weighed as ``discover --format jieba`` does (:mod:`wordmine.mining.jieba_dict`)."""
    witness_strings: int | None = None
    """With ``adapt_discovered``: strings under the cohesion bar that the second witness of
    ``--new-only`` tests at most (``MemoryPlan.witness_strings`` of ``--memory``; None: the
    default budget's), as ``discover --format jieba`` does (:mod:`wordmine.mining.surprise`)."""
    adapt_hmm: str = "confirmed"
    """With ``adapt``: a word jieba's HMM makes up (one its dictionary lacks) is ``kept``, kept only
    where ``discover`` finds it in the corpus (``confirmed``), or never made (``off``, jieba's HMM=False)."""

    def __post_init__(self) -> None:
        if self.teacher not in TEACHERS:
            raise ValueError(f"teacher must be one of {', '.join(TEACHERS)}")
        if self.adapt not in ADAPT_TEACHERS:
            raise ValueError(f"adapt must be one of {', '.join(ADAPT_TEACHERS)}")
        if self.adapt_hmm not in HMM_WORDS:
            raise ValueError(f"adapt_hmm must be one of {', '.join(HMM_WORDS)}")
        if not 8 <= self.hash_bits <= 28:
            raise ValueError("hash_bits must be between 8 and 28")
        check_gold_weight(self.gold_weight)

    @property
    def adapts(self) -> bool:
        """Whether the teacher's segmentation of the corpus is jieba's, adapted (``adapt`` applies).

        >>> CRFConfig().adapts, CRFConfig(adapt="none").adapts, CRFConfig(teacher="lexicon").adapts
        (True, False, False)
        """
        return self.adapt == "jieba" and self.teacher in ("charlm", "both")


#: The largest weight of a gold line. AdaGrad scales its steps by the gradients it has seen,
#: so a larger weight only drowns the pseudo-labelled lines further (and past about 1e300 the
#: loss overflows to inf and the weights turn to NaN).
MAX_GOLD_WEIGHT = 1000.0


def check_gold_weight(weight: float) -> float:
    """``weight`` when it is a number above 0 and at most :data:`MAX_GOLD_WEIGHT`, else ValueError.

    >>> check_gold_weight(2.5)
    2.5
    >>> check_gold_weight(float("nan"))
    Traceback (most recent call last):
    ValueError: the gold weight must be a number above 0 and at most 1000, not nan
    """
    if not (isinstance(weight, (int, float)) and 0 < weight <= MAX_GOLD_WEIGHT):
        raise ValueError(f"the gold weight must be a number above 0 and at most {MAX_GOLD_WEIGHT:g}, not {weight}")
    return weight
