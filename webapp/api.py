"""JSON views: ``POST /api/check``, ``GET /api/rulesets``, ``GET /healthz``.

``/api/check`` takes a JSON body ``{"text": "…", "channel": "auto", "agent": null,
"rules": "default", "mask": false}`` (only ``text`` required), or a multipart form with the
transcript in field ``file`` (``.txt``, ``.eml``, ``.json``, ``.csv`` or ``.tsv``: the name picks the reader, as on the
command line) or in field ``text``, and the other keys as form fields. It answers with the
report JSON that ``replycheck check --format json`` prints. Errors are
``{"error": code, "message": text}`` with a 4xx/5xx status (see docs/web.md).
"""
from __future__ import annotations

from pathlib import PurePath
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from .privacy import mask_data
from .service import UPLOAD_KINDS, UPLOAD_SUFFIXES, CheckRequest, WebError, run_check, ruleset_summary, usable_rules

bp = Blueprint("api", __name__)

JSON_KEYS = {"text", "channel", "agent", "rules", "mask"}


def _flag(value: Any, key: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("1", "true", "yes", "on", "0", "false", "no", "off", ""):
        return value.lower() in ("1", "true", "yes", "on")
    raise WebError(400, "bad_request", f"'{key}' must be true or false.")


def _string(value: Any, key: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise WebError(400, "bad_request", f"'{key}' must be a string.")
    return value


def read_request() -> CheckRequest:
    default_rules = current_app.config["DEFAULT_RULES"]
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # silent=True covers malformed JSON, not JSON nested past Python's limit
            raise WebError(400, "bad_json", "The body is nested too deeply: send {\"text\": \"…\"}.") from None
        if not isinstance(body, dict):
            raise WebError(400, "bad_json", "The body is not a JSON object: send {\"text\": \"…\"}.")
        unknown = sorted(set(body) - JSON_KEYS)
        if unknown:
            raise WebError(400, "bad_request",
                           f"Unknown key {unknown[0]!r}: the keys are {', '.join(sorted(JSON_KEYS))}.")
        if "text" not in body:
            raise WebError(400, "empty", "The body has no 'text': send {\"text\": \"…\"}.")
        agent = _string(body.get("agent"), "agent", optional=True)
        return CheckRequest(
            text=_string(body["text"], "text"),
            channel=_string(body.get("channel", "auto"), "channel"),
            agent=agent.strip() or None if agent else None,
            rules=_string(body.get("rules", default_rules), "rules"),
            mask=_flag(body.get("mask", False), "mask"),
        )
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = request.form
        unknown = sorted(set(form) - JSON_KEYS)
        if unknown:
            raise WebError(400, "bad_request",
                           f"Unknown field {unknown[0]!r}: the fields are file, {', '.join(sorted(JSON_KEYS))}.")
        common = {
            "channel": form.get("channel", "auto"),
            "agent": form.get("agent", "").strip() or None,
            "rules": form.get("rules", default_rules),
            "mask": _flag(form.get("mask", "false"), "mask"),
        }
        upload = request.files.get("file")
        if upload is not None and upload.filename:
            filename = PurePath(upload.filename.replace("\\", "/")).name or "upload.txt"
            if PurePath(filename).suffix.lower() not in UPLOAD_SUFFIXES:
                raise WebError(400, "unsupported_file",
                               f"{filename}: ReplyCheck reads {UPLOAD_KINDS} files; send the transcript as one of those.")
            return CheckRequest(data=upload.read(), filename=filename, **common)
        if "text" in form:
            return CheckRequest(text=form["text"], **common)
        raise WebError(400, "empty", "No transcript: send it in the form field 'file' or 'text'.")
    raise WebError(415, "unsupported_media_type",
                   "Send JSON (Content-Type: application/json) or a multipart form with the field 'file'.")


@bp.post("/api/check")
def check():
    req = read_request()
    try:
        report = run_check(current_app.extensions["replycheck.runner"], req,
                           usable_rules(current_app.config, _broken()), _broken())
    except WebError as exc:
        if exc.code == "speaker_unknown":
            exc.message += ' Send your name as "agent".'
        raise
    data = report.to_dict()
    return jsonify(mask_data(data) if req.mask else data)


def _broken() -> dict[str, str]:
    return current_app.extensions.get("replycheck.broken_rules", {})


@bp.get("/api/rulesets")
def rulesets():
    checker = current_app.extensions["checker"]
    return jsonify({
        "default": current_app.config["DEFAULT_RULES"],
        "rulesets": [ruleset_summary(checker, name) for name in usable_rules(current_app.config, _broken())],
        "unavailable": [{"name": name, "error": why} for name, why in _broken().items()],
    })


@bp.get("/healthz")
def healthz():
    """Cheap: says the app is up and what it was built with; runs no check."""
    checker = current_app.extensions["checker"]
    runner = current_app.extensions["replycheck.runner"]
    from checker import __version__

    usable = usable_rules(current_app.config, _broken())
    return jsonify({
        # "degraded": up, but a configured rule set failed to load (named below); 503 when none loaded
        "status": "ok" if not _broken() else ("degraded" if usable else "unavailable"),
        "version": __version__,
        "model": checker.model_name,
        "proofreader": getattr(checker.proofreader, "name", type(checker.proofreader).__name__),
        "rulesets": usable,
        "unavailable_rulesets": _broken(),
        "check_workers": runner.workers,
        "check_mode": runner.mode,
        "check_timeout": runner.timeout,
    }), (200 if usable else 503)
