"""Lines that are not messages: titles, date lines, "Agent: Name" headers, system lines.

Every reader uses these, so a title above a chat or "Sam joined the chat" is never a speaker.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .common import SYSTEM_LINE, Line, heading_shape, role_of

# month and day names in full or cut short, and nothing longer: "Marcus 14:31" names Marcus, not March
# (the names of ``checker.vocabulary`` WEEKDAYS, MONTHS and SHORT_DAYS_MONTHS; a test holds them together)
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?"
         r"|nov(?:ember)?|dec(?:ember)?)\b\.?")
WEEKDAY = r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b\.?,?"
_CLOCK = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?(?:[ \t]+(?:GMT|BST|UTC|CET|CEST|[+-]\d{2}:?\d{2}))?"  # "08:12 GMT"
DATE_WORDS = rf"(?:{WEEKDAY}\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}(?:\s+\d{{4}})?|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?)"
DATE_NUM = r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}-\d{1,2}-\d{4})"
ANY_DATE = rf"(?:{DATE_WORDS}|{DATE_NUM}|today|yesterday)"
# how long ago, as review sites print it ("3 weeks ago", "an hour ago") and, shorter, social apps ("2h", "5 mins", "now")
AGO = r"(?:(?:\d{1,3}|an?)[ \t]+(?:sec(?:ond)?|min(?:ute)?|hour|day|week|month|year)s?[ \t]+ago)"
POST_AGE = rf"(?:{AGO}|\d{{1,2}}[ \t]?[smhdw]|\d{{1,2}}[ \t]+(?:sec|min|hour|day|week)s?|(?:just[ \t]+)?now)"

# A date and/or time alone on a line ("5 March 2026 at 14:32", "Thu 6 Mar", "Today 10:02").
DATE_LINE = re.compile(
    rf"^[ \t\[(-]*(?:{WEEKDAY}\s+)?(?:{ANY_DATE})?(?:,?\s*(?:at\s+)?{_CLOCK})?[ \t\])-]*$", re.IGNORECASE
)
TIME_ONLY = re.compile(rf"^[ \t\[(]*(?:{ANY_DATE},?\s*(?:at\s+)?)?{_CLOCK}[ \t\])]*$", re.IGNORECASE)

# System messages a chat tool writes, anywhere in the text.
MORE_SYSTEM = re.compile(
    r"^[ \t]*(?:\[?[\d:/., -]{4,20}\]?[ \t]*(?:[-–][ \t]*)?)?"
    r"(?:(?:chat|conversation|session)\s+(?:started|ended|closed|opened)\b.*"
    r"|.*\bend-to-end encrypt(?:ed|ion)\b.*"
    # a messaging app's notices in a business chat ("This business uses a secure service from Meta to
    # manage this chat. Tap to learn more.", "This chat is with a business account. Tap for more info.")
    r"|this (?:business|chat|account)\b[^\n]{0,120}\btap (?:to learn more|for more info(?:rmation)?)\.?"
    r"|.*\b(?:is|was) typing\b.*"
    r"|you are now (?:chatting|connected|speaking) (?:with|to)\b.*"
    r"|.*\b(?:joined|left|entered|ended|closed) the (?:chat|conversation|room)\b.*"
    r"|.*\bhas been transferred\b.*|.*\btransferred (?:the chat |you )?to\b.{1,80}"
    r"|this (?:chat|conversation) (?:is|may be) (?:being )?(?:recorded|monitored)\b.*"
    r"|\(?(?:message|this message) (?:deleted|was deleted)\)?|<media omitted>|image omitted|missed (?:voice )?call"
    r"|typically replies (?:within|in)\b.{1,40}|(?:active|online) (?:now|\d+\s?(?:m|h|min|mins|minutes?|hours?) ago)"
    r"|(?:queue position|position in (?:the )?queue|(?:current|estimated|expected) wait(?:ing)?(?: time)?)\s*(?:[:#-]\s*)?\d[\w ]{0,15}"
    r"|you are (?:now )?(?:number )?\d+(?:st|nd|rd|th)? in (?:the )?queue\b.*"
    r")[ \t]*$",
    re.IGNORECASE,
)

HEADER_KEYS = (
    r"date|started|ended|start(?:ed)? time|time|ref|reference|ticket(?: no| number| #)?|case|channel|status|priority|queue|"
    r"department|team|subject|topic|source|transcript|chat id|conversation id|session|duration|rating|"
    r"agent|advisor|adviser|customer|client|caller|visitor|member|contact|conversation with|chat with|with|"
    r"learner|student|candidate|unit|task|assessor|tutor|company|organisation|brand|product|account|"
    r"chat id|session id|wait(?:ing)? time|location|browser|page|category|skill|language|disposition|tags?|"
    r"agent name|customer name|visitor name|wait|requester|requested by|assignee|assigned to|owner|group|mailbox|"
    r"origin|type|created(?: on| at)?|updated(?: on| at)?|(?:started|opened|submitted|received) via|via|assigned"
)
KEY_VALUE = re.compile(rf"^[ \t]*(?P<key>{HEADER_KEYS})[ \t]*(?:[:#]|(?=\d))[ \t]*(?P<value>.*)$", re.IGNORECASE)
ROLE_VALUE = re.compile(r"^[ \t]*(?P<key>[^\W\d_][\w /-]{0,24}?)[ \t]*:[ \t]*(?P<value>.*)$")
NAME_AND_NUMBER = re.compile(r"^[ \t]*[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,3}[ \t]*[(\[<][+\d][\d ()+-]{5,20}[)\]>][ \t]*$")
FIELD_SEPARATORS = re.compile(r"\s[|·•]\s")
TITLE_WORDS = re.compile(
    r"\b(?:chat|webchat|web chat|live chat|transcript|conversation|export|ticket|messages?|inbox|enquir(?:y|ies)|"
    r"support|service|services|helpdesk|help desk|thread|task|evidence|portfolio|assignment|log|history|sms|"
    r"whatsapp|messenger|teams|slack|copied|case)\b",
    re.IGNORECASE,
)
GREETING_VALUE = re.compile(
    r"^(?:hi|hello|hey|hiya|yes|yeah|no|ok|okay|thanks|thank you|cheers|morning|afternoon|evening|good \w+|sure|"
    r"great|fine|bye|please|sorry|right|yep|nope)\b",
    re.IGNORECASE,
)
NAME_VALUE = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|mx|dr|prof)\.?\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|da|al|bin|le|la)){0,4}"
    r"(?:\s*\([^)]{1,30}\))?$"
)
SEPARATOR = re.compile(r"^[ \t]*(?:[-=_*~#.·•─━═–—]\s?){4,}[ \t]*$")


SYSTEM_WORDS = re.compile(
    r"start|began|end|clos|open|encrypt|typing|now (?:chatting|connected|speaking)|joined|left|entered|exited|transfer|"
    r"record|monitor|delet|omitted|missed|typically replies|active|online|queue|wait|tap (?:to|for)",
    re.IGNORECASE,
)


# a tool's annotation on a line of its own, wrapped whole in brackets: "[action: pull up the
# account]", "<system: refund of £12 issued>", "{event: customer rated 5}"
TOOL_ANNOTATION = re.compile(r"^[\[<{][ \t]*(?P<key>[A-Za-z][A-Za-z _-]{1,20}?)[ \t]*:[ \t]*[^\[\]<>{}\n]{1,160}[\]>}]$")


@lru_cache(maxsize=8192)
def is_system_line(text: str) -> bool:
    t = heading_shape(text)
    if t is not None and (m := TOOL_ANNOTATION.match(t)) and role_of(m.group("key")) in (None, "system") \
            and not t[m.end("key"):].lstrip(" \t:").startswith("//") and m.group("key").lower() not in ("mailto", "tel", "http", "https"):
        return True  # not a link ("<https://example.com/form>", "<mailto:…>")
    if t is None or not SYSTEM_WORDS.search(t):
        return False  # every system line names its event; the cheap test spares the full patterns
    return bool(SYSTEM_LINE.match(t) or MORE_SYSTEM.match(t))


@lru_cache(maxsize=8192)
def is_date_line(text: str) -> bool:
    t = heading_shape(text)
    return bool(t) and bool(re.search(r"\d|today|yesterday", t, re.I)) and bool(DATE_LINE.match(t))


@lru_cache(maxsize=8192)
def is_header_line(text: str) -> bool:
    """A title, date or field line of the kind chat tools print above a transcript."""
    t = heading_shape(text)
    if not t:
        return False
    if is_date_line(t) or is_system_line(t) or SEPARATOR.match(t):
        return True
    if NAME_AND_NUMBER.match(t):
        return True  # "Dorothy Pike (07700 900384)" above an SMS thread
    fields = FIELD_SEPARATORS.split(t)
    if len(fields) > 1 and (all(len(part.split()) <= 8 for part in fields)
                            or any(KEY_VALUE.match(part) for part in fields)):
        return True
    side = _side_line(t)
    if side is not None:
        # "Agent: Nadia" and "Customer: Mr Graham Tolley" are headers; "Customer: Hi" is a message
        return _names_a_person(side[1])
    m = KEY_VALUE.match(t)
    if m and not re.match(r"[ \t]*[:#]", t[m.end("key"):]) and len(m.group("value").split()) > 8:
        m = None  # "Unit 7 – Resolving customer queries: live chat observation": a title, judged as one below
    if m:
        value = m.group("value").strip()
        key = m.group("key").lower()
        if not value:
            return key not in ("agent", "advisor", "adviser", "customer", "client", "caller", "visitor", "member")
        if re.search(r"[?!]$", value) or len(value.split()) > 8:
            return False
        return bool(re.search(r"\d", value)) or key in ("subject", "topic", "channel", "status", "queue", "department",
                                                        "team", "company", "organisation", "brand", "unit", "task",
                                                        "conversation with", "chat with", "with", "learner", "contact",
                                                        "student", "candidate", "product", "source", "priority",
                                                        "location", "browser", "page", "category", "skill",
                                                        "language", "disposition", "tag", "tags", "requester",
                                                        "requested by", "assignee", "assigned to", "owner", "group",
                                                        "mailbox", "origin", "type", "started via", "opened via",
                                                        "submitted via", "received via", "via", "assigned")
    speaker = re.match(r"^([^:]{1,40}):\s+\S", t)
    if speaker and len(speaker.group(1).split()) <= 3:
        return False  # "Sam: Hello - how can I help" is a message
    words = t.split()
    if len(words) <= 4 and all(w[:1].isupper() or w in ("&", "-", "–") for w in words) \
            and not re.search(r"[.?!,:;]", t):
        return True  # a short title: "Harbour Plumbing", "Messages"
    if len(words) <= 12 and not re.search(r"[.?!,]$", t) and (TITLE_WORDS.search(t) or re.search(r"\s[-–—|·:]\s", t)):
        return True
    return False


# What a social app or page prints around a post or message that nobody wrote: reactions and
# their counts, "Like · Reply · 3d", "Seen", "2,318 Views", "09:02 · 07/12/2026 · 1.1K Views",
# "Most relevant", a lone "·". A line is such chrome when every field of it (parted by "·", "•",
# "|" or a run of spaces) is one of these and at least one is a word or an age, not a bare number.
CHROME_WORD = re.compile(
    r"^(?:like|likes|liked|love|reply|replies|share|shares|comment|comments|react|edited|seen|delivered|read|sent|"
    r"follow|following|author|top fan|most relevant|newest|all comments|top comments|view (?:\d+ )?(?:more )?replies|"
    r"hide|report|translate|see translation|pinned|retweet|repost|quote|bookmark|views?|view profile|"
    r"you follow each other on \w+|you(?:'re|’re| are) friends on \w+|"
    # the badges a forum or Reddit prints by a name, and its own buttons and sorting
    r"op|official|mod|moderator|admin|verified|award|sort by:?.{0,20}|view more comments|load more comments|r/[a-z0-9_]{2,21})$",
    re.IGNORECASE,
)
CHROME_COUNT = re.compile(
    r"^[^\w\s]{0,6}\s*[\d.,]+[kKmM]?\s*(?:views?|likes?|comments?|shares?|replies|reposts?|retweets?|quotes?|"
    r"bookmarks?|reactions?)?$",
    re.IGNORECASE,
)
_CHROME_FIELDS = re.compile(r"\s*[·•|]\s*|\s{2,}")


@lru_cache(maxsize=8192)
def is_chrome_line(text: str) -> bool:
    t = heading_shape(text)
    if t is None or not t or len(t) > 80:
        return False
    if t in ("·", "•"):
        return True
    fields = [f for f in _CHROME_FIELDS.split(t) if f]
    if not fields:
        return False
    worded = False
    for f in fields:
        if CHROME_WORD.match(f) or re.fullmatch(POST_AGE, f, re.IGNORECASE):
            worded = True
        elif CHROME_COUNT.match(f):
            worded = worded or not f[:1].isdigit() or bool(re.search(r"[a-z]", f, re.IGNORECASE))
        elif not (is_date_line(f) or is_time_line(f)):
            return False
    return worded or "·" in t or "•" in t  # a date or time with the app's dot: "4 December at 10:00 ·"


# a social account's @handle ("@GreenlineRail"), and the line an app prints over a reply to one
USER_HANDLE = r"@[A-Za-z0-9_]{1,30}"
# a Reddit user's name as Reddit prints it over a post or comment ("u/quietkettle"), and the post's
# "Posted by u/…" line
REDDIT_USER = re.compile(r"^[ \t]*(?:(?:posted|submitted)[ \t]+by[ \t]+)?(?P<user>u/[A-Za-z0-9_-]{3,20})[ \t]*$", re.IGNORECASE)
REPLYING_TO = re.compile(rf"^[ \t]*(?:replying|in reply)[ \t]+to[ \t]+{USER_HANDLE}", re.IGNORECASE)


# a title framed by rules inside a thread: "--- Messages ---", "==== Direct messages ===="
FRAMED_TITLE = re.compile(r"^[ \t]*[-=_*~#]{2,}[ \t]*[^\W\d_][\w '’&/:.,-]{0,60}?[ \t]*[-=_*~#]{2,}[ \t]*$")


# the brief a learner pastes above a transcript: "Scenario: …", "Task: …", a paragraph long
BRIEF_LINE = re.compile(r"^[ \t]*(?:scenario|task|context|background|brief|instructions?|(?:the[ \t]+)?situation)[ \t]*:[ \t]*\S",
                        re.IGNORECASE)


def leading_headers(lines: list[Line], limit: int = 10) -> set[int]:
    """Indices of the header lines at the top of the text (titles, dates, "Agent: Name", a
    scenario the learner pasted above the chat)."""
    found: set[int] = set()
    for i, line in enumerate(lines):
        if len(found) >= limit:
            break
        if not line.text.strip() or is_system_line(line.text):
            continue  # system lines stay system messages
        if is_header_line(line.text) or BRIEF_LINE.match(line.text):
            found.add(i)
            continue
        break
    return found


def _side_line(t: str) -> tuple[str, str] | None:
    """(role, value) of a line labelled with a side's role word ("Operator: Kayden", "Customer
    name: Jo Fenwick <jo@…>", the address dropped); None when the label is no role word."""
    r = ROLE_VALUE.match(t)
    if not r:
        return None
    role = role_of(re.sub(r"\s+(?:name|names)$", "", r.group("key").strip(), flags=re.I))
    if role not in ("agent", "customer"):
        return None
    return role, re.sub(r"\s*<[^<>\s@]+@[^<>\s]+>$", "", r.group("value").strip())


def _names_a_person(value: str) -> bool:
    return bool(value) and bool(NAME_VALUE.match(value)) and not GREETING_VALUE.match(value) and len(value.split()) <= 5


def stated_role(text: str) -> tuple[str, str] | None:
    """(name, role) from a header line that names a side: "Operator: Kayden", "Visitor: Margaret
    Hollis", "Agent name: Nadia", "Customer: Jo Fenwick <jo@…>"; None for anything else."""
    t = heading_shape(text)
    side = _side_line(t) if t and is_header_line(t) else None
    if side is None or not _names_a_person(side[1]):
        return None
    role, value = side
    return re.sub(r"\s*\([^)]{1,30}\)$", "", value), role


WHEN = rf"(?:{ANY_DATE},?\s*(?:at\s+)?)?{_CLOCK}"


@lru_cache(maxsize=8192)
def is_time_line(text: str) -> bool:
    t = heading_shape(text)
    return bool(t) and bool(TIME_ONLY.match(t))
