"""Nothing dropped silently: lines not read as messages are listed, counted and warned about."""
from __future__ import annotations

from checker.parse import parse_transcript

TEXT = """Agent: Hello, how can I help?
Customer: My meter reading is wrong.
Agent: Let me check that for you.
"""


def test_lines_before_the_first_speaker_are_unread_with_offsets():
    pasted = "see attached screenshot of my bill\n" + TEXT
    conversation = parse_transcript(pasted)
    assert len(conversation.turns) == 3
    (unread,) = conversation.unread_lines
    assert unread.text == "see attached screenshot of my bill"
    assert pasted[unread.start:unread.end] == unread.text
    assert any("not read as messages" in w for w in conversation.warnings)
    assert conversation.to_dict()["unread_lines"] == [{"start": 0, "end": 34, "text": unread.text}]


def test_header_and_system_lines_are_not_unread():
    pasted = "Acme Energy - web chat\nDate: 01/04/2026\nAgent: Sam\nCustomer: Mr Li\n\n" + TEXT + "Chat ended\n"
    conversation = parse_transcript(pasted)
    assert conversation.unread_lines == ()
    assert [t.role for t in conversation.turns] == ["agent", "customer", "agent", "system"]
    assert conversation.to_dict()["unread_lines"] == []


def test_a_clean_chat_has_no_unread_warning():
    conversation = parse_transcript(TEXT)
    assert conversation.unread_lines == ()
    assert not any("not read" in w for w in conversation.warnings)
