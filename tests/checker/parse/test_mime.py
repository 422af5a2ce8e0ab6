""".eml files: the binary check on bodies, and files that are not really emails."""
from __future__ import annotations

import base64

import pytest

from checker.errors import InputError
from checker.parse import parse_bytes
from checker.parse.mime import is_email_message


def _eml(body_b64: bytes, subtype: str = "plain") -> bytes:
    return (b"From: Sam <sam@shop.example>\r\nTo: pat@example.net\r\nSubject: Your order\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: text/" + subtype.encode() + b"; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + body_b64 + b"\r\n")


def test_a_binary_body_declared_as_text_is_refused():
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 4
    with pytest.raises(InputError, match="PDF|binary"):
        parse_bytes(_eml(base64.b64encode(pdf)), name="reply.eml")


def test_a_body_of_control_characters_is_refused():
    junk = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 50
    with pytest.raises(InputError, match="binary"):
        parse_bytes(_eml(base64.b64encode(junk)), name="reply.eml")


def test_a_text_body_still_reads():
    body = "Dear Pat,\n\nYour order has shipped.\n\nKind regards,\nSam\n".encode()
    conversation = parse_bytes(_eml(base64.b64encode(body)), name="reply.eml")
    assert conversation.channel == "email"
    assert conversation.turns[-1].text.startswith("Dear Pat,")


def test_a_chat_saved_as_eml_is_read_as_a_chat():
    chat = b"Agent: Hello, how can I help?\n\nCustomer: My card is blocked.\nAgent: I can help with that.\n"
    assert not is_email_message(chat)
    conversation = parse_bytes(chat, name="chat.eml")
    assert conversation.channel == "chat"
    assert [t.role for t in conversation.turns] == ["agent", "customer", "agent"]
    assert conversation.turns[0].text == "Hello, how can I help?"


def test_a_whole_html_page_pasted_reads_as_its_email_client_shows_it():
    from checker.parse import parse_transcript

    page = ("<!DOCTYPE html><html><head><style>p{margin:0}</style></head><body>"
            "<p><b>From:</b> Rhys Bevan &lt;r.bevan@example.org&gt;<br><b>Sent:</b> 3 December 2026 10:02<br>"
            "<b>To:</b> Tom Hale &lt;tom@example.net&gt;<br><b>Subject:</b> RE: Boiler service</p>"
            "<p>Dear Mr Hale,</p><p>Thank you for your patience. Your engineer&#39;s visit is booked for Friday.</p>"
            "<p>Kind regards,<br>Rhys</p>"
            "<div><b>From:</b> Tom Hale &lt;tom@example.net&gt;<br><b>Sent:</b> 2 December 2026 18:40<br>"
            "<b>To:</b> service@example.org<br><b>Subject:</b> Boiler service</div>"
            "<p>Hello, when can someone service my boiler? Thanks, Tom</p></body></html>")
    conversation = parse_transcript(page, agent="Rhys Bevan")
    assert conversation.channel == "email"
    assert [t.speaker for t in conversation.turns] == ["Tom Hale", "Rhys Bevan"]
    agent = conversation.turns[1].text
    assert "engineer's visit" in agent and "<p>" not in agent and "&#39;" not in agent
