"""``results.sqlite``: every input of a batch, its outcome and its report, for resume and filtering.

Tables
    ``transcripts``: one row per input (key = the input's identity): learner, file, state
    (``scored`` / ``failed`` / ``duplicate``), channel, score, decision, critical failures, the
    criterion statuses, the error, the duplicate's original, the compressed report JSON, the
    name of its feedback page, and what it was judged with (``input_sha`` of the exact bytes
    and ``config``: rule set contents, model, options).
    ``criteria``: (key, criterion, status), for filtering by criterion.
    ``runs``: one row per ``replycheck batch`` run with its accounting.
    ``meta``: schema version and the rule set's criteria.

Results are committed as they arrive (at least once a second), so Ctrl-C or a crash loses at
most the last second's work. A run marks every input it meets with its run number; when it
completes, rows of inputs that are no longer there are deleted.
"""
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ReplyCheckError, SpeakerError
from .worker import Outcome

SCHEMA_VERSION = "1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    config TEXT NOT NULL,
    started REAL NOT NULL,
    finished REAL,
    found INTEGER, scored INTEGER, failed INTEGER, duplicates INTEGER, reused INTEGER,
    complete INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS transcripts (
    key TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    run INTEGER NOT NULL,
    learner TEXT NOT NULL,
    file TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('scored', 'failed', 'duplicate')),
    input_sha TEXT,
    content_hash TEXT,
    config TEXT NOT NULL,
    channel TEXT, agent TEXT, score REAL, decision TEXT,
    critical_failures TEXT NOT NULL DEFAULT '',
    statuses TEXT NOT NULL DEFAULT '{}',
    findings INTEGER,
    error_type TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '', line INTEGER,
    duplicate_of TEXT NOT NULL DEFAULT '', duplicate_of_file TEXT NOT NULL DEFAULT '',
    report BLOB, report_sha TEXT NOT NULL DEFAULT '',
    page TEXT NOT NULL DEFAULT '', page_sha TEXT NOT NULL DEFAULT '',
    seconds REAL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS transcripts_run_seq ON transcripts (run, seq);
