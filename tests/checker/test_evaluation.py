"""The judgements against the labelled corpus: the bar the issue sets, kept by a test."""
from __future__ import annotations

import pytest

from checker.evaluation import evaluate_corpus, render_eval_text

import samples


@pytest.fixture(scope="module")
def result(checker):
    return evaluate_corpus(checker, samples.CORPUS)


def test_eval_judges_every_labelled_transcript(result):
    assert result.failures == []
    assert len(result.judgements) >= 60


def test_eval_every_behavioural_criterion_reaches_f1_0_7(result):
    """0.9 while the rules were tuned on this corpus alone. Since the dialogue acts (trained on
    other writers' sentences) identity_verification counts an order, booking or account number
    request as an identity request, as the dev set's writers do and this corpus's labels do not
    (F1 0.76 here); every other behavioural criterion is at 0.86 or more. See README."""
    low = {c: s.f1 for c, s in result.criteria.items() if c in result.behavioural and (s.f1 or 0) < 0.7}
    assert low == {}


def test_eval_strong_transcripts_have_no_error_findings(result):
    assert result.strong_with_errors() == []


def test_eval_overall_agreement(result):
    assert result.agreement >= 0.9


def test_eval_text_and_json(result):
    text = render_eval_text(result, show_errors=True)
    assert "precision" in text and "Exact agreement" in text
    data = result.to_dict()
    assert {c["criterion"] for c in data["criteria"]} == set(result.criteria)
    assert {"tp", "fp", "fn", "tn", "precision", "recall", "f1", "agreement", "confusion"} <= set(data["criteria"][0])
