"""Memory on really distinct text: the stress corpus at 100 MB and 1 GB under --memory (bench/memory_bench.py).

With ``--skip-scale`` only the 100 MB rows run.
"""

from common import Bench, Table

from sections.script import script_section

TITLE = "Memory on really distinct text (bench/memory_bench.py)"


def run(bench: Bench) -> list[Table]:
    sizes = "100M" if bench.skip_scale else "100M,1G"
    return script_section(TITLE, "memory_bench.py", args=lambda b: [
        "--cache-dir", str(b.cache), "--python", b.python, "--sizes", sizes, "--count-max", "1G"])(bench)
