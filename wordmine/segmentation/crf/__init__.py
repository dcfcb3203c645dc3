"""The CRF segmenter: a linear-chain CRF over BMES tags learned from a teacher's labels.

``chain`` is the maths of the chain (forward-backward, Viterbi, tag/boundary
conversions); ``features`` the hashed window features and corpus statistics;
``teacher`` the labels without labelled data; ``model`` the saved model that
decodes; ``learn`` AdaGrad on the log-likelihood.
"""
