"""Running a batch: stream the inputs, judge them on workers, store each result as it arrives,
then write the outputs.

Workers
    ``jobs == 1``: in this process. ``jobs > 1``: a local pool of that many processes, each
    building its own ``Checker`` once (started with ``spawn``, so the same on Linux, macOS and
    Windows). ``scheduler``: an existing Dask cluster (``dask.distributed``); each Dask worker
    builds its ``Checker`` once, on its first task, through a worker plugin. At most a few
    transcripts per worker are in flight at any time, so memory does not grow with the batch.

Order and identity
    Each input gets a sequence number in discovery order; results are stored under it and the
    outputs are written in that order, so they are the same whatever the workers and whatever
    order results arrive in.

Resume
    An input is judged again only when it is new, its bytes changed (``input_sha``), or the
    configuration changed (``config``: the rule set's files, the checker's code, the model, the
    proofreader, ``--channel``/``--agent``). Earlier failures caused by the input itself are
    kept; failures caused by a crash or a bug are retried. ``force`` judges everything again.

Ctrl-C and SIGTERM
    Stop the workers, commit what has finished to ``results.sqlite`` (each input's row and its
    criterion rows together, never one without the other) and leave the previous output files
    as they were; running the same command again resumes.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import multiprocessing
import os
import signal
import sqlite3
import sys
import threading
import time
from collections import deque
from concurrent import futures
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ReplyCheckError, SetupError
from ..nlp import DEFAULT_MODEL
from .inputs import InputOptions, Submission, discover, iter_submissions
from .outputs import page_name, write_outputs
from .progress import Progress
from .store import RESULTS_FILE, ResultStore, unusable_store
from .worker import (CheckerPlugin, Outcome, Task, WorkerConfig, build_checker, init_pool_worker, plugin_name, score,
                     score_in_pool, score_on_dask)

LOCK_FILE = ".replycheck.lock"
PACKAGE_DIR = Path(__file__).resolve().parent.parent
IN_FLIGHT_PER_WORKER = 4


@dataclass
class BatchOptions:
    out: Path
    jobs: int = 1
    scheduler: str | None = None
    rules: str = "default"
    model: str = DEFAULT_MODEL
    languagetool_url: str | None = None
    channel: str = "auto"
    agent: str | None = None
    force: bool = False
    inputs: InputOptions = field(default_factory=InputOptions)
    progress: str = "auto"  # auto | bar | plain | quiet
    progress_interval: float = 10.0
    time_limit: float | None = 60.0  # seconds per transcript
    stop_after: int | None = None  # testing hook: act as if Ctrl-C came after this many new results


@dataclass
class BatchResult:
    out: Path
    found: int = 0
    scored: int = 0  # scored inputs in the results (new + reused)
    failed: int = 0
    duplicates: int = 0
    reused: int = 0  # results kept from an earlier run
    judged: int = 0  # inputs judged by this run (scored or failed)
    interrupted: bool = False
    seconds: float = 0.0
    judging_seconds: float = 0.0  # from the first task sent to the last result
    first_result: float | None = None  # time.monotonic() of the first and last result judged
    last_result: float | None = None
    workers: str = ""

    @property
    def steady_rate(self) -> float | None:
        """Transcripts a second between the first and the last result: throughput without start-up."""
        if self.judged < 2 or self.last_result is None or self.last_result <= self.first_result:
            return None
        return (self.judged - 1) / (self.last_result - self.first_result)

    @property
    def accounted(self) -> bool:
        return self.scored + self.failed + self.duplicates == self.found


class InterruptedBatch(Exception):
    def __init__(self, result: BatchResult):
        self.result = result
        super().__init__("interrupted")


# ---------------------------------------------------------------- executors


class InlineExecutor:
    """Judge in this process (``--jobs 1``)."""

    def __init__(self, checker: Any, rules: str, time_limit: float | None = None):
        self.checker, self.rules, self.time_limit = checker, rules, time_limit
        self.capacity = 1
        self._done: list[Outcome] = []
        self.description = "this process"

    def submit(self, task: Task) -> None:
        self._done.append(score(self.checker, self.rules, task, self.time_limit))

    def pending(self) -> int:
        return 0

    def collect(self, wait: bool) -> list[Outcome]:
        done, self._done = self._done, []
        return done

    def close(self, cancel: bool = False) -> None:
        pass


class LocalPoolExecutor:
    """A pool of ``jobs`` processes, one Checker each.

    A worker that dies (out of memory, a fault in native code) takes every task in flight with
    it, and nobody can tell which one killed it. The pool is restarted and those tasks become
    suspects, each then run alone: the innocent are judged as usual, the one that kills its
    worker again is reported failed, and the batch carries on.
    """

    def __init__(self, jobs: int, config: WorkerConfig):
        self.jobs, self.config = jobs, config
        self.capacity = jobs * IN_FLIGHT_PER_WORKER
        self.description = f"{jobs} worker processes"
        self._inflight: dict[futures.Future, Task] = {}
        self._suspects: deque[Task] = deque()
        self._waiting: deque[Task] = deque()
        self._isolated: Task | None = None  # the suspect now running alone
        self._pool = self._new_pool()

    def _new_pool(self) -> futures.ProcessPoolExecutor:
        return futures.ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=init_pool_worker, initargs=(self.config,))

    def submit(self, task: Task) -> None:
        if self._suspects or self._waiting:
            self._waiting.append(task)
        else:
            self._send(task)

    def _send(self, task: Task) -> None:
        try:
            future = self._pool.submit(score_in_pool, task)
        except BrokenProcessPool:
            self._restart()
            future = self._pool.submit(score_in_pool, task)
        self._inflight[future] = task

    def _pump(self) -> None:
        """Suspects one at a time, alone; then the tasks that waited for them."""
        if self._inflight:
            return
        if self._suspects:
            self._isolated = self._suspects.popleft()
            self._send(self._isolated)
            return
        while self._waiting and len(self._inflight) < self.capacity:
            self._send(self._waiting.popleft())

    def pending(self) -> int:
        return len(self._inflight) + len(self._suspects) + len(self._waiting)

    def collect(self, wait: bool) -> list[Outcome]:
        self._pump()
        if not self._inflight:
            return []
        done, _ = futures.wait(list(self._inflight), timeout=None if wait else 0, return_when=futures.FIRST_COMPLETED)
        out: list[Outcome] = []
        crashed: list[Task] = []
        for future in done:
            task = self._inflight.pop(future)
            try:
                out.append(future.result())
            except BrokenProcessPool:
                crashed.append(task)
            except Exception as exc:  # e.g. a task that could not be sent to the worker
                out.append(Outcome(task.seq, task.key, "failed", error_type="internal",
                                   error=f"internal error while judging ({type(exc).__name__}: {exc}); please report it"))
        if crashed:  # every task still in the broken pool is lost with it
            crashed += list(self._inflight.values())
            self._inflight.clear()
            self._restart()
            if len(crashed) == 1 and crashed[0] is self._isolated:
                task = crashed[0]
                out.append(Outcome(task.seq, task.key, "failed", error_type="internal",
                                   error="the worker process stopped while judging this transcript, twice; "
                                         "it may be too large or trigger a fault in the proofreader"))
            else:
                self._suspects.extend(sorted(crashed, key=lambda t: t.seq))
        if not self._inflight:
            self._isolated = None
        self._pump()
        return out

    def _restart(self) -> None:
        self._stop(self._pool, cancel=True)
        self._pool = self._new_pool()

    @staticmethod
    def _stop(pool: futures.ProcessPoolExecutor, cancel: bool) -> None:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=not cancel, cancel_futures=cancel)
        if cancel:  # the processes we started: give running tasks a moment, then end them by id
            deadline = time.monotonic() + 5
            for p in processes:
                p.join(max(0.0, deadline - time.monotonic()))
                if p.is_alive():
                    p.terminate()
                    p.join(1)

    def close(self, cancel: bool = False) -> None:
        self._stop(self._pool, cancel)
        self._inflight.clear()
        self._suspects.clear()
        self._waiting.clear()


class DaskExecutor:
    """An existing Dask cluster. Each worker builds its Checker once (see ``CheckerPlugin``)."""

    def __init__(self, address: str, config: WorkerConfig):
        try:
            from distributed import Client, as_completed
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise SetupError(f"--scheduler needs dask.distributed: pip install 'dask[distributed]' ({exc})") from None
        try:
            # how long to try: Dask's distributed.comm.timeouts.connect (30 s unless configured)
            self.client = Client(address, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SetupError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.name = plugin_name(config)
        self.client.register_plugin(CheckerPlugin(config), name=self.name)  # idempotent: a worker keeps its model
        threads = sum(self.client.nthreads().values())
        self.capacity = max(IN_FLIGHT_PER_WORKER, threads * IN_FLIGHT_PER_WORKER)
        self.description = f"Dask cluster at {address} ({len(self.client.nthreads())} workers)"
        self._inflight: dict[Any, Task] = {}
        self._completed = as_completed([], loop=self.client.loop, with_results=False)  # this client's futures as they finish
        self._token = hashlib.sha256(f"{os.getpid()}-{time.time()}".encode()).hexdigest()[:10]

    def submit(self, task: Task) -> None:
        future = self.client.submit(score_on_dask, task, self.name, pure=False, key=f"replycheck-{self._token}-{task.seq}")
        self._inflight[future] = task
        self._completed.add(future)

    def pending(self) -> int:
        return len(self._inflight)

    def collect(self, wait: bool) -> list[Outcome]:
        if not self._inflight:
            return []
        finished = [next(self._completed)] if wait else []
        finished += self._completed.next_batch(block=False)
        out = []
        for future in finished:
            task = self._inflight.pop(future)
            try:
                out.append(future.result())
            except Exception as exc:  # e.g. KilledWorker after the cluster's retries
                out.append(Outcome(task.seq, task.key, "failed", error_type="internal",
                                   error=f"the Dask worker failed while judging this transcript ({type(exc).__name__}: {exc})"))
        return out

    def close(self, cancel: bool = False) -> None:
        try:
            if cancel and self._inflight:
                self.client.cancel(list(self._inflight))
        finally:
            self._inflight.clear()
            self.client.close()


# ---------------------------------------------------------------- configuration


def _hash_files(paths: list[Path], base: Path | None = None) -> str:
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        try:
            name = path.relative_to(base).as_posix() if base else path.name
        except ValueError:
            name = path.name
        digest.update(name.encode("utf-8") + b"\x00")
        digest.update(path.read_bytes() + b"\x00")
    return digest.hexdigest()


_rules_fingerprints: dict[int, tuple[Any, str]] = {}


def rules_fingerprint(ruleset: Any) -> str:
    """A hash of every file the rule set was read from, taken once per loaded rule set (the
    files may change later; the loaded rules do not)."""
    cached = _rules_fingerprints.get(id(ruleset))
    if cached is not None and cached[0] is ruleset:
        return cached[1]
    digest = _rules_files_hash(ruleset)
    _rules_fingerprints[id(ruleset)] = (ruleset, digest)
    return digest


def _rules_files_hash(ruleset: Any) -> str:
    root = Path(ruleset.path)
    paths = [p for p in root.rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml", ".txt", ".json")] if root.is_dir() \
        else ([root] if root.is_file() else [])
    paths += [Path(r.path) for r in ruleset.rules if getattr(r, "path", "") and Path(r.path).is_file()]
    return _hash_files(paths, root if root.is_dir() else None)


@functools.cache
def engine_fingerprint() -> str:
    """A hash of the checker's own code (not the batch code): a fixed rule or parser re-judges.
    Taken once per process, like the code it stands for."""
    paths = [p for p in PACKAGE_DIR.rglob("*.py") if "batch" not in p.relative_to(PACKAGE_DIR).parts]
    return _hash_files(paths, PACKAGE_DIR)


def make_config_key(options: BatchOptions, ruleset: Any) -> str:
    config = {
        "rules": options.rules, "rules_name": ruleset.name, "rules_version": ruleset.version,
        "rules_sha": rules_fingerprint(ruleset), "engine_sha": engine_fingerprint(), "model": options.model,
        "languagetool": options.languagetool_url, "channel": options.channel, "agent": options.agent,
    }
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode("utf-8")).hexdigest()[:20]


def input_sha(sub: Submission, channel: str) -> str:
    digest = hashlib.sha256()
    digest.update(sub.name.encode("utf-8") + b"\x00" + channel.encode() + b"\x00")
    digest.update(sub.data)
    return digest.hexdigest()


# ---------------------------------------------------------------- the run


class _Lock:
    """One batch at a time per output folder."""

    def __init__(self, out: Path):
        self.path = out / LOCK_FILE
        self.fh = None

    def __enter__(self):
        self.fh = open(self.path, "a+")
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; SQLite still guards its own file
            return self
        try:
            fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.fh.close()
            raise ReplyCheckError("another 'replycheck batch' is writing to this folder; wait for it to finish",
                                  source=str(self.path.parent)) from None
        return self

    def __exit__(self, *exc):
        self.fh.close()


def run_batch(paths: list[str | Path], options: BatchOptions, checker: Any = None) -> BatchResult:
    """Judge every input under ``paths`` into ``options.out``. Raises ``InterruptedBatch`` on
    Ctrl-C (the finished results are saved) and ``ReplyCheckError`` for usage/set-up problems.

    ``checker``: an existing ``Checker`` to use when ``jobs == 1`` (tests, the benchmark).
    """
    started = time.monotonic()
    out = Path(options.out)
    if out.exists() and not out.is_dir():
        raise ReplyCheckError("the output folder is a file", source=str(out))
    for p in paths:
        if not Path(p).exists():
            raise ReplyCheckError("no such file or folder", source=str(p))
    out.mkdir(parents=True, exist_ok=True)
    if checker is not None:
        options.model = checker.model_name
        ruleset = checker.ruleset(options.rules)
    else:
        from ..rules.loader import load_ruleset

        ruleset = load_ruleset(options.rules)  # a broken rule set stops here, before any work
    config_key = make_config_key(options, ruleset)
    context = {
        "criteria": [{"id": c.id, "title": c.title, "critical": c.critical, "weight": c.weight}
                     for c in ruleset.criteria.values()],
        "rules_name": ruleset.name, "rules_version": ruleset.version, "pass_score": ruleset.pass_score,
        "inputs": [Path(p).name or str(p) for p in paths],
    }
    with _Lock(out), _sigterm_as_interrupt():
        plan = discover(list(paths), options.inputs, exclude=[out])
        if not plan.count:
            raise ReplyCheckError("no transcripts found in the inputs given")
        store = ResultStore(out / RESULTS_FILE)
        try:
            return _run(plan, options, store, config_key, context, checker, started)
        except sqlite3.Error as exc:
            raise unusable_store(out / RESULTS_FILE, exc) from None
        finally:
            try:
                store.close()
            except sqlite3.Error:
                pass


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """SIGTERM (a service manager, ``kill``, a CI timeout) stops a batch as Ctrl-C does: the
    workers are stopped, finished results are committed, and the run can be resumed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _make_executor(options: BatchOptions, checker: Any) -> tuple[Any, Any]:
    """The executor and, for jobs == 1, the Checker this process built (to close at the end)."""
    config = WorkerConfig(model=options.model, languagetool_url=options.languagetool_url, rules=options.rules,
                          time_limit=options.time_limit)
    if options.scheduler:
        return DaskExecutor(options.scheduler, config), None
    if options.jobs <= 1:
        own = None
        if checker is None:
            checker = own = build_checker(config, encoder_threads=None)
        return InlineExecutor(checker, options.rules, options.time_limit), own
    return LocalPoolExecutor(options.jobs, config), None


