"""Public reviews with the business's reply: Trustpilot, Google reviews, the App Store and Google
Play, TripAdvisor, a shop's own review page.

The review is the customer's message: its rating ("★★☆☆☆", "Rated 1 out of 5 stars", "2/5"), its
reviewer's name and details ("Local Guide · 41 reviews", "Date of experience: …", "27 people found
this review helpful") are read as labels, its title and text as the message. The reply is the
agent's message, headed by "Reply from <business>", "Response from the owner", "Developer
Response" or, after the review, the business's name with a date ("StreamNest Ltd  5 March 2026").
The format says who is who, so the learner need not be named; the reply's speaker is the business
as its heading names it.
"""
from __future__ import annotations

import re

from .common import Line, heading_shape, match_heading
from .headers import AGO, ANY_DATE, is_date_line, is_time_line
from .reading import Message, Reading

RATING = re.compile(
    r"^[ \t]*(?:[★☆⭐✩✭✮]{1,5}(?:[ \t].*)?|rated[ \t]+\d(?:\.\d)?[ \t]+(?:out[ \t]+of|/)[ \t]*5(?:[ \t]+stars?)?.*"
    r"|\d(?:\.\d)?[ \t]*(?:/|out of)[ \t]*5(?:[ \t]+stars?)?|\d[ \t]+stars?(?:[ \t].*)?)[ \t]*$",
    re.IGNORECASE,
)
WHEN = rf"(?:{ANY_DATE}|{AGO})"
REPLY_HEADING = re.compile(
    rf"^[ \t]*(?:(?:reply|response|answer|comment)[ \t]+from[ \t]+(?P<who>[^\n]{{1,60}}?)"
    rf"|(?P<role>(?:developer|owner|company|business|management|seller|host)(?:'s|’s)?[ \t]+(?:response|reply))"
    rf"|(?P<bare>(?:response|reply)))"
    rf"(?:[ \t]*[,·•|-]?[ \t]*(?P<when>{WHEN}))?[ \t]*:?[ \t]*$",
    re.IGNORECASE,
)
NAME_AND_DATE = re.compile(rf"^[ \t]*(?P<who>[A-Z][\w&.'’-]*(?:[ \t]+[\w&.'’-]+){{0,5}}?)[ \t]{{1,}}[,·•|-]?[ \t]*(?P<when>{WHEN})[ \t]*$",
                           re.IGNORECASE)
DETAIL = re.compile(
    r"^[ \t]*(?:.*\b\d+[ \t]+(?:reviews?|ratings?|photos?|contributions?|helpful votes?)\b.*"
    r"|(?:local guide|verified(?: purchase| buyer| customer)?|top contributor)\b.*"
    r"|date of (?:experience|visit|stay|purchase)[ \t]*:.*"
    r"|\d+[ \t]+(?:people|person|users?)[ \t]+found[ \t]+this[ \t]+(?:review[ \t]+)?helpful.*"
    r"|(?:was|did you find) this (?:review )?helpful\??.*|helpful[ \t]*(?:\(\d+\))?|share|report|flag"
    r"|(?:[A-Z]{2}|United Kingdom)[ \t]*[•·][ \t]*\d+[ \t]+reviews?)[ \t]*$",
    re.IGNORECASE,
)


def _reply_heading(text: str, after_review: bool) -> tuple[str, str | None] | None:
    """(the business as the heading names it, when) for a reply's heading line."""
    text = heading_shape(text)
    if not text:
        return None
    m = REPLY_HEADING.match(text)
    if m:
        who = (m.group("who") or m.group("role") or m.group("bare")).strip()
        return (who[:1].upper() + who[1:]), m.group("when")
    if after_review:
        m = NAME_AND_DATE.match(text)
        if m and not re.search(r"[.?!]$", m.group("who")):
            return m.group("who").strip(), m.group("when")
    return None


def _rating(text: str) -> bool:
    return match_heading(RATING, text) is not None


def _detail(text: str) -> bool:
    return match_heading(DETAIL, text) is not None


def read(text: str, lines: list[Line]) -> Reading | None:
    ratings = [i for i, ln in enumerate(lines) if _rating(ln.text)]
    if not ratings:
        return None
    rating = ratings[0]
    # the reviewer: the last name-like line above the rating and its details
    above = [i for i in range(rating) if lines[i].text.strip()]
    reviewer = "Reviewer"
    for i in reversed(above):
        t = lines[i].text.strip()
        if _detail(t) or is_date_line(t):
            continue
        if len(t.split()) <= 5 and not re.search(r"[.?!:]$", t):
            reviewer = t
        break
    meta: set[int] = set(above)
    review: list[Line] = []
    replies: list[dict] = []
    current: dict | None = None
    seen_review_text = False
    for i in range(rating, len(lines)):
        line, t = lines[i], lines[i].text
        if i == rating or (t.strip() and (_detail(t) or _rating(t))):
            meta.add(i)
            continue
        heading = _reply_heading(t, seen_review_text) if t.strip() else None
        if heading is not None and (i == 0 or not lines[i - 1].text.strip() or current is None):
            current = {"speaker": heading[0], "time": heading[1], "line_number": i + 1, "lines": []}
            replies.append(current)
            meta.add(i)
            continue
        if t.strip() and (is_date_line(t) or is_time_line(t)) and (current is None or not any(ln.text.strip() for ln in current["lines"])):
            meta.add(i)  # the review's or the reply's date on a line of its own
            continue
        if current is None:
            review.append(line)
            seen_review_text = seen_review_text or bool(t.strip())
        else:
            current["lines"].append(line)
    if not seen_review_text or not replies or not any(ln.text.strip() for r in replies for ln in r["lines"]):
        return None
    messages = [Message(speaker=reviewer, lines=tuple(review), role="customer", line_number=rating + 1)]
    messages += [Message(speaker=r["speaker"], lines=tuple(r["lines"]), time=r["time"], role="agent",
                         line_number=r["line_number"]) for r in replies if any(ln.text.strip() for ln in r["lines"])]
    return Reading(family="review and reply", channel="chat", meta=frozenset(meta), prior=0.02, messages=tuple(messages))
