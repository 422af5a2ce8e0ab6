"""Email pasted newest first: the reply on top, earlier messages quoted under it (``>``,
``On … wrote:``, ``-----Original Message-----``, Outlook's underscore line and header block)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr

from ..errors import InputError, SpeakerError
from ..model import Conversation, Turn
from .common import (EMAIL_HEADER, ORIGINAL_MESSAGE, UNDERSCORE_RULE, WROTE_LINE, Line, speaker_key, split_lines,
                     split_notes)


@dataclass
class Message:
    headers: dict[str, str]
    lines: list[Line]  # de-quoted lines, each contiguous in the source
    sender: str = ""
    address: str = ""


def parse_email(text: str, agent: str | None, src: str) -> Conversation:
    lines, notes, notes_start = split_notes(split_lines(text))
    messages = _split_messages(lines)
    messages = [m for m in messages if any(ln.text.strip() for ln in m.lines)]
    if not messages:
        raise InputError("no email message found: paste the reply (and the customer's message quoted under it)", source=src)
    top = messages[0]
    agent_idx = 0
    if agent:
        want = agent.strip().lower()
        matches = [i for i, m in enumerate(messages) if want and (want in m.sender.lower() or want in m.address.lower())]
        if not matches:
            senders = tuple(dict.fromkeys(m.sender or m.address or "unknown" for m in messages))
            raise SpeakerError(f"no sender called {agent!r}; senders found: {', '.join(senders)}", senders, source=src)
        agent_idx = matches[0]
    agent_msg = messages[agent_idx]
    agent_domain = agent_msg.address.rpartition("@")[2].lower()
    webmail = {"gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "yahoo.co.uk", "icloud.com", "live.co.uk",
               "btinternet.com", "example.com", "aol.com", "hotmail.co.uk", "googlemail.com"}

    def role_of(i: int, m: Message) -> str:
        if i == agent_idx:
            return "agent"
        if m.address and agent_msg.address:
            if m.address.lower() == agent_msg.address.lower():
                return "agent"
            domain = m.address.rpartition("@")[2].lower()
            if agent_domain and domain == agent_domain and domain not in webmail:
                return "agent"
            return "customer"
        if m.sender and agent_msg.sender and speaker_key(m.sender) == speaker_key(agent_msg.sender):
            return "agent"
        # an unknown sender: replies alternate, so a message quoted under the agent's is the customer's
        return "customer" if (i - agent_idx) % 2 else "agent"

    turns: list[Turn] = []
    ordered = list(enumerate(messages))[::-1]  # oldest first
    for i, msg in ordered:
        content = [ln for ln in msg.lines if ln.text.strip()]
        first, last = content[0], content[-1]
        lead = len(first.text) - len(first.text.lstrip())
        trail = len(last.text) - len(last.text.rstrip())
        idx_first, idx_last = msg.lines.index(first), msg.lines.index(last)
        block = msg.lines[idx_first: idx_last + 1]
        body_parts, offsets = [], []
        contiguous = True
        for k, ln in enumerate(block):
            t = ln.text
            s = ln.start
            if k == 0:
                t, s = t[lead:], s + lead
            if k == len(block) - 1:
                t = t[: len(t) - trail] if trail else t
            if k and ln.start != block[k - 1].end + 1:
                contiguous = False
            body_parts.append(t)
            offsets.extend(range(s, s + len(t)))
            if k < len(block) - 1:
                offsets.append(s + len(t))
        body = "\n".join(body_parts)
        start, end = first.start + lead, last.end - trail
        if contiguous and text[start:end] == body:
            source_offsets = None
        else:
            source_offsets = tuple(offsets)
        role = role_of(i, msg)
        speaker = msg.sender or msg.address or ("Agent" if role == "agent" else "Customer")
        when = msg.headers.get("date") or msg.headers.get("sent")
        turns.append(Turn(index=len(turns), role=role, speaker=speaker, text=body, start=start, end=end,
                          time=when, seconds=None, subject=msg.headers.get("subject"), source_offsets=source_offsets))
    speakers = tuple(dict.fromkeys(t.speaker for t in turns))
    meta = {k: v for k, v in top.headers.items()}
    return Conversation(channel="email", turns=tuple(turns), source=text, id=src,
                        agent=agent_msg.sender or agent_msg.address or "Agent", speakers=speakers,
                        warnings=(), meta=meta, notes=notes, notes_start=notes_start)


def _split_messages(lines: list[Line]) -> list[Message]:
    """Newest message first. Recurses into ``>`` quotes."""
    messages: list[Message] = []
    i = 0
    n = len(lines)
    # leading blank lines
    while i < n and not lines[i].text.strip():
        i += 1
    headers, i = _read_headers(lines, i)
    current = Message(headers=headers, lines=[])
    _set_sender(current, headers.get("from", ""))
    messages.append(current)
    while i < n:
        line = lines[i]
        t = line.text
        if ORIGINAL_MESSAGE.match(t) or (UNDERSCORE_RULE.match(t) and _header_follows(lines, i + 1)):
            i += 1
            headers, i = _read_headers(lines, i)
            current = Message(headers=headers, lines=[])
            _set_sender(current, headers.get("from", ""))
            messages.append(current)
            continue
        if EMAIL_HEADER.match(t) and t.strip().lower().startswith("from") and _header_follows(lines, i + 1) \
                and (i == 0 or not lines[i - 1].text.strip()) and current.lines:
            headers, i = _read_headers(lines, i)
            current = Message(headers=headers, lines=[])
            _set_sender(current, headers.get("from", ""))
            messages.append(current)
            continue
        wrote = _wrote_intro(lines, i)
        if wrote is not None:
            end_intro, sender = wrote
            i = end_intro
            quoted, i = _read_quoted(lines, i)
            if quoted:
                inner = _split_messages(quoted)
                if inner and not inner[0].headers.get("from"):
                    _set_sender(inner[0], sender)
                messages.extend(inner)
                current = messages[-1]
                continue
            # "On … wrote:" followed by an unquoted message (some clients do that)
            current = Message(headers={}, lines=[])
            _set_sender(current, sender)
            messages.append(current)
            continue
        if t.lstrip().startswith(">"):
            quoted, i = _read_quoted(lines, i)
            messages.extend(_split_messages(quoted))
            current = messages[-1]
            continue
        current.lines.append(line)
        i += 1
    return messages


def _read_headers(lines: list[Line], i: int) -> tuple[dict[str, str], int]:
    headers: dict[str, str] = {}
    n = len(lines)
    while i < n and not lines[i].text.strip() and headers == {} and i + 1 < n and EMAIL_HEADER.match(lines[i + 1].text):
        i += 1
    while i < n:
        m = EMAIL_HEADER.match(lines[i].text)
        if not m:
            break
        headers[m.group("name").lower()] = m.group("value").strip()
        i += 1
    return headers, i


def _header_follows(lines: list[Line], i: int) -> bool:
    seen = 0
    for ln in lines[i: i + 6]:
        if EMAIL_HEADER.match(ln.text):
            seen += 1
        elif ln.text.strip():
            break
    return seen >= 2


def _wrote_intro(lines: list[Line], i: int) -> tuple[int, str] | None:
    t = lines[i].text
    if not re.match(r"^[ \t]*On\b", t):
        return None
    joined = t
    for k in range(i, min(i + 3, len(lines))):
        if k > i:
            joined += " " + lines[k].text.strip()
        if WROTE_LINE.match(joined):
            return k + 1, _sender_from_wrote(joined)
    return None


def _sender_from_wrote(line: str) -> str:
    body = re.sub(r"\s*wrote:\s*$", "", line.strip(), flags=re.I)
    m = re.search(r",\s*([^,<>]+?)\s*<([^>]+)>\s*$", body)
    if m:
        return f"{m.group(1).strip()} <{m.group(2).strip()}>"
    m = re.search(r"<([^>]+@[^>]+)>\s*$", body)
    if m:
        return f"<{m.group(1)}>"
    m = re.search(r"(?:\d{1,2}:\d{2}(?:\s?[AaPp][Mm])?|\d{4})\s*,?\s*(.+)$", body)
    return m.group(1).strip() if m else ""


def _read_quoted(lines: list[Line], i: int) -> tuple[list[Line], int]:
    """Consecutive ``>`` lines (blank lines inside allowed), one level of quoting removed."""
    out: list[Line] = []
    n = len(lines)
    while i < n and not lines[i].text.strip():
        i += 1
    while i < n:
        t = lines[i].text
        stripped = t.lstrip()
        if stripped.startswith(">"):
            cut = len(t) - len(stripped) + 1
            if t[cut: cut + 1] == " ":
                cut += 1
            out.append(Line(t[cut:], lines[i].start + cut))
            i += 1
        elif not stripped and i + 1 < n and lines[i + 1].text.lstrip().startswith(">"):
            out.append(Line("", lines[i].start))
            i += 1
        else:
            break
    return out, i


def _set_sender(msg: Message, value: str) -> None:
    if not value:
        return
    name, address = parseaddr(value)
    msg.sender = name.strip().strip('"') or (value.strip() if "@" not in value else "")
    msg.address = address if "@" in address else ""
    if not msg.sender and msg.address:
        msg.sender = msg.address
