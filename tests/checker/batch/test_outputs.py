"""Output helpers: atomic writes, spreadsheet-safe cells, page names, the score chart."""
from __future__ import annotations

import re

import pytest

from checker.batch.html import score_histogram_svg
from checker.batch.outputs import atomic_write, page_name, spreadsheet_safe


def test_outputs_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "results.csv"
    target.write_text("old complete file\n")
    with atomic_write(target) as fh:
        fh.write("new ")
        assert target.read_text() == "old complete file\n"  # untouched until the new one is complete
        fh.write("complete file\n")
    assert target.read_text() == "new complete file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]


@pytest.mark.parametrize("stop", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_outputs_atomic_write_interrupted_keeps_the_old_file_and_no_temp(tmp_path, stop):
    target = tmp_path / "results.csv"
    target.write_text("old complete file\n")
    with pytest.raises(type(stop)):
        with atomic_write(target) as fh:
            fh.write("half a fi")
            raise stop
    assert target.read_text() == "old complete file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+44 7700", "'+44 7700"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("Sam Patel", "Sam Patel"), (84.5, 84.5), ("", ""),
])
def test_outputs_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected


def test_outputs_page_name_is_safe_stable_and_unique():
    a = page_name("/x/cohort/Zoë O'Neil/../chat 1.txt", "Zoë O'Neil", "cohort/Zoë O'Neil/chat 1.txt")
    assert re.fullmatch(r"[a-z0-9-]+--[a-z0-9-]+-[0-9a-f]{10}\.html", a)
    assert a == page_name("/x/cohort/Zoë O'Neil/../chat 1.txt", "Zoë O'Neil", "cohort/Zoë O'Neil/chat 1.txt")
    assert a != page_name("/y/cohort/Zoë O'Neil/chat 1.txt", "Zoë O'Neil", "cohort/Zoë O'Neil/chat 1.txt")
    assert page_name("k", "<>", "../../etc/passwd").endswith(".html") and "/" not in page_name("k", "<>", "../x")


def test_outputs_histogram_bars_scale_and_label():
    svg = score_histogram_svg([0, 1, 0, 0, 0, 0, 2, 4, 8, 3], pass_score=70)
    heights = [float(h) for h in re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', svg)]
    assert len(heights) == 10 and heights[0] == 0 and heights[8] == max(heights)
    assert heights[7] == pytest.approx(heights[8] / 2)
    assert "90–100: 3" in svg and "pass mark 70" in svg and "18 scored transcripts" in svg
