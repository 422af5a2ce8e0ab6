"""JSON exports: ``{"channel": …, "messages": [{"role", "text", "time"}]}``."""
from __future__ import annotations

import json

from ..errors import InputError, SpeakerError
from ..model import Conversation, Turn
from .common import role_of, speaker_key, to_seconds
from .decode import normalise_text
from .roles import no_agent_message


def parse_json(text: str, channel: str, agent: str | None, src: str) -> Conversation:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", source=src, line=exc.lineno) from None
    if isinstance(data, list):
        data = {"messages": data}
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise InputError('JSON must be {"channel": "chat", "messages": [{"role": …, "text": …}]}', source=src)
    messages = data["messages"]
    if not messages:
        raise InputError("the JSON has no messages", source=src)
    ch = data.get("channel", "chat") if channel == "auto" else channel
    if ch not in ("chat", "email"):
        raise InputError(f"unknown channel {ch!r} in the JSON: use chat or email", source=src)
    parts: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for k, item in enumerate(messages, start=1):
        if not isinstance(item, dict):
            raise InputError(f"message {k} is not an object", source=src)
        body = item.get("text")
        if not isinstance(body, str) or not body.strip():
            raise InputError(f"message {k} has no 'text'", source=src)
        raw_role = str(item.get("role", "")).strip()
        speaker = str(item.get("speaker") or item.get("name") or raw_role.capitalize() or "Unknown")
        role = role_of(raw_role)
        if role is None and agent and speaker_key(speaker) == speaker_key(agent):
            role = "agent"
        if role is None:
            raise InputError(f"message {k} has role {raw_role!r}: use agent, customer or system", source=src)
        if agent and role == "agent" and speaker_key(speaker) != speaker_key(agent) and item.get("speaker"):
            role = "customer"
        body = normalise_text(body).strip()
        label = f"{speaker}: "
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(label + body)
        start = pos + len(label)
        pos += len(label) + len(body)
        time = item.get("time")
        turns.append(Turn(index=len(turns), role=role, speaker=speaker, text=body, start=start, end=pos,
                          time=str(time) if time is not None else None, seconds=to_seconds(str(time)) if time else None,
                          subject=item.get("subject")))
    source = "".join(parts)
    if not any(t.role == "agent" for t in turns):
        names = tuple(dict.fromkeys(t.speaker for t in turns))
        raise SpeakerError(no_agent_message(names), names, source=src)
    warnings = ()
    if ch == "chat" and not any(t.role == "customer" for t in turns):
        warnings = ("only the agent's side of the chat was found; the customer's messages are missing, "
                    "so criteria that respond to the customer cannot be judged fully",)
    agent_name = next(t.speaker for t in turns if t.role == "agent")
    notes = data.get("notes") if isinstance(data.get("notes"), str) else None
    return Conversation(channel=ch, turns=tuple(turns), source=source, id=src, agent=agent_name,
                        speakers=tuple(dict.fromkeys(t.speaker for t in turns)), warnings=warnings,
                        meta={k: v for k, v in data.items() if k not in ("messages", "notes")}, notes=notes)
