"""ReplyCheck: judges customer-service chat and email transcripts.

    >>> from checker import check
    >>> report = check("Agent: Hello, how can I help?\\nCustomer: Hi")
    >>> report.to_dict()["decision"]

``check`` builds one ``Checker`` (spaCy model, proofreader) per process on first use; build your
own ``Checker`` to choose the model, LanguageTool server or rule sets.
"""
from __future__ import annotations

import threading

from .engine import Checker
from .errors import InputError, ReplyCheckError, RuleError, SetupError, SpeakerError
from .model import Report

__all__ = ["check", "Checker", "Report", "ReplyCheckError", "InputError", "SpeakerError", "SetupError", "RuleError"]
__version__ = "0.1.0"

_default: Checker | None = None
_lock = threading.Lock()


def default_checker() -> Checker:
    global _default
    with _lock:
        if _default is None:
            _default = Checker()
        return _default


def check(text: str | bytes, channel: str | None = None, rules: str = "default", agent: str | None = None) -> Report:
    """Judge one transcript with the default model and proofreader."""
    return default_checker().check(text, channel=channel or "auto", agent=agent, rules=rules)
