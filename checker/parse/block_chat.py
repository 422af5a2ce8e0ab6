"""Block chats: the speaker's name on a line of its own, the message below it.

Live-chat exports (name line, time line, message), Teams/Slack copies (``Sam  10:02 AM`` with the
message beneath), Messenger copies (the name alone on a line), and posts and direct messages
copied from social apps and pages: a display name with its @handle (``Dan Whitfield @dan_w``, or
the handle on the next line), a page's lower-case user name (``hollowayandfinch``), a company
name with "&". A name counts as a speaker when it heads at least two blocks or carries a time; a
message runs until the next speaker's name.

Around the words the apps print their own lines: under the name a handle, "·", a date,
"Replying to @…"; anywhere "Like · Reply · 3d", "Seen", "2,318 Views" (``headers.is_chrome_line``).
Those are read as the message's heading, never its text. A time alone on the line straight after
a message's text is when it was sent (Messenger and DM copies print it there); a time set apart by
blank lines, or on the line above a name, heads the next message.
"""
from __future__ import annotations

import re

from .common import ROLE_HINT, heading_shape, SPEAKER_LINE, Line, clean_time, match_heading, rejected_label, role_of, speaker_key
from .headers import (FRAMED_TITLE, GREETING_VALUE, REDDIT_USER, REPLYING_TO, SEPARATOR, TITLE_WORDS, USER_HANDLE, WHEN, is_chrome_line,
                      is_date_line, is_header_line, is_system_line, is_time_line, leading_headers)
from .reading import Message, Reading, line_index
from .social_thread import POST_HEADER
from ..vocabulary import SIGN_OFF_LINE

_WORD = r"(?:[^\W\d_][\w.'’&/-]*|&)"  # "Harbour & Vale Bank": a lone "&" joins a company's name
NAME = rf"(?:{_WORD}(?:[ \t]+{_WORD}){{0,4}}?|\+?\d[\d ]{{6,14}}\d)"
LABEL_ALONE = re.compile(
    rf"^[ \t]*(?P<label>{NAME})(?:[ \t]+\(?(?P<handle>{USER_HANDLE})\)?)?{ROLE_HINT}?"
    rf"(?:[ \t]*[-–|·•,]?[ \t]*(?P<ts>{WHEN}))?[ \t]*:?[ \t]*$", re.IGNORECASE
)
PHONE_ALONE = re.compile(r"^[ \t]*\+?\d[\d ()-]{6,18}\d[ \t]*$")  # the number under a contact's name in an SMS copy
HANDLE_ALONE = re.compile(rf"^[ \t]*{USER_HANDLE}[ \t]*$")
HANDLE_START = re.compile(rf"^[ \t]*{USER_HANDLE}\b")  # a heading line that names a post's @handle
# a social app's user name as its speaker line: one lower-case token, long or with a digit, "_" or
# "." in it ("hollowayandfinch", "jo_m82"); a speaker only when it heads two blocks or more
USER_NAME = re.compile(r"^(?=[a-z0-9._]*[a-z])(?:[a-z][a-z0-9]{7,29}|[a-z0-9]*[0-9._][a-z0-9._]*)$")

YOU_SENT = re.compile(r"^you(?:\s+(?:sent|replied|wrote|said))?$", re.IGNORECASE)  # Messenger's own side


def _key(m: re.Match) -> str:
    label = m.group("label").strip()
    return "you" if YOU_SENT.match(label) else speaker_key(label)


# a heading's fields apart from the name and the time: which way the message went, where it was
# posted ("▸ IN · Sam Reid @sam · 7 Dec, 20:31", "Sam Reid (@sam) · Public · 7 Dec 10:02")
DIRECTION = {"in": "customer", "inbound": "customer", "incoming": "customer", "received": "customer",
             "out": "agent", "outbound": "agent", "outgoing": "agent"}
PLACE = re.compile(r"^(?:public(?:ly)?|private(?:ly)?|direct[ \t]+messages?|dms?|reply|comment|post|tweet|mention|"
                   r"(?:via|on)[ \t]+\w+(?:[ \t]+\w+)?)$", re.IGNORECASE)
