"""``order``: A must come before B (identity checked before account details are discussed;
understanding checked before the farewell).

No B → not applicable (or, with ``missing_then: end``, the end of the conversation stands for
B). A before B → met. A only after B → ``late_status``. Only a partial A → partly. No A →
``missing_status``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ...model import ACT_FEATURES, STATUSES, Finding
from ..base import SCOPES, Rule, register, spec, str_list
from ..matching import PhraseSet, only_intended, only_promised, sentence_position


@register("order")
@dataclass(frozen=True)
class OrderRule(Rule):
    default_status = "not_met"

    first: tuple[str, ...] = str_list("A: what must come first")
    first_patterns: tuple[str, ...] = str_list("A as regular expressions")
    first_exceptions: tuple[str, ...] = str_list("phrases inside which A does not count")
    first_partial: tuple[str, ...] = str_list("weaker forms of A that earn 'partly'")
    first_partial_patterns: tuple[str, ...] = str_list("weaker forms of A as regular expressions")
    first_acts: tuple[str, ...] = str_list("A as dialogue acts")
    first_act_items: tuple[str, ...] = str_list("an act in first_acts that names what it asks for (an identity request's identifiers) counts as A only when it asks for one of these; asking for others only is a weaker A when first_partial_acts names the act")
    first_partial_acts: tuple[str, ...] = str_list("weaker forms of A as dialogue acts")
    then_acts: tuple[str, ...] = str_list("B as dialogue acts")
    then_act_needs: tuple[str, ...] = field(default=(), metadata=spec(
        "str_list", "an act in then_acts counts as B only when its sentence has these: personal_data (a person's "
        "mobile number, email address or postcode the customer had not given), when_or_reference, verb, identifier",
        choices=ACT_FEATURES, needs=("then_acts",)))
    then_context_acts: tuple[str, ...] = str_list(
        "customer acts of which one must occur somewhere in the conversation for B to count (identity: an "
        "account, order or booking of someone's came up); not applied to a transcript with no customer "
        "message (an agent's email alone) or when acts were recognised without the sentence model",
        speaker="customer")
    then_context_confidence: float = field(default=0.0, metadata=spec(
        float, "the confidence (0-1) a context act needs: it opens the gate for the whole conversation, so a "
               "passing mention ('I was late for my appointment') should not", needs=("then_context_acts",)))
    partial_message: str = field(default="", metadata=spec(str, "message when only a weaker A is found"))
    partial_status: str = field(default="partly", metadata=spec(str, "status when only a weaker A comes before B (with no B at all, a weaker A still earns credit where missing_then is credit_first)", STATUSES))
    first_scope: str = field(default="agent_turns", metadata=spec(str, "where A is looked for", SCOPES))
    then: tuple[str, ...] = str_list("B: what must come after A")
    then_patterns: tuple[str, ...] = str_list("B as regular expressions")
    then_exceptions: tuple[str, ...] = str_list("phrases inside which B does not count")
    then_done: bool = field(default=False, metadata=spec(bool, "B counts only where something is done or stated, not only offered or promised ('I'll make sure your account closes on the right date' acts on nothing yet), unless A occurs nowhere: then what is stated as going to happen ('I'll update…', 'your fob will be deactivated') counts too, though not an offer or the customer's own task (it will be done for someone never checked)"))
    then_scope: str = field(default="agent_turns", metadata=spec(str, "where B is looked for", SCOPES))
    missing_then: str = field(default="not_applicable", metadata=spec(str, "when B never happens: the rule does not apply; the end of the conversation stands for B; nothing is said; or A alone earns credit (else not applicable)", ("not_applicable", "end", "ignore", "credit_first")))
    late_status: str = field(default="partly", metadata=spec(str, "status when A comes after B", STATUSES))
    late_message: str = field(default="", metadata=spec(str, "message when A comes after B"))
    late_quote: str = field(default="first", metadata=spec(
        str, "when A comes after B, the words quoted: the late A (a check after the goodbye) or the B it should have "
             "come before (a disclosure before the check: the breach itself)", ("first", "then")))
    missing_status: str = field(default="not_met", metadata=spec(str, "status when A never happens", STATUSES))
    negation: bool = field(default=True, metadata=spec(bool, "a negated A does not count"))
    not_applicable_message: str = field(default="", metadata=spec(str, "message when B never happens"))

    def compile(self, nlp: Any) -> None:
        object.__setattr__(self, "_first", PhraseSet(nlp, self.first, self.first_patterns, self.first_exceptions,
                                                      acts=self.first_acts, act_items=self.first_act_items))
        object.__setattr__(self, "_partial", PhraseSet(nlp, self.first_partial, self.first_partial_patterns,
                                                        self.first_exceptions, acts=self.first_partial_acts))
        object.__setattr__(self, "_then", PhraseSet(nlp, self.then, self.then_patterns, self.then_exceptions,
                                                     acts=self.then_acts, act_needs=self.then_act_needs))

    def _first_anywhere(self, ctx: Any) -> bool:
        """Does A occur anywhere in the conversation? (A weaker A does not let a promise wait: the
        promise counts, and the weaker A before it earns 'partly' as usual.)"""
        return bool(ctx.find(self._first, ctx.segments(self.first_scope), self.negation))

    def evaluate(self, ctx: Any) -> Iterator[Finding]:
        b = ctx.find(self._then, ctx.segments(self.then_scope))
        if self.then_done:
            intended = [only_intended(m[0].doc, (m[1], m[2])) for m in b]
            done = [m for m, i in zip(b, intended) if not i]
            # a promise waits for A only when A comes: with none anywhere, what was promised will be
            # done for someone never checked ("I'll update the details on your account" and no
            # check); an offer, or what the customer will need to do, still acts on nothing
            if done or self._first_anywhere(ctx):
                b = done
            else:
                b = [m for m, i in zip(b, intended) if not i or only_promised(m[0].doc, (m[1], m[2]))]
        if b and self.then_context_acts and not ctx.customer_said_any(
                self.then_context_acts, self.then_context_confidence):
            b = []  # "The diversion ends on the 20th": a fact, but no account of anyone's is in play
        if not b and self.missing_then == "ignore":
            return
        if not b and self.missing_then == "credit_first":
            a = ctx.find(self._first, ctx.segments(self.first_scope), self.negation)
            if not a and self._partial:  # nothing needed the stronger check: asking at all is credit
                a = ctx.find(self._partial, ctx.segments(self.first_scope), self.negation)
            if a:  # the check was done; what followed it is account business by definition
                yield self.evidence_at(ctx, a[0])
                return
        if not b and self.missing_then in ("not_applicable", "credit_first"):
            yield self.not_applicable(self.not_applicable_message or "Nothing in the conversation called for this.")
            return
        # positions are compared by (message, sentence): A and B in one sentence ("I've found the
        # account and those details match") count as in order
        b_pos = _position(b[0]) if b else (len(ctx.turns), 0)
        a = ctx.find(self._first, ctx.segments(self.first_scope), self.negation)
        partial = ctx.find(self._partial, ctx.segments(self.first_scope), self.negation) if self._partial else []
        a_before = [m for m in a if _position(m) <= b_pos]
        if a_before:
            yield self.evidence_at(ctx, a_before[0])
            return
        partial_before = [m for m in partial if _position(m) <= b_pos]
        if partial_before:
            yield self.problem_at(ctx, partial_before[0], status=self.partial_status, message=self.partial_message or None)
            return
        late = a or partial
        if late:
            quoted = b[0] if b and self.late_quote == "then" else late[0]
            yield self.problem_at(ctx, quoted, status=self.late_status, message=self.late_message or None)
            return
        if b:
            yield self.problem_at(ctx, b[0], status=self.missing_status)
        else:
            last = ctx.agent_turns[-1] if ctx.agent_turns else None
            at = last.end if last else None
            yield self.problem(ctx, last.index if last else None, at, at, status=self.missing_status)


def _position(match: tuple) -> tuple[int, int]:
    """(message index, sentence index within the message) of a match: the sentence's first token
    index orders sentences within the message."""
    seg, start, _ = match
    return sentence_position(seg, start) or (seg.turn.index, 0)
