"""Golden corpus: the expected judgement of every labelled transcript is stored in golden.json,
so any rule change shows up as a reviewable diff. After a deliberate change, regenerate with

    REPLYCHECK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/corpora/test_golden.py

and review `git diff tests/corpora/golden.json` before committing.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from checker.parse import read_file

import samples

GOLDEN = Path(__file__).parent / "golden.json"
LABELS = yaml.safe_load((samples.CORPUS / "labels.yml").read_text(encoding="utf-8"))


def snapshot(checker, name: str) -> dict:
    entry = LABELS[name]
    report = checker.check(read_file(samples.CORPUS / name, agent=entry.get("agent")))
    return {
        "decision": report.decision,
        "score": round(report.score, 1),
        "criteria": {c.id: c.status for c in report.criteria},
        "findings": [[f.rule_id, f.turn, f.quote[:60]] for f in report.findings],
    }


@pytest.fixture(scope="module")
def golden(checker):
    if os.environ.get("REPLYCHECK_UPDATE_GOLDEN"):
        data = {name: snapshot(checker, name) for name in sorted(LABELS)}
        GOLDEN.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(LABELS))
def test_golden_judgement(checker, golden, name):
    assert name in golden, "new corpus file: regenerate golden.json (see the module docstring)"
    assert snapshot(checker, name) == golden[name]


def test_strong_transcripts_are_competent_and_quiet(checker, golden):
    """Good corpus: strong replies get no error-level findings and only a few suggestions."""
    for name, entry in LABELS.items():
        if entry["quality"] != "strong":
            continue
        assert golden[name]["decision"] == "competent", name
        assert len(golden[name]["findings"]) <= 3, (name, golden[name]["findings"])
