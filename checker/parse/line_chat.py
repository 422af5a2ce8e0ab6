"""Line chats: the speaker on each message's first line.

``Agent: …`` / ``Customer: …``, names (``Sam: …``, ``Sam (Agent): …``), a timestamp before or
after the speaker (``[10:02] Sam: …``, ``10:02:13 Sam: …``, WhatsApp's ``02/03/2026, 14:01 - Sam: …``),
dash-separated exports (``14:01:09 - Sam - message``), SMS threads (``Me: …``, a phone number as
the other speaker), and the older live-chat form with the speaker and/or time alone on a line
above the message. A message runs on over the following lines until the next speaker.
"""
from __future__ import annotations

import re

from .common import HEADER_LINE, is_machine_text, LABEL, NOT_SPEAKERS, ROLE_HINT, SPEAKER_LINE, STAMP, STAMP_WRAPPED, Line, clean_time, heading_shape, \
    leading_time, rejected_label, role_of, speaker_key
from .headers import FRAMED_TITLE, is_date_line, is_system_line, leading_headers
from .reading import Message, Reading

DASH_LINE = re.compile(  # "14:02:19 - Ayesha - Hello", "[10:02] | Sam | Hello"
    rf"^[ \t]*(?P<ts1>{STAMP_WRAPPED})[ \t]*[-–|][ \t]*(?P<label>{LABEL}){ROLE_HINT}?[ \t]*[-–|][ \t]+(?P<msg>\S.*)$"
)

# a turn number before the speaker ("12. Customer: …", "#12 Agent: …", "(12) Agent: …"), as
# dialogue collections and QA exports number their turns
NUMBERED_LINE = re.compile(r"^[ \t]*(?:#?\d{1,4}[.):]|\(\d{1,4}\)|#\d{1,4})[ \t]+" + SPEAKER_LINE.pattern.lstrip("^"))
# the speaker and the time together in brackets before the message ("[agent 00:04:40] ok i can
# see it", "(Customer, 10:02) hi"), as QA and call-log exports write them
BRACKETED_LINE = re.compile(
    rf"^[ \t]*[\[(][ \t]*(?P<label>{LABEL}){ROLE_HINT}?(?:[ \t]*[,|·•-])?[ \t]*(?P<ts1>{STAMP})[ \t]*[\])]"
    r"(?P<ts2>)[ \t]*:?[ \t]*(?P<msg>\S.*)$"
)

# a role word in brackets or before a dash, with no colon: "[Agent] Hello", "AGENT - Hello"
BRACKET_ROLE_LINE = re.compile(rf"^[ \t]*\[[ \t]*(?P<label>{LABEL})[ \t]*\](?P<ts1>)(?P<ts2>)(?P<hint>)[ \t]*:?[ \t]*(?P<msg>\S.*)$")
DASH_ROLE_LINE = re.compile(rf"^[ \t]*(?P<label>{LABEL})(?P<ts1>)(?P<ts2>)(?P<hint>)[ \t]+[-–—][ \t]+(?P<msg>\S.*)$")

# labels a dialogue log gives its tools' lines ("action: Account has been pulled up for Joe
# Bloggs.", "event: order validated"): the system's, when they recur
TOOL_LABELS = frozenset({"action", "actions", "event", "api", "api call", "query", "kb", "database", "db", "log",
                         "system action", "tool", "tool call", "function", "function call"})


PHONE_LINE = re.compile(  # SMS threads: "07700 900123: message", "+44 7700 900123: message"
    rf"^[ \t]*(?:(?P<ts1>{STAMP_WRAPPED})[ \t]*(?:[-–|][ \t]*)?)?(?P<label>\+?\d[\d ]{{6,15}}\d){ROLE_HINT}?"
    rf"(?P<ts2>)[ \t]*:[ \t]?(?P<msg>.*)$"
)


