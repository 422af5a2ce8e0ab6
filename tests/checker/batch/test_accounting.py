"""Every input a batch finds is accounted for, whatever it is (issue 10): zip members that leave
the zip's folder, folders that cannot be opened, symbolic link loops, pipes, JSONL rows Python
cannot read, transcripts over the time limit; a damaged results file is one line; an input's
rows are written together; SIGTERM stops a batch as Ctrl-C does."""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from checker.batch.inputs import InputOptions
from checker.batch.runner import BatchOptions, run_batch
from checker.batch.store import RESULTS_FILE, ResultStore
from checker.batch.worker import Outcome
from checker.errors import ReplyCheckError

import samples

ROOT = Path(__file__).resolve().parents[3]


def run(paths, out, checker, **kw):
    return run_batch([str(p) for p in (paths if isinstance(paths, list) else [paths])],
                     BatchOptions(out=out, jobs=1, progress="quiet", inputs=kw.pop("inputs", InputOptions()), **kw),
                     checker=checker)


def errors_csv(out: Path) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO((out / "errors.csv").read_bytes().decode("utf-8-sig"), newline=""))
    return {row["file"]: row for row in rows}


@pytest.mark.parametrize("member", ["../evil.txt", "a/../../evil.txt", "/etc/evil.txt", "..\\evil.txt"],
                         ids=["dotdot", "nested-dotdot", "absolute", "backslash"])
def test_batch_zip_member_leaving_the_folder_is_refused_and_listed(tmp_path, checker, member):
    target = tmp_path / "cohort.zip"
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr("good.txt", samples.STRONG_CHAT)
        zf.writestr(member, samples.WEAK_CHAT)
    out = tmp_path / "out"
    result = run(target, out, checker)
    assert (result.found, result.scored, result.failed) == (2, 1, 1) and result.accounted
    row = errors_csv(out)[f"cohort.zip/{member}"]
    assert row["error_type"] == "input" and "refused" in row["message"]
    assert not (tmp_path / "evil.txt").exists()


def test_batch_links_that_loop_or_lead_nowhere_and_pipes_are_listed(tmp_path, checker):
    root = tmp_path / "cohort"
    (root / "sam").mkdir(parents=True)
    (root / "sam" / "chat.txt").write_text(samples.STRONG_CHAT, encoding="utf-8")
    (root / "sam" / "back").symlink_to(root)
    (root / "self").symlink_to(root / "self")
    (root / "gone.txt").symlink_to(root / "missing.txt")
    os.mkfifo(root / "pipe.txt")
    out = tmp_path / "out"
    result = run(root, out, checker)
    assert result.accounted and (result.found, result.scored, result.failed) == (5, 1, 4)
    errors = errors_csv(out)
    assert "loop" in errors["cohort/sam/back"]["message"]
    assert "loops" in errors["cohort/self"]["message"]
    assert "target is missing" in errors["cohort/gone.txt"]["message"]
    assert "not a regular file" in errors["cohort/pipe.txt"]["message"]


