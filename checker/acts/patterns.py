"""Token-pattern recognisers: spaCy's Matcher for what is exact (placeholders, the names of
sensitive items), and the dependency parse for "a request whose object includes a sensitive
item", whatever else the request lists.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from .definitions import ActDefinition

# verbs (lemmas) that ask for something, and words that make the ask safe
REQUEST_VERBS = {"give", "tell", "confirm", "provide", "send", "type", "enter", "share", "need", "have", "take",
                 "read", "pop", "let", "want", "require", "put", "get", "supply", "quote", "input", "write", "message",
                 "pass", "forward", "check", "verify", "ask", "drop", "stick", "post", "fill", "reply", "email", "text",
                 "list", "say", "spell", "upload", "attach", "whack", "bung", "chuck", "paste", "key", "fire", "show",
                 "read", "dm", "inbox", "whatsapp", "be"}
# verbs by which the agent hands something over ("we'll text you a new PIN"): with the agent as
# subject they give, not ask
GIVING_VERBS = {"give", "send", "text", "email", "post", "message", "forward", "pass", "issue", "show"}
# verbs with which the one who wants the item is the subject: "I'll need your PIN" asks for it,
# "you'll need your PIN to log in" does not
WANTING_VERBS = {"need", "require", "want", "have", "take", "get"}
ASKERS = {"i", "we", "us", "me"}
# a part of the item, which is safe to ask for: "the last four digits", "the 2nd and 5th characters"
PARTIAL_WORDS = {"last", "final", "first", "ending", "end", "characters", "character", "letters", "letter",
                 "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
# what is done to the item when the customer protects or replaces it ("reset your password",
# "keep your PIN private", "choose a new passcode"): advice, not a request
PROTECTING_VERBS = {"reset", "change", "forget", "create", "choose", "recover", "keep", "protect", "cover", "hide",
                    "store", "memorise", "memorize", "set", "update", "renew", "lock", "block", "cancel", "freeze",
                    "use", "remember", "tell", "remove", "delete", "redact", "blank", "obscure"}
# words anywhere in the sentence that make it safe: a warning, or a secure channel the customer
# types the item into themselves
SAFE_WORDS = {"never", "nobody", "disclose", "link", "secure", "securely", "keypad", "automated", "forgot",
              "forgotten"}
CONDITIONS = {"if", "unless", "whether", "after", "when", "whenever"}
NEGATORS = {"not", "n't", "never", "no", "nobody", "don't", "dont"}
# "card number" is sensitive for a payment card, not a library, loyalty or membership card
OTHER_CARDS = {"loyalty", "library", "membership", "member", "gift", "store", "reward", "rewards", "oyster", "rail",
               "bus", "travel", "student", "id", "identity", "club", "nectar", "clubcard", "key", "access", "parking",
               "sim", "memory", "business", "blue", "badge", "season", "discount", "points", "donor", "loyality"}


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


QUESTION_WORDS = {"what", "which", "where", "when", "how", "who", "whats", "wots", "wat"}
QUESTION_AUXES = {"can", "could", "would", "will", "may", "do", "did", "shall", "is", "are"}
QUESTION_SUBJECTS = {"you", "u", "i", "we", "ya"}


def is_question(sent: Any) -> bool:
    """A question by its mark or, where chat and text-speak leave the mark off, by its shape: it
    opens with a question word ("whats the long number on your card") or an auxiliary before its
    subject ("can you send me the code")."""
    if sent.text.rstrip().endswith("?"):
        return True
    words = [t for t in sent if not (t.is_punct or t.is_space)]
    if not words:
        return False
    first = words[0].lower_
    if first in QUESTION_WORDS and len(words) > 2:
        return True
    return first in QUESTION_AUXES and len(words) > 2 and words[1].lower_ in QUESTION_SUBJECTS


# the word that makes a sentence a request, however the parse reads the rest ("Pls DM us the…")
POLITE_MARKERS = frozenset({"please", "pls", "plz", "kindly"})


def is_request(sent: Any) -> bool:
    """A question, an imperative, a sentence built on a request verb ("I'll need…", "pop … in"),
    or one that says please ("Pls DM us the card number", where text-speak breaks the parse)."""
    if is_question(sent) or any(t.lower_ in POLITE_MARKERS for t in sent):
        return True
    root = sent.root
    if root.lemma_.lower() in REQUEST_VERBS:
        return True
    if root.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children):
        return True  # imperative
    return any(t.lemma_.lower() in REQUEST_VERBS and t.pos_ == "VERB" for t in sent)


def sensitive_request(sent: Any, hits: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The first sensitive item (token span) this sentence asks for, or None.

    The parse decides: the item must sit in a request (a question, an imperative, a request verb)
    and be asked *of* the customer. It is not a request when it is only part of the item ("the
    last four digits of your card", "the 2nd and 5th characters of your passcode"), when the
    sentence warns ("we will never ask for your PIN", "don't share your card number"), points
    to a secure channel ("enter it through the secure link"), advises on keeping or replacing
    it ("reset your password", "keep your PIN private"), says the customer needs it ("you'll
    need your password to log in"), or sits in a condition ("if you've shared your PIN…")."""
    if not hits or not is_request(sent):
        return None
    if any(t.lower_ in SAFE_WORDS for t in sent):
        return None
    doc = sent.doc
    for start, end in sorted(hits, key=lambda h: (h[0], h[0] - h[1])):  # the longest match at each start
        item = doc[start:end]
        phrase, path, verb = _noun_phrase(item)
        before = [t for t in doc[max(sent.start, start - 4):start]]
        if any(_partial(t) for t in phrase) or any(_partial(t) for t in before):
            continue
        if any(t.lower_ == "new" for t in phrase):
            continue  # a new PIN or password is issued or chosen, not asked for
        if verb is not None:
            lemma = "be" if verb.lower_ in ("s", "'s", "’s") else verb.lemma_.lower()
            if _negated(verb):
                continue
            if lemma == "be" and (any(n.pos_ in ("ADP", "ADJ") for n in path) or not is_question(sent)):
                continue  # "be careful with your card details", "the CVV is the three digits on the back"
                # (unlike "what's the PIN for your card?")
            if lemma != "be" and _third_party(verb, {t.i for t in phrase}):
                continue  # "scammers ask for your passcode"
            if lemma in PROTECTING_VERBS and not _to_asker(verb):
                continue
            if lemma in WANTING_VERBS and not _asker_is_agent(verb):
                continue
            if lemma in GIVING_VERBS and _subject_is_agent(verb):
                continue  # "we'll send you your PIN"
            if verb.tag_ in ("VBD", "VBN") and not is_question(sent):
                continue  # something already done ("you must have entered the wrong card number")
            if item.root.dep_.startswith("nsubj") and item.root.head.i == verb.i and lemma != "be":
                continue  # the item does something ("the password got shared"): nothing is asked for
            if _conditional(verb) and not _to_asker(verb):
                continue
        if any(t.lower_ in NEGATORS for t in before):
            continue
        if _other_card(doc, start, phrase):
            continue
        return start, end
    return None


