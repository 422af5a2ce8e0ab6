import pytest

from checker.rules.loader import CannedResponse
from ruletools import make_rule, run_rule, statuses

CANNED = [CannedResponse("reset", "I have sent a password reset link to the email address registered on your account. "
                                  "The link will expire in 24 hours.")]


@pytest.mark.parametrize("text, quote", [
    ("Agent: Hello [Customer Name], thanks.", "[Customer Name]"),
    ("Agent: It arrives on {date}.", "{date}"),
    ("Agent: Your order <ORDER NUMBER> is late.", "<ORDER NUMBER>"),
    ("Agent: Your reference is XXXX.", "XXXX"),
])
def test_template_unfilled_placeholders_are_not_met(checker, text, quote):
    rule = make_rule(checker.nlp, type="template", criterion="personalisation")
    (f,) = run_rule(rule, text, checker.nlp)
    assert (f.quote, f.status) == (quote, "not_met")


def test_template_canned_response_word_for_word_is_partly(checker):
    rule = make_rule(checker.nlp, type="template", criterion="personalisation")
    verbatim = "Agent: " + CANNED[0].text
    assert statuses(run_rule(rule, verbatim, checker.nlp, canned=CANNED)) == ["partly"]
    personal = ("Agent: Priya, I've sent a reset link to p.shah@example.com so you can get into the app before your "
                "train tonight; it lasts 24 hours and works on your phone or laptop.")
    assert run_rule(rule, personal, checker.nlp, canned=CANNED) == []


def test_template_ordinary_brackets_are_not_placeholders(checker):
    rule = make_rule(checker.nlp, type="template", criterion="personalisation")
    assert run_rule(rule, "Agent: Your MPAN (the 13-digit number) is on page 2 (top right).", checker.nlp) == []
