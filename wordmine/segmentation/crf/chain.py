"""Stage 8c: a linear-chain conditional random field over position tags (kexue.fm 5542).

Each unit of a run gets one of four tags, in the column order of every array here:

    B  first unit of a word of two or more      M  inside such a word (neither first nor last)
    E  last unit of a word of two or more       S  a word of one unit

(BMES rather than charlm's b/c/d/e, because E and S say where a word *ends*, which
is what the output needs, and a word's last unit is where a discriminative tagger
has the most to weigh.) A tagging y of a run x scores

    s(y) = sum_i emission[i, y_i] + sum_i transition[y_{i-1}, y_i]

and p(y | x) = exp s(y) / Z(x). Transitions a segmentation forbids (B->B, M->S,
E->M, a run that starts with M or E or ends with B or M, ...) are -inf, so every
tagging with p > 0 spells a segmentation. Learning maximises the log-likelihood
of tagged runs; the normaliser log Z comes from the forward recursion, its
gradient (the tag marginals) from forward-backward, decoding is Viterbi (Su
Jianlin, 2018, "简明条件随机场CRF介绍", https://kexue.fm/archives/5542; Lafferty,
McCallum and Pereira, 2001, "Conditional Random Fields",
https://repository.upenn.edu/cis_papers/159/).

All runs of a batch are laid out step-major, longest first (as
:func:`wordmine.charlm.best_tag_ends` does): the units at step t are one
contiguous slice and the runs alive at step t + 1 are its leading part, so each
recursion is a Python step per position of the longest run, over every run at once.

>>> e = np.log(np.array([[.9, .1, .1, .1], [.1, .1, .9, .1], [.1, .1, .1, .9]]))
>>> t = allowed_transitions()
>>> viterbi(e, t, np.array([0, 1, 2])).tolist()  # B E S: a word of two, then one of one
[0, 2, 3]
>>> m = marginals(e, t, np.array([0, 1, 2]))[0]
>>> np.allclose(m.sum(axis=1), 1.0)
True
"""

from __future__ import annotations

import numpy as np

#: The tags, in column order.
TAGS = "BMES"
B, M, E, S = range(4)
_NEG = -np.inf


def allowed_transitions() -> np.ndarray:
    """A 4 x 4 matrix, 0 where tag ``row`` may precede tag ``column``, -inf where a segmentation forbids it.

    >>> (allowed_transitions() == 0).astype(int).tolist()
    [[0, 1, 1, 0], [0, 1, 1, 0], [1, 0, 0, 1], [1, 0, 0, 1]]
    """
    out = np.full((4, 4), _NEG)
    for a, b in ("BM", "BE", "MM", "ME", "EB", "ES", "SB", "SS"):
        out[TAGS.index(a), TAGS.index(b)] = 0.0
    return out


#: The two tags that may come before each tag (rows B, M, E, S).
PREDECESSORS = np.array([[E, S], [B, M], [B, M], [E, S]])

#: Which tags may start and end a run (0 allowed, -inf not).
START = np.array([0.0, _NEG, _NEG, 0.0])
END = np.array([_NEG, _NEG, 0.0, 0.0])


