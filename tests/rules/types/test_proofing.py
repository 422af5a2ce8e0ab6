from checker.proofing import HarperProofreader
from ruletools import make_rule, run_rule


def test_proofing_turns_issues_into_findings(checker):
    rule = make_rule(checker.nlp, type="proofing", categories=["spelling"], message="{issue}")
    (f,) = run_rule(rule, "Agent: You will recieve it.\nCustomer: ok", checker.nlp, proofreader=HarperProofreader())
    assert f.quote == "recieve" and "receive" in f.suggestion


def test_proofing_ignore_words_and_categories(checker):
    rule = make_rule(checker.nlp, type="proofing", categories=["spelling"], ignore_words=["thx"])
    assert run_rule(rule, "Agent: thx for waiting", checker.nlp, proofreader=HarperProofreader()) == []
    rule = make_rule(checker.nlp, type="proofing", categories=["style"])
    assert run_rule(rule, "Agent: You will recieve it.", checker.nlp, proofreader=HarperProofreader()) == []


def test_the_same_slip_twice_is_one_error(checker):
    rule = make_rule(checker.nlp, type="proofing", categories=["spelling"], message="{issue}")
    text = "Agent: You will recieve the form today and recieve the refund on Friday.\nCustomer: ok"
    assert [f.quote for f in run_rule(rule, text, checker.nlp, proofreader=HarperProofreader())] == ["recieve"]
