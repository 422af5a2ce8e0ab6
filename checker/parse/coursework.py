"""Learner coursework pastes: a title, a "Scenario:" paragraph, then sections such as
"Customer email:" / "My reply:", "Customer:" / "My response:", "Customer message" / "Response".

The section names say who wrote what; the scenario and title are read as headers, not messages.
"""
from __future__ import annotations

import re

from .common import Line
from .headers import is_header_line
from .reading import Message, Reading

CUSTOMER = (r"(?:email|e-mail|message|enquiry|query|complaint|letter)\s+from\s+(?:the\s+)?customer|(?:the\s+)?customer(?:'s|’s)?(?:\s+(?:email|e-mail|message|enquiry|query|complaint|chat|letter|reply|"
            r"response|wrote|says|said|writes))?(?:\s+\d+)?|customer\s+(?:email|message)\s+\(?\d+\)?")
AGENT = (r"(?:your|our)\s+(?:reply|response)|(?:reply|response)\s+to\s+(?:the\s+)?customer|my\s+(?:reply|response|answer|email|e-mail|message|written response)(?:\s+to\s+the\s+customer)?(?:\s+\d+)?"
         r"|(?:agent|advis[eo]r|learner|written|email|e-mail|chat)?\s*(?:reply|response)(?:\s+\d+)?")
META = r"scenario|task|context|background|brief|instructions?|the situation|situation|reflection|assessor notes?"
# possessive blanks (``[ \t]*+``): a run of blanks is taken whole, never split between the places
# that allow one ("Response" + 1,500 spaces + "x" took 7 s to fail with plain ``*``)
SECTION = re.compile(
    rf"^[ \t]*+(?:(?P<customer>{CUSTOMER})|(?P<agent>{AGENT})|(?P<meta>{META}))[ \t]*+(?:\([^)\n]{{0,40}}\)[ \t]*+)?"
    r"(?::[ \t]*(?P<rest>.*?))?$",
    re.IGNORECASE,
)


def read(text: str, lines: list[Line]) -> Reading | None:
    sections: list[dict] = []
    meta: set[int] = set()
    current: dict | None = None
    for i, line in enumerate(lines):
        m = SECTION.match(line.text)
        if m and (m.group("rest") is not None or line.text.strip()):
            rest = m.group("rest")
            role = "customer" if m.group("customer") else "agent" if m.group("agent") else None
            label = line.text.strip().split(":", 1)[0].strip()
            current = {"speaker": label, "role": role, "lines": [], "line_number": i + 1}
            sections.append(current)
            meta.add(i)
            if rest:
                current["lines"].append(Line(rest, line.start + m.start("rest")))
            continue
        if current is None:
            if line.text.strip() and is_header_line(line.text):
                meta.add(i)
            continue
        current["lines"].append(line)
    talk = [s for s in sections if s["role"]]
    if not any(s["role"] == "agent" for s in talk):
        return None
    for s in sections:
        if s["role"] is None:  # the scenario is read, but it is not a message
            meta.update(i for i, ln in enumerate(lines) if ln in s["lines"] and ln.text.strip())
    context = " ".join(ln.text for ln in lines[: talk[0]["line_number"]]).lower()
    labels = " ".join(s["speaker"].lower() for s in talk)
    if re.search(r"\b(?:web ?chat|live chat|chat)\b", context):
        channel = "chat"
    elif re.search(r"\b(?:e-?mail|letter)\b", context + " " + labels):
        channel = "email"
    else:
        channel = "chat" if len(talk) > 2 else "email"
    return Reading(
        family="coursework", channel=channel, meta=frozenset(meta), prior=0.04,
        messages=tuple(Message(speaker=s["speaker"], lines=tuple(s["lines"]), role=s["role"],
                               line_number=s["line_number"]) for s in talk),
    )
