"""Report stage: roll findings up into criteria, score, decide, and write feedback.

How a criterion's status is decided from its rules' findings:

1. any finding arguing ``not_met`` → not met;
2. else ``partly`` findings: when their rule weights add up to more than the criterion's
   ``partly_limit`` → not met, otherwise partly;
3. else any evidence of good practice → met;
4. else a rule said the criterion does not apply (no trigger) → not applicable, or not
   assessable (record keeping without notes);
5. else the criterion's ``default`` (e.g. data protection: met when no breach was found).

Scores: met 1, partly 0.5, not met 0; not applicable / not assessable criteria are left out and
the others re-weighted. A critical criterion not met makes the decision "not yet competent"
whatever the score.
"""
from __future__ import annotations

from typing import Any

from .model import ActedConversation, AnalysedConversation, CriterionResult, Evidence, Finding, Priority, Report

STATUS_SCORE = {"met": 1.0, "partly": 0.5, "not_met": 0.0}
STATUS_LABEL = {"met": "met", "partly": "partly", "not_met": "not met", "not_applicable": "n/a",
                "not_assessable": "not assessable"}
LEVEL_RANK = {"error": 3, "warning": 2, "suggestion": 1}
STATUS_MARK = {"met": "✔", "partly": "◐", "not_met": "✘", "not_applicable": "–", "not_assessable": "?"}


def criterion_status(criterion: Any, findings: list[Finding], rule_weights: dict[str, float]) -> str:
    problems = [f for f in findings if not f.positive and f.status in ("partly", "not_met")]
    if any(f.status == "not_met" for f in problems):
        return "not_met"
    if problems:
        weight = sum(rule_weights.get(f.rule_id, 1.0) for f in problems)
        if criterion.partly_limit is not None and weight > criterion.partly_limit:
            return "not_met"
        return "partly"
    if any(f.positive for f in findings):
        return "met"
    skipped = [f.status for f in findings if f.status in ("not_applicable", "not_assessable")]
    if skipped:
        return "not_assessable" if "not_assessable" in skipped else "not_applicable"
    return criterion.default


def build_report(analysed: AnalysedConversation | ActedConversation, ruleset: Any, findings: list[Finding]) -> Report:
    acts: tuple = ()
    recognisers: dict = {}
    if isinstance(analysed, ActedConversation):
        acts, recognisers = analysed.acts, dict(analysed.recognisers)
        analysed = analysed.analysed
    rule_weights = {r.id: r.weight for r in ruleset.rules}
    by_criterion: dict[str, list[Finding]] = {cid: [] for cid in ruleset.criteria}
    for f in findings:
        by_criterion.setdefault(f.criterion, []).append(f)

    results: list[CriterionResult] = []
    for cid, criterion in ruleset.criteria.items():
        fs = by_criterion.get(cid, [])
        status = criterion_status(criterion, fs, rule_weights)
        problems = sorted((f for f in fs if not f.positive and f.status in ("partly", "not_met")), key=_lead_order)
        positives = [f for f in fs if f.positive]
        skipped = [f for f in fs if f.status in ("not_applicable", "not_assessable")]
        if status == "met":
            lead = positives[0] if positives else None
            if lead is not None and lead.suggestion:  # met, with something still to put right ("Hi [Customer Name]")
                message, suggestion = lead.message, lead.suggestion
            else:
                message = criterion.met_message + (f' "{_short(lead.quote)}"' if lead and lead.quote else "")
                suggestion = ""
        elif status in ("partly", "not_met"):
            lead = problems[0] if problems else None
            message = lead.message if lead else criterion.description
            suggestion = (lead.suggestion if lead and lead.suggestion else criterion.suggestion)
        else:
            message = skipped[0].message if skipped else (
                "Not applicable to this conversation." if status == "not_applicable" else "Not assessable from the transcript.")
            suggestion = ""
        evidence = tuple(
            Evidence(f.turn, f.start, f.end, f.quote, f.positive)
            for f in (positives + problems) if f.start is not None
        )
        results.append(CriterionResult(
            id=cid, title=criterion.title, status=status, score=STATUS_SCORE.get(status),
            weight=criterion.weight, critical=criterion.critical, evidence=evidence,
            message=message, why=criterion.why, suggestion=suggestion,
        ))

    scored = [r for r in results if r.score is not None]
    total_weight = sum(r.weight for r in scored)
    score = 100.0 * sum(r.weight * r.score for r in scored) / total_weight if total_weight else 0.0
    critical_failures = tuple(r.id for r in results if r.critical and r.status == "not_met")
    decision = "competent" if not critical_failures and score >= ruleset.pass_score else "not_yet_competent"

    went_well = tuple(r.message for r in results if r.status == "met" and not r.suggestion and r.id in _judged(by_criterion, r.id))
    problems_all = tuple(sorted(
        (f for f in findings if not f.positive and f.status in ("partly", "not_met")),
        key=lambda f: (f.start if f.start is not None else 1 << 30, f.rule_id),
    ))
    agent_turns = {t.index for t in analysed.conversation.turns if t.role == "agent"}
    priorities = build_priorities(results, problems_all, agent_turns)
    even_better_if = tuple(f"{p.message} {p.suggestion}".strip() for p in priorities)
    return Report(
        analysed=analysed, rules_name=ruleset.name, rules_version=ruleset.version, criteria=tuple(results),
        findings=problems_all, score=score, decision=decision, critical_failures=critical_failures,
        went_well=went_well, even_better_if=even_better_if, acts=acts, act_recognisers=recognisers,
        priorities=priorities,
    )


