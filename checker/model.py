"""Plain dataclasses passed between the pipeline stages.

parse → Conversation → analyse → AnalysedConversation → evaluate → findings → report → Report

Every offset (``start``/``end``) is a character index into ``Conversation.source``: the text the
parser read, with line endings normalised to ``\\n``. For pasted text that is the pasted text
itself, so evidence can be highlighted exactly where the learner wrote it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ("agent", "customer", "system")
CHANNELS = ("chat", "email")
STATUSES = ("met", "partly", "not_met", "not_applicable", "not_assessable")
LEVELS = ("suggestion", "warning", "error")
# the format families the readers name (a report's "read as"; a rule's ``skip_formats``)
FORMAT_FAMILIES = ("line chat", "block chat", "social thread", "forum thread", "review and reply", "email thread",
                   "email thread (oldest first)", "ticket print", "coursework", "JSON", "CSV table", "TSV table")


@dataclass(frozen=True)
class Turn:
    """One message. ``text`` is what the speaker wrote, without the speaker label or quoting.

    ``text`` maps back to ``Conversation.source``: character ``i`` of ``text`` is at
    ``source_offsets[i]`` when the text was de-quoted, else at ``start + i``.
    """

    index: int
    role: str
    speaker: str
    text: str
    start: int
    end: int
    time: str | None = None
    seconds: float | None = None  # time as seconds, for gaps between messages
    subject: str | None = None  # email only
    source_offsets: tuple[int, ...] | None = field(default=None, repr=False, compare=False)

    def to_source(self, i: int) -> int:
        """Offset in ``Conversation.source`` of character ``i`` of ``text`` (``i == len(text)`` allowed)."""
        if self.source_offsets is None:
            return self.start + i
        if i >= len(self.text):
            return self.end
        return self.source_offsets[i]

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "role": self.role,
            "speaker": self.speaker,
            "text": self.text,
            "time": self.time,
            "start": self.start,
            "end": self.end,
            **({"subject": self.subject} if self.subject is not None else {}),
        }


@dataclass(frozen=True)
class UnreadLines:
    """A run of lines the parser did not read as messages (nor as a header or system line),
    so a misreading is visible: offsets into ``Conversation.source``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Conversation:
    channel: str
    turns: tuple[Turn, ...]
    source: str
    id: str = ""
    agent: str | None = None  # the speaker judged as the learner
    speakers: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    notes: str | None = None  # agent/CRM notes written after the conversation, if included
    notes_start: int | None = None
    unread_lines: tuple[UnreadLines, ...] = ()
    format: str = ""  # the format family the text was read as ("line chat", "email thread", …)

    @property
    def agent_turns(self) -> tuple[Turn, ...]:
        return tuple(t for t in self.turns if t.role == "agent")

    @property
    def learner_turns(self) -> tuple[Turn, ...]:
        """The learner's own messages: every agent message when the learner is not known, else not
        a colleague's (one who spoke before a transfer)."""
        return tuple(t for t in self.agent_turns if self.agent is None or t.speaker == self.agent)

    @property
    def customer_turns(self) -> tuple[Turn, ...]:
        return tuple(t for t in self.turns if t.role == "customer")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "channel": self.channel,
            "agent": self.agent,
            "speakers": list(self.speakers),
            "warnings": list(self.warnings),
            "turns": [t.to_dict() for t in self.turns],
            "unread_lines": [u.to_dict() for u in self.unread_lines],
            "notes": self.notes,
        }


@dataclass(frozen=True)
class ProofIssue:
    """A proofreading problem in an agent turn, with offsets into ``Conversation.source``."""

    turn: int
    start: int
    end: int
    text: str
    message: str
    category: str  # spelling | grammar | style | punctuation | typography | other
    rule: str
    suggestions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "category": self.category,
            "rule": self.rule,
            "suggestions": list(self.suggestions),
        }


@dataclass(frozen=True)
class Proofreading:
    backend: str
    issues: tuple[ProofIssue, ...]
    notes: tuple[str, ...] = ()  # e.g. "LanguageTool unreachable; used harper"

    def to_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "notes": list(self.notes),
            "issues": [i.to_dict() for i in self.issues],
        }


@dataclass(frozen=True)
class Sentence:
    """An agent sentence as spaCy split it, for readability evidence."""

    turn: int
    start: int
    end: int
    words: int


