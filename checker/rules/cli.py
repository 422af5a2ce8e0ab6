"""``replycheck rules``: tutor tools for rule sets (also ``python -m checker.rules``).

PATH is a bundled rule set name (``default``), a rule-set folder, or a centre file (``.yml``)
that extends one; see docs/tutor-guide.md.

Exit codes: 0 all good; 1 the rule set has problems (a file is invalid, or an example fails);
2 the command could not run (bad usage, a missing corpus, the spaCy model not installed).
"""
from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..cli import CONTEXT, build_checker, common_checker_options, run_command
from ..errors import RuleError


def _problems(exc: RuleError) -> list[str]:
    return [str(e) for e in getattr(exc, "errors", None) or [exc]]


def _invalid(path: str, exc: RuleError, err: bool) -> None:
    """Print every problem of a rule set that does not load, and exit 1."""
    problems = _problems(exc)
    click.echo(f"Rule set {path!r} is not valid: {len(problems)} problem{'s' if len(problems) != 1 else ''}", err=err)
    for p in problems:
        click.echo(f"  {p}", err=err)
    sys.exit(1)


def _load(path: str, *, err: bool = True) -> Any:
    """The rule set at ``path``, or print every problem and exit 1."""
    from .loader import load_ruleset

    try:
        return load_ruleset(path)
    except RuleError as exc:
        _invalid(path, exc, err)


def _checker(ctx: click.Context, model: str | None, languagetool_url: str | None, time_limit: float | None = None) -> Any:
    """The Checker given by a caller (tests pass one as ``obj={"checker": …}``), else a new one."""
    obj = ctx.find_root().obj
    if isinstance(obj, dict) and obj.get("checker") is not None:
        return obj["checker"]
    checker = build_checker(model, languagetool_url, time_limit)
    ctx.call_on_close(checker.close)
    return checker


def _compiled(checker: Any, ruleset: Any, path: str, err: bool = True) -> None:
    from .loader import RuleSetError

    try:
        ruleset.compile(checker.nlp)
    except RuleSetError as exc:
        _invalid(path, exc, err)


def _checker_ruleset(checker: Any, path: str) -> Any:
    try:
        return checker.ruleset(path)
    except RuleError as exc:
        _invalid(path, exc, True)


def _where(ruleset: Any) -> str:
    from .centre import show_path

    extends = f", extends {ruleset.extends}" if ruleset.extends else ""
    return f"{ruleset.name} {ruleset.version} ({show_path(ruleset.path)}{extends})"


@click.group(context_settings=CONTEXT)
def rules():
    """Check, show and measure rule sets.

    \b
    PATH is a bundled rule set (default), a rule-set folder, or a centre file
    that extends one (see docs/tutor-guide.md). Examples:
      replycheck rules check my_centre.yml
      replycheck rules show my_centre.yml --rule tone.jargon
      replycheck rules eval my_centre.yml --corpus corpora/labelled --compare default
      replycheck rules types phrase

    \b
    Exit codes: 0 all good; 1 the rule set has problems (invalid file or a
    failing example); 2 the command could not run.
    """


# ---------------------------------------------------------------- check


@rules.command("check")
@click.argument("path", required=False, default="default")
@click.option("--rule", "only", multiple=True, metavar="ID",
              help="Run only these rules' examples: a rule id, or a criterion such as 'tone' (repeatable).")
