"""The character model: Kneser-Ney smoothed character n-grams with position tags.

``model`` learns and applies it; ``kneser_ney`` smooths the counts; ``variation``
scores boundaries and words by normalised variation of branching entropy (nVBE).
"""
