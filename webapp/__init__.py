"""The learner feedback page and the JSON API.

``create_app`` builds one ``Checker`` (spaCy model, proofreader, rule sets) for the server's own
use (rule sets, summaries); checks run in worker processes, one per core, each with its own
``Checker``, within a time limit that stops them (``webapp.service.ProcessCheckRunner``). Given a
ready ``Checker`` (tests), checks run on a thread in this process instead
(``webapp.service.CheckRunner``). ``replycheck serve`` runs the app under waitress.

Privacy: the app never logs or stores the text it is given (see ``ReplyCheckFlask.log_exception``
and docs/web.md).
"""
from __future__ import annotations

import secrets
import traceback
from collections.abc import Mapping
from typing import Any

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

from checker.errors import RuleError, SetupError

from .config import DEFAULTS, from_environment
from .service import CheckRunner, ProcessCheckRunner, WorkerSettings, default_workers, known_rules, usable_rules

csrf = CSRFProtect()


class ReplyCheckFlask(Flask):
    """Flask, except that an unexpected error is logged without its message.

    An exception's message can quote the input (a parser error showing a line, say), and the
    input is a customer's personal data, so only the error type and where it happened are logged.
    """

    def log_exception(self, exc_info) -> None:  # noqa: D401 - Flask hook
        exc_type, _exc, tb = exc_info
        frames = traceback.extract_tb(tb)[-6:] if tb is not None else []
        where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames))
        self.logger.error("unhandled %s on %s %s at %s (message not logged: it may quote the transcript)",
                          getattr(exc_type, "__name__", "error"), request.method, request.path, where)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app.

    1. defaults (``webapp.config.DEFAULTS``);
    2. the instance folder's ``config.py`` if there is one, then ``REPLYCHECK_*`` environment
       variables, then ``test_config`` (tests, and ``replycheck serve``'s options);
    3. the checker, built once, with every offered rule set loaded; one that does not load is
       left out and reported (on the page, ``/api/rulesets`` and ``/healthz``), never fatal;
       ``test_config["CHECKER"]`` may hand in a ready ``Checker`` instead;
    4. CSRF protection, security headers, error handlers and the blueprints.
    """
    app = ReplyCheckFlask(__name__, instance_relative_config=True)
    app.json.sort_keys = False  # the report keeps the documented key order, as the CLI prints it
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(from_environment())
    if test_config is not None:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        # Only signs the CSRF token's session cookie; a new key per process just means a form
        # left open across a restart asks to be sent again (keeping the text).
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    if test_config is None or "MAX_FORM_MEMORY_SIZE" not in test_config:
        # Werkzeug limits a multipart text field separately (500 kB by default): keep one limit.
        app.config["MAX_FORM_MEMORY_SIZE"] = app.config["MAX_CONTENT_LENGTH"]
    app.config["PROOFREADER"] = "languagetool" if app.config.get("LANGUAGETOOL_URL") else "harper"

    checker = app.config.get("CHECKER")
    handed_in = checker is not None
    if checker is None:
        from checker import Checker

        checker = Checker(model=app.config["SPACY_MODEL"], languagetool_url=app.config["LANGUAGETOOL_URL"],
                          rules_paths=dict(app.config["RULES"]))
    else:
        missing = [name for name in app.config["RULES"] if name not in checker.rules_paths]
        if missing:
            raise SetupError(f"the given checker does not know the rule sets {', '.join(missing)}")
    # A broken rule set never takes the page down: it is left out, and the page, /api/rulesets
    # and /healthz say which one failed and why; the others still work.
    broken: dict[str, str] = {}
    for name in known_rules(app.config):
        try:
            checker.ruleset(name)
        except RuleError as exc:
            broken[name] = str(exc)
            app.logger.warning("rule set %r could not be loaded and is not offered: %s", name, exc)
    app.extensions["replycheck.broken_rules"] = broken
    names = usable_rules(app.config, broken)
    if app.config["DEFAULT_RULES"] in broken and names:
        app.config["DEFAULT_RULES"] = names[0]
    processes = app.config.get("CHECK_PROCESSES")
    if processes is None:  # auto: worker processes, unless the caller handed in a Checker to use (tests)
        processes = not handed_in
    if processes:
        settings = WorkerSettings(model=checker.model_name, languagetool_url=app.config["LANGUAGETOOL_URL"],
                                  rules_paths={k: str(v) for k, v in checker.rules_paths.items()},
                                  rules=tuple(names), max_bytes=checker.max_bytes)
        runner = ProcessCheckRunner(checker, settings, workers=app.config["CHECK_WORKERS"] or default_workers(),
                                    timeout=app.config["CHECK_TIMEOUT"])
    else:
        runner = CheckRunner(checker, workers=app.config["CHECK_WORKERS"] or 1, timeout=app.config["CHECK_TIMEOUT"])
    app.extensions["checker"] = checker
    app.extensions["replycheck.runner"] = runner
    if app.config["WARM_UP"] and names:
        runner.warm_up(names)

    from . import api, errors, pages, security

    csrf.init_app(app)
    csrf.exempt(api.bp)  # the JSON API holds no session and changes nothing; see docs/web.md
    security.init_app(app)
    errors.init_app(app)
    pages.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    return app