@click.option("-v", "--verbose", is_flag=True, help="List every example, not only the failures.")
@common_checker_options
@click.pass_context
def check_command(ctx, path, only, verbose, model, languagetool_url, time_limit):
    """Validate a rule set strictly, then run every rule's examples and every act's.

    A 'bad' example must make its rule report a problem (on exactly the [[marked]]
    words, when marked); a 'good' example must not. A failure shows the example, what
    was expected, what was found, and the words as the language model read them.

    Then each dialogue act's examples (its own and those the rule set adds under
    acts:) must be recognised as the act, and its near-misses must not be; each
    failure is one line. With --rule, only the rules' examples run."""
    from .examples import run_all

    ruleset = _load(path, err=False)
    click.echo(f"Checking {_where(ruleset)}")
    click.echo(f"  files: valid ({len(ruleset.criteria)} criteria, {len(ruleset.rules)} rules, "
               f"{len(ruleset.canned_responses)} canned responses, {len(ruleset.accepted_words)} accepted words)")
    checker = _checker(ctx, model, languagetool_url, time_limit)
    _compiled(checker, ruleset, path, err=False)

    selected = [r for r in ruleset.rules if not only or any(r.id == o or r.id.startswith(o.rstrip(".") + ".") for o in only)]
    if only and not selected:
        raise click.BadParameter(f"no rule matches {', '.join(only)}", param_hint="--rule")
    ids = {r.id for r in selected}
    missing = []
    for rule in selected:
        if rule.state == "retired":
            continue
        for kind in ("bad", "good"):
            if not rule.examples.get(kind):
                missing.append(f"{rule.id}: no '{kind}' example (add one under examples: {kind}:)")
    empty = [cid for cid in ruleset.criteria if not any(r.criterion == cid and r.state == "active" for r in ruleset.rules)]
    for cid in empty:
        click.echo(f"  note: criterion {cid} has no active rules, so it will always be "
                   f"'{ruleset.criteria[cid].default}' (its default)")

    results = [r for r in run_all(checker, ruleset) if r.rule_id in ids]
    failed = [r for r in results if not r.passed]
    for r in results:
        if verbose or not r.passed:
            click.echo(r.explain())
    for m in missing:
        click.echo(f"{m}: FAILED")
    checked = sum(1 for r in selected if r.state != "retired")
    summary = f"{checked} rules, {len(results)} examples: {len(results) - len(failed)} passed, {len(failed)} failed"
    if missing:
        summary += f"; {len(missing)} missing examples"
    click.echo(summary)
    act_failed = [] if only else _act_examples(checker, ruleset, verbose)
    if failed or missing or act_failed:
        sys.exit(1)


