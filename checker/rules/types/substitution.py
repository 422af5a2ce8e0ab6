"""``substitution``: flag a phrase and offer a better one (``swap: {bad: better}``).

Matched on the exact (lower-cased) form, not on lemmas: the point is the form itself ("gonna"'s
lemmas are those of "going to", which is fine)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import Finding
from ..base import Rule, register, spec
from ..matching import PhraseSet


@register("substitution")
@dataclass(frozen=True)
class SubstitutionRule(Rule):
    swap: dict = field(default_factory=dict, metadata=spec("swap_map", "phrase to flag: better phrase", required=True))
    negation: bool = field(default=False, metadata=spec(bool, "ignore negated matches"))

    def compile(self, nlp: Any) -> None:
        object.__setattr__(self, "_sets", [(PhraseSet(nlp, [bad], lemmas=False), better) for bad, better in self.swap.items()])

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        segments = ctx.segments(self.scope)
        taken: list[tuple[int, int]] = []
        for phrase_set, better in self._sets:
            for seg, start, end in ctx.find(phrase_set, segments, self.negation):
                s, e = ctx.to_source(seg.turn, start, end)
                if any(s < b and a < e for a, b in taken):
                    continue
                taken.append((s, e))
                hint = self.suggestion or "Try '{better}'."
                yield self.problem(ctx, seg.turn.index, s, e, suggestion=hint.replace("{better}", better))
