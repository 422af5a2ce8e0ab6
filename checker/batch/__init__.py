"""Assessor batch mode: score a whole cohort's transcripts in one command.

    inputs.py    find the transcripts: folders, zips, files, CSV/JSONL tables; learner; identity
    worker.py    judge one transcript with a Checker built once per worker process / Dask worker
    runner.py    stream inputs to workers (inline, local process pool, Dask), resume, Ctrl-C
    store.py     results.sqlite: every input's outcome and report, for resume and filtering
    outputs.py   results.csv, results.jsonl, errors.csv, feedback pages: atomic writes
    html.py      the cohort summary (with an inline SVG chart) and per-transcript pages
    progress.py  tqdm bar on a terminal, plain lines otherwise
    sample.py    make a synthetic cohort from a corpus (demos, tests, the benchmark)
    cli.py       ``replycheck batch`` and ``replycheck results``

Library use::

    from checker.batch import BatchOptions, run_batch
    result = run_batch(["submissions/"], BatchOptions(out=Path("results"), jobs=4))
    assert result.scored + result.failed + result.duplicates == result.found
"""
from __future__ import annotations

from .inputs import InputOptions
from .runner import BatchOptions, BatchResult, InterruptedBatch, run_batch

__all__ = ["BatchOptions", "BatchResult", "InputOptions", "InterruptedBatch", "run_batch"]
