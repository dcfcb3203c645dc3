"""The CRF segmenter against charlm and jieba: held-out and self-learned F1, teachers, gold lines, cost."""

from sections.script import script_section

TITLE = "CRF segmentation (bench/crf_bench.py)"
run = script_section(TITLE, "crf_bench.py")
