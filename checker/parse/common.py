"""What every reader shares: lines with their offsets, speaker labels, role words, timestamps."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

AGENT_ROLE_WORDS = {
    "agent", "advisor", "adviser", "rep", "representative", "support", "csr", "me", "you",
    "operator", "staff", "helpdesk", "help desk", "service desk", "consultant", "associate",
    "specialist", "live agent", "customer service", "customer services", "customer support",
    "advisor/agent", "learner", "colleague", "team member", "support agent", "service advisor",
}
CUSTOMER_ROLE_WORDS = {
    "customer", "client", "caller", "visitor", "user", "guest", "member", "tenant", "resident",
    "patient", "account holder", "cust", "enquirer", "consumer",
}
SYSTEM_ROLE_WORDS = {"system", "bot", "chatbot", "virtual assistant", "auto", "automated message", "info"}

# Words that end in a colon inside messages but are not speakers.
NOT_SPEAKERS = {
    "note", "notes", "nb", "ps", "p.s", "re", "subject", "from", "to", "date", "sent", "cc", "bcc",
    "tel", "telephone", "phone", "mobile", "email", "e-mail", "address", "postcode", "order",
    "order number", "order no", "reference", "ref", "account", "account number", "time", "total",
    "price", "amount", "tip", "warning", "important", "update", "answer", "question", "q", "a",
    "example", "eg", "e.g", "url", "link", "website", "web", "hours", "opening hours", "step",
    "http", "https", "mailto", "www", "option", "name", "dob", "date of birth", "balance", "status",
    "tracking", "tracking number", "case", "case number", "ticket", "ticket number", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekdays", "weekends",
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "attachment", "attachments", "result", "outcome",
    "action", "issue", "summary", "resolution", "next steps", "next step", "follow up", "deadline",
}

TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?"
DATE = r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"
STAMP = rf"(?:{DATE}[ T,]\s*)?{TIME}"
STAMP_WRAPPED = rf"(?:\[{STAMP}\]|\({STAMP}\)|{STAMP})"
LABEL = r"@?[^\W\d_][\w.'’&/-]*(?:[ \t]+[^\W\d_][\w.'’&/-]*){0,4}?"
ROLE_HINT = r"(?:\s*[\(\[]\s*(?P<hint>(?!\d)[^\)\]\n]{1,30}?)\s*[\)\]])"  # "(Agent)", never "[10:02]"

# a social account's @handle after the display name ("Callum Reid @callumreid_: …"): the name speaks
HANDLE_AFTER = r"(?:[ \t]+\(?@[A-Za-z0-9_]{1,30}\)?)?"
SPEAKER_LINE = re.compile(
    rf"^[ \t\u200e\u200f]*(?:(?P<ts1>{STAMP_WRAPPED})[ \t]*(?:[-–|][ \t]*)?)?"
    rf"(?P<label>{LABEL}){HANDLE_AFTER}{ROLE_HINT}?"
    rf"[ \t]*(?:(?P<ts2>{STAMP_WRAPPED})[ \t]*)?"
    r"[:>][ \t]?(?P<msg>.*)$"
)
HEADER_LINE = re.compile(  # speaker and/or time alone on a line, message below (live-chat exports)
    rf"^[ \t\u200e\u200f]*(?:(?P<ts1>{STAMP_WRAPPED})[ \t]*(?:[-–|][ \t]*)?)?"
    rf"(?P<label>{LABEL}){ROLE_HINT}?"
    rf"[ \t]*(?:[-–|,][ \t]*)?(?:(?P<ts2>{STAMP_WRAPPED}))?[ \t]*:?[ \t]*$"
)
SYSTEM_LINE = re.compile(
    rf"^[ \t]*(?:{STAMP_WRAPPED}[ \t]*(?:[-–|][ \t]*)?)?"
    r"(?:[*=~]{2,}[ \t]*)?"  # a tool's decoration: "*** Chat transferred to Aisha ***"
    r"(?:(?:the\s+)?(?:chat|conversation|session)\s+(?:has\s+)?(?:started|ended|closed|began|was\s+transferred.*|transferred.*)"
    r"|.{1,60}?\s+(?:has\s+)?(?:joined|left|entered|exited)\s+the\s+(?:chat|conversation|room)"
    r"|.{1,60}?\s+(?:has\s+)?closed\s+the\s+(?:chat|conversation)"
    r"|(?:chat|conversation)\s+transferred\s+to\s+.{1,60}"
    r"|[-=*\s]*(?:chat|conversation|transcript)\s+(?:start|end|begins?|ends?)[-=*\s]*)"
    r"[ \t]*[.!]?[ \t]*(?:[*=~]{2,}[ \t]*)?$",
    re.IGNORECASE,
)
NOTES_LINE = re.compile(
    r"^[ \t]*(?:agent|crm|case|call|internal|advis[eo]r|contact|wrap[- ]?up)\s+notes?[ \t]*:[ \t]*(?P<rest>.*)$",
    re.IGNORECASE,
)

# what a tool writes into a dialogue log, not a person: a bracketed capitals tag alone or over
# key=value pairs ("[QUERY] restaurant=Olive party=2"), a record of key=value pairs, a marker
# between double underscores ("__SILENCE__"); not "[URGENT] my heating is still off"
_KEY_VALUES = r"(?:[\w.-]+=[^\s,;=]+(?:[,;][ \t]*|[ \t]+|$)){2,}"  # a separator after each value: no backtracking
MACHINE_TEXT = re.compile(rf"^[ \t]*(?:\[[A-Z][A-Z_ -]{{1,20}}\](?:[ \t]+{_KEY_VALUES}|[ \t]*$)|__[A-Z][A-Z_]*__[ \t]*$|{_KEY_VALUES}$)")


def is_machine_text(text: str) -> bool:
    """Is every line of a message a tool's (``MACHINE_TEXT``)?"""
    said = [t for t in text.split("\n") if t.strip()]
    return bool(said) and all(MACHINE_TEXT.match(t) for t in said)