def _act_examples(checker: Any, ruleset: Any, verbose: bool) -> list[Any]:
    """Run every act's examples and near-misses (the act files' own and the rule set's ``acts:``);
    print each failure on one line and a summary; return the failures."""
    from ..acts.examples import run_act_examples

    recogniser = checker.recogniser
    if recogniser.encoder is None:
        click.echo(f"  note: act examples not run: {recogniser.status.reason or 'the sentence model is not installed'}")
        return []
    results = run_act_examples(recogniser, checker.nlp, ruleset.act_examples)
    failed = [r for r in results if not r.passed]
    for r in results:
        if verbose or not r.passed:
            click.echo(r.explain())
    added = sum(len(e.examples) + len(e.near_misses) for e in ruleset.act_examples.values())
    acts = len({r.act for r in results})
    click.echo(f"{acts} acts, {len(results)} act examples and near-misses ({added} added by this rule set): "
               f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return failed


# ---------------------------------------------------------------- show


def _rule_summary(rule: Any, ruleset: Any) -> dict[str, Any]:
    return {
        "id": rule.id, "type": rule.type_name, "criterion": rule.criterion, "level": rule.level,
        "weight": rule.weight, "status": rule.problem_status, "state": rule.state, "scope": rule.scope,
        "channels": list(rule.channels), "message": rule.message, "source": rule.source,
        "origin": ruleset.origins.get(rule.id) or f"defined in {_show(rule.path)}",
    }


def _show(path: str) -> str:
    from .centre import show_path

    return show_path(path) if path else ""


def ruleset_dict(ruleset: Any) -> dict[str, Any]:
    """The effective rule set as plain data (``rules show --format json``)."""
    return {
        "name": ruleset.name, "version": ruleset.version, "description": ruleset.description,
        "path": _show(ruleset.path), "extends": ruleset.extends, "pass_score": ruleset.pass_score,
        "criteria": [
            {"id": c.id, "title": c.title, "weight": c.weight, "critical": c.critical, "partly_limit": c.partly_limit,
             "default": c.default, "behavioural": c.behavioural, "rules": [r.id for r in ruleset.rules if r.criterion == c.id],
             "origin": ruleset.origins.get(f"criterion:{c.id}")}
            for c in ruleset.criteria.values()
        ],
        "rules": [_rule_summary(r, ruleset) for r in ruleset.rules],
        "disabled": [{"id": k, "where": v} for k, v in ruleset.disabled.items()],
        "accepted_words": sorted(ruleset.accepted_words),
        "canned_responses": [{"id": c.id, "text": c.text} for c in ruleset.canned_responses],
        "act_examples": {name: {"examples": list(e.examples), "near_misses": list(e.near_misses), "where": e.where}
                         for name, e in sorted(ruleset.act_examples.items())},
    }


def _num(v: Any) -> str:
    if v is None:
        return "—"
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def render_ruleset(ruleset: Any) -> str:
    lines = [f"Rule set {_where(ruleset)}"]
    if ruleset.description:
        lines.append(f"  {' '.join(ruleset.description.split())}")
    lines.append(f"  pass score {_num(ruleset.pass_score)}; a critical criterion not met means 'not yet competent' whatever the score")
    lines += ["", "Criteria:", f"  {'criterion':<22} {'weight':>6}  {'critical':<8}  {'partly limit':<12}  {'default':<15} title"]
    for c in ruleset.criteria.values():
        lines.append(f"  {c.id:<22} {_num(c.weight):>6}  {'YES' if c.critical else 'no':<8}  {_num(c.partly_limit):<12}  "
                     f"{c.default:<15} {c.title}")
        origin = ruleset.origins.get(f"criterion:{c.id}")
        if origin:
            lines.append(f"  {'':<22} {origin}")
    active = sum(1 for r in ruleset.rules if r.state == "active")
    lines += ["", f"Rules ({len(ruleset.rules)}: {active} active, {len(ruleset.rules) - active} draft or retired):"]
    for cid in ruleset.criteria:
        for r in (r for r in ruleset.rules if r.criterion == cid):
            state = "" if r.state == "active" else f", {r.state.upper()}"
            lines.append(f"  {r.id}  [{r.type_name}]  level {r.level}, weight {_num(r.weight)}, "
                         f"argues {r.problem_status.replace('_', ' ')}, {'/'.join(r.channels)}{state}")
            lines.append(f"      message: {r.message}")
            lines.append(f"      source:  {r.source}")
            lines.append(f"      from:    {ruleset.origins.get(r.id) or 'defined in ' + _show(r.path)}")
    if ruleset.disabled:
        lines += ["", "Disabled:"] + [f"  {rid}  (at {where})" for rid, where in ruleset.disabled.items()]
    words = sorted(ruleset.accepted_words)
    lines += ["", f"Accepted words ({len(words)}): {', '.join(words)}"]
    lines += ["", f"Canned responses ({len(ruleset.canned_responses)}):"]
    lines += [f"  {c.id}: {c.text if len(c.text) <= 90 else c.text[:89] + '…'}" for c in ruleset.canned_responses]
    if ruleset.act_examples:
        lines += ["", "Sentences added to dialogue acts (beside each act's own in checker/acts/defs):"]
        for name, e in sorted(ruleset.act_examples.items()):
            lines.append(f"  {name}  (from {e.where})")
            lines += [f"      example:   {t}" for t in e.examples]
            lines += [f"      near-miss: {t}" for t in e.near_misses]
    return "\n".join(lines)


@rules.command("show")
@click.argument("path", required=False, default="default")
@click.option("--rule", "rule_id", default=None, metavar="ID", help="Show every field of one rule, as YAML.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show_command(path, rule_id, fmt):
    """Show the effective rule set after inheritance.

    Criteria with their weights, critical flags and thresholds; every rule with its
    message, source and where it was defined or changed; disabled rules, accepted words
    and canned responses."""
    ruleset = _load(path)
    if rule_id:
        import yaml

        from .centre import rule_data

        try:
            rule = ruleset.rule(rule_id)
        except KeyError:
            import difflib

            close = difflib.get_close_matches(rule_id, [r.id for r in ruleset.rules], n=1)
            raise click.BadParameter(f"no rule {rule_id!r} in {ruleset.name}" + (f"; did you mean {close[0]!r}?" if close else ""),
                                     param_hint="--rule") from None
        data = rule_data(rule, full=True)
        if fmt == "json":
            click.echo(json.dumps(data | {"origin": _rule_summary(rule, ruleset)["origin"]}, indent=2, ensure_ascii=False))
        else:
            click.echo(f"# {_rule_summary(rule, ruleset)['origin']}")
            click.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110).rstrip())
        return
    if fmt == "json":
        click.echo(json.dumps(ruleset_dict(ruleset), indent=2, ensure_ascii=False))
    else:
        click.echo(render_ruleset(ruleset))


