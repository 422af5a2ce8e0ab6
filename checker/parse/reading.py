"""What a reader proposes: the messages it found and which lines it accounted for.

Every reader (one module per format family) turns the pasted text into a ``Reading``; the detector
(``detect.py``) scores each reading by structural fit and keeps the best; ``build.py`` then decides
who the learner is and makes the ``Conversation``.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from .common import Line


@dataclass(frozen=True)
class Message:
    """One candidate message. ``lines`` are its content lines, each contiguous in the source."""

    speaker: str
    lines: tuple[Line, ...]
    time: str | None = None
    hint: str | None = None  # "(Agent)", "(Reception)": a role or team written beside the name
    role: str | None = None  # set when the format itself says (JSON role, a ticket's "(Agent)")
    system: bool = False
    subject: str | None = None
    address: str = ""  # email address of an email's sender
    line_number: int = 0  # 1-based line of the message's label, for messages about it
    # a page's or forum's opening post with comments under it: the agent's own post is what the
    # comments answer (read as the thread's system line), a customer's is their first message
    opening_post: bool = False


@dataclass(frozen=True)
class Reading:
    """A reader's proposal. ``meta`` holds the line numbers (0-based) of labels, headers,
    separators and system lines: read, but not message text."""

    family: str
    channel: str
    messages: tuple[Message, ...]
    meta: frozenset[int] = frozenset()
    notes: str | None = None
    notes_start: int | None = None
    notes_from: int | None = None  # first line of the notes block
    warnings: tuple[str, ...] = ()
    prior: float = 0.0  # a small preference between readings that fit equally well
    weak: bool = False  # the reading found no structure of its own (one unlabelled message)
    evidence: dict = field(default_factory=dict, compare=False)


def line_index(lines: list[Line]):
    """A function from a source offset to the index of the line holding it."""
    starts = [ln.start for ln in lines]

    def index(offset: int) -> int:
        return max(0, bisect_right(starts, offset) - 1)

    return index


def message_lines(reading: Reading, lines: list[Line]) -> set[int]:
    """Indices of the source lines that hold message text in this reading."""
    index = line_index(lines)
    used: set[int] = set()
    for msg in reading.messages:
        for ln in msg.lines:
            if ln.text.strip():
                used.add(index(ln.start))
    return used
