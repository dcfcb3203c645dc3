"""The package map in ``wordmine/__init__.py`` names every module once, and imports go one way down the rooms."""

from __future__ import annotations

import ast
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


#: The rooms of the package, lowest first: a module may import its own room and the rooms before it,
#: never one after it. Inside ``counting`` the layers run from the table in memory to the cluster.
LAYERS = [
    ("errors", "arrays", "blas", "parallel", "normalize", "lexicon", "budget", "config", "checks", "unitstream"),
    ("io",),
    ("counting.table",),
    ("counting.spill",),
    ("counting.reducers",),
    ("counting.files",),
    ("counting.engine",),
    ("counting.cluster",),
    ("mining",),
    ("segmentation",),
    ("counts", "api"),
    ("cli",),
]


def layer_of(module: str) -> int:
    """The index in LAYERS of the longest room that holds ``module`` (a dotted name below ``wordmine``)."""
    best = (-1, -1)
    for index, rooms in enumerate(LAYERS):
        for room in rooms:
            if module == room or module.startswith(room + "."):
                best = max(best, (len(room), index))
    assert best[1] >= 0, f"{module} is in no room of LAYERS"
    return best[1]


def imports_of(name: str) -> set[str]:
    """The wordmine modules that module ``name`` imports (deferred imports included), from its syntax tree."""
    path = Path(wordmine.__file__).parent / (name.replace(".", "/") + ".py")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("wordmine."):
            found.add(node.module.removeprefix("wordmine."))
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("wordmine.") for a in node.names if a.name.startswith("wordmine.")}
    return found


def test_imports_go_one_way_down_the_layers():
    upward = {(name, target) for name in modules() for target in imports_of(name)
              if layer_of(target) > layer_of(name)}
    assert upward == set()


def test_the_layer_check_catches_an_upward_import():
    assert layer_of("counting.engine.counter") > layer_of("counting.table.ngrams")
    assert layer_of("cli.options") > layer_of("api") > layer_of("segmentation.crf.model") > layer_of("mining.scoring")


#: What the command line may import of the package: the public API, the option checks it shares with
#: the API, defaults and choices, the errors; and its own modules. No engine, io or stage module.
CLI_MAY_IMPORT = {"wordmine", "wordmine.checks", "wordmine.config", "wordmine.errors"}


def cli_imports() -> set[str]:
    found = set()
    for name in (m for m in modules() if m.startswith("cli.")):
        path = Path(wordmine.__file__).parent / (name.replace(".", "/") + ".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "wordmine":
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.split(".")[0] == "wordmine"}
    return {m for m in found if not m.startswith("wordmine.cli")}


def test_the_cli_imports_only_the_public_api_checks_config_and_errors():
    assert cli_imports() <= CLI_MAY_IMPORT, cli_imports() - CLI_MAY_IMPORT


def test_the_cli_uses_only_public_names_of_wordmine():
    used = set()
    for name in (m for m in modules() if m.startswith("cli.")):
        path = Path(wordmine.__file__).parent / (name.replace(".", "/") + ".py")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        used |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                 and isinstance(node.value, ast.Name) and node.value.id == "wordmine"}
        used |= {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "wordmine"
                 for a in node.names}
    assert used - {"__version__"} <= set(wordmine.__all__), used - set(wordmine.__all__)


def test_every_public_name_has_a_home_and_import_loads_none_of_them():
    import subprocess
    import sys

    assert set(wordmine.__all__) == {"__version__", *wordmine._HOMES}
    assert all(getattr(wordmine, name) is not None for name in wordmine.__all__)
    # a fresh interpreter: importing the package, or the command line's modules, loads no numpy
    probe = ("import sys, wordmine, wordmine.cli; "
             "print(sorted(m for m in ('numpy', 'wordmine.api', 'jieba') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"
