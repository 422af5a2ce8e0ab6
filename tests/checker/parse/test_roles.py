"""Who the learner is when no role word says so."""
from __future__ import annotations

import pytest

from checker.errors import SpeakerError
from checker.parse import parse_transcript


def test_customer_speaks_first_and_behaviour_decides_with_a_warning():
    text = ("Lou: my direct debit went out twice\n"
            "Pat: Thanks for getting in touch, I'm Pat at Riverside Energy. Could you confirm your account number?\n"
            "Lou: RE-1188\nPat: Thank you. I've refunded the second payment; is there anything else I can help with?\n")
    conversation = parse_transcript(text)
    assert conversation.agent == "Pat"
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "agent"]
    assert any("'Pat' was taken to be you" in w for w in conversation.warnings)


def test_a_business_name_speaker_is_the_agent():
    text = ("01/04/2026, 10:00 - Jo Bell: hi is my order ready\n"
            "01/04/2026, 10:02 - Corner Bakery Ltd: Hi Jo, yes it is, we're open till 5\n"
            "01/04/2026, 10:03 - Jo Bell: great\n")
    assert parse_transcript(text).agent == "Corner Bakery Ltd"


def test_balanced_evidence_still_asks():
    with pytest.raises(SpeakerError) as info:
        parse_transcript("Ann: hello\nBen: hello\nAnn: ok\nBen: ok")
    assert set(info.value.speakers) == {"Ann", "Ben"}


def test_a_customer_alone_does_not_make_the_other_speaker_an_agent():
    with pytest.raises(SpeakerError):
        parse_transcript("Sam: hi, my parcel is late\nAlex: oh no, that is bad\nSam: yes it is\nAlex: ok then\n")


def test_agent_written_with_its_role_hint_is_found():
    text = "Cara Lowe (Agent) — 1 Apr 2026, 10:00\nHello\n=======\nCustomer — 1 Apr 2026, 10:01\nHi\n======="
    conversation = parse_transcript(text, agent="Cara Lowe (Agent)")
    assert conversation.agent == "Cara Lowe"


def test_an_apology_for_the_problem_sounds_like_the_agent():
    text = ("Ann Lee\nMar 2, 2026, 9:14 AM\n\nMy order hasn't arrived.\n\nSam Ford\nMar 2, 2026, 9:20 AM\n\n"
            "Hi Ann, sorry about that. It's out for delivery today.\n\nAnn Lee\nMar 2, 2026, 9:25 AM\n\nThanks")
    conversation = parse_transcript(text)
    assert [(t.speaker, t.role) for t in conversation.turns] == [
        ("Ann Lee", "customer"), ("Sam Ford", "agent"), ("Ann Lee", "customer")]


def test_ticket_headings_that_say_reply_from():
    text = ("Helpdesk ticket 5521\n==========\nReply from Ann Lee (Customer) on 2 Mar 2026 09:14\nMy order is late.\n"
            "==========\nReply from Sam Ford (Agent) on 2 Mar 2026 10:00\nDear Ann, it arrives today.\n==========")
    conversation = parse_transcript(text)
    assert [(t.speaker, t.role) for t in conversation.turns] == [("Ann Lee", "customer"), ("Sam Ford", "agent")]


def test_a_speaker_who_says_it_is_a_virtual_assistant_is_a_system_speaker():
    from checker.parse import parse_transcript

    text = ("(12:41:05) Parkside Assistant: Hi! I'm the Parkside Assistant. Ask me about orders or returns.\n"
            "(12:41:30) Mia Cole: my wardrobe arrived with a cracked door\n"
            "(12:41:31) Parkside Assistant: Sorry to hear that. I'm finding someone from our team for you.\n"
            "(12:44:50) System: Ravi has joined the chat\n"
            "(12:45:02) Ravi: Hi Mia, I'm sorry about the door. Could I take your order number and postcode?\n"
            "(12:45:40) Mia Cole: PK-55120, LS6 2AB\n")
    conversation = parse_transcript(text, agent="Ravi")
    assert [t.role for t in conversation.turns] == ["system", "customer", "system", "system", "agent", "customer"]


