"""Helpdesk ticket prints and CRM case timelines: a header (title, ticket number, channel), then
one block per message, each headed by who wrote it and when. The headings the common tools print:

- ``Name (Agent) — 3 Mar 2026, 10:14`` or ``Name · May 20, 2025 7:12am`` (one line);
- ``Leah Morgan replied`` / ``Owen Pritchard reported via email`` / ``Callum Reeve (Larchfield
  Homes)   Public reply``, the date on the same line or the next;
- a name alone as the first line of a block, the date on the next line;
- ``[Email received] 17/04/2025 08:55`` / ``[Email sent] …``, the sender in a ``From:`` line below.

Blocks are separated by lines of ``=``, ``-`` or box-drawing rules, or start at a heading of the
last two kinds after a blank line. An internal or private note (``added a private note``,
``Internal note``, ``[Note]``) is the agent's record of the case, not a message to the customer:
its text becomes the conversation's notes (several notes are joined; quotes point at the first).
"""
from __future__ import annotations

import re

from ..vocabulary import SALUTATIONS, SIGN_OFF_LINE
from .common import EMAIL_HEADER, Line, heading_shape, role_of
from .email_thread import SIGNATURE_NAME
from .headers import SEPARATOR, is_date_line, is_header_line
from .reading import Message, Reading

HEADING = re.compile(
    r"^[ \t]*(?i:(?:public |internal )?(?:reply|response|message|comment|note) (?:from|by)[ \t]+|posted by[ \t]+)?"
    r"(?P<name>[^\W\d_][\w.'’&/ -]{0,60}?)(?:[ \t]*[(\[](?P<hint>[^)\]\n]{1,30})[)\]])?"
    r"[ \t]+(?:[—–·•-]|wrote on|replied on|on)[ \t]+(?P<when>[^\n]*\d[^\n]*?)[ \t]*:?[ \t]*$"
)
ACTION = (r"(?:replied|responded|wrote|commented|answered|reported(?:[ \t]+(?:via|by)[ \t]+[\w -]{1,20}?)?"
          r"|(?:added|left|posted)[ \t]+an?[ \t]+(?:(?:private|internal|public)[ \t]+)?(?:note|reply|comment|response)"
          r"|(?:public|private|internal)[ \t]+(?:reply|note|comment))")
ACTION_HEADING = re.compile(
    rf"^[ \t]*(?P<name>[^\W\d_][\w.'’&/-]*(?:[ \t][\w.'’&/-]+){{0,4}}?)(?:[ \t]*[(\[](?P<hint>[^)\]\n]{{1,40}})[)\]])?"
    rf"[ \t]*(?:[,·•|—–-][ \t]*)?(?P<action>{ACTION})"
    rf"(?:[ \t]*(?:[,·•|—–-]|on|at)?[ \t]*(?P<when>[^\n]*\d[^\n]*?))?[ \t]*:?[ \t]*$",
    re.IGNORECASE,
)
NAME_ALONE = re.compile(r"^[ \t]*(?P<name>[A-Z][\w.'’&-]*(?:[ \t][A-Z][\w.'’&-]*){0,3})(?:[ \t]*[(\[](?P<hint>[^)\]\n]{1,40})[)\]])?[ \t]*$")
EVENT = re.compile(
    r"^[ \t]*\[(?P<event>(?:internal |private )?note|(?:e-?mail|message|sms|letter|web ?form|chat)[ \t]+(?:received|sent|in|out|inbound|outbound)"
    r"|(?:incoming|outgoing|inbound|outbound)[ \t]+(?:e-?mail|message|sms|letter))\]"
    r"[ \t]*(?P<when>[^\n]*?\d[^\n]*?)?(?:[ \t]{2,}(?P<name>[^\n]+?))?[ \t]*$",
    re.IGNORECASE,
)
NOTE_WORDS = re.compile(r"\bnote\b", re.IGNORECASE)
CHANNEL = re.compile(r"\b(?:channel|origin|source|received via)\s*:\s*(?P<value>[^·•|\n]+)", re.IGNORECASE)
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


def _next_text(lines: list[Line], i: int) -> tuple[int, str]:
    j = i + 1
    while j < len(lines) and not lines[j].text.strip():
        j += 1
    return (j, lines[j].text) if j < len(lines) else (j, "")


