"""HTML views: the paste form, the results page, the report download and "how it works".

The core flow is plain HTML forms and works without JavaScript. Every view calls the same
``service.run_check`` as the API; none holds NLP logic. A failed check re-shows the form with
what the learner typed (or the text of the file they uploaded) and a message saying what to do.
"""
from __future__ import annotations

import difflib

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import PurePath
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, redirect, render_template, request, url_for

from checker.errors import InputError
from checker.parse import AGENT_ROLE_WORDS

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
LEVEL_LABELS = {"error": "Must fix", "warning": "Should fix", "suggestion": "Worth a try"}
DECISION_LABELS = {"competent": "Competent", "not_yet_competent": "Not yet competent"}
CHANNEL_NAMES = {"chat": "a chat", "email": "an email"}
TOP = 3  # "Fix these first"
MAX_PREVIOUS = 60  # problems carried from one check to the next in the form

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
    previous: str = ""  # the last check's problems, carried in the form (see ``progress``)


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
        previous=form.get("previous", ""),
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
    if state.mask:  # the edit box is folded away; nothing offers to change it
        for note in notes:
            note.apply = None
    state.speakers = tuple(conversation.speakers)
    summary = ruleset_summary(current_app.extensions["checker"], state.rules)
    by_index = {note.index: note for note in notes}
    fixes, more = plan(data, by_index)
    current = problem_keys(data)
    progress = compare(read_previous(state.previous), current, data)
    return render_template("results.html", form=state, report=data, blocks=blocks, notes=notes,
                           ruleset=summary, agent=conversation.agent, error=None, fixes=fixes, more=more,
                           progress=progress, previous=json.dumps(current, ensure_ascii=False, separators=(",", ":")),
                           reading=reading_notes(conversation, state, data),
                           unread=data.get("unread_lines") or [],
                           channel_name=CHANNEL_NAMES.get(data["channel"], data["channel"]))


@dataclass
class Item:
    """One thing to fix as the page lists it: a finding (or a criterion with none), its note."""

    priority: dict[str, Any]
    finding: dict[str, Any] | None
    note: Any  # highlight.Note or None
    quote_is_yours: bool = False


def plan(data: dict[str, Any], notes_by_index: dict[int | None, Any]) -> tuple[list[Item], list[Item]]:
    """"Fix these first" (the first ``TOP`` priorities, each led by its lead finding) and "also
    to work on" (every other problem finding, in priority order): each problem listed once.

    Two findings that mark the same missing part at the same place (an email's missing sign-off,
    found by the closing rule and by the email-structure rule) share one marker in the text and
    are one problem: only the first is listed; the marker opens both notes."""
    findings = data.get("findings", [])
    roles = {t["index"]: t["role"] for t in data.get("turns", [])}
    fixes: list[Item] = []
    more: list[Item] = []
    markers: set[str] = set()  # gap markers already listed
    for k, p in enumerate(data.get("priorities", [])):
        indices = p.get("findings") or []
        entries = [(i, findings[i]) for i in indices if 0 <= i < len(findings)] or [(None, None)]
        for j, (i, f) in enumerate(entries):
            note = notes_by_index.get(i) if i is not None else None
            top = k < TOP and j == 0
            if note is not None and note.gap and note.ref:
                if note.ref in markers and not top:
                    continue
                markers.add(note.ref)
            yours = bool(f and f.get("quote") and roles.get(f.get("turn")) == "agent")
            (fixes if top else more).append(Item(priority=p, finding=f, note=note, quote_is_yours=yours))
    return fixes, more


def problem_keys(data: dict[str, Any]) -> dict[str, Any]:
    """What the next check compares against: the score and each problem as [rule, quote, message],
    carried in the form so nothing is stored on the server."""
    problems = [[f.get("rule", ""), f.get("quote", "")[:120], f.get("message", "")[:300]]
                for f in data.get("findings", [])[:MAX_PREVIOUS]]
    return {"score": data.get("score"), "problems": problems}


def read_previous(raw: str) -> dict[str, Any] | None:
    """The previous check's ``problem_keys``, or None when absent or not in the expected shape."""
    if not raw or len(raw) > 100_000:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("problems"), list):
        return None
    score = value.get("score")
    if not isinstance(score, (int, float)) or isinstance(score, bool):
        return None
    problems = [tuple(p) for p in value["problems"][:MAX_PREVIOUS]
                if isinstance(p, list) and len(p) == 3 and all(isinstance(x, str) for x in p)]
    return {"score": float(score), "problems": problems}


def compare(previous: dict[str, Any] | None, current: dict[str, Any], data: dict[str, Any]) -> dict[str, Any] | None:
    """Since the last check: the score then and now, what is fixed, what remains, what is new.

    A problem is the same when its rule is the same and its quoted words are the same (a missing
    greeting has no quote, so it stays the same problem until the greeting is there), or nearly
    the same in a quote of a sentence or more: fixing a typo inside a sentence another rule quotes
    leaves that rule's problem where it was, neither fixed nor new."""
    if previous is None:
        return None
    before_problems = previous["problems"]
    now_problems = current["problems"]

    def found_in(rule: str, quote: str, problems) -> bool:
        return any(r == rule and _same_quote(q, quote) for r, q, _m in problems)

    fixed = [m for r, q, m in before_problems if not found_in(r, q, now_problems)]
    remaining = sum(1 for r, q, _m in now_problems if found_in(r, q, before_problems))
    new = len(now_problems) - remaining
    return {"score_before": round(previous["score"]), "score_now": round(data.get("score") or 0),
            "fixed": list(dict.fromkeys(fixed)), "remaining": remaining, "new": new}


SAME_QUOTE_MIN_CHARS = 30  # shorter quotes (a word, a phrase) must match exactly: changing them is the fix
SAME_QUOTE_RATIO = 0.85


def _same_quote(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < SAME_QUOTE_MIN_CHARS:
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= SAME_QUOTE_RATIO


def reading_notes(conversation, state: FormState, data: dict[str, Any]) -> list[str]:
    """Warnings about how the text was read, when the reading is a guess: one message with no
    speaker labels, or the learner's speaker worked out from what each speaker wrote."""
    out = []
    turns = conversation.turns
    labelled = any(_label_before(conversation.source, t) for t in turns) or bool(
        re.search(r"^(?:from|to|subject|date|sent):", conversation.source, re.I | re.M))
    if len(turns) == 1 and not labelled:
        out.append(f"We read all of this as one {data['channel']} written by you, with no customer messages, "
                   "so anything that answers the customer could not be judged. If it is a conversation, "
                   "start each message with who wrote it, for example “Agent:” and “Customer:”.")
    elif conversation.channel == "chat" and not state.agent and len(conversation.speakers) > 1:
        agent_turn = next((t for t in turns if t.role == "agent"), None)
        label = _label_before(conversation.source, agent_turn) if agent_turn else ""
        words = set(re.findall(r"[a-z]+(?:[ /][a-z]+)?", label.lower())) | set(re.findall(r"[a-z]+", label.lower()))
        if agent_turn and not (words & AGENT_ROLE_WORDS):
            out.append(f"We guessed that you are “{agent_turn.speaker}” from what each speaker wrote. "
                       "If that is wrong, choose your name under “Fix and check again”.")
    return out


def _label_before(source: str, turn) -> str:
    """The text on a message's first line before the message itself ("[10:02] Sam (Advisor): ")."""
    line_start = source.rfind("\n", 0, turn.start) + 1
    return source[line_start:turn.start] if turn.start - line_start <= 80 else ""


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
