"""What the page and the API share: reading the request, running a check with a time limit, and
turning the checker's errors into something a person can act on.

Views stay thin: they read their input into a ``CheckRequest``, call ``run_check`` and render.
No NLP happens here; the ``Checker`` built once by ``create_app`` does it all.

Privacy: nothing in this module logs or stores the text. Errors carry the checker's message,
which names the problem, never the transcript.
"""
from __future__ import annotations

import os
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from checker.errors import InputError, RuleError, SetupError, SpeakerError, TimeLimitError
from checker.model import Report

CHANNELS = ("auto", "chat", "email")
UPLOAD_SUFFIXES = (".txt", ".eml", ".json", ".csv", ".tsv")
UPLOAD_KINDS = ".txt, .eml, .json, .csv and .tsv"  # said in the messages that refuse other files
MAX_AGENT_LENGTH = 100

# Used to warm each check thread (spaCy, the per-thread proofreader) before the first learner.
WARM_UP_TEXT = (
    "Agent: Hello, thank you for contacting us. My name is Sam, how can I help today?\n"
    "Customer: My parcel has not arrived and I'm annoyed.\n"
    "Agent: I'm sorry your parcel is late. Could you confirm your postcode, please?\n"
    "Customer: AB1 2CD\n"
    "Agent: Thank you. It will arrive tomorrow. Does that answer your question?\n"
    "Customer: Yes thanks\n"
    "Agent: Thanks for contacting us. Have a lovely day.\n"
)


class WebError(Exception):
    """A problem to show the user: an HTTP status, a short code for the API, and a message."""

    def __init__(self, status: int, code: str, message: str, *, speakers: tuple[str, ...] = ()):
        self.status = status
        self.code = code
        self.message = message
        self.speakers = tuple(speakers)
        super().__init__(message)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.speakers:
            data["speakers"] = list(self.speakers)
        return data


class CheckTimeout(WebError):
    def __init__(self, seconds: float):
        super().__init__(
            503, "timeout",
            f"Checking this transcript took longer than {seconds:g} seconds, so it was stopped. "
            "Try a shorter transcript (one conversation at a time), or try again in a minute if the "
            "service is busy.",
        )


@dataclass(frozen=True)
class CheckRequest:
    """One check, from the form or the API. ``text`` is what will be judged (an upload already
    decoded to text for the page), or ``data`` + ``filename`` for the API's file upload."""

    text: str | None = None
    data: bytes | None = None
    filename: str | None = None
    channel: str = "auto"
    agent: str | None = None
    rules: str = "default"
    mask: bool = False


