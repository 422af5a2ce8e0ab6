"""Tutors write regular expressions; one must not be able to hang a check.

Three guards: ``regex_danger`` rejects the classic catastrophic shapes, a repeated group whose
body is one repeated item (``(a+)+``, ``(\\w*)*``) or whose alternatives overlap (``(zz|z)+``,
``(a|ab)*``); it then times the pattern on texts built to make a backtracking engine struggle,
from fixed alphabets and from the pattern's own letters and words; and every check also runs
its patterns within one time budget (``checker.budget``), so even a pattern that slips through
cannot hold a worker.
"""
from __future__ import annotations

import regex

_CLASSIC = regex.compile(r"\((?:\?:)?(?:\\.|\[(?:\\.|[^\]])*\]|[^()\\])[+*]\)\s*(?:[+*]|\{\d+,\})")
_ALPHABETS = ("a", "A", "1", " ", "a ", "A ", "ab", "a1", "a-", "aa.", "x\n")
PROBE_TIMEOUT = 0.5  # a catastrophic pattern takes far longer than this; a sane one microseconds


# a group of plain alternatives, repeated without bound: (zz|z)+, (?:a|ab)*, (x|xy){2,}
_REPEATED_ALTERNATION = regex.compile(r"\((?:\?:)?((?:[^()\\|]|\\.)*(?:\|(?:[^()\\|]|\\.)*)+)\)(?:[+*]|\{\d+,\})")


def _overlapping_alternatives(pattern: str) -> bool:
    """One alternative of a repeated group is a prefix of another (``z`` and ``zz``): a text of
    that letter then splits in exponentially many ways before the engine can give up."""
    for m in _REPEATED_ALTERNATION.finditer(pattern):
        options = [o for o in m.group(1).split("|")]
        if any(o == "" for o in options):
            return True
        for a in options:
            for b in options:
                if a is not b and a and b.startswith(a) and a != b:
                    return True
                if a is not b and a == b:
                    return True
    return False


def _own_alphabets(pattern: str) -> list[str]:
    """Attack texts from the pattern's own letters and words (``(zz|z)+y`` is slow on z's)."""
    literal = regex.sub(r"\\.", " ", pattern)
    words = regex.findall(r"[^\W_]+", literal)
    letters = sorted({ch for w in words for ch in w.lower()})[:26]
    runs = sorted({w.lower() for w in words if 1 < len(w) <= 8})[:20]
    return letters + runs + [w + " " for w in runs[:10]]


def regex_danger(pattern: str) -> str | None:
    """Why ``pattern`` could backtrack catastrophically, or None."""
    if _CLASSIC.search(pattern):
        return "a repeated group that itself repeats (like (a+)+) can take forever on some texts; remove the inner or outer repeat"
    if _overlapping_alternatives(pattern):
        return ("a repeated group whose alternatives overlap (like (zz|z)+ or (a|ab)*) can take forever on some texts; "
                "make the alternatives distinct or drop the repeat")
    compiled = regex.compile(pattern, regex.IGNORECASE | regex.VERSION1)
    for alphabet in _ALPHABETS + tuple(_own_alphabets(pattern)):
        attack = alphabet * (40 // len(alphabet)) + "!\n"
        try:
            compiled.search(attack, timeout=PROBE_TIMEOUT)
        except TimeoutError:
            return "it takes too long on some texts (catastrophic backtracking); simplify it"
    return None
