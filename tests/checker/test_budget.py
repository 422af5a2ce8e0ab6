"""The time budget of one check (issue 10): an overall limit, and tutors' patterns sharing one
budget summed over the check, not a limit per search."""
from __future__ import annotations

import pytest

from checker import budget
from checker.errors import RuleError, TimeLimitError
from checker.rules.matching import REGEX_TIMEOUT, compile_regex, run_regex

import samples


def test_budget_over_its_limit_raises_time_limit_error():
    with budget.budget(5.0) as b:
        budget.check_time("testing")
        b.started -= 10  # as if ten seconds had passed
        with pytest.raises(TimeLimitError) as info:
            budget.check_time("testing")
    assert "time limit of 5 s while testing" in str(info.value) and "\n" not in str(info.value)


def test_budget_outside_a_check_limits_nothing():
    assert budget.current() is None
    budget.check_time("anything")


@pytest.mark.parametrize("seconds", [0, -1])
def test_budget_refuses_a_limit_that_is_not_positive(seconds):
    with pytest.raises(ValueError):
        with budget.budget(seconds):
            pass


def test_regex_budget_is_summed_over_the_whole_check():
    pattern = compile_regex(r"\bparcel\b")
    with budget.budget(None) as b:
        assert run_regex(pattern, "my parcel")  # within budget
        b.regex_used = b.regex_seconds  # the searches so far have used it all
        with pytest.raises(RuleError) as info:
            run_regex(pattern, "my parcel")
    assert "in all on this transcript" in str(info.value) and "parcel" in str(info.value)


def test_regex_search_when_the_check_is_out_of_time_is_a_time_limit_error():
    pattern = compile_regex(r"\bparcel\b")
    with budget.budget(30.0) as b:
        b.started -= 60
        with pytest.raises(TimeLimitError):
            run_regex(pattern, "my parcel")


def test_regex_outside_a_check_keeps_its_per_search_limit():
    assert REGEX_TIMEOUT > 0
    assert [m.span() for m in run_regex(compile_regex("b+"), "abba")] == [(1, 3)]


def test_checker_check_stops_at_its_time_limit(checker):
    with pytest.raises(TimeLimitError):
        checker.check(samples.STRONG_CHAT, time_limit=1e-6)
    assert checker.check(samples.STRONG_CHAT, time_limit=60).decision in ("competent", "not_yet_competent")
