"""Errors a user can act on. Each carries a one-line message; the CLI prints it and exits 2."""
from __future__ import annotations


class ReplyCheckError(Exception):
    """Base class: a problem with the user's input or set-up, never a bug."""

    exit_code = 2

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.message = message
        self.source = source
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


class InputError(ReplyCheckError):
    """The transcript cannot be read: empty, binary, undecodable, too large, no turns."""


class SpeakerError(InputError):
    """The parser cannot tell which speaker is the learner (agent)."""

    def __init__(self, message: str, speakers: tuple[str, ...], **kwargs):
        self.speakers = speakers
        super().__init__(message, **kwargs)


class SetupError(ReplyCheckError):
    """Something the installation lacks, e.g. the spaCy model. The message says how to fix it."""


class RuleError(ReplyCheckError):
    """A rule file is malformed. Names the file, line and key."""


class TimeLimitError(InputError):
    """A check ran past its time limit and was stopped. An input error: the same text would take
    as long again (a batch keeps it as failed and does not retry it on every run)."""

    def __init__(self, seconds: float, where: str = "", **kwargs):
        self.seconds = seconds
        stage = f" while {where}" if where else ""
        super().__init__(f"checking took longer than the time limit of {seconds:g} s{stage}, so it was stopped; "
                         "check one conversation at a time, or a shorter one", **kwargs)


class LimitError(InputError):
    """The transcript is larger than ReplyCheck judges: a message too long, too many messages."""
