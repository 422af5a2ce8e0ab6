"""What spaCy is given is bounded before it sees any text (issue 10): a message too long, too many
messages, too much text in all, a lone surrogate: one line saying what to do, at once."""
from __future__ import annotations

import pytest

from checker.analyse import MAX_MESSAGE_CHARS, MAX_TEXT_CHARS, MAX_TURNS, analyse, check_limits
from checker.errors import InputError, LimitError
from checker.model import Conversation, Turn


def conversation(texts: list[str]) -> Conversation:
    turns, pos = [], 0
    for i, text in enumerate(texts):
        turns.append(Turn(index=i, role="agent" if i % 2 == 0 else "customer", speaker="A" if i % 2 == 0 else "C",
                          text=text, start=pos, end=pos + len(text)))
        pos += len(text) + 1
    return Conversation(channel="chat", turns=tuple(turns), source="\n".join(texts), id="t.txt")


class ExplodingNlp:
    """Stands in for spaCy: any text reaching it fails the test."""

    def pipe(self, texts):
        raise AssertionError("the text reached the NLP")


@pytest.mark.parametrize("texts, fragment", [
    (["Hello", "x" * (MAX_MESSAGE_CHARS + 1)], f"message 2 is {MAX_MESSAGE_CHARS + 1:,} characters long"),
    (["Hi"] * (MAX_TURNS + 1), f"{MAX_TURNS + 1:,} messages"),
    (["y" * MAX_MESSAGE_CHARS] * (MAX_TEXT_CHARS // MAX_MESSAGE_CHARS + 1), "characters; ReplyCheck judges conversations"),
    (["Hello \ud83d there"], "lone UTF-16 surrogate"),
    (["w " * 600_000], "characters long"),
], ids=["long-message", "many-turns", "much-text", "surrogate", "1-mib-message"])
def test_analyse_refuses_before_the_nlp_sees_the_text(texts, fragment):
    conv = conversation(texts)
    with pytest.raises(LimitError) as info:
        analyse(conv, ExplodingNlp(), None)
    message = str(info.value)
    assert fragment in message and "\n" not in message and message.startswith("t.txt: ")
    assert isinstance(info.value, InputError)


def test_analyse_limits_accept_the_largest_allowed_conversation():
    check_limits(conversation(["z" * MAX_MESSAGE_CHARS] * (MAX_TEXT_CHARS // MAX_MESSAGE_CHARS)))
    check_limits(conversation(["Hi"] * MAX_TURNS))
