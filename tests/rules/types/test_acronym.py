"""``acronym``: unexplained abbreviations found by their shape, not a list."""
import pytest

from ruletools import make_rule, run_rule


def _quotes(checker, text, **fields):
    rule = make_rule(checker.nlp, type="acronym", criterion="tone", level="warning", **fields)
    return [f.quote for f in run_rule(rule, text, checker.nlp)]


@pytest.mark.parametrize("text, quote", [
    ("Customer: Why is my bill higher?\nAgent: Your EAC went up after the last reading.", "EAC"),
    ("Customer: I crashed the car.\nAgent: Thanks, I've logged the FNOL and a handler will call.", "FNOL"),
])
def test_an_abbreviation_no_dictionary_knows_is_flagged(checker, text, quote):
    assert _quotes(checker, text) == [quote]


@pytest.mark.parametrize("text", [
    "Customer: Why is my bill higher?\nAgent: Your estimated annual consumption (EAC) went up, so the EAC payment did too.",
    "Customer: Why is my bill higher?\nAgent: Your EAC (estimated annual consumption) went up.",
    "Customer: Where do I send it?\nAgent: Student Finance England will write to you. SFE usually replies in a week.",
    "Customer: I've had a PCN through the door.\nAgent: I'm sorry about that. The PCN can be challenged online.",
    "Customer: Hi\nAgent: The NHS letter and the VAT receipt are both on their way.",  # words the dictionary knows
    "Customer: Where do I post it?\nAgent: Post it to Freepost ABR RETURNS with the form.",  # an address in capitals
    "Customer: thanks\nAgent: You're welcome, have a good evening. ^TRK",  # initials signing off
    "Customer: ok\nAgent: Your reference is DPS-4471-2209.",
])
def test_explained_known_or_not_an_abbreviation(checker, text):
    assert _quotes(checker, text) == []


def test_exceptions_are_never_flagged_and_each_abbreviation_once(checker):
    text = "Customer: Hi\nAgent: Send us a DM with the ONT light colour. If the ONT is red, we'll book a visit."
    assert _quotes(checker, text) == ["ONT"]
    assert _quotes(checker, text, exceptions=["ONT"]) == []
