"""Email threads: newest first (quoted) and oldest first (header blocks with dates)."""
from __future__ import annotations

import pytest

from checker.parse import parse_transcript

OLDEST_FIRST = """From: Ada Quinn <ada@example.net>
To: help@northbay-water.example
Date: 2 March 2026 09:00

Hello, my water pressure has been low all week.
Ada
------------------------------
From: Northbay Water <help@northbay-water.example>
To: Ada Quinn <ada@example.net>
Date: 2 March 2026 13:30

Dear Ada,

Thank you for your email. We are replacing a valve on your street; pressure will be back to normal by Thursday.

Kind regards,
Omar Reed
Northbay Water
"""


def test_oldest_first_thread_with_dashes_and_no_blank_line_is_two_messages():
    conversation = parse_transcript(OLDEST_FIRST)
    assert [t.role for t in conversation.turns] == ["customer", "agent"]
    assert conversation.turns[0].text.startswith("Hello, my water pressure")
    assert conversation.turns[1].text.startswith("Dear Ada,")
    assert conversation.agent == "Northbay Water"
    assert conversation.unread_lines == ()


def test_newest_first_thread_is_still_read_newest_first():
    text = ("Dear Ada,\n\nThe valve is fixed.\n\nKind regards,\nOmar\n\n"
            "On 2 Mar 2026, at 09:00, Ada Quinn <ada@example.net> wrote:\n> My pressure is low.\n> Ada\n")
    conversation = parse_transcript(text)
    assert [t.role for t in conversation.turns] == ["customer", "agent"]
    assert conversation.turns[0].text == "My pressure is low.\nAda"
    for turn in conversation.turns:
        assert all(text[turn.to_source(i)] == ch for i, ch in enumerate(turn.text))


def test_a_thousand_levels_of_quoting_do_not_raise_recursion_error():
    text = "Dear Sam,\n\nThanks for your email.\n\nKind regards,\nJo\n\n" + "\n".join(
        ">" * depth + " line " + str(depth) for depth in range(1, 1001))
    conversation = parse_transcript(text, channel="email")
    assert conversation.turns[-1].role == "agent"
    assert any("nested" in w for w in conversation.warnings)


def test_unsigned_reply_names_the_learner_from_the_signature():
    conversation = parse_transcript("Hi Pat,\n\nYour refund is on its way.\n\nBest wishes,\nLena Hart\nSupport team\n")
    assert conversation.agent == "Lena Hart"
    assert len(conversation.agent_turns) == 1 and not conversation.customer_turns


def test_oldest_first_without_dates_is_ordered_by_reply_subjects():
    text = ("From: Kit Moss <kit@example.net>\nTo: shop@lantern.example\nSubject: Broken lamp\n\n"
            "Hello, my lamp arrived broken.\n\n-----------------\n\n"
            "From: Lantern Lighting <shop@lantern.example>\nTo: Kit Moss <kit@example.net>\nSubject: RE: Broken lamp\n\n"
            "Dear Kit,\n\nSorry about that; a replacement is on its way.\n\nKind regards,\nAbi\n")
    conversation = parse_transcript(text)
    assert [t.role for t in conversation.turns] == ["customer", "agent"]
    assert conversation.turns[1].speaker == "Lantern Lighting"


# two messages of a webmail print, below its page title
KETTLE_THREAD = ("----------------------------------------\n"
            "Mo Reid <mo@example.com>                 Tue, 3 Mar 2026 at 09:14\nTo: care@kettles.example.co.uk\n\n"
            "Hello,\nWhere is my refund for the blue kettle?\nMo\n\n"
            "----------------------------------------\n"
            "Hana Kowalski <care@kettles.example.co.uk>    Tue, 3 Mar 2026 at 11:02\nTo: Mo Reid <mo@example.com>\n\n"
            "Hi Mo,\n\nThe refund went back to your card today.\n\nKind regards,\nHana\n")


def test_a_webmail_print_with_sender_lines_and_no_from_headers():
    text = "Mail - Refund for the blue kettle\n\nCare Team <care@kettles.example.co.uk>\n\n2 messages\n" + KETTLE_THREAD
    conversation = parse_transcript(text, agent="Hana Kowalski")
    assert [(t.role, t.speaker) for t in conversation.turns] == [("customer", "Mo Reid"), ("agent", "Hana Kowalski")]
    assert conversation.turns[0].time == "Tue, 3 Mar 2026 at 09:14"


