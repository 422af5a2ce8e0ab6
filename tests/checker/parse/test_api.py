from __future__ import annotations

import codecs
import json

import pytest

from checker.errors import InputError, SpeakerError
from checker.parse import decode_bytes, parse_bytes, parse_transcript, read_file

import samples


def _check_offsets(conv):
    """Every turn's text is where the offsets say it is in the source."""
    for t in conv.turns:
        if t.source_offsets is None:
            assert conv.source[t.start:t.end] == t.text
        else:
            assert "".join(conv.source[o] for o in t.source_offsets) == t.text


@pytest.mark.parametrize("text, roles, times", [
    (samples.CHAT_ROLES, ["system", "agent", "customer", "agent", "customer", "system"],
     [None, "10:02", "10:03", "10:04", "10:09", None]),
    (samples.CHAT_EXPORT, ["agent", "customer", "agent"], ["10:02", "10:03", "10:04"]),
    (samples.CHAT_NAMES, ["agent", "customer", "agent", "customer"], [None] * 4),
])
def test_parse_chat_forms_roles_and_times(text, roles, times):
    conv = parse_transcript(text)
    assert conv.channel == "chat"
    assert [t.role for t in conv.turns] == roles
    assert [t.time for t in conv.turns] == times
    _check_offsets(conv)


def test_parse_chat_multiline_message_and_colon_inside_message():
    conv = parse_transcript(samples.CHAT_ROLES)
    assert conv.turns[2].text == "Hi, my broadband keeps dropping out\nevery evening around 7pm."
    # "Note: …" inside the agent's message is not a new speaker
    assert "Note: this may take a minute." in conv.turns[3].text
    assert conv.turns[3].text.endswith("Could you confirm your postcode?")


@pytest.mark.parametrize("line, speaker, time", [
    ("[10:02] Agent: Hello", "Agent", "10:02"),
    ("10:02:13 Agent: Hello", "Agent", "10:02:13"),
    ("(10:02 AM) Agent: Hello", "Agent", "10:02 AM"),
    ("2026-03-01 10:02 Agent: Hello", "Agent", "2026-03-01 10:02"),
    ("Agent [10:02]: Hello", "Agent", "10:02"),
    ("Sam (Agent): Hello", "Sam", None),
    ("Advisor: Hello", "Advisor", None),
    ("Me: Hello", "Me", None),
])
def test_parse_chat_timestamp_and_speaker_forms(line, speaker, time):
    conv = parse_transcript(f"{line}\nCustomer: Hi there\n{line}")
    assert conv.turns[0].speaker == speaker
    assert conv.turns[0].role == "agent"
    assert conv.turns[0].time == time
    assert conv.turns[0].text == "Hello"


@pytest.mark.parametrize("stamp, seconds", [("10:02", 36120), ("10:02:13", 36133), ("2:05 PM", 50700), ("12:30 am", 1800)])
def test_parse_timestamps_become_seconds(stamp, seconds):
    conv = parse_transcript(f"[{stamp}] Agent: Hello\n[{stamp}] Customer: Hi")
    assert conv.turns[0].seconds == seconds


def test_parse_infers_agent_from_what_they_write():
    conv = parse_transcript(samples.CHAT_NAMES)
    assert conv.agent == "Sam"
    assert conv.speakers == ("Sam", "Priya")


def test_parse_unknown_speaker_lists_speakers_and_how_to_choose():
    with pytest.raises(SpeakerError) as err:
        parse_transcript(samples.CHAT_NO_CUES)
    assert err.value.speakers == ("Sam", "Priya")
    assert "--agent" in str(err.value) and "Sam, Priya" in str(err.value)


@pytest.mark.parametrize("agent, expected", [("Priya", "Priya"), ("sam", "Sam")])
def test_parse_agent_option_chooses_the_learner(agent, expected):
    conv = parse_transcript(samples.CHAT_NO_CUES, agent=agent)
    assert conv.agent == expected
    assert {t.speaker for t in conv.turns if t.role == "agent"} == {expected}


def test_parse_agent_option_unknown_name_is_a_clear_error():
    with pytest.raises(SpeakerError, match="no speaker called 'Bob'"):
        parse_transcript(samples.CHAT_NAMES, agent="Bob")


def test_parse_chat_with_agent_side_only_warns():
    conv = parse_transcript("Agent: Hello, how can I help?\nAgent: Are you still there?")
    assert all(t.role == "agent" for t in conv.turns)
    assert any("customer's messages are missing" in w for w in conv.warnings)


def test_parse_email_thread_quoted_reply_becomes_earlier_turn():
    conv = parse_transcript(samples.EMAIL_THREAD)
    assert conv.channel == "email"
    assert [t.role for t in conv.turns] == ["customer", "agent"]
    assert conv.turns[0].speaker == "Priya Shah"
    assert conv.turns[0].text == "Hello,\nMy bill is wrong.\n\nPriya"
    assert conv.turns[1].text.startswith("Dear Ms Shah,") and conv.turns[1].text.endswith("Sam Patel")
    assert ">" not in conv.turns[1].text and "wrote:" not in conv.turns[1].text
    assert conv.turns[1].subject == "Re: Estimated bill"
    _check_offsets(conv)


def test_parse_email_original_message_block():
    conv = parse_transcript(samples.EMAIL_OUTLOOK)
    assert [t.role for t in conv.turns] == ["customer", "agent"]
    assert conv.turns[0].speaker == "Ann Cole"
    assert conv.turns[0].text.startswith("Where is my permit?")
    _check_offsets(conv)


