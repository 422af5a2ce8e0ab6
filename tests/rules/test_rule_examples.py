"""Every example of every bundled rule runs as a test: bad ones must fire, good ones must not."""
from __future__ import annotations

import pytest

from checker.rules.examples import iter_examples, run_example
from checker.rules.loader import load_ruleset

_RULESET = load_ruleset("default")
CASES = [(rule.id, kind, i, text) for rule, kind, i, text in iter_examples(_RULESET)]


@pytest.mark.parametrize("rule_id, kind, index, text", CASES, ids=[f"{r}-{k}-{i}" for r, k, i, _ in CASES])
def test_rule_example(checker, rule_id, kind, index, text):
    ruleset = checker.ruleset("default")
    result = run_example(checker, ruleset, ruleset.rule(rule_id), kind, index, text)
    assert result.passed, result.explain()
