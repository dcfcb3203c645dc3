"""New words a user would accept: `discover --new-only --no-numbers` against gold words and THUOCL's lists."""

from sections.script import script_section

TITLE = "New words (bench/newwords_bench.py)"
COLUMNS = [("set", "set", ""), ("P@100", "p100", ".3f"), ("P@500", "p500", ".3f"),
           ("correct (top 500)", "correct", ",d"), ("words", "words", ",d"),
           ("fragments in top 200", "fragments", ",d"), ("same as --format jieba", "same_as_jieba_format", ""),
           ("misses in the top 100", "misses", "")]
NOTES = [(
    "Words discovered on the set's raw text (medical_forum, zhuxian: train + test gold without spaces; pd1998: "
    "raw.txt, for reference) with `discover --new-only --no-numbers`; a word is correct when it is a token of the "
    "set's gold files or an entry of a THUOCL list. P@500 is over the whole list when it is shorter. A fragment: "
    "a listed word nine of ten of whose occurrences in the text sit inside a longer word, jieba's or listed.")]
run = script_section(TITLE, "newwords_bench.py", COLUMNS, notes=NOTES,
                     args=lambda bench: ["--cache-dir", str(bench.cache), "--python", bench.python])