def test_parse_single_email_reply_without_customer_message_is_normal():
    conv = parse_transcript(samples.EMAIL_BODY_ONLY)
    assert conv.channel == "email"
    assert [t.role for t in conv.turns] == ["agent"]
    assert conv.warnings == ()


def test_parse_eml_html_only_converts_and_quotes():
    conv = parse_bytes(samples.EML_HTML_ONLY, name="reply.eml")
    assert conv.channel == "email"
    assert [t.role for t in conv.turns] == ["customer", "agent"]
    assert "<p>" not in conv.source
    assert conv.turns[1].text.startswith("Dear Mr Patel,")
    assert "Hello, when will my badge arrive?" in conv.turns[0].text
    _check_offsets(conv)


def test_parse_eml_multipart_prefers_plain_text():
    conv = parse_bytes(samples.EML_MULTIPART, name="reply.eml")
    assert conv.turns[-1].text.startswith("Dear Ms Shah,")
    assert conv.meta["subject"] == "Re: Bill"


def test_an_email_source_pasted_as_text_reads_like_the_file():
    # a learner pastes an email's whole source ("show original") into the page: its MIME parts
    # are decoded as they are for an uploaded .eml, not read as a header block and markup
    for sample in (samples.EML_MULTIPART, samples.EML_HTML_ONLY):
        pasted = parse_transcript(sample.decode("utf-8"))
        uploaded = parse_bytes(sample, name="reply.eml")
        assert pasted.channel == "email"
        assert [t.text for t in pasted.turns] == [t.text for t in uploaded.turns]
        assert "<p>" not in pasted.source and "Content-Type" not in pasted.source
        _check_offsets(pasted)


def test_parse_json_messages_with_offsets_into_rendering():
    conv = parse_transcript(samples.JSON_CHAT)
    assert [t.role for t in conv.turns] == ["agent", "customer", "agent"]
    assert conv.turns[1].time == "10:03"
    _check_offsets(conv)


@pytest.mark.parametrize("text, message", [
    ('{"messages": []}', "no messages"),
    ('{"messages": [{"role": "boss", "text": "hi"}]}', "role 'boss'"),
    ('{"messages": [{"role": "agent"}]}', "has no 'text'"),
    ('{"messages": [ {"role": "agent", "text": "x"}, ]}', "invalid JSON"),
])
def test_parse_json_errors_name_the_problem(text, message):
    with pytest.raises(InputError, match=message):
        parse_transcript(text)


def test_parse_chat_agent_notes_are_kept_apart():
    conv = parse_transcript("Agent: Hello\nCustomer: Hi\nAgent: Bye\n\nAgent notes:\nCustomer called about a bill.")
    assert [t.role for t in conv.turns] == ["agent", "customer", "agent"]
    assert conv.notes.startswith("Agent notes:")
    assert "Customer called" in conv.notes


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"   \n\t  \n", "empty"),
    (b"%PDF-1.4 binary", "PDF"),
    (b"PK\x03\x04 zip", "zip archive"),
    (b"\x00\x01\x02\x03\x04\x05\x06\x07" * 20, "binary"),
    (b"just some words without any speakers at all", "no chat turns found"),
])
def test_parse_bad_input_gets_a_clear_message(data, message):
    with pytest.raises(InputError, match=message):
        parse_bytes(data, name="bad.txt")


def test_parse_too_large_input_is_refused():
    data = ("Agent: hello there\n" * 300_000).encode()  # about 5.7 MB
    with pytest.raises(InputError, match="too large"):
        parse_bytes(data, name="big.txt")


@pytest.mark.parametrize("encoded", [
    codecs.BOM_UTF8 + "Agent: Café open?\nCustomer: Oui".encode("utf-8"),
    "Agent: Café open?\nCustomer: Oui".encode("utf-16"),
    "Agent: Café open?\nCustomer: Oui".encode("utf-16-le"),
    "Agent: Café open?\nCustomer: Oui".encode("cp1252"),
    "Agent: Café open?\r\nCustomer: Oui\r\n".encode("utf-8"),
])
def test_parse_encodings_are_decoded(encoded):
    conv = parse_bytes(encoded, name="x.txt")
    assert conv.turns[0].text == "Café open?"
    assert conv.turns[1].text == "Oui"


def test_decode_undecodable_bytes_is_a_clear_error():
    with pytest.raises(InputError, match="cannot decode"):
        decode_bytes(b"Agent: hello \x81\x8d\x8f\x90\x9d")


def test_read_file_missing_and_folder_are_clear(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_file(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="batch"):
        read_file(tmp_path)


def test_parse_hostile_html_is_kept_as_text():
    conv = parse_transcript("Agent: Hello <script>alert(1)</script>\nCustomer: <img src=x onerror=alert(1)>")
    assert conv.turns[0].text == "Hello <script>alert(1)</script>"
    assert conv.turns[1].text == "<img src=x onerror=alert(1)>"


def test_parse_every_labelled_corpus_file():
    """The whole corpus parses, each with an agent, and offsets hold everywhere."""
    import yaml

    labels = yaml.safe_load((samples.CORPUS / "labels.yml").read_text())
    for name, entry in labels.items():
        conv = read_file(samples.CORPUS / name, agent=entry.get("agent"))
        assert conv.channel == entry["channel"], name
        assert conv.agent_turns, name
        if entry["channel"] == "chat":
            assert conv.customer_turns, name
        _check_offsets(conv)
