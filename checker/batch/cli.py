"""``replycheck batch`` and ``replycheck results``."""
from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

import click

from ..cli import common_checker_options
from ..model import STATUSES
from .inputs import LEARNER_FROM, InputOptions
from .store import RESULTS_FILE

SHOW_FAILURES = 20


@contextlib.contextmanager
def _store_errors(folder: Path):
    """A results file that turns out damaged while it is read: one line, not a traceback."""
    import sqlite3

    from .store import unusable_store

    try:
        yield
    except sqlite3.Error as exc:
        raise unusable_store(folder / RESULTS_FILE, exc) from None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "-o", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for results.csv, results.jsonl, summary.html, errors.csv, results.sqlite and transcripts/.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes on this machine [default: every core].")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786, instead of local processes.")
@click.option("--learner-from", type=click.Choice(LEARNER_FROM), default="auto", show_default=True,
              help="Where each transcript's learner comes from: a table column, the folder name or the file name.")
@click.option("--learner-column", default=None, metavar="NAME",
              help="The learner column in CSV/JSONL inputs [default: learner, student or candidate].")
@click.option("--conversation-column", default=None, metavar="NAME",
              help="The column grouping CSV/JSONL message rows into conversations [default: conversation_id, id, …].")
@click.option("--channel", type=click.Choice(["auto", "chat", "email"]), default="auto", show_default=True)
@click.option("--agent", default=None, metavar="NAME", help="The learner's speaker name, when transcripts do not say.")
@click.option("--rules", default="default", show_default=True, metavar="NAME|PATH", help="Rule set to judge against.")
@click.option("--force", is_flag=True, help="Judge every input again, even those already done.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or summary; failures are still listed.")
@common_checker_options
@click.pass_context
def batch(ctx, inputs, out, jobs, scheduler, learner_from, learner_column, conversation_column, channel, agent, rules,
          force, quiet, model, languagetool_url, time_limit):
    """Score every transcript in INPUTS (folders, .zip files, transcript files, CSV/JSONL tables)
    into the folder --out.

    \b
    Examples:
      replycheck batch submissions/ --out results/
      replycheck batch cohort.zip --out results/ --learner-from file
      replycheck batch messages.csv --out results/ --learner-column student
      replycheck batch submissions/ --out results/ --scheduler tcp://10.0.0.5:8786

    Running the same command again resumes: only new or changed inputs are judged.
    See docs/batch.md for the inputs, the output columns and Dask.

    \b
    Exit status:
      0    every input scored (duplicates are reported, not failures)
      1    some inputs failed (listed, and in errors.csv)
      2    usage error
      130  interrupted (finished results are kept; run again to resume)
    """
    from ..nlp import DEFAULT_MODEL
    from .runner import BatchOptions, InterruptedBatch, run_batch

    if scheduler and jobs is not None:
        raise click.UsageError("give --jobs or --scheduler, not both: with --scheduler the cluster's workers do the work")
    options = BatchOptions(
        out=out, jobs=jobs or default_jobs(), scheduler=scheduler, rules=rules, model=model or DEFAULT_MODEL,
        languagetool_url=languagetool_url, channel=channel, agent=agent, force=force, time_limit=time_limit,
        inputs=InputOptions(learner_from=learner_from, learner_column=learner_column,
                            conversation_column=conversation_column),
        progress="quiet" if quiet else "auto",
    )
    try:
        result = run_batch(list(inputs), options)
        with _store_errors(out):
            _print_summary(result, out, quiet)
    except InterruptedBatch as stop:
        r = stop.result
        click.echo(f"Interrupted: {r.judged} judged in this run before the stop. Finished results are saved in "
                   f"{out / RESULTS_FILE}; run the same command again to resume.", err=True)
        sys.exit(130)
    if result.failed:
        sys.exit(1)


