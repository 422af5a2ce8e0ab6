"""Measure the proofreader on the probe set: agent sentences with annotated errors, and clean ones.

    .venv/bin/python benchmarks/proof_probes.py [--probes corpora/proofing/probes.jsonl] [--misses]

Each probe is one line of JSON: ``{"text", "errors": [{"wrong", "right", "kind", "nth"?}],
"clean", "writer"}``; ``wrong`` is a substring of ``text`` (its ``nth`` occurrence, from 0, when
it repeats). Every sentence is checked as one agent message through the whole checker (parse,
spaCy, every proofreading layer, the false-alarm filter) and the spelling and grammar issues that
the default rule set reports are compared with the annotations:

- precision: flagged spans that overlap an annotated error, over all flagged spans (clean
  sentences included);
- recall: annotated errors overlapped by a flagged span;
- right first suggestion: of the errors found, those where putting the first suggestion in place
  of the flagged span gives the same sentence as putting the annotated correction in place of
  the error;
- false alarms: clean sentences with any flagged span.

Prints the figures overall and per error kind, and exits 1 when a target is missed.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROBES = ROOT / "corpora" / "proofing" / "probes.jsonl"
TARGETS = {"precision": 0.90, "recall": 0.80, "first_suggestion": 0.90, "false_alarms": 0.03}
REPORTED = ("spelling", "grammar")  # the categories spelling_grammar's rules report


@dataclass(frozen=True)
class Error:
    start: int
    end: int
    right: str
    kind: str


@dataclass(frozen=True)
class Probe:
    line: int
    text: str
    errors: tuple[Error, ...]
    clean: bool


@dataclass(frozen=True)
class Flag:
    start: int
    end: int
    rule: str
    suggestions: tuple[str, ...]


class ProbeError(ValueError):
    pass


def _find(text: str, wrong: str, nth: int) -> int:
    """Where the ``nth`` (from 0) occurrence of ``wrong`` as whole words starts, or -1."""
    left = r"\b" if wrong[:1].isalnum() else ""
    right = r"\b" if wrong[-1:].isalnum() else ""
    found = [m.start() for m in re.finditer(left + re.escape(wrong) + right, text)]
    return found[nth] if 0 <= nth < len(found) else -1


def load_probes(path: Path) -> list[Probe]:
    probes = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text = row["text"]
            errors = []
            for e in row["errors"]:
                start = _find(text, e["wrong"], int(e.get("nth", 0)))
                if start < 0:
                    raise ProbeError(f"{e['wrong']!r} is not in the text")
                errors.append(Error(start, start + len(e["wrong"]), e["right"], e["kind"]))
            probes.append(Probe(number, text, tuple(errors), bool(row["clean"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise ProbeError(f"{path}:{number}: {exc}") from None
    return probes


def flags_for(checker, probes: list[Probe]) -> list[list[Flag]]:
    """The spelling and grammar issues on each probe, with offsets into the probe's text."""
    out = []
    for probe in probes:
        report = checker.check(f"Agent: {probe.text}", channel="chat", name=f"probe {probe.line}")
        turn = report.conversation.turns[0]
        base = turn.start
        out.append([Flag(i.start - base, i.end - base, i.rule, i.suggestions)
                    for i in report.analysed.proofreading.issues if i.category in REPORTED])
    return out


def _overlaps(flag: Flag, error: Error) -> bool:
    if flag.start == flag.end:  # a point (a missing full stop) touches the error's edges
        return error.start <= flag.start <= error.end
    return flag.start < error.end and error.start < flag.end


def _fixed(text: str, start: int, end: int, replacement: str) -> str:
    return " ".join((text[:start] + replacement + text[end:]).split())


