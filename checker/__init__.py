"""ReplyCheck: judges customer-service chat and email transcripts.

    >>> from checker import check
    >>> report = check("Agent: Hello, how can I help?\\nCustomer: Hi")
    >>> report.to_dict()["decision"]

``check`` builds one ``Checker`` (spaCy model, proofreader) per process on first use; build your
own ``Checker`` to choose the model, LanguageTool server or rule sets.
"""
from __future__ import annotations

import os
import threading

# numpy's BLAS does only small products here (one conversation's sentence vectors against each
# act's examples: some 28,000 matrix-vector products over the labelled corpus), and OpenBLAS
# wakes a second thread for each of them, which costs more than it saves: one BLAS thread cut
# the acts stage's CPU time by about 7 % with every act and confidence bit for bit the same.
# Set before numpy is first imported (the import below brings it in); a value the caller has
# set (or numpy imported before this package) is left alone.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .engine import Checker  # noqa: E402
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
