"""``conditional``: if X happens (the customer says they are upset, asks for a manager), the
agent must do Y in the next reply, or within ``within`` agent replies.

No trigger → the rule is not applicable. Y in time → met (evidence). Only a ``then_partial``
phrase (a generic apology) → partly. Y later than ``within`` → ``late_status``. An ``also``
list (e.g. setting expectations after escalating) must appear too for full credit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import ACT_FEATURES, STATUSES, Finding
from ..base import SCOPES, Rule, register, spec, str_list
from ..matching import PhraseSet, sentence_position


def _reply_number(ctx: Any, trigger: int, turn: int) -> int:
    """0 for the agent's first reply after message ``trigger``, 1 for the next…: a new reply
    starts whenever a customer message comes between two agent messages."""
    number, seen_agent = 0, False
    for t in ctx.turns:
        if t.index <= trigger and not (t.index == trigger and t.role == "agent"):
            continue
        if t.role == "customer" and seen_agent:
            number += 1
            seen_agent = False
        elif t.role == "agent":
            seen_agent = True
        if t.index == turn:
            return number
    return number


@register("conditional")
@dataclass(frozen=True)
class ConditionalRule(Rule):
    default_status = "not_met"

    when: tuple[str, ...] = str_list("trigger phrases")
    when_patterns: tuple[str, ...] = str_list("trigger regular expressions")
    when_exceptions: tuple[str, ...] = str_list("phrases inside which a trigger does not count")
    when_acts: tuple[str, ...] = str_list("dialogue acts that trigger the rule")
    implied_by_acts: tuple[str, ...] = str_list("agent acts that show the trigger happened even where it was not recognised (naming the customer's problem shows one was stated; passing a case on shows it was beyond the agent)")
    then_acts: tuple[str, ...] = str_list("dialogue acts the agent must perform")
    then_partial_acts: tuple[str, ...] = str_list("dialogue acts that only partly satisfy the rule")
    then_exception_acts: tuple[str, ...] = str_list("a response in a sentence that also carries one of these acts does not count (an apology inside a lecture)")
    also_acts: tuple[str, ...] = str_list("dialogue acts that must also appear for full credit")
    also_act_needs: tuple[str, ...] = field(default=(), metadata=spec(
        "str_list", "an act in also_acts counts only when its sentence has these: when_or_reference (a time, date, "
        "duration or reference), verb, identifier ('our team will be in touch' sets no expectation a customer can hold "
        "anyone to; 'will call you by Friday' does)", choices=ACT_FEATURES, needs=("also_acts",)))
    when_scope: str = field(default="customer_turns", metadata=spec(str, "where triggers are looked for", SCOPES))
    then: tuple[str, ...] = str_list("what the agent must say")
    then_patterns: tuple[str, ...] = str_list("regular expressions for what the agent must say")
    then_exceptions: tuple[str, ...] = str_list("phrases inside which a response does not count")
    then_partial: tuple[str, ...] = str_list("responses that only partly satisfy the rule")
    then_partial_patterns: tuple[str, ...] = str_list("regular expressions for partial responses")
    partial_message: str = field(default="", metadata=spec(str, "message for a partial response"))
    also: tuple[str, ...] = str_list("must also appear in the reply window for full credit")
    also_patterns: tuple[str, ...] = str_list("regular expressions that must also appear")
    also_exception_acts: tuple[str, ...] = str_list("an 'also' in a sentence carrying one of these acts belongs to that act, not to the response, unless it is in the response's own sentence (a refund's 'within 3-5 working days' says nothing of who takes a referral on)",
                                                  needs=("also", "also_patterns", "also_acts"))
    also_message: str = field(default="", metadata=spec(str, "message when 'also' is missing"))
    also_window: int = field(default=0, metadata=spec(int, "'also' must come within this many characters after the response (0: anywhere after the trigger)"))
    within: int = field(default=1, metadata=spec(int, "how many agent replies after the trigger count"))
    repeat_late: bool = field(default=False, metadata=spec(bool, "a response after the customer had to repeat the trigger counts as late"))
    late_status: str = field(default="partly", metadata=spec(str, "status when the response comes later", STATUSES))
    late_message: str = field(default="", metadata=spec(str, "message when the response comes later"))
    negation: bool = field(default=True, metadata=spec(bool, "a negated response does not count"))
    not_applicable_message: str = field(default="", metadata=spec(str, "message when nothing triggered the rule"))

    def compile(self, nlp: Any) -> None:
        object.__setattr__(self, "_when", PhraseSet(nlp, self.when, self.when_patterns, self.when_exceptions,
                                                     acts=self.when_acts))
        object.__setattr__(self, "_then", PhraseSet(nlp, self.then, self.then_patterns, self.then_exceptions,
                                                     acts=self.then_acts, exception_acts=self.then_exception_acts))
        object.__setattr__(self, "_partial", PhraseSet(nlp, self.then_partial, self.then_partial_patterns,
                                                        acts=self.then_partial_acts, exception_acts=self.then_exception_acts))
        object.__setattr__(self, "_also", PhraseSet(nlp, self.also, self.also_patterns, acts=self.also_acts,
                                                     exception_acts=self.also_exception_acts, act_needs=self.also_act_needs))
        object.__setattr__(self, "_also_any", PhraseSet(nlp, self.also, self.also_patterns, acts=self.also_acts,
                                                         act_needs=self.also_act_needs)
                           if self.also_exception_acts else None)
        object.__setattr__(self, "_implied", PhraseSet(nlp, (), (), acts=self.implied_by_acts))

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        triggers = ctx.find(self._when, ctx.segments(self.when_scope))
        if self._implied:
            # the trigger went unrecognised (or is not in what was pasted, as with a reply pasted
            # alone), or was only recognised later (the customer asks "can't you just book the
            # engineer?" after the agent had referred it), but the agent's own words show it had
            # happened: judge from there
            implied = ctx.find(self._implied, ctx.segments("agent_turns"), self.negation)[:1]
            if implied and (not triggers or implied[0][0].turn.index < triggers[0][0].turn.index):
                triggers = implied
        if not triggers:
            yield self.not_applicable(self.not_applicable_message or "Nothing in the conversation called for this.")
            return
        trigger_turn = triggers[0][0].turn
        later = [t for t in ctx.agent_turns if t.index > trigger_turn.index or t.index == trigger_turn.index and t.role == "agent"]
        # a reply is every message the agent sends before the customer speaks again (chat bubbles
        # sent one after another are one reply): ``within`` counts replies, not bubbles
        window = [t for t in later if _reply_number(ctx, trigger_turn.index, t.index) < self.within]
        rest = [t for t in later if t not in window]
        segs = lambda turns: [ctx._whole(t) for t in turns]  # noqa: E731
        hit = self._first(ctx, self._then, segs(window))
        if hit and self.repeat_late and self._repeated_before(ctx, triggers, hit[0].turn.index):
            yield self.problem_at(ctx, hit, status=self.late_status, message=self.late_message or None)
            return
        if hit:
            if self._also and not self._also_near(ctx, hit, later):
                # a later response that does come with the 'also' part (the referral, then the
                # reference and timescale a few messages on) earns the credit
                complete = [m for m in ctx.find(self._then, segs(later), self.negation)
                            if m[0].turn.index >= hit[0].turn.index and self._also_near(ctx, m, later)]
                if complete:
                    yield self.evidence_at(ctx, complete[0])
                    return
                yield self.problem_at(ctx, hit, status="partly", message=self.also_message or None)
                return
            yield self.evidence_at(ctx, hit)
            return
        partial = self._first(ctx, self._partial, segs(later)) if self._partial else None
        late = self._first(ctx, self._then, segs(rest))
        if late and not partial:
            yield self.problem_at(ctx, late, status=self.late_status, message=self.late_message or None)
            return
        if partial:
            yield self.problem_at(ctx, partial, status="partly", message=self.partial_message or None)
            return
        # point at what triggered the rule: that is what went unanswered
        yield self.problem_at(ctx, triggers[0])

    def _also_near(self, ctx: Any, hit: tuple, later: list) -> bool:
        """Is an 'also' phrase near the response: in the rest of its message or the next ones?"""
        seg, start, _ = hit
        following = [t for t in later if t.index >= seg.turn.index]
        found = ctx.find(self._also, [ctx._whole(t) for t in following], self.negation)
        if self._also_any is not None:
            # in the response's own sentence an 'also' is the response's, whatever else it carries
            found += [m for m in ctx.find(self._also_any, [ctx._whole(seg.turn)], self.negation)
                      if m not in found and _same_sentence(seg, start, m[0], m[1])]
        if not self.also_window:
            return bool(found)
        offsets, total = {}, 0
        for t in following:
            offsets[t.index] = total - (start if t.index == seg.turn.index else 0)
            total += len(t.text) - (start if t.index == seg.turn.index else 0)
        return any(-60 <= offsets[m.turn.index] + s <= self.also_window for m, s, _ in found)

    @staticmethod
    def _repeated_before(ctx: Any, triggers: list, response_turn: int) -> bool:
        """Did the customer have to raise the trigger again, in a later message, before the
        response? Not when that message answers the agent taking it up: a read-back or a
        clarifying question in the agent's reply just before ("Just so I get it right: you'd like
        to complain about …?" / "Yes, and …")."""
        first_turn = triggers[0][0].turn.index
        asking = {a.turn for a in ctx.acts if a.name in TAKING_UP}
        customer = [t.index for t in ctx.customer_turns]
        for seg, _, _ in triggers:
            turn = seg.turn.index
            if not (first_turn < turn < response_turn and seg.turn.role == "customer"):
                continue
            before = max((c for c in customer if c < turn), default=-1)
            if not any(before < t.index < turn and t.index in asking for t in ctx.agent_turns):
                return True
        return False

    def _first(self, ctx: Any, phrase_set: PhraseSet, segments: list) -> tuple | None:
        if not phrase_set:
            return None
        found = ctx.find(phrase_set, segments, self.negation)
        return found[0] if found else None


# what an agent's reply does when it takes the customer's request up: what the customer says next
# is an answer, not the request repeated
TAKING_UP = frozenset({"read_back", "clarifying_question"})


def _same_sentence(seg_a: Any, start_a: int, seg_b: Any, start_b: int) -> bool:
    """Do these two character offsets fall in one sentence of one message, on one line? (spaCy
    may join lines with no full stop between them; an act is never read across a line break.)"""
    if seg_a.turn.index != seg_b.turn.index:
        return False
    if "\n" in seg_a.doc.text[min(start_a, start_b):max(start_a, start_b)]:
        return False
    a = sentence_position(seg_a, start_a)
    return a is not None and a == sentence_position(seg_b, start_b)