def _print_summary(result, out: Path, quiet: bool) -> None:
    from .store import ResultStore

    if not quiet:
        dups = f"{result.duplicates} duplicate{'s' if result.duplicates != 1 else ''}"
        click.echo(f"Found {result.found} inputs: {result.scored} scored + {result.failed} failed + {dups} "
                   f"= {result.scored + result.failed + result.duplicates}.")
        if result.reused:
            click.echo(f"{result.reused} were already done in an earlier run and were not judged again.")
        click.echo(f"Results in {out}: results.csv, results.jsonl, summary.html, errors.csv, {RESULTS_FILE}")
    if result.failed or (result.duplicates and not quiet):
        store = ResultStore(out / RESULTS_FILE, readonly=True)
        try:
            if result.failed:
                click.echo(f"Not scored ({result.failed}):", err=True)
                rows = store.query("SELECT file, line, error FROM transcripts WHERE state = 'failed' ORDER BY seq LIMIT ?",
                                   (SHOW_FAILURES,))
                for row in rows:
                    where = f"{row['file']}:{row['line']}" if row["line"] is not None else row["file"]
                    click.echo(f"  {where}: {row['error']}", err=True)
                if result.failed > SHOW_FAILURES:
                    click.echo(f"  … and {result.failed - SHOW_FAILURES} more in errors.csv", err=True)
            if result.duplicates and not quiet:
                rows = store.query("SELECT file, duplicate_of_file FROM transcripts WHERE state = 'duplicate' "
                                   "ORDER BY seq LIMIT ?", (SHOW_FAILURES,))
                click.echo(f"Duplicates ({result.duplicates}), not scored again:")
                for row in rows:
                    click.echo(f"  {row['file']}: same content as {row['duplicate_of_file']}")
                if result.duplicates > SHOW_FAILURES:
                    click.echo(f"  … and {result.duplicates - SHOW_FAILURES} more in errors.csv")
        finally:
            store.db.close()


# ---------------------------------------------------------------- results

SORTS = {"file": ("seq",), "learner": ("learner COLLATE NOCASE", "seq"), "score": ("score", "seq")}


def _status(value: str | None) -> str | None:
    if value is None:
        return None
    v = value.strip().lower().replace("-", "_").replace(" ", "_")
    v = {"n/a": "not_applicable", "na": "not_applicable", "not_yet": "not_met"}.get(v, v)
    if v not in STATUSES:
        raise click.BadParameter(f"{value!r}: use one of {', '.join(STATUSES)}", param_hint="--status")
    return v


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--criterion", default=None, metavar="ID", help="Only rows where this criterion has --status (e.g. empathy).")
@click.option("--status", default=None, metavar="STATUS",
              help="met, partly, not_met, not_applicable or not_assessable; without --criterion: any criterion.")
@click.option("--learner", multiple=True, metavar="NAME", help="Only this learner (repeat for several; case-insensitive).")
@click.option("--decision", type=click.Choice(["competent", "not_yet_competent"]), default=None)
@click.option("--state", type=click.Choice(["scored", "failed", "duplicate", "all"]), default="scored", show_default=True,
              help="Scored transcripts, or the inputs that were not scored.")
@click.option("--min-score", type=float, default=None)
@click.option("--max-score", type=float, default=None)
@click.option("--sort", type=click.Choice(sorted(SORTS)), default="file", show_default=True,
              help="file = input order.")
@click.option("--desc", is_flag=True, help="Reverse the order.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (atomically) instead of standard output; CSV gets a BOM for Excel.")
def results(folder, criterion, status, learner, decision, state, min_score, max_score, sort, desc, fmt, output):
    """Filter and sort the results of a batch (FOLDER is its --out folder) and show or re-export them.

    \b
    Examples:
      replycheck results results/ --criterion empathy --status not_met
      replycheck results results/ --learner "Sam Patel" --format json
      replycheck results results/ --decision not_yet_competent --format csv --output nyc.csv
      replycheck results results/ --state failed
    """
    with _store_errors(folder):
        _results(folder, criterion, status, learner, decision, state, min_score, max_score, sort, desc, fmt, output)