def _found(speaker: str, hint: str | None, time: str | None, uses: list[int], *, role: str | None = None,
           note: bool = False, from_header: bool = False) -> dict:
    """A heading as the reader uses it. ``role``: an event's direction, which an event heading
    (``from_header``) alone decides; other headings take the role word in the hint or the name."""
    speaker = (speaker or "").strip()
    return {"speaker": speaker, "hint": hint, "time": (time or "").strip() or None,
            "role": role if from_header else (role_of(hint) or role_of(speaker)),
            "note": note, "uses": uses, "from_header": from_header}


# a heading of fields: "== Grace Okafor | Mon 9 Mar 2026 07:58 | via email ==", "Sam Reed - 2 Mar 2026 10:20 -
# Internal note": a name, a date, and perhaps what the entry is, between optional fences
FENCE = re.compile(r"^[=#*~_-]{2,}[ \t]*|[ \t]*[=#*~_-]{2,}$")
FIELD_SPLIT = re.compile(r"[ \t]+[|·•—–-][ \t]+")
FIELD_ACTION = re.compile(rf"^(?:{ACTION}|(?:via|by)[ \t]+[\w -]{{1,20}}|(?:public|private|internal)[ \t]+(?:reply|note|comment|message)"
                          rf"|(?:inbound|outbound|incoming|outgoing)(?:[ \t]+[\w-]+)?)$", re.IGNORECASE)


# a CRM history's entry heading, the date first: "03/12/2026 09:24 | Email sent | J.Mercer",
# "03/12/2026 08:52 | Customer email received", "… | Case note | J.Mercer"
DATED_EVENT = re.compile(
    r"^(?:(?P<who>customer|client|member|tenant|caller|agent|advis[eo]r|staff)[ \t]+)?"
    r"(?:(?P<what>case[ \t]+note|internal[ \t]+note|private[ \t]+note|note|e-?mail|message|letter|sms|text|chat|web ?form|reply|response)"
    r"(?:[ \t]+(?P<direction>received|sent|in|out|inbound|outbound|logged|added))?)$",
    re.IGNORECASE,
)


def _dated_event(t: str, i: int) -> dict | None:
    """The heading on line ``i`` when it is fields whose first is the date, then what the entry is
    (its direction or writer says whose it is), then perhaps who logged it."""
    fields = FIELD_SPLIT.split(FENCE.sub("", t).strip())
    if not 2 <= len(fields) <= 3 or not is_date_line(fields[0]):
        return None
    m = DATED_EVENT.match(fields[1].strip())
    if m is None:
        return None
    name = NAME_ALONE.match(fields[2]) or re.match(r"^[ \t]*(?P<name>[^\W\d_][\w.'’-]{1,40})[ \t]*$", fields[2]) \
        if len(fields) == 3 else None
    who, what, direction = (m.group("who") or "").lower(), m.group("what").lower(), (m.group("direction") or "").lower()
    if "note" in what:
        return _found(name.group("name") if name else "", None, fields[0], [i], note=True, from_header=True)
    if role_of(who) == "customer" or direction in ("received", "in", "inbound"):
        role = "customer"
    elif role_of(who) == "agent" or direction in ("sent", "out", "outbound"):
        role = "agent"
    else:
        return None
    speaker = name.group("name") if name and role == "agent" else ""
    return _found(speaker, None, fields[0], [i], role=role, from_header=True)


def _is_note(action: str) -> bool:
    """"added a private note", "Internal note": the entry is the case's notes; a "public" note is a reply."""
    return bool(NOTE_WORDS.search(action)) and not re.search(r"public", action, re.I)


def _field_heading(t: str) -> tuple[re.Match, str, str] | None:
    fields = FIELD_SPLIT.split(FENCE.sub("", t).strip())
    if not 2 <= len(fields) <= 4:
        return None
    name = NAME_ALONE.match(fields[0])
    dates = [f for f in fields[1:] if is_date_line(f)]
    actions = [f for f in fields[1:] if FIELD_ACTION.match(f.strip())]
    if name is None or len(dates) != 1 or len(dates) + len(actions) != len(fields) - 1:
        return None
    return name, dates[0], (actions[0] if actions else "")


