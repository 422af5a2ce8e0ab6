"""Block chats copied from social apps and pages: names over messages, with the apps' own lines around them."""
from __future__ import annotations

from checker.parse import parse_transcript

X_WEB_COPY = """Post

Priya Natt
@priyanatt
Three weeks waiting for a refund on a cancelled flight @Skyhopper. Nobody answers the phone.
8:14 AM · Mar 3, 2026
·
4,102 Views

Skyhopper Support
@SkyhopperHelp
·
Mar 3
Replying to @priyanatt
Hi Priya, three weeks is far too long to wait for your money. Could you send us a DM so we can look at the booking? ^LT

Priya Natt
@priyanatt
·
Mar 3
done

--- Messages ---

Priya Natt @priyanatt
booking SK88120, flight was 14 Feb
8:31 AM

Skyhopper Support @SkyhopperHelp
Thanks Priya. Can you confirm the email address on the booking?
8:33 AM
"""


def test_x_web_copy_names_handles_dates_and_views_are_headings():
    conversation = parse_transcript(X_WEB_COPY, agent="@SkyhopperHelp")
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "customer", "agent"]
    assert conversation.turns[0].text.endswith("Nobody answers the phone.")  # no time, "·" or Views in the post
    assert conversation.turns[1].text.startswith("Hi Priya, three weeks")  # no handle, date or "Replying to"
    assert conversation.turns[2].text == "done"  # "--- Messages ---" is the thread's, not Priya's
    assert conversation.turns[3].text == "booking SK88120, flight was 14 Feb"
    assert conversation.turns[3].time == "8:31 AM"  # the time printed under a direct message's text
    assert conversation.turns[4].time == "8:33 AM"


MESSENGER_COPY = """Messenger · Fern & Able Insurance
Conversation with Sadia Kaur

TUE 10:02

Sadia Kaur
hi my claim for the burst pipe has gone quiet

TUE 10:09

Fern & Able Insurance
Hello Sadia, I'm sorry it's gone quiet. Could you give me the claim reference and your postcode?

Sadia Kaur
FA-55310, LS6 2QT

Fern & Able Insurance
Thank you, Sadia. I can see the claim, and the loss adjuster's report came in yesterday.
"""


def test_a_company_name_with_an_ampersand_is_a_speaker_and_a_time_between_blank_lines_heads_the_next_message():
    conversation = parse_transcript(MESSENGER_COPY, agent="Fern & Able Insurance")
    assert [(t.speaker, t.role) for t in conversation.turns] == [
        ("Sadia Kaur", "customer"), ("Fern & Able Insurance", "agent"), ("Sadia Kaur", "customer"),
        ("Fern & Able Insurance", "agent")]
    assert conversation.turns[0].time == "10:02"  # the time closing the header block
    assert conversation.turns[1].time == "10:09"


INSTAGRAM_COPY = """pipandpeony.florist
Pip & Peony · Instagram

You sent
hello, the bouquet for my mum's birthday never arrived yesterday
You sent
order 44120

14:05

pipandpeony.florist
Oh no, I'm so sorry it missed her birthday. Can I take the delivery postcode to check the order?

You sent
DN4 8RS

pipandpeony.florist
Thank you. The driver marked it as delivered to a neighbour at number 12. I've arranged a fresh bouquet for tomorrow morning at no cost.
Seen
"""


def test_a_customers_phone_copy_the_user_name_is_the_business_and_you_is_the_customer():
    conversation = parse_transcript(INSTAGRAM_COPY)
    assert [t.speaker for t in conversation.turns] == ["You", "You", "pipandpeony.florist", "You", "pipandpeony.florist"]
    assert [t.role for t in conversation.turns] == ["customer", "customer", "agent", "customer", "agent"]
    assert not conversation.turns[-1].text.endswith("Seen")
    assert any("was taken to be you (the agent)" in w for w in conversation.warnings)


def test_you_is_still_the_agent_in_an_agents_console_copy():
    text = ("You\nHello, you're through to Kara at Westway Water. How can I help?\n\n"
            "Rob Hale\nmy water meter reading looks wrong\n\n"
            "You\nSorry to hear that, Rob. Could I take your account number and postcode?\n\n"
            "Rob Hale\nWW-22019, CF10 3AT\n")
    conversation = parse_transcript(text)
    assert [t.role for t in conversation.turns] == ["agent", "customer", "agent", "customer"]


FACEBOOK_COMMENTS = """Harbourside Leisure
2 March at 09:00 ·
Our pool reopens on Monday after the refit!

Most relevant

Tom Ashby
My direct debit came out for February and the pool was shut all month.
Like · Reply · 2d

    Harbourside Leisure
    Hi Tom, sorry about that. Please message us your membership number and we'll refund February. Lucy
    Like · Reply · 2d

    Tom Ashby
    Sent it over now
    1d  Like  Reply
"""


