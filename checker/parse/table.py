"""One conversation exported as a table (CSV or TSV): a header row naming the columns, then one
row per message, as chat tools, help desks and social-media exports write them::

    conversation_id,role,speaker,text,time
    7,customer,Dana,"Hi, my parcel hasn't arrived",10:01
    7,agent,Mo,"Hello Dana, I'm Mo. Sorry to hear that…",10:02

The columns are read with the JSON exports' vocabulary (``structured``): a text column (``text``,
``message``, ``body``, ``content``) and who wrote it, by a role (``role``, ``sender_type``,
``direction``…), a name (``speaker``, ``author``, ``sender``…) or a yes/no side (X's ``inbound``,
``is_agent``). The rows then become the messages of a JSON export, so both are read by one
builder. A table of several conversations is for ``replycheck batch``, which scores each; here it
is one clear error.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import replace

from ..errors import InputError
from ..model import Conversation
from .structured import ROLE_FLAGS, ROLE_KEYS, SPEAKER_KEYS, TEXT_KEYS, parse_messages

DELIMITERS = (",", "\t", ";", "|")
# the columns that say which conversation a row belongs to (``batch.inputs`` adds a bare "id")
ID_KEYS = ("conversation_id", "conv_id", "transcript_id", "chat_id", "thread_id", "ticket_id", "case_id")
_COLUMN = re.compile(r"[A-Za-z][A-Za-z0-9 _-]{0,39}")
MAX_CELL = 1_000_000


def column_key(name: str | None) -> str:
    """A column's name as a key: "Sender Type" -> "sender_type" (the batch reader's too)."""
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


def _header(first_line: str) -> tuple[str, list[str]] | None:
    """(delimiter, column keys) when the line is a table's header: every cell a short column
    name, one of them a message's text and another who wrote it."""
    counts = {d: first_line.count(d) for d in DELIMITERS}
    delimiter = max(counts, key=lambda d: counts[d])
    if not counts[delimiter]:
        return None
    cells = next(csv.reader([first_line], delimiter=delimiter), [])
    if len(cells) < 2 or not all(_COLUMN.fullmatch(c.strip()) for c in cells):
        return None
    keys = [column_key(c) for c in cells]
    has_text = any(k in TEXT_KEYS for k in keys)
    has_side = any(k in ROLE_KEYS or k in SPEAKER_KEYS or k in ROLE_FLAGS for k in keys)
    return (delimiter, keys) if has_text and has_side else None


def looks_like_table(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0]
    return _header(first.rstrip("\r")) is not None


def parse_table(text: str, channel: str, agent: str | None, src: str) -> Conversation:
    body = text.lstrip()
    found = _header(body.split("\n", 1)[0].rstrip("\r"))
    if found is None:
        raise InputError("not a table: the first line must name the columns, one of them the message text", source=src)
    delimiter, keys = found
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL))
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    next(reader)
    text_key = next(k for k in keys if k in TEXT_KEYS)
    messages: list[dict[str, str]] = []
    conversations: dict[str, None] = {}
    left_out: list[int] = []
    try:
        for values in reader:
            row = reader.line_num
            if not any(v.strip() for v in values):
                continue
            item = {k: v.strip() for k, v in zip(keys, values) if k != text_key}
            item[text_key] = values[keys.index(text_key)] if keys.index(text_key) < len(values) else ""
            cid = next((item[k] for k in ID_KEYS if item.get(k)), None)
            if cid is not None:
                conversations.setdefault(cid)
            if not item[text_key].strip():
                left_out.append(row)
                continue
            messages.append(item)
    except csv.Error as exc:
        raise InputError(f"not a valid CSV table: {exc}", source=src, line=reader.line_num) from None
    if len(conversations) > 1:
        ids = ", ".join(list(conversations)[:3]) + (", …" if len(conversations) > 3 else "")
        raise InputError(f"the table holds {len(conversations)} conversations (ids {ids}): check one at a time, or "
                         "score them all with 'replycheck batch FILE'", source=src)
    if not messages:
        raise InputError("the table has a header but no messages", source=src)
    data: dict = {"messages": messages}
    sides = {item.get("channel", "") for item in messages} - {""}
    if len(sides) == 1:
        data["channel"] = sides.pop()
    conversation = parse_messages(data, channel, agent, src, "CSV table" if delimiter != "\t" else "TSV table")
    if left_out:
        rows = ", ".join(str(r) for r in left_out[:5]) + (", …" if len(left_out) > 5 else "")
        note = f"{len(left_out)} row(s) of the table have no message text and were left out (line {rows})"
        conversation = replace(conversation, warnings=conversation.warnings + (note,))
    return conversation
