"""Header, title, date and system lines."""
from __future__ import annotations

import pytest

from checker.parse.common import MAX_HEADING_CHARS, heading_shape
from checker.parse.headers import is_chrome_line, is_date_line, is_header_line, is_system_line, is_time_line


@pytest.mark.parametrize("line", [
    "Acme Water - web chat", "Date: 03/04/2026", "Agent: Nadia", "Customer: Mr Graham Price",
    "Started: 2 May 2026 09:10", "Brightway | chat export | 3 Apr 2026", "Ticket #4410 · Channel: Email",
    "Customer: Jo Hart | Agent: Imran | 12 Mar 2026", "Dorothy Pike (07700 900384)", "Harbour Plumbing",
    "Level 2 Customer Service – Written task 4", "Agent name: Nadia", "Customer name: Graham Tolley",
    "Chat ID: 55120", "Queue: Billing", "Wait time: 2 min",
    "Requester: Nadia Fox <nadia.fox@example.com>", "Customer: Jo Fenwick <jo@example.com>", "Assignee: Owen Hale",
    "Origin: Email", "Assigned to: Ravi Shah  •  Status: Pending", "Started via: Help Centre chat (not signed in)",
    "Assigned: Jade (Tidewell) - Customer Care",
])
def test_headers(line):
    assert is_header_line(line)


@pytest.mark.parametrize("line", [
    "Customer: Hi", "Agent: Hello, how can I help?", "Sam: Hello - how can I help", "10:02:13 Agent: Hello",
    "I was charged twice this month.", "Customer: my bin wasn't emptied", "Customer: Hi <3",
])
def test_messages_are_not_headers(line):
    assert not is_header_line(line)


@pytest.mark.parametrize("line", [
    "Chat started: Tue 10 Mar 2026 16:31 | Council", "Sam joined the chat", "Chat transferred to Rob",
    "12/02/2026, 08:47 - Messages and calls are end-to-end encrypted. Tap to learn more.", "Sam is typing…",
    "Typically replies within an hour", "Active now", "[19:21] Queue position: 4", "You are 2nd in the queue",
    "Current wait: 6 minutes", "[11:05] *** Chat transferred from Tom (Customer Services) to Nadia (Payments) ***",
    "*** Chat transferred to Aisha (Repayments) ***",
])
def test_system_lines(line):
    assert is_system_line(line)


@pytest.mark.parametrize("line", [
    "Current wait time is about 10 minutes", "I was waiting in the queue for an hour", "Online now and happy to help",
])
def test_sentences_about_waits_are_not_system_lines(line):
    assert not is_system_line(line)


@pytest.mark.parametrize("line", ["5 March 2026 at 14:32", "Thu 6 Mar", "Yesterday 19:45", "14/04/2026",
                                  "Mon, 3 Mar 2025 at 7:41 PM", "Nov 11, 2024, 08:12 GMT", "2 May 2026 14:03 +01:00"])
def test_date_lines(line):
    assert is_date_line(line)


def test_a_time_zone_follows_a_time_not_a_word():
    assert is_time_line("08:12 BST")
    assert not is_date_line("Meet at 08:12 GMT")


def test_heading_shape_trims_and_cuts_runs_of_blanks_to_two():
    assert heading_shape("  Sam\t\t\t(Agent)      12:03  ") == "Sam  (Agent)  12:03"
    assert heading_shape("Nadia (Tidewell)   Public reply") == "Nadia (Tidewell)  Public reply"  # two still part columns
    assert heading_shape("a b") == "a b"


def test_heading_shape_is_none_for_a_line_too_long_to_be_a_heading():
    assert heading_shape("word " * 60) is None
    assert heading_shape("Sam" + " " * 5000 + "12:03") == "Sam  12:03"  # blanks do not count against the length


@pytest.mark.parametrize("line, system", [
    (" " * 3000 + "Sam joined the chat", True), ("Sam" + "\t" * 3000 + "joined the chat", True),
    (" " * 20_000, False), ("x " * 150 + "joined the chat", False),
])
def test_system_lines_padded_with_blanks(line, system):
    assert is_system_line(line) is system


def test_a_pasted_brief_above_a_chat_is_header_not_a_message():
    from checker.parse import parse_transcript
    text = ("Unit 4 – Handling customer queries: web chat role play (simulated)\n"
            "Scenario: A customer's new sofa has arrived with a torn cushion and she wants to know her options before the weekend.\n"
            "Learner: Ola Bankole\n----------\n\n"
            "Ola: Hello, you're through to Ola at Fenwick Furniture. How can I help?\n"
            "Rita: My sofa came today and a cushion is torn.\n"
            "Ola: I'm sorry, that's not what you want from a new sofa. Is it the seat or a back cushion?\n")
    conversation = parse_transcript(text, agent="Ola")
    assert [t.speaker for t in conversation.turns] == ["Ola", "Rita", "Ola"]
    assert not any("not read" in w for w in conversation.warnings)


@pytest.mark.parametrize("line", ["Marcus  14:31", "Sunil 10:02", "Janet 9:15", "Augustine 12:00", "Octavia 08:30", "Monica 17:45"])
def test_a_name_that_begins_like_a_month_or_a_day_is_no_date(line):
    assert not is_date_line(line)


def test_the_first_message_headed_by_such_a_name_is_read():
    from checker.parse import parse_transcript
    text = ("Marcus  14:31\nHi, you're through to Marcus. How can I help?\n\nJo  14:32\nMy router light is red.\n\n"
            "Marcus  14:33\nSorry about that, Jo. Is it the broadband light?\n\nJo  14:33\nYes\n")
    conversation = parse_transcript(text, agent="Marcus")
    assert [t.speaker for t in conversation.turns] == ["Marcus", "Jo", "Marcus", "Jo"]


@pytest.mark.parametrize("line", ["Like · Reply · 3d", "5h  Like  Reply", "·", "2,318 Views", "Seen", "Most relevant",
                                  "10:02 · 07/03/2026 · 1.1K Views", "👍❤️ 36    12 comments    4 shares", "4 March at 10:00 ·"])
def test_chrome_lines(line):
    assert is_chrome_line(line)


@pytest.mark.parametrize("line", ["214", "5520-33817", "yes", "read it", "Reply to this please", "ok thanks", "Fri 16:41"])
def test_words_and_bare_numbers_are_not_chrome(line):
    assert not is_chrome_line(line)  # an order number or a date alone may be a customer's whole answer


def test_a_framed_section_title_may_name_whose_messages_follow():
    from checker.parse.headers import FRAMED_TITLE

    assert FRAMED_TITLE.match("------ Direct Messages: Swift Buses ------")
    assert FRAMED_TITLE.match("=== Back to public ===")
    assert not FRAMED_TITLE.match("Agent: ------")


def test_a_messaging_apps_business_notice_is_a_system_line():
    assert is_system_line("This business uses a secure service from Meta to manage this chat. Tap to learn more.")
    assert is_system_line("This chat is with a business account. Tap for more info.")
    assert not is_system_line("This business closes at 6pm, tap the link for more.")
