"""Error responses: JSON ``{"error", "message"}`` under ``/api`` and ``/healthz``, HTML pages
elsewhere. Never a traceback, and never the learner's text in a log.

Form errors a learner can fix (empty text, unreadable file, unknown speaker) are handled by the
views themselves, which re-show the form with the text kept. What reaches these handlers is
what the views cannot handle: a request too large to read (413), an expired form (CSRF, which
keeps the text too), a check that ran out of time (503), a wrong URL or method, a bug (500).
"""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from .service import WebError

TITLES = {
    400: "The request could not be read",
    404: "Page not found",
    405: "Not allowed here",
    413: "Your transcript is too large",
    415: "This kind of upload is not accepted",
    500: "Something went wrong",
    503: "Please try again",
}

FRIENDLY = {
    400: "The request could not be read.",
    404: "There is no page at this address.",
    405: "This address does not accept that kind of request.",
    413: "The transcript is too large.",
    415: "This kind of upload is not accepted.",
    500: "Something went wrong on our side. Nothing you sent was kept; please try again.",
    503: "The service is busy. Please try again in a minute.",
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _slug(exc: HTTPException) -> str:
    return (exc.name or "error").lower().replace(" ", "_").replace("'", "")


def _too_large_message() -> str:
    from flask import current_app

    limit_kb = current_app.config["MAX_CONTENT_LENGTH"] // 1024
    return (f"The transcript is too large: the limit is {limit_kb} KB. Check one conversation at a time, "
            "or trim long quoted email threads.")


def web_error(exc: WebError):
    if wants_json():
        return jsonify(exc.to_dict()), exc.status
    return render_template("error.html", status=exc.status, title=TITLES.get(exc.status, "Something went wrong"),
                           message=exc.message, form=None), exc.status


def http_error(exc: HTTPException):
    status = exc.code or 500
    if isinstance(exc, RequestEntityTooLarge):
        message = _too_large_message()
        code = "too_large"
    else:
        message = FRIENDLY.get(status) or exc.description or "Something went wrong."
        code = _slug(exc)
    if wants_json():
        return jsonify({"error": code, "message": message}), status
    back = ("Use your browser's Back button: what you pasted is still in the box there." if status == 413 else None)
    return render_template("error.html", status=status, title=TITLES.get(status, exc.name), message=message,
                           back=back, form=None), status


def csrf_error(exc: CSRFError):
    if wants_json():  # the API is exempt; this only happens on a misrouted request
        return jsonify({"error": "csrf", "message": exc.description}), 400
    if request.method == "POST" and request.path in ("/check", "/download"):
        from .pages import read_form, render_form

        state = read_form()
        error = WebError(400, "form_expired",
                         "This form had expired (or your browser blocked this site's cookie), so it was not checked. "
                         "Your text is still here: press Check again.")
        return render_form(state, error, 400)
    return render_template("error.html", status=400, title="The form had expired",
                           message="Go back, reload the page and try again.", form=None), 400


def server_error(exc: InternalServerError):
    if wants_json():
        return jsonify({"error": "internal_error", "message": FRIENDLY[500]}), 500
    return render_template("error.html", status=500, title="Something went wrong", message=FRIENDLY[500],
                           form=None), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(WebError, web_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(InternalServerError, server_error)
    app.register_error_handler(HTTPException, http_error)
