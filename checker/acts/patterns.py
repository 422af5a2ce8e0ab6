"""Token-pattern recognisers: spaCy's Matcher for what is exact (placeholders, the names of
sensitive items), and the dependency parse for "a request whose object includes a sensitive
item", whatever else the request lists.
"""
from __future__ import annotations

from typing import Any, Iterable

from .definitions import ActDefinition

# verbs (lemmas) that ask for something, and words that make the ask safe
REQUEST_VERBS = {"give", "tell", "confirm", "provide", "send", "type", "enter", "share", "need", "have", "take",
                 "read", "pop", "let", "want", "require", "put", "get", "supply", "quote", "input", "write", "message",
                 "pass", "forward", "check", "verify", "ask", "drop", "stick", "post", "fill"}
SAFE_MODIFIERS = {"last", "final", "first", "characters", "character", "digits", "digit", "letters", "letter",
                  "ending", "end"}
SAFE_CONTEXT = {"never", "reset", "forgot", "forgotten", "change", "changed", "new", "create", "choose", "recover",
                "expired", "locked", "unlock", "wrong", "incorrect", "disclose", "anyone", "nobody", "secure",
                "securely", "link"}
NEGATORS = {"not", "n't", "never", "no", "nobody", "don't", "dont"}
# "card number" is sensitive for a payment card, not a library, loyalty or membership card
PAYMENT_CARD_WORDS = {"credit", "debit", "bank", "payment", "visa", "mastercard", "amex"}


class PatternMatcher:
    """All acts' token patterns in one spaCy Matcher, run once per sentence."""

    def __init__(self, nlp: Any, definitions: Iterable[ActDefinition]):
        from spacy.matcher import Matcher

        self._matcher = Matcher(nlp.vocab)
        self.names: set[str] = set()
        for d in definitions:
            if d.patterns:
                self._matcher.add(d.name, [list(p) for p in d.patterns])
                self.names.add(d.name)
        self._vocab = nlp.vocab

    def __call__(self, span: Any) -> list[tuple[str, int, int]]:
        """(act, token start, token end) in the span's doc, for every match of every act."""
        if not self.names:
            return []
        found = []
        for match_id, s, e in self._matcher(span):
            found.append((self._vocab.strings[match_id], span.start + s, span.start + e))
        return found


def is_request(sent: Any) -> bool:
    """A question, an imperative, or a sentence built on a request verb ("I'll need…", "pop … in")."""
    text = sent.text.strip()
    if text.endswith("?"):
        return True
    root = sent.root
    if root.lemma_.lower() in REQUEST_VERBS:
        return True
    if root.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children):
        return True  # imperative
    return any(t.lemma_.lower() in REQUEST_VERBS and t.pos_ == "VERB" for t in sent)


def sensitive_request(sent: Any, hits: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The first sensitive item (token span) this sentence asks for, or None when the sentence
    is not a request, is negated ("we will never ask for your PIN"), or asks only for a safe
    part ("the last four digits of your card", "the 2nd and 5th characters of your passcode")."""
    if not hits or not is_request(sent):
        return None
    if any(t.lower_ == "never" for t in sent):
        return None
    for start, end in sorted(hits, key=lambda h: (h[0], h[0] - h[1])):  # the longest match at each start
        doc = sent.doc
        item = doc[start:end]
        # what governs the item: "last four digits OF your card number", "characters OF your passcode"
        head = item.root
        chain = []
        node = head
        for _ in range(4):
            if node.head is node:
                break
            node = node.head
            chain.append(node)
        context = {t.lower_ for t in chain} | {t.lower_ for t in item.root.children if not start <= t.i < end}
        before = {t.lower_ for t in doc[max(sent.start, start - 6):start]}
        if context & SAFE_MODIFIERS or before & SAFE_MODIFIERS:
            continue
        window = {t.lower_ for t in doc[max(sent.start, start - 8):min(sent.end, end + 4)]}
        if window & SAFE_CONTEXT:
            continue
        if _negated(chain) or before & NEGATORS:
            continue
        first = doc[start]
        if first.lower_ == "card" and start > sent.start:
            prev = doc[start - 1]
            if prev.pos_ in ("NOUN", "PROPN") and prev.lower_ not in PAYMENT_CARD_WORDS:
                continue
        return start, end
    return None


def _negated(chain: list[Any]) -> bool:
    return any(any(c.dep_ == "neg" for c in node.children) for node in chain)
