"""``proofing``: turn the proofreader's issues (offline harper or LanguageTool) into findings."""
from __future__ import annotations

from difflib import SequenceMatcher
from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import Finding
from ..base import Rule, register, spec, str_list

CATEGORIES = ("spelling", "grammar", "punctuation", "typography", "style", "other")


@register("proofing")
@dataclass(frozen=True)
class ProofingRule(Rule):
    categories: tuple[str, ...] = str_list("issue categories this rule reports", default=("spelling", "grammar"))
    exclude_rules: tuple[str, ...] = str_list("rule ids to ignore, e.g. harper.Spelling; 'grammar.*' ignores a whole layer")
    include_rules: tuple[str, ...] = str_list("only these rule ids (empty: all), e.g. grammar.agreement; 'grammar.*' takes a whole layer")
    ignore_words: tuple[str, ...] = str_list("words never reported by this rule")
    max_findings: int = field(default=20, metadata=spec(int, "report at most this many issues"))

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        ignore = {w.lower() for w in self.ignore_words}
        count = 0
        reported: set[tuple[str, str]] = set()
        for issue in ctx.analysed.proofreading.issues:
            if issue.category not in self.categories or _matches(issue.rule, self.exclude_rules):
                continue
            if self.include_rules and not _matches(issue.rule, self.include_rules):
                continue
            if issue.text.strip().lower() in ignore:
                continue
            key = (issue.rule, issue.text.strip().lower())
            if key in reported:
                continue  # the same slip again ("callout" twice) is one error, reported once
            reported.add(key)
            better = best_suggestion(issue.text, issue.suggestions)
            suggestion = f"Try '{better}'." if better else self.suggestion
            # the backend's message keeps its own end ('.' or '?'); add a full stop only when it has none
            text = issue.message.strip().replace("`", "'")  # the proofreader's code quotes, in plain quotes
            ended = text if text[-1:] in ".?!" else text + "."
            message = self.message.replace("{issue}.", ended).replace("{issue}", text)
            yield self.problem(ctx, issue.turn, issue.start, issue.end, message=message, suggestion=suggestion)
            count += 1
            if count >= self.max_findings:
                return


def best_suggestion(text: str, suggestions: tuple[str, ...] | list[str], least: float = 0.65) -> str | None:
    """The proofreader's suggestion nearest the learner's own word, when it is near enough to be a
    correction of it: "seperate" gets "separate" (not also "sewerage"), "untill" does not get
    "distill". Among the first three, the most similar wins; ties keep the proofreader's order."""
    scored = [(SequenceMatcher(None, s.lower(), text.lower()).ratio(), -i, s) for i, s in enumerate(suggestions[:3])]
    if not scored:
        return None
    if scored[0][0] >= least:  # the proofreading layers rank their suggestions: keep their first when it is near
        return scored[0][2]
    ratio, _, best = max(scored)
    return best if ratio >= least else None


def _matches(rule: str, patterns: tuple[str, ...]) -> bool:
    """``grammar.agreement`` matches itself and ``grammar.*``."""
    return any(rule == p or (p.endswith(".*") and rule.startswith(p[:-1])) for p in patterns)
