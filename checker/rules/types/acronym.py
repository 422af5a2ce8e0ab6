"""``acronym``: an unexplained abbreviation in capitals that a customer may not know ("your EAC has
gone up", "your FNOL has been registered").

Found by its shape, not a list: a word of three to five capital letters that the British
dictionary does not know (so "NHS", "VAT" and "PDF" pass), that the rule set does not accept (its
brand words and this rule's ``exceptions``), and that the customer has not used first. It counts as
explained when the conversation has already spelt it out: in brackets ("Penalty Charge Notice
(PCN)", "PCN (the penalty notice)") or as capitalised words whose initials make it ("Student
Finance England … SFE"). A reference ("DPS-4471"), initials signing a post off ("^RM", "- JT") and a run of words in
capitals (an address line, or shouting) are not abbreviations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import Finding
from ..base import Rule, register, spec, str_list

ACRONYM = re.compile(r"(?<![\w@./#^-])(?-i:[A-Z]{3,5})(?![\w@/#-]|\.\w)")
# an abbreviation is explained near where it is used: the explanation is looked for in the last
# this many characters before it (which also bounds the work on a pasted wall of capitals)
EXPLAINED_WITHIN = 6000
_SIGNED = re.compile(r"(?:\^|[-–—]\s?|/)\s*$")  # "^RM", "- JT": the initials of whoever wrote the post


@register("acronym")
@dataclass(frozen=True)
class AcronymRule(Rule):
    exceptions: tuple[str, ...] = str_list("abbreviations never flagged: ones customers know that the dictionary lacks, "
                                           "and ones another rule already flags (the jargon list)")
    max_findings: int = field(default=3, metadata=spec(int, "report at most this many abbreviations"))

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        from ...proofing.layers import LAYERS

        words = LAYERS.words()
        accepted = {w.lower() for w in getattr(ctx.ruleset, "accepted_words", ()) or ()}
        never = {e.lower() for e in self.exceptions} | accepted
        history = ""  # the last EXPLAINED_WITHIN characters said before the turn
        customer_words: set[str] = set()
        found = 0
        seen: set[str] = set()
        segments = ctx.segments(self.scope)
        for turn in ctx.turns:
            if turn.role == "agent":
                for seg in (s for s in segments if s.turn.index == turn.index):
                    text = turn.text
                    for m in ACRONYM.finditer(text, seg.start, seg.end):
                        word = m.group(0)
                        if (word.lower() in never or word in seen or word.lower() in customer_words
                                or _in_capitals(text, m.start(), m.end())
                                or _SIGNED.search(text[max(0, m.start() - 3):m.start()])
                                or (words is not None and (words.known_as_written(word) or words.known(word)))
                                or _explained(word, (history + "\n" + text[:m.start()])[-EXPLAINED_WITHIN:],
                                              text[m.end():m.end() + 60])):
                            continue
                        seen.add(word)
                        yield self.problem_at(ctx, (seg, m.start(), m.end()))
                        found += 1
                        if found >= self.max_findings:
                            return
            history = (history + "\n" + turn.text)[-EXPLAINED_WITHIN:]
            if turn.role == "customer":
                customer_words.update(w.lower() for w in re.findall(r"\w+", turn.text))


def _in_capitals(text: str, start: int, end: int) -> bool:
    """Part of a run of words in capitals ("Freepost CLR REFUNDS", "PLEASE CHECK THE WEBSITE"): an
    address line or shouting (the shouting rule's), not an abbreviation."""
    return bool(re.search(r"\b[A-Z]{2,}[ \t]+$", text[max(0, start - 20):start]) or re.match(r"[ \t]+[A-Z]{2,}\b", text[end:end + 20]))


def _explained(word: str, before: str, after: str) -> bool:
    """Spelt out earlier (brackets, initials of capitalised words), used by the customer, or
    explained straight after ("EAC (your estimated annual consumption)")."""
    if re.search(rf"(?<![\w]){word}(?![\w])", before, re.IGNORECASE) and re.search(
            rf"\(\s*{word}\s*\)|{word}\s*\([^)]{{4,}}\)", before):
        return True  # "Penalty Charge Notice (PCN)" earlier
    if re.match(r"(?:\s+[a-z]+){0,2}\s*\([^)]{4,}\)|\s*(?:,|-|–)\s*(?:which|the|meaning|that|i\.e\.)\b", after):
        return True
    if re.search(r"\(\s*$", before) and re.match(r"\s*\)", after):
        return True  # "estimated annual consumption (EAC)": the writer is defining it
    initials = r"\W+".join(rf"{c}[\w'’]*" for c in word)
    if re.search(rf"\b{initials}", before):
        return True  # "Student Finance England" before "SFE"
    return False