CREATE INDEX IF NOT EXISTS transcripts_learner ON transcripts (learner);
CREATE INDEX IF NOT EXISTS transcripts_content ON transcripts (run, content_hash);
CREATE INDEX IF NOT EXISTS transcripts_page ON transcripts (page);
CREATE TABLE IF NOT EXISTS criteria (
    key TEXT NOT NULL, criterion TEXT NOT NULL, status TEXT NOT NULL,
    PRIMARY KEY (key, criterion)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS criteria_status ON criteria (criterion, status);
"""
RESULTS_FILE = "results.sqlite"
COMMIT_EVERY = 1.0  # seconds


def unusable_store(path: Path, exc: BaseException) -> ReplyCheckError:
    """One line for a results file SQLite cannot use (damaged, not a database, locked, unwritable)."""
    return ReplyCheckError(f"cannot use this results file ({exc}): it may be damaged or not a ReplyCheck "
                           f"{RESULTS_FILE}; move it away (the batch then starts afresh) or restore it",
                           source=str(path))


@dataclass(frozen=True)
class Prior:
    """What the store knows about an input from an earlier run."""

    file: str
    state: str
    input_sha: str | None
    config: str
    error_type: str


class ResultStore:
    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = Path(path)
        if readonly and not self.path.is_file():
            raise ReplyCheckError(f"no {RESULTS_FILE} here: run 'replycheck batch … --out DIR' first",
                                  source=str(self.path.parent))
        self.db = None
        try:
            if readonly:
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
                self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            else:
                self.db = sqlite3.connect(self.path)
                self.db.execute("PRAGMA synchronous = NORMAL")
                self._prepare()
        except sqlite3.Error as exc:
            if self.db is not None:
                self.db.close()
            raise unusable_store(self.path, exc) from None
        self.db.row_factory = sqlite3.Row
        # SQLite's lower() knows ASCII only; learners are called Zoë and Łukasz too
        self.db.create_function("casefold", 1, lambda v: v.casefold() if isinstance(v, str) else v, deterministic=True)
        self._last_commit = time.monotonic()

    def _prepare(self) -> None:
        version = None
        self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a file that is not a database fails here
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            version = row[0] if row else None
        except sqlite3.OperationalError:  # no meta table yet
            pass
        if version is not None and version != SCHEMA_VERSION:  # an older layout: start again
            self.db.executescript("DROP TABLE IF EXISTS transcripts; DROP TABLE IF EXISTS criteria; "
                                  "DROP TABLE IF EXISTS runs; DROP TABLE IF EXISTS meta;")
        self.db.executescript(SCHEMA)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        self.db.commit()

    # -- runs --------------------------------------------------------------------------------

    def begin_run(self, config: str, meta: dict[str, Any]) -> int:
        for key, value in meta.items():
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value, ensure_ascii=False)))
        cur = self.db.execute("INSERT INTO runs (config, started) VALUES (?, ?)", (config, time.time()))
        self.db.commit()
        return int(cur.lastrowid)

    def finish_run(self, run: int, counts: dict[str, int]) -> None:
        """Record the run's accounting and drop the rows of inputs this run did not meet."""
        self.db.execute("DELETE FROM criteria WHERE key IN (SELECT key FROM transcripts WHERE run != ?)", (run,))
        self.db.execute("DELETE FROM transcripts WHERE run != ?", (run,))
        self.db.execute(
            "UPDATE runs SET finished = ?, found = ?, scored = ?, failed = ?, duplicates = ?, reused = ?, complete = 1 "
            "WHERE id = ?",
            (time.time(), counts["found"], counts["scored"], counts["failed"], counts["duplicates"], counts["reused"], run))
        self.db.commit()

    def meta(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def last_run(self) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()

    # -- rows --------------------------------------------------------------------------------

    def prior(self, key: str) -> Prior | None:
        row = self.db.execute("SELECT file, state, input_sha, config, error_type FROM transcripts WHERE key = ?",
                              (key,)).fetchone()
        return Prior(*row) if row else None

    def in_run(self, key: str, run: int) -> bool:
        return self.db.execute("SELECT 1 FROM transcripts WHERE key = ? AND run = ?", (key, run)).fetchone() is not None

    def first_with_content(self, content_hash: str, run: int) -> tuple[int, str, str] | None:
        """(seq, key, file) of this run's first stored input with this content, duplicates aside."""
        row = self.db.execute("SELECT seq, key, file FROM transcripts WHERE run = ? AND content_hash = ? "
                              "AND state != 'duplicate' ORDER BY seq LIMIT 1", (run, content_hash)).fetchone()
        return tuple(row) if row else None

    def page_in_run(self, page: str, run: int) -> bool:
        return self.db.execute("SELECT 1 FROM transcripts WHERE page = ? AND run = ? AND state = 'scored'",
                               (page, run)).fetchone() is not None

    def mark_seen(self, key: str, seq: int, run: int, learner: str, file: str, page: str) -> None:
        self.db.execute("UPDATE transcripts SET seq = ?, run = ?, learner = ?, file = ?, page = ? WHERE key = ?",
                        (seq, run, learner, file, page, key))
        self._maybe_commit()

    def put_outcome(self, outcome: Outcome, *, run: int, learner: str, file: str, input_sha: str,
                    content_hash: str | None, config: str, page: str) -> None:
        scored = outcome.state == "scored"
        values = dict(
            key=outcome.key, seq=outcome.seq, run=run, learner=learner, file=file, state=outcome.state,
            input_sha=input_sha, content_hash=content_hash, config=config, channel=outcome.channel,
            agent=outcome.agent, score=outcome.score, decision=outcome.decision,
            critical_failures=";".join(outcome.critical_failures), statuses=json.dumps(dict(outcome.statuses)),
            findings=outcome.findings if scored else None, error_type=outcome.error_type, error=outcome.error,
            line=outcome.line, report=outcome.report if scored else None, report_sha=outcome.report_sha,
            page=page if scored else "", seconds=outcome.seconds,
        )
        criteria = [(outcome.key, cid, status) for cid, status in outcome.statuses] if scored else []
        self._put(criteria=criteria, **values)

    def put_failed(self, *, key: str, seq: int, run: int, learner: str, file: str, error: ReplyCheckError,
                   config: str, input_sha: str | None = None) -> None:
        self._put(key=key, seq=seq, run=run, learner=learner, file=file, state="failed", input_sha=input_sha,
                  config=config, error_type="speaker" if isinstance(error, SpeakerError) else "input",
                  error=error.message, line=error.line)

    def put_duplicate(self, *, key: str, seq: int, run: int, learner: str, file: str, config: str, input_sha: str,
                      content_hash: str, original_key: str, original_file: str) -> None:
        self._put(key=key, seq=seq, run=run, learner=learner, file=file, state="duplicate", input_sha=input_sha,
                  content_hash=content_hash, config=config, duplicate_of=original_key, duplicate_of_file=original_file,
                  error=f"same content as {original_file}")

    def _put(self, criteria: list[tuple[str, str, str]] = (), **values: Any) -> None:
        """One input's row and its criterion rows, all or nothing: a savepoint holds them, so a
        stop (Ctrl-C, SIGTERM) between two statements never leaves a transcript without its
        criteria, and the commit that follows never writes half an input."""
        values.setdefault("updated", time.time())
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        if not self.db.in_transaction:  # else the savepoint would be the transaction, and commit on release
            self.db.execute("BEGIN")
        self.db.execute("SAVEPOINT one_input")
        try:
            self.db.execute("DELETE FROM criteria WHERE key = ?", (values["key"],))
            self.db.execute(f"INSERT OR REPLACE INTO transcripts ({columns}) VALUES ({marks})", tuple(values.values()))
            if criteria:
                self.db.executemany("INSERT INTO criteria VALUES (?, ?, ?)", criteria)
        except BaseException:
            self.db.execute("ROLLBACK TO one_input")
            self.db.execute("RELEASE one_input")
            raise
        self.db.execute("RELEASE one_input")
        self._maybe_commit()

    def set_page_sha(self, key: str, page_sha: str) -> None:
        self.db.execute("UPDATE transcripts SET page_sha = ? WHERE key = ?", (page_sha, key))

    def _maybe_commit(self) -> None:
        if time.monotonic() - self._last_commit >= COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        self.db.commit()
        self._last_commit = time.monotonic()

    def close(self) -> None:
        try:
            self.db.commit()
        finally:
            self.db.close()

    # -- reading -----------------------------------------------------------------------------

    def rows(self, where: str = "1", params: tuple = (), order: str = "seq") -> Iterator[sqlite3.Row]:
        """Stream rows (never all at once) of ``transcripts`` matching an SQL condition."""
        cur = self.db.execute(f"SELECT * FROM transcripts WHERE {where} ORDER BY {order}", params)
        while True:
            batch = cur.fetchmany(200)
            if not batch:
                return
            yield from batch

    def query(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, params).fetchall()
