"""``reask``: the agent asks again for something the customer has already given (an account
number, a registration, a meter reading, a date): a sign they did not read the message.

``items`` maps a name to ``given`` (regular expressions for the customer giving it) and
``asked`` (regular expressions for the agent asking for it). Every ask after a give is a finding.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import Finding
from ..base import Rule, register, spec
from ..matching import compile_regex, run_regex
from ..safety import regex_danger


@register("reask")
@dataclass(frozen=True)
class ReaskRule(Rule):
    default_status = "not_met"

    items: dict = field(default_factory=dict, metadata=spec(dict, "name: {given: [patterns], asked: [patterns]}", required=True))
    max_findings: int = field(default=3, metadata=spec(int, "report at most this many re-asks"))

    def __post_init__(self) -> None:
        for name, item in self.items.items():
            if not isinstance(item, dict) or set(item) != {"given", "asked"}:
                raise ValueError(f"items: {name!r} needs exactly 'given' and 'asked' lists of regular expressions")
            for key in ("given", "asked"):
                if not isinstance(item[key], list) or not all(isinstance(p, str) for p in item[key]):
                    raise ValueError(f"items: {name}.{key} must be a list of regular expressions")
                for pattern in item[key]:
                    try:
                        compile_regex(pattern)
                    except Exception as exc:
                        raise ValueError(f"items: {name}.{key}: bad regular expression {pattern!r}: {exc}") from None
                    danger = regex_danger(pattern)
                    if danger:
                        raise ValueError(f"items: {name}.{key}: {pattern!r}: {danger}")

    def compile(self, nlp: Any) -> None:
        compiled = {name: ([compile_regex(p) for p in item["given"]], [compile_regex(p) for p in item["asked"]])
                    for name, item in self.items.items()}
        object.__setattr__(self, "_items", compiled)

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        count = 0
        for name, (given, asked) in self._items.items():
            first_given = next((t.index for t in ctx.customer_turns if any(run_regex(p, t.text) for p in given)), None)
            if first_given is None:
                continue
            for turn in ctx.agent_turns:
                if turn.index <= first_given:
                    continue
                hits = [m for p in asked for m in run_regex(p, turn.text)]
                if hits:
                    m = min(hits, key=lambda m: m.start())
                    yield self.problem(ctx, turn.index, turn.to_source(m.start()), turn.to_source(m.end()), match=name)
                    count += 1
                    break
            if count >= self.max_findings:
                return
