"""Chats with the speaker on each message's first line: ``Agent: …``, ``[10:02] Sam: …``, and
live-chat exports with the speaker and/or time alone on a line above the message."""
from __future__ import annotations

from ..errors import InputError, SpeakerError
from ..model import Conversation, Turn
from .common import (HEADER_LINE, SPEAKER_LINE, SYSTEM_LINE, Line, RawTurn, clean_time, leading_time,
                     rejected_label, role_of, speaker_key, split_lines, split_notes, to_seconds, trim_block)
from .roles import assign_chat_roles, no_agent_message, speaker_names

import re


def parse_chat(text: str, agent: str | None, src: str) -> Conversation:
    lines, notes, notes_start = split_notes(split_lines(text))
    candidates: dict[int, tuple[re.Match, str]] = {}
    counts: dict[str, int] = {}
    for i, line in enumerate(lines):
        if not line.text.strip() or SYSTEM_LINE.match(line.text):
            continue
        m = SPEAKER_LINE.match(line.text)
        kind = "line"
        if m is None or rejected_label(m):
            m = HEADER_LINE.match(line.text)
            kind = "header"
            if m is None or rejected_label(m):
                continue
            # a bare word alone on a line is a header only with a time or a role attached
            if not (m.group("ts1") or m.group("ts2") or m.group("hint") or role_of(m.group("label"))):
                continue
            if not line.text.rstrip().endswith(":") and not (m.group("ts1") or m.group("ts2")) and not m.group("hint"):
                continue
        candidates[i] = (m, kind)
        key = speaker_key(m.group("label"))
        counts[key] = counts.get(key, 0) + 1

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

    raw_turns: list[RawTurn] = []
    current: RawTurn | None = None
    preamble: list[Line] = []
    for i, line in enumerate(lines):
        cand = candidates.get(i)
        if cand and accepted(cand[0]):
            m, kind = cand
            current = RawTurn(
                speaker=m.group("label").strip(),
                hint=m.group("hint"),
                time=clean_time(m.group("ts1") or m.group("ts2")),
                line_number=i + 1,
            )
            raw_turns.append(current)
            if kind == "line":
                msg_start = line.start + m.start("msg")
                current.lines.append(Line(m.group("msg"), msg_start))
            continue
        if line.text.strip() and SYSTEM_LINE.match(line.text):
            raw_turns.append(RawTurn("System", None, clean_time(leading_time(line.text)),
                                      [Line(line.text, line.start)], system=True, line_number=i + 1))
            current = None
            continue
        if current is None:
            if line.text.strip():
                preamble.append(line)
            continue
        current.lines.append(line)

    speaking = [t for t in raw_turns if not t.system]
    if not speaking:
        raise InputError(
            "no chat turns found: write each message as 'Agent: …' / 'Customer: …' (or 'Name: …'), "
            "or paste an email with its headers",
            source=src,
        )
    warnings: list[str] = []
    if preamble:
        warnings.append(f"{len(preamble)} line(s) before the first speaker were not treated as messages")

    turns_text: list[tuple[RawTurn, str, int, int]] = []
    for rt in raw_turns:
        span = trim_block(rt.lines)
        if span is None:
            if not rt.system:
                warnings.append(f"line {rt.line_number}: '{rt.speaker}' has an empty message; it was skipped")
            continue
        turns_text.append((rt, text[span[0]:span[1]], span[0], span[1]))

    roles = assign_chat_roles([t for t, *_ in turns_text], agent, src)
    agent_name = next((t.speaker for t, *_ in turns_text if not t.system and roles[speaker_key(t.speaker)] == "agent"), None)
    turns = []
    for rt, body, start, end in turns_text:
        role = "system" if rt.system else roles[speaker_key(rt.speaker)]
        turns.append(Turn(index=len(turns), role=role, speaker=rt.speaker, text=body, start=start, end=end,
                          time=rt.time, seconds=to_seconds(rt.time)))
    if not any(t.role == "agent" for t in turns):
        raise SpeakerError(no_agent_message(speaker_names(turns_text)), speaker_names(turns_text), source=src)
    if not any(t.role == "customer" for t in turns):
        warnings.append("only the agent's side of the chat was found; the customer's messages are missing, "
                        "so criteria that respond to the customer cannot be judged fully")
    return Conversation(channel="chat", turns=tuple(turns), source=text, id=src, agent=agent_name,
                        speakers=speaker_names(turns_text), warnings=tuple(warnings), notes=notes, notes_start=notes_start)
