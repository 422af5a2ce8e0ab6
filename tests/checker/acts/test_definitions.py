"""Act files: they load strictly, and every act's examples and near-misses run as tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from checker.acts.definitions import ActDefinitionError, act_names, load_definitions, parse_definition
from checker.model import Conversation, Turn

DEFINITIONS = load_definitions()


def _one_sentence(checker, text: str, speaker: str):
    turn = Turn(0, speaker, speaker, text, 0, len(text))
    conversation = Conversation("chat", (turn,), text)
    analysed = checker.analyse(conversation)
    # out of any conversation: position gates aside, and nothing said before it (``needs: old_data``)
    return {a.name for a in checker.recogniser.recognise(analysed, gate_position=False).acts}


def test_act_files_are_the_vocabulary():
    assert set(DEFINITIONS) == set(act_names())
    for must in ("greeting", "identity_request", "sensitive_request", "specific_acknowledgement", "understanding_check",
                 "escalation", "expectation", "farewell", "problem_statement", "feeling", "manager_or_complaint_request"):
        assert must in DEFINITIONS


EXAMPLES = [(d.name, "example", i, t) for d in DEFINITIONS.values() for i, t in enumerate(d.examples)]
NEAR = [(d.name, "near_miss", i, t) for d in DEFINITIONS.values() for i, t in enumerate(d.near_misses)]


@pytest.mark.parametrize("act, kind, index, text", EXAMPLES + NEAR, ids=[f"{a}-{k}-{i}" for a, k, i, _ in EXAMPLES + NEAR])
def test_act_example(checker, act, kind, index, text):
    """An example is recognised as its act; a near-miss is not (position gates aside: each runs
    as the only message of its speaker)."""
    found = _one_sentence(checker, text, DEFINITIONS[act].speaker)
    if kind == "example":
        assert act in found, f"{act} example {text!r} not recognised; found {sorted(found)}"
    else:
        assert act not in found, f"{act} near-miss {text!r} recognised as {act}"


@pytest.mark.parametrize("data, fragment", [
    ({"act": "x", "speaker": "agent", "examples": ["a"], "colour": 1}, "unknown key 'colour'"),
    ({"act": "x", "speaker": "robot", "examples": ["a"]}, "'speaker' must be one of agent, customer"),
    ({"act": "x", "speaker": "agent"}, "needs 'examples' or 'patterns'"),
    ({"act": "x", "speaker": "agent", "examples": ["a"], "threshold": 2}, "'threshold' must be a number between 0 and 1"),
    ({"act": "x", "speaker": "agent", "patterns": [[{"LOWR": "pin"}]]}, "unknown token key(s) LOWR"),
    ({"act": "x", "speaker": "agent", "examples": ["a"], "position": "middle"}, "'position' must be one of"),
])
def test_act_definition_errors_name_the_problem(data, fragment):
    with pytest.raises(ActDefinitionError) as err:
        parse_definition(data, "x.yml", "x")
    assert fragment in str(err.value)
    assert str(err.value).startswith("x.yml: ")


def test_act_file_name_must_match(tmp_path: Path):
    (tmp_path / "wrong.yml").write_text("act: right\nspeaker: agent\nexamples: [Hello]\n", encoding="utf-8")
    with pytest.raises(ActDefinitionError, match="the file is wrong.yml"):
        load_definitions(tmp_path)