@pytest.mark.parametrize("title", ["Gmail - Refund for the blue kettle\n\nCare Team <care@kettles.example.co.uk>\n\n2 messages",
                                   "Gmail\tCare Team <care@kettles.example.co.uk>\nRefund for the blue kettle\n2 messages",
                                   "Mail - Refund for the blue kettle\n\n2 messages"])
def test_a_webmail_prints_subject_is_read_from_its_page_title(title):
    # the print names the thread's subject once, above the messages, so the reply has one
    text = title + "\n" + KETTLE_THREAD
    conversation = parse_transcript(text, agent="Hana Kowalski")
    assert [t.role for t in conversation.turns] == ["customer", "agent"]
    assert conversation.meta.get("subject") == "Refund for the blue kettle"


def test_a_task_brief_above_an_oldest_first_thread_is_no_message():
    text = ("TASK 3 – Written communication (email)\nRead the email below and reply as the shop's customer adviser.\n"
            "Learner: Hana Kowalski\n\n==========\n\n"
            "From: Mo Reid <mo@example.com>\nTo: care@kettles.example.co.uk\nDate: Tue, 3 Mar 2026 09:14\nSubject: Refund\n\n"
            "Hello,\nWhere is my refund?\nMo\n\n----------\n\n"
            "From: Hana Kowalski <care@kettles.example.co.uk>\nTo: Mo Reid <mo@example.com>\nDate: Tue, 3 Mar 2026 11:02\n"
            "Subject: RE: Refund\n\nHi Mo,\n\nIt went back to your card today.\n\nKind regards,\nHana\n")
    conversation = parse_transcript(text)
    assert [(t.role, t.speaker) for t in conversation.turns] == [("customer", "Mo Reid"), ("agent", "Hana Kowalski")]


GMAIL_PAGE = """Re: Your boiler service
Inbox

Tom Reid (Hearthside Heating) <office@example.com>        Wed 4 Mar, 09:40
to Ama

Dear Ms Boateng,

Thank you for confirming your postcode. I've booked the service for Friday 13 March between 8am and noon.

Kind regards,

Tom Reid


On Tue, 3 Mar 2026 at 18:02, Ama Boateng <ama.b@example.com> wrote:

> Hello, can I book my annual boiler service please? Postcode LE2 7HB.
"""


def test_a_gmail_page_subject_inbox_sender_and_to_line_are_not_the_reply():
    conversation = parse_transcript(GMAIL_PAGE, agent="Tom Reid")
    assert [t.role for t in conversation.turns] == ["customer", "agent"]
    assert conversation.turns[1].text.startswith("Dear Ms Boateng,")  # no subject, "Inbox" or "to Ama" above it
    assert conversation.turns[1].time == "Wed 4 Mar, 09:40"
    assert not conversation.unread_lines and not conversation.warnings  # the header lines were read as headers


def test_a_gmail_page_with_the_date_under_the_sender():
    # a narrow page puts the date on its own line between the sender and "to Ama"
    page = GMAIL_PAGE.replace("<office@example.com>        Wed 4 Mar, 09:40\n", "<office@example.com>\nWed 4 Mar, 09:40\n")
    conversation = parse_transcript(page, agent="Tom Reid")
    assert [t.role for t in conversation.turns] == ["customer", "agent"]
    assert conversation.turns[1].text.startswith("Dear Ms Boateng,")
    assert conversation.turns[1].time == "Wed 4 Mar, 09:40"
    assert not conversation.unread_lines and not conversation.warnings


def test_header_blocks_that_start_with_the_date_split_the_thread():
    text = ("Date: Wed, 2 Dec 2026 08:10\n"
            "From: Owen Pike <owen.pike@example.net>\n"
            "To: hello@tallyho-gyms.example\n"
            "Subject: Membership fee\n\n"
            "Hi, I was charged twice for December. Can you refund one?\nOwen\n\n"
            "++++++++++++++++++++++++++++++\n\n"
            "Date: Wed, 2 Dec 2026 11:45\n"
            "From: Tallyho Gyms <hello@tallyho-gyms.example>\n"
            "To: Owen Pike <owen.pike@example.net>\n"
            "Subject: RE: Membership fee\n\n"
            "Dear Owen,\n\nSorry about that. The second payment has been refunded today.\n\nKind regards,\nBea\n")
    conversation = parse_transcript(text)
    assert [t.speaker for t in conversation.turns] == ["Owen Pike", "Tallyho Gyms"]
    assert conversation.turns[1].text.startswith("Dear Owen,")


