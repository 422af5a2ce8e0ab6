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


ZENDESK_LIKE = """Ticket #7731  |  Boiler still not fixed
Requester: Nadia Fox <nadia.fox@example.com>
Assignee: Owen Hale        Group: Repairs
Channel: Email

────────────────────────────────────────
Nadia Fox
Mar 2, 2026, 08:05 GMT

Hello,

The engineer came on Friday and the boiler stopped again on Saturday night.

Nadia Fox
────────────────────────────────────────
Owen Hale (Brookside Homes)        Public reply
Mar 2, 2026, 09:30 GMT

Dear Ms Fox,

I'm sorry the boiler has failed again so soon. I've booked an engineer for tomorrow morning.

Kind regards,
Owen Hale
────────────────────────────────────────
Owen Hale added a private note
Mar 2, 2026, 09:32 GMT
────────────────────────────────────────
Repeat failure after visit 27/02. Engineer booked 03/03 AM. Tenant told by email.
────────────────────────────────────────
Nadia Fox replied
Mar 2, 2026, 10:01 GMT
────────────────────────────────────────
Thank you, I'll be in.
"""


def test_headings_with_the_date_below_and_private_notes():
    conversation = parse_transcript(ZENDESK_LIKE, agent="Owen Hale")
    assert conversation.format == "ticket print"
    assert conversation.channel == "email"
    assert [(t.role, t.speaker) for t in conversation.turns] == [
        ("customer", "Nadia Fox"), ("agent", "Owen Hale"), ("customer", "Nadia Fox")]
    # the private note is the agent's record of the case, not a message to the customer
    assert conversation.notes == "Repeat failure after visit 27/02. Engineer booked 03/03 AM. Tenant told by email."
    assert ZENDESK_LIKE[conversation.notes_start:].startswith("Repeat failure")
    assert not any("Repeat failure" in t.text for t in conversation.turns)
    assert not conversation.unread_lines


def test_the_learner_named_with_the_organisation_beside():
    conversation = parse_transcript(ZENDESK_LIKE, agent="Owen Hale (Brookside Homes)")
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer"]


CASE_TIMELINE = """CASE CAS-0042  |  Hartley Finance
Customer: Leo Grant  |  Origin: Email

[Email received] 03/03/2026 08:10
From: Leo Grant <leo.grant@example.com>
Subject: Missed payment

I lost my job last week and can't make Friday's payment.

[Email sent] 03/03/2026 11:40
From: Collections (Maya R.) <collections@example.com>
To: leo.grant@example.com

Dear Mr Grant,

I'm sorry to hear about your job. I've put a 30-day hold on your account while we look at a plan together.

Kind regards,
Maya

[Note] 03/03/2026 11:42  Maya R.
Job loss, 30-day hold applied, plan call due 10/03.
"""


def test_case_timeline_events_with_the_sender_in_from_lines():
    conversation = parse_transcript(CASE_TIMELINE)
    assert [(t.role, t.speaker) for t in conversation.turns] == [
        ("customer", "Leo Grant"), ("agent", "Collections (Maya R.)")]
    assert conversation.channel == "email"
    assert conversation.notes == "Job loss, 30-day hold applied, plan call due 10/03."
    assert "From:" not in conversation.turns[1].text and conversation.turns[1].text.startswith("Dear Mr Grant")


def test_headings_of_fields_between_fences():
    text = ("Harbourside Homes - Repairs\nTicket HH-2201\n\n"
            "== Joan Pryce | Tue 3 Mar 2026 08:10 | via email ==\n\nThe boiler has no pressure again.\n\nJoan\n\n"
            "== Dev Mistry | Tue 3 Mar 2026 09:45 | Public reply ==\n\nHi Joan,\n\nI'm sorry it's gone again. An engineer "
            "will call you by 5pm today.\n\nThanks,\nDev\n\n"
            "== Dev Mistry | Tue 3 Mar 2026 09:47 | Internal note ==\n\nSecond loss of pressure this month.\n")
    conversation = parse_transcript(text, agent="Dev Mistry")
    assert [(t.role, t.speaker) for t in conversation.turns] == [("customer", "Joan Pryce"), ("agent", "Dev Mistry")]
    assert "Second loss of pressure" in conversation.notes


def test_headings_of_fields_parted_by_dashes():
    text = ("Ticket #5120: Refund for a cancelled class\nRequester: Joan Pryce <joan@example.com>\n\n"
            "----------\nJoan Pryce - 4 Mar 2026 08:12\n\nMy class was cancelled and I have not had my money back.\n\n"
            "----------\nDev Mistry - 4 Mar 2026 10:41 - Public reply\n\nHi Joan,\n\nSorry about that. The refund went "
            "today.\n\nThanks,\nDev\n\n----------\nDev Mistry - 4 Mar 2026 10:44 - Internal note\n\nRefunded £12.\n")
    conversation = parse_transcript(text)
    assert [(t.role, t.speaker, t.time) for t in conversation.turns] == [
        ("customer", "Joan Pryce", "4 Mar 2026 08:12"), ("agent", "Dev Mistry", "4 Mar 2026 10:41")]
    assert conversation.notes.strip() == "Refunded £12."


def test_a_crm_history_of_dated_entries_says_whose_each_is():
    text = ("CASE 5521 - Broken boiler\nOwner: K.Shaw\n\n"
            "--------------------------------------------\n"
            "01/12/2026 08:05 | Customer email received\n"
            "From: dora.mills@example.net\n"
            "Subject: No heating\n"
            "Hello, the boiler has stopped again and the flat is freezing. Dora Mills\n"
            "--------------------------------------------\n"
            "01/12/2026 08:40 | Case note | K.Shaw\n"
            "Engineer slot held for Wednesday.\n"
            "--------------------------------------------\n"
            "01/12/2026 08:46 | Email sent | K.Shaw\n"
            "To: dora.mills@example.net\n"
            "Hi Dora,\nSorry you're without heating. An engineer will call on Wednesday morning.\nKind regards,\nKeith\n"
            "--------------------------------------------\n"
            "01/12/2026 09:02 | Status changed: Open > Pending | K.Shaw\n"
            "--------------------------------------------\n"
            "01/12/2026 09:30 | Customer reply\n"
            "From: dora.mills@example.net\n"
            "Thanks, Wednesday is fine.\n")
    conversation = parse_transcript(text, agent="K.Shaw")
    assert [(t.speaker, t.role) for t in conversation.turns] == [
        ("dora.mills@example.net", "customer"), ("K.Shaw", "agent"), ("dora.mills@example.net", "customer")]
    assert conversation.notes == "Engineer slot held for Wednesday."
    assert "Status changed" not in " ".join(t.text for t in conversation.turns)
