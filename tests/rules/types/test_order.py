from types import SimpleNamespace

import pytest

from ruletools import make_rule, run_rule, statuses

VERIFY = dict(type="order", first_patterns=[r"confirm your postcode"], then_patterns=[r"your balance is"])


@pytest.mark.parametrize("agent_text, expected", [
    ("Agent: Please confirm your postcode.\nCustomer: LS6\nAgent: Thanks, your balance is £5.", ["met"]),
    ("Agent: Your balance is £5. Please confirm your postcode.", ["partly"]),
    ("Agent: Your balance is £5.", ["not_met"]),
    ("Agent: We open at 9.", ["not_applicable"]),
])
def test_order_a_before_b(checker, agent_text, expected):
    rule = make_rule(checker.nlp, **VERIFY)
    assert statuses(run_rule(rule, "Customer: Hi\n" + agent_text, checker.nlp)) == expected


def test_order_same_sentence_counts_as_in_order(checker):
    rule = make_rule(checker.nlp, type="order", first_patterns=[r"details match"], then_patterns=[r"found your account"])
    text = "Customer: hi\nAgent: I've found your account and those details match."
    assert statuses(run_rule(rule, text, checker.nlp)) == ["met"]


def test_order_lines_the_parser_joins_are_still_in_their_order(checker):
    """A sign-off, the name under it and a P.S. are three sentences, even when the parser reads one."""
    rule = make_rule(checker.nlp, type="order", first=["does all that make sense"], then_patterns=[r"(?m)^Thanks,$"],
                     late_status="partly")
    text = ("Customer: hi\nAgent: Your claim is with the adjuster.\n\nThanks,\nKai\nClaims Support\n\n"
            "P.S. Does all that make sense? Reply if not.")
    assert statuses(run_rule(rule, text, checker.nlp)) == ["partly"]


@pytest.mark.parametrize("missing_then, expected", [("end", ["met"]), ("ignore", []), ("credit_first", ["met"])])
def test_order_missing_then_modes(checker, missing_then, expected):
    rule = make_rule(checker.nlp, type="order", first=["does that make sense"], then=["goodbye"], missing_then=missing_then)
    assert statuses(run_rule(rule, "Customer: hi\nAgent: Tuesdays. Does that make sense?", checker.nlp)) == expected


def test_order_partial_first(checker):
    rule = make_rule(checker.nlp, type="order", first=["does that make sense"], first_partial=["anything else"],
                     then=["goodbye"], missing_then="end")
    text = "Customer: hi\nAgent: Tuesdays. Anything else?\nCustomer: no\nAgent: Goodbye."
    assert statuses(run_rule(rule, text, checker.nlp)) == ["partly"]


@pytest.mark.parametrize("opening, expected", [
    # promised or offered before the check: nothing was done to the account yet
    ("I'll make sure your account is changed today.", ["met"]),
    ("Let's get your account changed for you.", ["met"]),
    # done before the check
    ("I've changed your account already.", ["partly"]),
])
def test_order_then_done_ignores_what_is_only_intended(checker, opening, expected):
    rule = make_rule(checker.nlp, type="order", first_patterns=[r"confirm your postcode"],
                     then_patterns=[r"\byour account\b"], then_done=True)
    text = (f"Customer: Please change my address.\nAgent: {opening} Please confirm your postcode.\n"
            "Customer: LS6 2AB\nAgent: Thanks. I've updated your account with the new address.")
    assert statuses(run_rule(rule, text, checker.nlp)) == expected


@pytest.mark.parametrize("agent_text, expected", [
    # a promise with no check anywhere: it will be kept for someone never checked
    ("Agent: I'll update the card details on your account today.", ["not_met"]),
    # the same promise with a check after it waits for the check
    ("Agent: I'll update the card details on your account today. Please confirm your postcode.", ["met"]),
    # nothing promised or done to any account
    ("Agent: We're open until six today.", ["not_applicable"]),
    # an offer, or advice to the customer, promises nothing
    ("Agent: Would you like me to update the card details on your account?", ["not_applicable"]),
    ("Agent: You should update the card details on your account in the app.", ["not_applicable"]),
    ("Agent: You'll need to update the card details on your account in the app.", ["not_applicable"]),
    # stated as going to happen to the account, by whoever
    ("Agent: If we don't hear back by Friday, your account will be suspended.", ["not_met"]),
    # a weaker check before the promise: partly, as for anything done after a weaker check
    ("Agent: Can I take your name? I'll update the card details on your account today.", ["partly"]),
])
def test_order_then_done_counts_a_promise_when_no_check_comes(checker, agent_text, expected):
    rule = make_rule(checker.nlp, type="order", first_patterns=[r"confirm your postcode"],
                     first_partial_patterns=[r"take your name"],
                     then_patterns=[r"\byour account\b"], then_done=True, missing_then="credit_first")
    assert statuses(run_rule(rule, "Customer: My payment failed.\n" + agent_text, checker.nlp)) == expected


