"""Numbers and nesting in YAML are bounded where they are written (issue 10)."""
from __future__ import annotations

import pytest

from checker import safe_yaml


@pytest.mark.parametrize("text, fragment", [
    ("weight: " + "1" * 5000, "too large"),
    ("weight: " + "1" * 400, "too large"),
    ("weight: 0x" + "f" * 40, "too large"),
    ("weight: .inf", "not a finite number"),
    ("weight: -.inf", "not a finite number"),
    ("weight: .nan", "not a finite number"),
    ("weight: 1.0e+400", "not a finite number"),
    ("a: " + "[" * 100_000, "nested too deeply"),
], ids=["5000-digits", "400-digits", "long-hex", "inf", "minus-inf", "nan", "float-overflow", "deep-nesting"])
def test_safe_yaml_refuses_unusable_numbers(text, fragment):
    with pytest.raises(safe_yaml.YamlProblem) as info:
        safe_yaml.load(text)
    assert fragment in info.value.problem
    assert "\n" not in info.value.problem


@pytest.mark.parametrize("text, expected", [
    ("weight: 2", {"weight": 2}),
    ("weight: 1.5", {"weight": 1.5}),
    ("weight: 999999999999999", {"weight": 999999999999999}),
    ("version: 10e400", {"version": "10e400"}),  # YAML 1.1: no sign in the exponent, so text
], ids=["int", "float", "15-digits", "text"])
def test_safe_yaml_keeps_usable_numbers(text, expected):
    assert safe_yaml.load(text) == expected


@pytest.mark.parametrize("text, fragment", [
    ("c.txt:\n  labels:\n    tone: met\n  agent: " + "1" * 5000 + "\n", "too large"),
    ("c.txt:\n  labels: {tone: met}\n  agent: .inf\n", "not a finite number"),
    ("c.txt:\n  labels: {tone: met}\n  agent: 12\n", "'agent' must be text"),
    (("[" * 5000) + "\n", "nested too deeply"),
], ids=["5000-digits", "inf", "number-agent", "deep"])
def test_labels_with_unusable_numbers_are_one_input_error(tmp_path, text, fragment):
    from checker.errors import InputError
    from checker.evaluation import load_labels

    path = tmp_path / "labels.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_labels(path)
    assert fragment in str(info.value) and "\n" not in str(info.value)
