"""Rule sets that would crash or hang a check are refused when they are loaded, with one line
naming the file and line (issue 10): unusable numbers, scopes no check can resolve, regular
expressions in list files, and repeated groups whose alternatives overlap."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from checker.errors import RuleError
from checker.rules.loader import BUNDLED, RuleSetError, load_ruleset, regex_problem

RULE = """\
id: tone.house_style
type: phrase
criterion: tone
message: m
source: s
phrases: [x]
"""


def problems(path: Path) -> list[str]:
    with pytest.raises(RuleError) as info:
        load_ruleset(path)
    exc = info.value
    return [str(e) for e in (exc.errors if isinstance(exc, RuleSetError) else [exc])]


@pytest.fixture()
def folder(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(BUNDLED["default"], target)
    return target


@pytest.mark.parametrize("extra, fragment", [
    ("weight: " + "1" * 5000, "too large"),
    ("weight: " + "1" * 400, "too large"),
    ("weight: .inf", "not a finite number"),
    ("weight: .nan", "not a finite number"),
    ("weight: 1.0e+400", "not a finite number"),
    ("weight: 1000000", "key 'weight' must be a number from 0 to 100"),
    ("weight: -1", "key 'weight' must be a number from 0 to 100"),
    ("max_findings: -5", "key 'max_findings' must be a whole number from 0 to"),
    ("scope: email_subject", "key 'scope': 'email_subject' is not one of"),
    ("scope: notes", "key 'scope': 'notes' is not one of"),
    ("patterns: ['(zz|z)+y']", "alternatives overlap"),
    ("patterns: ['(?:a|ab)*c']", "alternatives overlap"),
], ids=["5000-digits", "400-digits", "inf", "nan", "overflow", "huge-weight", "negative-weight", "negative-count",
        "scope-email-subject", "scope-notes", "nested-alternation", "prefix-alternation"])
def test_loader_refuses_rule_value(folder, extra, fragment):
    path = folder / "tone" / "house_style.yml"
    path.write_text(RULE + extra + "\n", encoding="utf-8")
    found = problems(folder)
    assert any(fragment in p and p.startswith(f"{path}:") for p in found), found


@pytest.mark.parametrize("ruleset_yml, fragment", [
    ("pass_score: " + "9" * 5000, "too large"),
    ("pass_score: .inf", "not a finite number"),
    ("pass_score: 1000", "key 'pass_score' must be a number from 0 to 100"),
    ("[1, 2]", "must be a mapping"),
], ids=["5000-digits", "inf", "out-of-range", "not-a-mapping"])
def test_loader_refuses_ruleset_numbers(folder, ruleset_yml, fragment):
    (folder / "ruleset.yml").write_text(ruleset_yml + "\n", encoding="utf-8")
    found = problems(folder)
    assert any(fragment in p for p in found), found


@pytest.mark.parametrize("value, fragment", [
    (".inf", "not a finite number"),
    ("1000", "must be a number from 0 to 100"),
], ids=["inf", "too-heavy"])
def test_loader_refuses_criterion_weight(folder, value, fragment):
    path = folder / "criteria.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    weight: 1\n", f"    weight: {value}\n", 1), encoding="utf-8")
    assert any(fragment in p for p in problems(folder))


@pytest.mark.parametrize("centre_text, fragment", [
    ("extends: default\ncriteria:\n  tone:\n    weight: 1.0e+999\n", "not a finite number"),
    ("extends: default\ncriteria:\n  tone:\n    weight: 500\n", "must be a number from 0 to 100"),
    ("extends: default\nrules:\n  tone.jargon:\n    weight: .inf\n", "not a finite number"),
    ("extends: default\nrules:\n  tone.jargon:\n    scope: notes\n", "'notes' is not one of"),
    ("extends: default\npass_score: " + "7" * 5000 + "\n", "too large"),
], ids=["criterion-inf", "criterion-heavy", "rule-inf", "rule-scope", "pass-score-digits"])
def test_loader_refuses_centre_numbers(tmp_path, centre_text, fragment):
    path = tmp_path / "centre.yml"
    path.write_text(textwrap.dedent(centre_text), encoding="utf-8")
    assert any(fragment in p for p in problems(path))


@pytest.mark.parametrize("line, fragment", [
    ("(unclosed", "bad regular expression '(unclosed'"),
    ("(zz|z)+y", "alternatives overlap"),
    ("(a+)+b", "a repeated group that itself repeats"),
], ids=["broken", "nested-alternation", "classic"])
def test_loader_checks_patterns_in_list_files(folder, line, fragment):
    (folder / "lists" / "house.txt").write_text(f"# house patterns\nfine\\s+words\n{line}\n", encoding="utf-8")
    path = folder / "tone" / "house_style.yml"
    path.write_text(RULE + "patterns_from: lists/house.txt\n", encoding="utf-8")
    found = problems(folder)
    expected = f"{folder / 'lists' / 'house.txt'}:3: "
    assert any(p.startswith(expected) and fragment in p for p in found), found


def test_loader_list_file_not_utf8_is_one_error(folder):
    (folder / "lists" / "house.txt").write_bytes(b"caf\xe9\n")
    (folder / "tone" / "house_style.yml").write_text(RULE + "phrases_from: lists/house.txt\n", encoding="utf-8")
    assert any("not UTF-8 text" in p for p in problems(folder))


@pytest.mark.parametrize("pattern", [r"(?:Mr|Mrs|Ms)\.?\s+\w+", r"\b(?:hello|hi)\b", r"(?:\s+\w+){0,3}"],
                         ids=["titles", "greetings", "bounded"])
def test_regex_problem_accepts_sane_patterns(pattern):
    assert regex_problem(pattern) is None


def test_scopes_come_from_the_evaluator():
    from checker.evaluate import SCOPES as RESOLVERS
    from checker.rules.base import SCOPES

    assert tuple(RESOLVERS) == SCOPES


ORDER_RULE = """\
id: tone.house_style
type: order
criterion: tone
message: m
source: s
first_acts: [identity_request]
then_acts: [disclosure]
"""


@pytest.mark.parametrize("extra, fragment", [
    ("then_context_acts: [account_matter]\nthen_context_confidence: 1.5",
     "key 'then_context_confidence' must be a number from 0 to 1"),
    ("then_context_acts: [account_matter]\nthen_context_confidence: -0.2",
     "key 'then_context_confidence' must be a number from 0 to 1"),
    ("then_context_confidence: 0.9", "key 'then_context_confidence' needs 'then_context_acts'"),
    ("then_context_acts: [disclosure]", "'disclosure' is an agent act; this key takes customer acts only"),
], ids=["confidence-above-one", "negative-confidence", "confidence-without-acts", "agent-act-as-context"])
def test_loader_refuses_context_gates_that_cannot_work(folder, extra, fragment):
    """The customer-side gate of an order rule: a confidence no act can reach (or every act reaches),
    a confidence for no acts, or an agent act where the customer's are looked for."""
    path = folder / "tone" / "house_style.yml"
    path.write_text(ORDER_RULE + extra + "\n", encoding="utf-8")
    found = problems(folder)
    assert any(fragment in p and p.startswith(f"{path}:") for p in found), found