SEGMENT_SPLIT = re.compile(r"[ \t]+[·•|][ \t]+|[ \t]*·[ \t]*")
ARROWS = "▸▹►▶◂◃◄◀→←⇢⇠>< \t"


def _fielded_heading(text: str) -> str | None:
    """A heading of fields between "·" (or "•", "|"), as social inboxes and help desks print
    them, reduced to its name and time ("Sam Reid @sam (customer) · 7 Dec, 20:31"): a direction
    field (IN/OUT) becomes the role, a place field (Public, Direct message) is left out, and so
    is anything after the time (who sent it, the template used)."""
    shape = heading_shape(text)  # blank runs cut to two, long lines refused: the split stays linear
    if shape is None:
        return None
    fields = [f.strip(ARROWS) for f in SEGMENT_SPLIT.split(shape)]
    if len(fields) < 3 and not any(f.lower() in DIRECTION for f in fields):
        return None
    name, role, when = None, None, None
    for f in fields:
        if not f:
            continue
        if f.lower() in DIRECTION and role is None and name is None:
            role = DIRECTION[f.lower()]
        elif PLACE.match(f):
            continue
        elif name is None:
            name = f
        elif _time_in(f) is not None:
            when = f
            break
    if name is None or when is None or len(name) > 60:
        return None
    if re.fullmatch(USER_HANDLE, name):
        name = f"{name[1:]} {name}"  # an account known only by its handle: the handle is its name
    return f"{name}{f' ({role})' if role else ''} · {when}"


def _label(text: str):
    reddit = REDDIT_USER.match(text)
    if reddit:  # "u/quietkettle", "Posted by u/quietkettle": a heading by the name's own form
        return match_heading(LABEL_ALONE, reddit.group("user"))
    m = match_heading(LABEL_ALONE, text)
    if m is None and ("·" in text or "•" in text or " | " in text):
        reduced = _fielded_heading(text)
        m = match_heading(LABEL_ALONE, reduced) if reduced else None
    if not m:
        return None
    label = m.group("label").strip()
    if GREETING_VALUE.match(label) or re.search(r"[.?!,]$", label):
        return None
    if YOU_SENT.match(label) or _user_name(m):
        return m
    words = label.split()
    titled = all(w[:1].isupper() or w[:1].isdigit() or w.lower() in ("at", "of", "the", "and", "de", "van", "&") for w in words)
    if not (titled or role_of(label) or m.group("hint") or m.group("ts")):
        return None
    return m


def _user_name(m: re.Match) -> bool:
    label = m.group("label").strip()
    return bool(USER_NAME.match(label)) and not SIGN_OFF_LINE.match(label) and not label.startswith("thank")


def _heading(text: str) -> bool:
    """A line an app prints with a message and nobody wrote: its @handle (alone or with the
    post's date, "@jen_k88 · 12 Mar"), "Replying to @…", "Like · Reply · 3d", "Seen", a date or time."""
    return bool(HANDLE_ALONE.match(text) or POST_HEADER.match(text) or REPLYING_TO.match(text) or is_chrome_line(text)
                or is_time_line(text) or is_date_line(text))


def _time_in(text: str) -> str | None:
    """The clock time in a heading line ("5:51 PM · Dec 7, 2026", "Fri 16:41"), if any."""
    m = re.search(WHEN, text, re.IGNORECASE)
    return clean_time(m.group(0)) if m and re.search(r"\d[:.]\d", m.group(0)) else None


def _nothing_said(message: dict | None) -> bool:
    """A message opened by its name with no words in it yet (kept as a flag: a message with
    thousands of blank lines is not searched again for each line)."""
    return message is not None and not message.get("said")


def _is_clock_line(text: str) -> bool:
    """A time alone, or a day or date with a time ("Fri 16:41", "7 Dec, 09:14")."""
    return is_time_line(text) or (is_date_line(text) and _time_in(text) is not None)


