"""Meta-tests on the bundled rule files (the schema itself is enforced by the loader)."""
from __future__ import annotations

from pathlib import Path

from checker.rules.base import RULE_TYPES
from checker.rules.loader import BUNDLED, load_ruleset

RULESET = load_ruleset("default")


def test_every_rule_has_bad_and_good_examples():
    missing = [r.id for r in RULESET.rules if not (r.examples.get("bad") and r.examples.get("good"))]
    assert missing == []


def test_rule_ids_are_unique_and_match_the_file_path():
    ids = [r.id for r in RULESET.rules]
    assert len(ids) == len(set(ids))
    for rule in RULESET.rules:
        path = Path(rule.path)
        assert rule.id == f"{path.parent.name}.{path.stem}"
        assert rule.id.split(".")[0] == rule.criterion


def test_every_criterion_exists_and_has_a_rule():
    named = {r.criterion for r in RULESET.rules}
    assert named <= set(RULESET.criteria)
    assert set(RULESET.criteria) - named == set()


def test_messages_and_sources_are_not_empty():
    for rule in RULESET.rules:
        assert rule.message.strip() and rule.source.strip() and rule.why.strip(), rule.id


def test_criteria_cover_design_brief():
    assert set(RULESET.criteria) == {
        "greeting", "identity_verification", "data_protection", "empathy", "active_listening",
        "confirm_understanding", "closing", "personalisation", "escalation", "spelling_grammar", "tone",
        "readability", "channel_conventions", "record_keeping"}
    assert RULESET.criteria["data_protection"].critical


def test_every_rule_type_is_used_by_a_bundled_rule_or_tested_alone():
    used = {type(r).type_name for r in RULESET.rules}
    tested = {p.stem.removeprefix("test_") for p in (Path(__file__).parent / "types").glob("test_*.py")}
    assert set(RULE_TYPES) <= used | tested
    assert set(RULE_TYPES) <= tested  # and each type has its own unit test file


def test_bundled_rule_set_folder_exists():
    assert (BUNDLED["default"] / "criteria.yml").is_file()


def test_officious_phrases_are_told_apart_from_jargon(checker):
    # "as per" is stiff, not a term to explain: one finding, from tone.officious, offering the
    # plain form (the jargon rule once told learners to write "As per ([what it is…])")
    report = checker.check("Customer: Can I get the fee back?\nAgent: As per our terms, the fee can't be refunded.")
    tone = [f for f in report.findings if f.criterion == "tone" and not f.positive]
    assert [(f.rule_id, f.quote) for f in tone] == [("tone.officious", "As per our")]
    assert "under our" in tone[0].suggestion


def test_a_request_for_a_pin_is_not_called_a_card_detail(checker):
    report = checker.check("Customer: I can't log in.\nAgent: Can you give me your online banking PIN please?")
    (finding,) = [f for f in report.findings if f.rule_id == "data_protection.card_details"]
    assert "PIN" in finding.message and "card" not in finding.message
    assert "passcode" in finding.suggestion  # the safe form for a credential, not only for a card