# ---------------------------------------------------------------- eval


@rules.command("eval")
@click.argument("path")
@click.option("--corpus", required=True, type=click.Path(exists=True, file_okay=False),
              help="A labelled corpus folder (with labels.yml), e.g. corpora/labelled.")
@click.option("--labels", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Labels file (default CORPUS/labels.yml).")
@click.option("--compare", "other", default=None, metavar="OTHER",
              help="Compare with another rule set (the one PATH would replace, e.g. default).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--show-errors", is_flag=True, help="List every transcript where a criterion disagrees with its label.")
@common_checker_options
@click.pass_context
def eval_command(ctx, path, corpus, labels, other, fmt, show_errors, model, languagetool_url, time_limit):
    """Measure a rule set against a labelled corpus (--compare: against another).

    Per criterion: precision and recall of flagging a shortfall (partly or not met), and
    exact agreement with the labels. Per rule: how often it fired, how often rightly, and
    its recall.

    With --compare OTHER: what differs between the two rule sets, the score changes per
    criterion and per rule, and every transcript whose judgement changed, with the rules
    whose findings differ."""
    from ..evaluation import render_eval_text
    from .compare import compare_rulesets, measure, render_comparison, render_rule_table

    _load(path)  # every problem listed before the model loads
    if other:
        _load(other)
    checker = _checker(ctx, model, languagetool_url, time_limit)
    # load (and compile) through the checker, so the rule sets measured are the ones checked here
    _checker_ruleset(checker, path)
    if other:
        _checker_ruleset(checker, other)
    if other:
        cmp = compare_rulesets(checker, corpus, other, path, labels_path=labels)
        if fmt == "json":
            click.echo(json.dumps(cmp.to_dict(), indent=2, ensure_ascii=False))
        else:
            click.echo(render_comparison(cmp))
        return
    m = measure(checker, corpus, path, labels_path=labels)
    if fmt == "json":
        click.echo(json.dumps(m.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_eval_text(m.result, show_errors=show_errors))
        click.echo("")
        click.echo(render_rule_table(m))


# ---------------------------------------------------------------- types


@rules.command("types")
@click.argument("type_name", required=False, metavar="[TYPE]")
def types_command(type_name):
    """List the rule types and their fields.

    The same tables as docs/tutor-guide.md, generated from the code."""
    from .base import RULE_TYPES
    from .reference import render_text

    if type_name and type_name not in RULE_TYPES:
        raise click.BadParameter(f"no rule type {type_name!r} (known: {', '.join(sorted(RULE_TYPES))})", param_hint="TYPE")
    click.echo(render_text(type_name), nl=False)


# ---------------------------------------------------------------- python -m checker.rules


def main(argv: list[str] | None = None, prog_name: str = "python -m checker.rules") -> None:
    """Run the ``rules`` group on its own: user errors are one line and exit 2, never a traceback."""
    run_command(rules, argv, prog_name)