# the counts and sort order a social page prints under a post before its comments
THREAD_CHROME = re.compile(r"\b(?:comments?|shares?|most relevant|all comments|top comments|newest first|reposts?)\b",
                           re.IGNORECASE)
RANK_LINES = 3
RANK_TITLE = re.compile(r"^[ \t]*[A-Z][\w'’&-]*(?:[ \t]+[A-Z][\w'’&-]*){0,4}(?:[ \t]+\([^()\n]{1,30}\))?[ \t]*$")


def _rank_lines(lines: list[Line], label: int) -> int | None:
    """Forums print the author's rank or team and post count between the name and the date
    ("Community Team (Staff)", "Member · Posts: 38"): when a date or time comes within
    ``RANK_LINES`` short lines under the name, its index, else None."""
    for j in range(label + 1, min(len(lines), label + 2 + RANK_LINES)):
        t = lines[j].text
        if not t.strip():
            return None
        if j > label + 1 and (is_date_line(t) or is_time_line(t)):
            return j
        if not (is_header_line(t) or RANK_TITLE.match(t)):
            return None
    return None


def _footer_follows(lines: list[Line], i: int) -> bool:
    """After a separator line, only an export's field lines to the end ("Status: Closed · Reason: …")."""
    rest: list[str] = []
    for ln in lines[i + 1:]:
        if ln.text.strip():
            rest.append(ln.text)
            if len(rest) > 6:
                return False  # more than a footer: stop looking (a run of separators stays linear)
    return bool(rest) and all(is_header_line(t) for t in rest)


def _score_over_buttons(lines: list[Line], i: int) -> bool:
    """A bare number straight over the app's buttons ("88" over "Reply"): a post's votes or likes,
    not an answer (a number a customer sends is not followed by the buttons)."""
    nxt = lines[i + 1].text if i + 1 < len(lines) else ""
    return bool(re.fullmatch(r"[ \t]*[-+−]?\d[\d.,]*[kKmM]?[ \t]*", lines[i].text)) and bool(nxt.strip()) and is_chrome_line(nxt) \
        and bool(re.search(r"[A-Za-z]", nxt))


def _title_between_blanks(lines: list[Line], i: int) -> bool:
    """"--- Messages ---", or a short title such as "Messages" alone between blank lines, where a
    public thread carries on in direct messages."""
    t = lines[i].text
    if FRAMED_TITLE.match(t):
        return True
    before = lines[i - 1].text if i > 0 else ""
    after = lines[i + 1].text if i + 1 < len(lines) else ""
    return (not before.strip() and not after.strip() and len(t.split()) <= 3 and bool(TITLE_WORDS.search(t))
            and is_header_line(t))


