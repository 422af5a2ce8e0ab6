"""Every usage or input error on the command line is one line on standard error and exit 2,
never click's usage block or a traceback (issue 10)."""
from __future__ import annotations

import subprocess
import sys

import pytest

REPLYCHECK = [sys.executable, "-m", "checker.cli"]


def run(args, stdin: bytes | None = None, cwd=None):
    return subprocess.run(REPLYCHECK + args, input=stdin, capture_output=True, timeout=180, cwd=cwd)


@pytest.mark.parametrize("args, fragment", [
    (["check"], "Missing argument 'FILE'"),
    (["eval"], "Missing argument 'CORPUS'"),
    (["check", "-", "--format", "xml"], "'xml' is not one of"),
    (["check", "-", "--timeout", "-3"], "--timeout"),
    (["batch", "no-such-folder", "--out", "o"], "does not exist"),
    (["batch", "."], "Missing option '--out'"),
    (["frobnicate"], "No such command 'frobnicate'"),
    (["results", "no-such-folder"], "does not exist"),
    (["serve", "--port", "99999"], "--port"),
], ids=["missing-file", "missing-corpus", "bad-choice", "bad-timeout", "missing-input", "missing-out", "no-command",
        "results-missing", "bad-port"])
def test_cli_usage_error_is_one_line(args, fragment, tmp_path):
    result = run(args, stdin=b"", cwd=tmp_path)
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert err.count("\n") == 1 and fragment in err, err
    assert "Traceback" not in err and "Usage:" not in err
    assert result.stdout == b""


@pytest.mark.parametrize("text, fragment", [
    ("Agent: Hello, how can I help?\nCustomer: " + "word " * 210_000 + "\n", "characters long"),
    ("".join(f"Agent: Hello {i}\nCustomer: Hi {i}\n" for i in range(1200)), "messages"),
], ids=["1-mib-message", "2400-turns"])
def test_cli_oversized_conversation_is_refused_quickly_in_one_line(text, fragment):
    result = run(["check", "-"], stdin=text.encode())
    err = result.stderr.decode()
    assert result.returncode == 2 and err.count("\n") == 1 and fragment in err, err


def test_cli_check_over_its_time_limit_is_one_line():
    text = "".join(f"Agent: Hello {i}, sorry to hear that, let me check.\nCustomer: my parcel {i} is late\n"
                   for i in range(400))
    result = run(["check", "-", "--timeout", "0.1"], stdin=text.encode())
    err = result.stderr.decode()
    assert result.returncode == 2 and err.count("\n") == 1 and "time limit of 0.1 s" in err, err


@pytest.mark.parametrize("data, suffix", [
    (b'{"messages": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", ".json"),
    (b'{"messages": [{"role": "agent", "text": "hi", "time": ' + b"9" * 5000 + b"}]}", ".json"),
], ids=["nested-10000", "5000-digits"])
def test_cli_input_python_refuses_to_read_is_one_line(tmp_path, data, suffix):
    path = tmp_path / f"t{suffix}"
    path.write_bytes(data)
    result = run(["check", str(path)])
    err = result.stderr.decode()
    assert result.returncode == 2 and err.count("\n") == 1 and "Traceback" not in err, err


def test_cli_check_refuses_a_pipe_without_reading_it(tmp_path):
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = run(["check", str(fifo)])
    assert result.returncode == 2 and "not a regular file" in result.stderr.decode()
