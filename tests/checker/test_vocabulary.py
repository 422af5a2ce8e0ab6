"""One vocabulary per concept: salutations and sign-offs are one list each
(checker/rules/default/lists/), and every reader (parser, evaluator, name finder, rules) knows
every entry of it; no module keeps a copy of its own."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker import vocabulary
from checker.evaluate import split_email
from checker.parse import parse_transcript
from checker.parse.email_thread import signature_name
from checker.parse.common import split_lines
from checker.rules.loader import load_ruleset
from checker.rules.names import agent_name, customer_names

CHECKER = Path(vocabulary.__file__).parent
SALUTATIONS = vocabulary.phrases("salutations")
SIGN_OFFS = vocabulary.phrases("sign_offs")


def _cap(words: str) -> str:
    return words[:1].upper() + words[1:]


def test_vocabulary_lists_are_plain_lower_case_phrases():
    for entries in (SALUTATIONS, SIGN_OFFS):
        assert entries and len(set(entries)) == len(entries)
        assert all(e == e.lower() and re.fullmatch(r"[a-z]+(?: [a-z]+)*", e) for e in entries)


@pytest.mark.parametrize("word", SALUTATIONS)
def test_every_salutation_opens_an_email(word):
    text = f"{_cap(word)} Amir,\n\nYour deposit is on its way.\n\nKind regards,\nRosa Field"
    assert vocabulary.SALUTATION_LINE.match(text.split("\n")[0])
    parts = split_email(text)
    assert text[slice(*parts.salutation)] == f"{_cap(word)} Amir,"
    conversation = parse_transcript(text)  # a reply pasted alone
    assert conversation.channel == "email"


@pytest.mark.parametrize("word", SIGN_OFFS)
def test_every_sign_off_closes_an_email(word):
    text = f"Dear Amir,\n\nYour deposit is on its way.\n\n{_cap(word)},\nRosa Field"
    parts = split_email(text)
    assert text[parts.signoff[0]:].startswith(_cap(word)) and parts.signoff_has_name
    one_line = f"Dear Amir,\n\nYour deposit is on its way.\n\n{_cap(word)}, Rosa"
    assert split_email(one_line).signoff_has_name
    assert signature_name(split_lines(text)) == "Rosa Field"
    conversation = parse_transcript(f"Your deposit is on its way.\n\n{_cap(word)},\nRosa Field")
    assert conversation.channel == "email" and agent_name(conversation) == "Rosa"


@pytest.mark.parametrize("word", SIGN_OFFS)
def test_a_sign_off_is_never_taken_for_the_customers_name(word):
    from checker.model import Conversation, Turn

    text = f"My deposit has not come back.\n\n{' '.join(_cap(w) for w in word.split())}"
    conversation = Conversation("email", (Turn(0, "customer", "amir@example.com", text, 0, len(text)),), text)
    assert customer_names(conversation) == ()


def test_rules_read_the_same_lists():
    default = load_ruleset("default")
    assert default.rule("confirm_understanding.check_in_email").then == SIGN_OFFS
    patterns = default.rule("greeting.email_salutation").patterns + default.rule("greeting.email_salutation").partial_patterns
    assert all(vocabulary.alternation(SALUTATIONS) in p for p in patterns)


def test_no_module_keeps_its_own_copy():
    """A regular expression listing sign-offs or salutations outside checker/vocabulary.py is a
    copy that will drift: read the lists instead."""
    for path in CHECKER.rglob("*.py"):
        if path.name == "vocabulary.py":
            continue
        text = path.read_text(encoding="utf-8").lower()
        assert not ("regards" in text and "sincerely" in text), f"{path} lists sign-offs of its own"
        assert not re.search(r"\(\?:dear\|", text), f"{path} lists salutations of its own"


def test_the_calendar_names_are_the_ones_the_date_patterns_read():
    """One list of day and month names: the proofreader and the acts read ``vocabulary``'s, and
    the parser's date patterns match every name in it, in full and cut short."""
    import re

    from checker.parse.headers import MONTH, WEEKDAY
    from checker.vocabulary import MONTHS, SHORT_DAYS_MONTHS, WEEKDAYS

    for name in MONTHS:
        assert re.fullmatch(MONTH, name, re.IGNORECASE), name
    for name in WEEKDAYS:
        assert re.fullmatch(WEEKDAY, name, re.IGNORECASE), name
    for short in SHORT_DAYS_MONTHS:
        assert re.fullmatch(MONTH, short, re.IGNORECASE) or re.fullmatch(WEEKDAY, short, re.IGNORECASE), short
