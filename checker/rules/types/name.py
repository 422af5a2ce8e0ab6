"""``name``: when the transcript shows the customer's name, the agent uses it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from ...model import Finding
from ..base import Rule, register
from ..names import uses_name


@register("name")
@dataclass(frozen=True)
class NameRule(Rule):
    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        names = ctx.customer_names
        segments = ctx.segments(self.scope)
        if not names or not segments:
            return
        for seg in segments:
            m = uses_name(seg.text, names)
            if m:
                s, e = ctx.to_source(seg.turn, seg.start + m.start(), seg.start + m.end())
                yield self.evidence(ctx, seg.turn.index, s, e)
                return
        first = segments[0]
        at = first.turn.to_source(first.start)
        yield self.problem(ctx, first.turn.index, at, at, match=names[0])
