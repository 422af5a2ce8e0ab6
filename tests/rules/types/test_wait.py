from ruletools import make_rule, run_rule


def test_wait_flags_long_silences_after_the_customer(checker):
    rule = make_rule(checker.nlp, type="wait", criterion="channel_conventions", max_seconds=120,
                     message="The customer waited {minutes} minutes.")
    text = "[10:02] Agent: Hi\n[10:03] Customer: Where is it?\n[10:09] Agent: Tomorrow.\n[10:10] Customer: ok"
    (f,) = run_rule(rule, text, checker.nlp)
    assert f.turn == 2 and "6 minutes" in f.message


def test_wait_after_a_holding_message_is_fine(checker):
    rule = make_rule(checker.nlp, type="wait", criterion="channel_conventions")
    text = "[10:02] Agent: Hi\n[10:03] Customer: Where?\n[10:03] Agent: Checking now.\n[10:09] Agent: Tomorrow."
    assert run_rule(rule, text, checker.nlp) == []


def test_wait_without_timestamps_says_nothing(checker):
    rule = make_rule(checker.nlp, type="wait", criterion="channel_conventions")
    assert run_rule(rule, "Agent: Hi\nCustomer: Where?\nAgent: Tomorrow.", checker.nlp) == []


def test_wait_runs_from_the_first_unanswered_message(checker):
    # "hello?" after five silent minutes does not restart the clock: the customer waited seven
    rule = make_rule(checker.nlp, type="wait", criterion="channel_conventions", message="The customer waited {minutes} minutes.")
    text = ("[10:02] Agent: Hi, how can I help?\n[10:03] Customer: Where is my parcel?\n[10:08] Customer: hello?\n"
            "[10:10] Agent: It arrives tomorrow.")
    (f,) = run_rule(rule, text, checker.nlp)
    assert f.turn == 3 and "7 minutes" in f.message


def test_wait_starts_again_when_an_agent_joins(checker):
    # the queue before an agent joins is not the agent's silence
    rule = make_rule(checker.nlp, type="wait", criterion="channel_conventions")
    text = ("[10:02] Customer: Where is my parcel?\n[10:09] System: Sam joined the chat\n"
            "[10:10] Sam (Agent): Hi, sorry for the wait. Let me check.")
    assert run_rule(rule, text, checker.nlp) == []


def test_a_system_line_that_hands_nothing_over_does_not_restart_the_wait(checker):
    # a bot's nudge while the agent is silent is not an agent joining: the customer waited eight minutes
    rule = make_rule(checker.nlp, type="wait", criterion="channel_conventions", message="The customer waited {minutes} minutes.")
    text = ("[10:01] Sam (Agent): Hi, how can I help?\n[10:02] Customer: Where is my parcel?\n"
            "[10:08] System: Your position in the queue: 1\n[10:10] Sam (Agent): It arrives tomorrow.")
    (f,) = run_rule(rule, text, checker.nlp)
    assert f.turn == 3 and "8 minutes" in f.message
