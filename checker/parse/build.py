"""The chosen reading → ``Conversation``: roles decided, turns with offsets, lines left unread."""
from __future__ import annotations

from ..errors import InputError, SpeakerError
from ..model import Conversation, Turn, UnreadLines
from .common import Line, speaker_key, to_seconds
from .headers import stated_role
from .reading import Message, Reading, message_lines
from .roles import assign_chat_roles, assign_email_roles, no_agent_message

ONE_SIDED = ("only the agent's side of the chat was found; the customer's messages are missing, "
             "so criteria that respond to the customer cannot be judged fully")


def body_of(lines: tuple[Line, ...], text: str) -> tuple[str, int, int, tuple[int, ...] | None] | None:
    """A message's text without surrounding blank lines and white space, its source span, and the
    offset of every character when the text is not one contiguous slice of the source."""
    content = [ln for ln in lines if ln.text.strip()]
    if not content:
        return None
    first, last = content[0], content[-1]
    lead = len(first.text) - len(first.text.lstrip())
    trail = len(last.text) - len(last.text.rstrip())
    block = lines[lines.index(first): lines.index(last) + 1]
    parts: list[str] = []
    offsets: list[int] = []
    contiguous = True
    for k, ln in enumerate(block):
        t, s = ln.text, ln.start
        if k == 0:
            t, s = t[lead:], s + lead
        if k == len(block) - 1 and trail:
            t = t[: len(t) - trail]
        if k and ln.start != block[k - 1].end + 1:
            contiguous = False
        parts.append(t)
        offsets.extend(range(s, s + len(t)))
        if k < len(block) - 1:
            offsets.append(s + len(t))
    body = "\n".join(parts)
    start, end = first.start + lead, last.end - trail
    if contiguous and text[start:end] == body:
        return body, start, end, None
    return body, start, end, tuple(offsets)


def unread_of(reading: Reading, lines: list[Line]) -> tuple[UnreadLines, ...]:
    """Runs of non-blank lines that are neither message text nor a recognised header/system line."""
    used = message_lines(reading, lines) | set(reading.meta)
    stop = reading.notes_from if reading.notes_from is not None else len(lines)
    runs: list[list[Line]] = []
    last = -2
    for i, ln in enumerate(lines[:stop]):
        if not ln.text.strip() or i in used:
            continue
        if runs and last == i - 1:
            runs[-1].append(ln)
        else:
            runs.append([ln])
        last = i
    out = []
    for run in runs:
        lead = len(run[0].text) - len(run[0].text.lstrip())
        start, end = run[0].start + lead, run[-1].start + len(run[-1].text.rstrip())
        out.append(UnreadLines(start=start, end=end, text="\n".join(ln.text.strip() for ln in run)))
    return tuple(out)


def build(reading: Reading, text: str, lines: list[Line], agent: str | None, src: str, channel: str) -> Conversation:
    warnings = list(reading.warnings)
    kept: list[tuple[Message, tuple]] = []
    for msg in reading.messages:
        body = body_of(msg.lines, text)
        if body is None:
            if not msg.system:
                warnings.append(f"line {msg.line_number}: '{msg.speaker}' has an empty message; it was skipped")
            continue
        kept.append((msg, body))
    if not any(not m.system for m, _ in kept):
        raise InputError("no messages found", source=src)
    if reading.channel == "email" and all(not m.role for m, _ in kept):
        roles = assign_email_roles([m for m, _ in kept], agent, src)
    else:
        by_speaker, note = assign_chat_roles([m for m, _ in kept], agent, src, named=_header_sides(reading, lines))
        if note:
            warnings.append(note)
        roles = ["system" if m.system else by_speaker[speaker_key(m.speaker)] for m, _ in kept]
        # a page's own opening post ("Our pool reopens on Monday!") is what the comments answer, not
        # a message to the customer; a customer's opening post (a Reddit question) is their first message
        roles = ["system" if m.opening_post and role == "agent" else role for (m, _), role in zip(kept, roles)]
    turns: list[Turn] = []
    for (msg, (body, start, end, offsets)), role in zip(kept, roles):
        speaker = msg.speaker or msg.address or ("Agent" if role == "agent" else "Customer")
        turns.append(Turn(index=len(turns), role=role, speaker=speaker, text=body, start=start, end=end,
                          time=msg.time, seconds=None if reading.channel == "email" else to_seconds(msg.time),
                          subject=msg.subject, source_offsets=offsets))
    speakers = tuple(dict.fromkeys(t.speaker for t in turns if t.role != "system"))
    if not any(t.role == "agent" for t in turns):
        raise SpeakerError(no_agent_message(speakers), speakers, source=src)
    ch = reading.channel if channel == "auto" else channel
    if ch == "chat" and not any(t.role == "customer" for t in turns):
        warnings.append(ONE_SIDED)
    learner = _learner(turns, agent)
    unread = unread_of(reading, lines)
    if unread:
        count = sum(u.text.count("\n") + 1 for u in unread)
        warnings.append(f"{count} line(s) were not read as messages; check that nothing you wrote is among them")
    meta = dict(reading.evidence.get("headers") or {})
    return Conversation(channel=ch, turns=tuple(turns), source=text, id=src, agent=learner, speakers=speakers,
                        warnings=tuple(warnings), meta=meta, notes=reading.notes, notes_start=reading.notes_start,
                        unread_lines=unread, format=reading.family)


def _header_sides(reading: Reading, lines: list[Line]) -> dict[str, str]:
    """Names the header lines give a side ("Operator: Kayden", "Visitor: Margaret Hollis"); a
    name given both sides is dropped."""
    sides: dict[str, str] = {}
    clash: set[str] = set()
    for i in sorted(reading.meta):
        stated = stated_role(lines[i].text) if i < len(lines) else None
        if stated:
            name, role = stated
            if sides.get(name, role) != role:
                clash.add(name)
            sides[name] = role
    return {n: r for n, r in sides.items() if n not in clash}


def _learner(turns: list[Turn], agent: str | None) -> str | None:
    """The agent judged as the learner: the one named, or the agent who writes most."""
    agents = [t for t in turns if t.role == "agent"]
    if agent:
        want = speaker_key(agent)
        for t in agents:
            if speaker_key(t.speaker) == want or want.startswith(speaker_key(t.speaker)):
                return t.speaker
    counts: dict[str, int] = {}
    for t in agents:
        counts[t.speaker] = counts.get(t.speaker, 0) + len(t.text)
    if not counts:
        return None
    return max(counts, key=lambda k: counts[k])
