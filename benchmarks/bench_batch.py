"""Batch benchmark: throughput with 1 and 2 jobs, peak memory at 1,000 and 10,000 transcripts,
and the batch against bare spaCy ``nlp.pipe`` over the same text. Everything is measured in one
run and printed as figures and ratios.

    .venv/bin/python benchmarks/bench_batch.py                       # the full run (the 10,000 takes a while)
    .venv/bin/python benchmarks/bench_batch.py --sizes 1000,2000 --throughput 150   # a quicker look

What is measured
    throughput   ``run_batch`` on the same cohort with --jobs 1 and --jobs 2 (the workers' start-up
                 is left out: transcripts a second between the first and the last result), plus
                 the wall-clock time of the whole run. Ratio = 2 jobs / 1 job (2.0 is perfect on 2 cores).
    vs nlp.pipe  the same transcripts' turns through the bare model with ``nlp.pipe`` in one process,
                 against the batch's per-transcript time with one job. Ratio = batch / nlp.pipe.
    memory       ``replycheck batch COHORT --out DIR -q`` in a subprocess per size; the resident
                 memory (RSS) of its whole process tree (batch process + workers) sampled every
                 0.2 s; peak reported. Ratio = largest size / smallest (1.0 = flat).

Cohorts are built with ``checker.batch.sample`` from ``corpora/labelled``: distinct copies of 60
real transcripts (chat, email, .eml, JSON) in learner folders of 20.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402  (a dependency of dask.distributed)

from checker.batch import BatchOptions, run_batch  # noqa: E402
from checker.batch.sample import make_cohort  # noqa: E402
from checker.errors import ReplyCheckError  # noqa: E402
from checker.nlp import DEFAULT_MODEL, load_model  # noqa: E402
from checker.parse import parse_bytes  # noqa: E402

CORPUS = ROOT / "corpora" / "labelled"


def cohort(base: Path, name: str, size: int) -> Path:
    root = base / name / "cohort"
    started = time.perf_counter()
    make_cohort(CORPUS, root, size, per_learner=20)
    print(f"  made {size} transcripts in {time.perf_counter() - started:.1f}s", flush=True)
    return root


def bare_pipe(root: Path) -> tuple[float, int, int]:
    """Seconds for nlp.pipe over every turn of every transcript under root (model already loaded)."""
    nlp = load_model(DEFAULT_MODEL)
    texts: list[str] = []
    transcripts = 0
    for path in sorted(root.rglob("*.*")):
        try:
            conv = parse_bytes(path.read_bytes(), name=path.name)
        except ReplyCheckError:
            continue
        transcripts += 1
        texts.extend(t.text for t in conv.turns)
    for _ in nlp.pipe(texts[:100]):  # warm up
        pass
    started = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return time.perf_counter() - started, transcripts, len(texts)


class TreeSampler(threading.Thread):
    """Peak RSS of a process and all its descendants, sampled every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.interval = interval
        self.peak_total = self.peak_main = self.peak_worker = 0
        self.most_processes = 0
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.is_set():
            try:
                main = self.proc.memory_info().rss
                children = []
                for child in self.proc.children(recursive=True):
                    try:
                        children.append(child.memory_info().rss)
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            self.peak_main = max(self.peak_main, main)
            self.peak_worker = max([self.peak_worker, *children])
            self.peak_total = max(self.peak_total, main + sum(children))
            self.most_processes = max(self.most_processes, 1 + len(children))
            self._stop_event.wait(self.interval)

    def stop(self):
        self._stop_event.set()
        self.join()


