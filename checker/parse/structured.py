"""JSON exports: ``{"channel": …, "messages": [{"role", "text", "time"}]}`` and the shapes chat tools
export: ``author``/``body``, ``sender``/``content``, ``from``/``message``, a bare list of messages.

When messages carry names but no role, who the learner is comes from the same evidence as for
pasted chats. Numbers and nesting are bounded: a 5000-digit integer, ``NaN`` or a document nested
thousands deep is one clear ``InputError``, never a traceback. Source text is a rendering,
``Speaker: text`` per message, and offsets index it.
"""
from __future__ import annotations

import json
import math
import re

from ..errors import InputError, SpeakerError
from ..model import Conversation, Turn
from ..vocabulary import LEADING_HANDLES
from .common import Line, is_machine_text, role_of, speaker_key, to_seconds
from .decode import normalise_text, replace_unencodable
from .reading import Message
from .roles import assign_chat_roles, no_agent_message

MAX_DEPTH = 20
MAX_DIGITS = 30
LIST_KEYS = ("messages", "transcript", "conversation", "turns", "chat", "items", "entries", "history", "posts", "tweets",
             "comments", "replies", "thread")
# a social export's list of who took part: each entry maps a user name or handle to the name shown
PARTICIPANT_KEYS = ("participants", "users", "people", "members", "authors")
USER_NAME_KEYS = ("screen_name", "username", "user_name", "handle")  # a social account's name, "SkyvaleHelp"
HANDLE_KEYS = USER_NAME_KEYS + ("user_id", "id")  # what a participant is known by in the posts
TEXT_KEYS = ("text", "body", "content", "message", "msg", "value")
SPEAKER_KEYS = ("speaker", "sender_name", "name", "author", "sender", "from", "user", "display_name",
                "participant") + USER_NAME_KEYS + ("author_id", "sender_id", "user_id")
TIME_KEYS = ("time", "timestamp", "timestamp_ms", "created_at", "sent_at", "date")
ROLE_KEYS = ("role", "type", "sender_type", "author_type", "sender_role", "speaker_role", "direction")
# a message's side as a yes/no field -> (the side when yes, the side when no): X's ``inbound``
# is true on a post to the company, so it is the customer's
ROLE_FLAGS = {"inbound": ("customer", "agent"), "outbound": ("agent", "customer"),
              "is_agent": ("agent", "customer"), "from_agent": ("agent", "customer"),
              "is_customer": ("customer", "agent"), "from_customer": ("customer", "agent")}
_YES = {"true", "yes", "y", "1", "t"}
_NO = {"false", "no", "n", "0", "f"}
SHAPE = 'JSON must be {"channel": "chat", "messages": [{"role": …, "text": …}]} (or "author"/"body", "sender"/"content")'


class _Bad(ValueError):
    pass


def _int(s: str) -> int:
    if len(s.lstrip("-")) > MAX_DIGITS:
        raise _Bad(f"a number with {len(s.lstrip('-'))} digits (at most {MAX_DIGITS})")
    return int(s)


def _float(s: str) -> float:
    value = float(s)
    if not math.isfinite(value):
        raise _Bad(f"the number {s[:20]} is out of range")
    return value


def _constant(s: str):
    raise _Bad(f"{s} is not a number JSON allows")


def load(text: str, src: str):
    """``json.loads`` with bounded numbers and depth."""
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", source=src, line=exc.lineno) from None
    except _Bad as exc:
        raise InputError(f"invalid JSON: {exc}", source=src) from None
    except RecursionError:
        raise InputError(f"invalid JSON: nested too deeply (at most {MAX_DEPTH} levels)", source=src) from None
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(f"invalid JSON: nested too deeply (at most {MAX_DEPTH} levels)", source=src)
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return data


def _first(item: dict, keys: tuple[str, ...]):
    for key in keys:
        if key in item and item[key] not in (None, ""):
            return item[key]
    return None


def infer_text_key(items: list) -> str | None:
    """The field that holds a message's words when no field is named for it ("utterance",
    "turn_text", "said"): the string field, present in most of the messages, with the most words
    per message, two or more on average."""
    objects = [i for i in items if isinstance(i, dict)]
    words: dict[str, list[int]] = {}
    for item in objects:
        for key, value in item.items():
            if isinstance(value, str):
                words.setdefault(key, []).append(len(value.split()))
    best, best_mean = None, 2.0
    for key, counts in words.items():
        if 2 * len(counts) < len(objects):
            continue
        mean = sum(counts) / len(objects)
        if mean >= best_mean:
            best, best_mean = key, mean
    return best


_NOT_A_SPEAKER_FIELD = re.compile(r"id$|_id|time|date|stamp|^turn|^index|^seq|^n$|^no$|^#", re.IGNORECASE)


