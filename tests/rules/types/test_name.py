from ruletools import make_rule, run_rule, statuses


def test_name_used_is_evidence(checker):
    rule = make_rule(checker.nlp, type="name", criterion="personalisation")
    found = run_rule(rule, "Agent: Hello\nPriya Shah: Hi, it's Priya.\nAgent: Thanks, Priya.", checker.nlp)
    assert found[0].positive and found[0].quote == "Priya"


def test_name_known_but_unused_is_partly(checker):
    rule = make_rule(checker.nlp, type="name", criterion="personalisation")
    found = run_rule(rule, "Agent: Hello\nCustomer: Hi, my name is Priya Shah.\nAgent: Thanks.", checker.nlp)
    assert statuses(found) == ["partly"] and "Priya" in found[0].message


def test_name_title_and_surname_counts(checker):
    rule = make_rule(checker.nlp, type="name", criterion="personalisation")
    assert run_rule(rule, "Agent: Hello\nPriya Shah: Hi\nAgent: Thank you, Ms Shah.", checker.nlp)[0].positive


def test_name_unknown_gives_nothing(checker):
    rule = make_rule(checker.nlp, type="name", criterion="personalisation")
    assert run_rule(rule, "Agent: Hello\nCustomer: Hi\nAgent: Thanks.", checker.nlp) == []


def test_name_given_alone_as_a_message_is_known(checker):
    rule = make_rule(checker.nlp, type="name", criterion="personalisation")
    text = "Agent: And the name on the account?\nCustomer: Jordan Reid\nAgent: Thanks."
    found = run_rule(rule, text, checker.nlp)
    assert statuses(found) == ["partly"] and "Jordan" in found[0].message
    assert run_rule(rule, "Agent: Done.\nCustomer: Thanks Sam\nAgent: Bye.", checker.nlp) == []


def test_customer_placeholder_in_advice(checker):
    rule = make_rule(checker.nlp, type="required", phrases=["hello"], suggestion="Try 'Hello {customer}, how can I help?'")
    unknown = run_rule(rule, "Agent: Order number?\nCustomer: 123", checker.nlp)
    assert unknown[0].suggestion == "Try 'Hello, how can I help?'"
    known = run_rule(rule, "Agent: Order number?\nCustomer: It's Priya", checker.nlp)
    assert known[0].suggestion == "Try 'Hello Priya, how can I help?'"
    rule = make_rule(checker.nlp, type="required", phrases=["hello"], suggestion="e.g. 'Hello {customer|Sam},'")
    assert run_rule(rule, "Agent: Order number?\nCustomer: 123", checker.nlp)[0].suggestion == "e.g. 'Hello Sam,'"
