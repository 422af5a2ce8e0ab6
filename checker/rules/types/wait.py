"""``wait``: when timestamps show the customer waiting longer than ``max_seconds`` for the
agent's next message, the agent should have sent a holding message in between."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import Finding
from ..base import Rule, register, spec


@register("wait")
@dataclass(frozen=True)
class WaitRule(Rule):
    max_seconds: float = field(default=120, metadata=spec(float, "longest silence the customer should sit through"))

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        previous = None
        for turn in ctx.turns:
            if turn.role == "system":
                continue
            if previous is not None and previous.role == "customer" and turn.role == "agent" \
                    and previous.seconds is not None and turn.seconds is not None:
                gap = turn.seconds - previous.seconds
                if gap < 0:  # past midnight
                    gap += 86400
                if gap > self.max_seconds:
                    minutes = f"{gap / 60:.0f}" if gap >= 90 else f"{gap:.0f} seconds"
                    text = self.message.replace("{minutes}", minutes)
                    yield self.problem(ctx, turn.index, turn.start, turn.end, message=text)
            previous = turn
