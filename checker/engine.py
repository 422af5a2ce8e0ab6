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
from .budget import budget, check_time
from .errors import InputError
from .model import ActedConversation, AnalysedConversation, Conversation, Report
from .nlp import DEFAULT_MODEL, load_model
from .parse import MAX_INPUT_BYTES, parse_bytes, parse_transcript
from .proofing import default_accepted_words, make_proofreader
from .proofing.layers import LAYERS


class Checker:
    def __init__(self, model: str = DEFAULT_MODEL, languagetool_url: str | None = None,
                 accepted_words: list[str] | None = None, max_bytes: int = MAX_INPUT_BYTES,
                 rules_paths: dict[str, str | Path] | None = None, time_limit: float | None = None,
                 proof_threads: int | None = None, use_encoder: bool = True, encoder_threads: int | None = None):
        """``time_limit``: seconds per check (None: no overall limit; tutors' patterns always share
        ``checker.budget.REGEX_BUDGET`` per check). ``proof_threads``: threads that proofread while
        spaCy parses (default up to 4); 0 proofreads in the calling thread, for a process that is
        one of several sharing the cores (the web app's check processes). ``use_encoder``: False
        recognises dialogue acts by token patterns only. ``encoder_threads``: sentences the encoder
        runs at once, one core each (default up to 2; 1 where one process runs per core: the web
        app's check processes and the batch's workers); the judgements are the same either way."""
        from .acts import ActRecogniser

        self.model_name = model
        self.time_limit = time_limit
        self.nlp = load_model(model)
        # the dialogue-act recogniser: sentence model loaded and act examples embedded once
        if encoder_threads is None:
            encoder_threads = max(1, min(2, os.cpu_count() or 1))
        self.recogniser = ActRecogniser(self.nlp, use_encoder=use_encoder, encoder_threads=encoder_threads)
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
        threads = max(1, min(4, os.cpu_count() or 1)) if proof_threads is None else proof_threads
        self._proof_pool = (ThreadPoolExecutor(max_workers=threads, thread_name_prefix="replycheck-proof")
                            if threads > 0 else None)

    # -- stages -----------------------------------------------------------------------------

    def parse(self, text: str | bytes, *, name: str = "<input>", channel: str = "auto",
              agent: str | None = None) -> Conversation:
        if isinstance(text, bytes):
            return parse_bytes(text, name=name, channel=channel, agent=agent, max_bytes=self.max_bytes)
        return parse_transcript(text, channel=channel, agent=agent, source=name)

    def analyse(self, conversation: Conversation, extra_words: frozenset[str] = frozenset(),
                after_parse: Any = None) -> AnalysedConversation:
        return analyse(conversation, self.nlp, self.proofreader, self.accepted_words | extra_words, self.model_name,
                       executor=self._proof_pool, after_parse=after_parse)

    def acts(self, analysed: AnalysedConversation, ruleset: Any = None, pending: Any = None) -> ActedConversation:
        """The dialogue acts, with ``ruleset``'s own act examples (a centre file's ``acts:``) beside
        the act files' own. ``pending``: vectors ``start_embedding`` began for these messages."""
        added = getattr(ruleset, "act_examples", None)
        return self.recogniser.recognise(analysed, examples=self.recogniser.examples_for(added), pending=pending)

    def analyse_and_act(self, conversation: Conversation, ruleset: Any = None) -> ActedConversation:
        """Analysis, then the acts, with the sentence encoder started as soon as the messages are
        parsed so that it runs on another core beside named entities and proofreading (the
        result is the same as ``acts(analyse(…))``)."""
        pending: list[Any] = []
        analysed = self.analyse(conversation, getattr(ruleset, "accepted_words", frozenset()),
                                after_parse=lambda docs: pending.append(self.recogniser.start_embedding(conversation, docs)))
        return self.acts(analysed, ruleset, pending=pending[0] if pending else None)

    def ruleset(self, name: str = "default"):
        """Load (once) the rule set called ``name`` or at path ``name``: its rules compiled and its
        own act examples embedded now, not on the first check."""
        from .rules.loader import load_ruleset

        with self._lock:
            if name not in self._rulesets:
                ruleset = load_ruleset(self.rules_paths.get(name, name)).compile(self.nlp)
                self.recogniser.examples_for(ruleset.act_examples)
                self._rulesets[name] = ruleset
            return self._rulesets[name]

    def check(self, text: str | bytes | Conversation, *, channel: str = "auto", agent: str | None = None,
              rules: str = "default", name: str = "<input>", time_limit: float | None = None) -> Report:
        """Judge one transcript within ``time_limit`` seconds (default: the Checker's)."""
        from .evaluate import evaluate
        from .report import build_report

        ruleset = self.ruleset(rules)
        with budget(time_limit if time_limit is not None else self.time_limit):
            conversation = text if isinstance(text, Conversation) else self._parse_guarded(text, name, channel, agent)
            check_time("reading the transcript")
            acted = self.analyse_and_act(conversation, ruleset)
            check_time("recognising dialogue acts")
            return build_report(acted, ruleset, evaluate(acted, ruleset))

    def _parse_guarded(self, text, name, channel, agent) -> Conversation:
        return read_guarded(lambda: self.parse(text, name=name, channel=channel, agent=agent), name=name)

    def close(self) -> None:
        if self._proof_pool is not None:
            self._proof_pool.shutdown(wait=True)
        if self.recogniser.encoder is not None:
            self.recogniser.encoder.close()
        self.proofreader.close()


def read_guarded(read, name: str = "<input>"):
    """``read()`` (a call of a parser), with the ways Python itself refuses an input (nesting
    too deep for its recursion limit, a number too long to convert, text it cannot encode)
    reported as one input error instead of a traceback."""
    try:
        return read()
    except RecursionError:
        raise InputError("the transcript is nested too deeply to read", source=name) from None
    except UnicodeError:
        raise InputError("the transcript holds characters that cannot be read as text", source=name) from None
    except ValueError as exc:
        if "integer string conversion" in str(exc):
            raise InputError("the transcript holds a number too long to read", source=name) from None
        raise