class CheckRunner:
    """Runs checks in this process on a small pool of threads (one by default), each with a time
    limit. Used when the app is handed a ready ``Checker`` (tests) or ``CHECK_PROCESSES`` is 0;
    ``replycheck serve`` uses :class:`ProcessCheckRunner`.

    The limit covers the wait for a free check thread too. A check that runs past it is
    abandoned: the request gets a 503 at once and its server thread is free again. The checker's
    own time budget (``checker.budget``) stops the check soon after; a check that never started
    is cancelled. Pool threads live as long as the app, so each builds its offline proofreader
    once (``HarperProofreader`` keeps one per thread).
    """

    mode = "threads"

    def __init__(self, checker: Any, workers: int = 1, timeout: float = 20.0):
        self.checker = checker
        self.workers = max(1, int(workers))
        self.timeout = float(timeout)
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="replycheck-check")

    def run(self, fn, *args, **kwargs):
        future = self._pool.submit(fn, *args, **kwargs)
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            future.cancel()  # if it never started, it never will
            raise CheckTimeout(self.timeout) from None

    def check(self, source: str | bytes, **kwargs: Any) -> Any:
        started = time.monotonic()

        def timed_check():
            # the checker stops itself at what is left of the limit once this thread starts it
            left = self.timeout - (time.monotonic() - started)
            if left <= 0:
                raise CheckTimeout(self.timeout)
            return self.checker.check(source, time_limit=left, **kwargs)

        try:
            return self.run(timed_check)
        except TimeLimitError:
            raise CheckTimeout(self.timeout) from None

    def warm_up(self, rules: list[str] | tuple[str, ...] = ("default",)) -> None:
        """Run one small check on every pool thread, so no learner waits for start-up work."""
        barrier = threading.Barrier(self.workers)

        def warm():
            for name in rules:
                self.checker.check(WARM_UP_TEXT, rules=name)
            barrier.wait(timeout=120)  # hold this thread until every thread has warmed

        for future in [self._pool.submit(warm) for _ in range(self.workers)]:
            future.result(timeout=180)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def default_workers() -> int:
    """One check process per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class WorkerSettings:
    """What a check process needs to build its own ``Checker`` (plain data: sent to a new process)."""

    model: str
    languagetool_url: str | None
    rules_paths: dict[str, str]
    rules: tuple[str, ...]  # rule sets to load and warm up before taking work
    max_bytes: int


@dataclass(frozen=True)
class RemoteReport:
    """A report judged in a check process: its JSON and its conversation, all the views use."""

    data: dict[str, Any]
    conversation: Any

    def to_dict(self) -> dict[str, Any]:
        return self.data


STALL_TEST_ENV = "REPLYCHECK_TEST_STALL"


def _worker_main(conn, settings: WorkerSettings) -> None:  # pragma: no cover - runs in a check process
    """A check process: build a Checker once, warm it, then judge one request at a time.

    Requests are ``(source, kwargs)``; ``None`` stops the process. Answers are plain tuples (no
    exception objects cross the pipe): ``("ok", report dict, conversation)`` or ``("error",
    kind, message, speakers)``.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops us
    try:
        from checker import Checker

        # proofreading and encoding in this thread: the check processes already keep every core busy
        checker = Checker(model=settings.model, languagetool_url=settings.languagetool_url,
                          rules_paths=settings.rules_paths, max_bytes=settings.max_bytes, proof_threads=0,
                          encoder_threads=1)
        for name in settings.rules:
            checker.check(WARM_UP_TEXT, rules=name)
    except BaseException as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready",))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):  # the server has gone
            return
        if request is None:
            return
        source, kwargs = request
        stall = os.environ.get(STALL_TEST_ENV)
        if stall and stall in (source if isinstance(source, str) else source.decode("utf-8", "replace")):
            time.sleep(3600)  # test hook: a check stuck where its own budget cannot stop it (native code)
        try:
            report = checker.check(source, **kwargs)
            answer = ("ok", report.to_dict(), report.conversation)
        except TimeLimitError as exc:
            answer = ("error", "timeout", exc.message, ())
        except SpeakerError as exc:
            answer = ("error", "speaker", exc.message, tuple(exc.speakers), exc.source, exc.line)
        except InputError as exc:
            answer = ("error", "input", exc.message, (), exc.source, exc.line)
        except RuleError as exc:
            answer = ("error", "rule", str(exc), ())
        except Exception as exc:  # a bug: the server answers 500; the message may quote the text, so not sent
            answer = ("error", "internal", type(exc).__name__, ())
        try:
            conn.send(answer)
        except (EOFError, OSError):
            return


