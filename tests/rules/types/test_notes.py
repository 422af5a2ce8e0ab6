from ruletools import make_rule, run_rule, statuses

PARTS = {"issue": [r"\breported\b"], "action": [r"\bbooked\b"], "outcome": [r"\boutcome\s*:"]}


def test_notes_absent_is_not_assessable(checker):
    rule = make_rule(checker.nlp, type="notes", criterion="record_keeping", parts=PARTS)
    assert statuses(run_rule(rule, "Agent: Hi\nCustomer: Hi", checker.nlp)) == ["not_assessable"]


def test_notes_complete_is_met_and_missing_part_is_named(checker):
    rule = make_rule(checker.nlp, type="notes", criterion="record_keeping", parts=PARTS,
                     message="Your notes do not record the {part}.")
    full = "Agent: Hi\nCustomer: Hi\n\nAgent notes:\nCustomer reported a fault. Booked an engineer. Outcome: fixed Friday."
    assert statuses(run_rule(rule, full, checker.nlp)) == ["met"]
    part = "Agent: Hi\nCustomer: Hi\n\nCRM notes:\nCustomer reported a fault. Booked an engineer."
    (f,) = run_rule(rule, part, checker.nlp)
    assert f.status == "partly" and f.message == "Your notes do not record the outcome."


def test_notes_naming_what_the_customer_wrote_about_record_the_issue(checker):
    rule = make_rule(checker.nlp, type="notes", criterion="record_keeping", parts=PARTS, topic_parts=["issue"],
                     message="Your notes do not record the {part}.")
    text = ("Customer: The boiler in the flat has no pressure again and the radiators are cold.\n"
            "Agent: I'm sorry. I've booked an engineer for Friday.\n\n"
            "CRM notes:\nBoiler pressure loss, radiators cold. Booked engineer. Outcome: visit Fri AM.")
    assert statuses(run_rule(rule, text, checker.nlp)) == ["met"]
    # notes about something else do not record this customer's issue
    other = text.replace("Boiler pressure loss, radiators cold.", "Standard call.")
    (f,) = run_rule(rule, other, checker.nlp)
    assert f.status == "partly" and "issue" in f.message


def test_the_customers_name_in_the_notes_is_no_topic(checker):
    # "Mrs Okafor" and the boiler: one thing the customer wrote about, and who she is
    rule = make_rule(checker.nlp, type="notes", criterion="record_keeping", parts=PARTS, topic_parts=["issue"],
                     message="Your notes do not record the {part}.")
    text = ("Customer: Hello, this is Adaeze Okafor. The boiler in the flat has no pressure again.\n"
            "Agent: I'm sorry, Mrs Okafor. I've booked an engineer for Friday.\n\n"
            "CRM notes:\nCall from Adaeze Okafor about boiler. Booked engineer. Outcome: visit Fri AM.")
    (f,) = run_rule(rule, text, checker.nlp)
    assert f.status == "partly" and "issue" in f.message
