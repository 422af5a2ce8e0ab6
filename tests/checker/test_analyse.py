from __future__ import annotations

import pytest

from checker.analyse import analyse
from checker.parse import parse_transcript

import samples


def test_analyse_runs_nlp_on_every_turn_and_proofreads_agent_text_only(checker):
    conv = parse_transcript("Agent: You will recieve it tomorow.\nCustomer: I will recieve it?")
    analysed = checker.analyse(conv)
    assert len(analysed.docs) == 2
    assert [d.text for d in analysed.docs] == [t.text for t in conv.turns]
    texts = [i.text for i in analysed.proofreading.issues]
    assert texts.count("recieve") == 1  # the customer's identical slip is not the learner's
    assert all(i.turn == 0 for i in analysed.proofreading.issues)


def test_analyse_issue_offsets_point_into_the_source(checker):
    conv = parse_transcript(samples.EMAIL_THREAD)
    analysed = checker.analyse(conv)
    issue = next(i for i in analysed.proofreading.issues if i.text == "recieve")
    assert conv.source[issue.start:issue.end] == "recieve"


def test_analyse_names_in_the_conversation_are_not_misspellings(checker):
    conv = parse_transcript("Agent: Hello Priyanka, I'm Siobhan from Brightwave.\nPriyanka Okonkwo: Hi Siobhan")
    analysed = checker.analyse(conv)
    assert analysed.proofreading.issues == ()


def test_analyse_a_name_that_is_also_a_word_keeps_its_capital(checker):
    # "jade", "rose", "bill" are words too: as a speaker's or a given name the capital is right
    conv = parse_transcript("Customer: Hi, my phone bill is wrong\nJade: Hi, I'm Jade. I'll look at the bill with you now.")
    assert not [i for i in checker.analyse(conv).proofreading.issues if i.text == "Jade"]


def test_analyse_accented_names_are_not_misspellings(checker):
    # a capitalised word with an accent is a name, even where the parser does not read it as one
    conv = parse_transcript("Customer: Thanks\nAgent: You're welcome, and I hope the trip goes well. -Tomás")
    assert not [i for i in checker.analyse(conv).proofreading.issues if i.text == "Tomás"]


def test_analyse_readability_is_on_the_whole_agent_text(checker):
    analysed = checker.analyse(parse_transcript(samples.STRONG_CHAT))
    r = analysed.readability
    assert r.words == sum(s.words for s in analysed.sentences)
    assert r.sentences == len(analysed.sentences) >= 8
    assert r.flesch_reading_ease is not None and 40 < r.flesch_reading_ease < 100
    assert all(analysed.conversation.turns[s.turn].role == "agent" for s in analysed.sentences)


def test_analyse_sentences_end_where_a_new_line_starts_a_new_thing(checker):
    """List items and signature lines are sentences of their own, however the parser joined
    them; a line that carries on in lower case is the same sentence, wrapped."""
    email = ("From: Priya Chandran <priya@council.example.gov.uk>\nTo: sam@example.com\nSubject: Your bill\n\n"
             "Dear Sam,\n\nWe may be able to:\n- extend the term\n- move the payment date\n\n"
             "Your next bill will be sent to you\nby post this week.\n\nYours sincerely,\n\nPriya Chandran\n"
             "Council Tax Officer\nRevenues and Benefits Service\n")
    analysed = checker.analyse(parse_transcript(email, agent="Priya Chandran"))
    quoted = [analysed.conversation.source[s.start:s.end] for s in analysed.sentences]
    assert "- extend the term" in quoted and "- move the payment date" in quoted
    assert "Council Tax Officer" in quoted and "Priya Chandran" in quoted
    assert "Your next bill will be sent to you\nby post this week." in quoted


def test_analyse_readability_formulas_skip_tiny_texts(checker):
    r = checker.analyse(parse_transcript("Agent: Hello.\nCustomer: Hi")).readability
    assert r.flesch_reading_ease is None and r.words == 1


def test_analyse_with_blank_pipeline_and_no_proofreader(blank_nlp):
    analysed = analyse(parse_transcript(samples.CHAT_NAMES), blank_nlp, None)
    assert analysed.proofreading.backend == "none"
    assert len(analysed.sentences) == 2


def test_analyse_to_dict_has_the_documented_foundation_keys(checker):
    data = checker.analyse(parse_transcript(samples.CHAT_ROLES)).to_dict()
    assert {"channel", "turns", "proofreading", "readability"} <= set(data)
    assert set(data["turns"][1]) >= {"index", "role", "speaker", "text", "time", "start", "end"}
    assert set(data["proofreading"]) >= {"backend", "issues"}


def test_missing_model_is_a_clear_setup_error():
    from checker.errors import SetupError
    from checker.nlp import load_model

    with pytest.raises(SetupError, match="pip install"):
        load_model("en_core_web_sm")  # the upstream name is not installed here; ours is the PyPI mirror


