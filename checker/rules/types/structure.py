"""``structure``: an email has the parts a letter needs: a subject (when headers are shown),
a salutation, paragraphs, and a sign-off with the writer's name. Each missing part is a finding."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import STATUSES, Finding
from ..base import Rule, register, spec

PARTS = ("subject", "salutation", "paragraphs", "signoff", "signoff_name")
DEFAULT_MESSAGES = {
    "subject": "Your email has no subject line.",
    "salutation": "Your email does not open with a salutation, such as 'Dear' or 'Hello' and the customer's name.",
    "paragraphs": "Your email is one block of text; break it into short paragraphs.",
    "signoff": "Your email has no sign-off such as 'Kind regards,'.",
    "signoff_name": "Your sign-off does not give your name.",
}


@register("structure")
@dataclass(frozen=True)
class StructureRule(Rule):
    require: tuple[str, ...] = field(default=PARTS, metadata=spec("str_list", "the parts each agent email needs", PARTS))
    paragraph_words: int = field(default=60, metadata=spec(int, "bodies longer than this need two or more paragraphs"))
    messages: dict = field(default_factory=dict, metadata=spec("swap_map", "a message per missing part"))
    statuses: dict = field(default_factory=dict, metadata=spec("swap_map", "a status per missing part (default: the rule's status)"))

    def __post_init__(self) -> None:
        for part, status in self.statuses.items():
            if part not in PARTS or status not in STATUSES:
                raise ValueError(f"statuses: {part!r}: {status!r} must map a part ({', '.join(PARTS)}) to a status ({', '.join(STATUSES)})")
        for part in self.messages:
            if part not in PARTS:
                raise ValueError(f"messages: {part!r} is not one of {', '.join(PARTS)}")

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        if ctx.channel != "email" or not ctx.agent_turns:
            return
        turn = ctx.agent_turns[-1]  # the learner's reply: the newest agent message
        parts = ctx.email_parts(turn)
        missing = []
        headers = ctx.conversation.meta
        if "subject" in self.require and any(k in headers for k in ("from", "to", "date", "sent")) \
                and not (headers.get("subject") or "").strip():
            missing.append("subject")
        if "salutation" in self.require and parts.salutation[1] <= parts.salutation[0]:
            missing.append("salutation")
        body_words = len(turn.text[parts.body[0]:parts.body[1]].split())
        if "paragraphs" in self.require and body_words > self.paragraph_words and parts.paragraphs < 2:
            missing.append("paragraphs")
        has_signoff = parts.signoff[0] < len(turn.text)
        if "signoff" in self.require and not has_signoff:
            missing.append("signoff")
        elif "signoff_name" in self.require and has_signoff and not parts.signoff_has_name:
            missing.append("signoff_name")
        for part in missing:
            text = self.messages.get(part) or DEFAULT_MESSAGES[part]
            at = turn.to_source(parts.signoff[0]) if part.startswith("signoff") else turn.start
            yield self.problem(ctx, turn.index, at, at if part != "signoff_name" else turn.end, message=text,
                               status=self.statuses.get(part))
        if not missing and has_signoff:
            yield self.evidence(ctx, turn.index, turn.to_source(parts.signoff[0]), turn.end)