@dataclass(frozen=True)
class Readability:
    """Figures on the whole agent text (never on single chat lines: they are too short)."""

    words: int
    sentences: int
    avg_sentence_words: float
    longest_sentence_words: int
    long_sentences: int  # over 25 words
    flesch_reading_ease: float | None
    flesch_kincaid_grade: float | None
    longest_message_words: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "words": self.words,
            "sentences": self.sentences,
            "avg_sentence_words": round(self.avg_sentence_words, 1),
            "longest_sentence_words": self.longest_sentence_words,
            "long_sentences": self.long_sentences,
            "flesch_reading_ease": None if self.flesch_reading_ease is None else round(self.flesch_reading_ease, 1),
            "flesch_kincaid_grade": None if self.flesch_kincaid_grade is None else round(self.flesch_kincaid_grade, 1),
            "longest_message_words": self.longest_message_words,
        }


def own_ranges(boilerplate: tuple[tuple[int, int, int], ...], turn: Turn) -> list[tuple[int, int]]:
    """(start, end) of the parts of ``turn.text`` outside its boilerplate ranges (see
    ``AnalysedConversation.boilerplate``); the whole text when it has none."""
    cut = sorted((s, e) for t, s, e in boilerplate if t == turn.index)
    pieces, last = [], 0
    for s, e in cut:
        if s > last:
            pieces.append((last, s))
        last = max(last, e)
    if last < len(turn.text) or not cut:
        pieces.append((last, len(turn.text)))
    return pieces


@dataclass(frozen=True)
class AnalysedConversation:
    """The conversation plus everything NLP found in it. ``docs[i]`` is the spaCy Doc of turn i
    (named entities on the agent's turns only: nothing reads them elsewhere; see ``analyse``)."""

    conversation: Conversation
    docs: tuple[Any, ...]
    proofreading: Proofreading
    readability: Readability
    sentences: tuple[Sentence, ...]
    model: str
    # company boilerplate in the agent's emails, not the learner's writing: (turn, start, end) in
    # the turn's text of each long paragraph below the sign-off (a legal disclaimer, a
    # confidentiality notice); proofreading, readability and the agent's scopes leave it out
    boilerplate: tuple[tuple[int, int, int], ...] = ()

    def own_ranges(self, turn: Turn) -> list[tuple[int, int]]:
        """The parts of ``turn.text`` that are the writer's own: all of it but its boilerplate."""
        return own_ranges(self.boilerplate, turn)

    def to_dict(self) -> dict[str, Any]:
        data = self.conversation.to_dict()
        data["model"] = self.model
        data["proofreading"] = self.proofreading.to_dict()
        data["readability"] = self.readability.to_dict()
        return data


@dataclass(frozen=True)
class Finding:
    """One result from one rule. Plain offsets, never spaCy objects.

    ``positive`` findings are evidence that something was done well (a greeting found);
    the others are problems to fix.
    """

    rule_id: str
    criterion: str
    level: str
    message: str
    turn: int | None = None
    start: int | None = None
    end: int | None = None
    quote: str = ""
    suggestion: str = ""
    why: str = ""
    source: str = ""
    positive: bool = False
    status: str | None = None  # the status this finding argues for its criterion
    act: str | None = None  # the dialogue act behind the finding, when one is
    recogniser: str = ""  # how the text was recognised: "meaning: reads like '…'", "pattern", "regex", …

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "criterion": self.criterion,
            "level": self.level,
            "positive": self.positive,
            "turn": self.turn,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "message": self.message,
            "why": self.why,
            "suggestion": self.suggestion,
            "source": self.source,
            "act": self.act,
            "recogniser": self.recogniser,
        }


# the structures an act's sentence may have that depend on it alone (the act files' ``needs``
# without new_data/old_data, which look back at the conversation): recorded on every Act
ACT_FEATURES = ("verb", "when_or_reference", "identifier", "personal_data", "beyond_thanks")


@dataclass(frozen=True)
class Act:
    """A dialogue act on one sentence (or a pattern's tokens) of one turn.

    ``start``/``end`` index ``Conversation.source``; ``local`` is the same span in ``turn.text``.
    ``source`` says which recogniser fired: ``meaning`` (the sentence encoder's classifier),
    ``example`` (close to an act example, e.g. one a centre added) or ``pattern`` (spaCy token
    patterns); ``evidence`` explains it ("reads like the example '…' (0.82)").
    """

    name: str
    turn: int
    start: int
    end: int
    confidence: float
    source: str
    evidence: str
    local: tuple[int, int] = (0, 0)
    # what the act names, where that matters: the identifiers an identity_request asks for
    # ("postcode", "date of birth"), the item a sensitive_request asks for ("PIN")
    items: tuple[str, ...] = ()
    # what the act's sentence has, of the structures an act file's ``needs`` names: ``verb``,
    # ``when_or_reference``, ``identifier``. A rule can ask for more than the act does ("an
    # expectation with a time or reference in it")
    features: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "turn": self.turn, "start": self.start, "end": self.end,
                "confidence": round(self.confidence, 3), "source": self.source, "evidence": self.evidence,
                "items": list(self.items), "features": list(self.features)}