def _results(folder, criterion, status, learner, decision, state, min_score, max_score, sort, desc, fmt, output):
    from .outputs import atomic_write, csv_header, csv_row
    from .store import ResultStore

    store = ResultStore(folder / RESULTS_FILE, readonly=True)
    try:
        criteria_meta = store.meta("criteria", [])
        criteria = [c["id"] for c in criteria_meta]
        status = _status(status)
        if criterion is not None and criterion not in criteria:
            raise click.BadParameter(f"{criterion!r} is not a criterion of this batch's rule set; use one of: "
                                     f"{', '.join(criteria)}", param_hint="--criterion")
        if criterion is not None and status is None:
            raise click.UsageError("--criterion needs --status (e.g. --status not_met)")
        if fmt == "csv" and state != "scored":
            raise click.UsageError("--format csv re-exports scored transcripts; use table or json with --state")
        run = store.last_run()
        where, params = ["1"], []
        if run is not None and run["complete"]:
            where.append("run = ?")
            params.append(run["id"])
        if state != "all":
            where.append("state = ?")
            params.append(state)
        if criterion is not None:
            where.append("key IN (SELECT key FROM criteria WHERE criterion = ? AND status = ?)")
            params += [criterion, status]
        elif status is not None:
            where.append("key IN (SELECT key FROM criteria WHERE status = ?)")
            params.append(status)
        if learner:
            where.append(f"casefold(learner) IN ({', '.join('?' for _ in learner)})")
            params += [n.casefold() for n in learner]
        if decision:
            where.append("decision = ?")
            params.append(decision)
        if min_score is not None:
            where.append("score >= ?")
            params.append(min_score)
        if max_score is not None:
            where.append("score <= ?")
            params.append(max_score)
        order = ", ".join(f"{part} {'DESC' if desc else 'ASC'}" for part in SORTS[sort])
        rows = store.rows(" AND ".join(where), tuple(params), order=order)

        def emit(fh) -> int:
            n = 0
            if fmt == "csv":
                import csv

                writer = csv.writer(fh, lineterminator="\r\n")
                writer.writerow(csv_header(criteria))
                for row in rows:
                    writer.writerow(csv_row(row, criteria))
                    n += 1
            elif fmt == "json":
                fh.write("[")
                for row in rows:
                    fh.write(("," if n else "") + "\n  " + json.dumps(_row_json(row), ensure_ascii=False))
                    n += 1
                fh.write("\n]\n" if n else "]\n")
            else:
                n = _write_table(fh, rows, criterion, status)
            return n

        if output is not None:
            with atomic_write(output, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
                n = emit(fh)
            click.echo(f"{n} row{'s' if n != 1 else ''} written to {output}", err=True)
        else:
            emit(sys.stdout)
    finally:
        store.db.close()


def _row_json(row) -> dict:
    data = {"learner": row["learner"], "file": row["file"], "state": row["state"], "channel": row["channel"],
            "score": row["score"], "decision": row["decision"],
            "critical_failures": [c for c in (row["critical_failures"] or "").split(";") if c],
            "criteria": json.loads(row["statuses"] or "{}")}
    if row["state"] != "scored":
        data["error"] = row["error"]
        if row["duplicate_of_file"]:
            data["duplicate_of"] = row["duplicate_of_file"]
    else:
        data["feedback_page"] = f"transcripts/{row['page']}"
    return data


def _write_table(fh, rows, criterion: str | None, status: str | None) -> int:
    head = ["learner", "file", "score", "decision", criterion or "critical failures / error"]
    lines = []
    n = 0
    for row in rows:
        statuses = json.loads(row["statuses"] or "{}")
        if row["state"] != "scored":
            last = f"{row['state']}: {row['error']}"
        elif criterion:
            last = statuses.get(criterion, "")
        else:
            last = (row["critical_failures"] or "").replace(";", ", ")
        lines.append([row["learner"], row["file"], "" if row["score"] is None else f"{row['score']:.1f}",
                      row["decision"] or "", last])
        n += 1
        if len(lines) >= 500:  # align in blocks so a huge result streams
            _flush_table(fh, head, lines, first=n == len(lines))
            lines = []
    if lines or n == 0:
        _flush_table(fh, head, lines, first=n == len(lines))
    fh.write(f"{n} row{'s' if n != 1 else ''}\n")
    return n


def _flush_table(fh, head, lines, first: bool) -> None:
    widths = [min(max([len(h)] + [len(str(line[i])) for line in lines]), 60) for i, h in enumerate(head)]

    def fmt_line(values):
        cells = [str(v) if len(str(v)) <= widths[i] else str(v)[: widths[i] - 1] + "…" for i, v in enumerate(values)]
        return "  ".join(c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()

    if first:
        fh.write(fmt_line(head) + "\n")
        fh.write("  ".join("-" * w for w in widths) + "\n")
    for line in lines:
        fh.write(fmt_line(line) + "\n")

