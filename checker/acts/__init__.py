"""The dialogue-act stage: marks greeting, identity requests, empathy, escalation… on every
sentence of every turn, as plain ``Act`` data that rules name (see ``recognise.py``)."""
from .definitions import ActDefinition, ActDefinitionError, act_names, load_definitions
from .recognise import ActRecogniser, recognise_acts

__all__ = ["ActDefinition", "ActDefinitionError", "ActRecogniser", "act_names", "load_definitions", "recognise_acts"]
