from __future__ import annotations

import pytest

from checker.model import Finding
from checker.report import criterion_status, render_text
from checker.rules.loader import Criterion

import samples


def _f(status, positive=False, rule="r"):
    return Finding(rule_id=rule, criterion="c", level="warning", message="m", status=status, positive=positive)


@pytest.mark.parametrize("findings, partly_limit, default, expected", [
    ([], None, "met", "met"),
    ([], None, "not_applicable", "not_applicable"),
    ([_f("met", True)], None, "met", "met"),
    ([_f("met", True), _f("partly")], None, "met", "partly"),
    ([_f("partly"), _f("not_met")], None, "met", "not_met"),
    ([_f("partly"), _f("partly")], 1, "met", "not_met"),
    ([_f("partly"), _f("partly")], 2, "met", "partly"),
    ([_f("not_applicable")], None, "met", "not_applicable"),
    ([_f("not_assessable")], None, "met", "not_assessable"),
    ([_f("not_applicable"), _f("partly")], None, "met", "partly"),
])
def test_criterion_status_rolls_findings_up(findings, partly_limit, default, expected):
    criterion = Criterion(id="c", title="C", partly_limit=partly_limit, default=default)
    assert criterion_status(criterion, findings, {}) == expected


def test_criterion_status_uses_rule_weights():
    criterion = Criterion(id="c", title="C", partly_limit=1)
    assert criterion_status(criterion, [_f("partly", rule="heavy")], {"heavy": 2}) == "not_met"


def test_strong_transcript_is_competent_with_no_errors(checker):
    report = checker.check(samples.STRONG_CHAT)
    assert report.decision == "competent"
    assert report.score >= 85
    assert not [f for f in report.findings if f.level == "error"]
    assert report.criterion("greeting").status == "met"
    assert report.criterion("empathy").status == "met"
    assert report.criterion("identity_verification").status == "met"
    assert report.criterion("record_keeping").status == "not_assessable"


def test_weak_transcript_fails_on_critical_breach(checker):
    report = checker.check(samples.WEAK_CHAT)
    assert report.decision == "not_yet_competent"
    assert report.critical_failures == ("data_protection",)
    statuses = {c.id: c.status for c in report.criteria}
    assert statuses["greeting"] == "not_met"
    assert statuses["escalation"] == "not_met"
    assert statuses["active_listening"] == "not_met"
    assert statuses["tone"] == "not_met"


def test_not_applicable_criteria_reweight_the_score(checker):
    report = checker.check(samples.STRONG_CHAT)
    scored = [c for c in report.criteria if c.score is not None]
    expected = 100 * sum(c.weight * c.score for c in scored) / sum(c.weight for c in scored)
    assert report.score == pytest.approx(expected)
    assert all(c.score is None for c in report.criteria if c.status in ("not_applicable", "not_assessable"))


def test_critical_failure_overrides_a_high_score(checker):
    text = samples.STRONG_CHAT.replace("please could you confirm your postcode and date of birth?",
                                       "please could you give me the long card number and the CVV?")
    report = checker.check(text)
    assert report.critical_failures == ("data_protection",)
    assert report.decision == "not_yet_competent"


def test_every_finding_is_explainable(checker):
    report = checker.check(samples.WEAK_CHAT)
    assert report.findings
    for f in report.findings:
        assert f.rule_id and f.criterion and f.message and f.source
        if f.start is not None and f.end > f.start:
            assert report.conversation.source[f.start:f.end] == f.quote


def test_feedback_went_well_and_even_better_if(checker):
    report = checker.check(samples.STRONG_CHAT)
    assert any("greeted" in w for w in report.went_well)
    weak = checker.check(samples.WEAK_CHAT)
    assert weak.even_better_if and "card" in weak.even_better_if[0].lower()  # critical first


def test_render_text_is_readable(checker):
    text = render_text(checker.check(samples.WEAK_CHAT))
    assert "NOT YET COMPETENT" in text and "Critical failure: data_protection" in text
    assert "\033[" not in text
    assert "Even better if" in text and "Findings" in text
    assert "Conversation" in text and "›  1. Agent:" in text and "       Order number?" in text


@pytest.mark.parametrize("text", [
    "Agent: I'm not able to apologise for the courier.\nCustomer: My parcel never arrived and I'm upset.\nAgent: Sorry.",
])
def test_negation_does_not_fool_positive_evidence(checker, text):
    report = checker.check(text)
    assert report.criterion("empathy").status != "met"


def test_negated_verification_is_not_verification(checker):
    report = checker.check("Agent: Hello, how can I help?\nCustomer: What's my balance?\n"
                           "Agent: I can't verify you, but I can see your balance is £20.")
    assert report.criterion("identity_verification").status == "not_met"


def test_render_text_shows_proofreading_issues_under_the_message(checker):
    text = render_text(checker.check("Agent: Hello, you will recieve it.\nCustomer: ok"))
    assert "✎ 'recieve' → receive" in text


LEVEL_RANK = {"error": 3, "warning": 2, "suggestion": 1}


@pytest.mark.parametrize("text", [samples.WEAK_CHAT, samples.STRONG_CHAT])
def test_priorities_order_critical_then_level_then_weight(checker, text):
    report = checker.check(text)
    priorities = report.priorities
    needing_work = [c.id for c in report.criteria if c.status in ("partly", "not_met")]
    assert sorted(p.criterion for p in priorities) == sorted(needing_work)
    assert [p.rank for p in priorities] == list(range(1, len(priorities) + 1))
    weights = {c.id: c.weight * (1 - (c.score or 0)) for c in report.criteria}
    keys = [(not p.critical, -LEVEL_RANK[p.level], -weights[p.criterion]) for p in priorities]
    assert keys == sorted(keys)
    # every problem finding belongs to exactly one priority, under its own criterion
    indices = [i for p in priorities for i in p.findings]
    assert sorted(indices) == list(range(len(report.findings)))
    for p in priorities:
        assert all(report.findings[i].criterion == p.criterion for i in p.findings)
        if p.findings:
            lead = report.findings[p.findings[0]]
            assert (p.message, p.quote, p.rule) == (lead.message, lead.quote, lead.rule_id)
    data = report.to_dict()
    assert [p["criterion"] for p in data["priorities"]] == [p.criterion for p in priorities]


def test_priorities_put_the_critical_breach_first_and_quote_the_learner(checker):
    report = checker.check(samples.WEAK_CHAT)
    first = report.priorities[0]
    assert first.criterion == "data_protection" and first.critical and first.level == "error"
    agent_turns = {t.index for t in report.conversation.turns if t.role == "agent"}
    escalation = next(p for p in report.priorities if p.criterion == "escalation")
    assert escalation.turn in agent_turns and escalation.quote == "Managers don't"
    assert report.even_better_if[0].startswith(first.message)
