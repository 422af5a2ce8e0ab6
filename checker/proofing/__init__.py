"""Proofreading backends behind one small interface.

``Proofreader.check(texts)`` takes the agent's turns and returns, per text, ``RawIssue``s with
offsets into that text. Library objects are converted to ``RawIssue`` here, at the boundary.

- ``HarperProofreader``: the offline default (harper-py, British English, no Java). A harper
  ``Linter`` is not thread-safe, so each thread builds its own (about half a second, once).
- ``LanguageToolProofreader``: language-tool-python against a configured LanguageTool server
  (``--languagetool URL``). It needs Java and a 250 MB download to run locally, which cannot
  happen offline, so a server URL is the supported way.
- ``FallbackProofreader``: tries LanguageTool and, when it cannot be reached, uses harper and
  says so in the report.

Both honour a list of accepted words (brand and product names).
"""
from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol, Sequence

LIST_DIR = Path(__file__).parent.parent / "rules" / "default" / "lists"


@dataclass(frozen=True)
class RawIssue:
    start: int
    end: int
    text: str
    message: str
    category: str
    rule: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProofOutput:
    backend: str
    issues: list[list[RawIssue]]
    notes: tuple[str, ...] = ()


class ProofreaderUnavailable(Exception):
    """The backend cannot be reached or started."""


class Proofreader(Protocol):
    name: str

    def check(self, texts: Sequence[str]) -> ProofOutput: ...

    def close(self) -> None: ...


def load_word_list(path: str | Path) -> list[str]:
    """One word, phrase or pattern a line; a line starting with ``#`` is a comment."""
    words = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line)
    return words


def default_accepted_words() -> list[str]:
    return load_word_list(LIST_DIR / "accepted_words.txt")


def _accepted_filter(issues: Iterable[RawIssue], accepted: set[str]) -> list[RawIssue]:
    return [i for i in issues if not (i.category == "spelling" and i.text.strip().lower() in accepted)]


# ---------------------------------------------------------------- harper

_HARPER_CATEGORY = {
    "Spelling": "spelling",
    "Capitalization": "grammar",
    "WordChoice": "grammar",
    "Agreement": "grammar",
    "Grammar": "grammar",
    "Miscellaneous": "grammar",
    "Eggcorn": "grammar",
    "Malapropism": "grammar",
    "Usage": "grammar",
    "Nonstandard": "grammar",
    "Typo": "spelling",
    "Punctuation": "punctuation",
    "Formatting": "typography",
    "BoundaryError": "grammar",
    "Repetition": "grammar",
    "Redundancy": "style",
    "Readability": "style",
    "Style": "style",
    "Enhancement": "style",
    "Regionalism": "spelling",
}

# Rules that flag correct British customer-service writing: an en dash in "3-5 working days",
# and names such as "Sam" that happen to be acronyms elsewhere.
HARPER_DISABLED = ("NumericRangeEnDash", "OrthographicConsistency", "Dashes", "SpelledNumbers",
                   "SentenceCapitalization", "LongSentences", "ExpandTimeShorthands", "AvoidCurses",
                   "OkToOkay",  # "OK" is standard British English
                   # measured on transcripts nobody tuned on (none right, each wrong at least once):
                   "ToTwoToo",  # "comes to roughly £612", "from Good to Faulty", "back to normal" -> 'too'
                   "UpdatePlaceNames",  # "Turkey" is the British name; it was offered 'Türkiye'
                   "ExpandMemoryShorthands",  # "Flat 4B" read as bytes
                   "ForAWhile",  # "well cared for while you are away"
                   "ThereToTheir",  # "is there space around…"; there/their is the grammar layer's, from the parse
                   "FindOut",  # "Let me find out for you", "a horrible thing to find out" -> 'find'; idiomatic British English
                   "ProgressiveNeedsBe")  # "so you have heating tonight" -> 'are heating'; its one hit in every corpus


