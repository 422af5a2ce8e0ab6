"""Batches on several processes: 1,000 transcripts on 2 local workers, a Dask cluster started
here, a worker that dies mid-task, and a real Ctrl-C to a running ``replycheck batch``."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.batch import BatchOptions, run_batch
from checker.batch.worker import CRASH_TEST_ENV

ROOT = Path(__file__).resolve().parents[3]


def options(out, **kw):
    kw.setdefault("progress", "quiet")
    return BatchOptions(out=out, **kw)


@pytest.mark.slow
def test_parallel_1000_transcripts_with_2_jobs(cohort, tmp_path, checker):
    root = cohort(1000, per_learner=20)
    files = sorted(root.rglob("*.*"))
    assert len(files) == 1000
    out = tmp_path / "out"
    result = run_batch([root], options(out, jobs=2))
    assert (result.found, result.scored, result.failed, result.duplicates) == (1000, 1000, 0, 0)
    assert result.workers == "2 worker processes"

    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1000
    # deterministic order: input (path) order, whatever order the two workers finished in
    assert [json.loads(line)["file"] for line in lines] == [f"cohort/{p.relative_to(root).as_posix()}" for p in files]
    # what the workers judged is what this process judges
    for i in range(0, 1000, 97):
        record = json.loads(lines[i])
        direct = checker.check(files[i].read_bytes(), name=record["file"]).to_dict()
        assert record["report"] == json.loads(json.dumps(direct)), record["file"]
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert "<b>1000</b> scored + <b>0</b> failed + <b>0</b> duplicates = <b>1000</b> found" in summary
    assert summary.count('href="transcripts/') == 1000
    assert len(list((out / "transcripts").iterdir())) == 1000
    assert summary.count('<tr><td><a href="#learner-') == 50


# Dask's in-process cluster, shut down at the end of the test, can leave these behind; neither
# is about ReplyCheck's use of it.
DASK_FILTERS = [
    "ignore:Port .* is already in use:UserWarning",
    "ignore:unclosed <socket:ResourceWarning",
    "ignore:unclosed event loop:ResourceWarning",
    "ignore::pytest.PytestUnraisableExceptionWarning",
]


@pytest.mark.filterwarnings(*DASK_FILTERS)
def test_parallel_dask_local_cluster_gives_identical_results(mixed_folder, tmp_path, checker, batch_helpers):
    from distributed import LocalCluster

    local = tmp_path / "local"
    run_batch([mixed_folder], options(local, jobs=1), checker=checker)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        dask_out = tmp_path / "dask"
        result = run_batch([mixed_folder], options(dask_out, scheduler=cluster.scheduler_address))
        assert result.workers.startswith("Dask cluster at tcp://") and "(2 workers)" in result.workers
        assert (result.found, result.scored, result.failed, result.duplicates) == (16, 6, 8, 2)
        again = run_batch([mixed_folder], options(dask_out, scheduler=cluster.scheduler_address))
        assert again.judged == 0 and again.reused == 14  # resume works the same on Dask
    assert batch_helpers.read_outputs(dask_out) == batch_helpers.read_outputs(local)


@pytest.mark.slow
def test_parallel_worker_that_dies_fails_only_its_own_transcript(cohort, tmp_path, monkeypatch):
    root = cohort(6)
    victim = sorted(root.rglob("*.*"))[2]
    victim.rename(victim.with_name("crashme_" + victim.name))
    monkeypatch.setenv(CRASH_TEST_ENV, "crashme_")  # the pool's processes inherit it and exit on that file
    out = tmp_path / "out"
    result = run_batch([root], options(out, jobs=2))
    assert (result.found, result.scored, result.failed) == (6, 5, 1)
    db = sqlite3.connect(out / "results.sqlite")
    [(file, error_type, error)] = db.execute("SELECT file, error_type, error FROM transcripts WHERE state = 'failed'")
    db.close()
    assert "crashme_" in file and error_type == "internal" and "worker process stopped" in error


def _rows(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    try:
        db = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True, timeout=0.2)
        try:
            return db.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0]
        finally:
            db.close()
    except sqlite3.OperationalError:
        return 0


def _default_sigint() -> None:
    """A child started from a background job inherits an ignored SIGINT; a terminal's is not."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _living_in_group(pgid: int, wait: float = 10.0) -> list[str]:
    """Processes of the group that are still running (zombies waiting for init do not count)."""
    import psutil

    deadline = time.monotonic() + wait
    while True:
        living = []
        for p in psutil.process_iter(["pid", "status", "cmdline"]):
            try:
                if os.getpgid(p.pid) == pgid and p.info["status"] != psutil.STATUS_ZOMBIE:
                    living.append(" ".join(p.info["cmdline"] or []))
            except (ProcessLookupError, psutil.Error):
                pass
        if not living or time.monotonic() > deadline:
            return living
        time.sleep(0.2)


@pytest.mark.slow
def test_parallel_ctrl_c_keeps_finished_results_and_rerun_resumes(cohort, tmp_path, checker):
    root = cohort(30)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONWARNINGS": "error::DeprecationWarning:checker"}
    proc = subprocess.Popen([sys.executable, "-m", "checker.cli", "batch", str(root), "--out", str(out), "--jobs", "2"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True,  # its own process group, like a terminal's foreground job
                            preexec_fn=_default_sigint)
    try:
        deadline = time.monotonic() + 120
        while _rows(out / "results.sqlite") < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert proc.poll() is None, proc.communicate()
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stderr
    assert "Interrupted" in stderr and "run the same command again to resume" in stderr
    assert "Traceback" not in stderr
    assert _living_in_group(proc.pid) == []  # no worker process left behind
    done = _rows(out / "results.sqlite")
    assert 3 <= done < 30
    assert not (out / "results.csv").exists()

    resumed = run_batch([root], options(out, jobs=1), checker=checker)
    assert (resumed.reused, resumed.judged, resumed.scored) == (done, 30 - done, 30)
    assert len((out / "results.jsonl").read_text(encoding="utf-8").splitlines()) == 30


def test_encoder_threads_one_per_pool_worker_but_the_default_when_the_batch_runs_inline(tmp_path, monkeypatch):
    """Pool workers already take a core each, so their encoder runs one sentence at a time; a batch
    that runs in its own process (``--jobs 1``) keeps Checker's default (up to two at once)."""
    import checker.engine
    from checker.batch import runner, worker

    built = []

    class RecordingChecker:
        def __init__(self, **kwargs):
            built.append(kwargs)

        def ruleset(self, name):
            return None

    monkeypatch.setattr(checker.engine, "Checker", RecordingChecker)
    _, own = runner._make_executor(options(tmp_path, jobs=1), None)
    assert isinstance(own, RecordingChecker) and built[-1]["encoder_threads"] is None
    worker.build_checker(worker.WorkerConfig(model="en_core_web_sm"))
    assert built[-1]["encoder_threads"] == 1
