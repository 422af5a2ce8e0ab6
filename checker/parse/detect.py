"""The detector: every reader proposes a reading, the best structural fit wins.

Fit is the share of non-blank lines a reading accounts for (as message text, or as a label,
header, separator or system line), less penalties for an implausible set of speakers (a chat
with one side only, a crowd of one-off "speakers") and for a reading that found no structure of
its own, plus a small prior that only breaks near-ties. A reading is never chosen because its
pattern matched first.
"""
from __future__ import annotations

from dataclasses import dataclass

from .common import Line, speaker_key
from .reading import Reading, message_lines
from . import block_chat, coursework, email_thread, line_chat, review, social_thread, ticket

READERS = (line_chat.read, block_chat.read, ticket.read, coursework.read, email_thread.read, social_thread.read,
           review.read)


@dataclass(frozen=True)
class Scored:
    reading: Reading
    fit: float
    coverage: float
    speakers: int


def score(reading: Reading, lines: list[Line], channel: str = "auto") -> Scored:
    stop = reading.notes_from if reading.notes_from is not None else len(lines)
    nonblank = {i for i, ln in enumerate(lines[:stop]) if ln.text.strip()}
    used = (message_lines(reading, lines) | set(reading.meta)) & nonblank
    coverage = len(used) / len(nonblank) if nonblank else 0.0
    counts: dict[str, int] = {}
    for m in reading.messages:
        if not m.system:
            counts[speaker_key(m.speaker or m.address)] = counts.get(speaker_key(m.speaker or m.address), 0) + 1
    speakers = len(counts)
    fit = coverage + reading.prior
    if reading.weak:
        fit -= 0.3
    if reading.channel == "chat" and speakers < 2:
        fit -= 0.2
    once = sum(1 for n in counts.values() if n == 1)
    if speakers > 3 and once > 2:
        fit -= 0.05 * (once - 2)  # many names heard once: labels found in the text, not speakers
    if channel != "auto" and reading.channel == channel:
        fit += 0.05
    return Scored(reading, fit, coverage, speakers)


def detect(text: str, lines: list[Line], channel: str = "auto") -> list[Scored]:
    """Every reading of the text, best first."""
    scored = []
    for reader in READERS:
        reading = reader(text, lines)
        if reading is not None and reading.messages:
            scored.append(score(reading, lines, channel))
    scored.sort(key=lambda s: -s.fit)
    return scored
