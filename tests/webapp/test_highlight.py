"""``webapp.highlight``: cutting messages into highlighted pieces at the report's offsets."""
from __future__ import annotations

import pytest

from checker.model import Conversation, Turn
from webapp.highlight import build_transcript
from webapp.privacy import mask_text

from .conftest import LABELLED, sample


def conversation(*texts: str) -> Conversation:
    """A chat 'Agent: …/Customer: …' alternating, with offsets into the joined source."""
    source, turns, pos = "", [], 0
    for i, text in enumerate(texts):
        label = "Agent: " if i % 2 == 0 else "Customer: "
        start = pos + len(label)
        turns.append(Turn(index=i, role="agent" if i % 2 == 0 else "customer",
                          speaker=label[:-2], text=text, start=start, end=start + len(text)))
        source += label + text + "\n"
        pos = len(source)
    return Conversation(channel="chat", turns=tuple(turns), source=source, agent="Agent",
                        speakers=("Agent", "Customer"))


def finding(turn, start, end, level="warning", message="msg", suggestion="better", positive=False):
    return {"rule": "x.y", "criterion": "tone", "level": level, "positive": positive, "turn": turn,
            "start": start, "end": end, "quote": "", "message": message, "why": "", "suggestion": suggestion,
            "source": ""}


def flat(block):
    return [(p.kind, p.text, p.notes, p.level) for p in block.pieces]


def test_a_span_becomes_a_mark_followed_by_its_note_reference():
    conv = conversation("Hello, how can I halp you?")
    start = conv.source.index("halp")
    blocks, notes = build_transcript(conv, {"findings": [finding(0, start, start + 4, message="Spelling",
                                                                 suggestion="help")]})
    assert flat(blocks[0]) == [
        ("text", "Hello, how can I ", (), ""),
        ("mark", "halp", (1,), "warning"),
        ("ref", "", (1,), "warning"),
        ("text", " you?", (), ""),
    ]
    assert blocks[0].pieces[1].title == "Spelling Try: help"
    assert [n.number for n in notes] == [1] and notes[0].turn == 0


def test_overlapping_findings_are_cut_at_every_boundary_and_take_the_worse_level():
    conv = conversation("Calm down and wait please")
    s = conv.source.index("Calm down")
    e1 = s + len("Calm down and wait")
    s2 = conv.source.index("and wait please")
    findings = [finding(0, s, e1, level="suggestion", message="A"),
                finding(0, s2, s2 + len("and wait please"), level="error", message="B")]
    blocks, notes = build_transcript(conv, {"findings": findings})
    assert flat(blocks[0]) == [
        ("mark", "Calm down ", (1,), "suggestion"),
        ("mark", "and wait", (2, 1), "error"),  # the narrower finding's note first
        ("ref", "", (1,), "suggestion"),
        ("mark", " please", (2,), "error"),
        ("ref", "", (2,), "error"),
    ]
    assert blocks[0].pieces[1].title == "A Try: better\nB Try: better"


def test_a_word_inside_a_quoted_sentence_opens_the_words_own_note_first():
    conv = conversation("I can definately switch that on for you")
    sentence = finding(0, conv.source.index("I can"), conv.source.index(" for you"), level="warning", message="Sentence")
    word = finding(0, conv.source.index("definately"), conv.source.index(" switch"), level="warning", message="Word")
    blocks, _notes = build_transcript(conv, {"findings": [sentence, word]})
    [inner] = [p for p in blocks[0].pieces if p.kind == "mark" and p.text == "definately"]
    assert inner.notes == (2, 1)


def test_an_empty_span_is_a_gap_marker_and_notes_follow_reading_order():
    conv = conversation("Order number?", "123", "Ok bye")
    late = conv.turns[2].end
    early = conv.turns[0].start
    blocks, notes = build_transcript(conv, {"findings": [finding(2, late, late, message="No thanks"),
                                                        finding(0, early, early, message="No greeting")]})
    assert flat(blocks[0])[0] == ("gap", "", (1,), "warning")
    assert flat(blocks[2])[-1] == ("gap", "", (2,), "warning")
    assert [n.finding["message"] for n in notes] == ["No greeting", "No thanks"]
    assert all(n.gap for n in notes)


def test_findings_without_a_place_are_listed_after_the_placed_ones():
    conv = conversation("Hello")
    blocks, notes = build_transcript(conv, {"findings": [finding(None, None, None, message="General"),
                                                        finding(0, 7, 9, message="Here")]})
    assert [(n.number, n.finding["message"], n.turn) for n in notes] == [(1, "Here", 0), (2, "General", None)]


