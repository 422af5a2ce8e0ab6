"""Email pasted newest first: the reply on top, earlier messages quoted under it (``>``,
``On … wrote:``, ``-----Original Message-----``, Outlook's underscore line and header block)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from email.utils import parseaddr
from typing import Any

from ..vocabulary import SALUTATION_LINE, SIGN_OFF_LINE, SIGN_OFF_WITH_NAME
from .common import EMAIL_HEADER, ORIGINAL_MESSAGE, UNDERSCORE_RULE, WROTE_LINE, Line
from .headers import BRIEF_LINE, DATE_LINE, FRAMED_TITLE, SEPARATOR, is_header_line
from .reading import Message, Reading, line_index


MAX_QUOTE_DEPTH = 40  # deeper ">" quoting is kept as text of the message it sits in


@dataclass
class _Mail:
    headers: dict[str, str]
    lines: list[Line]  # de-quoted lines, each contiguous in the source
    sender: str = ""
    address: str = ""
    top_level: bool = True  # begun by a header block in the text itself, not inside a quote
    header_at: list[int] = field(default_factory=list)  # source offsets of a webmail print's header lines
    divided: bool = False  # begun after a rule or banner below a signed letter, with no headers


def read(text: str, lines: list[Line]) -> Reading | None:
    """Messages newest first as pasted (reply on top); an oldest-first thread of header blocks is
    recognised by its dates and read in that order."""
    meta = _structure_lines(lines)
    warnings: list[str] = []
    mails = [m for m in _split_messages(lines, 0, warnings) if any(ln.text.strip() for ln in m.lines)]
    if not mails:
        return None
    index = line_index(lines)
    meta |= {index(at) for m in mails for at in m.header_at}  # "Name <address>", its date, "to me"
    structured = len(mails) > 1 or any(m.headers for m in mails)
    body = "\n".join(ln.text for m in mails for ln in m.lines)
    if not structured and not (SALUTATION_LINE.search(body) or SIGN_OFF_LINE.search(body)):
        return None
    headed = sum(1 for m in mails[1:] if m.headers)
    if (headed >= 2 and _is_brief(mails[0])) or (headed == 1 and _is_title(mails[0])):
        meta |= {index(ln.start) for ln in mails[0].lines}
        subject = page_subject(mails[0].lines)
        if subject:  # a webmail print names the thread's subject once, in the page's title
            for m in mails[1:]:
                if m.headers and "subject" not in m.headers:
                    m.headers["subject"] = subject
        mails = mails[1:]
    if any(m.divided for m in mails):
        for m in mails:  # a letter's letterhead (addresses, date, "Our ref:") is not its words
            head = _letterhead(m.lines)
            meta |= {index(ln.start) for ln in m.lines[:head] if ln.text.strip()}
            m.lines = m.lines[head:]
    chronological = _oldest_first(mails)
    ordered = mails if chronological else mails[::-1]
    messages = []
    for m in ordered:
        messages.append(Message(
            speaker=m.sender or m.address, lines=tuple(m.lines), address=m.address,
            time=m.headers.get("date") or m.headers.get("sent"), subject=m.headers.get("subject"),
            line_number=index(m.lines[0].start) + 1 if m.lines else 0,
        ))
    for k, msg in enumerate(messages):
        if not msg.speaker:
            signed = signature_name(msg.lines)
            if signed:
                messages[k] = replace(msg, speaker=signed)
    return Reading(family="email thread (oldest first)" if chronological else "email thread",
                   channel="email", messages=tuple(messages), meta=frozenset(meta), weak=not structured,
                   warnings=tuple(warnings), prior=0.0, evidence={"headers": mails[0].headers})


def page_subject(lines: list[Line]) -> str:
    """The subject a webmail print shows above its messages: its page title ("Gmail - …") or the
    line over its message count ("Swimming lessons for Alfie" over "4 messages"); else ""."""
    said = [ln.text.strip() for ln in lines if ln.text.strip()]
    for k, text in enumerate(said):
        title = WEBMAIL_TITLE.match(text)
        if title:
            return title.group("subject")
        if MESSAGE_COUNT.match(text) and k and "@" not in said[k - 1] and not said[k - 1].lower().startswith("gmail"):
            return said[k - 1]
    return ""


def _is_brief(mail: _Mail) -> bool:
    """Text above a thread's first header block, with no headers, salutation or sign-off of its
    own and a title, field or brief line in it ("TASK 2 – Written communication", "Learner: Sophie
    Grant", "Scenario: …", a webmail's "4 messages"): the task a learner pasted above the emails,
    or the page's title, not a message."""
    if mail.headers:
        return False
    body = "\n".join(ln.text for ln in mail.lines)
    if SALUTATION_LINE.search(body) or SIGN_OFF_LINE.search(body):
        return False
    return any(ln.text.strip() and (is_header_line(ln.text) or BRIEF_LINE.match(ln.text)) for ln in mail.lines)


def _is_title(mail: _Mail) -> bool:
    """Only a page's title lines above the one headed message (a webmail page's subject and its
    "Inbox" label): every line of it a title, none of it a sentence."""
    said = [ln.text for ln in mail.lines if ln.text.strip()]
    return (bool(said) and len(said) <= 3 and _is_brief(mail)
            and all(is_header_line(t) or (len(t.split()) <= 10 and not re.search(r"[.?!,]$", t)) for t in said))


def _structure_lines(lines: list[Line]) -> set[int]:
    """Header, separator and "On … wrote:" lines at any quoting depth, and lines that hold only
    quote marks: read as the thread's structure, not as anyone's words."""
    bare = [QUOTE_MARKS.sub("", ln.text) for ln in lines]
    found: set[int] = set()
    for i, t in enumerate(bare):
        if not t.strip() or EMAIL_HEADER.match(t) or ORIGINAL_MESSAGE.match(t) or UNDERSCORE_RULE.match(t) \
                or SEPARATOR.match(t) or FRAMED_TITLE.match(t):
            found.add(i)
        elif re.match(r"^[ \t]*On\b", t):
            joined = t
            for k in range(i, min(i + 3, len(bare))):
                if k > i:
                    joined += " " + bare[k].strip()
                if WROTE_LINE.match(joined):
                    found.update(range(i, k + 1))
                    break
    return found


# a webmail print's page title ("Gmail - Swimming lessons for Alfie") and message count ("4 messages")
WEBMAIL_TITLE = re.compile(r"^[ \t]*(?:Gmail|Mail|Outlook|Yahoo(?:[ \t]+Mail)?|Proton[ \t]*Mail)[ \t]+[-–—|][ \t]+(?P<subject>\S.*?)[ \t]*$")
MESSAGE_COUNT = re.compile(r"^[ \t]*\d+[ \t]+messages?[ \t]*$", re.IGNORECASE)
QUOTE_MARKS = re.compile(r"^[ \t]*(?:>[ \t]?)+")
WEBMAIL_TO = re.compile(r"^[ \t]*to[ \t]+(?P<to>(?:me|[^\W\d_][\w'’.-]*)(?:,[ \t]*[^\W\d_][\w'’.-]*){0,5})[ \t]*$")
SENDER_LINE = re.compile(r"^[ \t]*(?P<sender>[^<>:\n]{1,60}?[ \t]*<[^<>\s@]+@[^<>\s]+>)(?:[ \t]{2,}(?P<date>\S[^<>\n]{4,40}?))?[ \t]*$")


REPLY_SUBJECT = re.compile(r"^\s*(?:re|aw|sv|antw)\s*:", re.IGNORECASE)


def _oldest_first(mails: list[_Mail]) -> bool:
    """True when the messages are header blocks whose dates rise down the page."""
    if len(mails) < 2 or not all(m.top_level for m in mails):
        return False
    if all(m.divided for m in mails[1:]) and not any(m.headers for m in mails):
        return True  # letters pasted one under another, each below the last one's signature
    dates = [_when(m.headers.get("date") or m.headers.get("sent") or "") for m in mails]
    if all(d is not None for d in dates):
        if all(a <= b for a, b in zip(dates, dates[1:])) and dates[0] < dates[-1]:
            return True
        if all(a >= b for a, b in zip(dates, dates[1:])):
            return False
    # no usable dates: replies are marked "RE:", so the unmarked subject came first
    replies = [bool(REPLY_SUBJECT.match(m.headers.get("subject", ""))) for m in mails if m.headers.get("subject")]
    return len(replies) >= 2 and not replies[0] and any(replies[1:])


def _when(value: str):
    from email.utils import parsedate_to_datetime

    value = value.strip()
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).replace(tzinfo=None)
    except (TypeError, ValueError, IndexError):
        pass
    import datetime as dt

    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", value.replace(" at ", " ").replace(",", " "))
    cleaned = " ".join(cleaned.split())
    for fmt in ("%d %B %Y %H:%M", "%d %b %Y %H:%M", "%A %d %B %Y %H:%M", "%a %d %b %Y %H:%M", "%d/%m/%Y %H:%M",
                "%Y-%m-%d %H:%M", "%d %B %Y %I:%M %p", "%A %d %B %Y %I:%M %p", "%a %d %b %Y %I:%M %p",
                "%d %b %Y %I:%M %p", "%d/%m/%Y %I:%M %p", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
    return None


SIGNATURE_NAME = re.compile(r"^[ \t]*([A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,3})(?:[ \t]+\((?:Mrs|Mr|Ms|Miss|Mx|Dr)\.?\))?[ \t]*$")


def signature_name(lines) -> str:
    """The name under the sign-off ("Kind regards,\nSam Patel"), or ''."""
    texts = [ln.text for ln in lines]
    for i, t in enumerate(texts):
        if SIGN_OFF_LINE.match(t):
            for nxt in texts[i + 1:i + 4]:
                if not nxt.strip():
                    continue
                m = SIGNATURE_NAME.match(nxt)
                return m.group(1) if m else ""
    return ""


def _split_messages(lines: list[Line], depth: int, warnings: list[str]) -> list[_Mail]:
    """Messages in text order (newest first when pasted as a reply). Recurses into ``>`` quotes
    up to ``MAX_QUOTE_DEPTH`` levels."""
    messages: list[_Mail] = []
    i = 0
    n = len(lines)
    # leading blank lines
    while i < n and not lines[i].text.strip():
        i += 1
    headers, i = _read_headers(lines, i)
    current = _Mail(headers=headers, lines=[])
    _set_sender(current, headers.get("from", ""))
    messages.append(current)
    # a message answered inline ("On … wrote:", its first lines quoted, the answer, more quoted
    # lines, …): the message quoted, and the one answering it
    answering: _Mail | None = None
    answered: _Mail | None = None
    while i < n:
        line = lines[i]
        t = line.text
        if ORIGINAL_MESSAGE.match(t) or (UNDERSCORE_RULE.match(t) and _header_follows(lines, i + 1)):
            i += 1
            headers, i = _read_headers(lines, i)
            current = _Mail(headers=headers, lines=[])
            _set_sender(current, headers.get("from", ""))
            messages.append(current)
            continue
        webmail = SENDER_LINE.match(t)
        # the date may stand on a line of its own under the sender (a narrow Gmail page)
        dated = (webmail is not None and not webmail.group("date") and i + 2 < n and lines[i + 1].text.strip() != ""
                 and DATE_LINE.match(lines[i + 1].text) is not None and WEBMAIL_TO.match(lines[i + 2].text) is not None)
        if webmail and i + 1 < n and (EMAIL_HEADER.match(lines[i + 1].text) or WEBMAIL_TO.match(lines[i + 1].text) or dated) \
                and (i == 0 or not lines[i - 1].text.strip() or SEPARATOR.match(lines[i - 1].text)):
            # a webmail print: "Name <address>   date" over "To: …" (Gmail's page: "to me", "to
            # Folake"), with no "From:"
            date = webmail.group("date") or (lines[i + 1].text.strip() if dated else "")
            first = i
            if dated:
                i += 1
            to = WEBMAIL_TO.match(lines[i + 1].text)
            if to:
                headers, i = {"to": to.group("to")}, i + 2
            else:
                headers, i = _read_headers(lines, i + 1)
            headers = {"from": webmail.group("sender"), **({"date": date} if date else {}), **headers}
            if current.lines or current.headers:
                current = _Mail(headers=headers, lines=[])
                messages.append(current)
            else:
                current.headers = headers
            current.header_at.extend(ln.start for ln in lines[first:i])
            _set_sender(current, headers["from"])
            continue
        if EMAIL_HEADER.match(t) and _block_names_sender(lines, i) and _header_follows(lines, i + 1) \
                and (i == 0 or not lines[i - 1].text.strip() or SEPARATOR.match(lines[i - 1].text)) and current.lines:
            headers, i = _read_headers(lines, i)
            current = _Mail(headers=headers, lines=[])
            _set_sender(current, headers.get("from", ""))
            messages.append(current)
            continue
        wrote = _wrote_intro(lines, i)
        if wrote is not None:
            end_intro, sender = wrote
            i = end_intro
            quoted, i = _read_quoted(lines, i)
            if quoted and depth >= MAX_QUOTE_DEPTH:
                _too_deep(warnings)
                current.lines.extend(_unquoted(lines[end_intro:i]))
                continue
            if quoted:
                inner = _split_messages(quoted, depth + 1, warnings)
                for m in inner:
                    m.top_level = False
                if inner and not inner[0].headers.get("from"):
                    _set_sender(inner[0], sender)
                messages.extend(inner)
                answering, answered = current, inner[0] if len(inner) == 1 and not inner[0].headers else None
                current = messages[-1]
                continue
            # "On … wrote:" followed by an unquoted message (some clients do that)
            current = _Mail(headers={}, lines=[], top_level=False)
            _set_sender(current, sender)
            messages.append(current)
            continue
        if t.lstrip().startswith(">"):
            begin = i
            quoted, i = _read_quoted(lines, i)
            if depth >= MAX_QUOTE_DEPTH:
                _too_deep(warnings)
                current.lines.extend(_unquoted(lines[begin:i]))
                continue
            inner = _split_messages(quoted, depth + 1, warnings)
            for m in inner:
                m.top_level = False
            if answered is not None and len(inner) == 1 and not inner[0].headers and not inner[0].sender:
                # answering inline: another piece of the message quoted above, the answer below it
                answered.lines.extend(inner[0].lines)
                current = answering
                continue
            messages.extend(inner)
            current = messages[-1]
            continue
        if answered is not None and current is answered and t.strip():
            current = answering  # unquoted words under a quoted piece: the answer to it
        if (SEPARATOR.match(t) or FRAMED_TITLE.match(t)) and signature_name(current.lines) and _letter_follows(lines, i + 1):
            # letters pasted one under another: a rule (or a title framed by rules, "=== RESPONSE SENT
            # 1 DECEMBER ===") below a signed letter, a salutation below it
            current = _Mail(headers={}, lines=[], divided=True)
            messages.append(current)
            i += 1
            continue
        if not SEPARATOR.match(t):  # a dashed line between messages is not text
            current.lines.append(line)
        i += 1
    return messages


def _letterhead(lines: list[Line]) -> int:
    """How many of a letter's first lines come before its salutation (0 when it has none)."""
    for k, ln in enumerate(lines[:20]):
        if SALUTATION_LINE.match(ln.text):
            return k
    return 0


def _letter_follows(lines: list[Line], i: int) -> bool:
    """A salutation ("Dear Mrs Desai,") within the next lines, below a letterhead at most."""
    for ln in lines[i: i + 20]:
        if SALUTATION_LINE.match(ln.text):
            return True
        if SEPARATOR.match(ln.text) or FRAMED_TITLE.match(ln.text) or EMAIL_HEADER.match(ln.text):
            return False
    return False


def _unquoted(lines: list[Line]) -> list[Line]:
    """Lines with every level of quote marks taken off (offsets still point at the text)."""
    out = []
    for ln in lines:
        m = QUOTE_MARKS.match(ln.text)
        cut = m.end() if m else 0
        out.append(Line(ln.text[cut:], ln.start + cut))
    return out


def _too_deep(warnings: list[str]) -> None:
    note = f"quoting nested more than {MAX_QUOTE_DEPTH} levels deep was read as part of the message above it"
    if note not in warnings:
        warnings.append(note)


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


def _block_names_sender(lines: list[Line], i: int) -> bool:
    """The header block starting at line ``i`` has a ``From:`` line, wherever it stands in the
    block ("Date: …" first in many clients' copies)."""
    for ln in lines[i: i + 8]:
        m = EMAIL_HEADER.match(ln.text)
        if not m:
            return False
        if m.group("name").lower() == "from":
            return True
    return False


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


def _set_sender(msg: _Mail, value: str) -> None:
    if not value:
        return
    name, address = parseaddr(value)
    msg.sender = name.strip().strip('"') or (value.strip() if "@" not in value else "")
    msg.address = address if "@" in address else ""
    if not msg.sender and msg.address:
        msg.sender = msg.address


def signature_start(turn: Any) -> int:
    """Where an email's signature starts in ``turn.text``: the end of its last sign-off line, one
    that ends in a comma or has a name under it ("Kind regards," / "Thanks\nSam Patel") or names
    the sender itself ("Kind regards, Sam"); past the end when it has none. A body line "Thank
    you." followed by more of the letter is no sign-off."""
    start = len(turn.text) + 1
    lines = list(re.finditer(r"[^\n]+", turn.text))
    # under each line, read once from the bottom up: the next line with words, and whether every
    # line with words below is a line of details (none below: no)
    below: list[tuple[str, bool]] = []
    after, details = "", False
    for m in reversed(lines):
        below.append((after, details))
        if m.group(0).strip():
            details = _detail_line(m.group(0)) and (details or not after)
            after = m.group(0)
    below.reverse()
    for m, (after, details) in zip(lines, below):
        line = m.group(0)
        if SIGN_OFF_WITH_NAME.match(line) or (SIGN_OFF_LINE.match(line) and (
                line.rstrip().endswith(",") or SIGNATURE_NAME.match(after) or details)):
            start = m.end()
    return start


def _detail_line(line: str) -> bool:
    """A signature's line of details: fields between bars or bullets ("Kirkgate Lettings Ltd | 14
    Boar Lane | 0113 496 0721"), or a company's registration; no sentence of the letter."""
    return bool(re.search(r"\s[|•·]\s", line) or re.match(r"^[ \t]*(?:registered|company|vat)\b.*\d", line, re.I))
