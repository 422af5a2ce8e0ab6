"""Helpdesk ticket prints without a Channel line: letter conventions make them email."""
from __future__ import annotations

import pytest

from checker.parse import parse_transcript

TICKET = """Stonebridge Buses – Customer Support
Ticket #61822
----------------------------------------
Customer — 2 Apr 2026, 07:48
my bus pass won't scan on the reader
----------------------------------------
Ayo Mensah (Agent) — 2 Apr 2026, 07:49
{first}
----------------------------------------
Customer — 2 Apr 2026, 07:51
{answer}
----------------------------------------
Ayo Mensah (Agent) — 2 Apr 2026, 07:53
{last}
"""


@pytest.mark.parametrize("first, answer, last, channel", [
    ("Good morning, sorry about that. Could you tell me the pass number?", "SB 7729\nThanks!",
     "Done, a new pass is on its way.\nCheers", "chat"),
    ("Sorry about that. Could you tell me the pass number?", "SB 7729", "Done.\n\nKind regards\nAyo Mensah", "email"),
    ("Sorry about that. Could you tell me the pass number?", "SB 7729", "Done.\n\nMany thanks,", "email"),
    ("Dear Ms Okafor,\n\nSorry about that. Could you tell me the pass number?", "SB 7729", "Done.", "email"),
])
def test_ticket_channel_from_letter_conventions(first, answer, last, channel):
    conversation = parse_transcript(TICKET.format(first=first, answer=answer, last=last))
    assert conversation.channel == channel
