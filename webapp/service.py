"""What the page and the API share: reading the request, running a check with a time limit, and
turning the checker's errors into something a person can act on.

Views stay thin: they read their input into a ``CheckRequest``, call ``run_check`` and render.
No NLP happens here; the ``Checker`` built once by ``create_app`` does it all.

Privacy: nothing in this module logs or stores the text. Errors carry the checker's message,
which names the problem, never the transcript.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from checker.errors import InputError, RuleError, SpeakerError
from checker.model import Report

CHANNELS = ("auto", "chat", "email")
UPLOAD_SUFFIXES = (".txt", ".eml", ".json")
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
    """Runs checks on a small pool of threads (one by default), each with a time limit.

    The limit covers the wait for a free check thread too. A check that runs past it is
    abandoned: the request gets a 503 at once and its server thread is free again. Python
    cannot stop a running thread, so the pool thread finishes the check in the background and
    its result is dropped; the pool's size bounds how many checks run at once, and a check that
    never started is cancelled. Pool threads live as long as the app, so each builds its
    offline proofreader once (``HarperProofreader`` keeps one per thread).
    """

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


def upload_to_text(data: bytes, filename: str) -> tuple[str, str | None]:
    """An uploaded file as the text to put in the form, and the channel it implies (or None).

    Uses the checker's own readers: ``.eml`` files become the pasted-email form, ``.json`` and
    ``.txt`` are decoded as they are (the JSON text itself is valid input to the form).
    """
    from checker.parse import decode_bytes, eml_to_text

    suffix = PurePath(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise WebError(400, "unsupported_file",
                       f"{filename}: ReplyCheck reads .txt, .eml and .json files. Save the transcript as one of "
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


def run_check(runner: CheckRunner, req: CheckRequest, rules_names: list[str],
              broken: dict[str, str] | None = None) -> Report:
    """Validate ``req`` and judge it on the runner's pool within its time limit."""
    validate(req, rules_names, broken)
    checker = runner.checker
    source = req.data if req.data is not None else req.text
    name = req.filename or "<input>"
    try:
        return runner.run(checker.check, source, channel=req.channel, agent=req.agent or None,
                          rules=req.rules, name=name)
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
