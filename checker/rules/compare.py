"""Measure a rule set against a labelled corpus, and compare two rule sets on the same corpus.

Built on ``checker.evaluation.evaluate_corpus`` (per-criterion confusion counts, precision,
recall, F1, agreement; per-rule firing counts). This module adds

- per-rule **recall**: of the transcripts whose rule's criterion was labelled a shortfall (and
  whose channel the rule covers), how many the rule flagged;
- ``compare_rulesets``: what differs between two rule sets (criteria, rules, word lists, canned
  responses), the score differences per criterion and per rule, and every transcript whose
  judgement changed (a criterion's status or the decision), with **why**: which rules'
  findings differ between the two, re-run on that transcript.

The rule set given first (``base``) is "before", the second (``candidate``) "after".
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..evaluation import SHORTFALL, EvalResult, Judgement, evaluate_corpus, load_labels
from ..model import Finding
from .base import Rule

# ---------------------------------------------------------------- per-rule precision and recall


@dataclass
class RuleStat:
    rule: str
    criterion: str
    state: str
    fired: int  # transcripts where the rule reported a problem
    correct: int  # …whose criterion was labelled a shortfall
    shortfalls: int  # transcripts in the rule's channels whose criterion was labelled a shortfall

    @property
    def precision(self) -> float | None:
        return self.correct / self.fired if self.fired else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.shortfalls if self.shortfalls else None

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "criterion": self.criterion, "state": self.state, "fired": self.fired,
                "correct": self.correct, "shortfalls": self.shortfalls, "precision": _round(self.precision),
                "recall": _round(self.recall)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def labels_file(corpus: str | Path, labels_path: str | Path | None) -> Path:
    return Path(labels_path) if labels_path else Path(corpus) / "labels.yml"


def rule_stats(result: EvalResult, ruleset: Any, labels: dict[str, dict[str, Any]]) -> dict[str, RuleStat]:
    stats: dict[str, RuleStat] = {}
    for rule in ruleset.rules:
        fired = correct = shortfalls = 0
        for j in result.judgements:
            channel = (labels.get(j.file) or {}).get("channel")
            in_channel = channel not in ("chat", "email") or channel in rule.channels
            short = j.gold.get(rule.criterion) in SHORTFALL
            hit = rule.id in j.fired_rules
            fired += hit
            correct += hit and short
            shortfalls += short and in_channel
        stats[rule.id] = RuleStat(rule.id, rule.criterion, rule.state, fired, correct, shortfalls)
    return stats


@dataclass
class Measurement:
    """One rule set measured on a corpus."""

    result: EvalResult
    ruleset: Any
    stats: dict[str, RuleStat]

    def to_dict(self) -> dict[str, Any]:
        out = self.result.to_dict()
        out["rule_set"] = {"name": self.ruleset.name, "version": self.ruleset.version, "path": self.ruleset.path}
        out["rules_detail"] = [s.to_dict() for s in sorted(self.stats.values(), key=lambda s: (s.criterion, s.rule))]
        out["competent"] = sum(1 for j in self.result.judgements if j.decision == "competent")
        return out


def measure(checker: Any, corpus: str | Path, rules: str, labels_path: str | Path | None = None) -> Measurement:
    result = evaluate_corpus(checker, corpus, labels_path=labels_path, rules=rules)
    ruleset = checker.ruleset(rules)
    labels = load_labels(labels_file(corpus, labels_path))
    return Measurement(result, ruleset, rule_stats(result, ruleset, labels))


def _fmt(value: float | None) -> str:
    return "  —  " if value is None else f"{value:5.2f}"


def render_rule_table(m: Measurement) -> str:
    lines = ["Per rule: fired = transcripts where it reported a problem; correct = of those, the ones labelled a",
             "shortfall of its criterion; recall = of the transcripts labelled a shortfall (in the rule's channels),",
             "the share it flagged. A rule that only gives evidence of good practice (a greeting found) fires rarely.",
             f"  {'rule':<46} {'fired':>5} {'correct':>7}  precision  recall"]
    for s in sorted(m.stats.values(), key=lambda s: (s.criterion, s.rule)):
        tag = "" if s.state == "active" else f"  ({s.state}: not run for learners)"
        lines.append(f"  {s.rule:<46} {s.fired:>5} {s.correct:>7}    {_fmt(s.precision)}   {_fmt(s.recall)}{tag}")
    return "\n".join(lines)


# ---------------------------------------------------------------- what differs between two rule sets


def _short_list(items: list[str], limit: int = 6) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if v is None:
        return "none"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    text = str(v)
    return repr(text if len(text) <= 50 else text[:47] + "…") if isinstance(v, str) else text


def _field_change(name: str, a: Any, b: Any) -> str:
    if isinstance(a, tuple) and isinstance(b, tuple) and all(isinstance(x, str) for x in a + b):
        added = [x for x in b if x not in a]
        removed = [x for x in a if x not in b]
        parts = []
        if added:
            parts.append(f"+{len(added)} ({_short_list([repr(x) for x in added], 4)})")
        if removed:
            parts.append(f"−{len(removed)} ({_short_list([repr(x) for x in removed], 4)})")
        return f"{name} " + " ".join(parts) if parts else f"{name} reordered"
    if isinstance(a, dict) and isinstance(b, dict) and name == "examples":
        na, nb = sum(len(v) for v in a.values()), sum(len(v) for v in b.values())
        return f"examples {na} → {nb}"
    if isinstance(a, dict) and isinstance(b, dict):
        added = [k for k in b if k not in a]
        removed = [k for k in a if k not in b]
        altered = [k for k in a if k in b and a[k] != b[k]]
        parts = [f"+{len(added)} ({_short_list([repr(x) for x in added], 4)})"] if added else []
        parts += [f"−{len(removed)} ({_short_list([repr(x) for x in removed], 4)})"] if removed else []
        parts += [f"{len(altered)} changed"] if altered else []
        return f"{name} " + " ".join(parts)
    return f"{name} {_value(a)} → {_value(b)}"


def rule_differences(a: Rule, b: Rule) -> list[str]:
    if type(a) is not type(b):
        return [f"type {a.type_name} → {b.type_name}"]
    return [_field_change(f.name, getattr(a, f.name), getattr(b, f.name))
            for f in fields(a) if f.compare and getattr(a, f.name) != getattr(b, f.name)]


def ruleset_differences(base: Any, cand: Any) -> list[str]:
    """What changes from ``base`` to ``cand``, one line each, in words a tutor reads."""
    out: list[str] = []
    if base.pass_score != cand.pass_score:
        out.append(f"pass score {_value(base.pass_score)} → {_value(cand.pass_score)}")
    for cid in dict.fromkeys(list(base.criteria) + list(cand.criteria)):
        ca, cb = base.criteria.get(cid), cand.criteria.get(cid)
        if ca is None or cb is None:
            out.append(f"criterion {cid}: only in {(cand if ca is None else base).name}")
            continue
        diffs = [_field_change(f.name, getattr(ca, f.name), getattr(cb, f.name)) for f in fields(ca)
                 if getattr(ca, f.name) != getattr(cb, f.name)]
        if diffs:
            out.append(f"criterion {cid}: " + "; ".join(diffs))
    ra, rb = {r.id: r for r in base.rules}, {r.id: r for r in cand.rules}
    for rid in sorted(set(ra) | set(rb)):
        if rid not in rb:
            where = cand.disabled.get(rid)
            out.append(f"rule {rid}: not in {cand.name}" + (f" (disabled at {where})" if where else ""))
        elif rid not in ra:
            out.append(f"rule {rid}: new in {cand.name} ({rb[rid].type_name}, criterion {rb[rid].criterion})")
        else:
            diffs = rule_differences(ra[rid], rb[rid])
            if diffs:
                out.append(f"rule {rid}: " + "; ".join(diffs))
    added = sorted(cand.accepted_words - base.accepted_words)
    removed = sorted(base.accepted_words - cand.accepted_words)
    if added:
        out.append(f"accepted words +{len(added)}: {_short_list(added, 10)}")
    if removed:
        out.append(f"accepted words −{len(removed)}: {_short_list(removed, 10)}")
    ca_ids = {c.id: c.text for c in base.canned_responses}
    cb_ids = {c.id: c.text for c in cand.canned_responses}
    new = [i for i in cb_ids if i not in ca_ids]
    gone = [i for i in ca_ids if i not in cb_ids]
    edited = [i for i in cb_ids if i in ca_ids and ca_ids[i] != cb_ids[i]]
    if new:
        out.append(f"canned responses +{len(new)}: {_short_list(new)}")
    if gone:
        out.append(f"canned responses −{len(gone)}: {_short_list(gone)}")
    if edited:
        out.append(f"canned responses reworded: {_short_list(edited)}")
    for act in sorted(set(base.act_examples) | set(cand.act_examples)):
        ea, eb = base.act_examples.get(act), cand.act_examples.get(act)
        before = (len(ea.examples), len(ea.near_misses)) if ea else (0, 0)
        after = (len(eb.examples), len(eb.near_misses)) if eb else (0, 0)
        if ea != eb:
            out.append(f"act {act}: added examples {before[0]} → {after[0]}, near-misses {before[1]} → {after[1]}")
    return out


# ---------------------------------------------------------------- transcripts whose judgement changed


@dataclass
class Reason:
    """One rule whose findings on a transcript differ between the two rule sets."""

    rule: str
    criterion: str
    before: str
    after: str

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "criterion": self.criterion, "before": self.before, "after": self.after}


@dataclass
class TranscriptChange:
    file: str
    quality: str
    criteria: list[tuple[str, str | None, str, str]]  # criterion, gold, before, after
    decision: tuple[str, str]
    score: tuple[float, float]
    decision_reasons: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)

    def verdict(self, gold: str | None, before: str, after: str) -> str:
        if gold is None:
            return "unlabelled"
        if after == gold:
            return "now agrees"
        if before == gold:
            return "no longer agrees"
        return "still disagrees"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "quality": self.quality,
            "criteria": [{"criterion": c, "gold": g, "before": b, "after": a, "verdict": self.verdict(g, b, a)}
                         for c, g, b, a in self.criteria],
            "decision": {"before": self.decision[0], "after": self.decision[1]},
            "score": {"before": round(self.score[0], 1), "after": round(self.score[1], 1)},
            "decision_reasons": self.decision_reasons,
            "reasons": [r.to_dict() for r in self.reasons],
        }


def _quote(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_findings(findings: list[Finding]) -> str:
    """What one rule said about a transcript, in a few words."""
    if not findings:
        return "silent"
    parts = []
    problems = [f for f in findings if not f.positive and f.status in SHORTFALL]
    if problems:
        quotes = [f"'{_quote(f.quote)}'" if f.quote.strip() else f"\"{_quote(f.message, 70)}\"" for f in problems]
        statuses = sorted({f.status.replace('_', ' ') for f in problems})
        parts.append(f"flags {_short_list(list(dict.fromkeys(quotes)), 3)} ({', '.join(statuses)})")
    positives = [f for f in findings if f.positive]
    if positives:
        parts.append(f"finds evidence '{_quote(positives[0].quote)}'" if positives[0].quote else "finds evidence")
    skipped = sorted({f.status.replace("_", " ") for f in findings if f.status in ("not_applicable", "not_assessable")})
    if skipped and not problems and not positives:
        parts.append(f"says {' / '.join(skipped)}")
    return "; ".join(parts) or "silent"


def _signature(findings: list[Finding]) -> tuple:
    return tuple(sorted((f.positive, f.status, f.start or -1, f.end or -1, f.message) for f in findings))


def transcript_findings(checker: Any, ruleset: Any, path: Path, entry: dict[str, Any]) -> dict[str, list[Finding]]:
    """Every finding (problems, evidence, not applicable) of every rule, by rule id."""
    from ..evaluate import evaluate
    from ..parse import read_file

    conversation = read_file(path, channel=entry.get("channel") or "auto", agent=entry.get("agent"))
    acted = checker.acts(checker.analyse(conversation, ruleset.accepted_words), ruleset)
    out: dict[str, list[Finding]] = {}
    for f in evaluate(acted, ruleset):
        out.setdefault(f.rule_id, []).append(f)
    return out


def _critical_failures(j: Judgement, ruleset: Any) -> list[str]:
    return [c for c, s in j.predicted.items() if s == "not_met" and c in ruleset.criteria and ruleset.criteria[c].critical]


def _decision_reasons(b: Judgement, a: Judgement, rb: Any, ra: Any) -> list[str]:
    """Why the decision changed: a critical failure appeared or went, or the score crossed the pass mark."""
    out = []
    crit_b, crit_a = _critical_failures(b, rb), _critical_failures(a, ra)
    for c in crit_a:
        if c not in crit_b:
            was_critical = c in rb.criteria and rb.criteria[c].critical
            out.append(f"{c} is not met and is critical" + ("" if was_critical else f" in {ra.name} only"))
    for c in crit_b:
        if c not in crit_a:
            out.append(f"{c} is no longer a critical failure")
    passed_b, passed_a = b.score >= rb.pass_score, a.score >= ra.pass_score
    if passed_b != passed_a:
        pass_text = _value(ra.pass_score) if rb.pass_score == ra.pass_score else f"{_value(rb.pass_score)} → {_value(ra.pass_score)}"
        out.append(f"score {b.score:.1f} → {a.score:.1f}, pass score {pass_text}")
    return out


# ---------------------------------------------------------------- the comparison


@dataclass
class Comparison:
    corpus: str
    labels: str
    base: Measurement
    cand: Measurement
    differences: list[str]
    changes: list[TranscriptChange]
    score_only: list[str]  # transcripts whose score moved with no change of status or decision

    @property
    def criterion_changes(self) -> list[tuple[str, str | None, str, str, str]]:
        return [(t.file, c, g, b, a) for t in self.changes for c, g, b, a in t.criteria]

    def verdicts(self) -> dict[str, int]:
        out = {"now agrees": 0, "no longer agrees": 0, "still disagrees": 0, "unlabelled": 0}
        for t in self.changes:
            for c, g, b, a in t.criteria:
                out[t.verdict(g, b, a)] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        def summary(m: Measurement) -> dict[str, Any]:
            d = m.to_dict()
            return {k: d[k] for k in ("rule_set", "transcripts", "agreement", "competent", "failed", "criteria", "rules_detail")}

        return {
            "corpus": self.corpus, "labels": self.labels,
            "before": summary(self.base), "after": summary(self.cand),
            "differences": self.differences,
            "changed_transcripts": [t.to_dict() for t in self.changes],
            "score_only_changes": self.score_only,
            "verdicts": self.verdicts(),
            "decisions_changed": sum(1 for t in self.changes if t.decision[0] != t.decision[1]),
        }


def compare_rulesets(checker: Any, corpus: str | Path, base_rules: str, cand_rules: str,
                     labels_path: str | Path | None = None) -> Comparison:
    corpus = Path(corpus)
    lf = labels_file(corpus, labels_path)
    base = measure(checker, corpus, base_rules, labels_path)
    cand = measure(checker, corpus, cand_rules, labels_path)
    labels = load_labels(lf)
    before = {j.file: j for j in base.result.judgements}
    changes: list[TranscriptChange] = []
    score_only: list[str] = []
    for j in cand.result.judgements:
        b = before.get(j.file)
        if b is None:
            continue
        crits = [(c, j.gold.get(c, b.gold.get(c)), b.predicted.get(c, "?"), j.predicted.get(c, "?"))
                 for c in dict.fromkeys(list(b.predicted) + list(j.predicted)) if b.predicted.get(c) != j.predicted.get(c)]
        if not crits and b.decision == j.decision:
            if abs(b.score - j.score) > 0.05:
                score_only.append(j.file)
            continue
        change = TranscriptChange(j.file, j.quality, crits, (b.decision, j.decision), (b.score, j.score))
        if b.decision != j.decision:
            change.decision_reasons = _decision_reasons(b, j, base.ruleset, cand.ruleset)
        if crits:
            entry = labels.get(j.file) or {}
            fb = transcript_findings(checker, base.ruleset, corpus / j.file, entry)
            fa = transcript_findings(checker, cand.ruleset, corpus / j.file, entry)
            changed_criteria = {c for c, *_ in crits}
            criterion_of = {r.id: r.criterion for r in base.ruleset.rules} | {r.id: r.criterion for r in cand.ruleset.rules}
            for rid in sorted(set(fb) | set(fa) | set(criterion_of)):
                crit = criterion_of.get(rid, "")
                if crit not in changed_criteria:
                    continue
                if _signature(fb.get(rid, [])) == _signature(fa.get(rid, [])):
                    continue
                b_text = describe_findings(fb.get(rid, [])) if rid in {r.id for r in base.ruleset.rules} else "not in the rule set"
                a_text = describe_findings(fa.get(rid, [])) if rid in {r.id for r in cand.ruleset.rules} else "not in the rule set"
                if b_text == a_text:
                    b_text, a_text = b_text + " (other findings)", a_text
                change.reasons.append(Reason(rid, crit, b_text, a_text))
            for c, *_ in crits:
                if not any(r.criterion == c for r in change.reasons):
                    ca, cb = base.ruleset.criteria.get(c), cand.ruleset.criteria.get(c)
                    if ca and cb and ca.partly_limit != cb.partly_limit:
                        change.reasons.append(Reason("", c, f"partly_limit {_value(ca.partly_limit)}", f"partly_limit {_value(cb.partly_limit)}"))
                    elif ca and cb and ca.default != cb.default:
                        change.reasons.append(Reason("", c, f"default {ca.default}", f"default {cb.default}"))
        changes.append(change)
    return Comparison(str(corpus), str(lf), base, cand, ruleset_differences(base.ruleset, cand.ruleset), changes, score_only)


# ---------------------------------------------------------------- text


def _pair(a: float | None, b: float | None, width: int = 13) -> str:
    if a == b or (a is not None and b is not None and round(a, 2) == round(b, 2)):
        return f"{_fmt(a).strip():<{width}}"
    return f"{(_fmt(a).strip() + ' → ' + _fmt(b).strip()):<{width}}"


def render_comparison(cmp: Comparison) -> str:
    b, a = cmp.base, cmp.cand
    rb, ra = b.ruleset, a.ruleset
    n = len(a.result.judgements)
    from .centre import show_path

    lines = [f"Comparing two rule sets on {cmp.corpus} ({n} transcripts; labels {cmp.labels})",
             f"  before: {rb.name} {rb.version} ({show_path(rb.path)})",
             f"  after:  {ra.name} {ra.version} ({show_path(ra.path)})", ""]
    lines.append("What differs between the rule sets:")
    lines += [f"  - {d}" for d in cmp.differences] or ["  (nothing: the two rule sets are the same)"]
    lines += ["", "Per criterion, flagging a shortfall against the labels (before → after; * marks a change):",
              f"    {'criterion':<22} {'TP/FP/FN/TN':<19} {'precision':<13} {'recall':<13} {'F1':<13} agreement"]
    for cid, sa in a.result.criteria.items():
        sb = b.result.criteria.get(cid)
        if sb is None:
            continue
        counts_b, counts_a = f"{sb.tp}/{sb.fp}/{sb.fn}/{sb.tn}", f"{sa.tp}/{sa.fp}/{sa.fn}/{sa.tn}"
        changed = counts_b != counts_a or sb.confusion != sa.confusion
        counts = counts_a if counts_b == counts_a else f"{counts_b}→{counts_a}"
        lines.append(f"  {'*' if changed else ' '} {cid:<22} {counts:<19} {_pair(sb.precision, sa.precision)} "
                     f"{_pair(sb.recall, sa.recall)} {_pair(sb.f1, sa.f1)} {_pair(sb.agreement, sa.agreement)}".rstrip())
    rule_rows = []
    for rid in sorted(set(b.stats) | set(a.stats)):
        sb_, sa_ = b.stats.get(rid), a.stats.get(rid)
        if sb_ is None:
            rule_rows.append(f"    {rid:<44} new: fired {sa_.fired}, correct {sa_.correct}, precision {_fmt(sa_.precision).strip()}, "
                             f"recall {_fmt(sa_.recall).strip()}")
        elif sa_ is None:
            rule_rows.append(f"    {rid:<44} not in {a.ruleset.name} (before: fired {sb_.fired}, correct {sb_.correct})")
        elif (sb_.fired, sb_.correct, sb_.shortfalls) != (sa_.fired, sa_.correct, sa_.shortfalls):
            rule_rows.append(f"    {rid:<44} fired {sb_.fired} → {sa_.fired}, correct {sb_.correct} → {sa_.correct}, "
                             f"precision {_pair(sb_.precision, sa_.precision, 0).strip()}, recall {_pair(sb_.recall, sa_.recall, 0).strip()}")
    lines += ["", "Rules whose results changed (fired = transcripts where the rule reported a problem; correct = of those, "
              "labelled a shortfall):"]
    lines += rule_rows or ["    (none)"]
    comp_b = sum(1 for j in b.result.judgements if j.decision == "competent")
    comp_a = sum(1 for j in a.result.judgements if j.decision == "competent")
    lines += ["", f"Exact agreement over all criteria: {b.result.agreement:.3f} → {a.result.agreement:.3f};  "
                  f"competent: {comp_b} → {comp_a} of {n}"]
    v = cmp.verdicts()
    decisions = sum(1 for t in cmp.changes if t.decision[0] != t.decision[1])
    lines += ["", f"Judgements that changed in {len(cmp.changes)} transcripts: {len(cmp.criterion_changes)} criterion "
                  f"statuses ({v['now agrees']} now agree with the labels, {v['no longer agrees']} no longer agree, "
                  f"{v['still disagrees']} still disagree) and {decisions} decisions."]
    for t in cmp.changes:
        lines.append(f"  {t.file}" + (f"  ({t.quality})" if t.quality else ""))
        for c, g, before, after in t.criteria:
            mark = {"now agrees": "✓ now agrees", "no longer agrees": "✗ no longer agrees",
                    "still disagrees": "· still disagrees", "unlabelled": "(no label)"}[t.verdict(g, before, after)]
            label = f"label {g}, " if g else ""
            lines.append(f"    {c}: {before} → {after}   ({label}{mark})")
            for r in t.reasons:
                if r.criterion == c:
                    who = r.rule or "criterion"
                    lines.append(f"        because {who}: {r.before} → {r.after}")
        if t.decision[0] != t.decision[1]:
            lines.append(f"    decision: {t.decision[0]} → {t.decision[1]}" +
                         (f"   ({'; '.join(t.decision_reasons)})" if t.decision_reasons else ""))
    if cmp.score_only:
        lines += ["", f"Scores moved with no change of status or decision in {len(cmp.score_only)} transcripts "
                      f"(e.g. a criterion's weight changed): {_short_list(cmp.score_only, 5)}"]
    failed = [f for f, _ in a.result.failures] + [f for f, _ in b.result.failures]
    if failed:
        lines += ["", f"Could not be judged: {_short_list(sorted(set(failed)), 10)}"]
    return "\n".join(lines)
