"""``replycheck batch`` and ``replycheck results`` as a user runs them: exit codes, messages,
filtering and re-export."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from checker.batch import BatchOptions, run_batch
from checker.cli import main


def replycheck(*args) -> int:
    with pytest.raises(SystemExit) as done:
        main([str(a) for a in args])
    return done.value.code


@pytest.fixture(scope="module")
def judged(tmp_path_factory, checker):
    """A finished batch: 10 transcripts of 2 learners, one broken file."""
    from checker.batch.sample import make_cohort

    base = tmp_path_factory.mktemp("judged")
    root = base / "cohort"
    make_cohort(__import__("pathlib").Path(__file__).resolve().parents[3] / "corpora" / "labelled", root, 10, per_learner=5)
    (root / "learner_0002" / "broken.pdf").write_bytes(b"%PDF-1.4 binary")
    out = base / "out"
    result = run_batch([root], BatchOptions(out=out, jobs=1, progress="quiet"), checker=checker)
    assert (result.scored, result.failed) == (10, 1)
    return out


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))


# ---------------------------------------------------------------- batch: exit codes and messages


def test_cli_batch_all_scored_exits_0_with_accounting_and_plain_progress(tmp_path, checker, capsys, batch_helpers):
    root = tmp_path / "cohort"
    root.mkdir()
    for name in ("chat_good.txt", "email_good.txt"):
        shutil.copy(batch_helpers.SAMPLES / name, root / name)
    assert replycheck("batch", root, "--out", tmp_path / "out", "--jobs", "1") == 0
    captured = capsys.readouterr()
    assert "Found 2 inputs: 2 scored + 0 failed + 0 duplicates = 2." in captured.out
    assert "replycheck: 2/2 inputs (100%)" in captured.err  # not a terminal: plain lines, no bar
    assert "Traceback" not in captured.err

    assert replycheck("batch", root, "--out", tmp_path / "out", "--jobs", "1", "--quiet") == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_cli_batch_some_failed_exits_1_and_lists_them(mixed_folder, tmp_path, checker, capsys):
    assert replycheck("batch", mixed_folder, "--out", tmp_path / "out", "-j", "1", "-q") == 1
    err = capsys.readouterr().err
    assert "Not scored (8):" in err
    assert "cohort/dave/scan.pdf: this looks like a PDF document" in err
    assert "cohort/dave/who.txt: cannot tell which speaker is you" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("args, message", [
    (["batch", "{tmp}/nowhere", "--out", "{tmp}/out"], "does not exist"),
    (["batch", "{tmp}/empty", "--out", "{tmp}/out"], "no transcripts found"),
    (["batch", "{tmp}/empty", "--out", "{tmp}/out", "--jobs", "0"], "--jobs"),
    (["batch", "{tmp}/empty", "--out", "{tmp}/out", "--jobs", "2", "--scheduler", "tcp://127.0.0.1:1"], "not both"),
    (["batch", "{tmp}/empty"], "--out"),
    (["batch", "{tmp}/empty", "--out", "{tmp}/afile"], "file"),
    (["batch", "{tmp}/empty", "--out", "{tmp}/out", "--learner-from", "teacher"], "learner-from"),
    (["results", "{tmp}/empty"], "no results.sqlite"),
])
def test_cli_usage_errors_exit_2_with_a_message(tmp_path, capsys, args, message):
    (tmp_path / "empty").mkdir()
    (tmp_path / "afile").write_text("x")
    assert replycheck(*[a.format(tmp=tmp_path) for a in args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err


def test_cli_batch_unreachable_scheduler_is_a_usage_error(tmp_path, capsys, batch_helpers):
    import dask

    root = tmp_path / "cohort"
    root.mkdir()
    shutil.copy(batch_helpers.SAMPLES / "chat_good.txt", root / "a.txt")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        assert replycheck("batch", root, "--out", tmp_path / "out", "--scheduler", "tcp://127.0.0.1:9") == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


# ---------------------------------------------------------------- results


def test_cli_results_unfiltered_csv_export_equals_results_csv(judged, tmp_path, capsys):
    assert replycheck("results", judged, "--format", "csv", "--output", tmp_path / "again.csv") == 0
    assert (tmp_path / "again.csv").read_bytes() == (judged / "results.csv").read_bytes()
    assert "10 rows written" in capsys.readouterr().err


@pytest.mark.parametrize("criterion, status", [("empathy", "not_met"), ("greeting", "met"), ("escalation", "not_applicable")])
def test_cli_results_filter_by_criterion_status(judged, capsys, criterion, status):
    expected = [r["file"] for r in csv_rows((judged / "results.csv").read_text(encoding="utf-8-sig"))
                if r[criterion] == status]
    assert replycheck("results", judged, "--criterion", criterion, "--status", status.replace("_", "-"),
                      "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["file"] for r in rows] == expected
    assert all(r["criteria"][criterion] == status for r in rows)


def test_cli_results_status_alone_means_any_criterion(judged, capsys):
    assert replycheck("results", judged, "--status", "not_met", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    everything = csv_rows((judged / "results.csv").read_text(encoding="utf-8-sig"))
    assert len(rows) == sum(1 for r in everything if "not_met" in r.values())
    assert all("not_met" in r["criteria"].values() for r in rows)


def test_cli_results_learner_decision_score_and_sort(judged, capsys):
    assert replycheck("results", judged, "--learner", "LEARNER_0002", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 5 and {r["learner"] for r in rows} == {"learner_0002"}

    assert replycheck("results", judged, "--decision", "competent", "--min-score", "50", "--sort", "score", "--desc",
                      "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True) and all(s >= 50 for s in scores)
    assert all(r["decision"] == "competent" for r in rows)
    assert all(r["feedback_page"].startswith("transcripts/") for r in rows)


def test_cli_results_learner_match_ignores_case_beyond_ascii(tmp_path, checker, capsys, batch_helpers):
    root = tmp_path / "cohort"
    (root / "ZOË ŁUKASZ").mkdir(parents=True)
    shutil.copy(batch_helpers.SAMPLES / "chat_good.txt", root / "ZOË ŁUKASZ" / "a.txt")
    run_batch([root], BatchOptions(out=tmp_path / "out", jobs=1, progress="quiet"), checker=checker)
    assert replycheck("results", tmp_path / "out", "--learner", "zoë łukasz", "--format", "json") == 0
    assert [r["learner"] for r in json.loads(capsys.readouterr().out)] == ["ZOË ŁUKASZ"]


def test_cli_results_table_and_failed_inputs(judged, capsys):
    assert replycheck("results", judged, "--criterion", "tone", "--status", "met") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["learner", "file", "score", "decision", "tone"]
    assert out[-1].endswith("rows") or out[-1].endswith("row")
    assert replycheck("results", judged, "--state", "failed", "--format", "json") == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["file"] == "cohort/learner_0002/broken.pdf" and "PDF" in row["error"]


@pytest.mark.parametrize("args, message", [
    (["--criterion", "kindness", "--status", "met"], "not a criterion"),
    (["--criterion", "empathy"], "needs --status"),
    (["--status", "great"], "use one of"),
    (["--state", "failed", "--format", "csv"], "re-exports scored"),
])
def test_cli_results_bad_filters_exit_2(judged, capsys, args, message):
    assert replycheck("results", judged, *args) == 2
    assert message in capsys.readouterr().err
