"""Who the learner is: role words, the user's choice, or what each speaker writes."""
from __future__ import annotations

import re

from ..errors import SpeakerError
from ..vocabulary import HANDOVER_LINE
from .common import role_of, speaker_key
from .reading import Message

AGENT_CUES = re.compile(
    r"\b(?:this is|it's|it is|i'm|i am) \w+ (?:at|from|with|in|on)\b|\bspeaking\b|you're through to|"
    r"(?:could|can|may) (?:i|you) (?:take|have|confirm|give me|send me|tell me|provide)\b|please (?:confirm|provide|send)\b"
    r"|\b(?:account|member|booking|order|policy|reference|customer) (?:number|reference)\b|date of birth|postcode"
    r"|\bwe (?:will never|never|can|can't|don't|do not|have|'ve|'ll|are)\b|\bour (?:policy|system|records|team|terms|website|app)\b"
    r"|\bsorry (?:about that|for the|to hear|you've|you have|your)\b"
    r"|i(?:'ve| have) (?:unlocked|requested|refunded|updated|added|cancelled|changed|submitted|put|passed|credited|applied|issued)"
    r"|(?:have|enjoy) a (?:good|great|lovely|nice)\b|anything else i can|glad (?:i|we) could|you're welcome|"
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


# a speaker who says it is a bot: "I'm Nora, Northgate's virtual assistant", "I'm the Oakhaven
# Assistant", "I'm an automated assistant", "this is the Acme chatbot"
BOT_INTRODUCTION = re.compile(
    r"\b(?i:i'm|i’m|i am|this is|you're chatting (?:to|with))\s+(?:[A-Z]\w+,\s+)?(?:the\s+|an?\s+|your\s+)?(?:[A-Z][\w&]*(?:'s|’s)?\s+)?"
    r"(?:(?:(?i:virtual|digital|automated|ai|chat|online)\s+)(?i:assistant|agent|helper)|(?i:chat)?(?i:bot)\b|Assistant\b(?!\s+[A-Z]))",  # not "Assistant Manager"
)


def introduces_a_bot(messages: list[Message]) -> bool:
    """Does the speaker's first message say it is a bot or virtual assistant?"""
    first = next((m for m in messages if not m.system), None)
    return first is not None and bool(BOT_INTRODUCTION.search(" ".join(ln.text for ln in first.lines)))


def no_agent_message(speakers: tuple[str, ...]) -> str:
    names = ", ".join(speakers) or "none"
    return (f"cannot tell which speaker is you (the agent); speakers found: {names}. "
            "Choose one with --agent NAME (or the 'Which speaker are you?' field), or label lines 'Agent:'")


EVIDENCE = "what each speaker writes (offers help, introduces themself, asks for account details, explains policy)"
ORGANISATION = re.compile(
    r"\b(?:ltd|limited|plc|council|society|bank|support|services?|care|team|customer|help(?:desk)?|energy|power|water|"
    r"pensions?|insurance|airways?|airlines?|trains?|rail|buses|travel|telecom|mobile|broadband|gym|leisure|surgery|"
    r"practice|university|college|official|store|shop|group|direct)\b",
    re.IGNORECASE,
)


def agent_score(messages: list[Message]) -> float:
    text = "\n".join(ln.text for m in messages for ln in m.lines)
    score = len(AGENT_CUES.findall(text)) - len(CUSTOMER_CUES.findall(text))
    if messages and ORGANISATION.search(messages[0].speaker):
        score += 3  # an organisation's name as the speaker: a business account
    return score


def assign_chat_roles(raw: list[Message], agent: str | None, src: str,
                      named: dict[str, str] | None = None) -> tuple[dict[str, str], str | None]:
    """Each speaker's role, and a note on which evidence decided when it was not a role word.
    ``named`` holds the sides a header states by name ("Operator: Kayden" -> agent)."""
    speakers: dict[str, list[Message]] = {}
    for m in raw:
        if not m.system:
            speakers.setdefault(speaker_key(m.speaker), []).append(m)
    names = tuple(ms[0].speaker for ms in speakers.values())
    roles: dict[str, str] = {}

    def stated(key: str) -> str | None:
        ms = speakers[key]
        return (ms[0].role or role_of(ms[0].hint) or role_of(key) or ("system" if introduces_a_bot(ms) else None)
                or _named_role(key, named or {}))

    if agent:
        chosen = match_speaker(agent, speakers)
        if chosen is None and all(stated(k) for k in speakers) and any(stated(k) == "agent" for k in speakers):
            if all(speakers[k][0].role for k in speakers):
                # the format itself says who is who (a review's reply, a JSON role): nothing to choose
                return {k: stated(k) for k in speakers}, None
            # every label is a role word ("Agent:", "Customer:"): the labels decide, and the user hears
            # that the name they gave was not used (a cohort's batch may name one learner for all files)
            return {k: stated(k) for k in speakers}, (f"no speaker is called {agent!r} (speakers found: {', '.join(names)}); "
                                                     "the roles the labels state were used")
        if chosen is None:
            raise SpeakerError(f"no speaker called {agent!r}; speakers found: {', '.join(names)}", names, source=src)
        unstated = [k for k in speakers if not stated(k)]
        helpers = _second_agents(chosen, unstated, {k: agent_score(speakers[k]) for k in unstated}, raw)
        for key in speakers:
            hinted = stated(key)
            roles[key] = "agent" if key == chosen or key in helpers else ("system" if hinted == "system" else
                                                         "agent" if hinted == "agent" and _colleague(key, raw) else "customer")
        return roles, None
    copier = _copier_sounds_like_customer(speakers)
    if copier is not None:
        own, other = copier
        roles = {k: ("system" if stated(k) == "system" else "customer" if k == own else "agent" if k == other
                     else stated(k) or "customer") for k in speakers}
        return roles, (f"'{speakers[other][0].speaker}' was taken to be you (the agent) from {EVIDENCE}: the copy's "
                       f"own side ('{speakers[own][0].speaker}') writes as the customer; if that is wrong, say which speaker you are")
    for key in speakers:
        if stated(key):
            roles[key] = stated(key)
    if "agent" in roles.values():
        for key in speakers:
            roles.setdefault(key, "customer")
        return roles, None
    unknown = [k for k in speakers if k not in roles]
    if "customer" in roles.values() and len(unknown) == 1:
        roles[unknown[0]] = "agent"
        return roles, None
    scores = {k: agent_score(speakers[k]) for k in unknown}
    customer_known = "customer" in roles.values()
    if scores:
        best = max(scores, key=lambda k: scores[k])
        others = [v for k, v in scores.items() if k != best]
        if customer_known and _transferred(raw) and len(unknown) > 1 and all(v > 0 for v in scores.values()):
            # the customer is named and the chat was passed on: every other speaker who talks like an
            # agent is one, and the learner is the one who writes most
            best = max(unknown, key=lambda k: (scores[k], sum(len(ln.text) for m in speakers[k] for ln in m.lines)))
            others = []
        if scores[best] > 0 and all(scores[best] > v for v in others):  # someone must sound like an agent
            helpers = _second_agents(best, unknown, scores, raw, customer_known=customer_known)
            for key in unknown:
                roles[key] = "agent" if key == best or key in helpers else "customer"
            return roles, (f"'{speakers[best][0].speaker}' was taken to be you (the agent) from {EVIDENCE}; "
                           "if that is wrong, say which speaker you are")
    raise SpeakerError(no_agent_message(names), names, source=src)


# the side of a copy that is the copier's own ("You sent", "Me" in a phone's SMS or DM copy): the
# agent in a chat tool's console, but on a phone it may be the customer
OWN_SIDE = frozenset({"you", "me"})
OWN_SIDE_MARGIN = 2


def _named_role(key: str, named: dict[str, str]) -> str | None:
    """The side a header gives this speaker: by the whole name, or the first name alone ("Agent:
    Nadia Rahman" above lines from "Nadia")."""
    roles = {role for name, role in named.items()
             if speaker_key(name) == key or speaker_key(name).split()[0] == key.split()[0]}
    return roles.pop() if len(roles) == 1 else None


def _copier_is_customer_key(speakers: dict[str, list[Message]]) -> str | None:
    own = [k for k in speakers if k in OWN_SIDE and not speakers[k][0].role and not role_of(speakers[k][0].hint)]
    return own[0] if len(own) == 1 else None


def _copier_sounds_like_customer(speakers: dict[str, list[Message]]) -> tuple[str, str] | None:
    """(own side, the other speaker) when the copy's own side ("You", "Me") is one of two speakers
    and the other one writes clearly more like an agent (asks for account details, offers help,
    introduces themself, names the organisation): a customer's phone copy of a chat with a business."""
    own = _copier_is_customer_key(speakers)
    others = [k for k in speakers if k != own and role_of(k) != "system" and not introduces_a_bot(speakers[k])]
    if own is None or len(others) != 1 or role_of(others[0]) or any(m.role for m in speakers[others[0]]):
        return None
    other = others[0]
    theirs, mine = agent_score(speakers[other]), agent_score(speakers[own])
    return (own, other) if theirs > 0 and theirs >= mine + OWN_SIDE_MARGIN else None


def _second_agents(learner: str, keys: list[str], scores: dict[str, float], raw: list[Message],
                   customer_known: bool = False) -> set[str]:
    """Other agents besides the learner: after a transfer, or named joining the chat, every speaker
    who talks like an agent is one; the customer, unless a label already says who it is, is the
    least agent-like speaker."""
    rest = [k for k in keys if k != learner]
    if len(rest) < (1 if customer_known else 2) and not any(_colleague(k, raw) for k in rest):
        return set()
    transfer = _transferred(raw)
    lowest = min(rest, key=lambda k: scores.get(k, 0)) if rest and not customer_known else None
    return {k for k in rest if scores.get(k, 0) > 0 and k != lowest and (transfer or _colleague(k, raw))}


def _transferred(raw: list[Message]) -> bool:
    return any(m.system and re.search(r"transfer", " ".join(ln.text for ln in m.lines), re.I) for m in raw)


def _colleague(key: str, raw: list[Message]) -> bool:
    """A speaker a system line shows joining or taking a transfer: a second agent."""
    for m in raw:
        if m.system:
            line = " ".join(ln.text for ln in m.lines).lower()
            if key in line and HANDOVER_LINE.search(line):
                return True
    return False


def match_speaker(agent: str, speakers: dict[str, list[Message]]) -> str | None:
    want = speaker_key(agent)
    if want in speakers:
        return want
    bare = speaker_key(re.sub(r"\s*[(\[][^)\]]*[)\]]\s*$", "", agent))  # "Sam (Agent)" names Sam
    if bare in speakers:
        return bare
    for key in speakers:
        if key.split()[0] == want or want.split()[0] == key or key.split()[0] == bare:
            return key
    for key, ms in speakers.items():  # a social post's @handle, written beside the display name
        if any(m.hint and speaker_key(m.hint).lstrip("@") == want.lstrip("@") for m in ms):
            return key
    roles = [k for k, ms in speakers.items() if role_of(ms[0].hint) == role_of(want) and role_of(want)]
    return roles[0] if len(roles) == 1 else None


WEBMAIL = {"gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "yahoo.co.uk", "icloud.com", "live.co.uk",
           "btinternet.com", "example.com", "aol.com", "hotmail.co.uk", "googlemail.com"}


def assign_email_roles(messages: list[Message], agent: str | None, src: str) -> list[str]:
    """Roles of an email thread's messages (oldest first). The learner wrote the newest message
    unless ``agent`` names another sender; the others are told apart by address and name."""
    last = len(messages) - 1
    agent_idx = last
    if agent:
        wants = {w for w in (agent.strip().lower(), re.sub(r"\s*[(\[][^)\]]*[)\]]\s*$", "", agent).strip().lower()) if w}
        matches = [i for i, m in enumerate(messages)
                   if any(w in m.speaker.lower() or w in m.address.lower() or w == (m.hint or "").strip().lower() for w in wants)]
        if not matches:  # the full name given, the first name shown ("Bethany Walsh" signs as "Bethany")
            firsts = {w.split()[0] for w in wants}
            matches = [i for i, m in enumerate(messages) if m.speaker and speaker_key(m.speaker).split()[0] in firsts]
        if not matches:
            senders = tuple(dict.fromkeys(m.speaker or m.address or "unknown" for m in messages))
            raise SpeakerError(f"no sender called {agent!r}; senders found: {', '.join(senders)}", senders, source=src)
        agent_idx = matches[-1]
    agent_msg = messages[agent_idx]
    agent_domain = agent_msg.address.rpartition("@")[2].lower()

    def role_of_message(i: int, m: Message) -> str:
        if m.role:
            return m.role
        if i == agent_idx:
            return "agent"
        if m.address and agent_msg.address:
            if m.address.lower() == agent_msg.address.lower():
                return "agent"
            domain = m.address.rpartition("@")[2].lower()
            if agent_domain and domain == agent_domain and domain not in WEBMAIL:
                return "agent"
            return "customer"
        if m.speaker and agent_msg.speaker and speaker_key(m.speaker) == speaker_key(agent_msg.speaker):
            return "agent"
        # an unknown sender: replies alternate
        return "customer" if (i - agent_idx) % 2 else "agent"

    return [role_of_message(i, m) for i, m in enumerate(messages)]
