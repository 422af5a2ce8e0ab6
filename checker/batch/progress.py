"""Progress while a batch runs: a tqdm bar on a terminal, plain periodic lines otherwise
(a log file, CI, a pipe), nothing with ``--quiet``. All of it goes to standard error."""
from __future__ import annotations

import io
import os
import shutil
import sys
import time
from typing import IO


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def _width(stream: IO[str]) -> dict:
    """Follow the terminal's size; a terminal that reports none (a pty under ``script`` or CI)
    gets 80×24, else tqdm would draw nothing."""
    try:
        size = os.get_terminal_size(stream.fileno())
        if size.columns > 0 and size.lines > 0:
            return {"dynamic_ncols": True}
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass
    fallback = shutil.get_terminal_size((80, 24))
    return {"ncols": fallback.columns or 80, "nrows": fallback.lines or 24}


class Progress:
    """Counts inputs as they are accounted for (scored, failed, duplicate or already done)."""

    def __init__(self, total: int, mode: str = "auto", stream: IO[str] | None = None, interval: float = 10.0):
        self.stream = stream or sys.stderr
        if mode == "auto":
            mode = "bar" if getattr(self.stream, "isatty", lambda: False)() else "plain"
        self.mode = mode  # bar | plain | quiet
        self.total = total
        self.done = 0
        self.failed = 0
        self.duplicates = 0
        self.reused = 0
        self.interval = interval
        self._started = time.monotonic()
        self._last_line = self._started
        self._work_done = 0
        self._bar = None
        if self.mode == "bar":
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="transcript", file=self.stream, smoothing=0.05, mininterval=0.25,
                             desc="Scoring", **_width(self.stream))

    def note(self, message: str) -> None:
        if self.mode == "quiet":
            return
        if self._bar is not None:
            self._bar.write(message, file=self.stream)
        else:
            print(message, file=self.stream, flush=True)

    def advance(self, state: str) -> None:
        """One input accounted for; ``state`` is scored, failed, duplicate or reused."""
        self.done += 1
        if state == "failed":
            self.failed += 1
        elif state == "duplicate":
            self.duplicates += 1
        elif state == "reused":
            self.reused += 1
        if state in ("scored", "failed"):  # the ETA counts judging work only, not inputs already done
            self._work_done += 1
        if self._bar is not None:
            self._bar.update(1)
            if state in ("failed", "duplicate"):
                self._bar.set_postfix(failed=self.failed, duplicates=self.duplicates, refresh=False)
        elif self.mode == "plain":
            now = time.monotonic()
            if now - self._last_line >= self.interval:
                self._last_line = now
                print(self.line(), file=self.stream, flush=True)

    def line(self) -> str:
        elapsed = time.monotonic() - self._started
        share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        rate = self.done / elapsed if elapsed > 0 else 0.0
        parts = [f"replycheck: {self.done}/{self.total} inputs{share}", f"{rate:.1f} a second"]
        left = self.total - self.done
        if left > 0 and self._work_done:
            work_rate = self._work_done / max(elapsed, 1e-6)
            parts.append(f"about {_duration(left / work_rate)} left")
        extra = []
        if self.failed:
            extra.append(f"{self.failed} failed")
        if self.duplicates:
            extra.append(f"{self.duplicates} duplicate{'s' if self.duplicates != 1 else ''}")
        if self.reused:
            extra.append(f"{self.reused} already done")
        return ", ".join(parts) + (f"; {', '.join(extra)}" if extra else "")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self.mode == "plain" and self.done:
            print(self.line(), file=self.stream, flush=True)
