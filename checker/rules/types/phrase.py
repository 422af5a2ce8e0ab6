"""``phrase``: flag listed phrases (matched on lemmas and normalised forms) in the scope."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import Finding
from ..base import Rule, register, spec, str_list
from ..matching import PhraseSet


@register("phrase")
@dataclass(frozen=True)
class PhraseRule(Rule):
    phrases: tuple[str, ...] = str_list("phrases to flag")
    patterns: tuple[str, ...] = str_list("regular expressions to flag (case-insensitive)")
    exceptions: tuple[str, ...] = str_list("phrases inside which a match is not flagged")
    exception_patterns: tuple[str, ...] = str_list("regular expressions inside which a match is not flagged")
    acts: tuple[str, ...] = str_list("dialogue acts to flag (checker/acts/defs)")
    negation: bool = field(default=False, metadata=spec(bool, "ignore a match the writer negates ('I won't ask for your PIN')"))
    max_findings: int = field(default=5, metadata=spec(int, "report at most this many matches"))
    lemmas: bool = field(default=True, metadata=spec(bool, "also match inflected forms ('apologised' for 'apologise'); turn off for exact forms such as text-speak"))

    def compile(self, nlp: Any) -> None:
        object.__setattr__(self, "_set", PhraseSet(nlp, self.phrases, self.patterns, self.exceptions, self.exception_patterns,
                                                    lemmas=self.lemmas, acts=self.acts))

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        for match in ctx.find(self._set, ctx.segments(self.scope), self.negation)[: self.max_findings]:
            yield self.problem_at(ctx, match)