class _CheckProcess:
    """One check process and the pipe to it."""

    def __init__(self, context, settings: WorkerSettings):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, settings), name="replycheck-check",
                                       daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> str | None:
        """None once the process has built its checker, else why it could not."""
        try:
            if not self.conn.poll(timeout):
                return f"it did not start within {timeout:g} s"
            answer = self.conn.recv()
        except (EOFError, OSError):
            return "it stopped while starting"
        return None if answer[0] == "ready" else answer[1]

    def stop(self) -> None:
        """End this process (ours, by its own handle): ask, then terminate, then kill."""
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(0.2)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(2)
        self.conn.close()

    def kill(self) -> None:
        """End a process stuck in a check at once."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class ProcessCheckRunner:
    """Runs each check in one of ``workers`` check processes (one per core by default), each
    with its own ``Checker``, so checks use every core and one learner's slow check never blocks
    another's.

    A check gets ``timeout`` seconds in all, the wait for a free process included. Inside the
    process the checker's own budget stops it a little before that (an answer, and the process
    goes on); if it still has not answered when the time is up (a long step in native code),
    the process is killed, the request gets a 503 at once and a fresh process is started in the
    background, so the others keep answering meanwhile.
    """

    mode = "processes"
    START_TIMEOUT = 300.0
    MARGIN = 0.25  # seconds the process's own budget leaves for answering before the kill

    def __init__(self, checker: Any, settings: WorkerSettings, workers: int, timeout: float = 20.0):
        import multiprocessing

        self.checker = checker  # the server's own: rule set summaries, health
        self.settings = settings
        self.workers = max(1, int(workers))
        self.timeout = float(timeout)
        self.restarts = 0
        self._context = multiprocessing.get_context("spawn")
        # one thread of numeric work per process: the processes are the parallelism, and BLAS or
        # OpenMP thread pools on top would fight them for the same cores
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
        self._idle: queue.Queue[_CheckProcess] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        self._all: list[_CheckProcess] = []
        started = [self._start() for _ in range(self.workers)]
        for proc in started:
            problem = proc.wait_ready(self.START_TIMEOUT)
            if problem is not None:
                self.shutdown()
                proc.stop()
                raise SetupError(f"a check process could not start: {problem}")
            self._idle.put(proc)

    def _start(self) -> _CheckProcess:
        proc = _CheckProcess(self._context, self.settings)
        with self._lock:
            self._all.append(proc)
        return proc

    def _replace(self, proc: _CheckProcess) -> None:
        """Kill ``proc`` and bring a fresh one up, in the background: the request that overran
        gets its 503 at once."""
        with self._lock:
            if proc in self._all:
                self._all.remove(proc)
            closed = self._closed
            if not closed:
                self.restarts += 1

        def restart():
            proc.kill()
            if closed:
                return
            fresh = self._start()
            if fresh.wait_ready(self.START_TIMEOUT) is None and not self._closed:
                self._idle.put(fresh)
            else:
                fresh.stop()
                with self._lock:
                    if fresh in self._all:
                        self._all.remove(fresh)

        threading.Thread(target=restart, name="replycheck-restart", daemon=True).start()

    def check(self, source: str | bytes, **kwargs: Any) -> RemoteReport:
        deadline = time.monotonic() + self.timeout
        try:
            proc = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise CheckTimeout(self.timeout) from None
        left = deadline - time.monotonic()
        if left <= 0:
            self._idle.put(proc)
            raise CheckTimeout(self.timeout)
        try:
            proc.conn.send((source, dict(kwargs, time_limit=max(0.05, left - self.MARGIN))))
            if not proc.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(proc)
                proc = None
                raise CheckTimeout(self.timeout)
            answer = proc.conn.recv()
        except (EOFError, OSError, ValueError):
            if proc is not None:
                self._replace(proc)
                proc = None
            raise RuntimeError("the check process stopped while checking") from None
        finally:
            if proc is not None:
                self._idle.put(proc)
        if answer[0] == "ok":
            return RemoteReport(answer[1], answer[2])
        kind, message, speakers = answer[1], answer[2], answer[3]
        if kind == "timeout":
            raise CheckTimeout(self.timeout)
        if kind == "speaker":
            raise SpeakerError(message, speakers, source=answer[4], line=answer[5])
        if kind == "input":
            raise InputError(message, source=answer[4], line=answer[5])
        if kind == "rule":
            raise RuleError(message)
        raise RuntimeError(f"internal error in the check process ({message})")

    def warm_up(self, rules: list[str] | tuple[str, ...] = ("default",)) -> None:
        """The check processes warm themselves before they take work."""

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            procs, self._all = list(self._all), []
        for proc in procs:
            proc.stop()


def upload_to_text(data: bytes, filename: str) -> tuple[str, str | None]:
    """An uploaded file as the text to put in the form, and the channel it implies (or None).

    Uses the checker's own readers: ``.eml`` files become the pasted-email form; ``.json``,
    ``.csv``, ``.tsv`` and ``.txt`` are decoded as they are (their text is itself valid input to the form).
    """
    from checker.parse import decode_bytes, eml_to_text

    suffix = PurePath(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise WebError(400, "unsupported_file",
                       f"{filename}: ReplyCheck reads {UPLOAD_KINDS} files. Save the transcript as one of "
                       "those, or paste it into the box.")
    if not data:
        raise WebError(400, "input_error", f"{filename}: the file is empty")
    if suffix == ".eml":
        return eml_to_text(data, source=filename), "email"
    return decode_bytes(data, source=filename), None


def known_rules(app_config: dict[str, Any]) -> list[str]:
    """Every configured rule set, whether or not it loaded."""
    return ["default", *[name for name in app_config.get("RULES", {}) if name != "default"]]


def usable_rules(app_config: dict[str, Any], broken: dict[str, str]) -> list[str]:
    """The configured rule sets that loaded: the ones offered to learners."""
    return [name for name in known_rules(app_config) if name not in broken]


def validate(req: CheckRequest, rules_names: list[str], broken: dict[str, str] | None = None) -> None:
    if req.channel not in CHANNELS:
        raise WebError(400, "bad_channel", f"Unknown channel {req.channel!r}: use auto, chat or email.")
    if broken and req.rules in broken:
        raise WebError(503, "rules_unavailable", f"The rule set {req.rules!r} could not be loaded, so it cannot be used "
                                                 f"until it is fixed: {broken[req.rules]}")
    if req.rules not in rules_names:
        raise WebError(400, "unknown_rules", f"Unknown rule set {req.rules!r}: choose one of {', '.join(rules_names)}.")
    if req.agent is not None and len(req.agent) > MAX_AGENT_LENGTH:
        raise WebError(400, "bad_agent", f"The speaker name is too long (over {MAX_AGENT_LENGTH} characters).")
    has_text = req.text is not None and req.text.strip() != ""
    if not has_text and req.data is None:
        raise WebError(400, "empty", "The transcript is empty: paste a chat or email, or choose a file.")


def input_error(exc: InputError, *, uploaded: bool) -> WebError:
    """The checker's error as a ``WebError``; pasted text is not a file, so its name is left out."""
    message = str(exc) if uploaded else exc.message[:1].upper() + exc.message[1:]
    if isinstance(exc, SpeakerError):
        if exc.speakers:
            found = ", ".join(exc.speakers)
            first = message.split(";")[0]
            if first.lower().startswith("cannot tell which speaker"):
                first = "We could not tell which speaker is you"
            message = f"{first}. Speakers found: {found}. Choose which one is you, then check again."
        return WebError(422, "speaker_unknown", message, speakers=tuple(exc.speakers))
    return WebError(400, "input_error", message)


