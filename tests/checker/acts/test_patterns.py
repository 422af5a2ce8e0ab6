"""Sensitive requests: the item inside a request, whatever else the request lists; never the
safe forms."""
from __future__ import annotations

import pytest

from checker.model import Conversation, Turn


def _acts(checker, text, speaker="agent"):
    turn = Turn(0, speaker, speaker, text, 0, len(text))
    acted = checker.acts(checker.analyse(Conversation("chat", (turn,), text)))
    return acted.acts


@pytest.mark.parametrize("text, item", [
    ("May I have your full name, your account number and your PIN please?", "PIN"),
    ("Pop your online banking password in here and I'll log in for you.", "password"),
    ("What's the CVV on the back of the card?", "CVV"),
    ("Could you type the long card number below?", "long card number"),
    ("Just send over the three digit code from the back.", "three digit code"),
])
def test_sensitive_request_found(checker, text, item):
    found = [a for a in _acts(checker, text) if a.name == "sensitive_request"]
    assert found, f"no sensitive request in {text!r}"
    assert text[found[0].start:found[0].end].lower() == item.lower()
    assert found[0].source == "pattern"


@pytest.mark.parametrize("text", [
    "Could you confirm the last four digits of your card number?",
    "Please give me the 2nd and 5th characters of your passcode.",
    "We will never ask for your PIN or password.",
    "Please don't send your card number in this chat.",
    "You can reset your password with the link we've emailed.",
    "What's your library card number?",
])
def test_sensitive_request_safe_forms(checker, text):
    assert not [a for a in _acts(checker, text) if a.name == "sensitive_request"]


@pytest.mark.parametrize("text, quote", [
    ("Hello [Customer Name], thanks for waiting.", "[Customer Name]"),
    ("Your delivery is booked for {delivery_date}.", "{delivery_date}"),
])
def test_placeholder_pattern(checker, text, quote):
    found = [a for a in _acts(checker, text) if a.name == "placeholder"]
    assert found and text[found[0].start:found[0].end] == quote


@pytest.mark.parametrize("text", [
    "Please reply with the long number from your new debit card and its 3 digit security code.",
    "Can you tell me all six digits of your passcode?",
    "What's the full 16-digit number on your card?",
    "If you give me your online banking login I can check the payment from my side.",
    "Could you read me the verification code we've just texted you?",
    "Please send us a photograph of the front and back of your bank card.",
])
def test_sensitive_request_in_other_words(checker, text):
    """Digits that are the whole item, a new card's number, a one-time code, a photo of the card."""
    found = [a for a in _acts(checker, text) if a.name == "sensitive_request"]
    assert found and found[0].items


@pytest.mark.parametrize("text", [
    "You'll need your password to log in to the app, so keep it safe.",
    "If you've shared your PIN with the caller, please change it in the app straight away.",
    "Did they ask for your PIN or any codes?",
    "Some callers pretend to be from the bank and ask for your passcode, so please be careful.",
    "You really need to be more careful with your card details.",
    "We'll text you a new PIN reminder in the next 24 hours.",
    "The CVV is the three digits on the back; you'll need it when you pay online.",
    "It's the long number on the front of your loyalty card.",
    "For your security, please remove any full card numbers from your reply.",
])
def test_sensitive_item_without_a_request_for_it(checker, text):
    """Advice, warnings, questions about what someone else asked, and things the agent sends."""
    assert not [a for a in _acts(checker, text) if a.name == "sensitive_request"]


@pytest.mark.parametrize("text, found", [
    ("Can you close my mum's account please?", True),
    ("My late husband's pension hasn't been paid this month.", True),
    ("Our council tax bill has gone up again.", True),
    ("I want to change my way to pay.", False),
    ("How do your savings accounts work?", False),
])
def test_account_matter_pattern_reads_a_possessive_before_a_record(checker, text, found):
    """The exact part of account_matter: a possessive, someone's own included ('my mum's'), before
    a record the organisation keeps."""
    by_pattern = [a for a in _acts(checker, text, speaker="customer") if a.name == "account_matter" and a.source == "pattern"]
    assert bool(by_pattern) == found, text


@pytest.mark.parametrize("text", [
    "whats the long number on ur card pls",
    "what is the security code on the back",
    "can you send me your online banking password",
])
def test_a_question_without_its_question_mark_still_asks(checker, text):
    """Chat and text-speak leave the mark off: the question's shape says it asks."""
    assert [a for a in _acts(checker, text) if a.name == "sensitive_request"]


@pytest.mark.parametrize("text", [
    "how do you reset your PIN if you forget it",
    "when did you last change your password",
    "what is the CVV used for",
])
def test_a_question_about_the_item_is_not_a_request_for_it(checker, text):
    assert not [a for a in _acts(checker, text) if a.name == "sensitive_request"]


@pytest.mark.parametrize("text, asked", [
    ("Pls DM us the full card number you paid with + the security code on the back so we can refund it", True),
    ("Please note we will never ask for your PIN or password.", False),
    ("Please keep your PIN safe.", False),
    ("Please send the last four digits of your card.", False),
])
def test_please_makes_a_request_however_text_speak_breaks_the_parse(checker, text, asked):
    """'Pls' as the sentence's root leaves no imperative verb for the parse to find; the word
    that makes it a request is still there."""
    report = checker.check(f"Customer: my refund hasn't come\nAgent: {text}")
    assert bool([f for f in report.findings if f.rule_id == "data_protection.card_details"]) is asked


def test_a_polite_marker_parsed_as_a_past_tense_verb_is_no_verb(checker):
    """After an @handle and a first sentence, the parser can read "Pls" as a past-tense root verb
    ("Pls"/VBD with "us … card number" under it); it is still a request, not something done."""
    from spacy.tokens import Doc

    from checker.acts.patterns import sensitive_request

    words = ["Pls", "DM", "us", "the", "full", "card", "number", "so", "we", "can", "refund", "it"]
    doc = Doc(checker.nlp.vocab, words=words,
              pos=["VERB", "PROPN", "PRON", "DET", "ADJ", "NOUN", "NOUN", "SCONJ", "PRON", "AUX", "VERB", "PRON"],
              tags=["VBD", "NNP", "PRP", "DT", "JJ", "NN", "NN", "IN", "PRP", "MD", "VB", "PRP"],
              heads=[0, 0, 0, 6, 5, 6, 2, 10, 10, 10, 0, 10],
              deps=["ROOT", "pobj", "dep", "det", "amod", "compound", "appos", "mark", "nsubj", "aux", "advcl", "dobj"],
              sent_starts=[True] + [False] * 11)
    sent = next(iter(doc.sents))
    assert sensitive_request(sent, [(5, 7)]) == (5, 7)
