"""docs/tutor-guide.md cannot drift from the code: its field tables are regenerated and compared,
every rule type and centre-file key is in it, every rule-type example is a working rule whose
examples pass, and the step-by-step centre file it builds loads and passes ``rules check``."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from checker.rules.base import RULE_TYPES
from checker.rules.centre import CENTRE_KEYS
from checker.rules.cli import rules
from checker.rules.examples import run_example
from checker.rules.loader import build_rule, load_ruleset
from checker.rules.reference import HEADER, marked_names, regenerate

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "tutor-guide.md"
TEXT = GUIDE.read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def type_section(type_name: str) -> str:
    m = re.search(rf"^### `{re.escape(type_name)}`\n(.*?)(?=^### |^## )", TEXT, re.S | re.M)
    assert m, f"the guide has no section '### `{type_name}`'"
    return m.group(1)


def type_example(type_name: str) -> dict:
    blocks = [body for lang, body in FENCE.findall(type_section(type_name)) if lang == "yaml"]
    assert blocks, f"the section on {type_name} has no YAML example"
    return yaml.safe_load(blocks[0])


def test_tutor_guide_field_tables_are_up_to_date():
    assert regenerate(TEXT) == TEXT, "run: python -m checker.rules.reference --write docs/tutor-guide.md"


def test_tutor_guide_lists_every_rule_type():
    assert sorted(marked_names(TEXT)) == sorted([HEADER, *RULE_TYPES])
    for name in RULE_TYPES:
        type_section(name)


@pytest.mark.parametrize("key", sorted(CENTRE_KEYS))
def test_tutor_guide_describes_every_centre_key(key):
    assert re.search(rf"^\| `{key}` \|", TEXT, re.M), f"the reference table in section 6 lacks `{key}`"


@pytest.mark.parametrize("type_name", sorted(RULE_TYPES))
def test_tutor_guide_rule_type_example_works(type_name, checker):
    default = checker.ruleset("default")
    data = type_example(type_name)
    assert data["type"] == type_name
    rule = build_rule(data, GUIDE, {}, default.criteria, GUIDE.parent, expected_id=None)
    rule.compile(checker.nlp)
    assert rule.examples.get("bad") and rule.examples.get("good")
    results = [run_example(checker, default, rule, kind, i, text)
               for kind in ("bad", "good") for i, text in enumerate(rule.examples[kind])]
    failed = [r.explain() for r in results if not r.passed]
    assert not failed, "\n".join(failed)


def test_tutor_guide_step_by_step_file_loads_and_passes(tmp_path, checker):
    files = {}
    for lang, body in FENCE.findall(TEXT):
        first = body.split("\n", 1)[0]
        if first.startswith("# file: "):
            files[first[len("# file: "):].strip()] = body
    assert {"my_centre.yml", "brand_words.txt", "my_canned_responses.yml"} <= set(files)
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    ruleset = load_ruleset(tmp_path / "my_centre.yml")
    assert ruleset.name == "northfield_college" and ruleset.criteria["personalisation"].critical
    assert {"thornbury", "fitzone"} <= ruleset.accepted_words
    assert "payment_link" in {c.id for c in ruleset.canned_responses}
    result = CliRunner().invoke(rules, ["check", str(tmp_path / "my_centre.yml")], obj={"checker": checker})
    assert result.exit_code == 0, result.output
    assert re.search(r"^\d+ rules, \d+ examples: \d+ passed, 0 failed$", result.output, re.M)
