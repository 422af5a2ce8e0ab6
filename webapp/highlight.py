"""The transcript as the results page shows it: each message cut into pieces at the findings.

Pure functions, no Flask: ``build_transcript`` takes the parsed ``Conversation`` and the report
dict (masked or not) and returns plain data the template walks. The template escapes every
piece of text; nothing here produces HTML.

* A finding with a span (``start < end``) marks that text; where findings overlap, the text is
  cut at every boundary and each piece lists all the findings covering it.
* A finding with an empty span (``start == end``, e.g. "no greeting in your first message")
  becomes a *gap* marker at that point of the message.
* Every problem finding gets a note number; the mark or gap is a link to the note, which holds the
  message, why it matters and the suggestion, and sits right under its message (shown on focus,
  tap or click; without JavaScript, by following the link). Notes are numbered in reading order.
* A gap carries a short label saying what to add there ("Add a greeting here").
* A note may carry an ``Apply`` edit: the proofreader's or the rule's replacement for the span,
  or, for a gap, the suggestion's example wording inserted at that point. Offsets are in the
  source, which is the text in the edit box for pasted text; the page checks the text is still
  there before it changes anything.
* Positive evidence from the checklist ("you greeted the customer") is marked as done well.

Offsets in the report index ``Conversation.source``; a message's ``text`` may differ from its
slice of the source (a quoted email loses its ``>``), so offsets are mapped back through
``Turn.to_source``.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from checker.model import Conversation

LEVEL_ORDER = {"suggestion": 1, "warning": 2, "error": 3}

# What a gap marker says, by rule id, then by criterion: where to add the missing thing.
GAP_LABELS = {
    "greeting.chat_greeting": "Add a greeting here",
    "greeting.email_salutation": "Add a greeting here",
    "closing.chat_farewell": "Add a farewell here",
    "closing.chat_thanks": "Thank the customer here",
    "closing.email_signoff": "Add a sign-off here",
    "confirm_understanding.check_before_close": "Check they understood here",
    "confirm_understanding.check_in_email": "Invite questions here",
    "active_listening.clarify_or_paraphrase": "Ask a question or sum up here",
    "personalisation.customer_name": "Use their name here",
    "channel_conventions.holding_messages": "Send a holding message here",
    "channel_conventions.email_structure": "Lay out the email here",
}
GAP_BY_CRITERION = {
    "greeting": "Add a greeting here",
    "closing": "Add a close here",
    "confirm_understanding": "Check they understood here",
    "active_listening": "Show you listened here",
    "empathy": "Acknowledge their problem here",
    "escalation": "Offer to pass it on here",
    "identity_verification": "Check who you are speaking to here",
    "personalisation": "Make it personal here",
    "record_keeping": "Add to your notes here",
}

# A quoted example inside a suggestion: 'Hello Ann, you're through to…' (an apostrophe inside a
# word does not end it).
_EXAMPLE = re.compile(r"(?<![\w])'((?:[^']|'(?=\w))+?)'(?![\w])")
_TRY = re.compile(r"^Try '((?:[^']|'(?=\w))+?)'")


# One rule that finds several missing parts (an email's structure): the label by what its message names.
GAP_BY_MESSAGE = (("subject", "Add a subject line"), ("salutation", "Add a greeting here"),
                  ("paragraph", "Break this into paragraphs"), ("sign-off", "Add a sign-off here"),
                  ("your name", "Add your name here"))


def gap_label(finding: dict[str, Any]) -> str:
    if finding.get("rule") == "channel_conventions.email_structure":
        message = finding.get("message", "").lower()
        for word, label in GAP_BY_MESSAGE:
            if word in message:
                return label
    return GAP_LABELS.get(finding.get("rule", ""), GAP_BY_CRITERION.get(finding.get("criterion", ""),
                                                                        "Something is missing here"))


def suggestion_example(suggestion: str) -> str | None:
    """The example wording a suggestion quotes, when it quotes one."""
    m = _EXAMPLE.search(suggestion or "")
    return m.group(1).strip() if m else None


@dataclass
class Note:
    number: int
    finding: dict[str, Any]
    turn: int | None  # the message it is shown in, or None when it has no place in the text
    gap: bool = False
    index: int | None = None  # the finding's index in the report's ``findings``
    label: str = ""  # for a gap: what to add there
    apply: dict[str, Any] | None = None  # {"start", "end", "find", "text", "before"}: an edit to the source
    ref: str = ""  # the page id of the first highlight (mark or gap) that opens it

    @property
    def anchor(self) -> str:
        return f"note-{self.number}"


@dataclass
class Piece:
    """``kind``: text | mark | gap | ref. ``notes``: note numbers; ``good``: positive evidence."""

    kind: str
    text: str = ""
    notes: tuple[int, ...] = ()
    level: str = ""
    title: str = ""
    good: bool = False
    anchor: str = ""  # the page id of a mark or gap: "ref-<first note>", made unique within the page


@dataclass
class Block:
    """One message (or the agent notes) with its pieces."""

    index: int | None
    role: str
    speaker: str
    time: str | None
    pieces: list[Piece] = field(default_factory=list)
    is_notes: bool = False
    notes: list[Note] = field(default_factory=list)  # the notes shown under this message

    @property
    def anchor(self) -> str:
        return "notes" if self.is_notes else f"turn-{self.index}"


@dataclass
class _Span:
    start: int  # index into the block's text
    end: int
    note: Note | None  # None for positive evidence
    title: str
    level: str


def finding_title(finding: dict[str, Any]) -> str:
    """The tooltip of a highlight: what is wrong and the better wording."""
    parts = [finding.get("message", "")]
    if finding.get("suggestion"):
        parts.append(f"Try: {finding['suggestion']}")
    return " ".join(p for p in parts if p)


def _positions(conversation: Conversation) -> list[tuple[int | None, list[int], str]]:
    """Per block: turn index (None for notes), source position of each text character, text."""
    blocks = []
    for turn in conversation.turns:
        blocks.append((turn.index, [turn.to_source(i) for i in range(len(turn.text))] + [turn.end], turn.text))
    if conversation.notes and conversation.notes_start is not None:
        start = conversation.notes_start
        notes = conversation.notes
        blocks.append((None, list(range(start, start + len(notes) + 1)), notes))
    return blocks


def _to_text_index(positions: list[int], offset: int) -> int:
    """The index of the first character of the text at or after source ``offset``."""
    body = positions[:-1]
    return bisect_left(body, offset)


def _block_for(blocks, turn: int | None, start: int) -> int | None:
    """Which block a finding belongs to: its turn, else the block whose span holds ``start``."""
    if turn is not None:
        for i, (index, _, _) in enumerate(blocks):
            if index == turn:
                return i
    for i, (_, positions, text) in enumerate(blocks):
        if text and positions[0] <= start <= positions[-1]:
            return i
    return None


def build_transcript(conversation: Conversation, report: dict[str, Any],
                     display: dict[int | None, str] | None = None) -> tuple[list[Block], list[Note]]:
    """The blocks to show and the numbered notes, from the conversation and the report dict.

    ``display`` optionally replaces a block's text for display (the masked text, same length),
    keyed by turn index (``None`` for the notes block).
    """
    blocks = _positions(conversation)
    spans: dict[int, list[_Span]] = {i: [] for i in range(len(blocks))}
    placed: list[tuple[int, int, int, dict[str, Any], bool]] = []  # block, text index, order, finding, gap
    unplaced: list[tuple[int, dict[str, Any]]] = []

    for order, finding in enumerate(report.get("findings", [])):
        if finding.get("positive"):
            continue
        start, end = finding.get("start"), finding.get("end")
        where = None if start is None else _block_for(blocks, finding.get("turn"), start)
        if where is None:
            unplaced.append((order, finding))
            continue
        positions = blocks[where][1]
        s = _to_text_index(positions, start)
        placed.append((where, s, order, finding, end is None or end <= start))

    # Notes numbered in reading order: by message, then position, then the report's order.
    placed.sort(key=lambda p: (p[0], p[1], p[2]))
    notes: list[Note] = []
    gaps: dict[int, list[tuple[int, Note]]] = {i: [] for i in range(len(blocks))}
    by_block: dict[int, list[Note]] = {i: [] for i in range(len(blocks))}
    for where, s, order, finding, gap in placed:
        note = Note(number=len(notes) + 1, finding=finding, turn=blocks[where][0], gap=gap, index=order)
        notes.append(note)
        by_block[where].append(note)
        if gap:
            gaps[where].append((s, note))
        else:
            e = _to_text_index(blocks[where][1], finding["end"])
            if e <= s:  # the span maps to nothing visible (e.g. only quoting marks): show a gap
                note.gap = True
                gaps[where].append((s, note))
            else:
                spans[where].append(_Span(s, e, note, finding_title(finding), finding.get("level", "warning")))
    for order, finding in unplaced:
        notes.append(Note(number=len(notes) + 1, finding=finding, turn=None, index=order))
    issues = {(i.get("start"), i.get("end")): i for i in report.get("proofreading", {}).get("issues", [])}
    roles = {t.index: t.role for t in conversation.turns}
    for note in notes:
        if note.gap:
            note.label = gap_label(note.finding)
        if note.turn is not None and roles.get(note.turn) == "agent":
            note.apply = _edit(note, conversation.source, issues)

    # Positive evidence from the checklist: what went well, marked in the text.
    for criterion in report.get("criteria", []):
        for ev in criterion.get("evidence", []):
            if not ev.get("positive") or ev.get("start") is None or ev.get("end") is None or ev["end"] <= ev["start"]:
                continue
            where = _block_for(blocks, ev.get("turn"), ev["start"])
            if where is None:
                continue
            s = _to_text_index(blocks[where][1], ev["start"])
            e = _to_text_index(blocks[where][1], ev["end"])
            if e > s:
                title = f"Done well ({criterion.get('title', criterion.get('id', ''))}): {criterion.get('message', '')}"
                spans[where].append(_Span(s, e, None, title, "good"))

    turns_by_index = {t.index: t for t in conversation.turns}
    out: list[Block] = []
    used: set[str] = set()
    for i, (index, _positions_, text) in enumerate(blocks):
        shown = (display or {}).get(index, text)
        if len(shown) != len(text):  # display text must keep offsets; fall back to the original
            shown = text
        if index is None:
            block = Block(index=None, role="notes", speaker="Agent notes", time=None, is_notes=True)
        else:
            turn = turns_by_index[index]
            block = Block(index=index, role=turn.role, speaker=turn.speaker, time=turn.time)
        block.pieces = _pieces(shown, spans[i], gaps[i])
        block.notes = by_block[i]
        first_piece: dict[int, str] = {}
        for k, piece in enumerate(block.pieces):
            if piece.kind in ("mark", "gap") and piece.notes:
                piece.anchor = f"ref-{piece.notes[0]}"
                if piece.anchor in used:
                    piece.anchor = f"ref-{piece.notes[0]}-{k}"
                used.add(piece.anchor)
                for n in piece.notes:
                    first_piece.setdefault(n, piece.anchor)
        for note in block.notes:
            note.ref = first_piece.get(note.number, "")
        out.append(block)
    return out, notes


def _edit(note: Note, source: str, issues: dict) -> dict[str, Any] | None:
    """The change "Apply" makes to the learner's text, in source offsets, or None.

    A span gets its suggestion's "Try '…'" (the proofreader's nearest spelling, a substitution
    rule's better word); a gap gets
    the example wording of its suggestion. Only on the learner's own words (the customer's are
    not theirs to change: the caller asks only for notes on the learner's messages), and a span is
    never replaced with a placeholder such as "[your name]"; a gap's example may hold one.
    """
    f = note.finding
    start, end = f.get("start"), f.get("end")
    if start is None:
        return None
    end = start if end is None else end
    if not (0 <= start <= end <= len(source)):
        return None
    before = source[max(0, start - 20):start]
    if note.gap:
        example = suggestion_example(f.get("suggestion", ""))
        if not example:
            return None
        if example.endswith(","):  # an email salutation goes on its own line
            text = example + "\n\n"
        else:
            space_before = " " if start > 0 and not source[start - 1].isspace() else ""
            space_after = " " if start < len(source) and not source[start].isspace() else ""
            text = space_before + example + space_after
        return {"start": start, "end": start, "find": "", "text": text, "before": before}
    if end <= start:
        return None
    m = _TRY.match(f.get("suggestion", ""))
    replacement = m.group(1) if m else None
    # a proofreading finding: only a near spelling of the learner's word ("definately" →
    # "definitely"), never a different word the proofreader guessed at ("untill" → "distill")
    if replacement is not None and (start, end) in issues and \
            SequenceMatcher(None, replacement.lower(), source[start:end].lower()).ratio() < 0.65:
        replacement = None
    if replacement is None or "[" in replacement:
        return None
    return {"start": start, "end": end, "find": source[start:end], "text": replacement, "before": before}


def _pieces(text: str, spans: list[_Span], gaps: list[tuple[int, Note]]) -> list[Piece]:
    cuts = {0, len(text)}
    for sp in spans:
        cuts.update((sp.start, sp.end))
    cuts.update(pos for pos, _ in gaps)
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    ends_at: dict[int, list[Note]] = {}
    for sp in spans:
        if sp.note is not None:
            ends_at.setdefault(sp.end, []).append(sp.note)
    gaps_at: dict[int, list[Note]] = {}
    for pos, note in gaps:
        gaps_at.setdefault(min(pos, len(text)), []).append(note)

    pieces: list[Piece] = []
    for k, a in enumerate(points):
        # gaps at one point saying the same ("Add a greeting here" from two rules) share one marker
        shared: dict[str, Piece] = {}
        # the most serious first: "Add a greeting here" before "Use their name here"
        for note in sorted(gaps_at.get(a, []),
                           key=lambda n: (-LEVEL_ORDER.get(n.finding.get("level", "warning"), 0), n.number)):
            level = note.finding.get("level", "warning")
            same = shared.get(note.label) if note.label else None
            if same is not None:
                same.notes += (note.number,)
                same.title += "\n" + finding_title(note.finding)
                if LEVEL_ORDER.get(level, 0) > LEVEL_ORDER.get(same.level, 0):
                    same.level = level
                continue
            piece = Piece(kind="gap", notes=(note.number,), level=level, title=finding_title(note.finding))
            shared[note.label] = piece
            pieces.append(piece)
        if k + 1 < len(points):
            b = points[k + 1]
            chunk = text[a:b]
            active = [sp for sp in spans if sp.start <= a and sp.end >= b]
            if not active:
                pieces.append(Piece(kind="text", text=chunk))
            else:
                problems = [sp for sp in active if sp.note is not None]
                if problems:
                    level = max((sp.level for sp in problems), key=lambda lv: LEVEL_ORDER.get(lv, 0))
                    good = False
                else:
                    level, good = "good", True
                titles = []
                for sp in sorted(active, key=lambda sp: (sp.note is None, sp.note.number if sp.note else 0)):
                    if sp.title not in titles:
                        titles.append(sp.title)
                # the narrowest problem first: a click on a misspelt word inside a quoted
                # sentence opens the word's own note; the sentence's note stays linked
                narrowest = sorted(problems, key=lambda sp: (sp.end - sp.start, sp.note.number))
                pieces.append(Piece(kind="mark", text=chunk, level=level, good=good, title="\n".join(titles),
                                    notes=tuple(dict.fromkeys(sp.note.number for sp in narrowest))))
            for note in sorted(ends_at.get(b, []), key=lambda n: n.number):
                pieces.append(Piece(kind="ref", notes=(note.number,), level=note.finding.get("level", "warning")))
    # Merge neighbouring plain text pieces (cuts made only for other blocks' reasons).
    merged: list[Piece] = []
    for piece in pieces:
        if merged and piece.kind == "text" and merged[-1].kind == "text":
            merged[-1].text += piece.text
        else:
            merged.append(piece)
    return merged
