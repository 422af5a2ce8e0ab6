"""A centre file's own act examples and near-misses (``acts:``): used by the recogniser through
the rule set, embedded once per rule set, and run as tests."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from checker.acts.definitions import ActExamples
from checker.acts.examples import run_act_examples
from checker.model import Conversation, Turn


def centre(tmp_path: Path, text: str, name: str = "centre.yml") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return str(path)


def acts_of(checker, text: str, speaker: str = "agent", ruleset=None):
    turn = Turn(0, speaker, speaker, text, 0, len(text))
    analysed = checker.analyse(Conversation("chat", (turn,), text))
    return {a.name: a for a in checker.acts(analysed, ruleset).acts}


# an idiom the shipped classifier does not read as checking understanding
MISSED = "Are we on the same page?"


@pytest.mark.parametrize("example", ["Are we both on the same page?"])
def test_centre_example_recognises_what_the_classifier_misses(checker, tmp_path, example):
    assert "understanding_check" not in acts_of(checker, MISSED)
    ruleset = checker.ruleset(centre(tmp_path, f"""
        extends: default
        acts:
          understanding_check:
            examples: ["{example}"]
        """))
    act = acts_of(checker, MISSED, ruleset=ruleset)["understanding_check"]
    assert act.source == "example"
    assert act.evidence.startswith(f"reads like the example '{example}' (")
    # the default rule set is unchanged
    assert "understanding_check" not in acts_of(checker, MISSED, ruleset=checker.ruleset("default"))


@pytest.mark.parametrize("text, near_miss", [("Ahoy, hello!", "Ahoy hello")])
def test_centre_near_miss_suppresses_the_act(checker, tmp_path, text, near_miss):
    assert "greeting" in acts_of(checker, text)
    ruleset = checker.ruleset(centre(tmp_path, f"""
        extends: default
        acts:
          greeting:
            near_misses: ["{near_miss}"]
        """))
    assert "greeting" not in acts_of(checker, text, ruleset=ruleset)


def test_centre_example_loses_to_a_closer_near_miss(checker, tmp_path):
    ruleset = checker.ruleset(centre(tmp_path, """
        extends: default
        acts:
          understanding_check:
            examples: ["Are we both on the same page?"]
            near_misses: ["Are we on the same page of the form?"]
        """))
    assert "understanding_check" in acts_of(checker, MISSED, ruleset=ruleset)
    assert "understanding_check" not in acts_of(checker, "Are we on page two of the form?", ruleset=ruleset)


def test_centre_examples_reach_the_report(checker, tmp_path):
    path = centre(tmp_path, """
        extends: default
        acts:
          understanding_check:
            examples: ["Are we both on the same page?"]
        """)
    report = checker.check(f"Agent: Hello, how can I help?\nCustomer: How do I reset it?\nAgent: Hold the button for ten seconds. {MISSED}\n",
                           rules=path).to_dict()
    found = [a for a in report["acts"] if a["name"] == "understanding_check"]
    assert found and found[0]["source"] == "example" and "reads like the example 'Are we both on the same page?'" in found[0]["evidence"]


def test_centre_examples_embedded_once_per_rule_set(checker, monkeypatch):
    recogniser = checker.recogniser
    calls = []
    real = recogniser.encoder.embed
    monkeypatch.setattr(recogniser.encoder, "embed", lambda texts: calls.append(list(texts)) or real(texts))
    added = {"farewell": ActExamples(("Cheerio, mind how you go.",), ("Cheerio is our savings account.",))}
    first = recogniser.examples_for(added)
    again = recogniser.examples_for(dict(added))
    assert first is again
    assert calls == [["Cheerio, mind how you go.", "Cheerio is our savings account."]]
    assert recogniser.examples_for({}) is recogniser.examples
    examples, pos, neg = first.by_act["farewell"]
    assert examples[-1] == "Cheerio, mind how you go." and len(pos) == len(examples) and len(neg) == len(recogniser.examples.by_act["farewell"][2]) + 1


def test_act_examples_run_as_tests(checker):
    """A centre example outside its act's gates fails; the act files' own pass."""
    added = {"clarifying_question": ActExamples(("Tell me which branch you visited.",), (), "centre.yml:3")}
    results = run_act_examples(checker.recogniser, checker.nlp, added)
    failed = [r for r in results if not r.passed]
    assert [(r.act, r.kind, r.text) for r in failed] == [("clarifying_question", "example", "Tell me which branch you visited.")]
    line = failed[0].explain()
    assert "\n" not in line and line.startswith("act:clarifying_question-example-")
    assert "(centre.yml:3): not recognised as clarifying_question" in line
    own = {r.act for r in results}
    assert "sensitive_request" not in own and "greeting" in own  # acts recognised by patterns only are not run
