"""What is new since an older corpus: the discovered words whose rate rose most.

``discover this_month.txt --since last_year.wmc`` discovers the words of the
newer text as usual, counts each of them exactly in the older corpus (a text
or a count file; only the candidates' counts are kept, as ``contrast`` keeps
them), and ranks them by ``contrast``'s salience
(:func:`wordmine.mining.contrast.rank_terms`): the log ratio of the two rates
(half a count added to each side, capped at 4 nats so that a rare word absent
before does not win on the ratio alone) times the log of its count in the
newer text times its smaller boundary entropy (capped at 3 nats). Both counts
are counts of the word as a string, also inside longer words, so the ratio
compares like with like. Only words used more now than before (log ratio
above 0) are listed.

Salience rather than ``contrast``'s default ``topical``: topical rewards a term
that gathers in few lines of one corpus, a property of a domain's vocabulary
against general text, while a word that emerged is new everywhere in the
newer text; salience needs no second reading of the text.

>>> import numpy as np
>>> from wordmine.lexicon import Lexicon
>>> lexicon = Lexicon(["疫苗", "今天", "新冠"], np.array([40, 90, 60]), np.ones(3), np.full(3, 2.0),
...                   np.full(3, 2.0), np.ones(3))
>>> order, older_count, ratio, rise = rank_rising(lexicon, np.array([40, 90, 60]), np.array([2, 1500, 0]),
...                                               10_000, 100_000)
>>> [lexicon.words[i] for i in order], older_count.tolist()
(['新冠', '疫苗'], [0, 2])
"""

from __future__ import annotations

import numpy as np

from wordmine.config import ContrastConfig
from wordmine.lexicon import Lexicon
from wordmine.mining.contrast import rank_terms

#: The statistic of contrast used to rank risen words (see the module docstring).
METHOD = "salience"


def rank_rising(lexicon: Lexicon, newer_count: np.ndarray, older_count: np.ndarray, newer_total: int,
                older_total: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The rows of ``lexicon`` whose rate rose, best first, with their older counts, log ratios and scores.

    ``newer_count`` and ``older_count``: each word's occurrences in the newer
    and the older corpus, of ``newer_total`` and ``older_total`` units.
    Returns (row indices into the lexicon, older counts, log ratios, scores),
    in rank order.
    """
    freedom = np.minimum(lexicon.left_entropy, lexicon.right_entropy)
    terms = rank_terms(list(lexicon.words), np.asarray(newer_count), np.asarray(older_count), max(newer_total, 1),
                       max(older_total, 1), freedom, ContrastConfig(method=METHOD))
    row = {word: i for i, word in enumerate(lexicon.words)}
    rose = terms.log_ratio > 0
    order = np.array([row[w] for w, up in zip(terms.terms, rose.tolist()) if up], np.int64)
    return order, terms.general_count[rose], terms.log_ratio[rose], terms.score[rose]
