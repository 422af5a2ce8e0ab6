"""``pattern``: spaCy token patterns (lemma, part of speech, dependency), checked when loaded."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ...errors import RuleError
from ...model import Finding
from ..base import Rule, register, spec
from ..matching import is_negated


@register("pattern")
@dataclass(frozen=True)
class PatternRule(Rule):
    patterns: tuple = field(default=(), metadata=spec("token_patterns", "a list of spaCy Matcher patterns", required=True))
    negation: bool = field(default=False, metadata=spec(bool, "ignore negated matches"))
    max_findings: int = field(default=5, metadata=spec(int, "report at most this many matches"))

    def compile(self, nlp: Any) -> None:
        from spacy.matcher import Matcher

        matcher = Matcher(nlp.vocab, validate=True)
        try:
            matcher.add(self.id, [list(p) for p in self.patterns])
        except Exception as exc:  # spaCy raises ValueError / MatchPatternError with a useful text
            raise RuleError(f"bad token pattern: {str(exc).strip().splitlines()[0]}", source=self.path or self.id) from None
        object.__setattr__(self, "_matcher", matcher)

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        count = 0
        for seg in ctx.segments(self.scope):
            doc = seg.doc
            spans = [doc[s:e] for _, s, e in self._matcher(doc)]
            for span in sorted(spans, key=lambda sp: sp.start_char):
                start, end = span.start_char, span.end_char
                if not seg.contains(start, end) or (self.negation and is_negated(doc, start, end)):
                    continue
                yield self.problem(ctx, seg.turn.index, *ctx.to_source(seg.turn, start, end))
                count += 1
                if count >= self.max_findings:
                    return
