"""``notes``: record keeping. Logging in the CRM happens outside the transcript, so without
agent notes the criterion is *not assessable*, never guessed. With notes, each of ``parts``
(issue, action, outcome…) must be recorded."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import Finding
from ..base import Rule, register, spec
from ..matching import compile_regex, run_regex


@register("notes")
@dataclass(frozen=True)
class NotesRule(Rule):
    parts: dict = field(default_factory=dict, metadata=spec("pattern_map", "part name: list of regular expressions", required=True))
    not_assessable_message: str = field(default="", metadata=spec(str, "message when no notes are included"))

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
        end = start + len(conv.notes)
        if not missing:
            yield self.evidence(ctx, None, start, min(end, len(ctx.source)))
            return
        for name in missing:
            yield self.problem(ctx, None, start, min(end, len(ctx.source)), match=name,
                               message=self.message.replace("{part}", name))
