import pytest

from ruletools import make_rule, run_rule, statuses

EMPATHY = dict(type="conditional", when=["hasn't arrived", "fed up"], then_patterns=[r"\bsorry\b(?! for any)[^.?!]{10,}"],
               then_partial=["sorry for any inconvenience"], within=1)


@pytest.mark.parametrize("reply, expected", [
    ("I'm sorry your parcel hasn't arrived yet, let me look.", ["met"]),
    ("Sorry for any inconvenience. Order number?", ["partly"]),
    ("Order number?", ["not_met"]),
])
def test_conditional_next_reply(checker, reply, expected):
    rule = make_rule(checker.nlp, **EMPATHY)
    text = f"Agent: Hello\nCustomer: My parcel hasn't arrived and I'm fed up.\nAgent: {reply}"
    assert statuses(run_rule(rule, text, checker.nlp)) == expected


def test_conditional_without_trigger_is_not_applicable(checker):
    rule = make_rule(checker.nlp, **EMPATHY)
    assert statuses(run_rule(rule, "Agent: Hello\nCustomer: What time do you open?\nAgent: At 9.", checker.nlp)) == ["not_applicable"]


def test_conditional_late_response(checker):
    rule = make_rule(checker.nlp, **EMPATHY)
    text = ("Agent: Hello\nCustomer: My parcel hasn't arrived.\nAgent: Order number?\nCustomer: 123\n"
            "Agent: I'm sorry your parcel hasn't arrived yet.")
    assert statuses(run_rule(rule, text, checker.nlp)) == ["partly"]


def test_conditional_also_must_come_near_the_response(checker):
    rule = make_rule(checker.nlp, type="conditional", when=["complaint"], then=["logged your complaint"],
                     also_patterns=[r"within \d+ days"], also_window=100, within=3)
    met = "Agent: Hi\nCustomer: I want to make a complaint.\nAgent: I've logged your complaint; we'll reply within 5 days."
    partly = "Agent: Hi\nCustomer: I want to make a complaint.\nAgent: I've logged your complaint."
    assert statuses(run_rule(rule, met, checker.nlp)) == ["met"]
    assert statuses(run_rule(rule, partly, checker.nlp)) == ["partly"]


@pytest.mark.parametrize("reply, expected", [
    # the timescale belongs to the refund, not to the referral: who takes the complaint on is unsaid
    ("I've passed your complaint to the relevant team. A refund of £12 has been issued to your card "
     "and should reach you within 5 days.", ["partly"]),
    # the timescale is the referral's own
    ("I've passed your complaint to the relevant team and they will reply within 5 days.", ["met"]),
])
def test_conditional_also_exception_acts_leave_another_acts_timescale_out(checker, reply, expected):
    rule = make_rule(checker.nlp, type="conditional", when=["complaint"], then=["passed your complaint"],
                     also_patterns=[r"within \d+ days"], also_exception_acts=["account_action"], also_window=300)
    text = f"Agent: Hi\nCustomer: I want to make a complaint about my missing shopping.\nAgent: {reply}"
    assert statuses(run_rule(rule, text, checker.nlp, acts=checker)) == expected


def test_conditional_repeat_late(checker):
    rule = make_rule(checker.nlp, type="conditional", when=["manager"], then=["passed this to"], within=5, repeat_late=True)
    text = ("Agent: Hi\nCustomer: Get me a manager.\nAgent: Let me see.\nCustomer: I said I want a manager!\n"
            "Agent: I've passed this to my manager.")
    assert statuses(run_rule(rule, text, checker.nlp)) == ["partly"]


IMPLIED = dict(type="conditional", when_acts=["problem_statement"], then_acts=["specific_acknowledgement"],
               implied_by_acts=["specific_acknowledgement"], within=1)