EMAIL_HEADER = re.compile(r"^[ \t]*(?P<name>From|To|Cc|Bcc|Subject|Date|Sent|Reply-To)[ \t]*:[ \t]*(?P<value>.*)$", re.IGNORECASE)
ORIGINAL_MESSAGE = re.compile(r"^[ \t]*-{2,}[ \t]*(?:Original|Forwarded)[ \t]+Message[ \t]*-{2,}[ \t]*$", re.IGNORECASE)
WROTE_LINE = re.compile(r"^[ \t]*On\b.{3,300}?\bwrote:[ \t]*$", re.IGNORECASE | re.DOTALL)
UNDERSCORE_RULE = re.compile(r"^[ \t]*_{8,}[ \t]*$")


@dataclass(frozen=True)
class Line:
    text: str
    start: int  # offset of text[0] in the source

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_lines(text: str, base: int = 0) -> list[Line]:
    lines, pos = [], base
    for raw in text.split("\n"):
        lines.append(Line(raw, pos))
        pos += len(raw) + 1
    return lines


_SPACES = re.compile(r"\s+")
# a speaker label, heading, header or date line is short: longer lines are message text, and the
# line-shape patterns are never run on them
MAX_HEADING_CHARS = 200
_BLANK_RUN = re.compile(r"[^\S\n]{3,}")


@lru_cache(maxsize=8192)
def heading_shape(text: str) -> str | None:
    """A line as the line-shape patterns (speaker headings, dates, system lines, titles) see it:
    trimmed, every run of blanks cut to two (two still part columns, "Name (Org)   Public reply"),
    or None when it is too long to be a heading. Those patterns give blanks room in several
    places; on a pasted run of thousands of spaces or tabs each split of the run is a way to
    try, and the match took seconds to minutes. With runs of at most two and lines of at most
    200 characters there are few ways left. Nothing takes offsets from these matches."""
    t = _BLANK_RUN.sub("  ", text.strip())
    return t if len(t) <= MAX_HEADING_CHARS else None


def match_heading(pattern: re.Pattern, text: str) -> re.Match | None:
    """``pattern`` matched on the line's heading shape; None for a line too long to be a heading."""
    shape = heading_shape(text)
    return pattern.match(shape) if shape else None


@lru_cache(maxsize=4096)
def speaker_key(label: str) -> str:
    return _SPACES.sub(" ", label.strip().strip(".")).lower()


@lru_cache(maxsize=4096)
def role_of(word: str | None) -> str | None:
    if not word:
        return None
    key = speaker_key(word)
    if key in AGENT_ROLE_WORDS:
        return "agent"
    if key in CUSTOMER_ROLE_WORDS:
        return "customer"
    if key in SYSTEM_ROLE_WORDS:
        return "system"
    return None


def rejected_label(m: re.Match) -> bool:
    label = m.group("label")
    key = speaker_key(label)
    if key in NOT_SPEAKERS or re.fullmatch(r"(?:step|option|point|q|a)\s*\d*", key):
        return True
    msg = m.group("msg") if "msg" in m.groupdict() else ""
    if msg is not None and msg.startswith("//"):
        return True
    # a sentence that happens to contain a colon ("The reason is: …") is not a speaker label
    return len(key.split()) > 3 and not m.group("hint") and not role_of(key)


def split_notes(lines: list[Line]) -> tuple[list[Line], str | None, int | None]:
    for i, line in enumerate(lines):
        m = NOTES_LINE.match(line.text)
        if m:
            body = [ln for ln in lines[i:] if ln.text.strip()]
            notes_text = "\n".join(ln.text for ln in lines[i:]).strip()
            return lines[:i], notes_text or None, body[0].start if body else None
    return lines, None, None


def clean_time(stamp: str | None) -> str | None:
    if not stamp:
        return None
    return stamp.strip().strip("[]()").strip()


def leading_time(line: str) -> str | None:
    m = re.match(rf"^[ \t]*({STAMP_WRAPPED})", line)
    return m.group(1) if m else None


def to_seconds(stamp: str | None) -> float | None:
    """A timestamp as seconds (days since 2000 when a date is given), for gaps between messages."""
    if not stamp:
        return None
    m = re.search(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s?([AaPp])?", stamp)
    if not m:
        return None
    hours, minutes, secs = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if m.group(4):
        hours = hours % 12 + (12 if m.group(4).lower() == "p" else 0)
    total = hours * 3600 + minutes * 60 + secs
    d = re.search(r"(\d{4})-(\d{2})-(\d{2})", stamp)
    if d:
        import datetime as _dt

        try:
            total += (_dt.date(int(d.group(1)), int(d.group(2)), int(d.group(3))) - _dt.date(2000, 1, 1)).days * 86400
        except ValueError:
            pass
    return float(total)
