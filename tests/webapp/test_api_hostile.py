"""The API's answers to hostile requests (issue 10): JSON nested past Python's limit, uploads that
are not transcripts, transcripts over the size and turn limits: a 4xx with the documented JSON,
never a 500."""
from __future__ import annotations

import io

import pytest


@pytest.mark.parametrize("body, status, code", [
    (b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", 400, "bad_json"),
    (b'{"text": "hi", "agent": ' + b"9" * 5000 + b"}", 400, "bad_json"),
    (b'{"text": "' + b"Agent: a\\nCustomer: c\\n" * 9000 + b'"}', 400, "input_error"),
    (b'{"text": "Agent: hi\\nCustomer: ' + b"x" * 20_001 + b'"}', 400, "input_error"),
], ids=["nested-100000", "5000-digits", "18000-turns", "long-message"])
def test_api_hostile_json_is_a_documented_4xx(client, body, status, code):
    response = client.post("/api/check", data=body, content_type="application/json")
    assert response.status_code == status
    data = response.get_json()
    assert data["error"] == code and "\n" not in data["message"]


def test_api_lone_surrogate_is_replaced_and_said(client):
    """A lone surrogate never reaches spaCy: the parser makes it U+FFFD and the report warns."""
    body = b'{"text": "Agent: hi \\ud83d\\nCustomer: hello\\n"}'
    response = client.post("/api/check", data=body, content_type="application/json")
    assert response.status_code == 200
    data = response.get_json()
    assert "\ufffd" in data["turns"][0]["text"]
    assert any("replaced" in w or "U+FFFD" in w or "surrogate" in w for w in data["warnings"]), data["warnings"]


@pytest.mark.parametrize("filename", ["<script>alert(1)</script>.exe", "report.pdf", "noext"])
def test_api_upload_that_is_not_a_transcript_file_is_refused(client, filename):
    response = client.post("/api/check", data={"file": (io.BytesIO(b"Agent: hi\nCustomer: hello\n"), filename)},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.get_json()["error"] == "unsupported_file"
    assert "<script>" not in response.get_data(as_text=True)
