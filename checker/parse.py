"""Parse stage: text or a file → ``Conversation``.

Input forms read (the channel is detected unless given):

Chat, as people paste it
    ``Agent: Hello…`` / ``Customer: …``; other role words (Advisor, Adviser, Rep, Support, CSR,
    Me, You / Client, Caller, Visitor…); names (``Sam: …``, ``Sam (Agent): …``); timestamps before
    or after the speaker (``[10:02]``, ``10:02:13``, ``(10:02 AM)``, ``2026-03-01 10:02``); a
    speaker and/or time alone on a line with the message beneath it (live-chat exports);
    multi-line messages; blank lines; system lines ("Chat started", "Sam joined the chat").

Email, pasted or ``.eml``
    Optional ``From:/To:/Subject:/Date:`` headers, the learner's reply on top, earlier messages
    underneath as ``>`` quotes, ``On … wrote:`` or ``-----Original Message-----`` blocks. Quoted
    messages become earlier turns. ``.eml`` files (multipart, or HTML only) are turned into that
    pasted form first.

JSON
    ``{"channel": "chat", "messages": [{"role": "agent", "text": "…", "time": "10:02"}]}``
    (``speaker`` optional). The source text is then a rendering, ``Speaker: text`` per message.

Agent/CRM notes
    A block starting with a line ``Agent notes:``, ``CRM notes:`` or ``Case notes:`` after the
    conversation is kept as ``Conversation.notes``, not as a turn.

Which speaker is the learner: role words, the ``agent`` argument, or inference from what each
speaker writes ("thanks for contacting", "how can I help"). When it cannot tell it raises
``SpeakerError`` listing the speakers. Offsets index ``Conversation.source``.
"""
from __future__ import annotations

import codecs
import json
import re
import unicodedata
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from pathlib import Path

from .errors import InputError, SpeakerError
from .model import Conversation, Turn

MAX_INPUT_BYTES = 2 * 1024 * 1024  # a long email thread is ~50 KB; 2 MiB leaves room and bounds work

AGENT_ROLE_WORDS = {
    "agent", "advisor", "adviser", "rep", "representative", "support", "csr", "me", "you",
    "operator", "staff", "helpdesk", "help desk", "service desk", "consultant", "associate",
    "specialist", "live agent", "customer service", "customer services", "customer support",
    "advisor/agent", "learner", "colleague", "team member", "support agent", "service advisor",
}
CUSTOMER_ROLE_WORDS = {
    "customer", "client", "caller", "visitor", "user", "guest", "member", "tenant", "resident",
    "patient", "account holder", "cust", "enquirer", "consumer",
}
SYSTEM_ROLE_WORDS = {"system", "bot", "chatbot", "virtual assistant", "auto", "automated message", "info"}

# Words that end in a colon inside messages but are not speakers.
NOT_SPEAKERS = {
    "note", "notes", "nb", "ps", "p.s", "re", "subject", "from", "to", "date", "sent", "cc", "bcc",
    "tel", "telephone", "phone", "mobile", "email", "e-mail", "address", "postcode", "order",
    "order number", "order no", "reference", "ref", "account", "account number", "time", "total",
    "price", "amount", "tip", "warning", "important", "update", "answer", "question", "q", "a",
    "example", "eg", "e.g", "url", "link", "website", "web", "hours", "opening hours", "step",
    "http", "https", "mailto", "www", "option", "name", "dob", "date of birth", "balance", "status",
    "tracking", "tracking number", "case", "case number", "ticket", "ticket number", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekdays", "weekends",
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "attachment", "attachments", "result", "outcome",
    "action", "issue", "summary", "resolution", "next steps", "next step", "follow up", "deadline",
}

_TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?"
_DATE = r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"
_STAMP = rf"(?:{_DATE}[ T,]\s*)?{_TIME}"
_STAMP_WRAPPED = rf"(?:\[{_STAMP}\]|\({_STAMP}\)|{_STAMP})"
_LABEL = r"[^\W\d_][\w.'’&/-]*(?:[ \t]+[^\W\d_][\w.'’&/-]*){0,4}?"
_ROLE_HINT = r"(?:\s*[\(\[]\s*(?P<hint>(?!\d)[^\)\]\n]{1,30}?)\s*[\)\]])"  # "(Agent)", never "[10:02]"

SPEAKER_LINE = re.compile(
    rf"^[ \t]*(?:(?P<ts1>{_STAMP_WRAPPED})[ \t]*(?:[-–|][ \t]*)?)?"
    rf"(?P<label>{_LABEL}){_ROLE_HINT}?"
    rf"[ \t]*(?:(?P<ts2>{_STAMP_WRAPPED})[ \t]*)?"
    r"[:>][ \t]?(?P<msg>.*)$"
)
HEADER_LINE = re.compile(  # speaker and/or time alone on a line, message below (live-chat exports)
    rf"^[ \t]*(?:(?P<ts1>{_STAMP_WRAPPED})[ \t]*(?:[-–|][ \t]*)?)?"
    rf"(?P<label>{_LABEL}){_ROLE_HINT}?"
    rf"[ \t]*(?:[-–|,][ \t]*)?(?:(?P<ts2>{_STAMP_WRAPPED}))?[ \t]*:?[ \t]*$"
)
SYSTEM_LINE = re.compile(
    rf"^[ \t]*(?:{_STAMP_WRAPPED}[ \t]*(?:[-–|][ \t]*)?)?"
    r"(?:(?:the\s+)?(?:chat|conversation|session)\s+(?:has\s+)?(?:started|ended|closed|began|was\s+transferred.*|transferred.*)"
    r"|.{1,60}?\s+(?:has\s+)?(?:joined|left|entered|exited)\s+the\s+(?:chat|conversation|room)"
    r"|.{1,60}?\s+(?:has\s+)?closed\s+the\s+(?:chat|conversation)"
    r"|(?:chat|conversation)\s+transferred\s+to\s+.{1,60}"
    r"|[-=*\s]*(?:chat|conversation|transcript)\s+(?:start|end|begins?|ends?)[-=*\s]*)"
    r"[ \t]*[.!]?[ \t]*$",
    re.IGNORECASE,
)
NOTES_LINE = re.compile(
    r"^[ \t]*(?:agent|crm|case|call|internal|advis[eo]r|contact|wrap[- ]?up)\s+notes?[ \t]*:[ \t]*(?P<rest>.*)$",
    re.IGNORECASE,
)

