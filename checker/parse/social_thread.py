"""Public social threads copied from X (Twitter), Threads, Bluesky or Mastodon.

Each post is headed by its author's display name and @handle, usually with "· date"
(``Greenline Rail @GreenlineRail · 12 Mar``), sometimes the handle alone with the date
(``@GreenlineRail · 2h``); a "Replying to @…" line may follow; the post runs to the next header.
A thread that carries on in direct messages (``23:58  Priya Raman: …`` lines by the thread's own
authors, under a "Direct messages" line) is read on: each such line is a message of its author.
The speaker is the display name, the handle its hint, so ``--agent @GreenlineRail`` or
``--agent "Greenline Rail"`` both name the organisation's posts.
"""
from __future__ import annotations

import re

from .common import SPEAKER_LINE, Line, clean_time, heading_shape, speaker_key
from .headers import ANY_DATE, POST_AGE, REPLYING_TO, USER_HANDLE, is_date_line, is_system_line, is_time_line
from .reading import Message, Reading

HANDLE = rf"{USER_HANDLE}(?:\.[A-Za-z0-9_-]+)*(?:@[A-Za-z0-9.-]+)?"  # Mastodon's "@sam@server.social" too
# "· 12 Mar", "· 2h", "· 9 Mar 2026", "· Mar 12, 2026", "· now"
POST_HEADER = re.compile(
    rf"^[ \t]*(?:(?P<name>[^@\n.?!:]{{1,60}}?)[ \t]+)?\(?(?P<handle>{HANDLE})\)?"
    rf"(?:[ \t]*[·•|-][ \t]*(?P<when>{ANY_DATE}|{POST_AGE})(?:[ \t,]+\d{{1,2}}[:.]\d{{2}})?)?[ \t]*$",
    re.IGNORECASE,
)
DIRECT_MESSAGES = re.compile(r"\b(?:direct messages?|DMs?|private messages?)\b", re.IGNORECASE)


def _header(text: str):
    text = heading_shape(text)
    if not text or "@" not in text:
        return None  # every post heading carries the author's @handle
    m = POST_HEADER.match(text)
    if m is None or REPLYING_TO.match(text):
        return None
    name = (m.group("name") or "").strip()
    if not (m.group("when") or name):
        return None  # a handle alone on a line is a mention, not a post
    if name and (len(name.split()) > 6 or name.split()[0].lower() in ("thanks", "thank", "hi", "hello", "dear", "cc")):
        return None
    if re.search(r"[·•|]", name):
        return None  # "▸ IN · Lena Fox @lena_fx · 3 Mar": a heading of fields, the block-chat reader's
    return m


def read(text: str, lines: list[Line]) -> Reading | None:
    heads = {i: m for i, ln in enumerate(lines) if (m := _header(ln.text))}
    # a thread: at least two posts, at least one dated, by at least two authors
    if len(heads) < 2 or not any(m.group("when") for m in heads.values()):
        return None
    authors: dict[str, str] = {}  # handle key or display-name key -> display name
    for m in sorted(heads.values(), key=lambda m: not (m.group("name") or "").strip()):
        # posts that print the display name first: a later "@Handle · 2h" keeps the name found
        display = (m.group("name") or "").strip() or m.group("handle")
        authors.setdefault(speaker_key(m.group("handle")), display)
        authors.setdefault(speaker_key(display), display)
    if len({speaker_key(m.group("handle")) for m in heads.values()}) < 2:
        return None
    first = min(heads)
    meta: set[int] = set(range(first)) & {i for i, ln in enumerate(lines) if ln.text.strip()}
    messages: list[dict] = []
    current: dict | None = None
    for i in range(first, len(lines)):
        line = lines[i]
        t = line.text
        m = heads.get(i)
        if m is not None:
            current = {"speaker": authors[speaker_key(m.group("handle"))], "hint": m.group("handle"),
                       "time": m.group("when"), "line_number": i + 1, "lines": []}
            messages.append(current)
            meta.add(i)
            continue
        if not t.strip():
            if current is not None:
                current["lines"].append(line)
            continue
        if REPLYING_TO.match(t):
            meta.add(i)
            continue
        said = SPEAKER_LINE.match(t)
        if said and speaker_key(said.group("label")) in authors:  # the thread carried on in messages
            start = line.start + said.start("msg")
            current = {"speaker": authors[speaker_key(said.group("label"))], "hint": None,
                       "time": clean_time(said.group("ts1") or said.group("ts2")), "line_number": i + 1,
                       "lines": [Line(t[said.start("msg"):], start)]}
            messages.append(current)
            continue
        if is_system_line(t) or is_time_line(t) or is_date_line(t) or (DIRECT_MESSAGES.search(t) and len(t.split()) <= 10
                                                                      and re.match(r"^[ \t]*[-=_*~#]{2,}", t)):
            meta.add(i)
            current = None if DIRECT_MESSAGES.search(t) else current
            continue
        if current is not None:
            current["lines"].append(line)
    speaking = [m for m in messages if any(ln.text.strip() for ln in m["lines"])]
    if len(speaking) < 2:
        return None
    return Reading(
        family="social thread", channel="chat", meta=frozenset(meta), prior=0.02,
        messages=tuple(Message(speaker=m["speaker"], lines=tuple(m["lines"]), time=m["time"], hint=m["hint"],
                               line_number=m["line_number"]) for m in speaking),
    )