def test_an_assistant_manager_is_no_bot():
    from checker.parse.roles import BOT_INTRODUCTION

    assert not BOT_INTRODUCTION.search("Hi, I'm Assistant Manager Jo Reed and I'll look into this.")
    assert BOT_INTRODUCTION.search("Hi, I'm Nora, Northgate's virtual assistant.")


def test_a_name_given_for_role_word_labels_is_not_used_and_the_user_is_told():
    conversation = parse_transcript("Agent: Hello, how can I help?\nCustomer: My order is late.\n", agent="Sam")
    assert [t.role for t in conversation.turns] == ["agent", "customer"]
    assert any("no speaker is called 'Sam'" in w for w in conversation.warnings)


def test_a_name_given_where_the_format_states_the_roles_needs_no_warning():
    text = '{"messages": [{"role": "agent", "text": "Hello, how can I help?"}, {"role": "customer", "text": "Late order."}]}'
    conversation = parse_transcript(text, agent="Sam")
    assert [t.role for t in conversation.turns] == ["agent", "customer"]
    assert not any("Sam" in w for w in conversation.warnings)


def test_the_full_name_given_finds_the_sender_who_signs_with_the_first():
    text = ("From: Hana <care@shop.example.co.uk>\nSubject: RE: Refund\n\nHi Mo,\n\nIt went back to your card today.\n\n"
            "Kind regards,\nHana\n\n-----Original Message-----\nFrom: Mo Reid <mo@example.com>\nSubject: Refund\n\n"
            "Hello, where is my refund?\nMo\n")
    conversation = parse_transcript(text, agent="Hana Kowalski")
    assert [t.role for t in conversation.turns if t.role != "system"][-1] == "agent"
    assert conversation.agent.startswith("Hana")


def test_a_header_naming_the_operator_decides_even_when_the_customer_sounds_like_an_agent():
    # the customer writes the account words; the agent is curt; the header says who is who
    text = ("Live chat - Kestrel Coaches\nVisitor: Ruth Okafor\nOperator: Dale\n====\n"
            "(09:01) Ruth Okafor: Hello, could you please confirm my booking reference KC5521 is still valid for Friday?\n"
            "(09:03) Dale: ref?\n(09:03) Ruth Okafor: KC5521, as I said\n(09:04) Dale: yep thats fine\n")
    conversation = parse_transcript(text)
    assert conversation.agent == "Dale"
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "agent"]
    assert not any("taken to be you" in w for w in conversation.warnings)


def test_a_header_name_finds_the_speaker_who_uses_the_first_name_only():
    text = ("Agent name: Imogen Clarke\nCustomer name: Victor Hale\n\n"
            "Victor: my meter reading was rejected\nImogen: Sorry about that Victor, let me take a look.\n")
    conversation = parse_transcript(text)
    assert [t.role for t in conversation.turns] == ["customer", "agent"]


def test_a_colleague_before_a_transfer_stays_an_agent_when_the_header_names_the_customer():
    text = ("Customer: Ola Reyes\n"
            "[10:00] Ola Reyes: my pension transfer has stalled\n"
            "[10:01] Ben: Hi Ola, I'm Ben. Could you confirm your date of birth and postcode please?\n"
            "[10:02] Ola Reyes: 02/02/1970, LS6 1AA\n"
            "[10:03] Ben: Thanks. Transfers are handled by our Pensions team, so I'm passing you over now.\n"
            "[10:03] *** Chat transferred from Ben to Mira ***\n"
            "[10:05] Mira: Hello Ola, I'm Mira from Pensions. I'm sorry the transfer has stalled; let me check it for you.\n"
            "[10:06] Mira: I've chased the other provider and you'll hear from us by Friday. Is there anything else I can help with?\n"
            "[10:07] Ola Reyes: no that's all, thanks\n")
    conversation = parse_transcript(text)
    assert conversation.agent == "Mira"
    roles = {t.speaker: t.role for t in conversation.turns if t.role != "system"}
    assert roles == {"Ola Reyes": "customer", "Ben": "agent", "Mira": "agent"}