EMAIL_HEADER = re.compile(r"^[ \t]*(?P<name>From|To|Cc|Bcc|Subject|Date|Sent|Reply-To)[ \t]*:[ \t]*(?P<value>.*)$", re.IGNORECASE)
ORIGINAL_MESSAGE = re.compile(r"^[ \t]*-{2,}[ \t]*(?:Original|Forwarded)[ \t]+Message[ \t]*-{2,}[ \t]*$", re.IGNORECASE)
WROTE_LINE = re.compile(r"^[ \t]*On\b.{3,300}?\bwrote:[ \t]*$", re.IGNORECASE | re.DOTALL)
UNDERSCORE_RULE = re.compile(r"^[ \t]*_{8,}[ \t]*$")
SALUTATION = re.compile(r"^[ \t]*(?:Dear|Hi|Hello|Hey|Good (?:morning|afternoon|evening))\b[^\n]{0,60},?[ \t]*$", re.IGNORECASE | re.MULTILINE)
SIGN_OFF = re.compile(
    r"^[ \t]*(?:kind(?:est)? regards|best regards|warm(?:est)? regards|regards|best wishes|many thanks|thanks(?: again)?|"
    r"yours sincerely|yours faithfully|sincerely|with thanks|all the best|thank you)[ \t]*,?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)

AGENT_CUES = re.compile(
    r"thank(?:s| you) for (?:contacting|getting in touch|your (?:patience|email|message)|waiting|choosing|calling)"
    r"|how (?:can|may|could) i (?:help|assist)|what can i (?:do|help)|(?:you're|you are) (?:through to|speaking (?:to|with)|chatting (?:to|with))"
    r"|my name is \w+|welcome to|i can see (?:that )?your|let me (?:check|look|see)|i(?:'ve| have) (?:checked|booked|arranged|processed|raised|logged|sent)"
    r"|is there anything else|for (?:security|data protection)|could you (?:please )?confirm|please could you confirm"
    r"|kind regards|(?:i'll|i will) (?:check|look into|arrange|raise|pass)|on behalf of|our team|we(?:'ll| will) (?:be able|send|arrange)",
    re.IGNORECASE,
)
CUSTOMER_CUES = re.compile(
    r"\bmy (?:order|account|parcel|bill|bin|broadband|phone|card|boiler|meter|refund|delivery|password)\b|\bi (?:want|need|ordered|paid|was charged|can't|cannot)\b"
    r"|\bwhere is\b|\byour (?:company|service|website) (?:is|has)\b|\bi've been (?:waiting|charged)\b",
    re.IGNORECASE,
)


@dataclass
class _Line:
    text: str
    start: int  # offset of text[0] in the source

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class _RawTurn:
    speaker: str
    hint: str | None
    time: str | None
    lines: list[_Line] = field(default_factory=list)
    system: bool = False
    line_number: int = 0


# ---------------------------------------------------------------- reading bytes


_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a zip archive or Word/Excel document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Word/Excel document",
    b"\x7fELF": "a program",
}


