"""``required``: something must appear within a scope (a greeting, a sign-off, an apology).

Found → evidence that the criterion is met. Only a ``partial`` phrase found ("Dear Customer")
→ partly. Found only in ``fallback_scope`` (a greeting in the second message) → partly.
Nothing → ``missing_status`` (not met unless set otherwise).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import ACT_FEATURES, STATUSES, Finding
from ..base import SCOPES, Rule, register, spec, str_list
from ..matching import PhraseSet


@register("required")
@dataclass(frozen=True)
class RequiredRule(Rule):
    default_status = "not_met"

    phrases: tuple[str, ...] = str_list("any of these satisfies the rule")
    patterns: tuple[str, ...] = str_list("regular expressions that satisfy the rule")
    exceptions: tuple[str, ...] = str_list("phrases inside which a match does not count")
    acts: tuple[str, ...] = str_list("dialogue acts that satisfy the rule")
    partial_acts: tuple[str, ...] = str_list("dialogue acts that only partly satisfy it")
    exception_acts: tuple[str, ...] = str_list("a match overlapping one of these acts does not count (e.g. placeholder)")
    act_needs: tuple[str, ...] = field(default=(), metadata=spec(
        "str_list", "an act in acts counts only when its sentence has these: beyond_thanks (more than a thanks and "
        "what it is for: a goodbye, a wish, a sign-off), verb, when_or_reference, identifier, personal_data",
        choices=ACT_FEATURES, needs=("acts",)))
    fallback_acts: tuple[str, ...] = str_list("dialogue acts that count in the fallback scope (default: acts)")
    partial: tuple[str, ...] = str_list("phrases that only partly satisfy it")
    partial_patterns: tuple[str, ...] = str_list("regular expressions that only partly satisfy it")
    partial_message: str = field(default="", metadata=spec(str, "message when only a partial phrase is found"))
    partial_suggestion: str = field(default="", metadata=spec(str, "the better way when only a partial phrase is found (default: suggestion)"))
    partial_status: str = field(default="partly", metadata=spec(
        str, "status a partial find earns: partly, or met where another criterion carries the flaw (a chat greeting "
             "with a placeholder is a greeting; personalisation counts the placeholder), said in partial_message",
        ("partly", "met")))
    fallback_scope: str = field(default="", metadata=spec(str, "where a late or weaker occurrence still earns 'partly'", ("",) + SCOPES))
    fallback_phrases: tuple[str, ...] = str_list("phrases that count in the fallback scope (default: phrases)")
    fallback_patterns: tuple[str, ...] = str_list("regular expressions that count in the fallback scope")
    fallback_message: str = field(default="", metadata=spec(str, "message when found only in the fallback scope"))
    negation: bool = field(default=True, metadata=spec(bool, "a negated phrase does not count ('I can't apologise')"))
    missing_status: str = field(default="not_met", metadata=spec(str, "status when nothing is found", STATUSES))

    def compile(self, nlp: Any) -> None:
        object.__setattr__(self, "_set", PhraseSet(nlp, self.phrases, self.patterns, self.exceptions, acts=self.acts,
                                                    exception_acts=self.exception_acts, act_needs=self.act_needs))
        object.__setattr__(self, "_partial", PhraseSet(nlp, self.partial, self.partial_patterns, self.exceptions,
                                                        acts=self.partial_acts))
        fallback_phrases = self.fallback_phrases or (() if self.fallback_patterns else self.phrases)
        fallback_patterns = self.fallback_patterns or (() if self.fallback_phrases else self.patterns)
        object.__setattr__(self, "_fallback", PhraseSet(nlp, fallback_phrases, fallback_patterns, self.exceptions,
                                                         acts=self.fallback_acts or self.acts, exception_acts=self.exception_acts,
                                                         act_needs=() if self.fallback_acts else self.act_needs))

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        segments = ctx.segments(self.scope)
        if not segments:
            return
        found = ctx.find(self._set, segments, self.negation)
        if found:
            yield self.evidence_at(ctx, found[0])
            return
        partial = ctx.find(self._partial, segments, self.negation) if self._partial else []
        if partial:
            if self.partial_status == "met":
                yield self.evidence_at(ctx, partial[0], message=self.partial_message or None,
                                       suggestion=self.partial_suggestion or self.suggestion)
            else:
                yield self.problem_at(ctx, partial[0], status="partly", message=self.partial_message or None,
                                      suggestion=self.partial_suggestion or None)
            return
        if self.fallback_scope and self._fallback:
            late = ctx.find(self._fallback, ctx.segments(self.fallback_scope), self.negation)
            if late:
                yield self.problem_at(ctx, late[0], status="partly", message=self.fallback_message or None)
                return
        first = segments[0]
        at = first.turn.to_source(first.start)
        yield self.problem(ctx, first.turn.index, at, at, status=self.missing_status)