def test_positive_evidence_is_marked_as_done_well_without_a_note():
    conv = conversation("Hello Priya, how can I help?")
    s = conv.source.index("Hello")
    report = {"findings": [], "criteria": [{"id": "greeting", "title": "Greets", "message": "You greeted",
                                             "evidence": [{"turn": 0, "start": s, "end": s + 5, "quote": "Hello",
                                                           "positive": True}]}]}
    blocks, notes = build_transcript(conv, report)
    assert flat(blocks[0])[0] == ("mark", "Hello", (), "good")
    assert blocks[0].pieces[0].good and "You greeted" in blocks[0].pieces[0].title
    assert notes == []


def test_masked_display_text_keeps_the_highlights_in_place():
    conv = conversation("Call me on 07700 900418 tomorrow, ok")
    s = conv.source.index("ok")
    display = {0: mask_text(conv.turns[0].text)}
    blocks, _ = build_transcript(conv, {"findings": [finding(0, s, s + 2)]}, display)
    text = "".join(p.text for p in blocks[0].pieces)
    assert "07700" not in text and text == display[0]
    assert [p.text for p in blocks[0].pieces if p.kind == "mark"] == ["ok"]


def test_offsets_in_a_quoted_email_map_to_the_text_without_the_quote_marks(checker):
    report = checker.check(sample("email_weak.txt"))
    data = report.to_dict()
    blocks, notes = build_transcript(report.conversation, data)
    stressed = next(n for n in notes if "stressed" in n.finding["quote"])
    block = next(b for b in blocks if b.index == stressed.turn)
    marked = [p.text for p in block.pieces if p.kind == "mark" and stressed.number in p.notes]
    assert "".join(marked) == stressed.finding["quote"]
    assert ">" not in "".join(p.text for p in block.pieces)  # the customer's quoted text, de-quoted


@pytest.mark.parametrize("path", sorted((LABELLED / "chat").glob("c*.txt")), ids=lambda p: p.stem[:3])
def test_every_finding_of_a_corpus_chat_is_marked_exactly_at_its_span(checker, path):
    report = checker.check(path.read_text(encoding="utf-8"))
    data = report.to_dict()
    source = report.conversation.source
    blocks, notes = build_transcript(report.conversation, data)
    problems = [f for f in data["findings"] if not f["positive"]]
    assert len(notes) == len(problems)
    for note in notes:
        f = note.finding
        if f["start"] is None:
            continue
        pieces = [p for b in blocks for p in b.pieces if note.number in p.notes]
        if f["end"] > f["start"] and not note.gap:
            assert "".join(p.text for p in pieces if p.kind == "mark") == source[f["start"]:f["end"]]
            assert [p.kind for p in pieces if p.kind != "mark"] == ["ref"]
        else:
            assert [p.kind for p in pieces] == ["gap"]
    # nothing lost or added: every block's pieces spell out its message
    for block in blocks:
        expected = report.conversation.notes if block.is_notes else report.conversation.turns[block.index].text
        assert "".join(p.text for p in block.pieces) == expected


@pytest.mark.parametrize("word, suggestion, offered", [("definately", "definitely", True), ("i", "I", True),
                                                       ("untill", "distill", False)])
def test_apply_offers_only_a_near_spelling_of_the_learners_word(word, suggestion, offered):
    conv = conversation(f"I will {word} help.")
    start = conv.source.index(word)
    report = {"findings": [finding(0, start, start + len(word), suggestion=f"Try '{suggestion}'.")],
              "proofreading": {"issues": [{"start": start, "end": start + len(word), "suggestions": [suggestion]}]}}
    _blocks, notes = build_transcript(conv, report)
    if offered:
        assert notes[0].apply == {"start": start, "end": start + len(word), "find": word, "text": suggestion,
                                  "before": conv.source[max(0, start - 20):start]}
    else:
        assert notes[0].apply is None


def test_apply_for_a_gap_inserts_the_example_wording_and_never_on_the_customers_words():
    conv = conversation("Can I take your number?", "It is ridiculous")
    at = conv.turns[0].start
    cue = conv.source.index("ridiculous")
    report = {"findings": [
        finding(0, at, at, suggestion="Open with a greeting, e.g. 'Hello Ann, you're through to [your name].'"),
        finding(1, cue, cue + len("ridiculous"), suggestion="Try 'annoying'."),
    ]}
    report["findings"][0]["rule"] = "greeting.chat_greeting"
    blocks, notes = build_transcript(conv, report)
    assert notes[0].label == "Add a greeting here"
    assert notes[0].apply["text"] == "Hello Ann, you're through to [your name]. "
    assert notes[0].apply["start"] == notes[0].apply["end"] == at
    assert notes[1].apply is None  # the customer's words are not the learner's to change
    assert blocks[0].pieces[0].kind == "gap" and blocks[0].pieces[0].anchor == "ref-1" and notes[0].ref == "ref-1"
