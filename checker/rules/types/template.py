"""``template``: pre-written responses must be personalised.

An unfilled placeholder (``[Customer Name]``, ``{name}``, ``<ORDER NUMBER>``, ``XXX``) left in
an agent turn → ``status`` (not met). A centre's canned response pasted word for word (only for
canned responses without placeholders: filling those in is personalising) → ``verbatim_status``.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import STATUSES, Finding
from ..base import Rule, register, spec, str_list
from ..matching import compile_regex, run_regex

DEFAULT_PLACEHOLDERS = (
    r"\[\s*(?:insert\s+)?[A-Za-z][A-Za-z _/'’-]{1,40}\]",
    r"\{\{?\s*[A-Za-z_][A-Za-z0-9_ ]{0,30}\}\}?",
    r"<\s*[A-Z][A-Z _/-]{1,40}\s*>",
    r"(?<![A-Za-z])X{3,}(?![A-Za-z])",
)
_WORD = re.compile(r"[a-z0-9']+")


def _normalise(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


@register("template")
@dataclass(frozen=True)
class TemplateRule(Rule):
    default_status = "not_met"

    placeholders: tuple[str, ...] = str_list("regular expressions for unfilled placeholders", default=DEFAULT_PLACEHOLDERS)
    check_canned: bool = field(default=True, metadata=spec(bool, "compare agent turns with the centre's canned responses"))
    similarity: float = field(default=0.9, metadata=spec(float, "how close to a canned response counts as word for word (0-1)"))
    min_words: int = field(default=8, metadata=spec(int, "ignore canned responses shorter than this"))
    verbatim_status: str = field(default="partly", metadata=spec(str, "status of a canned response pasted word for word", STATUSES))
    verbatim_message: str = field(default="", metadata=spec(str, "message for a canned response pasted word for word"))
    verbatim_suggestion: str = field(default="", metadata=spec(str, "suggestion for a canned response pasted word for word"))

    def compile(self, nlp: Any) -> None:
        object.__setattr__(self, "_placeholders", [compile_regex(p) for p in self.placeholders])

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        for seg in ctx.segments(self.scope):
            for pattern in self._placeholders:
                for m in run_regex(pattern, seg.text):
                    s, e = ctx.to_source(seg.turn, seg.start + m.start(), seg.start + m.end())
                    yield self.problem(ctx, seg.turn.index, s, e)
        if not (self.check_canned and ctx.ruleset is not None):
            return
        canned = [c for c in getattr(ctx.ruleset, "canned_responses", ())
                  if not any(run_regex(p, c.text) for p in self._placeholders)]
        for seg in ctx.segments(self.scope):
            words = _normalise(seg.text)
            for response in canned:
                target = _normalise(response.text)
                if len(target) < self.min_words:
                    continue
                located = _locate(words, target, self.similarity)
                if located is None:
                    continue
                # the pasted text plus little else: nothing of the customer's own situation was added
                if len(words) - len(target) > max(6, len(target) // 2):
                    continue
                yield self.problem(
                    ctx, seg.turn.index, seg.turn.start, seg.turn.end, status=self.verbatim_status,
                    message=(self.verbatim_message or "This is the pre-written response '{id}' word for word.").replace("{id}", response.id),
                    suggestion=self.verbatim_suggestion or None,
                )
                break


def _locate(words: list[str], target: list[str], threshold: float) -> int | None:
    if len(words) < len(target) * threshold:
        return None
    matcher = difflib.SequenceMatcher(None, words, target, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return 0 if matched / len(target) >= threshold else None
