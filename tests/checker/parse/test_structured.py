"""JSON exports: other keys, bounded numbers and depth, unencodable text."""
from __future__ import annotations

import json

import pytest

from checker.errors import InputError
from checker.parse import parse_bytes, parse_transcript


def test_author_and_body_keys_with_names_only():
    data = {"messages": [
        {"author": "Nell Price", "body": "My order hasn't arrived"},
        {"author": "Sid at Boxmore", "body": "Hi Nell, thanks for getting in touch. Could you send me the order number?"},
        {"author": "Nell Price", "body": "BX-1029"},
        {"author": "Sid at Boxmore", "body": "Thanks. It's out for delivery today."},
    ]}
    conversation = parse_transcript(json.dumps(data))
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "agent"]
    assert conversation.agent == "Sid at Boxmore"
    assert any("taken to be you" in w for w in conversation.warnings)
    for turn in conversation.turns:
        assert conversation.source[turn.start:turn.end] == turn.text


@pytest.mark.parametrize("keys", [("sender", "content"), ("from", "message"), ("name", "msg")])
def test_other_key_pairs(keys):
    who, what = keys
    data = [{who: "Agent", what: "Hello, how can I help?"}, {who: "Customer", what: "Hi"}]
    conversation = parse_transcript(json.dumps(data))
    assert [t.role for t in conversation.turns] == ["agent", "customer"]


@pytest.mark.parametrize("number", ["9" * 5000, "-" + "1" * 400])
def test_huge_integers_are_one_clear_line(number):
    text = '{"messages": [{"role": "agent", "text": "Hi", "time": ' + number + '}]}'
    with pytest.raises(InputError, match="digits"):
        parse_transcript(text)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_are_refused(value):
    text = '{"messages": [{"role": "agent", "text": "Hi", "time": ' + value + '}]}'
    with pytest.raises(InputError, match="invalid JSON"):
        parse_transcript(text)


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deep_nesting_is_refused_without_recursion_error(depth):
    text = '{"messages": [{"role": "agent", "text": "Hi", "extra": ' + "[" * depth + "]" * depth + "}]}"
    with pytest.raises(InputError, match="nested too deeply"):
        parse_bytes(text.encode(), name="deep.json")


def test_lone_surrogate_escape_becomes_replacement_with_warning():
    text = '{"messages": [{"role": "agent", "text": "Hello \\ud83d friend"}, {"role": "customer", "text": "Hi"}]}'
    conversation = parse_transcript(text)
    assert conversation.turns[0].text == "Hello \ufffd friend"
    conversation.source.encode("utf-8")
    assert any("surrogate" in w for w in conversation.warnings)


def test_stated_roles_still_win_when_agent_names_nobody():
    text = json.dumps({"messages": [{"role": "agent", "text": "Hello"}, {"role": "customer", "text": "Hi"}]})
    conversation = parse_transcript(text, agent="Sam")
    assert [t.role for t in conversation.turns] == ["agent", "customer"]


def test_messenger_export_newest_first_is_read_oldest_first():
    data = {"participants": [{"name": "Ana Lopes"}, {"name": "Brightside Energy"}],
            "messages": [
                {"sender_name": "Brightside Energy", "timestamp_ms": 1767260100000, "content": "You're welcome, Ana."},
                {"sender_name": "Ana Lopes", "timestamp_ms": 1767260040000, "content": "Thank you!"},
                {"sender_name": "Brightside Energy", "timestamp_ms": 1767259980000,
                 "content": "Hi Ana, I've moved your payment date to the 15th."},
                {"sender_name": "Ana Lopes", "timestamp_ms": 1767259800000, "content": "Can I move my payment date?"},
            ]}
    conversation = parse_transcript(json.dumps(data), agent="Brightside Energy")
    assert [t.text for t in conversation.turns][0] == "Can I move my payment date?"
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "agent"]
    assert conversation.turns[0].time == "2026-01-01 09:30:00"
    assert conversation.turns[1].seconds - conversation.turns[0].seconds == 180
    assert any("newest first" in w for w in conversation.warnings)


@pytest.mark.parametrize("name, channel", [("web_chat", "chat"), ("LiveChat", "chat"), ("sms", "chat"),
                                           ("WhatsApp", "chat"), ("E-mail", "email"), ("email_ticket", "email")])
def test_export_channel_names(name, channel):
    data = {"channel": name, "messages": [{"role": "customer", "text": "Hello"}, {"role": "agent", "text": "Hi there"}]}
    assert parse_transcript(json.dumps(data)).channel == channel


def test_an_unknown_channel_is_still_refused():
    data = {"channel": "carrier pigeon", "messages": [{"role": "agent", "text": "Hi"}]}
    with pytest.raises(InputError, match="unknown channel"):
        parse_transcript(json.dumps(data))


@pytest.mark.parametrize("extra", [{"agent_notes": "Rebooked for Friday."},
                                   {"wrap_up": {"disposition": "Bookings", "agent_notes": "Rebooked for Friday."}}])
def test_agent_notes_under_other_keys(extra):
    data = {"messages": [{"role": "customer", "text": "Can I move my booking?"}, {"role": "agent", "text": "Done, it's Friday now."}],
            **extra}
    assert parse_transcript(json.dumps(data)).notes == "Rebooked for Friday."


