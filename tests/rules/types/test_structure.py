import pytest

from ruletools import make_rule, run_rule, statuses

HEADERS = "From: Sam <sam@x.example>\nTo: Priya <p@example.com>\n"


@pytest.mark.parametrize("email, missing", [
    (HEADERS + "Subject: Re: Bill\n\nDear Ms Shah,\n\nDone.\n\nKind regards,\nSam Patel", []),
    (HEADERS + "\nDear Ms Shah,\n\nDone.\n\nKind regards,\nSam Patel", ["subject"]),
    (HEADERS + "Subject: Re\n\nDone.\n\nKind regards,\nSam Patel", ["salutation"]),
    (HEADERS + "Subject: Re\n\nDear Ms Shah,\n\nDone.", ["signoff"]),
    (HEADERS + "Subject: Re\n\nDear Ms Shah,\n\nDone.\n\nKind regards,\nCustomer Services Team", ["signoff_name"]),
    (HEADERS + "Subject: Re\n\nDear Ms Shah,\n" + "word " * 80 + "\n\nKind regards,\nSam Patel", ["paragraphs"]),
])
def test_structure_reports_each_missing_part(checker, email, missing):
    rule = make_rule(checker.nlp, type="structure", criterion="channel_conventions",
                     messages={"subject": "no subject", "salutation": "no salutation", "signoff": "no signoff",
                               "signoff_name": "no name", "paragraphs": "no paragraphs"})
    found = [f for f in run_rule(rule, email, checker.nlp, channel="email") if not f.positive]
    assert [f.message.replace("no ", "").replace("name", "signoff_name") for f in found] == missing


def test_structure_per_part_status(checker):
    rule = make_rule(checker.nlp, type="structure", criterion="closing", require=["signoff", "signoff_name"],
                     statuses={"signoff": "not_met", "signoff_name": "partly"})
    email = HEADERS + "Subject: Re\n\nDear Ms Shah,\n\nDone."
    assert statuses(run_rule(rule, email, checker.nlp, channel="email")) == ["not_met"]


def test_structure_ignores_chat(checker):
    rule = make_rule(checker.nlp, type="structure", criterion="channel_conventions")
    assert run_rule(rule, "Agent: hi\nCustomer: hi", checker.nlp) == []
