"""Phrase matching shared by the rule types.

A ``PhraseSet`` matches listed phrases on the lower-cased text (each phrase also with curly
apostrophes) and on LEMMA, so "apologised" matches "apologise" and "I'm sorry" matches "I am
sorry", plus optional regular expressions. (Not on spaCy's NORM: it maps "pls" to "please" and
"thx" to "thanks", which would make text-speak rules flag correct words.) Tutors' regular expressions run with a time limit so one cannot
hang a check.
"""
from __future__ import annotations

import time
from typing import Any, Iterable

import regex

from ..analyse import NEW_LINE_STARTS

# seconds per search outside a check (the rules' example tests); in a check, patterns share
# ``checker.budget.REGEX_BUDGET``. A vetted pattern needs microseconds; the limit only stops a
# runaway one, and is generous so a busy machine never changes a result.
REGEX_TIMEOUT = 1.0
NEGATIONS = {"not", "n't", "never", "no", "cannot", "nt", "unable", "without"}
_CLAUSE_DEPS = {"xcomp"}  # "not able to apologise": the negation sits on "able"


class PhraseSet:
    def __init__(self, nlp: Any, phrases: Iterable[str] = (), patterns: Iterable[str] = (),
                 exceptions: Iterable[str] = (), exception_patterns: Iterable[str] = (), key: str = "phrases",
                 lemmas: bool = True, acts: Iterable[str] = (), exception_acts: Iterable[str] = (),
                 act_items: Iterable[str] = (), act_needs: Iterable[str] = ()):
        from spacy.matcher import PhraseMatcher

        # dialogue acts (checker/acts) that also count as a match: the evaluator adds their spans
        self.acts = frozenset(acts)
        # an act that names what it asks for (an identity request's identifiers) counts only when it
        # asks for one of these; empty: every such act counts
        self.act_items = frozenset(i.lower() for i in act_items)
        # an act counts only when its sentence has these (Act.features: "when_or_reference"…)
        self.act_needs = frozenset(act_needs)
        self.exception_acts = frozenset(exception_acts)  # a match overlapping one of these does not count

        self.phrases = tuple(p for p in phrases if p.strip())
        self.patterns = tuple(compile_regex(p) for p in patterns)
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._lemma = None
        if self.phrases:
            variants = sorted({v for p in self.phrases for v in (p, p.replace("'", "’"))})
            self._lower.add(key, [nlp.make_doc(v) for v in variants])
            if lemmas and _has_lemmas(nlp):
                # lemmas come from the tagger, so the phrases go through the pipeline once, here
                self._lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
                self._lemma.add(key, list(nlp.pipe(variants, disable=[p for p in ("ner", "parser") if p in nlp.pipe_names])))
        self._exceptions = (PhraseSet(nlp, exceptions, exception_patterns, key=key + "_exceptions")
                            if (exceptions or exception_patterns) else None)

    def __bool__(self) -> bool:
        return bool(self.phrases or self.patterns or self.acts)

    @property
    def needs_text(self) -> bool:
        """Whether ``find`` reads ``doc.text`` (regular expressions, here or in the exceptions)."""
        return bool(self.patterns) or (self._exceptions is not None and self._exceptions.needs_text)

    def find(self, doc: Any, negation: bool = False, text: str | None = None) -> list[tuple[int, int]]:
        """Non-overlapping character spans in ``doc.text``: where matches overlap, the one that
        starts first wins (then the longer), so the reported span reads naturally. ``text``:
        ``doc.text`` when the caller already has it (``Doc.text`` joins every token each time)."""
        spans: set[tuple[int, int]] = set()
        if self.phrases:
            for _, s, e in self._lower(doc):
                spans.add((doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)))
            if self._lemma is not None:
                for _, s, e in self._lemma(doc):
                    spans.add((doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)))
        if self.patterns and text is None:
            text = doc.text  # Doc.text joins every token: build it once
        for pattern in self.patterns:
            # a named group "hit" marks the part to report: '(?:need|give me)\s+(?P<hit>your\s+PIN)'
            group = "hit" if "hit" in pattern.groupindex else 0
            for m in run_regex(pattern, text):
                if m.end(group) > m.start(group):
                    spans.add(m.span(group))
        if self._exceptions is not None and spans:
            excluded = self._exceptions.find(doc, text=text)
            spans = {sp for sp in spans if not any(a <= sp[0] and sp[1] <= b for a, b in excluded)}
        if negation and spans:
            spans = {sp for sp in spans if not is_negated(doc, *sp)}
        chosen: list[tuple[int, int]] = []
        for sp in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
            if all(sp[1] <= c[0] or sp[0] >= c[1] for c in chosen):
                chosen.append(sp)
        return sorted(chosen)

    def first(self, doc: Any, negation: bool = False) -> tuple[int, int] | None:
        found = self.find(doc, negation)
        return found[0] if found else None


def _has_lemmas(nlp: Any) -> bool:
    return "lemmatizer" in nlp.pipe_names


def compile_regex(pattern: str):
    return regex.compile(pattern, regex.IGNORECASE | regex.VERSION1)