def test_letters_pasted_one_under_another_split_at_the_rule_in_their_order():
    text = ("12 Orchard Way\nMillbrook\nMB3 1LP\n\n4 November 2026\n\n"
            "Dear Sir or Madam,\n\nMy bin has not been emptied for three weeks and nobody answers the phone.\n\n"
            "Yours faithfully,\n\nHarold Fenn (Mr)\n\n"
            "=============== REPLY POSTED 9 NOVEMBER 2026 ===============\n\n"
            "Millbrook District Council\nOur ref: WST/8812\n\n"
            "Dear Mr Fenn,\n\nI am sorry your bin was missed three times. A crew will empty it on Thursday.\n\n"
            "Yours sincerely,\n\nJune Okoro\nWaste Services Officer\n")
    conversation = parse_transcript(text, agent="June Okoro")
    assert conversation.channel == "email"
    assert [(t.speaker, t.role) for t in conversation.turns] == [("Harold Fenn", "customer"), ("June Okoro", "agent")]
    reply = conversation.turns[1].text
    assert reply.startswith("Dear Mr Fenn,") and "Our ref" not in reply and "REPLY POSTED" not in reply


def test_a_message_answered_inline_keeps_each_side_its_own_words():
    text = ("From: Nadia Roy <nadia.roy@fernway.example>\n"
            "To: Carl Mint <carl.mint@example.net>\n"
            "Subject: Re: My plan\n\n"
            "Hi Carl,\n\nThanks for the details. My answers are below.\n\n"
            "On Mon, 30 Nov 2026 at 18:02, Carl Mint <carl.mint@example.net> wrote:\n"
            "> Why has my bill gone up?\n\n"
            "Your discount ended in November, so the plan went back to its full price.\n\n"
            "> Can I get the discount back?\n\n"
            "I've passed that to our retention team, who will call you by Friday.\n\n"
            "Kind regards,\nNadia\n")
    conversation = parse_transcript(text, agent="Nadia Roy")
    assert [t.speaker for t in conversation.turns] == ["Carl Mint", "Nadia Roy"]
    customer, agent = conversation.turns[0].text, conversation.turns[1].text
    assert "Why has my bill gone up?" in customer and "Can I get the discount back?" in customer
    assert "Your discount ended" in agent and "retention team" in agent and agent.rstrip().endswith("Nadia")
    assert ">" not in agent and "discount ended" not in customer


def test_a_bare_sign_off_above_a_companys_details_starts_the_signature():
    from checker.parse.email_thread import signature_start

    text = ("From: Fernway Homes <lets@fernway.example>\nTo: Ivy Shaw <ivy@example.net>\nSubject: Re: Boiler\n\n"
            "The engineer is booked for Tuesday morning.\nThanks\n\n"
            "Fernway Homes Ltd | 2 Mill Street, Leeds LS2 7QT | 0113 496 0000\n"
            "Registered in England No. 01234567\n")
    turn = parse_transcript(text, agent="Fernway Homes").turns[0]
    assert turn.text[signature_start(turn):].lstrip().startswith("Fernway Homes Ltd")
    # a sign-off word above a sentence of the letter is no sign-off
    plain = parse_transcript(text.replace("Fernway Homes Ltd | 2 Mill Street, Leeds LS2 7QT | 0113 496 0000\n",
                                          "Please call us if Tuesday no longer suits.\n"), agent="Fernway Homes").turns[0]
    assert signature_start(plain) > len(plain.text)


def test_the_signature_is_found_in_one_pass_over_a_long_message():
    """Each line's view of the lines below it is read once, from the bottom up: a message of
    20,000 lines took 24 s when every line gathered all the lines under it."""
    from checker.model import Turn
    from checker.parse.email_thread import signature_start

    text = "Thanks\n" + "\n".join(f"line {n} of the letter" for n in range(20000)) + "\nKind regards,\nSam\n"
    assert text[signature_start(Turn(0, "agent", "Sam", text, 0, len(text))):].strip() == "Sam"