def test_loader_accepts_a_customer_context_gate(folder):
    path = folder / "tone" / "house_style.yml"
    path.write_text(ORDER_RULE + "then_context_acts: [account_matter, gives_identifier]\nthen_context_confidence: 0.8\n",
                    encoding="utf-8")
    rule = next(r for r in load_ruleset(folder).rules if r.id == "tone.house_style")
    assert rule.then_context_acts == ("account_matter", "gives_identifier") and rule.then_context_confidence == 0.8


CONDITIONAL_RULE = """\
id: tone.house_style
type: conditional
criterion: tone
message: m
source: s
when_acts: [manager_or_complaint_request]
then_acts: [escalation]
"""


def test_loader_refuses_also_exception_acts_with_nothing_to_except(folder):
    """``also_exception_acts`` says which 'also' matches do not count; with no 'also' it would do nothing."""
    path = folder / "tone" / "house_style.yml"
    path.write_text(CONDITIONAL_RULE + "also_exception_acts: [account_action]\n", encoding="utf-8")
    found = problems(folder)
    assert any("key 'also_exception_acts' needs 'also', 'also_patterns' or 'also_acts'" in p and p.startswith(f"{path}:")
               for p in found), found
    path.write_text(CONDITIONAL_RULE + "also_acts: [expectation]\nalso_exception_acts: [account_action]\n", encoding="utf-8")
    rule = next(r for r in load_ruleset(folder).rules if r.id == "tone.house_style")
    assert rule.also_exception_acts == ("account_action",)
