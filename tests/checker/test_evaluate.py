"""The evaluation context: which act a finding names when one sentence carries several."""
from types import SimpleNamespace

from checker.evaluate import Context
from checker.parse import parse_transcript
from ruletools import make_rule

TEXT = ("Customer: The boiler has stopped working and I need my appointment moved.\n"
        "Agent: I've moved your appointment to Friday and booked an engineer to fix the boiler that morning.")


def test_a_finding_names_the_act_its_rule_looked_for(checker):
    """Two rules match the same sentence through different acts (an escalation, an account
    action): each finding names its own rule's act, whichever rule ran first."""
    analysed = checker.acts(checker.analyse(parse_transcript(TEXT)))
    names = {a.name for a in analysed.acts if a.turn == 1}
    assert {"escalation", "account_action"} <= names
    ctx = Context(analysed, SimpleNamespace(canned_responses=()))
    referral = make_rule(checker.nlp, type="conditional", when=["boiler"], then_acts=["escalation"], within=1)
    change = make_rule(checker.nlp, type="conditional", when=["appointment"], then_acts=["account_action"], within=1)
    first = list(referral.evaluate(ctx))
    second = list(change.evaluate(ctx))
    assert [f.act for f in first] == ["escalation"]
    assert [f.act for f in second] == ["account_action"]
