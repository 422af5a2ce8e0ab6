"""Run the examples written inside each rule: ``bad`` ones must fire, ``good`` ones must not.

An example is either one agent message ("Sorry, but [[you should have]] read the terms.",
wrapped as ``Agent: …``) or a whole transcript in the parser's own format (so multi-turn
rules and the parser are tested together). ``[[…]]`` marks the exact span a bad example's
finding must cover. For a substitution rule, the suggested replacement is applied to the bad
example, and the rule must then be silent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..errors import ReplyCheckError
from ..evaluate import Context
from ..model import Finding

MARK = re.compile(r"\[\[(.+?\]?)\]\](?!\])", re.S)
_TRANSCRIPT = re.compile(r"^\s*(?:\[[^\]]*\]\s*)?[\w .()'-]{1,40}:\s", re.M)
_EMAIL = re.compile(r"^(?:From|To|Subject):", re.M)


@dataclass
class ExampleResult:
    rule_id: str
    kind: str  # bad | good
    index: int
    text: str
    passed: bool
    problem: str = ""  # what went wrong, for tutors
    findings: list[Finding] = field(default_factory=list)
    tokens: list[tuple[str, str, str]] = field(default_factory=list)  # (text, lemma, POS) of agent text

    @property
    def test_id(self) -> str:
        return f"{self.rule_id}-{self.kind}-{self.index}"

    def explain(self) -> str:
        lines = [f"{self.test_id}: {'ok' if self.passed else 'FAILED'}", f"  example: {self.text.strip()!r}"]
        if not self.passed:
            lines.append(f"  expected: {'at least one finding' if self.kind == 'bad' else 'no finding'}")
            lines.append(f"  problem: {self.problem}")
            found = [f"{f.status} {f.quote!r} ({f.message})" for f in self.findings if _is_problem(f)]
            lines.append(f"  found: {'; '.join(found) if found else 'nothing'}")
            if self.tokens:
                lines.append("  tokens (text/lemma/POS): " + " ".join(f"{t}/{lem}/{pos}" for t, lem, pos in self.tokens))
        return "\n".join(lines)


def iter_examples(ruleset: Any) -> Iterator[tuple[Any, str, int, str]]:
    for rule in ruleset.rules:
        if rule.state == "retired":
            continue
        for kind in ("bad", "good"):
            for i, text in enumerate(rule.examples.get(kind, [])):
                yield rule, kind, i, text


def _is_problem(f: Finding) -> bool:
    return not f.positive and f.status in ("partly", "not_met")


def prepare(text: str, rule: Any) -> tuple[str, tuple[int, int] | None]:
    """Strip the ``[[span]]`` marker and wrap a single message as a transcript."""
    span = None
    m = MARK.search(text)
    if m:
        span = (m.start(), m.start() + len(m.group(1)))
        text = text[: m.start()] + m.group(1) + text[m.end():]
    if _EMAIL.search(text) or _TRANSCRIPT.search(text):
        return text, span
    prefix = "Agent: "
    return prefix + text, (span[0] + len(prefix), span[1] + len(prefix)) if span else None


def rule_findings(checker: Any, ruleset: Any, rule: Any, text: str) -> tuple[list[Finding], Any]:
    conversation = checker.parse(text, name=f"{rule.id} example")
    analysed = checker.analyse(conversation, ruleset.accepted_words)
    if not rule.applies_to(conversation.channel, conversation.format):
        return [], analysed
    return list(rule.evaluate(Context(checker.acts(analysed, ruleset), ruleset))), analysed


def run_example(checker: Any, ruleset: Any, rule: Any, kind: str, index: int, raw: str) -> ExampleResult:
    text, span = prepare(raw, rule)
    result = ExampleResult(rule.id, kind, index, raw, passed=False)
    try:
        findings, analysed = rule_findings(checker, ruleset, rule, text)
    except ReplyCheckError as exc:
        result.problem = f"the example could not be read: {exc}"
        return result
    result.findings = findings
    result.tokens = [(tok.text, tok.lemma_, tok.pos_) for turn, doc in zip(analysed.conversation.turns, analysed.docs)
                     if turn.role == "agent" for tok in doc if not tok.is_space]
    problems = [f for f in findings if _is_problem(f)]
    if kind == "good":
        result.passed = not problems
        result.problem = "" if result.passed else "the rule fired on a good example"
        return result
    if not problems:
        result.problem = "the rule did not fire on a bad example"
        if analysed.conversation.channel not in rule.channels:
            result.problem += f" (the example was read as {analysed.conversation.channel}; the rule is for {', '.join(rule.channels)})"
        return result
    if span and not any((f.start, f.end) == span for f in problems):
        got = ", ".join(f"{f.quote!r}" for f in problems)
        result.problem = f"the finding should cover exactly {text[span[0]:span[1]]!r}, but covered {got}"
        return result
    swap = getattr(rule, "swap", None)
    if swap:
        fixed = _apply_swap(text, problems, swap)
        again, _ = rule_findings(checker, ruleset, rule, fixed)
        if any(_is_problem(f) for f in again):
            result.problem = f"after applying the suggestion the rule still fires: {fixed!r}"
            return result
    result.passed = True
    return result


def _apply_swap(text: str, findings: list[Finding], swap: dict[str, str]) -> str:
    """Apply every finding's suggested replacement, from the end so offsets stay valid."""
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        matched = text[finding.start:finding.end]
        better = next((v for k, v in swap.items() if k.lower() == matched.lower()), None)
        if better is None:
            continue
        if matched[:1].isupper():
            better = better[:1].upper() + better[1:]
        text = text[: finding.start] + better + text[finding.end:]
    return text


def run_all(checker: Any, ruleset: Any) -> list[ExampleResult]:
    return [run_example(checker, ruleset, rule, kind, i, text) for rule, kind, i, text in iter_examples(ruleset)]
