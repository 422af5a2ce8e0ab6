"""HTML views: the paste form, the results page, the report download and "how it works".

The core flow is plain HTML forms and works without JavaScript. Every view calls the same
``service.run_check`` as the API; none holds NLP logic. A failed check re-shows the form with
what the learner typed (or the text of the file they uploaded) and a message saying what to do.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import PurePath
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, redirect, render_template, request, url_for

from checker.errors import InputError

from .highlight import build_transcript
from .privacy import mask_data, mask_text
from .service import (CHANNELS, CheckRequest, WebError, input_error, run_check, ruleset_summary, upload_to_text,
                      usable_rules)

bp = Blueprint("pages", __name__)

STATUS_LABELS = {
    "met": "Met",
    "partly": "Partly met",
    "not_met": "Not yet met",
    "not_applicable": "Not applicable",
    "not_assessable": "Cannot tell from the transcript",
}
STATUS_ICONS = {"met": "\u2713", "partly": "\u25d0", "not_met": "\u2717", "not_applicable": "\u2013",
                "not_assessable": "?"}
LEVEL_LABELS = {"error": "Must fix", "warning": "Should fix", "suggestion": "Suggestion"}
DECISION_LABELS = {"competent": "Competent", "not_yet_competent": "Not yet competent"}
CHANNEL_LABELS = {"auto": "Work it out", "chat": "Chat", "email": "Email"}
EXAMPLES = {"chat": "example_chat.txt", "email": "example_email.txt"}


@dataclass
class FormState:
    """What the form shows: the learner's input as they gave it."""

    text: str = ""
    channel: str = "auto"
    agent: str = ""
    rules: str = "default"
    mask: bool = False
    speakers: tuple[str, ...] = ()  # offered as "which speaker are you"
    ask_speaker: bool = False  # the check could not tell: the choice is required
    filename: str | None = None  # the file the text came from, if any
    notes: list[str] = field(default_factory=list)


def _runner():
    return current_app.extensions["replycheck.runner"]


def _broken() -> dict[str, str]:
    return current_app.extensions.get("replycheck.broken_rules", {})


def _rules_names() -> list[str]:
    return usable_rules(current_app.config, _broken())


def read_form() -> FormState:
    """The form's fields (never raises: a bad value is kept and reported by ``service.validate``)."""
    form = request.form
    channel = form.get("channel", "auto")
    return FormState(
        text=form.get("text", ""),
        channel=channel,
        agent=form.get("agent", "").strip(),
        rules=form.get("rules", current_app.config["DEFAULT_RULES"]),
        mask=form.get("mask") in ("1", "on", "true", "yes"),
    )


def _take_upload(state: FormState) -> None:
    """If a file was chosen, its text replaces the box's text (so the learner can edit it)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return
    filename = PurePath(upload.filename.replace("\\", "/")).name or "upload.txt"
    data = upload.read()
    try:
        text, implied_channel = upload_to_text(data, filename)
    except InputError as exc:
        raise input_error(exc, uploaded=True) from None
    state.text = text
    state.filename = filename
    if implied_channel and state.channel == "auto":
        state.channel = implied_channel
    state.notes.append(f"The text of {filename} is in the box below, so you can edit it and check again.")


def _check(state: FormState):
    return run_check(_runner(), CheckRequest(text=state.text, channel=state.channel, agent=state.agent or None,
                                             rules=state.rules, mask=state.mask, filename=state.filename),
                     _rules_names(), _broken())


def render_form(state: FormState, error: WebError | None = None, status: int = 200):
    if error is not None and error.speakers:
        state.speakers = error.speakers
        state.ask_speaker = True
    return render_template("index.html", form=state, error=error), status


@bp.get("/")
def index():
    state = FormState(rules=current_app.config["DEFAULT_RULES"])
    example = request.args.get("example")
    if example is not None:
        if example not in EXAMPLES:
            abort(404)
        state.text = resources.files("webapp").joinpath(EXAMPLES[example]).read_text(encoding="utf-8")
        state.notes.append("This is a made-up example. Press Check to see the feedback, or replace it with your own.")
    return render_template("index.html", form=state, error=None)


@bp.get("/check")
def check_get():
    return redirect(url_for("pages.index"))


@bp.post("/check")
def check():
    state = read_form()
    try:
        _take_upload(state)
        report = _check(state)
    except WebError as exc:  # every problem, even a time-out, re-shows the form with the text
        return render_form(state, exc, exc.status)
    return render_results(state, report)


def render_results(state: FormState, report):
    data = report.to_dict()
    conversation = report.conversation
    display = None
    if state.mask:
        data = mask_data(data)
        display = {t.index: mask_text(t.text) for t in conversation.turns}
        if conversation.notes:
            display[None] = mask_text(conversation.notes)
    blocks, notes = build_transcript(conversation, data, display)
    state.speakers = tuple(conversation.speakers)
    summary = ruleset_summary(current_app.extensions["checker"], state.rules)
    return render_template("results.html", form=state, report=data, blocks=blocks, notes=notes,
                           ruleset=summary, agent=conversation.agent, error=None)


@bp.post("/download")
def download():
    """The report as a JSON file, checked again from the form's fields (nothing was kept)."""
    state = read_form()
    try:
        report = _check(state)
    except WebError as exc:  # every problem, even a time-out, re-shows the form with the text
        return render_form(state, exc, exc.status)
    data = report.to_dict()
    if state.mask:
        data = mask_data(data)
    body = json.dumps(data, indent=2, ensure_ascii=False)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="replycheck-report.json"'})


@bp.get("/about")
def about():
    name = request.args.get("rules", current_app.config["DEFAULT_RULES"])
    if name in _broken():
        abort(503, description=f"The rule set {name!r} could not be loaded: {_broken()[name]}")
    if name not in _rules_names():
        abort(404)
    summary = ruleset_summary(current_app.extensions["checker"], name)
    return render_template("about.html", ruleset=summary, rules_names=_rules_names(), form=None)


def init_app(app: Flask) -> None:
    @app.context_processor
    def labels() -> dict[str, Any]:
        return {
            "STATUS_LABELS": STATUS_LABELS,
            "STATUS_ICONS": STATUS_ICONS,
            "LEVEL_LABELS": LEVEL_LABELS,
            "DECISION_LABELS": DECISION_LABELS,
            "CHANNELS": CHANNELS,
            "CHANNEL_LABELS": CHANNEL_LABELS,
            "RULES_NAMES": usable_rules(app.config, app.extensions.get("replycheck.broken_rules", {})),
            "BROKEN_RULES": app.extensions.get("replycheck.broken_rules", {}),
            "MAX_KB": app.config["MAX_CONTENT_LENGTH"] // 1024,
            "MAX_BYTES": app.config["MAX_CONTENT_LENGTH"],
        }