def test_a_social_export_under_its_own_keys_with_display_names_from_its_participants():
    data = {"platform": "x",
            "participants": [{"screen_name": "mo_patel", "display_name": "Mo Patel"},
                             {"screen_name": "BrightBusHelp", "display_name": "Bright Bus Support"}],
            "posts": [{"screen_name": "mo_patel", "created_at": "2026-03-02T08:01:00Z",
                       "text": "@BrightBusHelp the 7:40 never came, again"},
                      {"screen_name": "BrightBusHelp", "created_at": "2026-03-02T08:20:00Z",
                       "text": "@mo_patel Sorry Mo, that's a rotten start. Which stop were you waiting at?"}]}
    conversation = parse_transcript(json.dumps(data), agent="BrightBusHelp")  # the handle names the learner
    assert [(t.speaker, t.role) for t in conversation.turns] == [("Mo Patel", "customer"), ("Bright Bus Support", "agent")]
    assert parse_transcript(json.dumps(data), agent="Bright Bus Support").turns[1].role == "agent"


def test_a_list_of_messages_under_a_key_no_reader_names():
    data = {"export": "v2", "records": [{"from": "Customer", "body": "Is my parcel lost?"},
                                        {"from": "Agent", "body": "Let me check that for you."}]}
    assert [t.role for t in parse_transcript(json.dumps(data)).turns] == ["customer", "agent"]


@pytest.mark.parametrize("flag, customer, agent", [
    ("inbound", True, False), ("inbound", "True", "False"), ("is_agent", False, True), ("from_customer", "yes", "no")])
def test_a_yes_no_field_gives_the_side(flag, customer, agent):
    data = [{"author_id": "88123", flag: customer, "text": "@AcmeHelp my order never came"},
            {"author_id": "AcmeHelp", flag: agent, "text": "@88123 Sorry to hear that! Please DM us your order number."}]
    conversation = parse_transcript(json.dumps(data))
    assert [(t.speaker, t.role) for t in conversation.turns] == [("88123", "customer"), ("AcmeHelp", "agent")]
    assert not any("taken to be you" in w for w in conversation.warnings)


@pytest.mark.parametrize("data", [
    [{"author_id": "88123", "inbound": True, "text": "@AcmeHelp my order never came"},
     {"author_id": "AcmeHelp", "inbound": False, "text": "@88123 Sorry to hear that! Please DM us your order number."}],
    {"channel": "Facebook", "messages": [{"role": "customer", "text": "Where is my order?"},
                                         {"role": "agent", "text": "Hi Jo, sorry it's late. Could you message us the order number?"}]},
])
def test_posts_addressed_by_handle_or_a_social_channel_are_a_social_thread(data):
    assert parse_transcript(json.dumps(data)).format == "social thread"


def test_a_plain_chat_export_stays_json():
    data = [{"role": "customer", "text": "Where is my order?"}, {"role": "agent", "text": "Hi, could I take the order number?"}]
    assert parse_transcript(json.dumps(data)).format == "JSON"


def test_fields_named_otherwise_are_found_by_what_they_hold():
    """No field is called text or speaker: the words are in the field with the most words per
    message, the writer in the short field whose values repeat."""
    data = {"dialogue": "d-17", "turns": [
        {"turn": 1, "party": "client", "said": "hello, my new phone arrived with a cracked screen"},
        {"turn": 2, "party": "advisor", "said": "Hello, I'm sorry to hear that. Could I take your order number, please?"},
        {"turn": 3, "party": "client", "said": "it's PH-2231"},
        {"turn": 4, "party": "advisor", "said": "Thank you. I've arranged a replacement; it will arrive on Thursday."},
    ]}
    conversation = parse_transcript(json.dumps(data))
    assert [t.speaker for t in conversation.turns] == ["client", "advisor", "client", "advisor"]
    assert conversation.turns[3].text.startswith("Thank you. I've arranged")
    assert conversation.agent == "advisor"


def test_posts_out_of_time_order_are_read_in_time_order():
    posts = [
        {"id": 3, "author": "BrightFibre", "created_at": "2026-03-02T09:20:00Z", "text": "@lee_m Sorry Lee, could you DM us your account number? ^AB"},
        {"id": 1, "author": "lee_m", "created_at": "2026-03-02T09:01:00Z", "text": "@BrightFibre my broadband has been off since last night"},
        {"id": 2, "author": "lee_m", "created_at": "2026-03-02T09:05:00Z", "text": "@BrightFibre still nothing"},
    ]
    conversation = parse_transcript(json.dumps(posts))
    assert [t.text.split()[-1] for t in conversation.turns] == ["night", "nothing", "^AB"]
    assert any("time order" in w for w in conversation.warnings)


def test_a_tools_record_in_an_export_is_the_systems():
    data = {"turns": [
        {"speaker": "User", "text": "book me a table for two tonight please"},
        {"speaker": "Wizard", "text": "[QUERY] restaurant=Olive party=2"},
        {"speaker": "Wizard", "text": "I've booked a table for two at 7pm; your reference is OT-551."},
    ]}
    conversation = parse_transcript(json.dumps(data), agent="Wizard")
    assert [t.role for t in conversation.turns] == ["customer", "system", "agent"]