def run_check(runner: "CheckRunner | ProcessCheckRunner", req: CheckRequest, rules_names: list[str],
              broken: dict[str, str] | None = None) -> Report:
    """Validate ``req`` and judge it on the runner's pool within its time limit."""
    validate(req, rules_names, broken)
    source = req.data if req.data is not None else req.text
    name = req.filename or "<input>"
    try:
        return runner.check(source, channel=req.channel, agent=req.agent or None, rules=req.rules, name=name)
    except TimeLimitError:
        raise CheckTimeout(runner.timeout) from None
    except InputError as exc:
        raise input_error(exc, uploaded=req.filename is not None) from None
    except RuleError as exc:
        # A rule that fails (e.g. a tutor's pattern over its time limit on this text) is the rule
        # set's problem, not the learner's; the message names the rule, never the transcript.
        raise WebError(500, "rules_error", f"The rule set {req.rules!r} failed on this transcript: {exc}") from None


def ruleset_summary(checker: Any, name: str) -> dict[str, Any]:
    """The rule set's metadata and criteria, for ``/api/rulesets`` and the "how it works" page."""
    ruleset = checker.ruleset(name)
    return {
        "name": name,
        "title": ruleset.name,
        "version": ruleset.version,
        "description": " ".join(ruleset.description.split()),
        "pass_score": ruleset.pass_score,
        "criteria": [
            {
                "id": c.id,
                "title": c.title,
                "description": c.description,
                "why": c.why,
                "suggestion": c.suggestion,
                "weight": c.weight,
                "critical": c.critical,
                "default": c.default,
                "rules": sum(1 for r in ruleset.rules if r.criterion == c.id),
            }
            for c in ruleset.criteria.values()
        ],
    }
