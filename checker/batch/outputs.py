"""The files a batch leaves in its output folder, each written atomically.

Every file is written to a temporary file in the same folder and moved into place with
``os.replace``, so an output is either the previous complete version or the new complete one,
never half a file, whatever happens mid-write. Rows are streamed from ``results.sqlite`` in input
order, so the outputs are the same whatever the number of workers and however often the run was
interrupted and resumed.

``results.csv`` (UTF-8 with a byte-order mark, so Excel reads the accents and £ signs) has one
row per scored transcript: ``learner, file, channel, agent, score, decision, critical_failures,
findings``, one column per criterion of the rule set holding its status, and ``feedback_page``.
``results.jsonl``: one line per scored transcript, ``{"learner", "file", "input", "report"}``
with the full report JSON. ``errors.csv``: every input that was not scored: ``learner, file,
status`` (``failed`` / ``duplicate``), ``error_type, line, message, duplicate_of``.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .store import ResultStore
from .worker import decode_report

RESULTS_CSV = "results.csv"
RESULTS_JSONL = "results.jsonl"
ERRORS_CSV = "errors.csv"
SUMMARY_HTML = "summary.html"
PAGES_DIR = "transcripts"
FIXED_COLUMNS = ("learner", "file", "channel", "agent", "score", "decision", "critical_failures", "findings")
ERROR_COLUMNS = ("learner", "file", "status", "error_type", "line", "message", "duplicate_of")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@contextmanager
def atomic_write(path: str | Path, *, encoding: str | None = "utf-8", newline: str | None = None) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success move it over ``path`` in one step."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs get the usual permissions
        with os.fdopen(fd, "w" if encoding else "wb", encoding=encoding, newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (``=HYPERLINK(…)``) gets a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_header(criteria: list[str]) -> list[str]:
    return [*FIXED_COLUMNS, *criteria, "feedback_page"]


def csv_row(row: Any, criteria: list[str]) -> list[Any]:
    statuses = json.loads(row["statuses"] or "{}")
    score = row["score"]
    values = [row["learner"], row["file"], row["channel"] or "", row["agent"] or "",
              "" if score is None else f"{score:.1f}", row["decision"] or "", row["critical_failures"] or "",
              "" if row["findings"] is None else row["findings"]]
    values += [statuses.get(cid, "") for cid in criteria]
    values.append(f"{PAGES_DIR}/{row['page']}" if row["page"] else "")
    return [spreadsheet_safe(v) for v in values]


def write_results_csv(fh: IO[str], rows: Iterable[Any], criteria: list[str]) -> int:
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow(csv_header(criteria))
    n = 0
    for row in rows:
        writer.writerow(csv_row(row, criteria))
        n += 1
    return n


def jsonl_line(row: Any) -> str:
    head = json.dumps({"learner": row["learner"], "file": row["file"], "input": row["key"]}, ensure_ascii=False)
    return head[:-1] + ', "report": ' + decode_report(row["report"]) + "}\n"


def error_row(row: Any) -> list[Any]:
    status = row["state"]
    message = row["error"]
    return [spreadsheet_safe(v) for v in (
        row["learner"], row["file"], status, row["error_type"] or ("duplicate" if status == "duplicate" else ""),
        "" if row["line"] is None else row["line"], message, row["duplicate_of_file"] or "")]


def page_name(key: str, learner: str, file: str) -> str:
    """A stable, safe file name for a transcript's feedback page."""
    stem = re.split(r"[/#]", file)[-1].rsplit(".", 1)[0]

    def slug(text: str, limit: int) -> str:
        return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "x"

    return f"{slug(learner, 32)}--{slug(stem, 40)}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:10]}.html"


def write_outputs(store: ResultStore, out: Path, run: int, context: dict[str, Any]) -> dict[str, int]:
    """Write results.csv, results.jsonl, errors.csv, the feedback pages and summary.html."""
    from . import html

    criteria = [c["id"] for c in context["criteria"]]
    where, params = "run = ? AND state = 'scored'", (run,)
    with atomic_write(out / RESULTS_CSV, encoding="utf-8-sig", newline="") as fh:
        write_results_csv(fh, store.rows(where, params), criteria)
    with atomic_write(out / RESULTS_JSONL, newline="\n") as fh:
        for row in store.rows(where, params):
            fh.write(jsonl_line(row))
    with atomic_write(out / ERRORS_CSV, encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(ERROR_COLUMNS)
        for row in store.rows("run = ? AND state != 'scored'", (run,)):
            writer.writerow(error_row(row))
    written = write_pages(store, out, run, context)
    with atomic_write(out / SUMMARY_HTML) as fh:
        html.write_summary(fh, store, run, context)
    return {"pages_written": written}


def write_pages(store: ResultStore, out: Path, run: int, context: dict[str, Any]) -> int:
    """Write the feedback page of each scored transcript whose page is missing or out of date,
    and remove pages of transcripts no longer in the batch. Works through the rows a page of
    results at a time, so memory does not grow with the batch."""
    from . import html

    pages = out / PAGES_DIR
    pages.mkdir(exist_ok=True)
    written, last_seq = 0, -1
    while True:
        batch = store.query("SELECT key, seq, learner, file, page, page_sha, report_sha FROM transcripts "
                            "WHERE run = ? AND state = 'scored' AND seq > ? ORDER BY seq LIMIT 200", (run, last_seq))
        if not batch:
            break
        last_seq = batch[-1]["seq"]
        for row in batch:
            expected = hashlib.sha256("\x00".join((html.PAGE_VERSION, row["report_sha"], row["learner"],
                                                   row["file"])).encode("utf-8")).hexdigest()
            target = pages / row["page"]
            if row["page_sha"] == expected and target.is_file():
                continue
            [full] = store.query("SELECT report FROM transcripts WHERE key = ?", (row["key"],))
            report = json.loads(decode_report(full["report"]))
            with atomic_write(target) as fh:
                fh.write(html.render_page(report, learner=row["learner"], file=row["file"], context=context))
            store.set_page_sha(row["key"], expected)
            written += 1
        store.commit()
    with os.scandir(pages) as entries:
        stale = [e.path for e in entries if e.name.endswith(".html") and not store.page_in_run(e.name, run)]
    for path in stale:
        os.unlink(path)
    return written