@dataclass(frozen=True)
class ActedConversation:
    """The analysed conversation plus the dialogue acts found on it (the ``acts`` stage's output).

    ``recognisers`` names what ran (the sentence model, or patterns only and why)."""

    analysed: AnalysedConversation
    acts: tuple[Act, ...]
    recognisers: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def conversation(self) -> Conversation:
        return self.analysed.conversation

    def in_turn(self, turn: int, names: Any = None) -> list[Act]:
        return [a for a in self.acts if a.turn == turn and (names is None or a.name in names)]

    def to_dict(self) -> dict[str, Any]:
        data = self.analysed.to_dict()
        data["acts"] = [a.to_dict() for a in self.acts]
        data["act_recognisers"] = dict(self.recognisers)
        return data


@dataclass(frozen=True)
class Evidence:
    turn: int | None
    start: int | None
    end: int | None
    quote: str
    positive: bool

    def to_dict(self) -> dict[str, Any]:
        return {"turn": self.turn, "start": self.start, "end": self.end, "quote": self.quote, "positive": self.positive}


@dataclass(frozen=True)
class CriterionResult:
    id: str
    title: str
    status: str
    score: float | None  # 0..1; None when not applicable / not assessable
    weight: float
    critical: bool
    evidence: tuple[Evidence, ...]
    message: str
    why: str
    suggestion: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "score": None if self.score is None else round(self.score, 3),
            "weight": self.weight,
            "critical": self.critical,
            "evidence": [e.to_dict() for e in self.evidence],
            "message": self.message,
            "why": self.why,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Priority:
    """One thing to fix, in the order to fix them: a criterion that needs work, led by its most
    telling finding. ``findings`` are indices into ``Report.findings`` (the lead first)."""

    rank: int
    criterion: str
    title: str
    status: str
    critical: bool
    level: str
    message: str
    suggestion: str
    why: str
    rule: str | None = None
    turn: int | None = None
    start: int | None = None
    end: int | None = None
    quote: str = ""
    findings: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "criterion": self.criterion,
            "title": self.title,
            "status": self.status,
            "critical": self.critical,
            "level": self.level,
            "rule": self.rule,
            "turn": self.turn,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "message": self.message,
            "suggestion": self.suggestion,
            "why": self.why,
            "findings": list(self.findings),
        }


@dataclass(frozen=True)
class Report:
    analysed: AnalysedConversation
    rules_name: str
    rules_version: str
    criteria: tuple[CriterionResult, ...]
    findings: tuple[Finding, ...]
    score: float
    decision: str  # competent | not_yet_competent
    critical_failures: tuple[str, ...]
    went_well: tuple[str, ...]
    even_better_if: tuple[str, ...]
    acts: tuple[Act, ...] = ()
    act_recognisers: dict[str, Any] = field(default_factory=dict, compare=False)
    priorities: tuple[Priority, ...] = ()

    @property
    def conversation(self) -> Conversation:
        return self.analysed.conversation

    def criterion(self, criterion_id: str) -> CriterionResult:
        for result in self.criteria:
            if result.id == criterion_id:
                return result
        raise KeyError(criterion_id)

    def to_dict(self) -> dict[str, Any]:
        data = self.analysed.to_dict()
        data.update(
            {
                "rules": {"name": self.rules_name, "version": self.rules_version},
                "score": round(self.score, 1),
                "decision": self.decision,
                "critical_failures": list(self.critical_failures),
                "criteria": [c.to_dict() for c in self.criteria],
                "findings": [f.to_dict() for f in self.findings],
                "priorities": [p.to_dict() for p in self.priorities],
                "feedback": {"went_well": list(self.went_well), "even_better_if": list(self.even_better_if)},
                "acts": [a.to_dict() for a in self.acts],
                "act_recognisers": dict(self.act_recognisers),
            }
        )
        return data
