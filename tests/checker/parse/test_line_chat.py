"""Line chats: the speaker on each message's first line, whatever the export puts before it."""
from __future__ import annotations

from checker.parse import parse_transcript


def test_numbered_turns_are_read_by_their_speakers():
    text = ("1. Customer: hi, my card was declined at the till\n"
            "2. Agent: Hello, I'm sorry about that. Could you confirm your postcode and date of birth?\n"
            "3. Customer: M4 1AB, 02/02/1990\n"
            "4. Agent: Thank you. A fraud check stopped it; I've cleared it and the card works again.\n")
    conversation = parse_transcript(text)
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "agent"]
    assert conversation.turns[2].text == "M4 1AB, 02/02/1990"


def test_speaker_and_elapsed_time_in_brackets_head_each_line():
    text = ("[customer 00:00:06] the app charged me twice\n"
            "[agent 00:00:40] Sorry to hear that. What's the email on your account?\n"
            "[customer 00:01:02] kim@example.com\n"
            "[agent 00:02:15] Thanks, I've refunded the second charge.\n")
    conversation = parse_transcript(text)
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "agent"]
    assert conversation.turns[1].time == "00:00:40"
    assert conversation.turns[3].text == "Thanks, I've refunded the second charge."


def test_system_is_the_agent_when_it_is_the_only_one_answering():
    """Dialogue collections label the two sides USER and SYSTEM."""
    text = ("USER: my flight tomorrow has been cancelled\n"
            "SYSTEM: I'm sorry to hear that. Could I have your booking reference and surname?\n"
            "USER: QX7P2L, Adeyemi\n"
            "SYSTEM: Thank you. I've moved you to the 14:15 flight and sent a new e-ticket.\n")
    conversation = parse_transcript(text)
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "agent"]
    assert conversation.agent == "SYSTEM"


def test_a_system_line_beside_a_person_is_still_a_notice():
    text = ("Customer: hi, is anyone there?\n"
            "System: Jo has joined the chat\n"
            "Jo: Hello, I'm Jo. How can I help?\n"
            "System: Jo is typing\n"
            "Customer: my order is late\n")
    conversation = parse_transcript(text)
    assert [t.role for t in conversation.turns if t.speaker == "Jo"] == ["agent"]
    assert all(t.role == "system" for t in conversation.turns if t.speaker == "System")


def test_a_tools_annotation_in_brackets_is_no_ones_words():
    text = ("customer: my bin wasn't emptied on Tuesday\n"
            "agent: Sorry about that. What's the address?\n"
            "customer: 4 Mill Lane\n"
            "[action: look up 4 Mill Lane in the rounds system]\n"
            "<system: missed collection MC-1102 logged>\n"
            "agent: Thanks, I've logged it and the crew will return on Friday.\n")
    conversation = parse_transcript(text)
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "system", "system", "agent"]
    assert "rounds system" not in " ".join(t.text for t in conversation.turns if t.role == "agent")


def test_a_handle_after_the_name_and_section_titles_between_public_and_dms():
    text = ("=== Public ===\n"
            "[18:02] Rob Hale @robhale_: @GreenvaleRail my train was cancelled again\n"
            "[18:05] Greenvale Rail @GreenvaleRail: Hi Rob, sorry to hear that. Could you DM us? ^JT\n"
            "\n"
            "=== Direct Messages ===\n"
            "\n"
            "18:07 Rob Hale: here\n"
            "18:08 Greenvale Rail: Thanks Rob. Which service was it? ^JT\n")
    conversation = parse_transcript(text)
    assert [t.speaker for t in conversation.turns] == ["Rob Hale", "Greenvale Rail", "Rob Hale", "Greenvale Rail"]
    assert conversation.turns[1].text.endswith("Could you DM us? ^JT")
    assert not conversation.unread_lines


def test_a_dialogue_logs_tool_lines_are_the_systems():
    """A tool's action line, query record or marker in a dialogue log is nobody's words."""
    text = ("customer: hi, i'd like to send back a jacket\n"
            "agent: sure, could i have the order id and the email on the account?\n"
            "customer: 55120, amy@example.com\n"
            "action: Account has been pulled up for Amy Lowe.\n"
            "agent: [LOOKUP] order=55120 status=delivered\n"
            "agent: __SILENCE__\n"
            "agent: thanks amy, i've started the return and emailed you a label.\n"
            "action: Return label sent to amy@example.com.\n")
    conversation = parse_transcript(text)
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "system", "system", "system", "agent",
                                                    "system"]
    assert conversation.turns[2].text == "55120, amy@example.com"


def test_a_tool_word_once_is_a_line_of_the_message_and_a_link_is_no_annotation():
    text = ("Customer: where's my refund?\n"
            "Agent: I've checked it for you.\n"
            "Action: refund of £20 raised\n"
            "The form is here:\n"
            "<https://example.com/refund-form>\n"
            "Please fill it in by Friday.\n"
            "Customer: ok thanks\n")
    conversation = parse_transcript(text)
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer"]
    assert conversation.turns[1].text.endswith("Please fill it in by Friday.")


def test_a_system_speakers_queries_stay_the_systems_when_it_is_the_agent():
    text = ("USER: a table for two tonight please\n"
            "SYSTEM: [QUERY] restaurant=Olive party=2\n"
            "SYSTEM: Done: a table for two at 7pm, reference OT-551.\n"
            "USER: thanks\n")
    conversation = parse_transcript(text)
    assert [t.role for t in conversation.turns] == ["customer", "system", "agent", "customer"]


def test_hostile_lines_are_read_in_linear_time():
    """Key=value runs, long blank runs inside a heading or a bracket, separator runs: each once
    took from seconds to hours (backtracking); they finish at once now."""
    from checker.parse.common import is_machine_text

    assert not is_machine_text("aa=" * 60 + "aa x")
    for text in ("x" + " " * 100000 + "y · z\nAgent: hi\nCustomer: hello",
                 "[Agent" + " " * 100000 + "y\nAgent: hi\nCustomer: hello",
                 "Agent: hi\n" + "────\n" * 5000 + "Customer: hello\nAgent: bye"):
        assert parse_transcript(text).turns


def test_a_is_a_speaker_when_the_other_side_speaks_as_a_letter_too():
    text = ("Practice call, typed up afterwards. A = adviser, C = caller\n"
            "A: Morning, you're through to Fenbridge Water, Lucy speaking.\n"
            "C: hi, there's brown water coming out of the kitchen tap\n"
            "A: Sorry to hear that. Could I take your postcode and the first line of the address?\n"
            "C: FB2 9QT, 41 Mill Lane\n"
            "A: Thank you. There's work on the main in your road; run the cold tap for ten minutes.\n")
    conversation = parse_transcript(text)
    assert [t.speaker for t in conversation.turns] == ["A", "C", "A", "C", "A"]
    assert conversation.turns[3].text == "FB2 9QT, 41 Mill Lane"


def test_q_and_a_inside_a_message_stay_the_message():
    text = ("Agent: Hello Dan, here are the answers from our help page:\n"
            "Q: Can I pause my plan?\n"
            "A: Yes, for up to three months.\n"
            "Q: Does pausing cost anything?\n"
            "A: No.\n"
            "Customer: great, thanks\n")
    conversation = parse_transcript(text)
    assert [t.speaker for t in conversation.turns] == ["Agent", "Customer"]
    assert "A: No." in conversation.turns[0].text
