"""The worker side of a batch: judge one transcript with a ``Checker`` built once per process.

The same :func:`score` runs in three places: in the batch's own process (``--jobs 1``), in each
process of the local pool (built by :func:`init_pool_worker`), and on each Dask worker (built by
:class:`CheckerPlugin` the first time the worker gets a task). What travels between processes is
plain data: a :class:`Task` in, an :class:`Outcome` out, with the report JSON compressed.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
import zlib
from dataclasses import dataclass

from ..errors import ReplyCheckError, SpeakerError


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker needs to build its ``Checker``; also part of the resume key."""

    model: str
    languagetool_url: str | None = None
    rules: str = "default"
    time_limit: float | None = None  # seconds per transcript (``batch --timeout``)


@dataclass(frozen=True)
class Task:
    seq: int
    key: str
    name: str  # the name the parser sees
    data: bytes
    channel: str = "auto"
    agent: str | None = None


@dataclass(frozen=True)
class Outcome:
    seq: int
    key: str
    state: str  # scored | failed | setup_error (the worker could not build its Checker)
    channel: str | None = None
    agent: str | None = None
    score: float | None = None
    decision: str | None = None
    critical_failures: tuple[str, ...] = ()
    statuses: tuple[tuple[str, str], ...] = ()  # (criterion id, status) in rule set order
    findings: int = 0
    report: bytes = b""  # zlib-compressed report JSON (UTF-8)
    report_sha: str = ""
    error_type: str = ""  # input | speaker | internal
    error: str = ""
    line: int | None = None
    seconds: float = 0.0


def encode_report(report_dict: dict) -> tuple[bytes, str]:
    data = json.dumps(report_dict, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return zlib.compress(data, 6), hashlib.sha256(data).hexdigest()


def decode_report(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


def score(checker, rules: str, task: Task, time_limit: float | None = None) -> Outcome:
    """Judge one task (within ``time_limit`` seconds, default the checker's). Input problems and
    bugs alike become a failed Outcome, never an exception."""
    started = time.perf_counter()
    try:
        report = checker.check(task.data, name=task.name, channel=task.channel, agent=task.agent, rules=rules,
                               time_limit=time_limit)
        blob, sha = encode_report(report.to_dict())
    except ReplyCheckError as exc:
        kind = "speaker" if isinstance(exc, SpeakerError) else "input"
        return Outcome(task.seq, task.key, "failed", error_type=kind, error=exc.message, line=exc.line,
                       seconds=time.perf_counter() - started)
    except Exception as exc:  # a bug in a rule or the engine: record it, keep the batch going
        return Outcome(task.seq, task.key, "failed", error_type="internal",
                       error=f"internal error while judging ({type(exc).__name__}: {exc}); please report it",
                       seconds=time.perf_counter() - started)
    conv = report.conversation
    return Outcome(
        task.seq, task.key, "scored", channel=conv.channel, agent=conv.agent, score=round(report.score, 1),
        decision=report.decision, critical_failures=tuple(report.critical_failures),
        statuses=tuple((c.id, c.status) for c in report.criteria), findings=len(report.findings),
        report=blob, report_sha=sha, seconds=time.perf_counter() - started,
    )


def build_checker(config: WorkerConfig, encoder_threads: int | None = 1):
    """A Checker for ``config``. ``encoder_threads``: 1 in pool workers (one worker per core already);
    ``None`` (Checker's default, up to two) when the batch runs in its own process (``--jobs 1``)."""
    from ..engine import Checker

    checker = Checker(model=config.model, languagetool_url=config.languagetool_url, time_limit=config.time_limit,
                      encoder_threads=encoder_threads)
    checker.ruleset(config.rules)  # load and compile now, not on the first transcript
    return checker


def setup_failure(task: Task, exc: BaseException) -> Outcome:
    return Outcome(task.seq, task.key, "setup_error", error_type="setup", error=str(exc) or type(exc).__name__)


# ---------------------------------------------------------------- local process pool

_pool_state: dict = {}  # this worker process's Checker (one per process, built by the initializer)


def init_pool_worker(config: WorkerConfig) -> None:
    """Initializer of each pool process: ignore Ctrl-C (the batch process handles it and stops
    the pool) and build the Checker once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _pool_state["checker"] = build_checker(config)
        _pool_state["config"] = config
    except Exception as exc:  # reported on the first task, so the batch can stop with the reason
        _pool_state["error"] = exc


CRASH_TEST_ENV = "REPLYCHECK_BATCH_TEST_CRASH"


def score_in_pool(task: Task) -> Outcome:
    crash_on = os.environ.get(CRASH_TEST_ENV)
    if crash_on and crash_on in task.name:  # test hook: a worker dying mid-task (as a native crash would)
        os._exit(70)
    if "error" in _pool_state:
        return setup_failure(task, _pool_state["error"])
    return score(_pool_state["checker"], _pool_state["config"].rules, task)


# ---------------------------------------------------------------- Dask

try:  # Dask is a declared dependency, but the local path must not need it to import
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover
    _WorkerPlugin = object


class CheckerPlugin(_WorkerPlugin):
    """Registered on every Dask worker: holds that worker's Checker, built on its first task.

    Building lazily keeps the model load out of the worker's event loop; the lock makes a
    worker with several threads build it once and judge one transcript at a time with it.
    """

    idempotent = True  # registering again (the next run) keeps the worker's loaded Checker

    def __init__(self, config: WorkerConfig):
        self.config = config
        self.name = plugin_name(config)
        self._checker = None
        self._error: BaseException | None = None
        self._lock = threading.Lock()

    def __getstate__(self):
        return {"config": self.config, "name": self.name}

    def __setstate__(self, state):
        self.__init__(state["config"])

    def setup(self, worker=None):
        pass

    def teardown(self, worker=None):
        if self._checker is not None:
            self._checker.close()

    def score(self, task: Task) -> Outcome:
        with self._lock:
            if self._checker is None and self._error is None:
                try:
                    self._checker = build_checker(self.config)
                except Exception as exc:
                    self._error = exc
            if self._error is not None:
                return setup_failure(task, self._error)
            return score(self._checker, self.config.rules, task)


def plugin_name(config: WorkerConfig) -> str:
    digest = hashlib.sha256(repr(config).encode()).hexdigest()[:12]
    return f"replycheck-checker-{digest}"


def score_on_dask(task: Task, name: str) -> Outcome:
    from distributed import get_worker

    plugin = get_worker().plugins.get(name)
    if plugin is None:
        return setup_failure(task, RuntimeError("the ReplyCheck plugin is not registered on this worker"))
    return plugin.score(task)