GATED = dict(type="order", first_patterns=[r"confirm your postcode"], then_patterns=[r"until the 20th"],
             then_context_acts=["account_matter"], then_context_confidence=0.9)


@pytest.mark.parametrize("customer, expected", [
    # a fact anyone may be told: no account, order or booking of anyone's came up
    ("Does the number 9 bus still stop outside the station?", ["not_applicable"]),
    # the customer's own booking is in play, so the same sentence discusses it before any check
    ("I need to change my booking, the reference is HT55201.", ["not_met"]),
])
def test_order_then_context_acts_gate_b(checker, customer, expected):
    rule = make_rule(checker.nlp, **GATED)
    text = f"Customer: {customer}\nAgent: That stays as it is until the 20th."
    assert statuses(run_rule(rule, text, checker.nlp, acts=checker)) == expected


def test_order_then_context_acts_open_without_customer_or_model(checker):
    rule = make_rule(checker.nlp, **GATED)
    # an agent's email alone: whether an account came up cannot be known, so B counts
    email = "Dear Ms Cole,\n\nYour direct debit stays as it is until the 20th.\n\nKind regards,\nSam"
    assert statuses(run_rule(rule, email, checker.nlp, acts=checker, channel="email")) == ["not_met"]
    # acts recognised without the sentence model: the customer acts are learnt, so B counts
    text = "Customer: Does the number 9 bus still stop outside the station?\nAgent: That stays as it is until the 20th."
    assert statuses(run_rule(rule, text, checker.nlp)) == ["not_met"]


def test_order_then_context_acts_open_when_the_classifier_did_not_load(checker):
    """The gate's confidence is the classifier's probability: with the encoder but no classifier
    the acts' confidences are example closeness, another scale, so B counts as without the model."""
    import dataclasses

    from checker.analyse import analyse
    from checker.evaluate import Context
    from checker.parse import parse_transcript

    rule = make_rule(checker.nlp, **GATED)
    text = "Customer: Does the number 9 bus still stop outside the station?\nAgent: That stays as it is until the 20th."
    acted = checker.acts(analyse(parse_transcript(text), checker.nlp, None))
    assert statuses(rule.evaluate(Context(acted, SimpleNamespace(canned_responses=())))) == ["not_applicable"]
    without = dataclasses.replace(acted, recognisers={**acted.recognisers, "classifier": False})
    assert statuses(rule.evaluate(Context(without, SimpleNamespace(canned_responses=())))) == ["not_met"]


@pytest.mark.parametrize("request_text, after, expected", [
    # a security detail asked for: a check
    ("Could you confirm your postcode, please?", "Thanks. Your balance is £40.", ["met"]),
    # only what finds the record: nobody is verified, so the balance after it is not met
    ("Could you give me your order number, please?", "Thanks. Your balance is £40.", ["not_met"]),
    # nothing account-specific follows: asking at all is credit
    ("Could you give me your order number, please?", "Thanks, I'll pass your feedback on.", ["met"]),
])
def test_order_first_act_items_tell_a_check_from_a_record_finder(checker, request_text, after, expected):
    rule = make_rule(checker.nlp, type="order", first_acts=["identity_request"], first_act_items=["postcode"],
                     first_partial_acts=["identity_request"], partial_status="not_met",
                     then_patterns=[r"your balance is"], missing_then="credit_first")
    text = f"Customer: I have a question about my account.\nAgent: {request_text}\nCustomer: 4411\nAgent: {after}"
    assert statuses(run_rule(rule, text, checker.nlp, acts=checker)) == expected


def test_order_partial_status_sets_what_a_weaker_first_earns(checker):
    rule = make_rule(checker.nlp, type="order", first=["does that make sense"], first_partial=["anything else"],
                     then=["goodbye"], missing_then="end", partial_status="not_met")
    text = "Customer: hi\nAgent: Tuesdays. Anything else?\nCustomer: no\nAgent: Goodbye."
    assert statuses(run_rule(rule, text, checker.nlp)) == ["not_met"]


def test_order_a_late_check_quotes_the_check_or_what_it_should_have_preceded(checker):
    text = "Customer: Hi\nAgent: Your balance is £5. Please confirm your postcode."
    (check,) = run_rule(make_rule(checker.nlp, **VERIFY), text, checker.nlp)
    (breach,) = run_rule(make_rule(checker.nlp, late_quote="then", **VERIFY), text, checker.nlp)
    assert check.quote == "confirm your postcode" and breach.quote == "Your balance is"
