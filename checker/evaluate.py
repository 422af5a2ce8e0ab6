"""Evaluate stage: run every rule of a rule set over an analysed conversation.

Pure: no I/O, no model loading. Rules see the conversation through a ``Context``, which
resolves scopes (all agent turns, the first agent turn, the salutation of an email…) into
``Segment``s: a turn, its spaCy Doc, and the character range of the turn's text in scope.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Iterable

from .budget import check_time
from .model import Act, ActedConversation, AnalysedConversation, Finding, Turn
from .parse.common import EMAIL_HEADER
from .parse.email_thread import SIGNATURE_NAME
from .vocabulary import SALUTATION_LINE, SIGN_OFF_LINE, SIGN_OFF_WITH_NAME

# a sign-off "name" that is a department, not a person
# a sign-off by its shape, whatever its words ("With warm wishes,", "Take care,"): a short line ending
# in a comma, a name on the next line, near the end of the email
_SIGN_OFF_SHAPE = re.compile(r"^[ \t]*[A-Z][^\W\d_]*(?:[ \t]+[^\W\d_]+){0,4}[ \t]*,[ \t]*$")
_TEAM = re.compile(r"\b(?:team|services?|support|department|customer|customers|desk|centre|center|helpline|office)\b", re.I)


@dataclass(frozen=True)
class Segment:
    """The part of a turn a scope covers: ``turn.text[start:end]``."""

    turn: Turn
    doc: Any
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.turn.text[self.start:self.end]

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


@dataclass(frozen=True)
class EmailParts:
    """Character ranges in an agent email's text: (start, end), empty where a part is missing."""

    salutation: tuple[int, int]
    body: tuple[int, int]
    signoff: tuple[int, int]
    signoff_has_name: bool
    paragraphs: int


