import pytest

from checker.errors import RuleError
from ruletools import make_rule, run_rule

ITEMS = {"order number": {"given": [r"\b[A-Z]{2}-\d{5,}\b"], "asked": [r"what(?:'s| is) the order number"]}}


def test_reask_flags_asking_again(checker):
    rule = make_rule(checker.nlp, type="reask", criterion="active_listening", items=ITEMS, message="{match}: {quote}")
    text = "Agent: Hi\nCustomer: Order KS-44710 is late.\nAgent: What's the order number?"
    (f,) = run_rule(rule, text, checker.nlp)
    assert f.status == "not_met" and f.message == "order number: What's the order number"


def test_reask_asking_before_it_was_given_is_fine(checker):
    rule = make_rule(checker.nlp, type="reask", criterion="active_listening", items=ITEMS)
    assert run_rule(rule, "Agent: What's the order number?\nCustomer: KS-44710", checker.nlp) == []


def test_reask_items_are_validated(checker):
    with pytest.raises(RuleError, match="needs exactly 'given' and 'asked'"):
        make_rule(checker.nlp, type="reask", criterion="active_listening", items={"x": {"given": []}})