def test_like_and_reply_lines_are_the_pages_own_not_anyones_words():
    conversation = parse_transcript(FACEBOOK_COMMENTS, agent="Harbourside Leisure")
    texts = [t.text for t in conversation.turns]
    assert not any("Like" in t or "Most relevant" in t or "2 March" in t for t in texts)
    assert texts[-1] == "Sent it over now"
    assert texts[1] == "My direct debit came out for February and the pool was shut all month."


def test_the_pages_own_post_over_its_comments_is_not_a_reply_to_the_customer():
    conversation = parse_transcript(FACEBOOK_COMMENTS, agent="Harbourside Leisure")
    assert [t.role for t in conversation.turns] == ["system", "customer", "agent", "customer"]
    assert conversation.turns[2].text.startswith("Hi Tom")  # the learner's first reply opens the judged turns


FORUM = """Kiln Community › Printers › Paper jam after the 2.3 update

inkyfingers
Member · Posts: 12
03-02-2026 07:40 PM

Since the 2.3 update my printer jams on every second page. Anyone else?

Quillmaker
Member · Posts: 830
03-02-2026 08:02 PM

Same on mine.

KilnSam
Community Team (Staff)
04-02-2026 09:15 AM

Hi @inkyfingers, sorry about the jams. Which model do you have? I've passed this thread to our firmware team.

Thanks,
Sam
Kiln Community Team

inkyfingers
Member · Posts: 13
04-02-2026 10:01 AM

It's the K200. Thanks Sam
"""


def test_a_forum_posts_rank_and_date_are_its_heading_and_a_signature_name_is_no_speaker():
    conversation = parse_transcript(FORUM, agent="KilnSam")
    assert [t.speaker for t in conversation.turns] == ["inkyfingers", "Quillmaker", "KilnSam", "inkyfingers"]
    assert conversation.turns[2].text.startswith("Hi @inkyfingers")
    assert conversation.turns[2].text.rstrip().endswith("Kiln Community Team")  # the signature stays in the post
    assert conversation.turns[2].time == "04-02-2026 09:15 AM"
    assert "Member" not in conversation.turns[0].text
    assert conversation.format == "forum thread"  # answered post by post, not live


def test_an_answer_that_is_a_date_is_the_message_not_its_heading():
    text = ("10:02\nLeah\nCan you confirm your date of birth please?\n\n"
            "10:03\nMarek Nowak\n12/03/1988\n\n"
            "10:04\nLeah\nThanks Marek, that matches.\n")
    conversation = parse_transcript(text, agent="Leah")
    assert [t.text for t in conversation.turns] == ["Can you confirm your date of birth please?", "12/03/1988",
                                                    "Thanks Marek, that matches."]


SMS_COPY = """Parcelpoint
+44 7700 900311
Text Message · SMS
Sat 7 Mar

Me 09:40
my parcel says delivered but it isn't here

Parcelpoint 09:42
Hi, it's Ana at Parcelpoint. Sorry about that. Can you confirm the delivery postcode?

Me 09:43
B12 9QA
"""


def test_the_contact_at_the_top_of_an_sms_copy_is_a_heading_and_me_can_be_the_customer():
    conversation = parse_transcript(SMS_COPY)
    assert [(t.speaker, t.role) for t in conversation.turns] == [
        ("Me", "customer"), ("Parcelpoint", "agent"), ("Me", "customer")]


X_THREAD_INTO_DMS = """Jo Marsh
@jomarsh_writes · 12 Mar
@WrenfieldHelp my bill has tripled this month, can't afford it

Wrenfield Energy
@WrenfieldHelp · 12 Mar
Replying to @jomarsh_writes
@jomarsh_writes Hi Jo, sorry to hear that. Could you send us a DM so we can look at your account? -Ali

--- Direct Messages ---
14:20 Jo Marsh: hi, it's about the bill
14:21 Wrenfield Energy: Hi Jo, it's Ali. Could you confirm your postcode and date of birth, please?
14:22 Jo Marsh: LS6 2AB, 3 May 1980
"""


def test_a_thread_that_carries_on_in_direct_message_lines_is_read_line_by_line():
    """The X copy's name, "@handle · date" and "Replying to" lines head each post; after the
    "Direct Messages" title each "HH:MM Name: text" line by one of the thread's authors is a
    message of its own, not more of the last post."""
    conversation = parse_transcript(X_THREAD_INTO_DMS)
    assert conversation.format == "social thread"
    assert [t.speaker for t in conversation.turns] == ["Jo Marsh", "Wrenfield Energy", "Jo Marsh", "Wrenfield Energy",
                                                       "Jo Marsh"]
    assert conversation.turns[0].text.startswith("@WrenfieldHelp my bill")  # no "@jomarsh_writes · 12 Mar" heading
    assert conversation.turns[1].text.endswith("-Ali")
    assert conversation.turns[3].text == "Hi Jo, it's Ali. Could you confirm your postcode and date of birth, please?"
    assert conversation.turns[3].time == "14:21"
    assert conversation.agent == "Wrenfield Energy"
    for turn in conversation.turns:
        assert conversation.source[turn.start:turn.end] == turn.text


