"""Who the learner is: role words, the user's choice, or what each speaker writes."""
from __future__ import annotations

import re

from ..errors import SpeakerError
from .common import RawTurn, role_of, speaker_key

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



def speaker_names(turns_text) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in turns_text:
        rt = item[0] if isinstance(item, tuple) else item
        if not rt.system:
            seen.setdefault(speaker_key(rt.speaker), rt.speaker)
    return tuple(seen.values())


def no_agent_message(speakers: tuple[str, ...]) -> str:
    names = ", ".join(speakers) or "none"
    return (f"cannot tell which speaker is you (the agent); speakers found: {names}. "
            "Choose one with --agent NAME (or the 'Which speaker are you?' field), or label lines 'Agent:'")


def assign_chat_roles(raw: list[RawTurn], agent: str | None, src: str) -> dict[str, str]:
    speakers: dict[str, list[RawTurn]] = {}
    for rt in raw:
        if not rt.system:
            speakers.setdefault(speaker_key(rt.speaker), []).append(rt)
    names = tuple(rts[0].speaker for rts in speakers.values())
    roles: dict[str, str] = {}
    if agent:
        chosen = match_speaker(agent, speakers)
        if chosen is None:
            raise SpeakerError(f"no speaker called {agent!r}; speakers found: {', '.join(names)}", names, source=src)
        for key, rts in speakers.items():
            hinted = role_of(rts[0].hint) or role_of(key)
            roles[key] = "agent" if key == chosen else ("system" if hinted == "system" else "customer")
        return roles
    for key, rts in speakers.items():
        hinted = role_of(rts[0].hint) or role_of(key)
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
    scores = {k: agent_score(speakers[k]) for k in unknown}
    if scores:
        best = max(scores, key=lambda k: scores[k])
        others = [v for k, v in scores.items() if k != best]
        if scores[best] > 0 and all(scores[best] > v for v in others):
            for key in unknown:
                roles[key] = "agent" if key == best else "customer"
            return roles
    raise SpeakerError(no_agent_message(names), names, source=src)


def match_speaker(agent: str, speakers: dict[str, list[RawTurn]]) -> str | None:
    want = speaker_key(agent)
    if want in speakers:
        return want
    for key in speakers:
        if key.split()[0] == want or want.split()[0] == key:
            return key
    roles = [k for k, rts in speakers.items() if role_of(rts[0].hint) == role_of(want) and role_of(want)]
    return roles[0] if len(roles) == 1 else None


def agent_score(rts: list[RawTurn]) -> int:
    text = "\n".join(ln.text for rt in rts for ln in rt.lines)
    return len(AGENT_CUES.findall(text)) - len(CUSTOMER_CUES.findall(text))
