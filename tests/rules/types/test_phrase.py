import pytest

from ruletools import make_rule, problems, run_rule


@pytest.mark.parametrize("text, quotes", [
    ("Agent: Sorry, but you should have read the terms.", ["you should have"]),
    ("Agent: You SHOULD HAVE read them.", ["You SHOULD HAVE"]),
    ("Agent: Let's read the terms together.", []),
])
def test_phrase_flags_listed_phrases_case_insensitively(checker, text, quotes):
    rule = make_rule(checker.nlp, type="phrase", phrases=["you should have"])
    assert [f.quote for f in run_rule(rule, text, checker.nlp)] == quotes


def test_phrase_matches_lemmas_and_contractions(checker):
    rule = make_rule(checker.nlp, type="phrase", phrases=["I am not able to help"])
    assert [f.quote for f in run_rule(rule, "Agent: I'm not able to help with that.", checker.nlp)] == ["I'm not able to help"]
    rule = make_rule(checker.nlp, type="phrase", phrases=["apologise for the delay"])
    assert run_rule(rule, "Agent: We apologised for the delay.", checker.nlp)


def test_phrase_exceptions_and_regex_patterns(checker):
    rule = make_rule(checker.nlp, type="phrase", phrases=["you should have"], exceptions=["you should have received"],
                     patterns=[r"\bas I (?:already )?said\b"])
    found = run_rule(rule, "Agent: You should have received it. As I already said, you should have checked.", checker.nlp)
    assert [f.quote for f in found] == ["As I already said", "you should have"]


def test_phrase_negation_option(checker):
    rule = make_rule(checker.nlp, type="phrase", phrases=["ask for your PIN"], negation=True)
    assert run_rule(rule, "Agent: We will never ask for your PIN.", checker.nlp) == []
    assert run_rule(rule, "Agent: I need to ask for your PIN.", checker.nlp)


def test_phrase_only_looks_at_agent_turns(checker):
    rule = make_rule(checker.nlp, type="phrase", phrases=["calm down"])
    assert run_rule(rule, "Customer: Calm down? I am calm!\nAgent: I understand.", checker.nlp) == []


def test_phrase_finding_status_and_offsets(checker):
    rule = make_rule(checker.nlp, type="phrase", phrases=["calm down"], status="not_met", level="error")
    text = "Agent: Please calm down.\nCustomer: ok"
    (f,) = problems(run_rule(rule, text, checker.nlp))
    assert (f.status, f.level, text[f.start:f.end]) == ("not_met", "error", "calm down")


def test_an_addressed_phrase_counts_only_when_said_to_the_customer(checker):
    rule = make_rule(checker.nlp, type="phrase", phrases=["settle down", "calm down"], addressed=True)
    assert [f.quote for f in run_rule(rule, "Agent: Please calm down so I can help.", checker.nlp)] == ["calm down"]
    assert [f.quote for f in run_rule(rule, "Agent: You need to settle down first.", checker.nlp)] == ["settle down"]
    assert run_rule(rule, "Agent: Let me know whether the fan noise has settled down.", checker.nlp) == []
