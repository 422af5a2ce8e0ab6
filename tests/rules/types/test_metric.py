from ruletools import make_rule, run_rule

LONG = ("I have booked a return collection for your recycling, which will take place within two working days, "
        "and I have also asked the crew supervisor to check why the bin was recorded as not presented twice.")


def test_metric_sentence_words_flags_each_long_sentence(checker):
    rule = make_rule(checker.nlp, type="metric", measure="sentence_words", max=25, message="{value} words.")
    (f,) = run_rule(rule, f"Agent: Thanks. {LONG}\nCustomer: ok", checker.nlp)
    assert f.quote == LONG and f.message.endswith("words.") and int(f.message.split()[0]) > 25


def test_metric_message_words(checker):
    rule = make_rule(checker.nlp, type="metric", measure="message_words", max=10, message="{value}")
    found = run_rule(rule, f"Agent: Short one.\nCustomer: ok\nAgent: {LONG}", checker.nlp)
    assert len(found) == 1 and found[0].turn == 2


def test_metric_whole_text_measure_and_min_words(checker):
    rule = make_rule(checker.nlp, type="metric", measure="avg_sentence_words", max=20, min_words=10, message="{value}")
    assert run_rule(rule, f"Agent: {LONG}", checker.nlp)
    assert run_rule(rule, "Agent: Fine thanks.", checker.nlp) == []