def tags_of_ends(ends: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The BMES tag of each unit, given True after each unit that ends a word.

    >>> tags_of_ends(np.array([0, 1, 1, 0, 0, 1], bool), np.array([0, 1, 2, 0, 1, 2])).tolist()
    [0, 2, 3, 0, 1, 2]
    """
    if not len(ends):
        return np.zeros(0, np.int8)
    ends = ends.copy()
    ends[np.append(np.flatnonzero(offsets == 0)[1:] - 1, len(offsets) - 1)] = True
    starts = np.concatenate([[True], ends[:-1]]) | (offsets == 0)
    return np.where(starts, np.where(ends, S, B), np.where(ends, E, M)).astype(np.int8)


def ends_of_tags(tags: np.ndarray) -> np.ndarray:
    """True after each unit whose tag ends a word (E or S)."""
    return (tags == E) | (tags == S)


class Layout:
    """The step-major order of the units of many runs (``offsets`` restart at 0 for each run).

    ``slot[i]`` is where unit i goes; ``bounds[t]:bounds[t + 1]`` are the units at
    step t, runs longest first; ``run_of_slot`` is the run (by rank) of each slot.
    """

    def __init__(self, offsets: np.ndarray) -> None:
        n = len(offsets)
        starts = np.flatnonzero(offsets == 0)
        lengths = np.diff(np.append(starts, n))
        rank = np.empty(len(starts), np.int64)
        rank[np.argsort(-lengths, kind="stable")] = np.arange(len(starts))
        self.per_step = np.bincount(offsets) if n else np.zeros(0, np.int64)
        self.bounds = np.concatenate([[0], np.cumsum(self.per_step)]).astype(np.int64)
        self.run_rank = rank[np.cumsum(offsets == 0) - 1] if n else np.zeros(0, np.int64)
        self.slot = self.bounds[offsets] + self.run_rank if n else np.zeros(0, np.int64)
        self.runs = len(starts)
        ranked_lengths = np.sort(lengths)[::-1]
        #: The slot of each run's last unit, runs by rank.
        self.last = self.bounds[ranked_lengths - 1] + np.arange(len(starts)) if n else np.zeros(0, np.int64)
        self.run_of_slot = np.empty(n, np.int64)
        self.run_of_slot[self.slot] = self.run_rank

    def step(self, t: int) -> slice:
        return slice(int(self.bounds[t]), int(self.bounds[t + 1]))

    def alive(self, t: int) -> slice:
        """The slots of step t - 1 whose runs go on to step t (the leading part)."""
        lo = int(self.bounds[t - 1])
        return slice(lo, lo + int(self.per_step[t]))


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    top = np.max(x, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(x - top), axis=axis)) + np.squeeze(top, axis=axis)


def forward(emission: np.ndarray, transitions: np.ndarray, layout: Layout) -> tuple[np.ndarray, np.ndarray]:
    """Forward log scores in step-major order (an (n, 4) array) and log Z of each run (by rank).

    ``emission`` is already in step-major order.
    """
    alpha = np.empty_like(emission)
    if not len(emission):
        return alpha, np.zeros(0)
    first = layout.step(0)
    alpha[first] = emission[first] + START
    for t in range(1, len(layout.per_step)):
        before = alpha[layout.alive(t)]
        alpha[layout.step(t)] = _logsumexp(before[:, :, None] + transitions[None], axis=1) + emission[layout.step(t)]
    return alpha, _logsumexp(alpha[layout.last] + END, axis=1)


def backward(emission: np.ndarray, transitions: np.ndarray, layout: Layout) -> np.ndarray:
    """Backward log scores in step-major order: log of the sum over the rest of the run after each tag."""
    beta = np.empty_like(emission)
    if not len(emission):
        return beta
    beta[layout.last] = END
    for t in range(len(layout.per_step) - 1, 0, -1):
        after = emission[layout.step(t)] + beta[layout.step(t)]
        beta[layout.alive(t)] = _logsumexp(transitions[None] + after[:, None, :], axis=2)
    return beta


def marginals(emission: np.ndarray, transitions: np.ndarray, offsets: np.ndarray,
              weight: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """p(y_i = tag | run) for each unit (n, 4), the expected transition counts (4, 4), and log Z per run.

    ``emission`` in unit order; the marginals come back in unit order, log Z by
    the order of the runs in the input. ``weight`` (one per unit, constant along
    a run) weighs each run's share of the transition counts.
    """
    layout = Layout(offsets)
    ordered = np.empty_like(emission)
    ordered[layout.slot] = emission
    alpha, log_z = forward(ordered, transitions, layout)
    beta = backward(ordered, transitions, layout)
    z_of_slot = log_z[layout.run_of_slot]
    unit = np.exp(alpha + beta - z_of_slot[:, None])
    pairs = np.zeros((4, 4))
    slot_weight = np.ones(len(emission))
    if weight is not None:
        slot_weight[layout.slot] = weight
    for t in range(1, len(layout.per_step)):
        before, here = layout.alive(t), layout.step(t)
        joint = (alpha[before][:, :, None] + transitions[None]
                 + (ordered[here] + beta[here])[:, None, :] - z_of_slot[here][:, None, None])
        pairs += np.einsum("rab,r->ab", np.exp(joint), slot_weight[here])
    run_rank = layout.run_rank[offsets == 0]
    return unit[layout.slot], pairs, log_z[run_rank]


def path_scores(emission: np.ndarray, transitions: np.ndarray, tags: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The score s(y) of the given tagging of each run (in input order of the runs)."""
    n = len(tags)
    tags = tags.astype(np.int64)
    score = emission[np.arange(n), tags]
    inside = np.flatnonzero(offsets[1:] != 0) + 1
    score[inside] += transitions[tags[inside - 1], tags[inside]]
    starts = np.flatnonzero(offsets == 0)
    lasts = np.append(starts[1:] - 1, n - 1)
    score[starts] += START[tags[starts]]
    score[lasts] += END[tags[lasts]]
    return np.add.reduceat(score, starts) if n else np.zeros(0)


def viterbi(emission: np.ndarray, transitions: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The best tag of each unit (int8), every run at once.

    Of equal scores the first wins: the lower predecessor tag, the lower final tag.
    """
    if len(offsets) == 0:
        return np.zeros(0, np.int8)
    layout = Layout(offsets)
    if np.array_equal(np.isfinite(transitions), np.isfinite(allowed_transitions())):
        return _viterbi_segmentation(emission, transitions, layout)
    return _viterbi_any(emission, transitions, layout)


def _viterbi_any(emission: np.ndarray, transitions: np.ndarray, layout: Layout) -> np.ndarray:
    """:func:`viterbi` for any transitions: a maximum over the four tags before each tag."""
    n = len(layout.slot)
    score = np.empty_like(emission)
    score[layout.slot] = emission
    best = np.empty_like(score)
    came = np.zeros((n, 4), np.int8)
    first = layout.step(0)
    best[first] = score[first] + START
    for t in range(1, len(layout.per_step)):
        options = best[layout.alive(t)][:, :, None] + transitions[None]
        choice = np.argmax(options, axis=1)
        came[layout.step(t)] = choice
        best[layout.step(t)] = np.take_along_axis(options, choice[:, None, :], axis=1)[:, 0] + score[layout.step(t)]
    tags = np.zeros(n, np.int8)
    # Back from the last step. ``tag`` holds the tags at step t of the runs that go on
    # past it (the leading part); the runs ending at step t take their best final tag.
    tag = np.zeros(0, np.int8)
    for t in range(len(layout.per_step) - 1, -1, -1):
        here = layout.step(t)
        ending = np.arange(here.start + len(tag), here.stop)
        tag = np.concatenate([tag, np.argmax(best[ending] + END, axis=1).astype(np.int8)])
        tags[here] = tag
        if t:
            tag = came[np.arange(here.start, here.stop), tag.astype(np.int64)]
    return tags[layout.slot]


def _viterbi_segmentation(emission: np.ndarray, transitions: np.ndarray, layout: Layout) -> np.ndarray:
    """:func:`viterbi` when the transitions a segmentation forbids are the only ones forbidden.

    Each tag then has two possible tags before it (B and S after E or S, M and E
    after B or M), so each step compares two vectors per tag. The scores are kept
    one tag per row (4 rows of n, step-major) so every operation runs over a
    contiguous vector; the sums are those of the general case, in the same order,
    and ties go the same way (the first predecessor unless the second is greater).
    """
    n = len(layout.slot)
    score = np.empty((4, n), emission.dtype)
    score[:, layout.slot] = emission.T
    best = np.empty_like(score)
    second = np.zeros((4, n), bool)  # True where the tag's second predecessor was the better
    weight = transitions[PREDECESSORS, np.arange(4)[:, None]]
    first = layout.step(0)
    best[:, first] = score[:, first] + START[:, None]
    # Per tag: the rows of its two possible predecessors and the two transition weights,
    # looked up once (as plain Python objects: the loop below runs once per position).
    plan = [(best[a], best[b], float(weight[tag, 0]), float(weight[tag, 1]), best[tag], score[tag], second[tag])
            for tag, (a, b) in enumerate(PREDECESSORS.tolist())]
    bounds = layout.bounds.tolist()
    for t in range(1, len(layout.per_step)):
        lo, hi = bounds[t], bounds[t + 1]
        before = slice(bounds[t - 1], bounds[t - 1] + hi - lo)
        for first_row, second_row, first_weight, second_weight, out, here, chose_second in plan:
            one = first_row[before] + first_weight
            two = second_row[before] + second_weight
            np.greater(two, one, out=chose_second[lo:hi])
            # the larger of the two (equal values are the same number: which one is taken cannot show)
            np.add(np.maximum(one, two, out=one), here[lo:hi], out=out[lo:hi])
    # Back from the last step. ``tag`` holds the tags at step t of the runs alive there
    # (by rank); the runs whose last unit is at step t join it with their best final tag.
    final = np.argmax(best[:, layout.last].T + END, axis=1)
    alive = np.append(layout.per_step, 0)
    tags = np.zeros(n, np.int8)
    tag = np.zeros(0, np.int64)
    for t in range(len(layout.per_step) - 1, -1, -1):
        here = layout.step(t)
        tag = np.concatenate([tag, final[alive[t + 1] : alive[t]]])
        tags[here] = tag
        if t:
            tag = PREDECESSORS[tag, second[tag, np.arange(here.start, here.stop)].astype(np.int64)]
    return tags[layout.slot]