def read(text: str, lines: list[Line]) -> Reading | None:
    headers = leading_headers(lines)
    cands: dict[int, re.Match] = {}
    timed: set[int] = set()
    counts: dict[str, int] = {}
    for i, line in enumerate(lines):
        if not line.text.strip() or is_system_line(line.text) or is_time_line(line.text) or is_chrome_line(line.text):
            continue  # "Seen" over the next message's time is the app's, not a speaker's name
        nxt = next((ln.text for ln in lines[i + 1:i + 2]), "")
        if not nxt.strip():
            continue  # a name heads a message, so something follows it directly
        m = _label(line.text)
        if m is None or (i > 0 and SIGN_OFF_LINE.match(lines[i - 1].text)):
            continue  # a name under "Thanks," or "Kind regards" signs a message off
        cands[i] = m
        if is_time_line(nxt) or (i > 0 and is_time_line(lines[i - 1].text)) or POST_HEADER.match(nxt):
            # the time on the line below the name, or above it (Messenger and phone copies), or
            # the post's @handle and date below it (an X copy): a message's heading, however
            # few times the name occurs
            timed.add(i)
        key = _key(m)
        counts[key] = counts.get(key, 0) + 1

    ranks: dict[int, int] = {}  # a forum post's name line -> the date line under its rank lines
    ranked_to = -1
    for i in sorted(cands):
        if i <= ranked_to:
            m = cands.pop(i)  # a forum's "Community Team (Staff)" under the author's name: a rank, not a speaker
            counts[_key(m)] -= 1
            continue
        rank = _rank_lines(lines, i)
        following = next((j for j in range(rank + 1, len(lines)) if lines[j].text.strip()), None) if rank else None
        if rank and following is not None and following not in cands:
            ranks[i] = rank  # the post's words follow the date; a one-line message ("Gemma Lowry") does not
            timed.add(i)
            ranked_to = rank

    def accepted(i: int, m: re.Match) -> bool:
        key = _key(m)
        if REDDIT_USER.match(m.group("label")):
            return True  # a name in Reddit's own form heads a comment however often it occurs
        if _user_name(m):
            return counts[key] >= 2
        return counts[key] >= 2 or i in timed or bool(m.group("ts") or m.group("hint") or m.group("handle") or role_of(key))

    accepted_keys = {_key(m) for i, m in cands.items() if accepted(i, m)}
    if not accepted_keys:
        return None
    first = min(i for i, m in cands.items() if _key(m) in accepted_keys)
    headers = {i for i in headers if i < first}  # "Sam · 10:02" heads a message, however title-like
    messages: list[dict] = []
    # each accepted speaker's name as its headings show it (the last, where they differ in case)
    shown = {speaker_key(m.group("label")): m.group("label").strip() for i, m in sorted(cands.items())
             if _key(m) in accepted_keys and _key(m) != "you"}
    meta: set[int] = set(headers)
    current: dict | None = None
    in_heading = False  # straight under a name: its handle, "·", date, time, "Replying to"
    loose_time: str | None = None  # a time set apart by blank lines: it heads the next message
    skip_to = -1

    def starts_message(j: int) -> bool:
        m = cands.get(j)
        return m is not None and _key(m) in accepted_keys

    def _last_before_next(j: int) -> bool:
        """Nothing but blank lines between line j and the next message (or the end)."""
        following = next((k for k in range(j + 1, len(lines)) if lines[k].text.strip()), None)
        return following is None or starts_message(following) or (following + 1 < len(lines) and starts_message(following + 1)
                                                                   and _is_clock_line(lines[following].text))

    def _header_time_above(j: int) -> str | None:
        """The time closing the header block straight above the first message ("MON 14:12")."""
        p = next((k for k in range(j - 1, -1, -1) if lines[k].text.strip()), None)
        return _time_in(lines[p].text) if p is not None and p in headers and _is_clock_line(lines[p].text) else None

    for i, line in enumerate(lines):
        if i in headers:
            continue
        t = line.text
        if starts_message(i):
            m = cands[i]
            above = lines[i - 1].text if i > 0 else ""
            # Messenger and Instagram copies print the time on the line above the name
            time = (clean_time(m.group("ts")) or (clean_time(above) if above.strip() and is_time_line(above) else None)
                    or loose_time or _header_time_above(i))
            current = {"speaker": "You" if _key(m) == "you" else m.group("label").strip(),
                       "hint": m.group("hint") or m.group("handle"), "time": time,
                       "line_number": i + 1, "lines": [], "system": False}
            messages.append(current)
            meta.add(i)
            in_heading, loose_time = True, None
            rank = ranks.get(i)
            if rank:
                meta.update(range(i + 1, rank + 1))  # "Community Team (Staff)", "Member · Posts: 38", then the date
                current["time"] = current["time"] or _time_in(lines[rank].text)
                skip_to = rank
            continue
        if i <= skip_to:
            continue
        if not t.strip():
            if current is not None:
                current["lines"].append(line)
            continue
        only_words = _nothing_said(current) and _last_before_next(i)  # "Shannon Kelly" over "08/07/1995": her answer
        if in_heading and _heading(t) and not only_words:
            meta.add(i)
            if is_time_line(t) or is_date_line(t) or is_chrome_line(t):
                current["time"] = current["time"] or _time_in(t)
            elif HANDLE_ALONE.match(t):
                current["hint"] = current["hint"] or t.strip()
            continue
        in_heading = False
        if is_system_line(t):
            messages.append({"speaker": "System", "hint": None, "time": None, "line_number": i + 1,
                             "lines": [line], "system": True})
            current = None
            continue
        after_text = current is not None and bool(lines[i - 1].text.strip()) and (i - 1) not in meta
        if _is_clock_line(t) and after_text and not starts_message(i + 1):
            meta.add(i)  # the time printed under a message's text: when it was sent
            current["time"] = current["time"] or clean_time(t)
            continue
        if _is_clock_line(t) and starts_message(i + 1):
            meta.add(i)  # the time over the next message's name ("Today 09:51" over "harboursidebank")
            continue
        if is_chrome_line(t) or (not after_text and not only_words and (is_date_line(t) or is_time_line(t))) \
                or _score_over_buttons(lines, i):
            meta.add(i)
            if current is not None and len(messages) == 1 and THREAD_CHROME.search(t):
                current["post"] = True  # the page's own post, with its reactions and comments under it
            if not after_text and _is_clock_line(t):
                loose_time = _time_in(t)
            continue
        if SEPARATOR.match(t) and _footer_follows(lines, i):
            meta.update(range(i, len(lines)))  # "────" then "Status: Closed by kr · 23:38": the export's footer
            break
        if (current is None and is_header_line(t)) or (current is not None and _title_between_blanks(lines, i)):
            meta.add(i)
            continue
        said = SPEAKER_LINE.match(t)
        if said and speaker_key(said.group("label")) in shown and not rejected_label(said):
            # the thread carried on in direct messages, one line a message by its own authors
            # ("--- Direct Messages ---", then "14:20 Hannah Price: hi, it's about…")
            start = said.start("msg")
            current = {"speaker": shown[speaker_key(said.group("label"))], "hint": None,
                       "time": clean_time(said.group("ts1") or said.group("ts2")), "line_number": i + 1,
                       "lines": [Line(t[start:], line.start + start)], "system": False, "said": True}
            messages.append(current)
            continue
        if current is not None:
            current["lines"].append(line)
            current["said"] = True
            loose_time = None
    first_said = next((m for m in messages if not m["system"]), None)
    if first_said is not None and first_said is messages[0]:
        said = [ln for ln in first_said["lines"] if ln.text.strip()]
        if said and all(is_header_line(ln.text) or is_chrome_line(ln.text) or PHONE_ALONE.match(ln.text) for ln in said) \
                and len(messages) > 2:
            # a profile name over the app's title at the top of a copy ("hollowayandfinch" over
            # "Holloway & Finch · Instagram", "Swiftdrop" over its number and "Text Message · SMS"):
            # a heading, not a message
            index = line_index(lines)
            meta.update(index(ln.start) for ln in said)
            meta.add(first_said["line_number"] - 1)
            messages.remove(first_said)
    speaking = [m for m in messages if not m["system"] and any(ln.text.strip() for ln in m["lines"])]
    if not speaking:
        return None
    return Reading(
        family=_family(messages, ranks, any(HANDLE_START.match(lines[j].text) for j in meta)), channel="chat", meta=frozenset(meta), prior=0.01,
        messages=tuple(Message(speaker=m["speaker"], lines=tuple(m["lines"]), time=m["time"], hint=m["hint"],
                               system=m["system"], line_number=m["line_number"], opening_post=bool(m.get("post")))
                       for m in messages),
    )


def _family(messages: list[dict], ranks: dict[int, int], handles: bool) -> str:
    """A forum's posts (a rank under each author's name) are a "forum thread"; a page's post with
    comments under it, or posts headed by @handles, a "social thread"; else a "block
    chat". Forums and social threads are answered post by post, not live: a rule for live chat
    can leave them out (``skip_formats``)."""
    if ranks:
        return "forum thread"
    if handles or any(m.get("post") for m in messages) or any(str(m.get("hint") or "").startswith("@") for m in messages):
        return "social thread"
    return "block chat"