def test_batch_folder_that_cannot_be_opened_is_listed(tmp_path, checker, monkeypatch):
    root = tmp_path / "cohort"
    (root / "locked").mkdir(parents=True)
    (root / "open").mkdir()
    (root / "open" / "chat.txt").write_text(samples.STRONG_CHAT, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":  # as for a folder without read permission (tests run as root)
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = tmp_path / "out"
    result = run(root, out, checker)
    assert result.accounted and (result.scored, result.failed) == (1, 1)
    row = errors_csv(out)["cohort/locked"]
    assert "cannot open this folder" in row["message"] and "Permission denied" in row["message"]


def test_batch_jsonl_rows_python_cannot_read_do_not_stop_the_batch(tmp_path, checker):
    good = {"conversation_id": "ok", "messages": [{"role": "agent", "text": "Hello, how can I help?"},
                                                   {"role": "customer", "text": "My order is late."},
                                                   {"role": "agent", "text": "Sorry about that. Goodbye."}]}
    lines = [
        json.dumps(good),
        '{"conversation_id": "digits", "messages": [{"role": "agent", "text": "hi", "time": ' + "9" * 5000 + "}]}",
        '{"conversation_id": "deep", "messages": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"conversation_id": "x", "role": "agent", "text": ' + "1" * 5000 + "}",
        json.dumps({**good, "conversation_id": "ok2", "messages": good["messages"][:2]}),
    ]
    path = tmp_path / "cohort.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(path, out, checker)
    assert result.accounted and result.found == 5 and result.scored == 2 and result.failed == 3
    errors = errors_csv(out)
    assert {row["error_type"] for row in errors.values()} == {"input"}
    assert any("number too long" in row["message"] for row in errors.values())
    assert any("nested too deeply" in row["message"] for row in errors.values())


def test_batch_transcript_over_its_time_limit_is_an_input_failure(tmp_path, checker):
    path = tmp_path / "chat.txt"
    path.write_text(samples.STRONG_CHAT, encoding="utf-8")
    out = tmp_path / "out"
    result = run(path, out, checker, time_limit=1e-6)
    assert result.failed == 1 and result.accounted
    row = errors_csv(out)["chat.txt"]
    assert row["error_type"] == "input" and "time limit" in row["message"]


@pytest.mark.parametrize("damage", ["text", "random", "truncated"])
def test_batch_damaged_results_file_is_one_line(tmp_path, checker, damage):
    path = tmp_path / "chat.txt"
    path.write_text(samples.STRONG_CHAT, encoding="utf-8")
    out = tmp_path / "out"
    run(path, out, checker)
    db = out / RESULTS_FILE
    if damage == "text":
        db.write_text("these are not the results you are looking for\n" * 40)
    elif damage == "random":
        db.write_bytes(bytes((i * 131 + 7) % 256 for i in range(8192)))
    else:
        data = db.read_bytes()
        db.write_bytes(data[:100] + b"\x00" * (len(data) - 100))
    with pytest.raises(ReplyCheckError) as info:
        run(path, out, checker, force=True)
        ResultStore(db, readonly=True).query("SELECT * FROM transcripts")
    message = str(info.value)
    assert "cannot use this results file" in message and "\n" not in message


class _InterruptingDb:
    """The store's connection, except that writing criterion rows is interrupted (Ctrl-C/SIGTERM)."""

    def __init__(self, db):
        self._db = db

    def executemany(self, sql, rows):
        if "INSERT INTO criteria" in sql:
            raise KeyboardInterrupt
        return self._db.executemany(sql, rows)

    def __getattr__(self, name):
        return getattr(self._db, name)


def test_store_transcript_and_criteria_rows_are_written_together(tmp_path):
    store = ResultStore(tmp_path / RESULTS_FILE)
    run_id = store.begin_run("cfg", {})
    outcome = Outcome(0, "k1", "scored", channel="chat", score=50.0, decision="competent",
                      statuses=(("greeting", "met"), ("tone", "partly")), report=b"x", report_sha="s")
    real = store.db
    store.db = _InterruptingDb(real)
    with pytest.raises(KeyboardInterrupt):
        store.put_outcome(outcome, run=run_id, learner="sam", file="a.txt", input_sha="i", content_hash="c",
                          config="cfg", page="p.html")
    store.db = real
    store.commit()  # what the runner does after an interruption
    assert store.query("SELECT count(*) FROM transcripts")[0][0] == 0
    store.put_outcome(outcome, run=run_id, learner="sam", file="a.txt", input_sha="i", content_hash="c",
                      config="cfg", page="p.html")
    store.commit()
    assert store.query("SELECT count(*) FROM criteria WHERE key = 'k1'")[0][0] == 2
    store.close()


def test_batch_sigterm_stops_workers_and_resume_completes(tmp_path, batch_helpers):
    from checker.batch.sample import make_cohort

    root = tmp_path / "cohort"
    make_cohort(batch_helpers.CORPUS, root, 16, per_learner=4)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "checker.cli", "batch", str(root), "--out", str(out), "--jobs", "2", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    judged = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(f"{(out / RESULTS_FILE).as_uri()}?mode=ro", uri=True) as db:
                judged = db.execute("SELECT count(*) FROM transcripts").fetchone()[0]
        except sqlite3.Error:
            judged = 0
        if judged >= 1:
            break
        time.sleep(0.2)
    children = [int(p) for p in subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()]
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    if judged:  # stopped mid-run (not already finished)
        assert proc.returncode == 130, err
        assert b"Interrupted" in err and b"Traceback" not in err
    time.sleep(1)
    alive = [p for p in children if Path(f"/proc/{p}").exists()
             and "multiprocessing" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")]
    assert not alive, f"worker processes still running after SIGTERM: {alive}"
    with sqlite3.connect(out / RESULTS_FILE) as db:
        orphans = db.execute("SELECT count(*) FROM transcripts t WHERE state = 'scored' AND NOT EXISTS "
                             "(SELECT 1 FROM criteria c WHERE c.key = t.key)").fetchone()[0]
    assert orphans == 0
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=600)
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(out / RESULTS_FILE) as db:
        assert db.execute("SELECT count(*) FROM transcripts WHERE state = 'scored'").fetchone()[0] == 16
        assert db.execute("SELECT count(DISTINCT key) FROM criteria").fetchone()[0] == 16
