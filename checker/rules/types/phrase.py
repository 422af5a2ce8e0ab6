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
    addressed: bool = field(default=False, metadata=spec(bool, "flag a match only when it is said to the customer: its verb is an instruction or has 'you' as its subject ('calm down', 'you need to settle down'), not 'the fan has settled down'"))

    def compile(self, nlp: Any) -> None:
        object.__setattr__(self, "_set", PhraseSet(nlp, self.phrases, self.patterns, self.exceptions, self.exception_patterns,
                                                    lemmas=self.lemmas, acts=self.acts))

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        matches = ctx.find(self._set, ctx.segments(self.scope), self.negation)
        if self.addressed:
            matches = [m for m in matches if _said_to_customer(m[0].doc, m[1], m[2])]
        for match in matches[: self.max_findings]:
            yield self.problem_at(ctx, match)


def _said_to_customer(doc: Any, start: int, end: int) -> bool:
    """The match's verb is an instruction (no subject) or has the customer ('you') as its subject;
    a match with no verb in it ("no need to shout") counts."""
    verbs = [t for t in doc if start <= t.idx < end and t.pos_ in ("VERB", "AUX")]
    if not verbs:
        return True
    verb = verbs[0]
    for _ in range(3):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return any(c.lower_ in ("you", "u", "ya", "yourself") for c in subjects)
        if verb.dep_ not in ("xcomp", "conj", "ccomp") or verb.head.i == verb.i:
            return True
        verb = verb.head
    return True
