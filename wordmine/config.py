"""Frozen settings, one dataclass per stage, each field with its reason.

CountConfig (counting), DiscoverConfig (mining.discover), ContrastConfig
(mining.contrast), SegmentConfig (segmentation.unigram) and CharLMConfig
(segmentation.charlm). Options flow one way: the command line and the API
build these, the stages read them.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

from wordmine.errors import WordmineError


def machine_memory() -> int:
    """Physical memory in bytes (1 GiB when the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 1 << 30


def installed_memory() -> int | None:
    """Physical memory in bytes as the system says it (``MemTotal`` of /proc/meminfo, else sysconf), or None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(memory: int, installed: int | None = None) -> int:
    """``memory`` as a budget, refused (ValueError) when it is more than the machine's physical memory.

    A budget the machine cannot give is spent in swap, or ends with the
    kernel's out-of-memory killer, long after the run started; said at once,
    it costs nothing. ``installed`` defaults to :func:`installed_memory`; when
    the system does not say, any budget is taken.

    >>> check_memory(2 << 30, installed=8 << 30)
    2147483648
    >>> check_memory(1 << 40, installed=8 << 30)
    Traceback (most recent call last):
    ValueError: 1T is more than this machine's memory (8G): give at most 8G, or leave --memory out (a quarter of it)
    """
    installed = installed_memory() if installed is None else installed
    if installed is not None and memory > installed:
        raise ValueError(f"{format_size(memory)} is more than this machine's memory ({format_size(installed)}): "
                         f"give at most {format_size(installed)}, or leave --memory out (a quarter of it)")
    return memory


def default_memory() -> int:
    """A quarter of the machine's memory, at least 256 MiB."""
    return max(256 << 20, machine_memory() // 4)


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity, where the system tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def format_size(n: int) -> str:
    """A byte count the way --memory takes it, to three digits.

    >>> format_size(6 << 30), format_size(500 << 20), format_size(int(5.9 * 2**30)), format_size(1000)
    ('6G', '500M', '5.9G', '1000')
    """
    for unit, shift in (("T", 40), ("G", 30), ("M", 20), ("k", 10)):
        if n >= 1 << shift:
            return f"{n / (1 << shift):.3g}{unit}"
    return str(n)


def parse_size(text: str) -> int:
    """Bytes in a size such as ``500M``, ``2G``, ``64k`` or ``123456``.

    >>> parse_size("500M"), parse_size("2g"), parse_size("1024")
    (524288000, 2147483648, 1024)
    """
    units = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    body = text.strip().lower().removesuffix("b").removesuffix("i")
    suffix = body[-1:] if body[-1:] in units else ""
    number = body[: len(body) - len(suffix)]
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"not a size: {text!r} (try 500M or 2G)") from None
    if value <= 0 or not math.isfinite(value):
        raise ValueError(f"not a size: {text!r} (try 500M or 2G)")
    return int(value * units[suffix])


#: The least --memory that counting a large input can keep to: the fixed working set of a
#: chunk's sort (2 M units, a record per order), the reading buffers, Python and numpy.
MIN_MEMORY = 100 << 20
#: Inputs up to this size (about one chunk of text) are counted under any budget.
SMALL_INPUT_BYTES = 8 << 20


def check_budget(memory: int, input_bytes: int) -> None:
    """Refuse, before any work, a budget below what counting ``input_bytes`` of text needs.

    >>> check_budget(50 << 20, 1 << 30)
    Traceback (most recent call last):
    ...
    wordmine.errors.WordmineError: --memory 50M is too small to count 1.07 GB of text: give --memory 100M or more
    >>> check_budget(50 << 20, 1 << 20)  # a small input fits any budget
    """
    if memory < MIN_MEMORY and input_bytes > SMALL_INPUT_BYTES:
        raise WordmineError(f"--memory {format_size(memory)} is too small to count {input_bytes / 1e9:.3g} GB of "
                            f"text: give --memory {format_size(MIN_MEMORY)} or more")


#: What a counting worker costs whatever its share of the budget: its own Python and numpy,
#: and the arrays of one chunk's sort.
WORKER_BYTES = 240 << 20


def budget_jobs(memory: int, jobs: int) -> int:
    """Worker processes a budget can pay for: one per WORKER_BYTES, at least one.

    On 100 MB of distinct text under --memory 100M two workers peaked at 432 MiB
    of process tree, one at 263 MiB.

    >>> budget_jobs(100 << 20, 2), budget_jobs(500 << 20, 2), budget_jobs(8 << 30, 2)
    (1, 2, 2)
    """
    return max(1, min(jobs, memory // WORKER_BYTES))


def budget_chunk_units(memory: int) -> int:
    """Units counted per sort: 2 M, or fewer under a budget below 256 MiB (a chunk's arrays take
    about 64 bytes a unit).

    >>> budget_chunk_units(1 << 30), budget_chunk_units(100 << 20)
    (2097152, 819200)
    """
    return min(1 << 21, max(1 << 16, memory // 128))


MIN_BUDGET = 64 << 10
"""The smallest --memory taken at all (a usage error below it), the floor of ``CountConfig``: a
small text can be counted, spilling, in 64 KiB of tables (its fixed cost, Python, numpy and one
chunk's sort, about 270 MB resident, is not in any budget); a large one needs
:data:`MIN_MEMORY` (see :func:`check_budget`)."""


@dataclass(frozen=True)
class CountConfig:
    """How the streaming counter runs."""

    order: int = 4
    """n: counts orders 1..n+1 (n+1 gives the neighbours for boundary entropy of n-grams)."""
    memory: int = field(default_factory=default_memory)
    """Memory budget in bytes; count tables past half of it are spilled to disk."""
    chunk_units: int = 1 << 21
    """Units counted per sort: 2 M keeps a sort cache-friendly and both cores busy."""
    bits: int = 16
    """Starting bits per unit id; widened automatically when the vocabulary outgrows it."""
    tmp_dir: str | None = None
    """Where spilled runs go (default: the system's temporary folder)."""
    jobs: int = field(default_factory=default_jobs)
    """Worker processes that count chunks (the main process reads and merges)."""
    prune: bool = False
    """Keep only what discovery needs: orders 1..order, n-grams of order 2 and up seen
    ``min_count`` times or more, and the boundary entropies of those (wordmine.counting.reducers.discovery)."""
    min_count: int | None = None
    """The pruning threshold; None: auto_min_count of the number of units, as discovery's default."""

    @property
    def stream_memory(self) -> int:
        """Bytes of unit stream kept in memory before it moves to a temporary file.

        A sixteenth of the budget, at most 256 MiB: the stream is read in
        order, so on disk it costs one sequential pass per use.
        """
        return min(self.memory // 16, 256 << 20)

    def __post_init__(self) -> None:
        if not 1 <= self.order <= 8:
            raise ValueError(f"order must be 1..8, not {self.order}")
        if self.memory < MIN_BUDGET:
            raise ValueError("a memory budget below 64K is not workable")


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
    """Viterbi re-estimation rounds. Measured on four gold sets, further rounds (and
    soft EM with forward-backward counts) moved F1 by less than 0.001: the
    candidates, not the estimates, limit the model."""
    prune_count: int = 2
    """Words seen fewer times in a round are dropped; single units never are."""
    min_count: int | None = None
    """Fewest occurrences of a candidate word (None: discover's default for the corpus size)."""
    cohesion: tuple[float, ...] = (2.0, 4.0, 6.0)
    """Cohesion thresholds of the candidates' discovery: lower than discover's own
    (3, 5, 7), as a segmenter needs every word more than a clean list; 2, 4, 6 gave
    the best F1 on three of the four gold sets measured."""


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
    """Measured on four gold sets (F1 for scales 0.75 / 1 / 1.125 / 1.25 / 1.375 / 1.5):
    pd1998 .680 / .777 / .789 / .786 / .774 / .755; zhuxian .643 / .735 / .763 / .780
    / .786 / .786; ctb6 .715 / .770 / .776 / .774 / .767 / .755; medical_forum .674 /
    .737 / .750 / .753 / .755 / .746. The published weights join too much on corpora
    of 0.1-2 M characters (a Kneser-Ney model of a small corpus is sure of its
    n-grams); 1.25 is within 0.006 of the best scale on every set. The calibration
    picked 1.375, 1.25, 1.5, 1.25 (F1 .774, .780, .755, .753): no better than one
    constant and several times slower to learn, so it is not the default."""
    scales: tuple[float, ...] = (1.0, 1.125, 1.25, 1.375, 1.5, 1.75, 2.0)
    """Scales the calibration tries."""
    calibration_units: int = 1_000_000
    """Units of the corpus (from its start) that the calibration segments; bounds its cost."""
    min_count: int | None = None
    """Passed to the unigram model that the calibration agrees with."""
    prune_count: int = 2
    """n-grams of order 3 and 4 seen fewer times are dropped (they back off). Measured
    on four gold sets: F1 within +-0.001 of keeping them all, a model a third the size
    (pd1998: 1.75 M -> 0.54 M n-grams, a 35 MB file -> about 12 MB)."""
    boundary_weight: float = 1.25
    """Weight (natural log per standard deviation) of the boundary score added to
    tag b: the mean normalised variation of branching entropy of the n-grams that
    end just before and start at the unit (:func:`wordmine.segmentation.charlm.variation.boundary_scores`). The
    character model alone says how well a unit is predicted inside a word; this
    says whether the strings around the position look complete, the cue of
    nVBE segmentation (Magistry and Sagot 2012). Measured on four gold sets
    without the word score (F1 pd1998 / zhuxian / ctb6 / medical_forum for
    weights 0 / 1 / 1.25 / 1.5 / 2): .789 / .799 / .800 / .801 / .802; .780 /
    .782 / .782 / .781 / .780; .774 / .784 / .785 / .785 / .786; .757 / .762 /
    .763 / .763 / .763: every set gains from 1 to 2. With weight 1.5, the
    transition scale 1.125 / 1.375 instead of 1.25 gave pd1998 .801 / .798,
    zhuxian .759 / .782, ctb6 .784 / .784, medical_forum .754 / .759; leaving
    out the order-1 variations (weight 1) pd1998 .803 but zhuxian .764. pd1998
    and zhuxian pull the balance of splitting opposite ways; the mean over
    orders 1-4 at the old scale lowers neither. 1.25 goes with ``word_weight``."""
    word_weight: float = 0.125
    """Weight of each word's autonomy times its length, added where the word ends
    (:func:`wordmine.segmentation.charlm.variation.autonomy`; the sum of a(w) |w| is what Magistry and Sagot's segmenter
    maximises). Where the boundary score judges a position from every n-gram
    around it, this judges the word the tagging actually proposes. Measured
    (F1 pd1998 / zhuxian / ctb6 / medical_forum), boundary weight : word weight:
    1.5 : 0 .801 / .781 / .785 / .763; 1.5 : 0.125 .803 / .785 / .788 / .762;
    1.25 : 0.125 .802 / .786 / .788 / .763; 1 : 0.125 .801 / .787 / .787 / .764;
    1.25 : 0.25 .801 / .788 / .787 / .758; word score alone (0 : 0.5, no length
    factor) .786 / .800 / .777 / .750. The default is the pair of the grid that
    leaves no set below the boundary score alone. Without the length factor
    (1.5 : 0.125) .802 / .790 / .788 / .761: better on zhuxian, worse on
    medical_forum; the length factor is the published objective."""

    def __post_init__(self) -> None:
        if self.transitions not in TRANSITION_MODES:
            raise ValueError(f"transitions must be one of {', '.join(TRANSITION_MODES)}")
        if not self.scale > 0:
            raise ValueError("the transition scale must be positive")
        if not (self.boundary_weight >= 0 and self.word_weight >= 0):
            raise ValueError("the boundary weight and the word weight must be 0 or more")


# Segmentation: the CRF (wordmine.segmentation.crf.learn)

TEACHERS = ("charlm", "lexicon", "both")


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
    matters. Measured on the held-out protocols (learn on one text, segment
    another; F1 pd1998 halves / zhuxian / medical_forum, charlm .777 / .764 /
    .739): rate 0.1, 2 epochs .787 / .791 / .763; 0.03, 2 epochs .791 / .792 /
    .767; 0.02, 2 epochs .793 / .790 / .768; 0.01, 2 epochs .794 / .784 / .765;
    0.003, 2 epochs .790 / .770 / .763; 0.03, 1 epoch .793 / .790 / .767 (the
    default: as good as the best, in half the time). Learning only from the runs
    where charlm and the unigram word model agree gave .793 / .776 / .751, and
    more self-training rounds .792 / .791 (2, 3 rounds) on pd1998: neither helps."""
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
    under a small memory budget (:func:`crf_units`)."""
    join_pairs: bool = True
    """Join two one-unit words of the teacher that spell a two-unit word ``discover`` finds
    (:func:`~wordmine.segmentation.crf.teacher.join_discovered_pairs`)."""
    dictionary: str | None = None
    """Words the user already has, as features: ``jieba`` (jieba's bundled dictionary) or a word-list file."""
    seed: int = 0
    charlm: CharLMConfig = field(default_factory=CharLMConfig)
    """The teacher's settings (and the character model the statistics come from)."""

    def __post_init__(self) -> None:
        if self.teacher not in TEACHERS:
            raise ValueError(f"teacher must be one of {', '.join(TEACHERS)}")
        if not 8 <= self.hash_bits <= 28:
            raise ValueError("hash_bits must be between 8 and 28")
        check_gold_weight(self.gold_weight)


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


#: What learning the CRF costs per unit of text it learns from: its features, tags and
#: statistics (measured: 6.6 MB of laws.txt, 2.2 M units, peaked at 611-625 MiB, of
#: which about 150 MiB is Python, numpy and the character model).
CRF_BYTES_PER_UNIT = 256


def crf_units(memory: int, max_units: int) -> int:
    """Units the CRF may learn from: a quarter of ``memory`` at ``CRF_BYTES_PER_UNIT``, at most ``max_units``.

    A quarter, because the counts and the character model it learns beside are
    still in memory (learning on 1 GB under --memory 2G peaked at 2,272 MiB when
    the CRF took 4 M units).

    >>> crf_units(250 << 20, 4_000_000), crf_units(2 << 30, 4_000_000), crf_units(8 << 30, 4_000_000)
    (256000, 2097152, 4000000)
    """
    return max(1, min(max_units, memory // 4 // CRF_BYTES_PER_UNIT))
