"""Helpdesk ticket prints: a header (title, ticket number, channel), then blocks separated by
lines of ``=`` or ``-``, each headed ``Name (Agent) — 3 Mar 2026, 10:14`` with the message below."""
from __future__ import annotations

import re

from ..vocabulary import SALUTATIONS, SIGN_OFF_LINE
from .common import Line, role_of
from .email_thread import SIGNATURE_NAME
from .headers import SEPARATOR, is_header_line
from .reading import Message, Reading

HEADING = re.compile(
    r"^[ \t]*(?i:(?:public |internal )?(?:reply|response|message|comment|note) (?:from|by)[ \t]+|posted by[ \t]+)?"
    r"(?P<name>[^\W\d_][\w.'’&/ -]{0,60}?)(?:[ \t]*[(\[](?P<hint>[^)\]\n]{1,30})[)\]])?"
    r"[ \t]+(?:[—–-]|wrote on|replied on|on)[ \t]+(?P<when>[^\n]*\d[^\n]*?)[ \t]*:?[ \t]*$"
)
CHANNEL = re.compile(r"\bchannel\s*:\s*(?P<value>[^·|\n]+)", re.IGNORECASE)
# letter conventions in a block: a salutation line ending in a comma ("Dear Amir,"), or a sign-off
# ("Kind regards,") ending in a comma or with a name under it. A bare "Thanks!" or "Cheers" is as
# much a chat line as a sign-off, so alone it is no evidence of an email.
SALUTE = re.compile(rf"^[ \t]*{SALUTATIONS}\b.*,[ \t]*$", re.IGNORECASE)


def letter_conventions(lines: list[Line]) -> bool:
    texts = [ln.text for ln in lines if ln.text.strip()]
    for i, t in enumerate(texts):
        if SALUTE.match(t):
            return True
        if SIGN_OFF_LINE.match(t) and (t.rstrip().endswith(",") or (i + 1 < len(texts) and SIGNATURE_NAME.match(texts[i + 1]))):
            return True
    return False


def read(text: str, lines: list[Line]) -> Reading | None:
    seps = [i for i, ln in enumerate(lines) if SEPARATOR.match(ln.text)]
    if not seps:
        return None
    meta: set[int] = set(seps)
    blocks: list[dict] = []
    current: dict | None = None
    for i, line in enumerate(lines):
        if i in meta:
            current = None if i in seps else current
            continue
        if not line.text.strip():
            if current is not None:
                current["lines"].append(line)
            continue
        first_in_block = current is None
        m = HEADING.match(line.text) if first_in_block else None
        if m and len(m.group("name").split()) <= 5:
            name = m.group("name").strip()
            hint = m.group("hint")
            current = {"speaker": name, "hint": hint, "time": m.group("when").strip(), "lines": [],
                       "role": role_of(hint) or role_of(name), "line_number": i + 1}
            blocks.append(current)
            meta.add(i)
            continue
        if current is None:
            if i < seps[0] and is_header_line(line.text):
                meta.add(i)
            continue
        current["lines"].append(line)
    if len(blocks) < 2:
        return None
    header = "\n".join(ln.text for ln in lines[:seps[0]])
    chan = CHANNEL.search(header)
    if chan:
        channel = "email" if re.search(r"e-?mail|letter|web form|contact form", chan.group("value"), re.I) else "chat"
    else:
        channel = "email" if any(letter_conventions(b["lines"]) for b in blocks) else "chat"
    subject = re.search(r"\bsubject\s*:\s*(?P<value>[^·|\n]+)", header, re.IGNORECASE)
    return Reading(
        family="ticket print", channel=channel, meta=frozenset(meta), prior=0.03,
        messages=tuple(Message(speaker=b["speaker"], lines=tuple(b["lines"]), time=b["time"], hint=b["hint"],
                               role=b["role"], line_number=b["line_number"],
                               subject=subject.group("value").strip() if subject and channel == "email" else None)
                       for b in blocks),
    )