def _first_with_content(store: ResultStore, run: int, inflight: dict, content: str) -> tuple[int, str, str] | None:
    """The first input of this run with this content: stored already, or still on a worker."""
    best = store.first_with_content(content, run)
    for seq, (key, _, file, other, _, _) in inflight.items():
        if other == content and (best is None or seq < best[0]):
            best = (seq, key, file)
    return best


def _run(plan, options: BatchOptions, store: ResultStore, config_key: str, context: dict, checker: Any,
         started: float) -> BatchResult:
    result = BatchResult(out=Path(options.out))
    run = store.begin_run(config_key, {"criteria": context["criteria"], "rules_name": context["rules_name"],
                                       "rules_version": context["rules_version"], "pass_score": context["pass_score"],
                                       "inputs": context["inputs"]})
    progress = Progress(plan.count, "quiet" if options.progress == "quiet" else options.progress,
                        interval=options.progress_interval)
    executor = own_checker = None
    # seq → (key, learner, file, content hash, input sha, page) of tasks on the workers: a few per worker.
    # Everything else about the inputs met so far is in the store, so memory does not grow with the batch.
    inflight: dict[int, tuple[str, str, str, str | None, str, str]] = {}
    judging_started: float | None = None
    channel = options.channel

    def handle(outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            if outcome.state == "setup_error":
                raise SetupError(f"the workers could not start the checker: {outcome.error}")
            _, learner, file, content, sha, page = inflight.pop(outcome.seq)
            store.put_outcome(outcome, run=run, learner=learner, file=file, input_sha=sha, content_hash=content,
                              config=config_key, page=page)
            result.judged += 1
            result.last_result = time.monotonic()
            if result.first_result is None:
                result.first_result = result.last_result
            if outcome.state == "scored":
                result.scored += 1
            else:
                result.failed += 1
            progress.advance(outcome.state)
            if options.stop_after is not None and result.judged >= options.stop_after:
                raise KeyboardInterrupt

    try:
        for sub in iter_submissions(plan):
            seq = result.found
            result.found += 1
            def met(key: str) -> bool:
                return store.in_run(key, run) or any(v[0] == key for v in inflight.values())

            if met(sub.key):  # the same file reached twice (e.g. a folder and a file in it)
                n = 2
                while met(f"{sub.key}#again{n}"):
                    n += 1
                sub = Submission(key=f"{sub.key}#again{n}", file=sub.file, learner=sub.learner, name=sub.name,
                                 data=sub.data, channel=sub.channel, line=sub.line, error=sub.error)
            if sub.error is not None:
                store.put_failed(key=sub.key, seq=seq, run=run, learner=sub.learner, file=sub.file, error=sub.error,
                                 config=config_key)
                result.failed += 1
                progress.advance("failed")
                continue
            task_channel = channel if channel != "auto" else sub.channel
            sha = input_sha(sub, task_channel)
            content = sub.content_hash
            original = _first_with_content(store, run, inflight, content) if content is not None else None
            if original is not None:
                _, original_key, original_file = original
                store.put_duplicate(key=sub.key, seq=seq, run=run, learner=sub.learner, file=sub.file, config=config_key,
                                    input_sha=sha, content_hash=content, original_key=original_key,
                                    original_file=original_file)
                result.duplicates += 1
                progress.advance("duplicate")
                continue
            page = page_name(sub.key, sub.learner, sub.file)
            prior = None if options.force else store.prior(sub.key)
            if (prior is not None and prior.input_sha == sha and prior.config == config_key and prior.file == sub.file
                    and (prior.state == "scored" or (prior.state == "failed" and prior.error_type in ("input", "speaker")))):
                store.mark_seen(sub.key, seq, run, sub.learner, sub.file, page if prior.state == "scored" else "")
                result.reused += 1
                if prior.state == "scored":
                    result.scored += 1
                else:
                    result.failed += 1
                progress.advance("reused")
                continue
            if executor is None:
                executor, own_checker = _make_executor(options, checker)
                result.workers = executor.description
                progress.note(f"replycheck: judging with {executor.description}")
            if judging_started is None:
                judging_started = time.monotonic()
            inflight[seq] = (sub.key, sub.learner, sub.file, content, sha, page)  # not the bytes: they go to the worker
            executor.submit(Task(seq=seq, key=sub.key, name=sub.name, data=sub.data, channel=task_channel,
                                 agent=options.agent))
            handle(executor.collect(wait=False))
            while executor.pending() >= executor.capacity:
                handle(executor.collect(wait=True))
        while executor is not None and executor.pending():
            handle(executor.collect(wait=True))
    except KeyboardInterrupt:
        progress.close()
        if executor is not None:
            executor.close(cancel=True)
            executor = None
        store.commit()
        result.interrupted = True
        result.seconds = time.monotonic() - started
        raise InterruptedBatch(result) from None
    except BaseException:
        progress.close()
        if executor is not None:
            executor.close(cancel=True)
            executor = None
        store.commit()
        raise
    finally:
        if executor is not None:
            executor.close()
        if own_checker is not None:
            own_checker.close()
    if judging_started is not None:
        result.judging_seconds = time.monotonic() - judging_started
    progress.close()
    store.finish_run(run, {"found": result.found, "scored": result.scored, "failed": result.failed,
                           "duplicates": result.duplicates, "reused": result.reused})
    if options.progress != "quiet":
        print("replycheck: writing results.csv, results.jsonl, errors.csv, summary.html and feedback pages",
              file=sys.stderr, flush=True)
    write_outputs(store, Path(options.out), run, context)
    result.seconds = time.monotonic() - started
    return result
