"""``metric``: compare a number with limits: sentence length, message length, reading ease.

Per-item measures (``sentence_words``, ``message_words``) give a finding for each sentence or
message beyond the limit; whole-text measures (``avg_sentence_words``, ``long_sentences``,
``flesch_reading_ease``) give one finding for the agent's writing as a whole.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import Finding
from ..base import Rule, register, spec

MEASURES = ("sentence_words", "message_words", "avg_sentence_words", "long_sentences",
            "flesch_reading_ease", "flesch_kincaid_grade", "longest_sentence_words")


@register("metric")
@dataclass(frozen=True)
class MetricRule(Rule):
    measure: str = field(default="", metadata=spec(str, "what is measured", MEASURES, required=True))
    max: float | None = field(default=None, metadata=spec(float, "a finding when the number is above this"))
    min: float | None = field(default=None, metadata=spec(float, "a finding when the number is below this"))
    min_words: int = field(default=0, metadata=spec(int, "judge whole-text measures only on at least this many agent words"))
    max_findings: int = field(default=5, metadata=spec(int, "report at most this many items"))

    def _beyond(self, value: float) -> bool:
        return (self.max is not None and value > self.max) or (self.min is not None and value < self.min)

    def _message(self, value: float) -> str:
        number = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
        return self.message.replace("{value}", number)

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        analysed = ctx.analysed
        if self.measure == "sentence_words":
            count = 0
            for sent in analysed.sentences:
                if self._beyond(sent.words):
                    yield self.problem(ctx, sent.turn, sent.start, sent.end, message=self._message(sent.words))
                    count += 1
                    if count >= self.max_findings:
                        return
            return
        if self.measure == "message_words":
            count = 0
            for turn in ctx.agent_turns:
                words = sum(1 for tok in ctx.doc(turn) if not (tok.is_punct or tok.is_space))
                if self._beyond(words):
                    yield self.problem(ctx, turn.index, turn.start, turn.end, message=self._message(words))
                    count += 1
                    if count >= self.max_findings:
                        return
            return
        readability = analysed.readability
        if readability.words < max(self.min_words, 1):
            return
        value = getattr(readability, self.measure)
        if value is not None and self._beyond(value):
            longest = max(analysed.sentences, key=lambda s: s.words, default=None)
            if longest is None:
                yield self.problem(ctx, None, None, None, message=self._message(value))
            else:
                yield self.problem(ctx, longest.turn, longest.start, longest.end, message=self._message(value))