def test_analyse_keeps_the_customers_capitalised_names(checker):
    """A thing the customer names with a capital ("an Apple Pencil") is no capitals slip when
    the agent writes it the same way."""
    conv = parse_transcript("Customer: I left my rucksack on the train with an Apple Pencil in it.\n"
                            "Agent: Could you tell me what colour the Pencil case is?")
    issues = [i for i in checker.analyse(conv).proofreading.issues if i.rule == "grammar.capitals"]
    assert not issues


def test_analyse_keeps_the_customers_own_words_for_things(checker):
    """A word the dictionary lacks that the customer wrote first (a dish, a wine) is no misspelling
    when the agent repeats it; the agent's own slips and American spellings still are."""
    conv = parse_transcript("Customer: the order came without the halloumi and the prosecco\n"
                            "Agent: I'm sorry the halloumi and prosecco were missing. I will recieve the refund request now.")
    flagged = {i.text for i in checker.analyse(conv).proofreading.issues if i.category == "spelling"}
    assert "halloumi" not in flagged and "recieve" in flagged
    conv = parse_transcript("Customer: the color is wrong\nAgent: Sorry the color is wrong.")
    assert "color" in {i.text for i in checker.analyse(conv).proofreading.issues}


DISCLAIMER_EMAIL = """From: Ana Ruiz <ana@example.com>
To: Tidewell Water <help@example.com>
Subject: Meter reading

Hello, my bill looks far too high this quarter.

From: Tidewell Water <help@example.com>
To: Ana Ruiz <ana@example.com>
Subject: RE: Meter reading

Dear Ms Ruiz,

Thank you for your email. I've checked the reading and booked a meter test for Monday.

Kind regards,
Joel Hart
Customer Care Team

IMPORTANT NOTICE: This email and any attachments are confidential and intended solely for the addressee. If you have received it in error, please notify the sender immediately and delete it; any unauthorized use, disclosure or copying is prohibited.
"""


def test_a_legal_disclaimer_below_the_sign_off_is_not_the_learners_writing(checker):
    conversation = parse_transcript(DISCLAIMER_EMAIL, agent="Tidewell Water")
    analysed = analyse(conversation, checker.nlp, checker.proofreader)
    agent = conversation.turns[-1]
    ((turn, start, end),) = analysed.boilerplate
    assert turn == agent.index and agent.text[start:end].startswith("IMPORTANT NOTICE")
    assert not [i for i in analysed.proofreading.issues if "unauthorized" in i.text]  # its US spelling is not hers
    assert analysed.readability.longest_sentence_words < 25
    report = checker.check(conversation)
    assert not [f for f in report.findings if f.quote in ("IMPORTANT NOTICE", "unauthorized")]
    assert [r.status for r in report.criteria if r.id == "tone"] == ["met"]


@pytest.mark.parametrize("sentence, flagged", [
    ("Have you got Wi-Fi calling switched on?", set()),  # "Wi" and "Fi" of an accepted word
    ("A senior claims handler, Mark Ellery, will phone you today.", set()),  # a surname, not a slip for 'Ellerby'
    ("Would a courtesy car help, or would you rather we drop your car home?", set()),  # 'rather' takes a clause
    ("Let me find out for you.", set()),  # harper's FindOut: idiomatic British English
    ("I've added some credit so you have heating tonight.", set()),  # harper's ProgressiveNeedsBe: 'heating' is a noun
    ("Sorry to see you were charged twice on 3 Dec. Please don't post your details here.", set()),  # a kept full stop
    ("Good afternoon, you're through to Dev at Larch Water.", set()),  # an agent introducing themself
    ("Your apointment is on Wednsday.", {"apointment", "Wednsday"}),  # slips are still slips
    ("Sorry for the delay the parcel was held at the depot.", {"delay the"}),
])
def test_proofreading_false_alarms_from_social_threads_stay_away(checker, sentence, flagged):
    report = checker.check(f"Customer: hi\nAgent: {sentence}")
    assert {f.quote for f in report.findings if f.criterion == "spelling_grammar"} == flagged


def test_analyse_a_name_shown_once_is_right_wherever_it_recurs(checker):
    """A person's name the model finds in one sentence, and the words that name a team, keep
    their capitals elsewhere in the conversation, however the parse reads them there."""
    conv = parse_transcript(
        "Customer: my dad lives with me and the heating's off\n"
        "Agent: I'm sorry to hear that. With Reg relying on the heating, I'll treat this as urgent. "
        "I've passed it to our Home Moves team. Can I add you and Reg to our priority list? "
        "Home Moves will call you today.")
    flagged = {i.text for i in checker.analyse(conv).proofreading.issues}
    assert "Reg" not in flagged and "Moves" not in flagged


def test_analyse_a_common_noun_capitalised_is_still_flagged(checker):
    conv = parse_transcript("Customer: where is my parcel\nAgent: I'm sorry, the Driver left it at the depot.")
    assert "Driver" in {i.text for i in checker.analyse(conv).proofreading.issues}