def test_conditional_implied_by_an_agent_act(checker):
    """The customer's trouble went unrecognised (here it is not even in what was pasted), but
    the agent's own acknowledgement shows it was there: the rule judges from that act."""
    rule = make_rule(checker.nlp, **IMPLIED)
    text = "Agent: I'm so sorry the engineer didn't turn up yesterday, that must have been really frustrating."
    findings = run_rule(rule, text, checker.nlp, acts=checker)
    assert statuses(findings) == ["met"]
    assert findings[0].act == "specific_acknowledgement"


def test_conditional_not_implied_without_the_act(checker):
    rule = make_rule(checker.nlp, **IMPLIED)
    text = "Agent: Hello, you're through to Sam. How can I help?\nCustomer: What time do you open on Sunday?\nAgent: We open at 10am."
    assert statuses(run_rule(rule, text, checker.nlp, acts=checker)) == ["not_applicable"]


def test_conditional_response_inside_an_excepted_act_does_not_count(checker):
    """A 'sorry' inside a lecture acknowledges nothing: with ``then_exception_acts: [blame]`` a
    response in a sentence the acts read as blame is no response."""
    rule = make_rule(checker.nlp, type="conditional", when=["hasn't arrived"], then=["sorry"],
                     then_exception_acts=["blame"], within=1)
    asked = "Agent: Hello\nCustomer: My parcel hasn't arrived.\nAgent: "
    kind = "I'm sorry it hasn't arrived, I'll chase the courier now."
    lecture = "Sorry, but you should have checked the delivery address before you placed the order."
    assert statuses(run_rule(rule, asked + kind, checker.nlp, acts=checker)) == ["met"]
    assert statuses(run_rule(rule, asked + lecture, checker.nlp, acts=checker)) == ["not_met"]


def test_conditional_judged_from_an_implied_act_before_the_trigger(checker):
    """The agent passed the case on before the customer used a trigger word ("can't you just
    book the engineer?"): the referral shows the need had arisen, so the rule is judged from it."""
    rule = make_rule(checker.nlp, type="conditional", when=["engineer"], then_acts=["escalation"],
                     implied_by_acts=["escalation"], within=1)
    text = ("Customer: My meter has stopped sending readings.\n"
            "Agent: This needs our metering team, I've passed your case to them and they'll call you tomorrow.\n"
            "Customer: Can't you just book the engineer yourself?\n"
            "Agent: I'm afraid only they can book that.")
    findings = run_rule(rule, text, checker.nlp, acts=checker)
    assert statuses(findings) == ["met"]
    assert findings[0].act == "escalation" and findings[0].turn == 1


def test_conditional_also_on_the_next_line_is_not_the_responses_own_sentence(checker):
    """spaCy may join two lines with no full stop into one sentence; the refund's timescale on the
    next line is still not the referral's."""
    rule = make_rule(checker.nlp, type="conditional", when=["complaint"], then=["passed your complaint"],
                     also_patterns=[r"within \d+ days"], also_exception_acts=["account_action"], also_window=300)
    text = ("Agent: Hi\nCustomer: I want to make a complaint about my missing shopping.\n"
            "Agent: I've passed your complaint to the relevant team\n"
            "A refund of £12 has been issued to your card and should reach you within 5 days")
    assert statuses(run_rule(rule, text, checker.nlp, acts=checker, channel="email")) == ["partly"]


@pytest.mark.parametrize("reply, expected", [
    # an expectation with nothing to hold anyone to
    ("I've passed your complaint on. A manager will be in touch about the next steps.", ["partly"]),
    # a time makes it one
    ("I've passed your complaint on. A manager will be in touch by Friday about the next steps.", ["met"]),
])
def test_conditional_also_act_needs_a_time_or_reference(checker, reply, expected):
    rule = make_rule(checker.nlp, type="conditional", when=["complaint"], then=["passed your complaint"],
                     also_acts=["expectation"], also_act_needs=["when_or_reference"], within=3)
    text = f"Agent: Hi\nCustomer: I want to make a complaint about the missed delivery.\nAgent: {reply}"
    assert statuses(run_rule(rule, text, checker.nlp, acts=checker)) == expected
