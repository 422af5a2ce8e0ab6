"""The CLI on hostile parsing input: exit 2 and one clear line; the text report counts unread lines."""
from __future__ import annotations

import subprocess
import sys

import pytest

REPLYCHECK = [sys.executable, "-m", "checker.cli"]


def run(args, stdin: bytes | None = None):
    return subprocess.run(REPLYCHECK + args, input=stdin, capture_output=True, timeout=300)


@pytest.mark.parametrize("stdin, message", [
    (b'{"messages": [{"role": "agent", "text": "Hi", "time": ' + b"9" * 5000 + b"}]}", "digits"),
    (b'{"messages": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    (b'{"messages": [{"role": "agent", "text": "Hi", "time": NaN}]}', "invalid JSON"),
])
def test_bad_json_is_one_line_exit_2(stdin, message):
    result = run(["check", "-"], stdin=stdin)
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_text_report_counts_unread_lines_and_a_thousand_quote_levels_do_not_crash():
    text = ("please see my photo attached\nAgent: Hello, how can I help?\nCustomer: My order is late.\n"
            "Agent: I'm sorry, I've checked and it arrives tomorrow. Is there anything else?\n")
    result = run(["check", "-"], stdin=text.encode())
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    assert "lines not read as messages: 1" in out
    assert "please see my photo attached" in out.split("Not read as messages", 1)[1]
    deep = "Dear Sam,\n\nThanks.\n\nKind regards,\nJo\n\n" + "\n".join(">" * d + " x" for d in range(1, 1001))
    result = run(["check", "-", "--format", "json"], stdin=deep.encode())
    assert result.returncode == 0 and b"Traceback" not in result.stderr
