"""``.eml`` files (MIME, multipart, HTML only) turned into the pasted form an email reader reads."""
from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from ..errors import InputError
from .decode import check_not_binary, decode_bytes, normalise_text


STANDARD_HEADERS = {"from", "to", "subject", "date", "mime-version", "content-type", "message-id", "received",
                    "return-path", "reply-to", "cc", "sender", "delivered-to", "x-mailer", "content-transfer-encoding"}


def is_email_message(data: bytes) -> bool:
    """True when the file starts with an email header block (at least two standard headers before
    the first blank line); a chat saved as ``.eml`` starts ``Agent: …`` and is not."""
    head = data[:8192].replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    names = set()
    for raw in head.split(b"\n"):
        if raw[:1] in (b" ", b"\t"):
            continue  # a folded header's continuation
        key, sep, _ = raw.partition(b":")
        if not sep or not key or b" " in key.strip():
            return False
        names.add(key.strip().lower().decode("ascii", "replace"))
    return len(names & STANDARD_HEADERS) >= 2


def looks_like_eml(data: bytes) -> bool:
    head = data[:2000].lower()
    return b"mime-version:" in head and b"content-type:" in head


def eml_to_text(data: bytes, source: str = "<input>") -> str:
    """A ``.eml`` file as pasted text: headers, a blank line, the body (HTML turned to text).
    A file that is not really an email (a chat saved as ``.eml``) is returned as its own text."""
    if not is_email_message(data):
        return decode_bytes(data, source)
    try:
        msg: EmailMessage = BytesParser(policy=policy.default).parsebytes(data)  # type: ignore[assignment]
    except Exception as exc:  # the email package raises many types on broken input
        raise InputError(f"cannot read this .eml file: {exc}", source=source) from None
    body_part = msg.get_body(preferencelist=("plain", "html"))
    if body_part is None:
        raise InputError("this .eml file has no text or HTML body", source=source)
    raw = body_part.get_payload(decode=True)
    if isinstance(raw, bytes):
        decode_bytes(raw, source)  # the same binary checks as a file: a PDF or image sent as "text" is refused
    try:
        content = body_part.get_content()
    except Exception as exc:
        raise InputError(f"cannot decode the email body: {exc}", source=source) from None
    if isinstance(content, bytes):
        content = decode_bytes(content, source)
    check_not_binary(content, source)
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
    from bs4.element import PreformattedString

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "head", "title", "meta"]):
        tag.decompose()

    def render(node) -> str:
        if isinstance(node, PreformattedString):  # a doctype, a comment, an XML declaration: not text
            return ""
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
