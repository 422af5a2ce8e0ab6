"""Batch runs in this process (jobs=1, the session's Checker): accounting, outputs, resume,
interruption, escaping. The parallel and Dask runs are in test_parallel.py."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from checker.batch import BatchOptions, InputOptions, InterruptedBatch, run_batch


def run(paths, out, checker, **kw):
    inputs = kw.pop("inputs", InputOptions())
    return run_batch([str(p) for p in (paths if isinstance(paths, list) else [paths])],
                     BatchOptions(out=out, jobs=1, progress="quiet", inputs=inputs, **kw), checker=checker)


def read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a BOM so Excel reads it as UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# ---------------------------------------------------------------- a mixed folder


def test_batch_mixed_folder_accounts_for_every_input(mixed_folder, tmp_path, checker, batch_helpers):
    out = tmp_path / "out"
    result = run(mixed_folder, out, checker)
    broken = batch_helpers.BROKEN
    assert (result.found, result.scored, result.failed, result.duplicates) == (
        batch_helpers.MIXED_GOOD + len(broken) + batch_helpers.MIXED_DUPLICATES, batch_helpers.MIXED_GOOD, len(broken),
        batch_helpers.MIXED_DUPLICATES)
    assert result.accounted and not result.interrupted

    errors = read_csv(out / "errors.csv")
    by_file = {row["file"]: row for row in errors}
    for name, (_, why) in broken.items():
        row = by_file[f"cohort/dave/{name}"]
        assert row["status"] == "failed" and why in row["message"], row
        assert row["learner"] == "dave"
    assert by_file["cohort/dave/who.txt"]["error_type"] == "speaker"
    dups = [row for row in errors if row["status"] == "duplicate"]
    # path order: alice/again.txt (CRLF copy) is met first, so it is the one scored
    assert sorted(row["file"] for row in dups) == ["cohort/bob/copied.txt", "cohort/carol/chat_good.txt"]
    assert {row["duplicate_of"] for row in dups} == {"cohort/alice/again.txt"}
    assert len(errors) == len(broken) + batch_helpers.MIXED_DUPLICATES

    rows = read_csv(out / "results.csv")
    assert [r["file"] for r in rows] == ["cohort/alice/again.txt", "cohort/alice/c01.txt", "cohort/alice/e01.txt",
                                         "cohort/bob/c39.json", "cohort/bob/e19.eml", "cohort/carol/chat_weak.txt"]
    assert [r["learner"] for r in rows] == ["alice", "alice", "alice", "bob", "bob", "carol"]
    assert [r["channel"] for r in rows] == ["chat", "chat", "email", "chat", "email", "chat"]
    criteria = list(checker.ruleset("default").criteria)
    assert list(rows[0]) == ["learner", "file", "channel", "agent", "score", "decision", "critical_failures", "findings",
                             *criteria, "feedback_page"]
    # every row agrees with judging the same file directly
    reports = read_jsonl(out / "results.jsonl")
    assert [r["file"] for r in reports] == [r["file"] for r in rows]
    for row, line in zip(rows, reports):
        path = mixed_folder.parent / row["file"]
        direct = checker.check(path.read_bytes(), name=row["file"]).to_dict()
        assert line["report"] == json.loads(json.dumps(direct)), row["file"]
        assert line["learner"] == row["learner"] and line["input"] == str(path.resolve().as_posix())
        assert row["score"] == f"{direct['score']:.1f}" and row["decision"] == direct["decision"]
        assert [row[c] for c in criteria] == [c["status"] for c in direct["criteria"]]
        assert (out / row["feedback_page"]).is_file()


def test_batch_summary_html_accounts_links_and_has_an_inline_chart(mixed_folder, tmp_path, checker, batch_helpers):
    out = tmp_path / "out"
    run(mixed_folder, out, checker)
    page = (out / "summary.html").read_text(encoding="utf-8")
    accounting = re.sub(r"<[^>]+>", "", re.search(r'<p id="accounting">(.*?)</p>', page).group(1))
    assert "6 scored + 8 failed + 2 duplicates = 16 found" in accounting
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert svg.count("<rect") == 10 and "pass mark 70" in svg
    assert "<script" not in page and not re.search(r'(src|href)="(https?:)?//', page)  # nothing fetched from outside
    links = re.findall(r'href="(transcripts/[^"]+)"', page)
    assert len(links) == 6 and all((out / link).is_file() for link in links)
    assert sorted(p.name for p in (out / "transcripts").iterdir()) == sorted(Path(link).name for link in links)
    for learner in ("alice", "bob", "carol", "dave"):
        assert f">{learner}</a>" in page
    for section in ('id="criteria"', 'id="most-missed"', 'id="learners"', 'id="not-scored"'):
        assert section in page
    assert "cohort/dave/picture.png" in page and "same content as cohort/alice/again.txt" in page


def test_batch_escapes_everything_that_came_from_an_input(tmp_path, checker, batch_helpers):
    root = tmp_path / "cohort"
    evil = root / '<img src=x onerror=alert(1)>"&'
    evil.mkdir(parents=True)
    (evil / "<script>alert(2).txt").write_text(
        "Agent: Hello, thanks for contacting us, how can I help? <script>alert(3)</script>\n"
        "Customer: My <b>order</b> is late & I'm cross.\n"
        "Agent: I'm sorry about that. Let me check.\n", encoding="utf-8")
    formula = root / "=HYPERLINK(\"http:evil\")"
    formula.mkdir()
    shutil.copy(batch_helpers.SAMPLES / "chat_good.txt", formula / "x.txt")
    out = tmp_path / "out"
    run(root, out, checker)
    pages = [out / "summary.html", *(out / "transcripts").glob("*.html")]
    assert len(pages) == 3
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for raw in ("<script>", "<img src=x", "<b>order</b>"):
            assert raw not in text, (page.name, raw)
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;&quot;&amp;" in summary
    rows = read_csv(out / "results.csv")
    assert {r["learner"] for r in rows} == {'<img src=x onerror=alert(1)>"&', "'=HYPERLINK(\"http:evil\")"}


# ---------------------------------------------------------------- zip and CSV


def test_batch_zip_of_the_mixed_folder_gives_the_same_judgements(mixed_folder, tmp_path, checker, batch_helpers):
    run(mixed_folder, tmp_path / "a", checker)
    archive = batch_helpers.zip_folder(mixed_folder, tmp_path / "cohort.zip", prefix="cohort/")
    result = run(archive, tmp_path / "b", checker)
    assert (result.found, result.scored, result.failed, result.duplicates) == (16, 6, 8, 2)
    folder_rows = read_csv(tmp_path / "a" / "results.csv")
    zip_rows = read_csv(tmp_path / "b" / "results.csv")
    assert [r["file"] for r in zip_rows] == ["cohort.zip/" + r["file"] for r in folder_rows]
    strip = ("file", "feedback_page")
    assert [{k: v for k, v in r.items() if k not in strip} for r in zip_rows] == \
           [{k: v for k, v in r.items() if k not in strip} for r in folder_rows]


def test_batch_csv_of_messages_is_judged_like_the_same_json(tmp_path, checker, batch_helpers):
    sources = sorted((batch_helpers.CORPUS / "chat").glob("c*.json"))
    assert len(sources) >= 2
    rows = []
    for n, path in enumerate(sources):
        for m in json.loads(path.read_text(encoding="utf-8"))["messages"]:
            rows.append({"conversation_id": f"conv{n}", "learner": f"L{n}", "role": m["role"], "text": m["text"],
                         "time": m.get("time", "")})
    rows.append({"conversation_id": "broken", "learner": "L9", "role": "boss", "text": "hello", "time": ""})
    table = tmp_path / "messages.csv"
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out"
    result = run(table, out, checker)
    assert (result.found, result.scored, result.failed) == (len(sources) + 1, len(sources), 1)
    results = read_csv(out / "results.csv")
    assert [(r["learner"], r["file"]) for r in results] == [(f"L{n}", f"messages.csv#conv{n}") for n in range(len(sources))]
    for n, path in enumerate(sources):
        direct = checker.check(path.read_bytes(), name=path.name).to_dict()
        batch = read_jsonl(out / "results.jsonl")[n]["report"]
        assert batch["score"] == direct["score"] and batch["criteria"] == direct["criteria"]
        assert [t["text"] for t in batch["turns"]] == [t["text"] for t in direct["turns"]]
    [error] = read_csv(out / "errors.csv")
    assert (error["file"], error["learner"]) == ("messages.csv#broken", "L9") and "role 'boss'" in error["message"]


# ---------------------------------------------------------------- resume and interruption


def count_judged(out: Path) -> int:
    db = sqlite3.connect(out / "results.sqlite")
    try:
        return db.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0]
    finally:
        db.close()


def test_batch_rerun_resumes_and_judges_only_what_changed(cohort, tmp_path, checker, batch_helpers):
    root = cohort(12)
    out = tmp_path / "out"
    first = run(root, out, checker)
    assert (first.judged, first.reused, first.scored) == (12, 0, 12)
    before = batch_helpers.read_outputs(out)

    again = run(root, out, checker)
    assert (again.judged, again.reused, again.scored) == (0, 12, 12)
    assert batch_helpers.read_outputs(out) == before

    changed = sorted(root.rglob("*.txt"))[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "Agent: Thanks again, goodbye.\n", encoding="utf-8")
    removed = sorted(root.rglob("*.json"))[0]
    removed_file = f"cohort/{removed.relative_to(root).as_posix()}"
    removed.unlink()
    third = run(root, out, checker)
    assert (third.found, third.judged, third.reused) == (11, 1, 10)
    files = [r["file"] for r in read_csv(out / "results.csv")]
    assert removed_file not in files and len(files) == 11
    assert len(list((out / "transcripts").glob("*.html"))) == 11  # the removed input's page is gone
    assert count_judged(out) == 11

    forced = run(root, out, checker, force=True)
    assert (forced.judged, forced.reused) == (11, 0)
    other_options = run(root, out, checker, channel="chat")  # a different configuration judges again
    assert other_options.judged == 11


def test_batch_interrupted_then_resumed_equals_an_uninterrupted_run(cohort, tmp_path, checker, batch_helpers):
    root = cohort(20)
    whole = tmp_path / "whole"
    run(root, whole, checker)

    out = tmp_path / "resumed"
    with pytest.raises(InterruptedBatch) as stopped:
        run(root, out, checker, stop_after=7)
    assert stopped.value.result.judged == 7 and stopped.value.result.interrupted
    assert count_judged(out) == 7  # finished results were committed
    assert not (out / "results.csv").exists()  # no half-made outputs
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]

    resumed = run(root, out, checker)
    assert (resumed.judged, resumed.reused, resumed.found) == (13, 7, 20)
    assert batch_helpers.read_outputs(out) == batch_helpers.read_outputs(whole)


def test_batch_interruption_leaves_the_previous_outputs_whole(cohort, tmp_path, checker, batch_helpers):
    root = cohort(8)
    out = tmp_path / "out"
    run(root, out, checker)
    before = batch_helpers.read_outputs(out)
    for path in sorted(root.rglob("*.txt"))[:3]:
        path.write_text(path.read_text(encoding="utf-8") + "Agent: Goodbye.\n", encoding="utf-8")
    with pytest.raises(InterruptedBatch):
        run(root, out, checker, stop_after=1)
    assert batch_helpers.read_outputs(out) == before
    finished = run(root, out, checker)
    assert (finished.judged, finished.reused) == (2, 6)


# ---------------------------------------------------------------- other inputs


def test_batch_same_file_given_twice_is_a_duplicate_not_a_crash(tmp_path, checker, batch_helpers):
    root = tmp_path / "cohort"
    root.mkdir()
    shutil.copy(batch_helpers.SAMPLES / "chat_good.txt", root / "a.txt")
    result = run([root, root / "a.txt"], tmp_path / "out", checker)
    assert (result.found, result.scored, result.duplicates) == (2, 1, 1)


def test_batch_learner_from_column_in_jsonl(tmp_path, checker, batch_helpers):
    text = (batch_helpers.SAMPLES / "chat_good.txt").read_text(encoding="utf-8")
    lines = [json.dumps({"id": n, "student": name, "transcript": text + f"\nCustomer: ref {n}\n"})
             for n, name in enumerate(["Ana", "Bea"])]
    (tmp_path / "cohort.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    run(tmp_path / "cohort.jsonl", out, checker, inputs=InputOptions(learner_from="column", learner_column="student"))
    assert [(r["learner"], r["file"]) for r in read_csv(out / "results.csv")] == [("Ana", "cohort.jsonl#0"),
                                                                                  ("Bea", "cohort.jsonl#1")]