def _heading(lines: list[Line], i: int, first_in_block: bool) -> dict | None:
    """The block heading on line ``i``: speaker, hint, time, role, whether it is a note, and the
    lines it takes up (a date on the next line belongs to it). Names alone and one-line headings
    count only as a block's first line; action, field and event headings anywhere after a blank line."""
    t = heading_shape(lines[i].text)
    if not t:
        return None
    after_blank = i == 0 or not lines[i - 1].text.strip() or bool(SEPARATOR.match(lines[i - 1].text))
    m = EVENT.match(t)
    if m and after_blank:
        event = m.group("event").lower()
        role = None if "note" in event else ("customer" if re.search(r"received|\bin\b|inbound|incoming", event) else "agent")
        return _found(m.group("name"), None, m.group("when"), [i], role=role, note="note" in event, from_header=True)
    dated = _dated_event(t, i) if (first_in_block or after_blank) else None
    if dated is not None:
        return dated
    m = ACTION_HEADING.match(t)
    if m and (first_in_block or after_blank) and len(m.group("name").split()) <= 5:
        uses, when = [i], m.group("when")
        j, nxt = _next_text(lines, i)
        if not when and is_date_line(nxt):
            uses.append(j)
            when = nxt.strip()
        return _found(m.group("name"), m.group("hint"), when, uses, note=_is_note(m.group("action")))
    fields = _field_heading(t) if (first_in_block or after_blank) else None
    if fields:
        name, when, action = fields
        return _found(name.group("name"), name.group("hint"), when, [i], note=_is_note(action))
    if not first_in_block:
        return None
    m = HEADING.match(t)
    if m and len(m.group("name").split()) <= 5:
        return _found(m.group("name"), m.group("hint"), m.group("when"), [i])
    m = NAME_ALONE.match(t)
    if m:
        j, nxt = _next_text(lines, i)
        if is_date_line(nxt):
            return _found(m.group("name"), m.group("hint"), nxt, [i, j])
    return None


def read(text: str, lines: list[Line]) -> Reading | None:
    seps = [i for i, ln in enumerate(lines) if SEPARATOR.match(ln.text)]
    meta: set[int] = set(seps)
    blocks: list[dict] = []
    current: dict | None = None
    in_headers = False  # email header lines directly under a heading
    for i, line in enumerate(lines):
        if i in meta:
            if i in seps and current is not None and any(ln.text.strip() for ln in current["lines"]):
                current = None  # a rule after the message ends it; one under a heading frames the heading
            continue
        if not line.text.strip():
            in_headers = False
            if current is not None:
                current["lines"].append(line)
            continue
        heading = _heading(lines, i, current is None)
        if heading is not None:
            current = {**heading, "lines": [], "line_number": i + 1}
            blocks.append(current)
            meta.update(heading["uses"])
            in_headers = True
            continue
        if current is None:
            if (not seps or i < seps[0]) and is_header_line(line.text):
                meta.add(i)
            continue
        header = EMAIL_HEADER.match(line.text) if in_headers and not any(ln.text.strip() for ln in current["lines"]) else None
        if header:
            meta.add(i)
            if header.group("name").lower() == "from" and current["from_header"]:
                sender = re.sub(r"\s*<[^>]*>\s*$", "", header.group("value")).strip().strip('"')
                current["speaker"] = current["speaker"] or sender
            continue
        in_headers = False
        current["lines"].append(line)
    notes = [b for b in blocks if b["note"] and any(ln.text.strip() for ln in b["lines"])]
    blocks = [b for b in blocks if not b["note"]]
    for b in blocks:
        b["speaker"] = b["speaker"] or ("Customer" if b["role"] == "customer" else "Agent")
    if len(blocks) < 2:
        return None
    first = min(b["line_number"] for b in blocks) - 1
    header = "\n".join(ln.text for ln in lines[:first])
    chan = CHANNEL.search(header)
    if chan:
        channel = "email" if re.search(r"e-?mail|letter|web form|contact form", chan.group("value"), re.I) else "chat"
    else:
        channel = "email" if any(letter_conventions(b["lines"]) for b in blocks) else "chat"
    subject = re.search(r"\bsubject\s*:\s*(?P<value>[^·|\n]+)", header, re.IGNORECASE)
    note_text, note_start = None, None
    if notes:
        parts = []
        for b in notes:
            body = [ln for ln in b["lines"] if ln.text.strip()]
            parts.append(text[body[0].start:body[-1].end].strip())
            note_start = body[0].start if note_start is None else note_start
            starts = {ln.start for ln in body}
            meta.update(k for k, ln in enumerate(lines) if ln.start in starts)
        note_text = "\n\n".join(parts)
    return Reading(
        family="ticket print", channel=channel, meta=frozenset(meta), prior=0.03, notes=note_text, notes_start=note_start,
        messages=tuple(Message(speaker=b["speaker"], lines=tuple(b["lines"]), time=b["time"], hint=b["hint"],
                               role=b["role"], line_number=b["line_number"],
                               subject=subject.group("value").strip() if subject and channel == "email" else None)
                       for b in blocks),
    )
