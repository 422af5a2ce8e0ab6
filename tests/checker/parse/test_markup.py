"""Decoration around a transcript's lines is blanked before the readers see it, offsets kept."""
from __future__ import annotations

import pytest

from checker.parse import parse_transcript
from checker.parse.markup import unmark

PLAIN = ("Agent: Hello, you're through to Priya at Larch Water. How can I help?\n"
         "Customer: there's a leak outside my house\n"
         "Agent: I'm sorry to hear that. Could you confirm your postcode and the first line of your address?\n"
         "Customer: WA1 2BC, 4 Elm Row\n"
         "Agent: Thank you. I've booked a leak inspector for tomorrow morning; your reference is LW-4412.")


def _decorated(fmt: str) -> str:
    out = []
    for line in PLAIN.split("\n"):
        label, text = line.split(": ", 1)
        out.append(fmt.format(label=label, text=text))
    return "\n".join(out)


@pytest.mark.parametrize("fmt", [
    "**{label}:** {text}",       # Markdown, colon inside the emphasis
    "**{label}**: {text}",       # colon outside
    "__{label}:__ {text}",
    "**{label}**\n{text}",       # the name alone on its line
    "<b>{label}:</b> {text}",    # HTML
    "> {label}: {text}",         # every line quoted
    "- {label}: {text}",         # every line a bullet
    "[{label}] {text}",          # a role word in brackets
    "{label} - {text}",          # a role word before a dash
])
def test_decorated_transcripts_read_as_the_plain_one(fmt):
    conversation = parse_transcript(_decorated(fmt))
    assert [t.role for t in conversation.turns] == ["agent", "customer", "agent", "customer", "agent"]
    assert conversation.turns[3].text.strip() == "WA1 2BC, 4 Elm Row"
    assert not conversation.unread_lines


def test_unmark_keeps_every_offset():
    text = "**Agent:** Hi <b>there</b>\n> not every line\nCustomer: hi"
    out = unmark(text)
    assert len(out) == len(text) and out.split("\n")[1] == "> not every line"
    assert out.index("Hi") == text.index("Hi")


def test_an_emails_quoted_lines_stay_quoted():
    """Only when every line carries it is a quote marker decoration: an email's '>' lines are its history."""
    text = "Hi Sam,\n\nThanks for your email.\n\n> my order is late\n> please help\n\nKind regards,\nJo"
    assert unmark(text) == text


def test_a_tag_never_joins_two_lines():
    text = "Agent: see <b\nCustomer: ok> thanks\nAgent: bye"
    assert unmark(text).count("\n") == text.count("\n")
    assert [t.role for t in parse_transcript(text).turns] == ["agent", "customer", "agent"]


def test_a_markdown_table_inside_a_chat_is_the_agents_not_the_conversation():
    text = ("Agent: Hello, here are your plan details:\n| Name | Value |\n|---|---|\n"
            "| Tariff | Fixed saver for two years |\n| Direct debit | Forty two pounds on the 1st |\n"
            "Customer: thanks\nAgent: You're welcome.")
    assert [t.role for t in parse_transcript(text).turns] == ["agent", "customer", "agent"]
