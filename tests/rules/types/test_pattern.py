import pytest

from checker.errors import RuleError
from ruletools import make_rule, run_rule


def test_pattern_matches_token_patterns_on_lemmas(checker):
    rule = make_rule(checker.nlp, type="pattern", patterns=[[{"LEMMA": "calm"}, {"LOWER": "down"}]])
    assert [f.quote for f in run_rule(rule, "Agent: Calming down would help.", checker.nlp)] == ["Calming down"]


def test_pattern_bad_token_pattern_is_a_rule_error(checker):
    with pytest.raises(RuleError, match="bad token pattern"):
        make_rule(checker.nlp, type="pattern", patterns=[[{"NOT_AN_ATTR": "x"}]])
