"""The format corpus (tests/checker/parse/formats/): transcripts written for these tests, at least four
per format family, each read WITHOUT being told the agent. The counts, channel and learner in
formats.yml were checked by hand against each file."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from checker.parse import read_file

FORMATS = Path(__file__).parent / "formats"
EXPECTED = yaml.safe_load((FORMATS / "formats.yml").read_text(encoding="utf-8"))


def test_every_family_has_four_variants_and_every_file_is_listed():
    files = {p.name for p in FORMATS.iterdir() if p.suffix in (".txt", ".json")}
    assert files == set(EXPECTED)
    families = Counter(entry["family"] for entry in EXPECTED.values())
    assert len(families) >= 13
    assert min(families.values()) >= 4, families


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_format_is_read_by_structure(name):
    entry = EXPECTED[name]
    conversation = read_file(FORMATS / name)
    assert (len(conversation.agent_turns), len(conversation.customer_turns)) == (
        entry["agent_turns"], entry["customer_turns"])
    assert conversation.agent == entry["learner"]
    assert conversation.channel == entry["channel"]
    assert conversation.unread_lines == (), [u.text for u in conversation.unread_lines]


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if not n.endswith(".json")))
def test_offsets_point_into_the_text_as_pasted(name):
    pasted = (FORMATS / name).read_text(encoding="utf-8")
    conversation = read_file(FORMATS / name)
    assert conversation.source == pasted
    for turn in conversation.turns:
        assert all(pasted[turn.to_source(i)] == ch for i, ch in enumerate(turn.text)), turn


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_learner_named_is_the_learner(name):
    entry = EXPECTED[name]
    conversation = read_file(FORMATS / name, agent=entry["learner"])
    assert conversation.agent == entry["learner"]
    assert len(conversation.agent_turns) == entry["agent_turns"]
