"""Build a rule from an inline dict and run it on a tiny conversation (no YAML files involved)."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from checker.analyse import analyse
from checker.evaluate import Context
from checker.parse import parse_transcript
from checker.rules.loader import build_rule

HEADER = {"id": "test.rule", "criterion": "tone", "message": "'{match}' found.", "source": "test"}


def make_rule(nlp, **fields):
    data = {**HEADER, **fields}
    rule = build_rule(data, Path("inline.yml"), {}, {}, Path("."), None)
    rule.compile(nlp)
    return rule


def run_rule(rule, text, nlp, proofreader=None, canned=(), agent=None, channel="auto", acts=None):
    """``acts``: a Checker whose acts stage runs first, for rules that name acts."""
    conversation = parse_transcript(text, channel=channel, agent=agent)
    analysed = analyse(conversation, nlp, proofreader)
    if acts is not None:
        analysed = acts.acts(analysed)
    ruleset = SimpleNamespace(canned_responses=tuple(canned))
    return list(rule.evaluate(Context(analysed, ruleset)))


def problems(findings):
    return [f for f in findings if not f.positive and f.status in ("partly", "not_met")]


def statuses(findings):
    return sorted(f.status for f in findings)
