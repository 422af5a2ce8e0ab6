"""The detector keeps the reading with the best structural fit, whichever reader found it."""
from __future__ import annotations

from checker.parse import parse_transcript
from checker.parse.common import split_lines
from checker.parse.detect import detect

BLOCKS = """Chat started: 3 Apr 2026 10:00
Mo joined the chat

Mo
10:00
Hello, you're through to Mo at Pebble Bank. How can I help?

Lin Hope
10:01
I can't log in to the app

Mo
10:02
Sorry about that, Lin. Could you confirm your date of birth?
"""

COURSEWORK = """Level 2 Customer Service – Task 1
Scenario: a customer emailed about a late delivery.

Customer: Where is my parcel? It was due on Monday.
My response: Dear customer, I'm sorry it's late. It will arrive tomorrow.
"""


def readings(text):
    return {s.reading.family: s for s in detect(text, split_lines(text))}


def test_block_chat_beats_a_line_reading_that_takes_the_system_line_for_a_speaker():
    found = readings(BLOCKS)
    assert max(found.values(), key=lambda s: s.fit).reading.family == "block chat"
    conversation = parse_transcript(BLOCKS)
    assert [t.speaker for t in conversation.turns if t.role != "system"] == ["Mo", "Lin Hope", "Mo"]


def test_coursework_sections_say_who_wrote_what():
    conversation = parse_transcript(COURSEWORK)
    assert conversation.format == "coursework"
    assert [(t.role, t.speaker) for t in conversation.turns] == [("customer", "Customer"), ("agent", "My response")]
    assert conversation.unread_lines == ()


def test_an_unstructured_single_message_loses_to_a_chat():
    text = "Agent: Hi, how can I help?\nCustomer: Kind regards,\nAgent: Thanks for contacting us."
    assert parse_transcript(text).format == "line chat"


def test_fit_counts_lines_accounted_for():
    found = readings(BLOCKS)
    assert found["block chat"].coverage == 1.0
    assert all(0.0 <= s.coverage <= 1.0 for s in found.values())


def test_whatsapp_lines_with_direction_marks_are_read():
    text = ("\u200e[11/04/2026, 16:21:40] Bea Moss: is my bike ready\n"
            "\u200e[11/04/2026, 16:23:02] Rowan Cycles: Hi Bea, this is Gus at Rowan Cycles. Yes it is ready.\n")
    conversation = parse_transcript(text)
    assert [(t.speaker, t.role) for t in conversation.turns] == [("Bea Moss", "customer"), ("Rowan Cycles", "agent")]


def test_other_coursework_section_names():
    conversation = parse_transcript("Message from customer:\nWhere is my parcel?\n\nYour reply:\nDear Sam,\nIt arrives tomorrow.\n")
    assert [(t.speaker, t.role) for t in conversation.turns] == [("Message from customer", "customer"), ("Your reply", "agent")]


def test_messenger_own_side_you_sent_is_the_agent():
    text = ("Kelly Dunn\ndo you have size 8 in the blue coat?\n\nYou sent\nHi Kelly, yes, we have size 8 in Leeds.\n\n"
            "Kelly Dunn\ngreat thanks\n\nYou sent\nYou're welcome!\n")
    conversation = parse_transcript(text)
    assert [(t.speaker, t.role) for t in conversation.turns] == [
        ("Kelly Dunn", "customer"), ("You", "agent"), ("Kelly Dunn", "customer"), ("You", "agent")]