def test_headings_of_fields_between_dots_give_the_speaker_and_the_side():
    """A social inbox prints direction, name, date and who sent it between dots; a help desk
    prints where a post went ("Public", "Direct message"). The name and the time head the message."""
    text = """▸ IN  · Lena Fox @lena_fx · 3 Mar 2026, 18:02
  my order says delivered but nothing came

◂ OUT · Quickbite Help @QuickbiteHelp · 3 Mar 2026, 18:10 · sent by ap
  Hi Lena, sorry about that. Could you DM us your order number?

▸ IN  · Lena Fox @lena_fx · 3 Mar 2026, 18:11
  QB-4410
"""
    conversation = parse_transcript(text)
    assert [(t.speaker, t.role) for t in conversation.turns] == [
        ("Lena Fox", "customer"), ("Quickbite Help", "agent"), ("Lena Fox", "customer")]
    assert conversation.turns[1].time and "18:10" in conversation.turns[1].time
    assert conversation.turns[2].text.strip() == "QB-4410"


def test_a_heading_with_a_place_field_and_a_handle_for_a_name():
    text = """Tom Hale (@tomhale) · Public · 4 Mar 2026 10:02
@ParcelDash my parcel went to the wrong house

@ParcelDash · Public · 4 Mar 2026 10:30
Hi Tom, sorry to hear that. Could you DM us your tracking number? ^RS

Tom Hale (@tomhale) · Direct message · 4 Mar 2026 10:33
PD-99120
"""
    conversation = parse_transcript(text)
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer"]
    assert conversation.turns[1].text.startswith("Hi Tom")


REDDIT = """r/AskUKtravel
Posted by u/tinroofcat
3h
Coach company left without me at Leeds
I was at stop B at 06:40, the coach went at 06:38. Ticket ref CX-1120. Anyone had luck getting a refund?
52
12 comments
Share
Sort by: Best

u/Crestline_Coaches
Official
·
2h
Hi, sorry to hear this. Could you DM us your ticket reference so we can look into it?
-3
Reply
Share

    u/tinroofcat
    OP
    ·
    2h
    It's in the post. Done anyway.
    14
    Reply
    Share

        u/milesfrombath
        ·
        1h
        Same happened to me last month, they refunded in the end.
        6
        Reply
        Share
"""


def test_a_reddit_thread_is_read_comment_by_comment():
    """u/names head the post and each comment, however often each occurs; badges, ages, votes and
    buttons are the app's; a customer's opening post is their first message."""
    conversation = parse_transcript(REDDIT, agent="u/Crestline_Coaches")
    assert [(t.speaker, t.role) for t in conversation.turns] == [
        ("u/tinroofcat", "customer"), ("u/Crestline_Coaches", "agent"), ("u/tinroofcat", "customer"),
        ("u/milesfrombath", "customer")]
    assert conversation.turns[0].text.startswith("Coach company left without me")
    assert conversation.turns[2].text.strip() == "It's in the post. Done anyway."
    assert not conversation.unread_lines


def test_a_pages_own_opening_post_is_still_the_threads_not_a_reply():
    text = """Oakfield Leisure
2d
Our pool reopens on Monday after the refit!
34 comments
Most relevant

Jan Price
the hoist still isn't fixed though, my son can't get in
Like · Reply · 1d

Oakfield Leisure
Author
Hi Jan, I'm sorry about that. The hoist engineer is booked for Tuesday.
Like · Reply · 1d

Jan Price
thanks, we'll come Wednesday then
Like · Reply · 1d
"""
    conversation = parse_transcript(text, agent="Oakfield Leisure")
    assert [t.role for t in conversation.turns] == ["system", "customer", "agent", "customer"]


def test_a_phone_copy_sets_aside_the_profile_banner_seen_and_the_time_over_a_name():
    text = """northfieldbank
Northfield Bank
Bank · 12K followers · 80 posts
You follow each other on Instagram
View profile

Today 09:14
You sent
my card keeps getting declined
Today 09:20
northfieldbank
Hi, sorry to hear that. Can you confirm your postcode and date of birth please?
Seen
Today 09:31
You sent
NB1 2CD 04/05/91
"""
    conversation = parse_transcript(text)
    assert [(t.speaker, t.role) for t in conversation.turns] == [
        ("You", "customer"), ("northfieldbank", "agent"), ("You", "customer")]
    assert conversation.turns[0].text == "my card keeps getting declined"
    assert conversation.turns[1].time == "Today 09:20"


def test_an_exports_footer_after_a_separator_is_nobodys_words():
    text = """▸ IN  · Lena Fox @lena_fx · 3 Mar 2026, 18:02
  my order says delivered but nothing came

◂ OUT · Quickbite Help @QuickbiteHelp · 3 Mar 2026, 18:10
  Hi Lena, sorry about that. I've refunded the order in full.

▸ IN  · Lena Fox @lena_fx · 3 Mar 2026, 18:11
  thanks

────────────────────────────
Status: Closed by ap · 18:15 · Reason: Resolved
"""
    conversation = parse_transcript(text)
    assert conversation.turns[-1].text.strip() == "thanks"
    assert not conversation.unread_lines