def run_regex(pattern, text: str) -> list:
    """Every match of a tutor's pattern, within what is left of the check's budget
    (``checker.budget``: patterns share one budget per check, summed over every search), and
    within ``REGEX_TIMEOUT`` when no check is running (the rules' own example tests)."""
    from .. import budget as _budget
    from ..errors import RuleError

    current = _budget.current()
    allowance = REGEX_TIMEOUT if current is None else current.regex_allowance()
    started = time.monotonic()
    try:
        if allowance <= 0:
            raise TimeoutError
        return list(pattern.finditer(text, timeout=allowance))
    except TimeoutError:
        # never a silent "no match": the result would depend on how busy the machine was
        if current is None:
            raise RuleError(f"the rule pattern {pattern.pattern!r} took over {REGEX_TIMEOUT:g} s on this text; "
                            "simplify it (see 'replycheck rules check')") from None
        current.check("running the rules' patterns")  # the overall limit ran out: say so
        raise RuleError(f"the rule patterns took over {current.regex_seconds:g} s in all on this transcript "
                        f"(the last was {pattern.pattern!r}); simplify them (see 'replycheck rules check')") from None
    finally:
        if current is not None:
            current.regex_used += time.monotonic() - started


def is_negated(doc: Any, start: int, end: int) -> bool:
    """'I can't verify you', 'I'm not able to apologise': the phrase is there, the act is not."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    root = span.root
    heads = [root]
    if root.dep_ in _CLAUSE_DEPS and root.head is not root:
        heads.append(root.head)
    for head in heads:
        if any(child.dep_ == "neg" or child.norm_ in NEGATIONS and child.i < span.start for child in head.children):
            return True
    try:
        sent_start = span.sent.start
    except ValueError:  # no sentence boundaries (a bare tokenizer); doc.has_annotation would walk every token
        sent_start = 0
    window = doc[max(sent_start, span.start - 3): span.start]
    return any(tok.norm_ in NEGATIONS or tok.lower_ in NEGATIONS for tok in window)


# a promise or an obligation; "can" is left out: "I can see your balance is £240" states account data
INTENT_WORDS = frozenset("will 'll ’ll shall would 'd ’d should must".split())


def _main_clause(doc: Any, span: tuple[int, int]) -> tuple[Any, Any] | None:
    """The sentence holding the span and that sentence's main verb (a phrase inside the sentence,
    "your account", has no verb of its own); None when the span covers no token."""
    piece = doc.char_span(span[0], span[1], alignment_mode="expand")
    if piece is None or not len(piece):
        return None
    try:
        sent = piece.sent
    except ValueError:  # no sentence boundaries
        sent = piece
    return sent, sent.root


def only_intended(doc: Any, span: tuple[int, int]) -> bool:
    """Is what the span says only intended, not done or stated? Its main verb is an offer or a
    promise ("I'll make sure your account closes on the right date", "let's get that moved",
    "if you send the readings, I'll reissue the bill"), where "I've moved your payment date" or
    "your balance is £240" did or stated something."""
    clause = _main_clause(doc, span)
    if clause is None:
        return False
    _, root = clause
    if root.lemma_.lower() == "let":
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in INTENT_WORDS for c in root.children)


PROMISE_WORDS = frozenset("will 'll ’ll shall".split())


def only_promised(doc: Any, span: tuple[int, int]) -> bool:
    """Is what the span says stated as going to happen: "I'll update the card on your account",
    "let's get that moved", "your fob will be deactivated on Friday"? An offer or a question
    ("would you like me to…?", "shall I…?") and what the customer will need to do ("you'll need to
    update it in the app") are none."""
    clause = _main_clause(doc, span)
    if clause is None:
        return False
    sent, root = clause
    if "?" in sent.text:
        return False
    if root.lemma_.lower() == "let":
        return True
    if not any(c.dep_ in ("aux", "auxpass") and c.lower_ in PROMISE_WORDS for c in root.children):
        return False
    to_do = root.lemma_.lower() in ("need", "have", "want")  # "you'll need to…": the customer's task
    return not (to_do and any(c.dep_ == "nsubj" and c.lower_ == "you" for c in root.children))


def sentence_position(seg: Any, start: int) -> tuple[int, int] | None:
    """(message index, first token of the sentence) of the character at ``start`` in a segment's
    message; the sentence is 0 when the message has no sentence boundaries; None when no token
    is there."""
    token = seg.doc.char_span(start, start + 1, alignment_mode="expand")
    if token is None or len(token) == 0:
        return None
    try:
        sent = token[0].sent
    except ValueError:  # no sentence boundaries: the message is one sentence
        return seg.turn.index, 0
    # a new line that starts with anything but a lower-case word starts a sentence of its own,
    # however the parser joined the lines ("Thanks,\nKai\n\nP.S. Does that make sense?")
    text = seg.doc.text
    breaks = [m.end() for m in NEW_LINE_STARTS.finditer(text, sent.start_char, start + 1) if m.end() <= start]
    if breaks:
        piece = seg.doc.char_span(breaks[-1], breaks[-1] + 1, alignment_mode="expand")
        if piece is not None and len(piece):
            return seg.turn.index, piece[0].i
    return seg.turn.index, sent.start

