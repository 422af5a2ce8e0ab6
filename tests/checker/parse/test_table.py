"""One conversation as a CSV or TSV table: a header row naming the columns, a row per message."""
from __future__ import annotations

import pytest

from checker.errors import InputError
from checker.parse import parse_bytes, parse_transcript
from checker.parse.table import looks_like_table

ROLES = """conversation_id,learner,role,text,time
7,Mo,customer,"Hi, my parcel hasn't arrived and it's been 9 days.",10:01
7,Mo,agent,"Hello, thanks for getting in touch, I'm Mo. Could I take your order number please?",10:02
7,Mo,customer,It's 44120,10:03
7,Mo,agent,"Thank you. It was held at the depot; it will be with you by Friday.
Is there anything else I can help with?",10:05
"""

# a social network's export: who wrote a post is its author's id, and the side is a yes/no field
POSTS = """tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
501,77120,True,Tue Oct 31 09:12:04 +0000 2017,@KestrelFibre my internet has been down since yesterday,502,
502,KestrelFibre,False,Tue Oct 31 09:20:11 +0000 2017,"@77120 Hi there, sorry to hear that. Could you DM us your account number? ^RK",503,501
503,77120,True,Tue Oct 31 09:31:40 +0000 2017,@KestrelFibre done,,502
"""


def test_a_table_with_role_and_text_columns_is_read_row_by_row():
    conversation = parse_bytes(ROLES.encode(), name="chat.csv")
    assert conversation.format == "CSV table"
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "agent"]
    assert conversation.turns[1].time == "10:02"
    assert "anything else" in conversation.turns[3].text  # a quoted cell keeps its line break
    for turn in conversation.turns:
        assert conversation.source[turn.start:turn.end] == turn.text


def test_a_yes_no_side_and_an_author_id_name_the_speakers():
    conversation = parse_transcript(POSTS)
    assert [(t.speaker, t.role) for t in conversation.turns] == [
        ("77120", "customer"), ("KestrelFibre", "agent"), ("77120", "customer")]
    assert conversation.agent == "KestrelFibre"


def test_a_tab_separated_table_with_speaker_names_only():
    text = ("speaker\tmessage\n"
            "Dana Reid\tHi, I was charged twice for my gym membership\n"
            "Priya (Fitzone)\tHello Dana, I'm Priya. I'm sorry about that, let me check it for you.\n"
            "Dana Reid\tthanks\n"
            "Priya (Fitzone)\tI've refunded the second payment. Is there anything else I can help with?\n")
    conversation = parse_transcript(text)
    assert conversation.format == "TSV table"
    assert conversation.agent == "Priya (Fitzone)"
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "agent"]


def test_a_table_of_several_conversations_is_for_batch():
    text = ROLES + "8,Al,customer,Hello?,11:00\n8,Al,agent,Hi there,11:01\n"
    with pytest.raises(InputError, match="2 conversations.*replycheck batch"):
        parse_transcript(text)


def test_rows_without_text_are_left_out_and_said_so():
    text = ROLES + "7,Mo,customer,,10:06\n"
    conversation = parse_transcript(text)
    assert len(conversation.turns) == 4
    assert any("no message text" in w and "line" in w for w in conversation.warnings)


def test_a_header_without_rows_is_one_clear_error():
    with pytest.raises(InputError, match="no messages"):
        parse_transcript("role,text\n")


@pytest.mark.parametrize("first_line", [
    "Agent: Hello, how can I help?",
    "Customer: hi, text, message, role",
    "From: help@example.com, sales@example.com",
    "[10:02] Sam: speaker, text",
])
def test_a_transcript_whose_first_line_has_commas_is_no_table(first_line):
    assert not looks_like_table(first_line + "\nCustomer: hi")


def test_a_tab_separated_table_finds_its_text_column_by_its_words():
    table = ("turn\tspeaker\tutterance\n"
             "1\tcustomer\tMy gym membership was charged after I cancelled it last month\n"
             "2\tsupport\tHello, I'm Priya. I'm sorry about that. Could you give me your membership number?\n"
             "3\tcustomer\tGM-55102\n"
             "4\tsupport\tThank you. I've refunded the charge; it will reach you in three to five days.\n")
    conversation = parse_transcript(table)
    assert conversation.format == "TSV table"
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "agent"]
    assert conversation.turns[2].text == "GM-55102"


def test_a_comma_first_line_is_still_no_table_without_a_named_text_column():
    assert not looks_like_table("Hello, thanks, bye\nCustomer: hi, yes, ok\nAgent: right, fine, good\n")


MARKDOWN_LOG = """# Shift handover

**Channel:** Messenger

| Time  | From        | Message |
|-------|-------------|---------|
| 09:01 | Ola Banks   | my boiler has no pressure and it's freezing in here |
| 09:02 | Fernway Gas | Morning Ola, I'm Chris. Sorry to hear that. Could you confirm your postcode and date of birth? |
| 09:03 | Ola Banks   | FW2 9QL, 3/4/88 |
| 09:05 | Fernway Gas | Thank you, that's confirmed. An engineer will visit between 12 and 4 today. |

Agent notes:
Issue: no boiler pressure. Action: engineer booked 12-4.
"""


def test_a_markdown_table_inside_a_log_is_the_conversation_and_its_notes_are_kept():
    conversation = parse_transcript(MARKDOWN_LOG)
    assert [t.speaker for t in conversation.turns] == ["Ola Banks", "Fernway Gas", "Ola Banks", "Fernway Gas"]
    assert conversation.agent == "Fernway Gas"
    assert conversation.turns[1].time == "09:02"
    assert conversation.notes and "engineer booked" in conversation.notes
