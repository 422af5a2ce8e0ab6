"""The report JSON is documented once, in the README; this keeps the example honest."""
from __future__ import annotations

import json
import re

import samples


def _shape(value):
    """Keys all the way down (lists by their first item)."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value and isinstance(value[0], (dict, list)) else []
    return None


def test_readme_report_example_has_the_real_shape(checker):
    readme = (samples.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The report JSON", 1)[1]
    example = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
    real = checker.check(samples.WEAK_CHAT).to_dict()
    assert _shape(example) == _shape(real)


def test_readme_gives_the_two_commands_and_ci_uses_the_test_one():
    readme = (samples.ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    assert "make test" in (samples.ROOT / ".ci" / "run").read_text()
