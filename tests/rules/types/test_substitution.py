from ruletools import make_rule, run_rule


def test_substitution_suggests_the_better_phrase(checker):
    rule = make_rule(checker.nlp, type="substitution", swap={"no worries mate": "you're welcome"})
    (f,) = run_rule(rule, "Agent: No worries mate, all sorted.", checker.nlp)
    assert f.quote == "No worries mate"
    assert "you're welcome" in f.suggestion


def test_substitution_matches_the_exact_form_not_lemmas(checker):
    rule = make_rule(checker.nlp, type="substitution", swap={"gonna": "going to"})
    assert run_rule(rule, "Agent: That's going to take a week.", checker.nlp) == []
    assert [f.quote for f in run_rule(rule, "Agent: That's gonna take a week.", checker.nlp)] == ["gonna"]


def test_substitution_does_not_report_overlaps_twice(checker):
    rule = make_rule(checker.nlp, type="substitution", swap={"no worries mate": "you're welcome", "mate": "(leave it out)"})
    assert len(run_rule(rule, "Agent: No worries mate.", checker.nlp)) == 1
