"""One module per rule type; importing this package registers them all in ``RULE_TYPES``."""
from . import acronym, conditional, metric, name, notes, order, pattern, phrase, proofing, reask, required, structure, substitution, template, wait  # noqa: F401
from ..base import RULE_TYPES  # noqa: F401
