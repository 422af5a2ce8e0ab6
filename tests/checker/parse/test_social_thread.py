"""Public social threads (X/Twitter, Threads, Bluesky copies) and a thread that carries on in DMs."""
from __future__ import annotations

from checker.parse import parse_transcript

THREAD = """Sunil Varma @sunilv_82 · 3 Feb
@NorthgateWater no water at all in Chapel Row since 6am, two kids to get to school

Northgate Water @NorthgateWater · 3 Feb
Replying to @sunilv_82
Morning Sunil, sorry you've woken up to dry taps. There's a burst main on Chapel Row and our crew are on site now. ^RT

Sunil Varma @sunilv_82 · 3 Feb
Replying to @NorthgateWater
any idea how long??

Northgate Water @NorthgateWater · 3 Feb
Replying to @sunilv_82
We're aiming to have supply back by 2pm. Bottled water is at the community centre on Mill Lane until then. ^RT
"""


def test_posts_are_messages_headed_by_name_handle_and_date():
    conversation = parse_transcript(THREAD, agent="@NorthgateWater")
    assert conversation.format == "social thread"
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "agent"]
    assert conversation.turns[1].text.startswith("Morning Sunil")  # "Replying to" is not part of the post
    assert conversation.turns[2].text == "any idea how long??"
    assert conversation.speakers == ("Sunil Varma", "Northgate Water")


def test_the_display_name_names_the_learner_too():
    conversation = parse_transcript(THREAD, agent="Northgate Water")
    assert sum(t.role == "agent" for t in conversation.turns) == 2


def test_a_thread_that_moves_to_direct_messages_is_read_on():
    text = THREAD + """
--- Direct messages: Sunil Varma and Northgate Water ---

09:12  Sunil Varma: it's 14 Chapel Row, my neighbour is 86 and on her own
09:14  Northgate Water: Thanks Sunil. I've asked the crew to drop bottled water at 14 and at your neighbour's door this morning.
"""
    conversation = parse_transcript(text, agent="Northgate Water")
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "agent", "customer", "agent"]
    assert conversation.turns[-1].text.startswith("Thanks Sunil. I've asked")
    assert conversation.turns[-1].time == "09:14"


def test_handle_labels_are_speakers_in_line_chats():
    text = ("Jo Bright (@jobright):\n@QuayBank my card's been declined twice today\n\n"
            "@QuayBank:\n@jobright Sorry to hear that, Jo. Was it declined in a shop or online?\n\n"
            "Jo Bright (@jobright):\n@QuayBank in Tesco, both times\n\n"
            "@QuayBank:\n@jobright Thanks Jo. Please DM us the last four digits of the card and we'll take a look.\n")
    conversation = parse_transcript(text, agent="@QuayBank")
    assert [t.role for t in conversation.turns] == ["customer", "agent", "customer", "agent"]
    assert conversation.turns[1].speaker == "@QuayBank"
    assert conversation.unread_lines == ()  # a label alone on its line is read, not left over


def test_one_post_or_one_author_is_no_thread():
    one = "Sunil Varma @sunilv_82 · 3 Feb\n@NorthgateWater no water since 6am\n"
    assert parse_transcript(one + "\nAgent: Sorry Sunil, a crew is on the way.").format != "social thread"


def test_a_post_headed_by_the_handle_alone_keeps_the_authors_name():
    text = THREAD.replace("Northgate Water @NorthgateWater · 3 Feb\nReplying to @sunilv_82\nWe're", "@NorthgateWater · 2h\nWe're")
    conversation = parse_transcript(text, agent="Northgate Water")
    assert [t.speaker for t in conversation.turns] == ["Sunil Varma", "Northgate Water"] * 2
    assert [t.role for t in conversation.turns] == ["customer", "agent"] * 2


def test_post_ages_as_apps_print_them():
    for age in ("2h", "5 mins", "now", "an hour ago", "3 days ago"):
        text = THREAD.replace("· 3 Feb", "· " + age)
        assert parse_transcript(text, agent="@NorthgateWater").format == "social thread", age
