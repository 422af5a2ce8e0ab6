"""Tutors write regular expressions; one must not be able to hang a check.

Three guards: ``regex_danger`` rejects the classic catastrophic shape, a repeated group whose
body is one repeated item (``(a+)+``, ``(\\w*)*``); it then times the pattern on texts built to
make a backtracking engine struggle; and every pattern also runs with a time limit at check time
(``matching.REGEX_TIMEOUT``), so even a pattern that slips through cannot hold a worker.
"""
from __future__ import annotations

import regex

_CLASSIC = regex.compile(r"\((?:\?:)?(?:\\.|\[(?:\\.|[^\]])*\]|[^()\\])[+*]\)\s*(?:[+*]|\{\d+,\})")
_ALPHABETS = ("a", "A", "1", " ", "a ", "A ", "ab", "a1", "a-", "aa.", "x\n")
PROBE_TIMEOUT = 0.5  # a catastrophic pattern takes far longer than this; a sane one microseconds


def regex_danger(pattern: str) -> str | None:
    """Why ``pattern`` could backtrack catastrophically, or None."""
    if _CLASSIC.search(pattern):
        return "a repeated group that itself repeats (like (a+)+) can take forever on some texts; remove the inner or outer repeat"
    compiled = regex.compile(pattern, regex.IGNORECASE | regex.VERSION1)
    for alphabet in _ALPHABETS:
        attack = alphabet * (40 // len(alphabet)) + "!\n"
        try:
            compiled.search(attack, timeout=PROBE_TIMEOUT)
        except TimeoutError:
            return "it takes too long on some texts (catastrophic backtracking); simplify it"
    return None
