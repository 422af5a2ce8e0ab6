"""Decoration around a transcript's lines, blanked before the readers see them.

A transcript pasted from a document, a forum post, a chat tool's HTML or an assistant's answer
wears markup that is nobody's words: Markdown emphasis around the speaker (``**Agent:** Hello``,
``**Customer**``), HTML tags (``<b>Agent:</b>``), a quote marker or a bullet before every line
(``> Agent: …``, ``- Customer: …``). ``unmark`` replaces that decoration with spaces, so that every
offset into the text stays where it was and the readers see the plain ``Agent: Hello`` they know.
A quote marker or a bullet is decoration only when every line carries it: an email's ``>`` lines
are its quoted history, a message's ``- `` lines its list.
"""
from __future__ import annotations

import re

# Markdown emphasis around a speaker at the start of a line: "**Agent:**", "**Agent**:", "__Sam__"
EMPHASIS_LABEL = re.compile(r"^(?P<lead>[ \t]*)(?P<mark>\*\*|__|\*|_)(?P<label>[^\W\d_][^*_\n:]{0,40}?)(?P<colon>:?)(?P=mark)",
                            re.MULTILINE)
# inline HTML a chat tool or a web page wraps messages and names in
HTML_TAG = re.compile(r"</?(?:b|strong|i|em|u|span|font|p|div|br|li|ul|ol)(?:[ \t][^<>\n]{0,120})?/?>", re.IGNORECASE)
LINE_MARK = re.compile(r"^[ \t]*(?P<mark>>|[-*•–·])[ \t]?")


def unmark(text: str) -> str:
    """``text`` with its decoration replaced by spaces (the same length, the same lines)."""
    if "<" in text and HTML_TAG.search(text):
        text = HTML_TAG.sub(lambda m: " " * len(m.group(0)), text)
    if "*" in text or "_" in text:
        text = EMPHASIS_LABEL.sub(lambda m: m.group("lead") + " " * len(m.group("mark")) + m.group("label")
                                  + m.group("colon") + " " * len(m.group("mark")), text)
    lines = text.split("\n")
    marks = [LINE_MARK.match(ln) for ln in lines if ln.strip()]
    if len(marks) >= 2 and all(marks) and len({m.group("mark") for m in marks}) == 1:
        out = []
        for ln in lines:
            m = LINE_MARK.match(ln)
            out.append(" " * m.end() + ln[m.end():] if m else ln)
        text = "\n".join(out)
    return text
