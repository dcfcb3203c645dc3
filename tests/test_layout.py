"""The package map in ``wordmine/__init__.py`` names every module once, and modules stay small."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import wordmine


def modules() -> list[str]:
    return sorted(m.name.removeprefix("wordmine.") for m in pkgutil.walk_packages(wordmine.__path__, "wordmine.")
                  if not m.ispkg and m.name != "wordmine.__main__")


def test_the_package_map_lists_every_module_once():
    # the map's lines: four spaces of indent, the module in double backquotes, its role
    listed = re.findall(r"^ {4}``([a-z_.]+)``", wordmine.__doc__, flags=re.MULTILINE)
    assert sorted(modules()) == sorted(set(listed))
    assert len(listed) == len(set(listed))


def test_no_module_is_over_about_400_lines():
    root = Path(wordmine.__file__).parent
    sizes = {name: len((root / (name.replace(".", "/") + ".py")).read_text(encoding="utf-8").splitlines())
             for name in modules()}
    assert {name: n for name, n in sizes.items() if n > 420} == {}