def _other_card(doc: Any, start: int, phrase: list[Any]) -> bool:
    """A library, loyalty or membership card ("the long number on your loyalty card")."""
    cards = [t for t in phrase if t.lower_ == "card"]
    if doc[start].lower_ == "card" and start > 0:
        cards.append(doc[start])
    for card in cards:
        before = doc[card.i - 1] if card.i > 0 else None
        if before is not None and before.lower_ in OTHER_CARDS:
            return True
    return False


def _third_party(verb: Any, item: set[int]) -> bool:
    """Someone other than the agent or the customer does the asking ("callers ask for your PIN",
    "did they ask for your PIN?"), or the question is about what was done ("did you give the
    caller your PIN?")."""
    node = verb
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lemma_.lower() == "do" and c.tag_ == "VBD" for c in node.children):
            return True
        if node.lemma_.lower() in ("ask", "prompt", "require") and any(c.dep_ == "nsubjpass" for c in node.children):
            return True  # "you'll be asked to enter your PIN on the card machine"
        subjects = [c for c in node.children if c.dep_ == "nsubj" and c.i not in item]
        if subjects:
            return any(c.pos_ in ("NOUN", "PROPN") or c.lower_ in ("they", "he", "she", "someone", "somebody", "anyone")
                       for c in subjects)
        if node.head.i == node.i or node.dep_ not in ("conj", "xcomp"):
            return False
        node = node.head
    return False


def _partial(token: Any) -> bool:
    return token.lower_ in PARTIAL_WORDS or bool(_ORDINAL.match(token.text))


def _noun_phrase(item: Any) -> tuple[list[Any], list[Any], Any]:
    """The tokens of the noun phrase around the item (up the tree through nouns, numbers,
    adjectives and prepositions, with their modifiers), the path of heads climbed, and the verb
    that governs the item, if any ("please", "pls" are no verbs, however they are tagged)."""
    phrase: list[Any] = list(item)
    path: list[Any] = []
    node = item.root
    for _ in range(6):
        phrase.extend(c for c in node.children if c.pos_ not in ("VERB", "AUX"))
        for c in list(node.children):
            phrase.extend(g for g in c.children if c.dep_ in ("amod", "nummod", "conj", "compound"))
        if node.head.i == node.i:
            return phrase, path, (node if _is_verb(node) else None)
        node = node.head
        if _is_verb(node):
            return phrase, path, node
        phrase.append(node)
        path.append(node)
    return phrase, path, None


def _is_verb(token: Any) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lower_ not in POLITE_MARKERS


def _negated(verb: Any) -> bool:
    node = verb
    for _ in range(3):
        if any(c.dep_ == "neg" or c.lower_ in ("never", "nobody") for c in node.children):
            return True
        if node.head.i == node.i or node.dep_ not in ("xcomp", "ccomp", "conj", "advcl"):
            return False
        node = node.head
    return False


def _to_asker(verb: Any) -> bool:
    """"Tell me your password", "if you give me your login…": the item goes to the agent."""
    return any(c.lower_ in ("me", "us") for c in verb.children) or any(
        c.dep_ == "prep" and c.lower_ == "to" and any(g.lower_ in ("me", "us") for g in c.children) for c in verb.children)


def _subject_is_agent(verb: Any) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ASKERS for c in verb.children)


def _asker_is_agent(verb: Any) -> bool:
    """Who wants it: "I'll need…" / "we require…" / "can I have…" (the agent) or a question
    with no subject; not "you'll need your password to log in"."""
    node = verb
    for _ in range(3):
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return any(s.lower_ in ASKERS for s in subjects)
        if node.head.i == node.i or node.dep_ not in ("xcomp", "conj"):
            break
        node = node.head
    return True


def _conditional(verb: Any) -> bool:
    node = verb
    for _ in range(3):
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in node.children):
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False
