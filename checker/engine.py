"""The ``Checker``: the model, the proofreader and the rule sets, built once and reused.

Views, the CLI and batch workers each hold one ``Checker``; nothing here is global, so tests
and servers can build their own with other settings.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .analyse import analyse
from .model import AnalysedConversation, Conversation, Report
from .nlp import DEFAULT_MODEL, load_model
from .parse import MAX_INPUT_BYTES, parse_bytes, parse_transcript
from .proofing import default_accepted_words, make_proofreader
from .proofing.layers import LAYERS


class Checker:
    def __init__(self, model: str = DEFAULT_MODEL, languagetool_url: str | None = None,
                 accepted_words: list[str] | None = None, max_bytes: int = MAX_INPUT_BYTES,
                 rules_paths: dict[str, str | Path] | None = None):
        self.model_name = model
        self.nlp = load_model(model)
        words = default_accepted_words() + list(accepted_words or [])
        self.accepted_words = frozenset(w.lower() for w in words)
        self.proofreader = make_proofreader(languagetool_url, words)
        LAYERS.words()  # the British dictionary (about 1.5 s), loaded now rather than on the first check
        self.max_bytes = max_bytes
        self.rules_paths = dict(rules_paths or {})
        self._rulesets: dict[str, Any] = {}
        self._lock = threading.Lock()
        # proofreading runs here while spaCy parses (harper releases the GIL); one harper linter
        # per pool thread, so at most this many are built
        self._proof_pool = ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1)),
                                              thread_name_prefix="replycheck-proof")

    # -- stages -----------------------------------------------------------------------------

    def parse(self, text: str | bytes, *, name: str = "<input>", channel: str = "auto",
              agent: str | None = None) -> Conversation:
        if isinstance(text, bytes):
            return parse_bytes(text, name=name, channel=channel, agent=agent, max_bytes=self.max_bytes)
        return parse_transcript(text, channel=channel, agent=agent, source=name)

    def analyse(self, conversation: Conversation, extra_words: frozenset[str] = frozenset()) -> AnalysedConversation:
        return analyse(conversation, self.nlp, self.proofreader, self.accepted_words | extra_words, self.model_name,
                       executor=self._proof_pool)

    def ruleset(self, name: str = "default"):
        """Load (once) the rule set called ``name`` or at path ``name``."""
        from .rules.loader import load_ruleset

        with self._lock:
            if name not in self._rulesets:
                self._rulesets[name] = load_ruleset(self.rules_paths.get(name, name)).compile(self.nlp)
            return self._rulesets[name]

    def check(self, text: str | bytes | Conversation, *, channel: str = "auto", agent: str | None = None,
              rules: str = "default", name: str = "<input>") -> Report:
        from .evaluate import evaluate
        from .report import build_report

        ruleset = self.ruleset(rules)
        conversation = text if isinstance(text, Conversation) else self.parse(text, name=name, channel=channel, agent=agent)
        analysed = self.analyse(conversation, ruleset.accepted_words)
        return build_report(analysed, ruleset, evaluate(analysed, ruleset))

    def close(self) -> None:
        self._proof_pool.shutdown(wait=True)
        self.proofreader.close()
