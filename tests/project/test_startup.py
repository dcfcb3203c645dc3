"""What a small run loads: the API brings counting and discovery only, and `discover` on a small file
starts no worker, no progress bar and no subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Stages and libraries a plain `discover` never needs at start-up.
NOT_FOR_DISCOVER = ("wordmine.segmentation.learning", "wordmine.mining.contrast", "wordmine.mining.known",
                    "wordmine.counting.engine.corpusmerge", "tqdm", "jieba", "multiprocessing", "concurrent.futures",
                    "numpy.ma", "subprocess", "wordmine.counting.files.countstream",
                    "wordmine.counting.reducers.learning", "wordmine.counting.reducers.listing", "wordmine.mining.examples")


def _loaded_after(code: str) -> list[str]:
    probe = (f"import sys\n{code}\n"
             f"import json; print(json.dumps(sorted(m for m in {NOT_FOR_DISCOVER!r} if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_the_api_imports_no_stage_discover_does_not_use():
    assert _loaded_after("import wordmine.api") == []


def test_discover_on_a_small_file_through_the_command_line_loads_none_of_them(sample_path):
    code = ("from wordmine.cli import cli\n"
            f"cli.main(['discover', {str(sample_path('story.txt'))!r}, '-q', '--top', '3', '-o', '/dev/null'], "
            "standalone_mode=False)")
    assert _loaded_after(code) == []


def test_the_lazy_public_names_are_the_stages_own():
    import wordmine
    from wordmine.mining.jieba_dict import to_jieba
    from wordmine.segmentation.learning import Segmenter

    assert wordmine.Segmenter is Segmenter and wordmine.to_jieba is to_jieba


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's name is tried first, on Linux")
def test_the_c_library_is_found_without_find_library(monkeypatch):
    import ctypes.util

    from wordmine.counting.engine import heap

    def no_subprocess(name):
        raise AssertionError("find_library runs ldconfig in a subprocess")

    heap._libc.cache_clear()
    monkeypatch.setattr(ctypes.util, "find_library", no_subprocess)
    try:
        assert heap.give_back_freed() in (True, False)  # True on glibc; elsewhere, no malloc_trim
    finally:
        heap._libc.cache_clear()
