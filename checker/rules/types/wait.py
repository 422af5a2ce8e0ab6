"""``wait``: when timestamps show the customer waiting longer than ``max_seconds`` for the
agent's next message, the agent should have sent a holding message in between."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import Finding
from ...vocabulary import HANDOVER_LINE
from ..base import Rule, register, spec


@register("wait")
@dataclass(frozen=True)
class WaitRule(Rule):
    max_seconds: float = field(default=120, metadata=spec(float, "longest silence the customer should sit through"))

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        # the customer waits from their first message since the agent last wrote ("hello?" sent
        # after seven silent minutes does not restart the clock); an agent joining or a transfer
        # (a timed system line that hands the chat over) starts it again, for the new agent
        waiting_since = None
        for turn in ctx.turns:
            if turn.role == "system":
                if waiting_since is not None and turn.seconds is not None and HANDOVER_LINE.search(turn.text):
                    waiting_since = turn.seconds
                continue
            if turn.role == "customer":
                if waiting_since is None:
                    waiting_since = turn.seconds
                continue
            if turn.role == "agent":
                if waiting_since is not None and turn.seconds is not None:
                    gap = turn.seconds - waiting_since
                    if gap < 0:  # past midnight
                        gap += 86400
                    if gap > self.max_seconds:
                        minutes = f"{gap / 60:.0f}" if gap >= 90 else f"{gap:.0f} seconds"
                        text = self.message.replace("{minutes}", minutes)
                        yield self.problem(ctx, turn.index, turn.start, turn.end, message=text)
                waiting_since = None
