"""What a count keeps of its merged table, decided as the partitions stream past.

``reduced``: the kept fields and the reducer that keeps everything;
``discovery``: the n-grams discovery needs, with exact boundary entropies;
``learning``: what a segmenter learns from; ``candidates``: only contrast's
candidates; ``listing``: ``count``'s rows, a top-N or ranked runs.
"""