def _stamped_name(m: re.Match) -> bool:
    """A longer name is still a speaker after a timestamp ("12/04/2026, 10:02 - The Corner Cafe: …")."""
    key = speaker_key(m.group("label"))
    return bool(m.group("ts1")) and len(key.split()) <= 6 and key not in NOT_SPEAKERS


def _candidate(text: str):
    """(match, kind) for a line that may start a message, else None."""
    m = DASH_LINE.match(text)
    if m and not rejected_label(m):
        return m, "line"
    m = BRACKETED_LINE.match(text)
    if m and not rejected_label(m):
        return m, "line"
    for pattern in (BRACKET_ROLE_LINE, DASH_ROLE_LINE):
        m = pattern.match(text)
        if m and role_of(m.group("label")) in ("agent", "customer"):
            return m, "line"
    m = SPEAKER_LINE.match(text) or NUMBERED_LINE.match(text) or PHONE_LINE.match(text)
    if m is not None and speaker_key(m.group("label")) in TOOL_LABELS:
        return m, "tool"
    if m is not None and (not rejected_label(m) or _stamped_name(m)):
        return m, "line"
    shape = heading_shape(text)
    m = HEADER_LINE.match(shape) if shape else None
    if m is None or rejected_label(m):
        return None
    # a bare word alone on a line is a header only with a time or a role attached
    if not (m.group("ts1") or m.group("ts2") or m.group("hint") or role_of(m.group("label"))):
        return None
    if not shape.endswith(":") and not (m.group("ts1") or m.group("ts2")) and not m.group("hint"):
        return None
    return m, "header"


def read(text: str, lines: list[Line]) -> Reading | None:
    headers = leading_headers(lines)
    candidates: dict[int, tuple[re.Match, str]] = {}
    counts: dict[str, int] = {}
    for i, line in enumerate(lines):
        if i in headers or not line.text.strip() or is_system_line(line.text):
            continue
        cand = _candidate(line.text)
        if cand is None:
            continue
        candidates[i] = cand
        key = speaker_key(cand[0].group("label"))
        counts[key] = counts.get(key, 0) + 1
    _letter_speakers(lines, headers, candidates, counts)

    stamped = sum(1 for m, _ in candidates.values() if m.group("ts1") or m.group("ts2"))

    def strong(m: re.Match) -> bool:
        key = speaker_key(m.group("label"))
        return bool(role_of(key) or role_of(m.group("hint")) or counts.get(key, 0) >= 2
                    # timestamps on every speaker line make a one-off speaker believable
                    or ((m.group("ts1") or m.group("ts2")) and stamped >= 2))

    # A name used only once ("Priya: thanks") still counts when otherwise only one speaker
    # would be found: a chat has two sides.
    strong_keys = {speaker_key(m.group("label")) for m, _ in candidates.values() if strong(m)}
    allow_single = len(strong_keys) < 2

    def accepted(m: re.Match) -> bool:
        if strong(m):
            return True
        label = m.group("label").strip()
        return allow_single and len(label.split()) <= 2 and label[:1].isupper()

    messages: list[dict] = []
    meta: set[int] = set(headers)
    current: dict | None = None
    for i, line in enumerate(lines):
        if i in headers:
            continue
        cand = candidates.get(i)
        if cand and cand[1] == "tool":
            if counts.get(speaker_key(cand[0].group("label")), 0) < 2:
                cand = None  # once, "Action: refund raised" is a line of the message it sits in
            else:  # "action: Account has been pulled up", again and again: the system's lines
                messages.append({"speaker": "System", "hint": None, "time": clean_time(cand[0].group("ts1") or cand[0].group("ts2")),
                                 "line_number": i + 1, "lines": [Line(line.text, line.start)], "system": True})
                current = None
                continue
        if cand and accepted(cand[0]):
            m, kind = cand
            label = m.group("label").strip()
            system = role_of(label) == "system" or is_system_line(m.group("msg") or "") if kind == "line" else False
            current = {"speaker": label, "hint": m.group("hint"), "time": clean_time(m.group("ts1") or m.group("ts2")),
                       "line_number": i + 1, "lines": [], "system": system, "role": None,
                       "system_label": kind == "line" and role_of(label) == "system"}
            messages.append(current)
            if kind == "line" and (m.group("msg") or "").strip():
                current["lines"].append(Line(m.group("msg"), line.start + m.start("msg")))
            else:
                meta.add(i)  # "Sam:" alone on its line: a label, the message below it
            continue
        if _section_title(lines, i, candidates):
            meta.add(i)  # "=== Direct Messages ===": where the copy moves on, nobody's words
            continue
        if is_date_line(line.text) and (current is None or not lines[i - 1].text.strip()):
            meta.add(i)  # a date between messages (SMS and WhatsApp day separators)
            continue
        if line.text.strip() and is_system_line(line.text):
            messages.append({"speaker": "System", "hint": None, "time": clean_time(leading_time(line.text)),
                             "line_number": i + 1, "lines": [Line(line.text, line.start)], "system": True})
            current = None
            continue
        if current is None:
            continue  # before the first speaker: left unread
        current["lines"].append(line)
    for m in messages:
        if not m["system"] and _machine(m):
            m["system"] = True  # a tool's query or marker in a dialogue log, nobody's words
    _system_as_agent(messages)
    if not any(not m["system"] for m in messages):
        return None
    return Reading(
        family="line chat", channel="chat", meta=frozenset(meta), prior=0.02,
        messages=tuple(Message(speaker=m["speaker"], lines=tuple(m["lines"]), time=m["time"], hint=m["hint"],
                               system=m["system"], line_number=m["line_number"], role=m.get("role"))
                  for m in messages),
    )


