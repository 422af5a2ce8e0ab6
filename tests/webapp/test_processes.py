"""Checks run in worker processes (issue 10): the same reports as in-process, errors mapped as
before, and a check that overruns its limit gets a 503 while the other process keeps answering;
the stuck process is ended and replaced."""
from __future__ import annotations

import json
import threading

import pytest

from webapp import create_app
from webapp.service import STALL_TEST_ENV, ProcessCheckRunner

from .conftest import NAMES_ONLY_CHAT, sample

STALL = "Stall-Marker-5512"


@pytest.fixture(scope="module")
def process_app():
    mp = pytest.MonkeyPatch()
    mp.setenv(STALL_TEST_ENV, STALL)  # inherited by the check processes
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "CHECK_PROCESSES": True, "CHECK_WORKERS": 2,
                      "CHECK_TIMEOUT": 4.0})
    try:
        yield app
    finally:
        app.extensions["replycheck.runner"].shutdown()
        app.extensions["checker"].close()
        mp.undo()


def test_process_runner_is_used_and_reported(process_app):
    runner = process_app.extensions["replycheck.runner"]
    assert isinstance(runner, ProcessCheckRunner) and runner.workers == 2
    health = process_app.test_client().get("/healthz").get_json()
    assert health["check_mode"] == "processes" and health["check_workers"] == 2


@pytest.mark.parametrize("name", ["chat_good.txt", "email_weak.txt"])
def test_process_check_gives_the_in_process_report(process_app, checker, name):
    response = process_app.test_client().post("/api/check", json={"text": sample(name)})
    assert response.status_code == 200
    assert response.get_json() == json.loads(json.dumps(checker.check(sample(name)).to_dict()))


def test_process_check_page_renders_the_results(process_app):
    response = process_app.test_client().post("/check", data={"text": sample("chat_weak.txt")})
    assert response.status_code == 200 and "Not yet competent" in response.get_data(as_text=True)


@pytest.mark.parametrize("body, status, code", [
    ({"text": "   just some words without any speakers at all   "}, 400, "input_error"),
    ({"text": NAMES_ONLY_CHAT}, 422, "speaker_unknown"),
    ({"text": "Agent: hi\nCustomer: " + "x" * 30_000}, 400, "input_error"),
], ids=["no-turns", "speaker", "message-too-long"])
def test_process_check_errors_keep_their_status(process_app, body, status, code):
    response = process_app.test_client().post("/api/check", json=body)
    assert response.status_code == status and response.get_json()["error"] == code
    if code == "speaker_unknown":
        assert response.get_json()["speakers"] == ["Sam", "Priya"]


def test_overrunning_check_gets_503_while_the_other_process_answers(process_app):
    runner = process_app.extensions["replycheck.runner"]
    restarts = runner.restarts
    stuck: dict = {}

    def post_stuck():
        client = process_app.test_client()
        stuck["response"] = client.post("/api/check", json={"text": f"Agent: Hello {STALL}\nCustomer: hi\n"})

    thread = threading.Thread(target=post_stuck)
    thread.start()
    client = process_app.test_client()
    statuses = []
    while thread.is_alive() and len(statuses) < 200:
        statuses.append(client.post("/api/check", json={"text": sample("chat_good.txt")}).status_code)
    thread.join(60)
    assert stuck["response"].status_code == 503
    assert stuck["response"].get_json()["error"] == "timeout"
    assert statuses and set(statuses) == {200}
    assert runner.restarts == restarts + 1
    # the replacement process comes up and takes work again: both answer
    for _ in range(4):
        assert client.post("/api/check", json={"text": sample("chat_good.txt")}).status_code == 200


def test_check_processes_stop_with_the_runner(checker):
    app = create_app({"TESTING": True, "CHECK_PROCESSES": True, "CHECK_WORKERS": 1, "CHECKER": checker})
    runner = app.extensions["replycheck.runner"]
    processes = [p.process for p in runner._all]
    assert processes and all(p.is_alive() for p in processes)
    runner.shutdown()
    assert not any(p.is_alive() for p in processes)