class Context:
    def __init__(self, analysed: AnalysedConversation | ActedConversation, ruleset: Any = None):
        if isinstance(analysed, ActedConversation):
            self.acts: tuple[Act, ...] = analysed.acts
            # the customer-side gates' confidences are the classifier's probabilities: with the
            # encoder but no classifier they would be example closeness, another scale
            self.sentence_model = bool(analysed.recognisers.get("model") and analysed.recognisers.get("classifier"))
            analysed = analysed.analysed
        else:
            self.acts = ()
            self.sentence_model = False
        self.analysed = analysed
        self.conversation = analysed.conversation
        self.ruleset = ruleset
        self.turns = analysed.conversation.turns
        self.docs = analysed.docs
        self.channel = analysed.conversation.channel
        self.source = analysed.conversation.source

    # -- text ------------------------------------------------------------------------------

    def quote(self, start: int | None, end: int | None) -> str:
        if start is None or end is None:
            return ""
        return self.source[start:end]

    def doc(self, turn: Turn) -> Any:
        return self.docs[turn.index]

    @cached_property
    def agent_turns(self) -> tuple[Turn, ...]:
        return tuple(t for t in self.turns if t.role == "agent")

    @cached_property
    def customer_turns(self) -> tuple[Turn, ...]:
        return tuple(t for t in self.turns if t.role == "customer")

    # -- scopes ----------------------------------------------------------------------------

    def segments(self, scope: str) -> list[Segment]:
        resolver = SCOPES.get(scope)
        if resolver is None:  # the loader refuses such a rule; a rule built by hand still gets a clear error
            from .errors import RuleError

            raise RuleError(f"unknown scope {scope!r} (one of: {', '.join(SCOPES)})")
        return resolver(self)

    def _email_part(self, part: str) -> list[Segment]:
        if self.channel != "email" or not self.agent_turns:
            return []
        # the learner's reply is the newest agent message; earlier ones are quoted history
        turn = self.agent_turns[-1]
        start, end = getattr(self.email_parts(turn), part)
        return [Segment(turn, self.doc(turn), start, end)]

    def _whole(self, turn: Turn) -> Segment:
        return Segment(turn, self.doc(turn), 0, len(turn.text))

    def _own_words(self, turn: Turn) -> list[Segment]:
        """The agent's message without the company boilerplate below an email's sign-off (a legal
        disclaimer is nobody's tone or spelling): one segment, or the pieces around it."""
        return [Segment(turn, self.doc(turn), a, b) for a, b in self.analysed.own_ranges(turn)]

    def email_parts(self, turn: Turn) -> EmailParts:
        cache = self.__dict__.setdefault("_email_parts", {})
        if turn.index not in cache:
            cache[turn.index] = split_email(turn.text)
        return cache[turn.index]

    # -- findings in source offsets ----------------------------------------------------------

    def to_source(self, turn: Turn, start: int, end: int) -> tuple[int, int]:
        return turn.to_source(start), turn.to_source(end)

    def find(self, phrase_set: Any, segments: Iterable[Segment], negation: bool = False) -> list[tuple[Segment, int, int]]:
        """Matches of ``phrase_set`` inside the segments, as (segment, start, end) in turn text."""
        out = []
        cache = self.__dict__.setdefault("_found", {})
        for seg in segments:
            if seg.end <= seg.start:
                continue
            # rules look at the same message with the same phrases more than once (a reply window,
            # then the rest of the conversation): match each message once
            key = (id(phrase_set), seg.turn.index, negation)
            if key not in cache:
                spans = phrase_set.find(seg.doc, negation=negation,
                                        text=self._doc_text(seg) if getattr(phrase_set, "needs_text", True) else None)
                if getattr(phrase_set, "acts", None):
                    act_spans = self._act_spans(seg.turn.index, phrase_set.acts, getattr(phrase_set, "act_items", frozenset()),
                                                getattr(phrase_set, "act_needs", frozenset()))
                    if negation:  # "I can't verify you, but…": the act's sentence is negated at its root
                        act_spans = [sp for sp in act_spans if not _root_negated(seg.doc, sp)]
                    spans = _merge(spans, act_spans)
                if spans and getattr(phrase_set, "exception_acts", None):
                    blocked = [a.local for a in self.acts if a.turn == seg.turn.index and a.name in phrase_set.exception_acts]
                    spans = [sp for sp in spans if not any(_sentence_overlaps(seg.doc, sp, b) for b in blocked)]
                cache[key] = spans
            for start, end in cache[key]:
                if seg.contains(start, end):
                    out.append((seg, start, end))
        return out

    def _doc_text(self, seg: Segment) -> str:
        """``seg.doc.text``, built once per message (``Doc.text`` joins every token each time)."""
        texts = self.__dict__.setdefault("_doc_texts", {})
        if seg.turn.index not in texts:
            texts[seg.turn.index] = seg.doc.text
        return texts[seg.turn.index]

    def _act_spans(self, turn: int, names: frozenset[str], items: frozenset[str] = frozenset(),
                   needs: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
        """Where the acts ``names`` are in a turn; an act that names items (what an identity
        request asks for) only when one of them is in ``items`` (when given); only acts whose
        sentence has every structure in ``needs``."""
        spans = []
        where = self.__dict__.setdefault("_act_at", {})
        for act in self.acts:
            if act.turn == turn and act.name in names and not (items and act.items and not items & set(act.items)) \
                    and needs <= set(act.features):
                found = where.setdefault((turn, act.local), [])
                if act not in found:
                    found.append(act)
                spans.append(act.local)
        return spans

    def explain(self, turn: int | None, start: int, end: int, names: Iterable[str] = ()) -> tuple[Act | None, str]:
        """The act behind a match in a turn's text (offsets in the turn), and how it was recognised.
        One sentence can carry several acts that rules looked for ("I've booked the call for
        tomorrow" is an account action and an escalation): ``names``, the acts the asking rule
        names, choose among them."""
        acts = self.__dict__.get("_act_at", {}).get((turn, (start, end)))
        if not acts:
            return None, "phrase or regular expression in the rule"
        wanted = set(names)
        act = next((a for a in acts if a.name in wanted), acts[0])
        return act, f"{act.source}: {act.evidence}"

    def customer_said_any(self, names: Iterable[str], confidence: float = 0.0) -> bool:
        """Did the customer say one of these acts anywhere, at least this sure? True as well when it cannot be known: no
        customer message in the transcript (an agent's email alone), or acts recognised without the
        sentence model and its classifier (the customer-side acts are learnt, not patterns, and the
        confidence is the classifier's probability)."""
        if not self.customer_turns or not self.sentence_model:
            return True
        wanted = set(names)
        customer = {t.index for t in self.customer_turns}
        return any(a.name in wanted and a.turn in customer and a.confidence >= confidence for a in self.acts)

    # -- who the customer is -------------------------------------------------------------------

    @cached_property
    def customer_names(self) -> tuple[str, ...]:
        """Names by which the agent could address the customer, when the transcript shows them."""
        from .rules.names import customer_names

        return customer_names(self.conversation)

    @cached_property
    def agent_name(self) -> str | None:
        """The learner's own first name, when the transcript shows one (not "Agent" or "Rep")."""
        from .rules.names import agent_name

        return agent_name(self.conversation)

    def customer_problem(self, turn: int | None) -> str:
        """What the customer said the problem was, in their words, to name back to them: the
        sentence of the last customer message up to ``turn`` that states a problem (the
        ``problem_statement`` act; failing that, a ``feeling``), shortened; with no such act, the
        longest sentence of that message. Never a message of bare details ("12/09/1994, NE6 2HW",
        a PIN): security answers are not a problem to quote back."""
        from .rules.names import problem_sentence

        told = [t for t in self.customer_turns if not _only_details(t.text)]
        # a finding on the learner's first message, before the customer spoke, names the problem
        # the customer went on to describe
        before = [t for t in told if turn is None or t.index <= turn] or told
        if not before:
            return ""
        indices = {t.index for t in before}
        for name in ("problem_statement", "feeling"):
            stated = [a for a in self.acts if a.name == name and a.turn in indices]
            if stated:
                last = max(stated, key=lambda a: (a.turn, -a.local[0]))
                sentence = self.turns[last.turn].text[last.local[0]:last.local[1]]
                if not _only_details(sentence):
                    return problem_sentence(sentence)
        return problem_sentence(before[-1].text)


def _only_details(text: str) -> bool:
    """A message or sentence of details only: numbers, dates, codes, postcodes, an address or a
    name list, with no sentence in it (no run of four or more ordinary words)."""
    words = [w for w in re.findall(r"[A-Za-z]+(?:'[a-z]+)?", text) if w.islower() or w[1:].islower()]
    return len(words) < 3 or not re.search(r"(?:\b[A-Za-z]+(?:'[a-z]+)?\b[\s,]+){3}\b[A-Za-z]+", text)


def _root_negated(doc: Any, span: tuple[int, int]) -> bool:
    piece = doc.char_span(span[0], span[1], alignment_mode="expand")
    if piece is None or not len(piece):
        return False
    return any(child.dep_ == "neg" for child in piece.root.children)


def _sentence_overlaps(doc: Any, span: tuple[int, int], other: tuple[int, int]) -> bool:
    """Does ``other`` overlap the sentence that holds ``span`` ("Hello [Customer Name]")?"""
    a, b = span
    piece = doc.char_span(a, b, alignment_mode="expand")
    if piece is not None:
        try:
            a, b = piece.sent.start_char, piece.sent.end_char
        except ValueError:  # no sentence boundaries
            pass
    return a < other[1] and other[0] < b


def _merge(spans: list[tuple[int, int]], extra: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans, the earliest (then the longest) first."""
    chosen: list[tuple[int, int]] = []
    for sp in sorted(set(spans) | set(extra), key=lambda x: (x[0], -(x[1] - x[0]))):
        if all(sp[1] <= c[0] or sp[0] >= c[1] for c in chosen):
            chosen.append(sp)
    return sorted(chosen)


# The one registry of scopes: what the loader accepts (``checker.rules.base.SCOPES``) is exactly
# what can be resolved here. A new scope is a new entry.
SCOPES: dict[str, Callable[[Context], list[Segment]]] = {
    "agent_turns": lambda ctx: [s for t in ctx.agent_turns for s in ctx._own_words(t)],
    "first_agent_turn": lambda ctx: ctx._own_words(ctx.agent_turns[0]) if ctx.agent_turns else [],
    "last_agent_turn": lambda ctx: ctx._own_words(ctx.agent_turns[-1]) if ctx.agent_turns else [],
    "customer_turns": lambda ctx: [ctx._whole(t) for t in ctx.customer_turns],
    "all_turns": lambda ctx: [ctx._whole(t) for t in ctx.turns if t.role != "system"],
    "email_salutation": lambda ctx: ctx._email_part("salutation"),
    "email_body": lambda ctx: ctx._email_part("body"),
    "email_signoff": lambda ctx: ctx._email_part("signoff"),
}


def split_email(text: str) -> EmailParts:
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    content = [i for i, line in enumerate(lines) if line.strip()]
    # header lines a learner's reply starts with ("Subject: RE: …") come before the salutation
    while len(content) > 1 and EMAIL_HEADER.match(lines[content[0]]):
        content = content[1:]
    if not content:
        return EmailParts((0, 0), (0, 0), (0, 0), False, 0)
    first = content[0]
    salutation = (0, 0)
    body_start_line = first
    if SALUTATION_LINE.match(lines[first]) and len(lines[first].split()) <= 8:
        salutation = (offsets[first] + len(lines[first]) - len(lines[first].lstrip()), offsets[first] + len(lines[first].rstrip()))
        body_start_line = first + 1
    signoff = (len(text), len(text))
    signoff_line = None
    for i in reversed(content):
        if i <= body_start_line - 1:
            break
        if SIGN_OFF_LINE.match(lines[i]):
            signoff_line = i
            break
    if signoff_line is None:
        tail = [i for i in content[-8:] if i > body_start_line]
        for i, nxt in zip(tail, tail[1:]):
            if _SIGN_OFF_SHAPE.match(lines[i]) and SIGNATURE_NAME.match(lines[nxt]) and not SALUTATION_LINE.match(lines[i]):
                signoff_line = i
                break
    has_name = False
    body_end = len(text)
    if signoff_line is not None:
        signoff = (offsets[signoff_line] + len(lines[signoff_line]) - len(lines[signoff_line].lstrip()), len(text))
        body_end = offsets[signoff_line]
        after = [lines[i].strip() for i in content if i > signoff_line]
        # the line after the sign-off names a person ("Sam Patel"), not a department
        has_name = bool(after) and bool(re.match(r"^[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}\s*$", after[0])) \
            and not _TEAM.search(after[0])
        if not after:
            # "Kind regards, Sam" on one line
            has_name = bool(re.search(r",\s*[A-Z][a-z]+", lines[signoff_line]))
    else:
        # "Kind regards, Sam" on one line, at the end or above a few short signature lines
        # ("Regards, Jordan" / "Customer Support")
        for last in reversed([i for i in content[-4:] if i > body_start_line - 1]):
            if SIGN_OFF_WITH_NAME.match(lines[last]):
                signoff = (offsets[last], len(text))
                body_end = offsets[last]
                has_name = True
                break
            if len(lines[last].split()) > 6 or re.search(r"[.?!]\s*$", lines[last]):
                break  # a sentence: the letter's words, not its signature
    body_start = offsets[body_start_line] if body_start_line < len(lines) else len(text)
    body_start = min(body_start, body_end)
    body_text = text[body_start:body_end]
    paragraphs = len([p for p in re.split(r"\n\s*\n", body_text) if p.strip()])
    return EmailParts(salutation, (body_start, body_end), signoff, has_name, paragraphs)


def evaluate(analysed: AnalysedConversation | ActedConversation, ruleset: Any, include_drafts: bool = False) -> list[Finding]:
    """Every finding of every rule that applies to this conversation's channel. Rules that name
    dialogue acts see them when given an ``ActedConversation`` (the acts stage's output)."""
    ctx = Context(analysed, ruleset)
    findings: list[Finding] = []
    for rule in ruleset.rules:
        if rule.state == "retired" or (rule.state == "draft" and not include_drafts):
            continue
        if not rule.applies_to(ctx.channel, ctx.conversation.format):
            continue
        findings.extend(rule.evaluate(ctx))
        check_time("applying the rules")
    return deduplicate(findings)


def deduplicate(findings: list[Finding]) -> list[Finding]:
    """One slip, one finding: when two rules of a criterion flag overlapping text (the
    proofreader and a substitution rule both catching "could of"), keep the more severe."""
    severity = {"not_met": 0, "partly": 1}
    problems = sorted((f for f in findings if not f.positive and f.status in severity and f.start is not None and f.end > f.start),
                      key=lambda f: (severity[f.status], f.start))
    kept: list[Finding] = []
    dropped: set[int] = set()
    for f in problems:
        if any(k.criterion == f.criterion and f.start < k.end and k.start < f.end for k in kept):
            dropped.add(id(f))
        else:
            kept.append(f)
    return [f for f in findings if id(f) not in dropped]
