from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from checker.proofing import (FallbackProofreader, HarperProofreader, LanguageToolProofreader, ProofreaderUnavailable,
                              make_proofreader)

DATA = Path(__file__).parent / "data"
LT_TEXT = "I will definately recieve the Brightwave router."


@pytest.fixture(scope="module")
def harper_proofreader():
    return HarperProofreader(["Brightwave"])


@pytest.mark.parametrize("text, expected", [
    ("You will recieve it.", "recieve"),
    ("It will definately arrive.", "definately"),
    ("We could of sent it.", "could of"),
    ("Yes i can do that.", "i"),
    ("I changed the color.", "color"),
])
def test_harper_finds_real_errors(harper_proofreader, text, expected):
    issues = harper_proofreader.check([text]).issues[0]
    assert expected in [i.text for i in issues]
    issue = next(i for i in issues if i.text == expected)
    assert text[issue.start:issue.end] == expected
    assert issue.rule.startswith("harper.")


@pytest.mark.parametrize("text", [
    "I've organised a refund; you will receive it in 3-5 working days.",
    "Please check the colour of the Brightwave router.",
])
def test_harper_is_quiet_on_correct_british_text_and_accepted_words(harper_proofreader, text):
    assert harper_proofreader.check([text]).issues[0] == []


def test_harper_builds_one_linter_per_thread(harper_proofreader):
    results, errors = [], []

    def work():
        try:
            for _ in range(5):
                results.append(len(harper_proofreader.check(["You will recieve it."]).issues[0]))
        except Exception as exc:  # a shared Linter raises RuntimeError when used concurrently
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results == [1] * 20


class _FakeLanguageTool(BaseHTTPRequestHandler):
    def _send(self, name: str) -> None:
        body = (DATA / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        self._send("languagetool_languages.json")

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        self.server.requests.append(self.rfile.read(length).decode())
        self._send("languagetool_check.json")

    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def fake_languagetool():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeLanguageTool)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v2/", server
    server.shutdown()
    server.server_close()


def test_languagetool_adapter_maps_matches(fake_languagetool):
    url, server = fake_languagetool
    lt = LanguageToolProofreader(url, accepted_words=["Brightwave"])
    try:
        out = lt.check([LT_TEXT])
    finally:
        lt.close()
    assert out.backend == "languagetool"
    issues = out.issues[0]
    # the accepted brand name is filtered; the two misspellings come through with offsets and suggestions
    assert [(i.text, i.category, i.suggestions[0]) for i in issues] == [("definately", "spelling", "definitely"),
                                                                      ("recieve", "spelling", "receive")]
    assert all(LT_TEXT[i.start:i.end] == i.text for i in issues)
    assert issues[0].rule == "languagetool.MORFOLOGIK_RULE_EN_GB"
    assert "language=en-GB" in server.requests[0]


def test_unreachable_languagetool_falls_back_to_offline_and_says_so():
    proofreader = make_proofreader("http://127.0.0.1:9/v2/")  # nothing listens on the discard port
    assert isinstance(proofreader, FallbackProofreader)
    out = proofreader.check(["You will recieve it."])
    assert out.backend == "harper"
    assert [i.text for i in out.issues[0]] == ["recieve"]
    assert "could not be reached" in out.notes[0] and "offline" in out.notes[0]


def test_languagetool_unreachable_raises_unavailable():
    with pytest.raises(ProofreaderUnavailable):
        LanguageToolProofreader("http://127.0.0.1:9/v2/").check(["x"])


def test_check_report_shows_the_backend_that_ran(checker):
    report = checker.check("Agent: Hello, you will recieve it.\nCustomer: ok")
    data = report.to_dict()["proofreading"]
    assert data["backend"] == "harper"
    assert [i["text"] for i in data["issues"]] == ["recieve"]
    json.dumps(data)
