"""The benchmark's sections, in the order they run and print.

Each module has ``TITLE`` and ``run(bench) -> list[Table]`` (see ``bench/common.py``).
A section that runs a standalone script (one that prints a table and writes a
JSON list of row records) is a few lines with ``script.script_section``.
"""

ORDER = ["precision", "speed", "peers", "contrast", "segment", "crf", "jieba", "scale", "memory"]