def infer_speaker_key(items: list, text_key: str | None) -> str | None:
    """The field that says who wrote each message when no field is named for it ("party",
    "who", "participant"): a short string in every message, with two or more values that repeat
    (a turn number or a time never repeats like that)."""
    objects = [i for i in items if isinstance(i, dict)]
    if len(objects) < 2:
        return None
    keys = [k for k in objects[0] if k != text_key and not _NOT_A_SPEAKER_FIELD.search(str(k))]
    best, best_distinct = None, None
    for key in keys:
        values = [i.get(key) for i in objects]
        if not all(isinstance(v, str) and v.strip() and len(v) <= 60 and len(v.split()) <= 6 for v in values):
            continue
        distinct = len({" ".join(v.lower().split()) for v in values})
        if 2 <= distinct < len(objects) and distinct <= max(2, len(objects) // 2):
            if best_distinct is None or distinct < best_distinct:
                best, best_distinct = key, distinct
    return best


CHAT_CHANNELS = re.compile(r"chat|sms|text|whats ?app|messenger|social|twitter|facebook|instagram|dm|in[ _-]?app|message",
                           re.IGNORECASE)
# a channel or platform that posts publicly, answered post by post rather than live
SOCIAL_CHANNELS = re.compile(r"social|twitter|^x$|facebook|instagram|threads|bluesky|mastodon|tiktok|linkedin|forum",
                             re.IGNORECASE)
PLATFORM_KEYS = ("channel", "platform", "network", "source")


def _social(data: dict, bodies: list[str]) -> bool:
    """The export is a social thread: its channel or platform is a social network, or most of its
    posts start with the @handle they answer (X's own export has no channel)."""
    if any(isinstance(data.get(k), str) and SOCIAL_CHANNELS.search(data[k]) for k in PLATFORM_KEYS):
        return True
    addressed = sum(1 for b in bodies if LEADING_HANDLES.match(b))
    return len(bodies) >= 2 and 2 * addressed >= len(bodies)


def _channel(value) -> object:
    """The export's channel in our two words: an email-like name is email, a chat-like one
    ("web_chat", "livechat", "sms", "whatsapp") is chat; anything else is returned as given."""
    if not isinstance(value, str):
        return value
    if value in ("chat", "email"):
        return value
    if re.search(r"e-?mail|letter", value, re.IGNORECASE):
        return "email"
    return "chat" if CHAT_CHANNELS.search(value) else value


NOTE_KEYS = ("notes", "agent_notes", "crm_notes", "case_notes", "wrap_up_notes", "wrapup_notes", "summary_notes")
WRAP_UP_KEYS = ("wrap_up", "wrapup", "after_call_work", "acw", "disposition_notes", "case")


def _notes_of(data: dict) -> str | None:
    """The agent's notes: a ``notes`` (or ``agent_notes``, ``crm_notes``…) string at the top, or
    inside a wrap-up object (``"wrap_up": {"agent_notes": …}``)."""
    for key in NOTE_KEYS:
        if isinstance(data.get(key), str) and data[key].strip():
            return data[key]
    for key in WRAP_UP_KEYS:
        inner = data.get(key)
        if isinstance(inner, dict):
            for note_key in NOTE_KEYS:
                if isinstance(inner.get(note_key), str) and inner[note_key].strip():
                    return inner[note_key]
    return None


def _epoch_seconds(item) -> float | None:
    """A message's time as seconds since 1970 when the export gives it as a number (Messenger's
    ``timestamp_ms``, a Unix ``timestamp``), else None."""
    if not isinstance(item, dict):
        return None
    for key in TIME_KEYS:
        value = item.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            seconds = value / 1000 if key.endswith("_ms") or value > 1e11 else value
            return float(seconds) if 1e8 < seconds < 4e9 else None
    return None


def _time_of(item: dict) -> str | None:
    """The message's time as text: a Unix time as ``YYYY-MM-DD HH:MM:SS`` (UTC), any other as given."""
    seconds = _epoch_seconds(item)
    if seconds is not None:
        import datetime as dt

        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    value = next((item[k] for k in TIME_KEYS if item.get(k) not in (None, "")), None)
    return str(value) if value is not None else None


def _message_list(data: dict) -> list | None:
    """Under a key no list names: the longest top-level list whose entries are objects with a
    message's text, when there is one; failing that, the longest whose entries have a field that
    reads like a message's text (``infer_text_key``)."""
    objects = [v for v in data.values() if isinstance(v, list) and v and all(isinstance(i, dict) for i in v)]
    named = [v for v in objects if sum(1 for i in v if isinstance(_first(i, TEXT_KEYS), str)) >= max(1, len(v) // 2)]
    lists = named or [v for v in objects if infer_text_key(v) is not None]
    return max(lists, key=len) if lists else None


def _display_names(data: dict) -> dict[str, str]:
    """User name or handle (lower case, no "@") -> the name shown, from a ``participants`` list."""
    shown: dict[str, str] = {}
    for key in PARTICIPANT_KEYS:
        people = data.get(key)
        if not isinstance(people, list):
            continue
        for person in people:
            if not isinstance(person, dict):
                continue
            name = _first(person, ("display_name", "name", "full_name"))
            if not isinstance(name, str) or not name.strip():
                continue
            for handle_key in HANDLE_KEYS:
                handle = person.get(handle_key)
                if isinstance(handle, (str, int)) and not isinstance(handle, bool) and str(handle).strip():
                    shown.setdefault(str(handle).lstrip("@").lower(), " ".join(name.split()))
    return shown


def _handle_of(item: dict) -> str | None:
    """The message's user name or handle when its speaker is shown by another name (``--agent`` may name either)."""
    handle = _first(item, USER_NAME_KEYS)
    return "@" + handle.lstrip("@") if isinstance(handle, str) and handle.strip() else None


_STAMP_FORMATS = ("%a %b %d %H:%M:%S %z %Y",)  # X's own: "Tue Oct 31 09:12:04 +0000 2017"


def _moment(item) -> float | None:
    """The message's time as seconds since 1970 when it is a whole date and time (a Unix time,
    ISO 8601, X's own format), else None (a clock time alone cannot order a thread)."""
    seconds = _epoch_seconds(item)
    if seconds is not None or not isinstance(item, dict):
        return seconds
    import datetime as dt

    value = next((item[k] for k in TIME_KEYS if isinstance(item.get(k), str) and item[k].strip()), None)
    if value is None:
        return None
    value = value.strip()
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        stamp = None
        for fmt in _STAMP_FORMATS:
            try:
                stamp = dt.datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if stamp is None or (stamp.hour == stamp.minute == stamp.second == 0 and len(value) <= 10):
        return None  # a date alone
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.timestamp()


def _out_of_order(times: list[float | None]) -> bool:
    """Every message has a whole date and time (``_moment``) and they do not run oldest first:
    Facebook's and Instagram's own exports run newest first, a social tool's CSV as it was sorted."""
    return len(times) > 1 and all(t is not None for t in times) and any(a > b for a, b in zip(times, times[1:]))


def _flagged_role(item: dict) -> str | None:
    """The side a yes/no field gives (``"inbound": true``, or "False" in a table's cell)."""
    for key, (yes, no) in ROLE_FLAGS.items():
        value = item.get(key)
        if isinstance(value, bool):
            return yes if value else no
        if isinstance(value, (str, int)):
            word = str(value).strip().lower()
            if word in _YES:
                return yes
            if word in _NO:
                return no
    return None


def _fields(messages: list) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The keys that hold each message's text and its writer: the names exports use, else the
    fields that read like them (``infer_text_key``, ``infer_speaker_key``)."""
    objects = [m for m in messages if isinstance(m, dict)]
    text_keys = TEXT_KEYS
    if objects and not any(isinstance(_first(m, TEXT_KEYS), str) for m in objects):
        inferred = infer_text_key(objects)
        text_keys = (inferred,) if inferred else TEXT_KEYS
    speaker_keys = SPEAKER_KEYS
    named_side = any(_first(m, SPEAKER_KEYS) is not None or _first(m, ROLE_KEYS) is not None
                     or any(k in m for k in ROLE_FLAGS) for m in objects)
    if objects and not named_side:
        inferred = infer_speaker_key(objects, text_keys[0] if len(text_keys) == 1 else None)
        speaker_keys = (inferred,) if inferred else SPEAKER_KEYS
    return text_keys, speaker_keys


def parse_json(text: str, channel: str, agent: str | None, src: str) -> Conversation:
    data = load(text, src)
    if isinstance(data, list):
        data = {"messages": data}
    if not isinstance(data, dict):
        raise InputError(SHAPE, source=src)
    return parse_messages(data, channel, agent, src, "JSON")


def parse_messages(data: dict, channel: str, agent: str | None, src: str, format_name: str) -> Conversation:
    """A conversation from ``data``, an export's object holding a list of message objects (a JSON
    export, or a table's rows as objects): the source text is a rendering, ``Speaker: text`` per
    message, and offsets index it."""
    messages = next((data[k] for k in LIST_KEYS if isinstance(data.get(k), list)), None)
    if messages is None:
        messages = _message_list(data)
    if messages is None:
        raise InputError(SHAPE, source=src)
    shown = _display_names(data)
    if not messages:
        raise InputError("the JSON has no messages", source=src)
    ch = _channel(data.get("channel", "chat")) if channel == "auto" else channel
    if ch not in ("chat", "email"):
        raise InputError(f"unknown channel {ch!r} in the {format_name}: use chat or email", source=src)
    warnings: list[str] = []
    times = [_moment(m) for m in messages]
    if _out_of_order(times):
        if all(a >= b for a, b in zip(times, times[1:])):
            messages = list(reversed(messages))
            warnings.append("the export lists its messages newest first; they were read oldest first, by their times")
        else:
            messages = [m for _, m in sorted(zip(times, messages), key=lambda pair: pair[0])]
            warnings.append("the export does not list its messages in time order; they were read in the order of their times")
    text_keys, speaker_keys = _fields(messages)
    parts: list[str] = []
    rows: list[tuple[str, str | None, str, int, int, dict]] = []  # speaker, stated role, body, start, end, item
    pos = 0
    for k, item in enumerate(messages, start=1):
        if not isinstance(item, dict):
            raise InputError(f"message {k} is not an object", source=src)
        body = _first(item, text_keys)
        if not isinstance(body, str) or not body.strip():
            raise InputError(f"message {k} has no 'text' (or 'body', 'content', 'message')", source=src)
        who = _first(item, speaker_keys)
        raw_role = _first(item, ROLE_KEYS)
        if isinstance(who, dict):  # "author": {"name": …, "role": …}
            raw_role = raw_role or who.get("role") or who.get("type")
            who = who.get("name") or who.get("display_name")
        raw_role = raw_role or _flagged_role(item)
        raw_role = str(raw_role or "").strip()
        stated = role_of(raw_role) or {"outbound": "agent", "inbound": "customer"}.get(raw_role.lower())
        if is_machine_text(body):
            stated = "system"  # "[QUERY] restaurant=…", "__SILENCE__": a tool's line in a dialogue log
        if isinstance(who, str) and who.lstrip("@").lower() in shown:
            who = shown[who.lstrip("@").lower()]  # "SkyvaleHelp" is shown as "Skyvale Airways Support"
        speaker = str(who or raw_role.capitalize() or "Unknown")
        if raw_role and stated is None and not who:
            raise InputError(f"message {k} has role {raw_role!r}: use agent, customer or system", source=src)
        body = normalise_text(body).strip()
        speaker = " ".join(speaker.split())
        label = f"{speaker}: "
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(label + body)
        start = pos + len(label)
        pos += len(label) + len(body)
        rows.append((speaker, stated, body, start, pos, item))
    source, bad = replace_unencodable("".join(parts))
    warnings.extend(bad)
    candidates = [Message(speaker=sp, lines=(Line(source[s:e], s),), role=stated, system=stated == "system",
                          hint=_handle_of(item))
                  for sp, stated, _, s, e, item in rows]
    roles_by_key: dict[str, str] = {}
    if agent or any(r[1] is None for r in rows):
        try:
            roles_by_key, note = assign_chat_roles(candidates, agent, src)
        except SpeakerError:
            if not all(r[1] for r in rows):
                raise
            note = None  # "agent" names nobody here, but every message states its role
        if note:
            warnings.append(note)
    turns: list[Turn] = []
    for (speaker, stated, _, start, end, item), msg in zip(rows, candidates):
        role = "system" if msg.system else roles_by_key.get(speaker_key(speaker)) or stated
        time = _time_of(item)
        subject = item.get("subject")
        turns.append(Turn(index=len(turns), role=role, speaker=speaker, text=source[start:end], start=start, end=end,
                          time=time, seconds=to_seconds(time) if time else None,
                          subject=replace_unencodable(subject)[0] if isinstance(subject, str) else None))
    if not any(t.role == "agent" for t in turns):
        names = tuple(dict.fromkeys(t.speaker for t in turns))
        raise SpeakerError(no_agent_message(names), names, source=src)
    if ch == "chat" and not any(t.role == "customer" for t in turns):
        warnings.append("only the agent's side of the chat was found; the customer's messages are missing, "
                        "so criteria that respond to the customer cannot be judged fully")
    counts: dict[str, int] = {}
    for t in turns:
        if t.role == "agent":
            counts[t.speaker] = counts.get(t.speaker, 0) + len(t.text)
    agent_name = max(counts, key=lambda s: counts[s])
    notes = _notes_of(data)
    if _social(data, [body for _, _, body, _, _, _ in rows]):
        format_name = "social thread"
    return Conversation(channel=ch, turns=tuple(turns), source=source, id=src, agent=agent_name,
                        speakers=tuple(dict.fromkeys(t.speaker for t in turns if t.role != "system")),
                        warnings=tuple(warnings), meta={k: v for k, v in data.items() if k not in LIST_KEYS + NOTE_KEYS},
                        notes=replace_unencodable(notes)[0] if notes else None, format=format_name)
