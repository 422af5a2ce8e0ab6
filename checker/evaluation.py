"""Measure judgements against a labelled corpus.

For each criterion: the confusion counts of gold status × predicted status, and precision,
recall and F1 of *flagging a shortfall* (a status of ``partly`` or ``not_met``: what a learner
is told to improve), plus exact agreement (same status). For each rule: how often it fired
and, when it fired, how often its criterion was labelled a shortfall (its precision).

The labels file (YAML) maps a transcript's path, relative to the corpus folder, to
``{channel, agent, quality, labels: {criterion: status}}``; see ``corpora/LABELLING.md``.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import safe_yaml

from .errors import InputError, ReplyCheckError
from .model import STATUSES

SHORTFALL = ("partly", "not_met")


@dataclass
class CriterionScore:
    criterion: str
    confusion: Counter = field(default_factory=Counter)  # (gold, predicted) → count
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None and r is None:
            return None  # no shortfall labelled and none flagged: nothing to measure
        p, r = p or 0.0, r or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def agreement(self) -> float:
        same = sum(v for (g, p), v in self.confusion.items() if g == p)
        return same / self.n if self.n else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion, "n": self.n, "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
            "precision": _round(self.precision), "recall": _round(self.recall), "f1": _round(self.f1),
            "agreement": round(self.agreement, 3),
            "confusion": {f"{g}->{p}": v for (g, p), v in sorted(self.confusion.items())},
        }


@dataclass
class RuleScore:
    rule: str
    criterion: str
    fired: int = 0  # transcripts where the rule reported a problem
    correct: int = 0  # …whose criterion was labelled a shortfall

    @property
    def precision(self) -> float | None:
        return self.correct / self.fired if self.fired else None

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "criterion": self.criterion, "fired": self.fired, "correct": self.correct,
                "precision": _round(self.precision)}


@dataclass
class Judgement:
    file: str
    quality: str
    gold: dict[str, str]
    predicted: dict[str, str]
    error_findings: int
    score: float
    decision: str
    fired_rules: dict[str, str] = field(default_factory=dict)  # rule → first message


@dataclass
class CountCheck:
    """A transcript read without being told the agent: its message counts against the labels."""

    file: str
    expected: tuple[int, int]  # (agent_turns, customer_turns)
    got: tuple[int, int] | None
    error: str | None = None

    @property
    def matched(self) -> bool:
        return self.got == self.expected


def check_message_counts(corpus: str | Path, labels: dict[str, dict[str, Any]]) -> list[CountCheck]:
    """Parse every transcript whose label has ``agent_turns``/``customer_turns`` with no agent and
    the channel detected, and compare the learner's and customer's message counts with the labels
    (a colleague who spoke before a transfer is another agent, not the learner)."""
    from .parse import read_file

    checks = []
    for name, entry in labels.items():
        if not isinstance(entry.get("agent_turns"), int) or not isinstance(entry.get("customer_turns"), int):
            continue
        expected = (entry["agent_turns"], entry["customer_turns"])
        try:
            conversation = read_file(Path(corpus) / name)
        except ReplyCheckError as exc:
            checks.append(CountCheck(name, expected, None, str(exc)))
            continue
        got = (len(conversation.learner_turns), len(conversation.customer_turns))
        checks.append(CountCheck(name, expected, got))
    return checks


@dataclass
class EvalResult:
    rules: str
    corpus: str
    criteria: dict[str, CriterionScore]
    rule_scores: dict[str, RuleScore]
    judgements: list[Judgement]
    failures: list[tuple[str, str]]
    behavioural: tuple[str, ...]
    counts: list[CountCheck] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        pairs = [(j.gold.get(c), j.predicted.get(c)) for j in self.judgements for c in j.gold]
        return sum(1 for g, p in pairs if g == p) / len(pairs) if pairs else 0.0

    def strong_with_errors(self) -> list[str]:
        return [j.file for j in self.judgements if j.quality == "strong" and j.error_findings]

    def disagreements(self) -> list[tuple[str, str, str, str]]:
        return [(j.file, c, g, j.predicted.get(c, "?")) for j in self.judgements for c, g in j.gold.items()
                if j.predicted.get(c) != g]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": self.rules, "corpus": self.corpus, "transcripts": len(self.judgements),
            "failed": [{"file": f, "error": e} for f, e in self.failures],
            "agreement": round(self.agreement, 3),
            "criteria": [s.to_dict() | {"behavioural": s.criterion in self.behavioural} for s in self.criteria.values()],
            "rules_detail": [r.to_dict() for r in sorted(self.rule_scores.values(), key=lambda r: r.rule)],
            "strong_with_error_findings": self.strong_with_errors(),
            "message_counts": {
                "checked": len(self.counts), "matched": sum(c.matched for c in self.counts),
                "mismatches": [{"file": c.file, "expected": list(c.expected), "got": list(c.got) if c.got else None,
                                "error": c.error} for c in self.counts if not c.matched],
            },
            "disagreements": [{"file": f, "criterion": c, "gold": g, "predicted": p} for f, c, g, p in self.disagreements()],
            "transcript_results": [
                {"file": j.file, "quality": j.quality, "score": round(j.score, 1), "decision": j.decision,
                 "predicted": j.predicted, "gold": j.gold}
                for j in self.judgements
            ],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def load_labels(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = safe_yaml.load(path.read_text(encoding="utf-8"))
    except safe_yaml.YamlProblem as exc:
        raise InputError(f"labels are not valid YAML: {exc.problem}", source=str(path), line=exc.line) from None
    except UnicodeDecodeError:
        raise InputError("labels are not UTF-8 text", source=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the labels: {exc.strerror or exc}", source=str(path)) from None
    if not isinstance(data, dict):
        raise InputError("labels must map each transcript path to its labels", source=str(path))
    for name, entry in data.items():
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"{str(name)[:40]!r}: each key must be a transcript's path (text)", source=str(path))
        for key in ("channel", "agent"):
            value = entry.get(key) if isinstance(entry, dict) else None
            if value is not None and not isinstance(value, str):
                raise InputError(f"{name}: '{key}' must be text, not {str(value)[:40]!r}", source=str(path))
        labels = entry.get("labels") if isinstance(entry, dict) else None
        if not isinstance(labels, dict):
            raise InputError(f"{name}: missing 'labels' mapping", source=str(path))
        bad = {k: v for k, v in labels.items() if v not in STATUSES}
        if bad:
            k, v = next(iter(bad.items()))
            raise InputError(f"{name}: label {k}: {v!r} is not one of {', '.join(STATUSES)}", source=str(path))
    return data


def judge_corpus(checker: Any, corpus: str | Path, labels: dict[str, dict[str, Any]], rules: str = "default"):
    """Yield (file, entry, report or None, error or None) for every labelled transcript."""
    from .parse import read_file

    corpus = Path(corpus)
    for name, entry in labels.items():
        path = corpus / name
        try:
            conversation = read_file(path, channel=entry.get("channel") or "auto", agent=entry.get("agent"))
            report = checker.check(conversation, rules=rules)
            yield name, entry, report, None
        except ReplyCheckError as exc:
            yield name, entry, None, str(exc)


def evaluate_corpus(checker: Any, corpus: str | Path, labels_path: str | Path | None = None,
                    rules: str = "default") -> EvalResult:
    corpus = Path(corpus)
    labels_file = Path(labels_path) if labels_path else corpus / "labels.yml"
    if not labels_file.is_file():
        raise InputError("no labels file (expected labels.yml in the corpus folder, or give --labels)", source=str(labels_file))
    labels = load_labels(labels_file)
    ruleset = checker.ruleset(rules)
    criteria = {cid: CriterionScore(cid) for cid in ruleset.criteria}
    rule_scores = {r.id: RuleScore(r.id, r.criterion) for r in ruleset.rules}
    judgements: list[Judgement] = []
    failures: list[tuple[str, str]] = []
    for name, entry, report, error in judge_corpus(checker, corpus, labels, rules):
        if report is None:
            failures.append((name, error or "failed"))
            continue
        gold = {c: s for c, s in entry["labels"].items() if c in criteria}
        predicted = {r.id: r.status for r in report.criteria}
        fired: dict[str, str] = {}
        for f in report.findings:
            fired.setdefault(f.rule_id, f.message)
        for rid in fired:
            if rid in rule_scores:
                rule_scores[rid].fired += 1
                if gold.get(rule_scores[rid].criterion) in SHORTFALL:
                    rule_scores[rid].correct += 1
        for cid, g in gold.items():
            p = predicted.get(cid, "?")
            score = criteria[cid]
            score.confusion[(g, p)] += 1
            gs, ps = g in SHORTFALL, p in SHORTFALL
            score.tp += gs and ps
            score.fp += (not gs) and ps
            score.fn += gs and not ps
            score.tn += (not gs) and not ps
        judgements.append(Judgement(
            file=name, quality=str(entry.get("quality", "")), gold=gold, predicted=predicted,
            error_findings=sum(1 for f in report.findings if f.level == "error"), score=report.score,
            decision=report.decision, fired_rules=fired,
        ))
    behavioural = tuple(c.id for c in ruleset.criteria.values() if c.behavioural)
    counts = check_message_counts(corpus, labels)
    return EvalResult(rules, str(corpus), criteria, rule_scores, judgements, failures, behavioural, counts)


def _fmt(value: float | None) -> str:
    return "  —  " if value is None else f"{value:5.2f}"


def render_eval_text(result: EvalResult, show_errors: bool = False) -> str:
    lines = [f"Rule set: {result.rules}   corpus: {result.corpus}   transcripts judged: {len(result.judgements)}"
             + (f"   failed: {len(result.failures)}" if result.failures else ""), ""]
    lines.append("Flagging a shortfall (partly or not met) against the labels:")
    lines.append(f"  {'criterion':<22} {'TP':>3} {'FP':>3} {'FN':>3} {'TN':>3}  precision  recall     F1  agreement")
    for score in result.criteria.values():
        tag = "" if score.criterion in result.behavioural else "  (writing)"
        lines.append(f"  {score.criterion:<22} {score.tp:>3} {score.fp:>3} {score.fn:>3} {score.tn:>3}    "
                     f"{_fmt(score.precision)}   {_fmt(score.recall)}  {_fmt(score.f1)}     {score.agreement:5.2f}{tag}")
    lines.append("")
    lines.append(f"Exact agreement over all criteria: {result.agreement:.3f}")
    strong = result.strong_with_errors()
    lines.append(f"Strong transcripts with error-level findings: {len(strong)}" + (f" ({', '.join(strong)})" if strong else ""))
    if result.counts:
        matched = sum(c.matched for c in result.counts)
        lines.append(f"Message counts match the labels without --agent: {matched}/{len(result.counts)}")
        for c in result.counts:
            if not c.matched:
                got = f"{c.got[0]} agent / {c.got[1]} customer" if c.got else f"not read ({c.error})"
                lines.append(f"  count mismatch {c.file}: labelled {c.expected[0]} agent / {c.expected[1]} customer, read {got}")
    for name, error in result.failures:
        lines.append(f"FAILED {name}: {error}")
    if show_errors:
        lines += ["", "Disagreements (file, criterion: gold → predicted):"]
        for file, criterion, gold, predicted in result.disagreements():
            lines.append(f"  {file}  {criterion}: {gold} → {predicted}")
    return "\n".join(lines)
