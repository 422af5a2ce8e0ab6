"""``notes``: record keeping. Logging in the CRM happens outside the transcript, so without
agent notes the criterion is *not assessable*, never guessed. With notes, each of ``parts``
(issue, action, outcome…) must be recorded."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import Finding
from ..base import Rule, register, spec, str_list
from ..matching import compile_regex, run_regex
from ..names import customer_names


@register("notes")
@dataclass(frozen=True)
class NotesRule(Rule):
    parts: dict = field(default_factory=dict, metadata=spec("pattern_map", "part name: list of regular expressions", required=True))
    not_assessable_message: str = field(default="", metadata=spec(str, "message when no notes are included"))
    topic_parts: tuple[str, ...] = str_list("parts that also count as recorded when the notes name at least two of the things the customer wrote about (their nouns: 'mould', 'bedroom', 'sofa', 'delivery'), however tersely the notes put it")

    def compile(self, nlp: Any) -> None:
        object.__setattr__(self, "_parts", {name: [compile_regex(p) for p in pats] for name, pats in self.parts.items()})

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        conv = ctx.conversation
        if not conv.notes:
            yield self.not_applicable(
                self.not_assessable_message or "Logging in the CRM happens outside the transcript, so it cannot be judged from it.",
                status="not_assessable",
            )
            return
        start = conv.notes_start or 0
        missing = [name for name, pats in self._parts.items() if not any(run_regex(p, conv.notes) for p in pats)]
        if missing and set(missing) & set(self.topic_parts) and _names_customer_topic(ctx, conv.notes):
            missing = [name for name in missing if name not in self.topic_parts]
        end = start + len(conv.notes)
        if not missing:
            yield self.evidence(ctx, None, start, min(end, len(ctx.source)))
            return
        for name in missing:
            yield self.problem(ctx, None, start, min(end, len(ctx.source)), match=name,
                               message=self.message.replace("{part}", name))


_WORD = re.compile(r"[a-z][a-z'-]{2,}")


def _names_customer_topic(ctx: Any, notes: str, at_least: int = 2) -> bool:
    """Do the notes name at least ``at_least`` of the things the customer wrote about: the nouns of
    the customer's messages (as written or as lemma), found among the notes' words? People's names
    are no topic: notes that name the customer ("Called Mrs Okafor") record who, not what."""
    names = {w.lower() for speaker in ctx.conversation.speakers for w in speaker.split()}
    names |= {w.lower() for w in customer_names(ctx.conversation)}
    topics: set[str] = set()
    for turn in ctx.customer_turns:
        for tok in ctx.doc(turn):
            if tok.pos_ in ("NOUN", "PROPN") and not tok.is_stop and len(tok.text) > 2 \
                    and tok.ent_type_ != "PERSON" and tok.lower_ not in names:
                topics.update({tok.lower_, tok.lemma_.lower()})
    words = set(_WORD.findall(notes.lower()))
    words |= {w[:-1] for w in words if w.endswith("s")}  # a plural in the notes names the same thing: "sofas"
    return len(topics & words) >= at_least
