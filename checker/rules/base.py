"""What every rule has: the common header, field validation, and the type registry.

A rule type is a frozen dataclass subclassing ``Rule`` with its own fields (each declared with
``field(metadata=spec(...))`` so the loader can check them), a ``compile(nlp)`` step that builds
matchers once, and ``evaluate(ctx)`` that yields ``Finding``s and does no I/O.
"""
from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import Any, Callable, ClassVar, Iterable, Iterator

from ..evaluate import SCOPES as _SCOPE_RESOLVERS
from ..model import FORMAT_FAMILIES, LEVELS, STATUSES, Finding
from .names import TITLES

RULE_TYPES: dict[str, type["Rule"]] = {}

# from the evaluator's registry, so the loader accepts exactly the scopes a check can resolve
SCOPES = tuple(_SCOPE_RESOLVERS)
RULE_STATES = ("active", "draft", "retired")


def register(name: str) -> Callable[[type["Rule"]], type["Rule"]]:
    def deco(cls: type["Rule"]) -> type["Rule"]:
        cls.type_name = name
        RULE_TYPES[name] = cls
        return cls

    return deco


def spec(kind: Any, doc: str = "", choices: Iterable[str] | None = None, required: bool = False,
         speaker: str | None = None, needs: Iterable[str] = ()) -> dict[str, Any]:
    """Field metadata the loader validates against: the expected YAML type and allowed values;
    ``speaker``: for a list of acts, the one speaker whose acts it may name; ``needs``: keys of
    which one must be set too, without which this one does nothing."""
    return {"kind": kind, "doc": doc, "choices": tuple(choices) if choices else None, "required": required,
            "speaker": speaker, "needs": tuple(needs)}


def str_list(doc: str = "", default: Iterable[str] = (), required: bool = False, speaker: str | None = None,
             needs: Iterable[str] = ()) -> Any:
    return field(default=tuple(default), metadata=spec("str_list", doc, required=required, speaker=speaker, needs=needs))


