# make demo | test | test-fast | docs | bench | bench-scale | bench-docs | lint | clean. Each installs into .venv first when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= ../shared/data

.PHONY: install demo test test-fast docs bench bench-scale bench-quick bench-docs lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask]'
	touch $(STAMP)

# The benchmark's peers (SentencePiece), on top of the test install: `make test` never needs them.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,dask,bench]'
	touch $(BENCH_STAMP)

install: $(STAMP)

demo: $(STAMP)
	@echo "== the words of corpora_samples/story.txt, best first (common words included) =="
	$(BIN)/wordmine discover corpora_samples/story.txt --top 15 --header
	@echo "== only the words jieba's dictionary lacks: the story's names and invented terms =="
	$(BIN)/wordmine discover corpora_samples/story.txt --new-only --top 15 --header

# Two pytest-xdist workers, each test handed to whichever is free (worksteal): most tests wait on a
# command they start, so two at a time keep two cores busy. `pytest` alone still runs one at a time.
XDIST := -n 2 --dist worksteal

test: $(STAMP)
	$(BIN)/python -m pytest -q $(XDIST)

# The inner loop: everything but the tests marked slow (Dask clusters, generated megabytes).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q $(XDIST) -m "not slow"

bench: $(BENCH_STAMP)
	$(BIN)/python bench/run_bench.py --data $(DATA)

# discover --memory 1G on 100 MB and 10 GB of distinct text (about half an hour, 10 GB of corpus in .bench_cache
# and up to 25 GB of spill): the budget, linear time and the spill at ten times make bench's largest size.
bench-scale: $(BENCH_STAMP)
	$(BIN)/python bench/memory_bench.py --data $(DATA) --scale --sizes 100M,10G --json .bench_cache/memory_scale.json

bench-quick: $(BENCH_STAMP)
	$(BIN)/python bench/run_bench.py --data $(DATA) --skip-scale

# The benchmark block of docs/benchmarks.md (and the README's your-own-text table), rewritten from the JSON of the last `make bench`.
bench-docs: $(STAMP)
	$(BIN)/python bench/render.py .bench_cache/bench.json --page docs/benchmarks.md --readme README.md

# docs/cli.md, regenerated from each command's --help (tests/project/test_docs.py fails when it is stale).
docs: $(STAMP)
	$(BIN)/python docs/gen_cli.py

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet ruff==0.17.6  # pinned: a newer ruff brings new rules, and lint must not fail on its own
	$(BIN)/ruff check wordmine tests bench docs

clean:
	rm -rf $(VENV) .pytest_cache .bench_cache *.egg-info