def decode_bytes(data: bytes, source: str = "<input>", max_bytes: int = MAX_INPUT_BYTES) -> str:
    """Decode a transcript's bytes: UTF-8 (with or without BOM), UTF-16, then Windows-1252."""
    if len(data) > max_bytes:
        raise InputError(
            f"input is too large ({len(data) / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.1f} MB): "
            "check one transcript at a time",
            source=source,
        )
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"this looks like {what}, not a text transcript: save or paste it as plain text", source=source)
    text: str | None = None
    if data.startswith(codecs.BOM_UTF8):
        text = _try_decode(data[3:], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try_decode(data, "utf-16")
    elif b"\x00" in data:
        # UTF-16 without a BOM shows as a NUL beside every ASCII character.
        if len(data) % 2 == 0 and data[1::2].count(0) > len(data) // 4:
            text = _try_decode(data, "utf-16-le")
        elif len(data) % 2 == 0 and data[0::2].count(0) > len(data) // 4:
            text = _try_decode(data, "utf-16-be")
        if text is None:
            raise InputError("this is a binary file, not a text transcript", source=source)
    else:
        text = _try_decode(data, "utf-8")
        if text is None:
            text = _try_decode(data, "cp1252")
    if text is None:
        raise InputError("cannot decode the text: it is not UTF-8, UTF-16 or Windows-1252", source=source)
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t\f")
    if controls > max(3, len(text) // 100):
        raise InputError("this is a binary file, not a text transcript", source=source)
    return text


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def normalise_text(text: str) -> str:
    """Line endings to ``\\n``; drop a BOM and NULs. Offsets index the result."""
    return text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


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
    """Parse a transcript given as bytes; ``name`` (a file name) picks ``.eml``/``.json`` handling."""
    lower = name.lower()
    if lower.endswith(".eml") or (lower.endswith((".txt", "<stdin>", "<input>")) is False and _looks_like_eml(data)):
        if len(data) > max_bytes:
            decode_bytes(data, name, max_bytes)  # raises the size error
        text = eml_to_text(data, source=name)
        return parse_transcript(text, channel="email" if channel == "auto" else channel, agent=agent, source=name)
    text = decode_bytes(data, name, max_bytes)
    return parse_transcript(text, channel=channel, agent=agent, source=name)


def _looks_like_eml(data: bytes) -> bool:
    head = data[:2000].lower()
    return b"mime-version:" in head and b"content-type:" in head


# ---------------------------------------------------------------- entry point


def parse_transcript(text: str, channel: str = "auto", agent: str | None = None, source: str | None = None) -> Conversation:
    """Parse pasted text into a ``Conversation``. Raises ``InputError`` with a clear message."""
    src = source or "<input>"
    if channel not in ("auto", "chat", "email"):
        raise InputError(f"unknown channel {channel!r}: use chat, email or auto", source=src)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_INPUT_BYTES:
        raise InputError(
            f"input is too large (over {MAX_INPUT_BYTES // 1_048_576} MB): check one transcript at a time", source=src
        )
    text = normalise_text(text)
    if not text.strip():
        raise InputError("the transcript is empty", source=src)
    stripped = text.lstrip()
    if stripped.startswith("{") or re.match(r"\[\s*[{\]\"]", stripped):  # not "[10:02] Agent: …"
        return _parse_json(text, channel, agent, src)
    if channel == "email" or (channel == "auto" and _looks_like_email(text)):
        return _parse_email(text, agent, src)
    try:
        return _parse_chat(text, agent, src)
    except SpeakerError:
        raise
    except InputError:
        if channel == "auto" and (SALUTATION.search(text) or SIGN_OFF.search(text)):
            return _parse_email(text, agent, src)
        raise


def _looks_like_email(text: str) -> bool:
    head = [ln for ln in text.split("\n")[:12] if ln.strip()]
    headers = sum(1 for ln in head[:6] if EMAIL_HEADER.match(ln))
    if headers >= 2:
        return True
    if ORIGINAL_MESSAGE.search(text) or re.search(r"^[ \t]*On\b.{3,200}\bwrote:[ \t]*$", text, re.M | re.I):
        return True
    if re.search(r"^>", text, re.M) and not _chat_lines_present(text):
        return True
    first = head[0] if head else ""
    return bool(SALUTATION.match(first)) and not _chat_lines_present(text)


def _chat_lines_present(text: str) -> bool:
    labels: dict[str, int] = {}
    for line in text.split("\n")[:200]:
        m = SPEAKER_LINE.match(line)
        if m and not _rejected_label(m):
            key = _speaker_key(m.group("label"))
            labels[key] = labels.get(key, 0) + 1
    return any(n >= 2 or _role_of(k) for k, n in labels.items())


# ---------------------------------------------------------------- chat


def _split_lines(text: str, base: int = 0) -> list[_Line]:
    lines, pos = [], base
    for raw in text.split("\n"):
        lines.append(_Line(raw, pos))
        pos += len(raw) + 1
    return lines


def _speaker_key(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip().strip(".")).lower()


def _role_of(word: str | None) -> str | None:
    if not word:
        return None
    key = _speaker_key(word)
    if key in AGENT_ROLE_WORDS:
        return "agent"
    if key in CUSTOMER_ROLE_WORDS:
        return "customer"
    if key in SYSTEM_ROLE_WORDS:
        return "system"
    return None


def _rejected_label(m: re.Match) -> bool:
    label = m.group("label")
    key = _speaker_key(label)
    if key in NOT_SPEAKERS or re.fullmatch(r"(?:step|option|point|q|a)\s*\d*", key):
        return True
    msg = m.group("msg") if "msg" in m.groupdict() else ""
    if msg is not None and msg.startswith("//"):
        return True
    # a sentence that happens to contain a colon ("The reason is: …") is not a speaker label
    return len(key.split()) > 3 and not m.group("hint") and not _role_of(key)


def _split_notes(lines: list[_Line]) -> tuple[list[_Line], str | None, int | None]:
    for i, line in enumerate(lines):
        m = NOTES_LINE.match(line.text)
        if m:
            body = [ln for ln in lines[i:] if ln.text.strip()]
            notes_text = "\n".join(ln.text for ln in lines[i:]).strip()
            return lines[:i], notes_text or None, body[0].start if body else None
    return lines, None, None


def _parse_chat(text: str, agent: str | None, src: str) -> Conversation:
    lines, notes, notes_start = _split_notes(_split_lines(text))
    candidates: dict[int, tuple[re.Match, str]] = {}
    counts: dict[str, int] = {}
    for i, line in enumerate(lines):
        if not line.text.strip() or SYSTEM_LINE.match(line.text):
            continue
        m = SPEAKER_LINE.match(line.text)
        kind = "line"
        if m is None or _rejected_label(m):
            m = HEADER_LINE.match(line.text)
            kind = "header"
            if m is None or _rejected_label(m):
                continue
            # a bare word alone on a line is a header only with a time or a role attached
            if not (m.group("ts1") or m.group("ts2") or m.group("hint") or _role_of(m.group("label"))):
                continue
            if not line.text.rstrip().endswith(":") and not (m.group("ts1") or m.group("ts2")) and not m.group("hint"):
                continue
        candidates[i] = (m, kind)
        key = _speaker_key(m.group("label"))
        counts[key] = counts.get(key, 0) + 1

    stamped = sum(1 for m, _ in candidates.values() if m.group("ts1") or m.group("ts2"))

    def strong(m: re.Match) -> bool:
        key = _speaker_key(m.group("label"))
        return bool(_role_of(key) or _role_of(m.group("hint")) or counts.get(key, 0) >= 2
                    # timestamps on every speaker line make a one-off speaker believable
                    or ((m.group("ts1") or m.group("ts2")) and stamped >= 2))

    # A name used only once ("Priya: thanks") still counts when otherwise only one speaker
    # would be found: a chat has two sides.
    strong_keys = {_speaker_key(m.group("label")) for m, _ in candidates.values() if strong(m)}
    allow_single = len(strong_keys) < 2

    def accepted(m: re.Match) -> bool:
        if strong(m):
            return True
        label = m.group("label").strip()
        return allow_single and len(label.split()) <= 2 and label[:1].isupper()

    raw_turns: list[_RawTurn] = []
    current: _RawTurn | None = None
    preamble: list[_Line] = []
    for i, line in enumerate(lines):
        cand = candidates.get(i)
        if cand and accepted(cand[0]):
            m, kind = cand
            current = _RawTurn(
                speaker=m.group("label").strip(),
                hint=m.group("hint"),
                time=_clean_time(m.group("ts1") or m.group("ts2")),
                line_number=i + 1,
            )
            raw_turns.append(current)
            if kind == "line":
                msg_start = line.start + m.start("msg")
                current.lines.append(_Line(m.group("msg"), msg_start))
            continue
        if line.text.strip() and SYSTEM_LINE.match(line.text):
            raw_turns.append(_RawTurn("System", None, _clean_time(_leading_time(line.text)),
                                      [_Line(line.text, line.start)], system=True, line_number=i + 1))
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

    turns_text: list[tuple[_RawTurn, str, int, int]] = []
    for rt in raw_turns:
        span = _trim_block(rt.lines)
        if span is None:
            if not rt.system:
                warnings.append(f"line {rt.line_number}: '{rt.speaker}' has an empty message; it was skipped")
            continue
        turns_text.append((rt, text[span[0]:span[1]], span[0], span[1]))

    roles = _assign_chat_roles([t for t, *_ in turns_text], agent, src)
    agent_name = next((t.speaker for t, *_ in turns_text if not t.system and roles[_speaker_key(t.speaker)] == "agent"), None)
    turns = []
    for rt, body, start, end in turns_text:
        role = "system" if rt.system else roles[_speaker_key(rt.speaker)]
        turns.append(Turn(index=len(turns), role=role, speaker=rt.speaker, text=body, start=start, end=end,
                          time=rt.time, seconds=_seconds(rt.time)))
    if not any(t.role == "agent" for t in turns):
        raise SpeakerError(_no_agent_message(_speakers(turns_text)), _speakers(turns_text), source=src)
    if not any(t.role == "customer" for t in turns):
        warnings.append("only the agent's side of the chat was found; the customer's messages are missing, "
                        "so criteria that respond to the customer cannot be judged fully")
    return Conversation(channel="chat", turns=tuple(turns), source=text, id=src, agent=agent_name,
                        speakers=_speakers(turns_text), warnings=tuple(warnings), notes=notes, notes_start=notes_start)


def _speakers(turns_text) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in turns_text:
        rt = item[0] if isinstance(item, tuple) else item
        if not rt.system:
            seen.setdefault(_speaker_key(rt.speaker), rt.speaker)
    return tuple(seen.values())


def _no_agent_message(speakers: tuple[str, ...]) -> str:
    names = ", ".join(speakers) or "none"
    return (f"cannot tell which speaker is you (the agent); speakers found: {names}. "
            "Choose one with --agent NAME (or the 'Which speaker are you?' field), or label lines 'Agent:'")


def _assign_chat_roles(raw: list[_RawTurn], agent: str | None, src: str) -> dict[str, str]:
    speakers: dict[str, list[_RawTurn]] = {}
    for rt in raw:
        if not rt.system:
            speakers.setdefault(_speaker_key(rt.speaker), []).append(rt)
    names = tuple(rts[0].speaker for rts in speakers.values())
    roles: dict[str, str] = {}
    if agent:
        chosen = _match_speaker(agent, speakers)
        if chosen is None:
            raise SpeakerError(f"no speaker called {agent!r}; speakers found: {', '.join(names)}", names, source=src)
        for key, rts in speakers.items():
            hinted = _role_of(rts[0].hint) or _role_of(key)
            roles[key] = "agent" if key == chosen else ("system" if hinted == "system" else "customer")
        return roles
    for key, rts in speakers.items():
        hinted = _role_of(rts[0].hint) or _role_of(key)
        if hinted:
            roles[key] = hinted
    if "agent" in roles.values():
        for key in speakers:
            roles.setdefault(key, "customer")
        return roles
    unknown = [k for k in speakers if k not in roles]
    if "customer" in roles.values() and len(unknown) == 1:
        roles[unknown[0]] = "agent"
        return roles
    scores = {k: _agent_score(speakers[k]) for k in unknown}
    if scores:
        best = max(scores, key=lambda k: scores[k])
        others = [v for k, v in scores.items() if k != best]
        if scores[best] > 0 and all(scores[best] > v for v in others):
            for key in unknown:
                roles[key] = "agent" if key == best else "customer"
            return roles
    raise SpeakerError(_no_agent_message(names), names, source=src)


def _match_speaker(agent: str, speakers: dict[str, list[_RawTurn]]) -> str | None:
    want = _speaker_key(agent)
    if want in speakers:
        return want
    for key in speakers:
        if key.split()[0] == want or want.split()[0] == key:
            return key
    roles = [k for k, rts in speakers.items() if _role_of(rts[0].hint) == _role_of(want) and _role_of(want)]
    return roles[0] if len(roles) == 1 else None


def _agent_score(rts: list[_RawTurn]) -> int:
    text = "\n".join(ln.text for rt in rts for ln in rt.lines)
    return len(AGENT_CUES.findall(text)) - len(CUSTOMER_CUES.findall(text))


def _trim_block(lines: list[_Line]) -> tuple[int, int] | None:
    """The source span covering the non-blank lines, without surrounding white space."""
    content = [ln for ln in lines if ln.text.strip()]
    if not content:
        return None
    first, last = content[0], content[-1]
    lead = len(first.text) - len(first.text.lstrip())
    trail = len(last.text) - len(last.text.rstrip())
    return first.start + lead, last.end - trail


def _clean_time(stamp: str | None) -> str | None:
    if not stamp:
        return None
    return stamp.strip().strip("[]()").strip()


def _leading_time(line: str) -> str | None:
    m = re.match(rf"^[ \t]*({_STAMP_WRAPPED})", line)
    return m.group(1) if m else None


def _seconds(stamp: str | None) -> float | None:
    """A timestamp as seconds (days since 2000 when a date is given), for gaps between messages."""
    if not stamp:
        return None
    m = re.search(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s?([AaPp])?", stamp)
    if not m:
        return None
    hours, minutes, secs = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if m.group(4):
        hours = hours % 12 + (12 if m.group(4).lower() == "p" else 0)
    total = hours * 3600 + minutes * 60 + secs
    d = re.search(r"(\d{4})-(\d{2})-(\d{2})", stamp)
    if d:
        import datetime as _dt

        try:
            total += (_dt.date(int(d.group(1)), int(d.group(2)), int(d.group(3))) - _dt.date(2000, 1, 1)).days * 86400
        except ValueError:
            pass
    return float(total)


# ---------------------------------------------------------------- email


@dataclass
class _Message:
    headers: dict[str, str]
    lines: list[_Line]  # de-quoted lines, each contiguous in the source
    sender: str = ""
    address: str = ""


def _parse_email(text: str, agent: str | None, src: str) -> Conversation:
    lines, notes, notes_start = _split_notes(_split_lines(text))
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

    def role_of(i: int, m: _Message) -> str:
        if i == agent_idx:
            return "agent"
        if m.address and agent_msg.address:
            if m.address.lower() == agent_msg.address.lower():
                return "agent"
            domain = m.address.rpartition("@")[2].lower()
            if agent_domain and domain == agent_domain and domain not in webmail:
                return "agent"
            return "customer"
        if m.sender and agent_msg.sender and _speaker_key(m.sender) == _speaker_key(agent_msg.sender):
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


def _split_messages(lines: list[_Line]) -> list[_Message]:
    """Newest message first. Recurses into ``>`` quotes."""
    messages: list[_Message] = []
    i = 0
    n = len(lines)
    # leading blank lines
    while i < n and not lines[i].text.strip():
        i += 1
    headers, i = _read_headers(lines, i)
    current = _Message(headers=headers, lines=[])
    _set_sender(current, headers.get("from", ""))
    messages.append(current)
    while i < n:
        line = lines[i]
        t = line.text
        if ORIGINAL_MESSAGE.match(t) or (UNDERSCORE_RULE.match(t) and _header_follows(lines, i + 1)):
            i += 1
            headers, i = _read_headers(lines, i)
            current = _Message(headers=headers, lines=[])
            _set_sender(current, headers.get("from", ""))
            messages.append(current)
            continue
        if EMAIL_HEADER.match(t) and t.strip().lower().startswith("from") and _header_follows(lines, i + 1) \
                and (i == 0 or not lines[i - 1].text.strip()) and current.lines:
            headers, i = _read_headers(lines, i)
            current = _Message(headers=headers, lines=[])
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
            current = _Message(headers={}, lines=[])
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


def _read_headers(lines: list[_Line], i: int) -> tuple[dict[str, str], int]:
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


def _header_follows(lines: list[_Line], i: int) -> bool:
    seen = 0
    for ln in lines[i: i + 6]:
        if EMAIL_HEADER.match(ln.text):
            seen += 1
        elif ln.text.strip():
            break
    return seen >= 2


def _wrote_intro(lines: list[_Line], i: int) -> tuple[int, str] | None:
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


def _read_quoted(lines: list[_Line], i: int) -> tuple[list[_Line], int]:
    """Consecutive ``>`` lines (blank lines inside allowed), one level of quoting removed."""
    out: list[_Line] = []
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
            out.append(_Line(t[cut:], lines[i].start + cut))
            i += 1
        elif not stripped and i + 1 < n and lines[i + 1].text.lstrip().startswith(">"):
            out.append(_Line("", lines[i].start))
            i += 1
        else:
            break
    return out, i


def _set_sender(msg: _Message, value: str) -> None:
    if not value:
        return
    name, address = parseaddr(value)
    msg.sender = name.strip().strip('"') or (value.strip() if "@" not in value else "")
    msg.address = address if "@" in address else ""
    if not msg.sender and msg.address:
        msg.sender = msg.address


# ---------------------------------------------------------------- .eml and HTML


def eml_to_text(data: bytes, source: str = "<input>") -> str:
    """A ``.eml`` file as pasted text: headers, a blank line, the body (HTML turned to text)."""
    try:
        msg: EmailMessage = BytesParser(policy=policy.default).parsebytes(data)  # type: ignore[assignment]
    except Exception as exc:  # the email package raises many types on broken input
        raise InputError(f"cannot read this .eml file: {exc}", source=source) from None
    body_part = msg.get_body(preferencelist=("plain", "html"))
    if body_part is None:
        raise InputError("this .eml file has no text or HTML body", source=source)
    try:
        content = body_part.get_content()
    except Exception as exc:
        raise InputError(f"cannot decode the email body: {exc}", source=source) from None
    if isinstance(content, bytes):
        content = decode_bytes(content, source)
    if body_part.get_content_subtype() == "html":
        content = html_to_text(content)
    content = normalise_text(content).strip("\n")
    if not content.strip():
        raise InputError("the email body is empty", source=source)
    header_lines = []
    for name in ("From", "To", "Subject", "Date"):
        value = msg.get(name)
        if value:
            header_lines.append(f"{name}: {' '.join(str(value).split())}")
    return "\n".join(header_lines) + "\n\n" + content + "\n"


_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "section",
               "article", "header", "footer", "hr", "pre", "address"}


def html_to_text(html: str) -> str:
    """HTML email body → plain text with paragraphs; ``<blockquote>`` becomes ``>`` quoting."""
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "head", "title", "meta"]):
        tag.decompose()

    def render(node) -> str:
        if isinstance(node, NavigableString):
            return re.sub(r"\s+", " ", str(node))
        if not isinstance(node, Tag):
            return ""
        inner = "".join(render(child) for child in node.children)
        name = node.name.lower()
        if name == "br":
            return "\n"
        if name == "blockquote":
            body = _tidy(inner)
            return "\n\n" + "\n".join(("> " + ln).rstrip() for ln in body.split("\n")) + "\n\n"
        if name == "p":
            return "\n\n" + inner.strip() + "\n\n"
        if name in _BLOCK_TAGS:
            return "\n" + inner + "\n"
        return inner

    return _tidy(render(soup))


