"""Decoding honestly: invalid UTF-8, Windows-1252, Unicode line breaks, lone surrogates."""
from __future__ import annotations

import pytest

from checker.parse import parse_bytes, parse_transcript
from checker.parse.decode import decode_text, normalise_text


def test_invalid_utf8_in_a_utf8_file_is_replaced_with_a_warning_not_read_as_cp1252():
    data = "Agent: The fee is £20, sorry.\nCustomer: ok café\n".encode("utf-8") + b"Agent: bad \xff byte\n"
    text, warnings = decode_text(data)
    assert "£20" in text and "Â£" not in text
    assert "\ufffd" in text
    assert len(warnings) == 1 and "not valid UTF-8" in warnings[0]
    conversation = parse_bytes(data, name="chat.txt")
    assert conversation.turns[0].text == "The fee is £20, sorry."
    assert any("not valid UTF-8" in w for w in conversation.warnings)


def test_a_windows_1252_file_is_still_read_as_windows_1252():
    data = "Agent: The fee is £20.\nCustomer: ok".encode("cp1252")
    text, warnings = decode_text(data)
    assert text.startswith("Agent: The fee is £20.") and warnings == ()


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1e"])
def test_unicode_line_breaks_separate_speakers(sep):
    pasted = f"Agent: Hello, how can I help?{sep}Customer: My parcel is late.{sep}Agent: Sorry to hear that."
    conversation = parse_transcript(pasted)
    assert [t.speaker for t in conversation.turns] == ["Agent", "Customer", "Agent"]
    for turn in conversation.turns:  # one character for one: offsets still index the text as pasted
        assert pasted[turn.start:turn.end] == turn.text


def test_line_breaks_from_bytes_too():
    data = "Agent: Hello\u2028Customer: Hi\u2029Agent: Bye".encode("utf-8")
    assert len(parse_bytes(data, name="x.txt").turns) == 3


def test_normalise_keeps_length_for_unicode_breaks():
    text = "a\u2028b\x85c"
    assert normalise_text(text) == "a\nb\nc"


def test_lone_surrogate_in_pasted_text_becomes_replacement_character():
    conversation = parse_transcript("Agent: Hello \ud83d there\nCustomer: Hi")
    assert conversation.turns[0].text == "Hello \ufffd there"
    conversation.source.encode("utf-8")  # nothing unencodable goes on to spaCy
    assert any("surrogate" in w for w in conversation.warnings)
