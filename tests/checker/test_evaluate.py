"""The evaluation context: which act a finding names when one sentence carries several."""
from types import SimpleNamespace

import pytest

from checker.evaluate import Context
from checker.parse import parse_transcript
from ruletools import make_rule

TEXT = ("Customer: The boiler has stopped working and I need my appointment moved.\n"
        "Agent: I've moved your appointment to Friday and booked an engineer to fix the boiler that morning.")


def test_a_finding_names_the_act_its_rule_looked_for(checker):
    """Two rules match the same sentence through different acts (an escalation, an account
    action): each finding names its own rule's act, whichever rule ran first."""
    analysed = checker.acts(checker.analyse(parse_transcript(TEXT)))
    names = {a.name for a in analysed.acts if a.turn == 1}
    assert {"escalation", "account_action"} <= names
    ctx = Context(analysed, SimpleNamespace(canned_responses=()))
    referral = make_rule(checker.nlp, type="conditional", when=["boiler"], then_acts=["escalation"], within=1)
    change = make_rule(checker.nlp, type="conditional", when=["appointment"], then_acts=["account_action"], within=1)
    first = list(referral.evaluate(ctx))
    second = list(change.evaluate(ctx))
    assert [f.act for f in first] == ["escalation"]
    assert [f.act for f in second] == ["account_action"]


def test_email_parts_skip_the_header_lines_a_reply_starts_with():
    from checker.evaluate import split_email

    text = "Subject: RE: Please stop\n\nDear Ingrid,\n\nThe reminders are off.\n\nKind regards,\nNiamh"
    parts = split_email(text)
    assert text[slice(*parts.salutation)] == "Dear Ingrid,"


@pytest.mark.parametrize("close", ["With warm wishes,", "Take care,", "All good wishes,", "Speak soon,"])
def test_a_sign_off_is_known_by_its_shape_whatever_its_words(close):
    from checker.evaluate import split_email

    text = f"Dear Ruth,\n\nThe direct debit is cancelled.\n\n{close}\n\nGwen Pritchard\nSupporter Care Team"
    parts = split_email(text)
    assert text[parts.signoff[0]:].startswith(close) and parts.signoff_has_name
    # a comma line in the body, with no name under it, is no sign-off
    body = "Dear Ruth,\n\nIn short,\nthe debit is cancelled and the refund is on its way.\n\nGwen"
    assert split_email(body).signoff == (len(body), len(body))


REVIEW_REPLY = ("Hello Priya, thank you for telling us about the blender. I'm sorry it stopped working within a month; "
                "that is not the quality we expect either. Please email care@example.com with your order number and we will "
                "send a replacement or a full refund, whichever you prefer, and we will cover the return postage so it "
                "costs you nothing. Thank you for your patience, Dan")


def test_a_rule_skips_the_format_families_it_names(checker):
    """A review's reply is one composed post: the chat-bubble length rule (skip_formats: [review
    and reply]) leaves it alone, and the same words as a chat turn are still too long a bubble."""
    review = ("Priya S\n★☆☆☆☆ 3 weeks ago\nBlender died after three weeks. Not impressed.\n\n"
              f"Response from the owner 2 weeks ago\n{REVIEW_REPLY}\n")
    chat = f"Customer: Blender died after three weeks. Not impressed.\nAgent: {REVIEW_REPLY}\n"
    as_review, as_chat = checker.check(review), checker.check(chat)
    assert as_review.conversation.format == "review and reply" and as_chat.conversation.format == "line chat"
    assert not [f for f in as_review.findings if f.rule_id == "readability.long_chat_messages"]
    assert [f for f in as_chat.findings if f.rule_id == "readability.long_chat_messages"]



def test_a_forums_wait_between_posts_is_no_silence_in_a_chat(checker):
    """A forum's posts are answered post by post, like letters: a day before the staff reply gets
    no holding-message finding, as the same messages in a live chat do."""
    forum = ("Kiln Community › Printers › Paper jam\n\ninkyfingers\nMember · Posts: 12\n03-02-2026 07:40 PM\n\n"
             "Since the 2.3 update my printer jams on every second page. Anyone else?\n\n"
             "KilnSam\nCommunity Team (Staff)\n04-02-2026 09:15 AM\n\n"
             "Hi @inkyfingers, sorry about the jams. I've passed this to our firmware team, who will reply here by Friday.\n")
    chat = ("[19:40] Customer: Since the 2.3 update my printer jams on every second page. Anyone else?\n"
            "[19:55] Agent: Hi, sorry about the jams. I've passed this to our firmware team, who will reply here by Friday.\n")
    as_forum, as_chat = checker.check(forum, agent="KilnSam"), checker.check(chat)
    assert as_forum.conversation.format == "forum thread"
    assert all(t.seconds is not None for t in as_forum.conversation.turns)  # the wait is measured, and allowed
    assert not [f for f in as_forum.findings if f.rule_id == "channel_conventions.holding_messages"]
    assert [f for f in as_chat.findings if f.rule_id == "channel_conventions.holding_messages"]