def memory_run(root: Path, out: Path, jobs: int) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "checker.cli", "batch", str(root), "--out", str(out),
                             "--jobs", str(jobs), "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    sampler.stop()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"replycheck batch failed ({proc.returncode}): {stderr[-2000:]}")
    count = sum(1 for _ in (out / "results.jsonl").open(encoding="utf-8"))
    return {"transcripts": count, "seconds": seconds, "rate": count / seconds, "peak_tree_mb": sampler.peak_total / 2**20,
            "peak_main_mb": sampler.peak_main / 2**20, "peak_worker_mb": sampler.peak_worker / 2**20,
            "processes": sampler.most_processes}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--throughput", type=int, default=300, help="transcripts for the 1 vs 2 jobs runs [300]")
    parser.add_argument("--sizes", default="1000,10000", help="cohort sizes for the memory runs [1000,10000]")
    parser.add_argument("--jobs", type=int, default=2, help="jobs for the second throughput run and the memory runs [2]")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary cohorts and outputs")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]

    base = Path(tempfile.mkdtemp(prefix="replycheck-bench-"))
    figures: dict = {"cores": psutil.cpu_count(logical=True), "load_before": os.getloadavg()}
    print(f"ReplyCheck batch benchmark: {figures['cores']} cores, load average {figures['load_before'][0]:.1f}; work in {base}")
    try:
        print(f"\n[1/3] throughput: {args.throughput} transcripts with 1 job and {args.jobs} jobs", flush=True)
        t_root = cohort(base, "throughput", args.throughput)
        runs = {}
        for jobs in (1, args.jobs):
            out = base / f"out-jobs{jobs}"
            result = run_batch([t_root], BatchOptions(out=out, jobs=jobs, progress="quiet"))
            runs[jobs] = {"rate": result.steady_rate, "seconds": result.seconds, "scored": result.scored,
                          "failed": result.failed}
            print(f"  {jobs} job{'s' if jobs > 1 else ''}: {result.steady_rate:.2f} transcripts/s judging, "
                  f"{result.seconds:.1f}s wall for {result.found} (start-up and output files included)", flush=True)
        identical = (base / "out-jobs1" / "results.jsonl").read_bytes() == (base / f"out-jobs{args.jobs}" / "results.jsonl").read_bytes()
        figures["throughput"] = {str(k): v for k, v in runs.items()}
        figures["identical_results"] = identical

        print("\n[2/3] the same transcripts through bare nlp.pipe (one process, model loaded)", flush=True)
        pipe_seconds, pipe_transcripts, pipe_turns = bare_pipe(t_root)
        figures["nlp_pipe"] = {"seconds": pipe_seconds, "transcripts": pipe_transcripts, "turns": pipe_turns,
                               "rate": pipe_transcripts / pipe_seconds}
        print(f"  nlp.pipe: {pipe_turns} turns of {pipe_transcripts} transcripts in {pipe_seconds:.2f}s "
              f"({pipe_transcripts / pipe_seconds:.1f} transcripts/s)", flush=True)

        print(f"\n[3/3] peak memory of `replycheck batch --jobs {args.jobs}` (whole process tree) at {sizes}", flush=True)
        memory = {}
        for size in sizes:
            root = cohort(base, f"m{size}", size)
            memory[size] = memory_run(root, base / f"out-m{size}", args.jobs)
            m = memory[size]
            print(f"  {size}: peak {m['peak_tree_mb']:.0f} MB for {m['processes']} processes (batch process "
                  f"{m['peak_main_mb']:.0f} MB, largest worker {m['peak_worker_mb']:.0f} MB), {m['seconds']:.0f}s, "
                  f"{m['rate']:.2f} transcripts/s", flush=True)
            shutil.rmtree(root.parent, ignore_errors=True)
        figures["memory"] = {str(k): v for k, v in memory.items()}
        figures["load_after"] = os.getloadavg()

        one, many = runs[1]["rate"], runs[args.jobs]["rate"]
        per_transcript_batch = 1 / one
        per_transcript_pipe = pipe_seconds / pipe_transcripts
        first, last = sizes[0], sizes[-1]
        figures["ratios"] = {
            "scaling": many / one,
            "batch_vs_nlp_pipe": per_transcript_batch / per_transcript_pipe,
            "memory_growth": memory[last]["peak_tree_mb"] / memory[first]["peak_tree_mb"],
            "memory_growth_batch_process": memory[last]["peak_main_mb"] / memory[first]["peak_main_mb"],
        }
        r = figures["ratios"]
        print("\nSummary")
        print(f"  throughput          1 job {one:.2f}/s, {args.jobs} jobs {many:.2f}/s -> scaling x{r['scaling']:.2f} "
              f"(ideal x{min(args.jobs, figures['cores']):.1f}); results identical: {'yes' if identical else 'NO'}")
        print(f"  vs bare nlp.pipe    {per_transcript_batch * 1000:.0f} ms a transcript (1 job) vs "
              f"{per_transcript_pipe * 1000:.0f} ms -> batch/nlp.pipe x{r['batch_vs_nlp_pipe']:.2f}")
        print(f"  peak memory         {first}: {memory[first]['peak_tree_mb']:.0f} MB, {last}: "
              f"{memory[last]['peak_tree_mb']:.0f} MB -> x{r['memory_growth']:.2f} "
              f"(batch process alone x{r['memory_growth_batch_process']:.2f})")
        print(f"  load average        before {figures['load_before'][0]:.1f}, after {figures['load_after'][0]:.1f} "
              f"(other work on the machine slows every figure)")
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
