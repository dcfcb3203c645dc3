"""wordmine: mine the words of raw Chinese text, with no labelled data.

The pipeline, one module per stage:

1. ``textio``     read files or stdin in blocks, decode strictly, write outputs atomically
2. ``normalize``  fold full-width forms; text to a stream of unit ids (Han
                  characters, Latin/digit runs; 0 at every boundary)
3. ``counting``   exact counts of all n-grams of orders 1..n+1, in chunks
                  (``chunkcount``: one sort each) merged within a memory budget;
                  ``ngrams`` owns the table and its keys, ``keyset`` a hash set of
                  keys, ``countfile`` the ``.wmc`` file
4. ``scoring``    cohesion (weakest-split PMI) and boundary entropy over the tables
5. ``discover``   solid n-grams, cut, count fragments, back-check, redundancy removal
6. ``contrast``   domain terms: candidates from ``discover``, counted on both sides
                  (``occurrences``: n-gram tables, Aho-Corasick, jieba's dictionary),
                  ranked by default with how each gathers in the domain's lines
                  (``dispersion``: document frequency, residual IDF)
7. ``lexicon``    the output formats (TSV, jieba user dictionary, JSON lines)
8. ``segment``    segmentation: a unigram word model over discovered candidates, and
                  the lossless output path every method shares; ``charlm`` the
                  character n-gram model with position tags (``kneser_ney`` its
                  smoothing, ``keyset`` its hash index); ``modelfile`` the ``.wmm`` file

``cli`` is the only module that reads argv, prints, or exits. Every stage takes
a frozen config from ``config``.
"""

__version__ = "0.1.0"