def _tidy(text: str) -> str:
    lines = [ln.strip() for ln in text.split("\n")]
    out: list[str] = []
    for ln in lines:
        if not ln and (not out or not out[-1]):
            continue
        out.append(ln)
    return "\n".join(out).strip()


# ---------------------------------------------------------------- JSON


def _parse_json(text: str, channel: str, agent: str | None, src: str) -> Conversation:
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
        role = _role_of(raw_role)
        if role is None and agent and _speaker_key(speaker) == _speaker_key(agent):
            role = "agent"
        if role is None:
            raise InputError(f"message {k} has role {raw_role!r}: use agent, customer or system", source=src)
        if agent and role == "agent" and _speaker_key(speaker) != _speaker_key(agent) and item.get("speaker"):
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
                          time=str(time) if time is not None else None, seconds=_seconds(str(time)) if time else None,
                          subject=item.get("subject")))
    source = "".join(parts)
    if not any(t.role == "agent" for t in turns):
        names = tuple(dict.fromkeys(t.speaker for t in turns))
        raise SpeakerError(_no_agent_message(names), names, source=src)
    warnings = ()
    if ch == "chat" and not any(t.role == "customer" for t in turns):
        warnings = ("only the agent's side of the chat was found; the customer's messages are missing, "
                    "so criteria that respond to the customer cannot be judged fully",)
    agent_name = next(t.speaker for t in turns if t.role == "agent")
    notes = data.get("notes") if isinstance(data.get("notes"), str) else None
    return Conversation(channel=ch, turns=tuple(turns), source=source, id=src, agent=agent_name,
                        speakers=tuple(dict.fromkeys(t.speaker for t in turns)), warnings=warnings,
                        meta={k: v for k, v in data.items() if k not in ("messages", "notes")}, notes=notes)
