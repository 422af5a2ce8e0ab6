from __future__ import annotations

import json
import subprocess
import sys

import pytest

import samples

REPLYCHECK = [sys.executable, "-m", "checker.cli"]


def run(args, stdin: bytes | None = None):
    return subprocess.run(REPLYCHECK + args, input=stdin, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def chat_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "chat.txt"
    path.write_text(samples.STRONG_CHAT, encoding="utf-8")
    return path


def test_cli_check_text_report(chat_file):
    result = run(["check", str(chat_file)])
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "Decision: COMPETENT" in out
    assert "Greets the customer courteously" in out and "What went well" in out


def test_cli_check_json_from_stdin_has_the_documented_shape():
    result = run(["check", "-", "--format", "json"], stdin=samples.WEAK_CHAT.encode())
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"channel", "turns", "proofreading", "readability", "rules", "criteria", "findings", "score",
            "decision", "critical_failures", "feedback"} <= set(data)
    assert set(data["turns"][0]) >= {"index", "role", "speaker", "text", "time", "start", "end"}
    assert set(data["proofreading"]) >= {"backend", "issues"}
    assert set(data["criteria"][0]) >= {"id", "title", "status", "score", "weight", "critical", "evidence", "message", "why", "suggestion"}
    assert set(data["findings"][0]) >= {"rule", "criterion", "level", "turn", "start", "end", "quote", "message", "suggestion"}
    assert set(data["feedback"]) == {"went_well", "even_better_if"}
    assert data["decision"] == "not_yet_competent"
    assert "data_protection" in data["critical_failures"]


def test_cli_strict_exits_1_when_not_yet_competent():
    assert run(["check", "-", "--strict"], stdin=samples.WEAK_CHAT.encode()).returncode == 1


@pytest.mark.parametrize("args, stdin, message", [
    (["check", "-"], b"", "empty"),
    (["check", "-"], b"\x00\x01\x02\x03" * 50, "binary"),
    (["check", "/no/such/file.txt"], None, "no such file"),
    (["check", "-"], samples.CHAT_NO_CUES.encode(), "--agent"),
    (["check", "-", "--agent", "Bob"], samples.CHAT_NAMES.encode(), "no speaker called 'Bob'"),
    (["check", "-", "--rules", "nonexistent"], samples.CHAT_NAMES.encode(), "no rule set called"),
])
def test_cli_bad_input_is_one_line_exit_2_no_traceback(args, stdin, message):
    result = run(args, stdin=stdin)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_cli_usage_error_exits_2():
    result = run(["check", "--format", "xml", "-"], stdin=b"Agent: hi")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr.decode()


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["eval", "--help"]])
def test_cli_help_reads_well(args):
    result = run(args)
    assert result.returncode == 0
    assert "Usage:" in result.stdout.decode()


def test_cli_agent_option_and_channel(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text(samples.CHAT_NO_CUES)
    result = run(["check", str(path), "--agent", "Priya", "--format", "json"])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["agent"] == "Priya"
