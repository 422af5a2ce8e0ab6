"""Parse stage: text or a file → ``Conversation``.

Every reader (one module per format family) proposes a ``Reading`` of the text:

- ``line_chat``: ``Agent: …`` / ``Sam: …`` lines, timestamps, dash-separated exports, WhatsApp, SMS;
- ``block_chat``: the speaker's name alone on a line (live-chat exports, Teams/Slack, Messenger);
- ``ticket``: helpdesk ticket prints, blocks headed ``Name (Agent) — date`` between separator lines;
- ``coursework``: "Scenario:", "Customer email:" / "My reply:" sections;
- ``email_thread``: pasted email, newest first (quotes) or oldest first (dated header blocks);
- ``mime``: ``.eml`` files into the pasted form; ``structured``: JSON exports; ``table``: one
  conversation as a CSV/TSV table, its rows read as a JSON export's messages.

``detect`` scores each reading by structural fit (share of lines accounted for, a plausible set of
speakers) and keeps the best; ``headers`` recognises titles, date, "Agent: Name" and system lines;
``roles`` decides who the learner is (role words, the ``agent`` argument, or what each speaker
does); ``build`` makes the ``Conversation`` with offsets into the text as pasted and the lines
left unread. ``decode`` turns bytes into text honestly. The README's "What it reads" lists every
family with an example.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..errors import InputError, SpeakerError
from ..model import Conversation
from ..vocabulary import SALUTATION_LINE
from .build import build
from .common import AGENT_ROLE_WORDS, CUSTOMER_ROLE_WORDS, EMAIL_HEADER, ORIGINAL_MESSAGE, SPEAKER_LINE, \
    SYSTEM_ROLE_WORDS, rejected_label, role_of, speaker_key, split_lines, split_notes
from .decode import MAX_INPUT_BYTES, decode_bytes, decode_text, normalise_text, replace_unencodable
from .detect import detect
from .mime import eml_to_text, html_to_text, is_email_message, looks_like_eml
from .structured import parse_json
from .markup import unmark
from .table import looks_like_table, parse_table

__all__ = ["MAX_INPUT_BYTES", "AGENT_ROLE_WORDS", "CUSTOMER_ROLE_WORDS", "SYSTEM_ROLE_WORDS", "parse_transcript", "parse_bytes", "read_file", "decode_bytes", "eml_to_text",
           "html_to_text", "normalise_text"]


def clear_caches() -> None:
    """Forget the per-line memo of header/system/date tests (benchmarks measure parsing cold)."""
    from . import common, headers

    for fn in (headers.is_system_line, headers.is_header_line, headers.is_date_line, headers.is_time_line,
               common.speaker_key, common.role_of):
        fn.cache_clear()


def read_file(path: str | Path, *, channel: str = "auto", agent: str | None = None,
              max_bytes: int = MAX_INPUT_BYTES) -> Conversation:
    """Read and parse one transcript file (``-`` for standard input)."""
    import sys

    name = str(path)
    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        name = "<stdin>"
    else:
        p = Path(path)
        if not p.exists():
            raise InputError("no such file", source=name)
        if p.is_dir():
            raise InputError("is a folder; use 'replycheck batch' for folders", source=name)
        try:
            with p.open("rb") as fh:
                data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror or exc}", source=name) from None
    return parse_bytes(data, name=name, channel=channel, agent=agent, max_bytes=max_bytes)


def parse_bytes(data: bytes, *, name: str = "<input>", channel: str = "auto", agent: str | None = None,
                max_bytes: int = MAX_INPUT_BYTES) -> Conversation:
    """Parse a transcript given as bytes; ``name`` (a file name) picks ``.eml``/``.json`` handling.

    A file named ``.eml`` that is not really an email (a chat saved under that name) is read as
    the text it is."""
    lower = name.lower()
    if lower.endswith(".eml") or (lower.endswith((".txt", "<stdin>", "<input>")) is False and looks_like_eml(data)):
        if len(data) > max_bytes:
            decode_bytes(data, name, max_bytes)  # raises the size error
        if is_email_message(data):
            text = eml_to_text(data, source=name)
            return parse_transcript(text, channel="email" if channel == "auto" else channel, agent=agent, source=name)
    text, warnings = decode_text(data, name, max_bytes)
    return _with_warnings(parse_transcript(text, channel=channel, agent=agent, source=name), warnings)


HTML_DOCUMENT = re.compile(r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)?(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL)


def parse_transcript(text: str, channel: str = "auto", agent: str | None = None, source: str | None = None) -> Conversation:
    """Parse pasted text into a ``Conversation``. Raises ``InputError`` with a clear message."""
    src = source or "<input>"
    if channel not in ("auto", "chat", "email"):
        raise InputError(f"unknown channel {channel!r}: use chat, email or auto", source=src)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_INPUT_BYTES:
        raise InputError(
            f"input is too large (over {MAX_INPUT_BYTES // 1_048_576} MB): check one transcript at a time", source=src
        )
    text, notes_ = replace_unencodable(normalise_text(text))
    if not text.strip():
        raise InputError("the transcript is empty", source=src)
    stripped = text.lstrip()
    raw = stripped.encode("utf-8", "surrogatepass")
    if looks_like_eml(raw) and is_email_message(raw):
        # the source of an email pasted whole ("show original"): MIME parts decoded, HTML to text
        text = eml_to_text(raw, source=src)
        channel = "email" if channel == "auto" else channel
        return _with_warnings(read_text(text, channel, agent, src), notes_)
    if HTML_DOCUMENT.match(stripped):
        # a whole HTML page pasted or saved (an email client's "view source", a web archive):
        # read as the email client shows it, tags gone and entities decoded
        return _with_warnings(read_text(html_to_text(text), channel, agent, src), notes_)
    if stripped.startswith("{") or re.match(r"\[\s*[{\]\"]", stripped):  # not "[10:02] Agent: …"
        return _with_warnings(parse_json(text, channel, agent, src), notes_)
    if looks_like_table(stripped):  # a CSV/TSV export: a header row naming the columns, a row per message
        return _with_warnings(parse_table(text, channel, agent, src), notes_)
    return _with_warnings(read_text(text, channel, agent, src), notes_)


def read_text(text: str, channel: str, agent: str | None, src: str) -> Conversation:
    """Run every reader, keep the best structural fit, then decide who the learner is. Decoration
    (Markdown emphasis, HTML tags, a quote marker or bullet on every line) is blanked first."""
    text = unmark(text)
    lines = split_lines(text)
    body, notes, notes_start = split_notes(lines)
    scored = detect(text, body, channel)
    if channel == "auto" and looks_like_email(text):
        scored = sorted(scored, key=lambda s: -(s.fit + (0.1 if s.reading.channel == "email" else 0.0)))
    if not scored:
        raise InputError(
            "no chat turns found: write each message as 'Agent: …' / 'Customer: …' (or 'Name: …'), "
            "or paste an email with its headers",
            source=src,
        )
    first_error: SpeakerError | None = None
    for candidate in scored:
        reading = candidate.reading
        if notes is not None or reading.notes is None:  # a ticket's internal notes stand unless notes follow
            reading = replace(reading, notes=notes, notes_start=notes_start,
                              notes_from=len(body) if notes is not None else None)
        try:
            return build(reading, text, lines, agent, src, channel)
        except SpeakerError as exc:
            if not agent:
                raise
            first_error = first_error or exc  # the learner's name may belong to another reading
    raise first_error  # type: ignore[misc]


def _with_warnings(conversation: Conversation, extra: tuple[str, ...]) -> Conversation:
    if not extra:
        return conversation
    return replace(conversation, warnings=tuple(extra) + conversation.warnings)


def looks_like_email(text: str) -> bool:
    """Email structure at the top or in the body: header lines, a quoted reply, a salutation first."""
    head = [ln for ln in text.split("\n")[:12] if ln.strip()]
    headers = sum(1 for ln in head[:6] if EMAIL_HEADER.match(ln))
    if headers >= 2:
        return True
    if ORIGINAL_MESSAGE.search(text) or re.search(r"^[ \t]*On\b.{3,200}\bwrote:[ \t]*$", text, re.M | re.I):
        return True
    if re.search(r"^>", text, re.M) and not _chat_lines_present(text):
        return True
    first = head[0] if head else ""
    return bool(SALUTATION_LINE.match(first)) and not _chat_lines_present(text)


def _chat_lines_present(text: str) -> bool:
    labels: dict[str, int] = {}
    for line in text.split("\n")[:200]:
        m = SPEAKER_LINE.match(line)
        if m and not rejected_label(m):
            key = speaker_key(m.group("label"))
            labels[key] = labels.get(key, 0) + 1
    return any(n >= 2 or role_of(k) for k, n in labels.items())
