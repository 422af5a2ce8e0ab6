"""The time budget of one check.

``Checker.check`` opens a :class:`Budget` for each transcript: an overall limit (``seconds``;
the CLI's and batch's ``--timeout``, the web app's ``CHECK_TIMEOUT``) and a budget for tutors'
regular expressions summed over the whole check (``REGEX_BUDGET``), not per search: 200 turns
each searched in 0.9 s would otherwise pass a per-search limit and still take three minutes.

The stages call :func:`check_time` between units of work (a spaCy doc, a rule), and
``rules.matching.run_regex`` gives each search only what is left of both budgets. Running out
raises :class:`~checker.errors.TimeLimitError` (the overall limit; an input error, since the
same text would take as long again) or :class:`~checker.errors.RuleError` (a pattern that used
up the regex budget: the rule set's problem, named). The budget lives in a context variable,
so threads and processes each have their own; outside ``Checker.check`` nothing is limited.
"""
from __future__ import annotations

import contextvars
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from .errors import TimeLimitError

# seconds of tutor regular expressions per check, summed over every search. A vetted pattern set
# needs milliseconds for a long conversation; this only stops a runaway one, and is generous so
# a busy machine never changes a result.
REGEX_BUDGET = 2.0


@dataclass
class Budget:
    seconds: float | None  # overall limit, None for none
    regex_seconds: float = REGEX_BUDGET
    started: float = field(default_factory=time.monotonic)
    regex_used: float = 0.0

    @property
    def deadline(self) -> float | None:
        return None if self.seconds is None else self.started + self.seconds

    def remaining(self) -> float | None:
        return None if self.seconds is None else self.deadline - time.monotonic()

    def check(self, where: str = "") -> None:
        if self.seconds is not None and time.monotonic() > self.deadline:
            raise TimeLimitError(self.seconds, where)

    def regex_allowance(self) -> float:
        """Seconds the next search may take: what is left of the regex budget and of the overall limit."""
        left = self.regex_seconds - self.regex_used
        overall = self.remaining()
        return max(0.0, left if overall is None else min(left, overall))


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("replycheck_budget", default=None)


@contextmanager
def budget(seconds: float | None, regex_seconds: float = REGEX_BUDGET) -> Iterator[Budget]:
    """Run a check within ``seconds`` (None: no overall limit) and ``regex_seconds`` of patterns."""
    if seconds is not None and not seconds > 0:
        raise ValueError("a time limit must be more than 0 seconds")
    current = Budget(seconds, regex_seconds)
    token = _current.set(current)
    try:
        yield current
    finally:
        _current.reset(token)


def current() -> Budget | None:
    return _current.get()


def check_time(where: str = "") -> None:
    """Raise TimeLimitError when the current check has run out of time; else nothing."""
    b = _current.get()
    if b is not None:
        b.check(where)
