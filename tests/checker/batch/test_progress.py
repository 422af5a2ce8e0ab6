"""Progress display: a bar on a terminal, plain lines elsewhere, nothing when quiet."""
from __future__ import annotations

import io

import pytest

from checker.batch.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def feed(progress: Progress) -> None:
    for state in ["scored"] * 6 + ["failed", "duplicate", "reused", "scored"]:
        progress.advance(state)
    progress.close()


def test_progress_bar_on_a_terminal_shows_count_rate_and_eta(monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")  # the width of the (pretend) terminal
    stream = Terminal()
    progress = Progress(10, stream=stream)
    assert progress.mode == "bar"
    feed(progress)
    text = stream.getvalue()
    assert "10/10" in text and "transcript/s" in text and "failed=1" in text and "duplicates=1" in text
    assert "<00:00" in text  # tqdm's time left


def test_progress_plain_lines_when_not_a_terminal():
    stream = io.StringIO()
    progress = Progress(10, stream=stream, interval=0)
    assert progress.mode == "plain"
    feed(progress)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("replycheck: 1/10 inputs (10%), ") and "about" in lines[0] and "left" in lines[0]
    assert lines[-1].startswith("replycheck: 10/10 inputs (100%)")
    assert lines[-1].endswith("; 1 failed, 1 duplicate, 1 already done")
    assert "\r" not in stream.getvalue()


def test_progress_plain_lines_are_periodic_not_one_per_input():
    stream = io.StringIO()
    feed(Progress(10, stream=stream, interval=3600))
    assert len(stream.getvalue().splitlines()) == 1  # only the final line


@pytest.mark.parametrize("stream", [io.StringIO(), Terminal()])
def test_progress_quiet_prints_nothing(stream):
    progress = Progress(10, mode="quiet", stream=stream)
    progress.note("judging with 2 worker processes")
    feed(progress)
    assert stream.getvalue() == ""
