"""The probe set's figures (benchmarks/proof_probes.py) against the issue's targets.

Recall is held at the level reached (0.69), below the issue's 0.80: missing words and several
other grammar slips are not caught yet. Raise the floor as checks are added.
"""
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECALL_FLOOR = 0.80


def _module():
    module = sys.modules.get("proof_probes")
    if module is None:
        spec = importlib.util.spec_from_file_location("proof_probes", ROOT / "benchmarks" / "proof_probes.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["proof_probes"] = module  # dataclasses look their module up by name
        spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_probe_figures_meet_the_targets(checker):
    probes_module = _module()
    probes = probes_module.load_probes(probes_module.PROBES)
    assert len(probes) >= 280 and sum(p.clean for p in probes) >= 80
    fig = probes_module.figures(probes_module.score(probes, probes_module.flags_for(checker, probes))["total"])
    assert fig["precision"] >= probes_module.TARGETS["precision"]
    assert fig["first_suggestion"] >= probes_module.TARGETS["first_suggestion"]
    assert fig["false_alarms"] <= probes_module.TARGETS["false_alarms"]
    assert fig["recall"] >= RECALL_FLOOR


def test_the_scoring_counts_spans_suggestions_and_clean_sentences():
    m = _module()
    probe = m.Probe(1, "We was late to.", (m.Error(3, 6, "were", "agreement"),), False)
    clean = m.Probe(2, "All fine.", (), True)
    flags = [[m.Flag(3, 6, "grammar.agreement", ("were",)), m.Flag(12, 14, "x", ("too",))], [m.Flag(0, 3, "x", ())]]
    fig = m.figures(m.score([probe, clean], flags)["total"])
    assert fig == {"precision": 1 / 3, "recall": 1.0, "first_suggestion": 1.0, "false_alarms": 1.0}
