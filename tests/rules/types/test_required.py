from ruletools import make_rule, run_rule, statuses

GREETING = dict(type="required", scope="first_agent_turn", phrases=["hello", "good morning"],
                fallback_scope="agent_turns", partial=["hiya"])


def test_required_found_is_evidence(checker):
    rule = make_rule(checker.nlp, **GREETING)
    (f,) = run_rule(rule, "Agent: Good morning, how can I help?\nCustomer: hi", checker.nlp)
    assert f.positive and f.status == "met" and f.quote == "Good morning"


def test_required_missing_is_not_met(checker):
    rule = make_rule(checker.nlp, **GREETING)
    assert statuses(run_rule(rule, "Agent: Order number?\nCustomer: 123", checker.nlp)) == ["not_met"]


def test_required_only_in_fallback_scope_is_partly(checker):
    rule = make_rule(checker.nlp, **GREETING)
    found = run_rule(rule, "Agent: Order number?\nCustomer: 123\nAgent: Hello, sorry.", checker.nlp)
    assert statuses(found) == ["partly"] and found[0].quote == "Hello"


def test_required_partial_phrase_is_partly(checker):
    rule = make_rule(checker.nlp, **GREETING)
    assert statuses(run_rule(rule, "Agent: Hiya, what's up?\nCustomer: hi", checker.nlp)) == ["partly"]


def test_required_negated_phrase_does_not_count(checker):
    rule = make_rule(checker.nlp, type="required", phrases=["apologise"])
    assert statuses(run_rule(rule, "Agent: I'm not able to apologise for that.", checker.nlp)) == ["not_met"]


def test_required_email_salutation_scope(checker):
    rule = make_rule(checker.nlp, type="required", scope="email_salutation", patterns=[r"^dear\s+m[rs]"])
    text = "Dear Ms Shah,\n\nYour refund is done.\n\nKind regards,\nSam"
    assert run_rule(rule, text, checker.nlp, channel="email")[0].positive
    assert statuses(run_rule(rule, "Your refund is done.\n\nKind regards,\nSam", checker.nlp, channel="email")) == ["not_met"]