class HarperProofreader:
    name = "harper"

    def __init__(self, accepted_words: Iterable[str] = ()):
        self.accepted = sorted({w for w in accepted_words if w})
        self._accepted_lower = {w.lower() for w in self.accepted}
        self._local = threading.local()

    def _linter(self):
        linter = getattr(self._local, "linter", None)
        if linter is None:
            import harper

            linter = harper.Linter(harper.Dialect.BRITISH)
            config = linter.get_lint_config()
            for rule in HARPER_DISABLED:
                if rule in config:
                    config[rule] = False
            linter.set_lint_config(config)
            single_words = [w for w in self.accepted if " " not in w]
            if single_words:
                linter.import_words(single_words)
            self._local.linter = linter
        return linter

    def check(self, texts: Sequence[str]) -> ProofOutput:
        """One ``lint()`` over all the texts joined as paragraphs (cheaper than a call each, and
        the same issues), then each issue is given back to its text."""
        linter = self._linter()
        starts, pos = [], 0
        for text in texts:
            starts.append(pos)
            pos += len(text) + 2
        out: list[list[RawIssue]] = [[] for _ in texts]
        for lint in linter.lint("\n\n".join(texts), language="plaintext"):
            k = bisect.bisect_right(starts, lint.span.start) - 1
            start, end = lint.span.start - starts[k], lint.span.end - starts[k]
            if k < 0 or end > len(texts[k]):  # an issue across two messages belongs to neither
                continue
            out[k].append(RawIssue(
                start=start, end=end, text=lint.problem_text, message=lint.message,
                category=_HARPER_CATEGORY.get(lint.lint_kind, "other"), rule=f"harper.{lint.lint_kind}",
                suggestions=tuple(s.replacement_text for s in lint.suggestions[:3] if s.replacement_text),
            ))
        return ProofOutput(self.name, [_accepted_filter(sorted(i, key=lambda x: (x.start, x.end)), self._accepted_lower)
                                       for i in out])

    def close(self) -> None:
        self._local = threading.local()


# ---------------------------------------------------------------- LanguageTool

_LT_CATEGORY = {
    "TYPOS": "spelling",
    "SPELLING": "spelling",
    "GRAMMAR": "grammar",
    "CASING": "grammar",
    "CONFUSED_WORDS": "grammar",
    "COLLOCATIONS": "grammar",
    "PUNCTUATION": "punctuation",
    "TYPOGRAPHY": "typography",
    "STYLE": "style",
    "REDUNDANCY": "style",
    "PLAIN_ENGLISH": "style",
    "AMERICAN_ENGLISH_STYLE": "spelling",
    "BRITISH_ENGLISH": "spelling",
}
LT_DISABLED_RULES = ("DASH_RULE", "EN_QUOTES", "WHITESPACE_RULE", "PUNCTUATION_PARAGRAPH_END")


class LanguageToolProofreader:
    """One shared client for a LanguageTool server; requests time out instead of hanging a check."""

    name = "languagetool"

    def __init__(self, url: str, language: str = "en-GB", accepted_words: Iterable[str] = (), timeout: float = 10.0):
        self.url = url
        self.language = language
        self.timeout = timeout
        self._accepted_lower = {w.lower() for w in accepted_words}
        self._tool = None
        self._lock = threading.Lock()

    def _client(self):
        with self._lock:
            if self._tool is None:
                import language_tool_python

                try:
                    tool = language_tool_python.LanguageTool(self.language, remote_server=self.url)
                except Exception as exc:  # the library raises several types when a server is down
                    raise ProofreaderUnavailable(f"LanguageTool at {self.url} could not be reached ({type(exc).__name__})") from None
                tool._TIMEOUT = self.timeout
                tool.disabled_rules.update(LT_DISABLED_RULES)
                self._tool = tool
            return self._tool

    def check(self, texts: Sequence[str]) -> ProofOutput:
        tool = self._client()
        out = []
        for text in texts:
            try:
                matches = tool.check(text)
            except Exception as exc:
                raise ProofreaderUnavailable(f"LanguageTool at {self.url} failed ({type(exc).__name__})") from None
            issues = [
                RawIssue(
                    start=m.offset, end=m.offset + m.error_length, text=text[m.offset: m.offset + m.error_length],
                    message=m.message, category=_LT_CATEGORY.get(m.category, "other"), rule=f"languagetool.{m.rule_id}",
                    suggestions=tuple(m.replacements[:3]),
                )
                for m in matches
            ]
            out.append(_accepted_filter(issues, self._accepted_lower))
        return ProofOutput(self.name, out)

    def close(self) -> None:
        with self._lock:
            if self._tool is not None:
                try:
                    self._tool.close()
                except Exception:
                    pass
                self._tool = None


class FallbackProofreader:
    """Use ``primary``; when it is unavailable, ``fallback``, and say so in the output."""

    def __init__(self, primary: Proofreader, fallback: Proofreader):
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name

    def check(self, texts: Sequence[str]) -> ProofOutput:
        try:
            return self.primary.check(texts)
        except ProofreaderUnavailable as exc:
            result = self.fallback.check(texts)
            return ProofOutput(result.backend, result.issues, (f"{exc}; used the offline {result.backend} proofreader instead",))

    def close(self) -> None:
        self.primary.close()
        self.fallback.close()


def make_proofreader(languagetool_url: str | None = None, accepted_words: Iterable[str] = ()) -> Proofreader:
    """The offline default, or LanguageTool with the offline default as fallback."""
    words = list(accepted_words)
    offline = HarperProofreader(words)
    if languagetool_url:
        return FallbackProofreader(LanguageToolProofreader(languagetool_url, accepted_words=words), offline)
    return offline
