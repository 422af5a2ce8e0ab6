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
