"""Public reviews with the business's reply (Trustpilot, Google reviews, app stores)."""
from __future__ import annotations

import pytest

from checker.parse import parse_transcript

TRUSTPILOT = """Lakeside Lettings — Reviews

Imogen Clarke
GB • 2 reviews
Rated 2 out of 5 stars
12 Jan 2026

Deposit still not back after six weeks

We moved out on 30 November and left the flat spotless. Six weeks on, no deposit and no reply to three emails.

Date of experience: 30 November 2025

Reply from Lakeside Lettings
14 Jan 2026

Hi Imogen, six weeks with no deposit and no answer to your emails isn't acceptable, and I'm sorry. I've asked our deposits team to release it today. Tom
"""

PLAY = """Parkwise – Pay for Parking
Google Play · Ratings and reviews

Dev Patel
★★☆☆☆  2 February 2026
The app charged me for two hours when I only parked for one.
4 people found this review helpful
Did you find this helpful?  Yes  No

Parkwise Ltd  3 February 2026
Hi Dev, sorry about the double charge. Please email help@example.com with your session number and we'll refund the extra hour. Anna
"""


@pytest.mark.parametrize("text, business", [(TRUSTPILOT, "Lakeside Lettings"), (PLAY, "Parkwise Ltd")])
def test_the_review_is_the_customer_and_the_reply_the_agent(text, business):
    conversation = parse_transcript(text)
    assert conversation.format == "review and reply"
    assert [t.role for t in conversation.turns] == ["customer", "agent"]
    assert conversation.turns[1].speaker == business
    review = conversation.turns[0].text
    assert "Rated" not in review and "helpful" not in review and "Date of experience" not in review
    assert conversation.turns[1].text.startswith("Hi ")


def test_owner_and_developer_headings():
    text = ("Harbour Café\nGoogle reviews\n\nSam Reed\nLocal Guide · 12 reviews\n★☆☆☆☆ 3 weeks ago\n"
            "Cold coffee and a long wait.\n\nResponse from the owner 2 weeks ago\n"
            "Hi Sam, thanks for telling us. We're sorry the coffee was cold.\n")
    conversation = parse_transcript(text)
    assert [t.speaker for t in conversation.turns] == ["Sam Reed", "The owner"]
    # the format says who is who: naming the learner by what the page calls the reply is not needed
    assert parse_transcript(text, agent="Response from the owner").turns[1].role == "agent"


def test_a_rating_alone_is_no_review_page():
    assert parse_transcript("Agent: How would you rate us?\nCustomer: 5 stars\nAgent: Thank you!").format == "line chat"


@pytest.mark.parametrize("when", ["a minute ago", "an hour ago", "2 weeks ago", "14 Jan 2026"])
def test_reply_headings_dated_as_sites_print_them(when):
    text = TRUSTPILOT.replace("Reply from Lakeside Lettings\n14 Jan 2026", "Reply from Lakeside Lettings · " + when)
    conversation = parse_transcript(text)
    assert [t.role for t in conversation.turns] == ["customer", "agent"]
    assert conversation.turns[1].speaker == "Lakeside Lettings"