def _letter_speakers(lines: list[Line], headers, candidates: dict, counts: dict[str, int]) -> None:
    """``A:`` is a speaker after all when the other side speaks as a letter too ("A: … / C: …",
    "A = customer, B = advisor"): alone it is the answer of a Q and A, so it is not a label
    unless another one-letter speaker answers it (and no ``Q:`` does)."""
    if "q" in counts or not any(len(k) == 1 and n >= 2 for k, n in counts.items()):
        return
    found = {}
    for i, line in enumerate(lines):
        if i in headers or i in candidates:
            continue
        m = SPEAKER_LINE.match(line.text)
        if m and speaker_key(m.group("label")) == "a" and not is_system_line(line.text):
            found[i] = (m, "line")
    if len(found) >= 2:
        candidates.update(found)
        counts["a"] = len(found)


def _machine(message: dict) -> bool:
    return is_machine_text("\n".join(ln.text for ln in message["lines"]))


def _section_title(lines: list, i: int, candidates: dict) -> bool:
    """A framed title ("=== Direct Messages ===", "--- Back to public ---") on a line of its own,
    after a blank line (or at the top) and before a blank line or the next speaker's line."""
    if not FRAMED_TITLE.match(lines[i].text) or lines[i].text.lstrip()[:1] == "*":
        return False
    before = i == 0 or not lines[i - 1].text.strip()
    after = i + 1 >= len(lines) or not lines[i + 1].text.strip() or (i + 1) in candidates
    return before and after


def _system_as_agent(messages: list[dict]) -> None:
    """A speaker labelled as the system ("SYSTEM: …", "Bot: …") who is the only one answering the
    other speaker is the conversation's other side, not a tool's notice: dialogue collections
    label the agent "SYSTEM" beside "USER". With a person besides them (a bot before a
    hand-over), the label keeps its meaning."""
    people = {speaker_key(m["speaker"]) for m in messages if not m["system"]}
    labelled = {speaker_key(m["speaker"]) for m in messages if m.get("system_label")}
    if len(people) != 1 or len(labelled) != 1:
        return
    theirs = [m for m in messages if m.get("system_label")]
    if len(theirs) < 2:
        return
    for m in theirs:
        if not _machine(m) and not any(is_system_line(ln.text) for ln in m["lines"]):
            m["system"], m["role"] = False, "agent"  # its queries and notices stay the system's