@dataclass(frozen=True)
class Rule:
    """The header every rule file has. Type-specific fields come in the subclasses."""

    type_name: ClassVar[str] = ""
    # what a problem finding argues for its criterion unless the type decides otherwise
    default_status: ClassVar[str] = "partly"

    id: str = field(default="", metadata=spec(str, "criterion.rule_name, equal to the file path", required=True))
    criterion: str = field(default="", metadata=spec(str, "the rubric criterion this rule rolls up into", required=True))
    message: str = field(default="", metadata=spec(str, "one sentence to the learner; {match} is the matched text", required=True))
    source: str = field(default="", metadata=spec(str, "the rubric section or guide the advice comes from", required=True))
    level: str = field(default="warning", metadata=spec(str, "how a finding is shown", LEVELS))
    weight: float = field(default=1.0, metadata=spec(float, "how much one finding counts towards 'not met'"))
    scope: str = field(default="agent_turns", metadata=spec(str, "the part of the conversation looked at", SCOPES))
    why: str = field(default="", metadata=spec(str, "why it matters"))
    suggestion: str = field(default="", metadata=spec(str, "the better way"))
    praise: str = field(default="", metadata=spec(str, "what the learner did well, when this rule finds evidence of it"))
    status: str = field(default="", metadata=spec(str, "the criterion status a finding argues for", STATUSES))
    channels: tuple[str, ...] = field(default=("chat", "email"), metadata=spec("str_list", "chat and/or email"))
    skip_formats: tuple[str, ...] = field(default=(), metadata=spec(
        "str_list", "format families the rule does not look at, as a report's 'read as' names them "
        "('review and reply': a public reply is one composed post, not a chat turn)", FORMAT_FAMILIES))
    state: str = field(default="active", metadata=spec(str, "draft rules run in tests, not for learners", RULE_STATES))
    examples: dict = field(default_factory=dict, metadata=spec(dict, "bad: [...] must fire; good: [...] must not"))
    path: str = field(default="", compare=False, metadata=spec("internal"))

    @property
    def problem_status(self) -> str:
        return self.status or self.default_status

    def compile(self, nlp: Any) -> None:
        """Build matchers once. Rules are frozen, so compiled state goes through object.__setattr__."""

    def applies_to(self, channel: str, format_family: str = "") -> bool:
        return channel in self.channels and format_family not in self.skip_formats

    def evaluate(self, ctx: Any) -> Iterator[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- building findings -----------------------------------------------------------------

    def problem(self, ctx: Any, turn: int | None, start: int | None, end: int | None, *,
                match: str = "", status: str | None = None, suggestion: str | None = None,
                message: str | None = None) -> Finding:
        quote = ctx.quote(start, end) if start is not None else ""
        text = _personal((message or self.message).replace("{quote}", quote), ctx, turn)
        return Finding(
            rule_id=self.id, criterion=self.criterion, level=self.level,
            message=_fill(text, match or quote), turn=turn, start=start, end=end, quote=quote,
            suggestion=_fill(_personal(self.suggestion if suggestion is None else suggestion, ctx, turn), match or quote),
            why=self.why, source=self.source, positive=False, status=status or self.problem_status,
        )

    def evidence(self, ctx: Any, turn: int | None, start: int | None, end: int | None, *,
                 message: str | None = None, suggestion: str | None = None) -> Finding:
        """What was done; ``suggestion``: how to do it better still (a greeting's placeholder to fill in)."""
        quote = ctx.quote(start, end) if start is not None else ""
        return Finding(
            rule_id=self.id, criterion=self.criterion, level="suggestion",
            message=_fill(message or self.praise or "Evidence found: '{match}'.", quote),
            turn=turn, start=start, end=end, quote=quote,
            suggestion=_fill(_personal(suggestion, ctx, turn), quote) if suggestion else "", why=self.why, source=self.source,
            positive=True, status="met",
        )

    def problem_at(self, ctx: Any, match: tuple, **kwargs: Any) -> Finding:
        """``problem`` for a (segment, start, end) match in a turn's text, naming the act behind it."""
        seg, start, end = match
        finding = self.problem(ctx, seg.turn.index, seg.turn.to_source(start), seg.turn.to_source(end), **kwargs)
        return _explained(finding, ctx, seg.turn.index, start, end, self.act_names)

    def evidence_at(self, ctx: Any, match: tuple, message: str | None = None, suggestion: str | None = None) -> Finding:
        """``evidence`` for a (segment, start, end) match in a turn's text, naming the act behind it."""
        seg, start, end = match
        finding = self.evidence(ctx, seg.turn.index, seg.turn.to_source(start), seg.turn.to_source(end),
                                message=message, suggestion=suggestion)
        return _explained(finding, ctx, seg.turn.index, start, end, self.act_names)

    @property
    def act_names(self) -> tuple[str, ...]:
        """Every act this rule names (``when_acts``, ``then_acts``, ``acts``…), in field order."""
        names: list[str] = []
        for f in fields(self):
            if is_act_field(f.name):
                names.extend(n for n in getattr(self, f.name) if n not in names)
        return tuple(names)

    def not_applicable(self, message: str, status: str = "not_applicable") -> Finding:
        return Finding(rule_id=self.id, criterion=self.criterion, level="suggestion", message=message,
                       why=self.why, source=self.source, positive=False, status=status)


def is_act_field(name: str) -> bool:
    """Does a rule key name dialogue acts (``acts``, ``when_acts``, ``then_exception_acts``…)?"""
    return name == "acts" or name.endswith("_acts")


def _explained(finding: Finding, ctx: Any, turn: int, start: int, end: int, names: tuple[str, ...] = ()) -> Finding:
    explain = getattr(ctx, "explain", None)
    if explain is None:
        return finding
    act, how = explain(turn, start, end, names)
    return replace(finding, act=act.name if act is not None else None, recogniser=how)


_FILL_IN = re.compile(r"(,?\s*)\{(customer|agent)(?:\|([^}]*))?\}")


def _personal(template: str, ctx: Any, turn: int | None = None) -> str:
    """Fill a message or suggestion from this conversation, never from another one.

    * ``{customer}``: the customer's name as the transcript shows it; ``{agent}``: the learner's
      own name (not a role word such as "Agent" or "Rep").
    * When the name is unknown, ``{customer|[customer's name]}`` uses the text after ``|`` (a neutral
      placeholder) and a bare ``{customer}`` is left out, with the comma or space before it.
    * ``{problem}``: what the customer said the problem was, in their own words
      (``Context.customer_problem``: their problem sentence, never their security details). With
      none, a quoted ``('{problem}')`` is left out and a bare ``{problem}`` reads "what went wrong
      for them".
    """
    if "{" not in template:
        return template

    def fill(m: re.Match) -> str:
        if m.group(2) == "customer":
            names = getattr(ctx, "customer_names", ())
            # a title alone ("Ms") is not a name to greet someone by
            name = next((n for n in names if n.lower().rstrip(".") not in TITLES), None)
        else:
            name = getattr(ctx, "agent_name", None)
        name = name or m.group(3)
        return f"{m.group(1)}{name}" if name else ""

    out = _FILL_IN.sub(fill, template)
    if "{problem}" in out:
        problem = ""
        finder = getattr(ctx, "customer_problem", None)
        if finder is not None:
            problem = finder(turn)
        if not problem:  # no words of theirs to quote: say nothing in quotation marks
            out = re.sub(r"\s*\('\{problem\}'\)", "", out)
        out = out.replace("{problem}", problem or "what went wrong for them")
    return out


def _fill(template: str, match: str) -> str:
    short = match if len(match) <= 80 else match[:77] + "…"
    # a quote that ends its own sentence needs no full stop after it: "'Hi, I'm Jade.'", not "'Hi, I'm Jade.'."
    return re.sub(r"([.!?])'\.", r"\1'", template.replace("{match}", short))


def rule_fields(cls: type[Rule]) -> dict[str, Any]:
    """Field name → dataclass Field, for the loader's strict validation."""
    return {f.name: f for f in fields(cls) if f.metadata.get("kind") != "internal"}


def field_default(f) -> Any:
    if f.default is not MISSING:
        return f.default
    if f.default_factory is not MISSING:  # type: ignore[misc]
        return f.default_factory()  # type: ignore[misc]
    return MISSING
