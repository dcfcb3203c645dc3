"""Your own text: jieba, jieba with discovered words, the unsupervised CRF and `learn --adapt jieba`."""

from sections.script import script_section

TITLE = "Segmenting your own text: learn --adapt jieba (bench/adapt_bench.py)"
NOTE = ("Each model learns from the set's raw text (plus the train file's where there is one) and segments the "
        "test gold's raw text, scored as `wordmine eval` scores (word spans). jieba: `Tokenizer().lcut`, HMM on; "
        "+ discovered words: `wordmine.to_jieba` of what `discover` finds in the same text (the `discover "
        "--format jieba` entries). Then the adapted model's speed (pd1998 raw repeated, one core) and learning "
        "cost (6.6 MB of laws.txt).")
run = script_section(TITLE, "adapt_bench.py", notes=[NOTE])
