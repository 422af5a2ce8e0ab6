"""Block chats: the speaker's name on a line of its own, the message below it.

Live-chat exports (name line, time line, message), Teams/Slack copies (``Sam  10:02 AM`` with the
message beneath), Messenger copies (the name alone on a line). A name counts as a speaker when it
heads at least two blocks or carries a time; a message runs until the next speaker's name.
"""
from __future__ import annotations

import re

from .common import ROLE_HINT, Line, clean_time, match_heading, role_of, speaker_key
from .headers import GREETING_VALUE, WHEN, is_date_line, is_header_line, is_system_line, is_time_line, leading_headers
from .reading import Message, Reading

NAME = r"(?:[^\W\d_][\w.'’&/-]*(?:[ \t]+[^\W\d_][\w.'’&/-]*){0,4}?|\+?\d[\d ]{6,14}\d)"
LABEL_ALONE = re.compile(
    rf"^[ \t]*(?P<label>{NAME}){ROLE_HINT}?(?:[ \t]*[-–|·•,]?[ \t]*(?P<ts>{WHEN}))?[ \t]*:?[ \t]*$", re.IGNORECASE
)

YOU_SENT = re.compile(r"^you(?:\s+(?:sent|replied|wrote|said))?$", re.IGNORECASE)  # Messenger's own side


def _key(m: re.Match) -> str:
    label = m.group("label").strip()
    return "you" if YOU_SENT.match(label) else speaker_key(label)


def _label(text: str):
    m = match_heading(LABEL_ALONE, text)
    if not m:
        return None
    label = m.group("label").strip()
    if GREETING_VALUE.match(label) or re.search(r"[.?!,]$", label):
        return None
    if YOU_SENT.match(label):
        return m
    words = label.split()
    titled = all(w[:1].isupper() or w[:1].isdigit() or w.lower() in ("at", "of", "the", "and", "de", "van") for w in words)
    if not (titled or role_of(label) or m.group("hint") or m.group("ts")):
        return None
    return m


def read(text: str, lines: list[Line]) -> Reading | None:
    headers = leading_headers(lines)
    cands: dict[int, re.Match] = {}
    timed: set[int] = set()
    counts: dict[str, int] = {}
    for i, line in enumerate(lines):
        if not line.text.strip() or is_system_line(line.text) or is_time_line(line.text):
            continue
        nxt = next((ln.text for ln in lines[i + 1:i + 2]), "")
        if not nxt.strip():
            continue  # a name heads a message, so something follows it directly
        m = _label(line.text)
        if m is None:
            continue
        cands[i] = m
        if is_time_line(nxt):
            timed.add(i)  # the time on the line below the name
        key = _key(m)
        counts[key] = counts.get(key, 0) + 1

    def accepted(i: int, m: re.Match) -> bool:
        key = _key(m)
        return counts[key] >= 2 or i in timed or bool(m.group("ts") or m.group("hint") or role_of(key))

    accepted_keys = {_key(m) for i, m in cands.items() if accepted(i, m)}
    if not accepted_keys:
        return None
    first = min(i for i, m in cands.items() if _key(m) in accepted_keys)
    headers = {i for i in headers if i < first}  # "Sam · 10:02" heads a message, however title-like
    messages: list[dict] = []
    meta: set[int] = set(headers)
    current: dict | None = None
    expect_time = False
    for i, line in enumerate(lines):
        if i in headers:
            continue
        t = line.text
        m = cands.get(i)
        if m is not None and _key(m) in accepted_keys:
            above = lines[i - 1].text if i > 0 else ""
            # Messenger and Instagram copies print the time on the line above the name
            time = clean_time(m.group("ts")) or (clean_time(above) if above.strip() and is_time_line(above) else None)
            current = {"speaker": "You" if _key(m) == "you" else m.group("label").strip(), "hint": m.group("hint"), "time": time,
                       "line_number": i + 1, "lines": [], "system": False}
            messages.append(current)
            meta.add(i)
            expect_time = True
            continue
        if expect_time and is_time_line(t):
            current["time"] = current["time"] or clean_time(t)
            meta.add(i)
            expect_time = False
            continue
        expect_time = False
        if t.strip() and is_system_line(t):
            messages.append({"speaker": "System", "hint": None, "time": None, "line_number": i + 1,
                             "lines": [line], "system": True})
            current = None
            continue
        if t.strip() and (current is None or not lines[i - 1].text.strip()) and (is_date_line(t) or
                                                                                (current is None and is_header_line(t))):
            meta.add(i)
            continue
        if current is not None:
            current["lines"].append(line)
    speaking = [m for m in messages if not m["system"] and any(ln.text.strip() for ln in m["lines"])]
    if not speaking:
        return None
    return Reading(
        family="block chat", channel="chat", meta=frozenset(meta), prior=0.01,
        messages=tuple(Message(speaker=m["speaker"], lines=tuple(m["lines"]), time=m["time"], hint=m["hint"],
                               system=m["system"], line_number=m["line_number"]) for m in messages),
    )