def score(probes: list[Probe], flags: list[list[Flag]]) -> dict:
    kinds: dict[str, Counter] = defaultdict(Counter)
    total = Counter()
    misses = []
    for probe, found in zip(probes, flags):
        for flag in found:
            hit = [e for e in probe.errors if _overlaps(flag, e)]
            kind = hit[0].kind if hit else "(none)"
            kinds[kind]["flags"] += 1
            total["flags"] += 1
            if hit:
                kinds[kind]["true_flags"] += 1
                total["true_flags"] += 1
            else:
                misses.append(("false alarm", probe, flag, None))
        for error in probe.errors:
            kinds[error.kind]["errors"] += 1
            total["errors"] += 1
            over = [f for f in found if _overlaps(f, error)]
            if not over:
                misses.append(("missed", probe, None, error))
                continue
            kinds[error.kind]["found"] += 1
            total["found"] += 1
            flag = over[0]
            first = flag.suggestions[0] if flag.suggestions else None
            if first is not None and _fixed(probe.text, flag.start, flag.end, first) == _fixed(probe.text, error.start, error.end, error.right):
                kinds[error.kind]["right_first"] += 1
                total["right_first"] += 1
            else:
                misses.append(("wrong suggestion", probe, flag, error))
        if probe.clean:
            total["clean"] += 1
            if found:
                total["clean_flagged"] += 1
    return {"total": total, "kinds": kinds, "misses": misses}


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def figures(total: Counter) -> dict[str, float | None]:
    return {
        "precision": _ratio(total["true_flags"], total["flags"]),
        "recall": _ratio(total["found"], total["errors"]),
        "first_suggestion": _ratio(total["right_first"], total["found"]),
        "false_alarms": _ratio(total["clean_flagged"], total["clean"]),
    }


def meets(fig: dict[str, float | None]) -> list[str]:
    failed = []
    for name, target in TARGETS.items():
        value = fig[name]
        ok = value is not None and (value <= target if name == "false_alarms" else value >= target)
        if not ok:
            failed.append(name)
    return failed


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probes", type=Path, default=PROBES)
    parser.add_argument("--misses", action="store_true", help="list every miss, false alarm and wrong suggestion")
    args = parser.parse_args(argv)
    try:
        probes = load_probes(args.probes)
    except (OSError, ProbeError) as exc:
        print(f"proof_probes: {exc}", file=sys.stderr)
        return 2

    from checker import Checker

    checker = Checker()
    result = score(probes, flags_for(checker, probes))
    total = result["total"]
    fig = figures(total)
    print(f"probes: {len(probes)} sentences, {total['errors']} annotated errors, {total['clean']} clean sentences")
    print(f"{'kind':16} {'errors':>6} {'found':>6} {'recall':>7} {'flags':>6} {'prec.':>7} {'1st ok':>7}")
    for kind in sorted(result["kinds"]):
        c = result["kinds"][kind]
        print(f"{kind:16} {c['errors']:>6} {c['found']:>6} {_fmt(_ratio(c['found'], c['errors'])):>7} {c['flags']:>6} "
              f"{_fmt(_ratio(c['true_flags'], c['flags'])):>7} {_fmt(_ratio(c['right_first'], c['found'])):>7}")
    print(f"precision of flagged spans {_fmt(fig['precision'])}  (target >= {TARGETS['precision']})")
    print(f"recall                     {_fmt(fig['recall'])}  (target >= {TARGETS['recall']})")
    print(f"right first suggestion     {_fmt(fig['first_suggestion'])}  (target >= {TARGETS['first_suggestion']})")
    print(f"false alarms on clean      {_fmt(fig['false_alarms'])}  ({total['clean_flagged']}/{total['clean']}; target <= {TARGETS['false_alarms']})")
    if args.misses:
        for what, probe, flag, error in result["misses"]:
            span = f"{probe.text[flag.start:flag.end]!r}->{list(flag.suggestions[:2])} {flag.rule}" if flag else ""
            want = f"want {probe.text[error.start:error.end]!r}->{error.right!r} ({error.kind})" if error else ""
            print(f"{what:16} line {probe.line}: {span} {want} | {probe.text}")
    checker.close()
    failed = meets(fig)
    if failed:
        print("missed targets: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
