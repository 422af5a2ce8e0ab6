"""The shared vocabularies: one list per concept, read by everything that needs it.

``salutations`` (how a letter-style message opens: "Dear", "Hello", "Good morning"…) and
``sign_offs`` (how it closes: "Kind regards", "Many thanks"…) are the files
``checker/rules/default/lists/salutations.txt`` and ``sign_offs.txt``. The parser, the evaluator's
email parts (``email_salutation`` / ``email_signoff`` scopes), the name finder and the rules all
read them from there: a rule names a list as ``then_from: lists/sign_offs.txt``, or inside a
regular expression as ``(?list:salutations)`` (``checker.rules.loader.expand_list_references``).
Add a word to the file and every reader knows it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

LISTS_DIR = Path(__file__).parent / "rules" / "default" / "lists"


@lru_cache(maxsize=None)
def phrases(name: str, folder: Path = LISTS_DIR) -> tuple[str, ...]:
    """The entries of the list ``name`` (``<folder>/<name>.txt``: one a line, ``#`` for comments)."""
    out = []
    for raw in (folder / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        entry = " ".join(raw.split())
        if entry and not entry.startswith("#"):
            out.append(entry)
    return tuple(out)


def alternation(entries: tuple[str, ...] | list[str], space: str = r"\s+") -> str:
    """A non-capturing group matching any entry (longest first, so "kind regards" wins over
    "regards" and "hiya" over "hi"); each space in an entry matches ``space``."""
    ordered = sorted(dict.fromkeys(entries), key=lambda e: (-len(e), e))
    return "(?:" + "|".join(space.join(re.escape(w) for w in e.split()) for e in ordered) + ")"


SALUTATIONS = alternation(phrases("salutations"), r"[ \t]+")
SIGN_OFFS = alternation(phrases("sign_offs"), r"[ \t]+")

# a line that opens a letter: "Dear Ms Shah," / "Hello Sam" / "Good morning," (and what follows
# on the line, at most 60 characters)
SALUTATION_LINE = re.compile(rf"^[ \t]*{SALUTATIONS}\b[^\n]{{0,60}},?[ \t]*$", re.IGNORECASE | re.MULTILINE)
# a line that is only a sign-off: "Kind regards," / "Many thanks!" / "Best"
SIGN_OFF_LINE = re.compile(rf"^[ \t]*{SIGN_OFFS}[ \t]*[,.!]?[ \t]*$", re.IGNORECASE | re.MULTILINE)
# a sign-off and a name on one line: "Kind regards, Sam Patel"
SIGN_OFF_WITH_NAME = re.compile(rf"^[ \t]*({SIGN_OFFS})[ \t]*,[ \t]*([A-Z][\w'’-]+.*)$", re.IGNORECASE)
# a line that starts with a sign-off ("Thanks", "Kind regards, Sam")
STARTS_WITH_SIGN_OFF = re.compile(rf"^[ \t]*{SIGN_OFFS}\b", re.IGNORECASE)

# a system line that hands the chat to an agent: someone joining, a transfer, a chat picked up or
# accepted. The role finder takes such a speaker for a second agent; the wait rule starts the
# customer's wait again from it (a typing notice, a queue position or a bot's "Still there?" does not)
HANDOVER_LINE = re.compile(r"\b(?:transferr?(?:ed|ing)?|joined|entered|picked up|accepted|now (?:chatting|connected|speaking) (?:with|to))\b",
                           re.IGNORECASE)


# the calendar's names, as written in full (capitalised) and cut short (lower case): "3rd-6th Mar",
# "Tue 4 Nov". The proofreader capitalises them; the acts read them as times. ``parse.headers``
# matches the same names in its date patterns (``MONTH``, ``WEEKDAY``)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
SHORT_DAYS_MONTHS = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                               "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"})


# what a social post writes around its message: the @handles it is addressed to, at the start, and
# the writer's initials after a caret, at the end ("@77120 Hi there, sorry about that. ^RK")
LEADING_HANDLES = re.compile(r"^[ \t]*(?:@[\w.]+[,:]?\s+)+")
CARET_INITIALS = re.compile(r"\s+\^[A-Z]{1,3}\s*$")


def without_addressing(text: str) -> str:
    """``text`` without the @handles it starts with and a closing ^initials; as it is when
    nothing else would be left ("@77120" alone)."""
    bare = CARET_INITIALS.sub("", LEADING_HANDLES.sub("", text))
    return bare if re.search(r"[^\W_]", bare) else text
