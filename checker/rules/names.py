"""Who the customer is: names the agent could address them by, when the transcript shows them."""
from __future__ import annotations

import re

from ..model import Conversation
from ..vocabulary import STARTS_WITH_SIGN_OFF, without_addressing
from ..parse import AGENT_ROLE_WORDS, CUSTOMER_ROLE_WORDS, SYSTEM_ROLE_WORDS

# beside the parsers' role words: the labels review sites and app stores put over a business's
# reply ("Response from the owner", "Developer Response"), and words that open a description,
# never a name ("The owner", "Our team")
_ROLEISH = AGENT_ROLE_WORDS | CUSTOMER_ROLE_WORDS | SYSTEM_ROLE_WORDS | {
    "unknown", "customers", "team", "services", "response", "reply", "owner", "developer", "moderator", "admin", "reviewer",
    "the", "a", "an", "our", "your"}
_NAME = r"[A-Z][a-z'’-]+"
_SELF_INTRO = re.compile(rf"\b(?i:my\s+name\s+is|my\s+name's|name\s*:|this\s+is|it's|it’s|it\s+is|i\s+am|i'm|i’m)\s+({_NAME}(?:\s+{_NAME})?)\b(?!\s+(?:and|from))")
# "Ruth Adebayo, 22/09/1979, M20 4LP": a name given as the first security answer
_NAME_FIRST = re.compile(rf"^\s*({_NAME}\s+{_NAME})\s*,\s*(?=[^,\n]*\d)")
TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr")
# a message that is only a name ("Jordan Reid"), as when answering "the name on the account?"
_BARE_NAME = re.compile(rf"^\s*({_NAME}(?:\s+{_NAME}){{1,2}})\s*\.?\s*$")
_NOT_NAMES = {"thanks", "thank", "hi", "hello", "hey", "ok", "okay", "yes", "no", "yeah", "cheers", "bye", "great",
              "lovely", "perfect", "brilliant", "sure", "fine", "good", "morning", "evening", "afternoon", "many", "all",
              "it's", "it’s", "its", "i'm", "i’m", "this", "that", "my", "name", "please", "sorry"}


def customer_names(conversation: Conversation) -> tuple[str, ...]:
    names: list[str] = []
    for turn in conversation.turns:
        if turn.role != "customer":
            continue
        speaker = re.sub(r"<[^>]*>", "", turn.speaker).strip()
        if "@" not in speaker and speaker.lower() not in _ROLEISH:
            names.extend(w for w in re.findall(_NAME, speaker) if w.lower() not in _ROLEISH)
        bare = _BARE_NAME.match(turn.text)
        if bare and bare.group(1).split()[0].lower() not in _NOT_NAMES:
            names.extend(bare.group(1).split())
        m0 = _NAME_FIRST.match(turn.text)
        if m0:
            names.extend(m0.group(1).split())
        for m in _SELF_INTRO.finditer(turn.text):
            candidate = m.group(1)
            if candidate.split()[0].lower() not in {"i", "the", "a", "my", "not", "just", "still", "really", "very", "so"}:
                names.extend(candidate.split())
        if conversation.channel == "email":
            lines = [ln.strip() for ln in turn.text.split("\n") if ln.strip()]
            if lines and re.fullmatch(rf"{_NAME}(?:\s+{_NAME}){{0,2}}", lines[-1]) and not STARTS_WITH_SIGN_OFF.match(lines[-1]):
                names.extend(lines[-1].split())
    seen = dict.fromkeys(n for n in names if len(n) > 1 and n.lower() not in _ROLEISH)
    return tuple(seen)


def uses_name(text: str, names: tuple[str, ...]) -> re.Match | None:
    """The first place ``text`` addresses the customer by a first name or title + surname."""
    for name in names:
        m = re.search(rf"(?<![\w-])(?:(?:{'|'.join(TITLES)})\.?\s+)?{re.escape(name)}(?![\w-])", text)
        if m:
            return m
    return None


# "Harrow Card Customer Services": a team or company, not the learner's own name
_ORGANISATION = re.compile(r"\b(?:team|services?|support|department|customers?|care|desk|centre|center|helpline|"
                           r"office|ltd|limited|plc|group|society|bank|council)\b", re.I)
_TITLE_OR_ROLE = re.compile(r"\((?:[^)]*)\)|<[^>]*>|\[[^]]*\]")


def agent_name(conversation: Conversation) -> str | None:
    """The learner's first name as the transcript shows it, or None when the speaker label is a
    role word ("Agent", "Rep", "Support") or an address.

    Email: the name in the learner's ``From:`` header, else the name under the sign-off. A name the
    learner introduces themself by ("I'm Priti") wins over a label that is not it (a brand's
    account, "Fibrelane", over a social reply).
    """
    introduced = _introduced_name(conversation)
    if introduced:
        return introduced
    speaker = _TITLE_OR_ROLE.sub("", conversation.agent or "").strip().strip('"')
    words = re.findall(_NAME, speaker)
    if words and "@" not in speaker and words[0].lower() not in _ROLEISH and words[0].lower() not in _NOT_NAMES \
            and not _ORGANISATION.search(speaker):
        return words[0]
    if conversation.channel == "email":
        agent_turns = [t for t in conversation.turns if t.role == "agent"]
        if agent_turns:
            lines = [ln.strip() for ln in agent_turns[-1].text.split("\n") if ln.strip()]
            for i, line in enumerate(lines[:-1]):
                if STARTS_WITH_SIGN_OFF.match(line) and re.fullmatch(rf"{_NAME}(?:\s+{_NAME}){{0,2}}", lines[i + 1]):
                    first = lines[i + 1].split()[0]
                    if first.lower() not in _ROLEISH and not _ORGANISATION.search(lines[i + 1]):
                        return first
    return None


# "I'm Priti from the Fibrelane team", "my name is Sam", "you're through to Sam"
_LEARNER_INTRO = re.compile(rf"\b(?i:my\s+name\s+is|my\s+name's|this\s+is|it's|it’s|i'm|i’m|i\s+am|you're\s+through\s+to|"
                            rf"you\s+are\s+through\s+to|you're\s+speaking\s+(?:to|with))\s+({_NAME})\b")


def _introduced_name(conversation: Conversation) -> str | None:
    """The first name the learner gives themself in their first two messages ("I'm Priti from
    Fibrelane", "my name is Sam"), or None."""
    for turn in conversation.learner_turns[:2]:
        for m in _LEARNER_INTRO.finditer(turn.text):
            first = m.group(1).split()[0]
            if first.lower() not in _ROLEISH and first.lower() not in _NOT_NAMES and not _ORGANISATION.search(m.group(1)):
                return first
    return None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def problem_sentence(text: str, limit: int = 50) -> str:
    """The customer's longest sentence (most words) in ``text``, shortened to ``limit`` characters
    at a word boundary: their own account of the problem, to name back to them."""
    # their words, not the @handle a post is addressed to ("@KestrelFibre my broadband is down")
    sentences = [without_addressing(s.strip()) for s in _SENTENCE_END.split(text) if s and s.strip()]
    if not sentences:
        return ""
    best = max(sentences, key=lambda s: (len(s.split()), -sentences.index(s)))
    best = " ".join(best.split()).rstrip(" ,;:")
    if len(best) > limit:
        cut = best[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")
        best = cut + "…"
    return best