def _lead_order(f: Finding) -> tuple:
    """Which of a criterion's problems leads it: the most serious, then the earliest."""
    return (-LEVEL_RANK.get(f.level, 0), f.status != "not_met", f.turn if f.turn is not None else 1 << 30,
            f.start if f.start is not None else 1 << 30)


def build_priorities(results: list[CriterionResult], findings: tuple[Finding, ...],
                     agent_turns: set[int] | frozenset[int] = frozenset()) -> tuple[Priority, ...]:
    """What to fix first: one entry per criterion that is partly or not met, each led by its most
    serious finding, preferring one that quotes the learner's own words over the customer's.

    Order: critical criteria first; then by the most serious level among the criterion's findings
    (must fix, should fix, suggestion); then by how many points fixing it is worth (weight times
    what is missing from its score); then by where it first happens in the conversation.
    """
    by_criterion: dict[str, list[int]] = {}
    for i, f in enumerate(findings):
        by_criterion.setdefault(f.criterion, []).append(i)
    entries = []
    for r in results:
        if r.status not in ("partly", "not_met"):
            continue
        idx = sorted(by_criterion.get(r.id, []),
                     key=lambda i: (-LEVEL_RANK.get(findings[i].level, 0),
                                    not (findings[i].quote and findings[i].turn in agent_turns), _lead_order(findings[i])))
        lead = findings[idx[0]] if idx else None
        level = lead.level if lead else ("error" if r.critical else "warning")
        rest = sorted(idx[1:], key=lambda i: (findings[i].start if findings[i].start is not None else 1 << 30, i))
        first_at = min((findings[i].start for i in idx if findings[i].start is not None), default=1 << 30)
        key = (not r.critical, -LEVEL_RANK.get(level, 0), -(r.weight * (1 - (r.score or 0.0))), first_at)
        entries.append((key, r, lead, level, tuple(idx[:1] + rest)))
    entries.sort(key=lambda e: e[0])
    out = []
    for rank, (_key, r, lead, level, idx) in enumerate(entries, start=1):
        out.append(Priority(
            rank=rank, criterion=r.id, title=r.title, status=r.status, critical=r.critical, level=level,
            message=lead.message if lead else r.message,
            suggestion=(lead.suggestion if lead and lead.suggestion else r.suggestion),
            why=(lead.why if lead and lead.why else r.why),
            rule=lead.rule_id if lead else None, turn=lead.turn if lead else None,
            start=lead.start if lead else None, end=lead.end if lead else None,
            quote=lead.quote if lead else "", findings=idx,
        ))
    return tuple(out)


def _judged(by_criterion: dict[str, list[Finding]], cid: str) -> set[str]:
    """Praise only what a rule actually found, not a criterion met by default."""
    return {cid} if any(f.positive for f in by_criterion.get(cid, [])) else set()


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- text output


