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
from dataclasses import dataclass, replace

from ..errors import InputError
from ..model import Conversation
from .common import SPEAKER_LINE, rejected_label, split_lines, split_notes
from .structured import ROLE_FLAGS, ROLE_KEYS, SPEAKER_KEYS, TEXT_KEYS, infer_text_key, parse_messages

DELIMITERS = (",", "\t", ";", "|")
# the columns that say which conversation a row belongs to (``batch.inputs`` adds a bare "id")
ID_KEYS = ("conversation_id", "conv_id", "transcript_id", "chat_id", "thread_id", "ticket_id", "case_id")
_COLUMN = re.compile(r"[A-Za-z][A-Za-z0-9 _-]{0,39}")
MAX_CELL = 1_000_000


def column_key(name: str | None) -> str:
    """A column's name as a key: "Sender Type" -> "sender_type" (the batch reader's too)."""
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


MARKDOWN_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
ROWS_READ = 20  # data rows read to find the text column when no column is named for it


@dataclass(frozen=True)
class TableShape:
    delimiter: str
    keys: list[str]
    text_key: str
    markdown: bool  # "| a | b |" rows under a "|---|---|" rule


def _cells(line: str, delimiter: str, markdown: bool) -> list[str]:
    if markdown:
        inner = line.strip()
        inner = inner[1:] if inner.startswith("|") else inner
        inner = inner[:-1] if inner.endswith("|") else inner
        return [c.strip() for c in inner.split("|")]
    return next(csv.reader([line], delimiter=delimiter), [])


def _shape(lines: list[str]) -> TableShape | None:
    """The table's shape when ``lines[0]`` is its header: every cell a short column name, one
    column who wrote the message (named so) and one its text, named so or, in a tab-separated or
    Markdown table, the column whose cells hold the most words in the rows below."""
    first = lines[0].rstrip("\r") if lines else ""
    markdown = first.lstrip().startswith("|") and len(lines) > 1 and bool(MARKDOWN_RULE.match(lines[1]))
    if markdown:
        delimiter = "|"
    else:
        counts = {d: first.count(d) for d in DELIMITERS}
        delimiter = max(counts, key=lambda d: counts[d])
        if not counts[delimiter]:
            return None
    cells = _cells(first, delimiter, markdown)
    if len(cells) < 2 or not all(_COLUMN.fullmatch(c.strip()) for c in cells):
        return None
    keys = [column_key(c) for c in cells]
    has_side = any(k in ROLE_KEYS or k in SPEAKER_KEYS or k in ROLE_FLAGS for k in keys)
    text_key = next((k for k in keys if k in TEXT_KEYS), None)
    if text_key is None and (markdown or delimiter == "\t"):
        # a comma or semicolon is common in a chat's first line; a tab or a Markdown rule is not
        body = [ln for ln in lines[2 if markdown else 1:][:ROWS_READ] if ln.strip()]
        rows = [_cells(ln.rstrip("\r"), delimiter, markdown) for ln in body]
        if len(rows) >= 2 and all(len(r) == len(keys) for r in rows):
            text_key = infer_text_key([dict(zip(keys, r)) for r in rows])
    if text_key is None or not has_side:
        return None
    return TableShape(delimiter, keys, text_key, markdown)


def looks_like_table(text: str) -> bool:
    return _shape(text.lstrip().split("\n", ROWS_READ + 2)) is not None or markdown_table(text) is not None


def markdown_table(text: str) -> tuple[int, int] | None:
    """(start, end) offsets of the first Markdown table of messages in a document (a handover
    log's title and lines above it, notes below), when it is the table of a conversation: not
    when the text around it has speaker lines of its own (an agent's message that lists a tariff
    as "| Name | Value |" in a chat)."""
    found = _first_markdown_table(text)
    if found is None:
        return None
    outside = text[:found[0]] + text[found[1]:]
    if any(_speaker_line(ln) for ln in outside.split("\n")):
        return None
    return found


def _speaker_line(line: str) -> bool:
    """A chat line of someone's ("Agent: Hello…"), not a field ("Issue: …", "Shift: early")."""
    m = SPEAKER_LINE.match(line)
    return m is not None and not rejected_label(m) and bool((m.group("msg") or "").strip())


def _first_markdown_table(text: str) -> tuple[int, int] | None:
    lines = text.split("\n")
    offset = 0
    for i, line in enumerate(lines[:-1]):
        if line.lstrip().startswith("|") and MARKDOWN_RULE.match(lines[i + 1]) and _shape(lines[i:i + ROWS_READ + 2]):
            end = offset
            for row in lines[i:]:
                if row.strip() and not row.lstrip().startswith("|"):
                    break
                end += len(row) + 1
            return offset, min(end, len(text))
        offset += len(line) + 1
    return None


class _MarkdownRows:
    """A Markdown table's rows as ``csv.reader`` gives them (cells, ``line_num``); it ends at the
    first line that is no row."""

    def __init__(self, lines: list[str]):
        self._lines = lines
        self.line_num = 2

    def __iter__(self):
        for line in self._lines:
            self.line_num += 1
            if not line.strip():
                continue
            if not line.lstrip().startswith("|"):
                return
            yield _cells(line, "|", True)


def parse_table(text: str, channel: str, agent: str | None, src: str) -> Conversation:
    body = text.lstrip()
    notes = None
    found = _shape(body.split("\n", ROWS_READ + 2))
    block = markdown_table(body) if found is None else None
    if block is not None:  # a table inside a document: its notes below are the agent's
        _, notes, _ = split_notes(split_lines(body[block[1]:]))
        body = body[block[0]:block[1]]
        found = _shape(body.split("\n", ROWS_READ + 2))
    if found is None:
        raise InputError("not a table: the first line must name the columns, one of them the message text", source=src)
    delimiter, keys, text_key = found.delimiter, found.keys, found.text_key
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL))
    if found.markdown:
        body_lines = body.split("\n")[2:]
        reader = _MarkdownRows([ln.rstrip("\r") for ln in body_lines])
    else:
        reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
        next(reader)
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
    if notes:
        data["notes"] = notes
    sides = {item.get("channel", "") for item in messages} - {""}
    if len(sides) == 1:
        data["channel"] = sides.pop()
    conversation = parse_messages(data, channel, agent, src, "CSV table" if delimiter != "\t" else "TSV table")
    if left_out:
        rows = ", ".join(str(r) for r in left_out[:5]) + (", …" if len(left_out) > 5 else "")
        note = f"{len(left_out)} row(s) of the table have no message text and were left out (line {rows})"
        conversation = replace(conversation, warnings=conversation.warnings + (note,))
    return conversation
