"""Suggestions are filled from this conversation: the customer's name, the learner's own name and
the customer's account of the problem, or neutral placeholders; never another conversation's."""
from __future__ import annotations

from dataclasses import replace

import pytest

from checker.parse import parse_transcript
from checker.rules.base import _personal
from checker.rules.names import agent_name, problem_sentence


class Ctx:
    def __init__(self, customer=(), agent=None, problem=""):
        self.customer_names = customer
        self.agent_name = agent
        self._problem = problem

    def customer_problem(self, turn):
        return self._problem


@pytest.mark.parametrize("template, ctx, expected", [
    ("Hello {customer}, you're through to {agent|[your name]}.", Ctx(("Ann",), "Tom"), "Hello Ann, you're through to Tom."),
    ("Hello {customer}, you're through to {agent|[your name]}.", Ctx(), "Hello, you're through to [your name]."),
    ("Hello {customer|[customer's name]},", Ctx(), "Hello [customer's name],"),
    ("Kind regards, {agent}", Ctx(), "Kind regards"),
    ("Name it ('{problem}').", Ctx(problem="my card was charged twice"), "Name it ('my card was charged twice')."),
    ("Name it ('{problem}').", Ctx(), "Name it."),
    ("Name {problem}.", Ctx(), "Name what went wrong for them."),
    ("No fill-ins here.", Ctx(("Ann",)), "No fill-ins here."),
])
def test_fill_ins_come_from_the_conversation_or_stay_neutral(template, ctx, expected):
    assert _personal(template, ctx) == expected


@pytest.mark.parametrize("text, expected", [
    ("Rep: Hello\nCustomer: hi\n", None),
    ("Agent: Hello\nCustomer: hi\n", None),
    ("Sam (Advisor): Hello\nCustomer: hi\n", "Sam"),
    ("From: Kai Turner <kai@example.com>\nTo: Ann <ann@example.com>\nSubject: Re: x\n\nHello Ann,\n\nDone.\n\nKind regards,\nKai Turner\n", "Kai"),
])
def test_agent_name_is_the_learners_name_never_a_role_word(text, expected):
    assert agent_name(parse_transcript(text)) == expected


def test_the_name_the_learner_introduces_themself_by_wins_over_a_brand_label():
    conversation = parse_transcript("Fibrelane: Hi Jo, I'm Priti from the Fibrelane team. What's happening with the line?\n"
                                    "Jo: it drops every evening\n", agent="Fibrelane")
    assert agent_name(conversation) == "Priti"


@pytest.mark.parametrize("label", ["Response from the owner", "The owner", "Developer Response", "Our team"])
def test_a_review_sites_label_over_the_reply_is_no_name(label):
    # "Hello Tom, you're through to The." was offered as a better greeting under a Google review
    conversation = replace(parse_transcript("Agent: Hello\nCustomer: hi\n"), agent=label)
    assert agent_name(conversation) is None


def test_a_placeholder_greeting_is_told_to_fill_the_name_in():
    from checker import Checker

    report = Checker().check("Agent: Hi [Customer Name], thanks for your message about the order.\n"
                             "Customer: Hi, I'm Tom. It never came.\n"
                             "Agent: Sorry Tom, I've sent a new one today. Does that help?\n", channel="chat")
    greeting = report.criterion("greeting")
    # still a greeting in the first message (personalisation counts the placeholder), never praised as it stands
    assert greeting.status == "met"
    assert "placeholder" in greeting.message and "courteously" not in greeting.message
    assert not [w for w in report.went_well if "[Customer Name]" in w]
    assert report.criterion("personalisation").status == "not_met"
    assert greeting.suggestion.startswith("Put the customer's own name where the template's brackets are, e.g. 'Hello Tom'")


@pytest.mark.parametrize("text, expected", [
    ("This is ridiculous. You charged me twice for the same order!", "You charged me twice for the same order!"),
    ("hi", "hi"),
    ("", ""),
    ("word " * 40, ("word " * 10).strip() + "…"),
])
def test_problem_sentence_is_the_customers_longest_sentence_shortened(text, expected):
    assert problem_sentence(text) == expected


def test_the_problem_named_back_is_the_customers_problem_never_their_security_details():
    # the last customer message before the learner's reply is a date of birth and postcode:
    # quoting it as "what went wrong for them" would echo security details into the feedback
    from checker import Checker
    from checker.evaluate import Context

    checker = Checker()
    conversation = checker.parse("Agent: Hi, you're through to Sam. Please confirm your date of birth and postcode.\n"
                                 "Customer: My broadband has dropped out every evening this week and I work from home.\n"
                                 "Customer: 12/09/1994, NE6 2HW\n"
                                 "Agent: Thanks. Turn the router off and on again.\n", channel="chat")
    ctx = Context(checker.acts(checker.analyse(conversation)))
    expected = "My broadband has dropped out every evening this…"
    assert ctx.customer_problem(3) == expected
    assert ctx.customer_problem(0) == expected  # before the customer spoke: the problem they went on to tell


def test_a_quote_that_ends_its_own_sentence_gets_no_second_full_stop():
    from checker.rules.base import _fill

    assert _fill("You greeted the customer: '{match}'.", "Hi, I'm Jade.") == "You greeted the customer: 'Hi, I'm Jade.'"
    assert _fill("You greeted the customer: '{match}'.", "Hi Jade") == "You greeted the customer: 'Hi Jade'."


def test_the_customers_words_are_quoted_without_the_handle_their_post_addressed():
    from checker.rules.names import problem_sentence

    assert problem_sentence("@KestrelFibre my broadband has been down since Monday") == "my broadband has been down since Monday"
    assert problem_sentence("@dan_w @KestrelFibre: still no signal here") == "still no signal here"