def render_text(report: Report, color: bool = False) -> str:
    conv = report.conversation
    analysed = report.analysed

    def paint(text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if color else text

    colours = {"met": "32", "partly": "33", "not_met": "31", "not_applicable": "2", "not_assessable": "2"}
    lines = [
        paint(f"ReplyCheck report: {conv.id or 'transcript'}", "1"),
        f"{conv.channel}, {len(conv.turns)} messages, you are: {conv.agent or 'agent'} · rules: {report.rules_name} "
        f"{report.rules_version} · proofreader: {analysed.proofreading.backend}",
    ]
    unread = sum(u.text.count("\n") + 1 for u in conv.unread_lines)
    lines.append(f"read as: {conv.format or conv.channel}; lines not read as messages: {unread}")
    for warning in conv.warnings:
        lines.append(paint(f"warning: {warning}", "33"))
    for note in analysed.proofreading.notes:
        lines.append(paint(f"note: {note}", "33"))
    decision = "COMPETENT" if report.decision == "competent" else "NOT YET COMPETENT"
    lines += ["", paint(f"Decision: {decision}   Score: {report.score:.0f}/100", "1;32" if report.decision == "competent" else "1;31")]
    if report.critical_failures:
        lines.append(paint("Critical failure: " + ", ".join(report.critical_failures), "31"))
    lines += ["", paint("Criteria", "1")]
    width = max(len(r.title) for r in report.criteria)
    for r in report.criteria:
        mark = paint(f"{STATUS_MARK[r.status]} {STATUS_LABEL[r.status]:<14}", colours[r.status])
        crit = " (critical)" if r.critical else ""
        lines.append(f"  {mark} {r.title:<{width}}{crit}")
        if r.status not in ("met",) or r.evidence:
            lines.append(f"      {r.message}")
        if r.suggestion:
            lines.append(f"      → {r.suggestion}")
    if report.went_well:
        lines += ["", paint("What went well", "1")] + [f"  • {w}" for w in report.went_well]
    if report.even_better_if:
        lines += ["", paint("Even better if", "1")] + [f"  • {w}" for w in report.even_better_if]
    if report.findings:
        lines += ["", paint(f"Findings ({len(report.findings)})", "1")]
        for f in report.findings:
            where = f"message {f.turn + 1}" if f.turn is not None else "notes"
            quote = f' "{_short(f.quote, 60)}"' if f.quote else ""
            lines.append(f"  [{f.level}] {where}{quote}: {f.message}  ({f.rule_id})")
            if f.suggestion:
                lines.append(f"      → {f.suggestion}")
    lines += ["", paint("Conversation", "1") + "  (your messages are marked ›; proofreading issues under them)"]
    issues_by_turn: dict[int, list] = {}
    for issue in analysed.proofreading.issues:
        issues_by_turn.setdefault(issue.turn, []).append(issue)
    for turn in conv.turns:
        mark = "›" if turn.role == "agent" else " "
        when = f" [{turn.time}]" if turn.time else ""
        lines.append(f"{mark} {turn.index + 1:>2}. {turn.speaker}{when}:")
        lines += [f"       {line}" for line in turn.text.split("\n")]
        for issue in issues_by_turn.get(turn.index, []):
            better = f" → {', '.join(issue.suggestions[:2])}" if issue.suggestions else ""
            lines.append(paint(f"       ✎ '{issue.text}'{better} ({issue.category}: {issue.message})", "33"))
    if conv.notes:
        lines += ["  notes:"] + [f"       {line}" for line in conv.notes.split("\n")]
    if conv.unread_lines:
        lines += ["", paint("Not read as messages", "1") + "  (if your words are here, the transcript was misread)"]
        lines += [f"  ? {line}" for u in conv.unread_lines for line in u.text.split("\n")]
    r = analysed.readability
    fre = f", reading ease {r.flesch_reading_ease:.0f}" if r.flesch_reading_ease is not None else ""
    lines += ["", f"Readability: {r.words} words in {r.sentences} sentences, {r.avg_sentence_words:.1f} words a sentence "
                  f"(longest {r.longest_sentence_words}){fre}"]
    return "\n".join(lines)
