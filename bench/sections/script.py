"""A section that runs a standalone benchmark script and takes the row records it writes.

A script such as ``bench/crf_bench.py`` prints its own table and writes a JSON
list of row records (one dict per row); its section module is then three lines::

    from sections.script import script_section
    TITLE = "CRF segmentation"
    run = script_section(TITLE, "crf_bench.py")

The script is run as ``python bench/SCRIPT --data DATA --json CACHE/SCRIPT.json
[ARGS]``, measured like any command. Without ``columns`` the table shows every
key of the records, in order of first appearance, except ``command``. A script
that fails, or writes no JSON, gives one row saying so.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable

from common import BENCH_DIR, Bench, Table, one_line


def columns_of(records: list[dict]) -> list[tuple[str, str, str]]:
    """(header, key, format) for every key of the records but ``command``; floats with 3 decimals.

    >>> columns_of([{"set": "a", "f1": 0.5, "command": "x"}, {"set": "b", "words": 3}])
    [('set', 'set', ''), ('f1', 'f1', '.3f'), ('words', 'words', '')]
    """
    seen: dict[str, str] = {}
    for record in records:
        for key, value in record.items():
            if key != "command" and (key not in seen or (isinstance(value, float) and not seen[key])):
                seen[key] = ".3f" if isinstance(value, float) else ""
    return [(key, key, spec) for key, spec in seen.items()]


def script_section(title: str, script: str, columns: list[tuple[str, str, str]] | None = None,
                   args: Callable[[Bench], list[str]] = lambda bench: [],
                   notes: list[str] | None = None) -> Callable[[Bench], list[Table]]:
    """The ``run`` function of a section whose rows come from ``bench/<script>``."""

    def run(bench: Bench) -> list[Table]:
        path = BENCH_DIR / script
        if not path.is_file():
            return [Table(title, [("measure", "measure", "")], [{"measure": script, "skipped": "skipped (no script)"}])]
        out = bench.cache / f"{path.stem}.json"
        out.unlink(missing_ok=True)
        argv = [bench.python, str(path), "--data", str(bench.data), "--json", str(out), *args(bench)]
        res = bench.run(script, argv, f"{path.stem}.stdout")
        if not out.is_file():
            failed = one_line(res) if not res.ok else "no JSON written"
            return [Table(title, [("measure", "measure", "")],
                          [{"measure": script, "command": shlex.join(argv), "failed": failed}])]
        records = json.loads(out.read_text(encoding="utf-8"))
        for record in records:
            record.setdefault("command", shlex.join(argv))
        # A script whose own row failed still wrote the others: they are shown, and the failure said.
        failure = (f"{script} failed: {one_line(res)} (the rows above with a non-zero exit, or a check that says "
                   "MISSED or OVER, are the ones that failed)")
        said = list(notes or []) + ([] if res.ok else [failure])
        return [Table(title, columns or columns_of(records), records, said)]

    return run
