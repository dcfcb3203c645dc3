"""wordmine's tests, a folder by what they are about (``make test`` runs them all, ``make test-fast`` all but
those marked ``slow``):

- ``input/``: reading text: encodings and their hints, binary and undecodable bytes, standard input and pipes,
  lines of many megabytes, any Unicode at all, what a unit of text is (``normalize``).
- ``output/``: what is written: TSV, JSON lines and jieba's format on stdout only, ``-o`` atomic (through
  symlinks, into FIFOs and devices, on a full disk), closed pipes and a closed stdout.
- ``signals/``: SIGINT, SIGTERM and SIGKILL while a run counts, segments or merges; stderr that goes away.
- ``files/``: count files (``.wmc``) and models (``.wmm``): their format, damaged or crafted ones, files of the
  wrong kind, ``merge``.
- ``budget/``: the memory plan, limits of ``--memory`` and ``--jobs``, spilling to ``--tmp-dir`` (and its
  faults), merging the runs, learning and contrast within the budget.
- ``counting/``, ``mining/``, ``segmentation/``, ``cluster/``: the stages: counting n-grams; discover, contrast,
  new words and scoring; learn, segment and eval (unigram, character model, CRF, adaptation); Dask.
- ``cli/``: the command line's options and help, and the public API against it.
- ``project/``: the docs, the package's layout and imports, the benchmark harness.

``helpers.py`` holds what several files need (running the CLI, the toy texts, paths); ``conftest.py`` holds the
fixtures and the check that a run leaves nothing in the temporary folder. Tests named ``test_fault_NN_...`` and
``test_r3_NN_...`` check an item of the fault lists of issues 11 and 19; ``docs/reliability.md`` cites them.
"""
