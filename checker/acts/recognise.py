"""The acts stage: AnalysedConversation → ActedConversation.

Every sentence of every turn (split further at line breaks, so an email's salutation and
sign-off lines stand alone) is a unit. Each unit of a speaker is tried against that speaker's
acts:

1. **gating** first: an act with ``position: opening`` only counts in the speaker's first two
   chat messages (the first two units of an email), ``closing`` only in the last two (the last
   four units of an email); ``mood: question`` only on a question;
2. **token patterns** (spaCy Matcher) for what is exact: a placeholder; a sensitive item, which
   counts only inside a request that is not negated and not for a safe part of it;
3. **meaning**: the act's classifier on the sentence vector, or closeness to one of the act's
   examples (and not closer to one of its near-misses).

All units of a conversation are embedded in one batch.
"""
from __future__ import annotations

import re
import threading
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

from ..model import ACT_FEATURES, Act, ActedConversation, AnalysedConversation, Conversation, Turn
from ..parse.common import EMAIL_HEADER
from ..parse.email_thread import signature_start
from ..vocabulary import MONTHS, WEEKDAYS, alternation, phrases, without_addressing
from .definitions import ActDefinition, ActExamples, load_definitions
from .encoder import EncoderStatus, load_encoder
from .meaning import CLOSE, ExampleIndex, load_classifier
from .patterns import PatternMatcher, sensitive_request

_HAS_WORD = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class PendingVectors:
    """Sentence vectors being computed on the encoder's thread (``start_embedding``)."""

    texts: tuple[str, ...]
    vectors: Future  # of the (n, 384) array for ``texts``


OPENING_TURNS = 2
CLOSING_TURNS = 2
EMAIL_OPENING_UNITS = 2
EMAIL_CLOSING_UNITS = 4
# below an email's sign-off comes the signature: a name, a job title, contact lines, a legal
# disclaimer. They are the sender's details, not things said to the customer ("Tel: 0300 …" refers
# nobody on; "If you have received this email in error…" blames nobody), so only these acts are
# looked for there (a placeholder left in a signature is still one)
SIGNATURE_ACTS = frozenset({"sign_off", "placeholder"})


@dataclass(frozen=True)
class Unit:
    """A sentence (or one line of one) in ``turn.text[start:end]``."""

    turn: Turn
    start: int
    end: int
    span: Any  # the spaCy Span it lies in
    position: int  # index of the unit in its turn
    of: int  # units in the turn
    # an email's closing part starts here: the last units up to its sign-off, then the signature
    closing_from: int = 0

    @property
    def text(self) -> str:
        return self.turn.text[self.start:self.end]


@dataclass(frozen=True)
class Before:
    """What was said before a turn, in lower case: by the customer, by anyone; ``known`` is false
    for a sentence measured on its own, out of any conversation."""

    customer: frozenset[str]
    everyone: frozenset[str]
    known: bool
    customer_digits: frozenset[str] = frozenset()  # every run of digits the customer wrote, spaces removed


NOTHING_BEFORE = Before(frozenset(), frozenset(), False)


def meaning_text(text: str) -> str:
    """``text`` as the sentence encoder reads it: without a social post's @handles and caret
    initials ("@77120 Hi there, sorry you've been without service since yesterday, that's really
    frustrating. ^RK"). They are no part of any act, and an unknown handle moves a sentence's
    vector: that acknowledgement read 0.81 alone and nothing at all after "@77120". Offsets still
    cover the whole unit."""
    return without_addressing(text)


# where one sentence often carries two moves: "Thanks for getting in touch, take care", "…, and
# enjoy your day", "…; does that make sense?"
_CLAUSE_BREAK = re.compile(r"\s*(?:[,;:]\s+(?:and|but|so|then)\s+|[;:]\s+|\s[-–—]\s|,\s+)")
MAX_CLAUSES = 4


def units_of(turn: Turn, doc: Any, signed_at: int | None = None) -> list[Unit]:
    """The turn's units. ``signed_at``: where an email's signature starts (the end of its sign-off
    line): its closing part is the last ``EMAIL_CLOSING_UNITS`` units up to there, and all below,
    however long the signature (a job title, phone lines and a disclaimer are no closing words)."""
    pieces: list[tuple[int, int, Any]] = []
    whole = doc.text  # Doc.text joins every token each time: once per message
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        text = whole[s:e]
        offset = s
        for line in text.split("\n"):
            a = offset + (len(line) - len(line.lstrip()))
            b = offset + len(line.rstrip())
            if b > a and _HAS_WORD.search(whole[a:b]):
                pieces.append((a, b, sent))
            offset += len(line) + 1
    signed = sum(1 for a, _, _ in pieces if signed_at is None or a < signed_at)
    closing_from = max(0, signed - EMAIL_CLOSING_UNITS)
    return [Unit(turn, a, b, sent, i, len(pieces), closing_from) for i, (a, b, sent) in enumerate(pieces)]


def clauses_of(unit: Unit) -> list[tuple[int, int]]:
    """The unit's clauses (offsets in the turn) when it splits into two or more of at least two
    words each; else none. Acts are looked for in the whole unit and in each clause."""
    text = unit.text
    bounds, last = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        bounds.append((last, m.start()))
        last = m.end()
    bounds.append((last, len(text)))
    parts = [(a, b) for a, b in bounds if len(text[a:b].split()) >= 2]
    if len(parts) < 2 or len(parts) != len(bounds) or len(parts) > MAX_CLAUSES:
        return []
    return [(unit.start + a, unit.start + b) for a, b in parts]


class ActRecogniser:
    """Built once per Checker (examples embedded at load); ``recognise`` is pure."""

    def __init__(self, nlp: Any, definitions: dict[str, ActDefinition] | None = None, encoder: Any = None,
                 encoder_status: EncoderStatus | None = None, use_encoder: bool = True, encoder_threads: int = 1):
        self.definitions = dict(definitions or load_definitions())
        if use_encoder and encoder is None and encoder_status is None:
            encoder, encoder_status = load_encoder(threads=encoder_threads)
        self.encoder = encoder if use_encoder else None
        self.status = encoder_status or EncoderStatus(False, "", "the sentence model was switched off; acts were recognised by patterns only")
        self.patterns = PatternMatcher(nlp, self.definitions.values())
        self.examples = ExampleIndex(self.encoder, list(self.definitions.values())) if self.encoder else None
        self.classifier = (load_classifier(model=self.encoder.model,
                                           speakers={n: d.speaker for n, d in self.definitions.items()})
                           if self.encoder else None)
        # rule sets' own act examples → their example index, embedded once per distinct set
        self._added: dict[tuple, ExampleIndex] = {}
        self._added_lock = threading.Lock()

    def examples_for(self, added: Mapping[str, ActExamples] | None) -> ExampleIndex | None:
        """The example index with a rule set's own examples and near-misses (``acts:`` in a
        centre file) added to their acts; built, and the added sentences embedded, once per
        distinct set of additions (the Checker asks when it loads a rule set)."""
        if not added or self.examples is None:
            return self.examples
        key = tuple(sorted((name, extra.examples, extra.near_misses) for name, extra in added.items() if extra))
        if not key:
            return self.examples
        with self._added_lock:
            index = self._added.get(key)
            if index is None:
                index = self._added[key] = self.examples.with_added(self.encoder, added)
            return index

    @property
    def description(self) -> dict[str, Any]:
        return {
            "model": self.status.model or None,
            "classifier": bool(self.classifier),
            "patterns": True,
            "note": self.status.reason,
        }

    # -- the stage ----------------------------------------------------------------------------

    def _pieces(self, conversation: Conversation, docs: Sequence[Any]) -> tuple[list[Unit], list[tuple[Unit, int, int]]]:
        """The units (sentences, or lines of one) of both speakers' messages, and what the encoder
        reads: each unit, then the clauses of the units that split, in one batch."""
        turns = [t for t in conversation.turns if t.role in ("agent", "customer")]
        agent_turns = [t.index for t in turns if t.role == "agent"]
        units = [u for t in turns for u in units_of(t, docs[t.index],
                                                   signature_start(t) if conversation.channel == "email" else None)]
        pieces: list[tuple[Unit, int, int]] = [(u, u.start, u.end) for u in units]
        for u in units:
            # only the agent's opening and closing messages get a second look clause by clause,
            # where one sentence so often greets and thanks, or thanks and says goodbye, at once
            # (every clause costs an embedding)
            if u.turn.role == "agent" and self._edge(u, agent_turns, conversation.channel):
                pieces.extend((u, a, b) for a, b in clauses_of(u))
        return units, pieces

    def start_embedding(self, conversation: Conversation, docs: Sequence[Any]) -> PendingVectors | None:
        """Start encoding the conversation's sentences on the encoder's own thread as soon as they
        are parsed, while the analysis goes on (named entities, proofreading); ``recognise`` takes
        the result. The vectors are the ones ``recognise`` would compute: each sentence is encoded
        alone, whenever it is."""
        if self.encoder is None:
            return None
        _, pieces = self._pieces(conversation, docs)
        texts = [meaning_text(u.turn.text[a:b]) for u, a, b in pieces]
        return PendingVectors(tuple(texts), self.encoder.embed_later(texts)) if texts else None

    def recognise(self, analysed: AnalysedConversation, gate_position: bool = True,
                  examples: ExampleIndex | None = None, pending: PendingVectors | None = None) -> ActedConversation:
        """``gate_position=False`` ignores the acts' position gates and what the customer said
        before (for sentences measured one by one, out of any conversation). ``examples``: the example index to use (a rule set's,
        from ``examples_for``); by default the act files' own. ``pending``: the vectors
        ``start_embedding`` began on these messages."""
        index = examples if examples is not None else self.examples
        conversation = analysed.conversation
        turns = [t for t in conversation.turns if t.role in ("agent", "customer")]
        per_speaker: dict[str, list[int]] = {"agent": [], "customer": []}
        for t in turns:
            per_speaker[t.role].append(t.index)
        units, pieces = self._pieces(conversation, analysed.docs)
        said_before: dict[int, Before] = {}  # the words said before each turn
        # the speakers' own names are known from the start: "Hi Margaret" to a review signed Margaret
        # Ellery addresses her, it discloses nothing
        names = {w.lower() for t in turns for w in re.findall(r"[^\W\d_][\w'’-]*", t.speaker)} if gate_position else set()
        customer_words: set[str] = set(names)
        customer_digits: set[str] = set()
        all_words: set[str] = set(names)
        for t in turns:
            said_before[t.index] = Before(frozenset(customer_words), frozenset(all_words), gate_position,
                                          frozenset(customer_digits))
            if gate_position:  # sentences measured one by one share no context
                words = [tok.lower_ for tok in analysed.docs[t.index]]
                all_words.update(words)
                if t.role == "customer":
                    customer_words.update(words)
                    customer_words.update(w.lower() for w in re.findall(r"\S+@\S+", t.text))
                    customer_digits.update(_digits(m) for m in re.findall(r"\+?\d[\d\s-]{5,}\d", t.text))
        acts: list[Act] = []
        texts = [meaning_text(u.turn.text[a:b]) for u, a, b in pieces]
        vectors = None
        if self.encoder and pieces:
            vectors = (pending.vectors.result() if pending is not None and pending.texts == tuple(texts)
                       else self.encoder.embed(texts))
        probs = self.classifier.probabilities(vectors, texts) if (self.classifier is not None and vectors is not None) else None
        column = {name: i for i, name in enumerate(self.classifier.acts)} if self.classifier is not None else {}
        rows: dict[int, list[int]] = {}
        for k, (u, _, _) in enumerate(pieces):
            rows.setdefault(id(u), []).append(k)
        signature = {t.index: signature_start(t) for t in turns
                     if t.role == "agent" and conversation.channel == "email"}
        for unit in units:
            role = unit.turn.role
            in_signature = unit.start >= signature.get(unit.turn.index, len(unit.turn.text) + 1)
            pattern_hits: dict[str, list[tuple[int, int]]] = {}
            for name, s, e in self.patterns(unit.span):
                pattern_hits.setdefault(name, []).append((s, e))
            before = said_before.get(unit.turn.index, NOTHING_BEFORE)
            features: tuple[str, ...] | None = None  # the unit's structures, found once for all its acts
            for d in self.definitions.values():
                if in_signature and d.name not in SIGNATURE_ACTS:
                    continue
                if d.speaker != role or not self._gate(d, unit, per_speaker[role], conversation.channel, gate_position,
                                                        before):
                    continue
                act = self._pattern_act(d, unit, pattern_hits.get(d.name, []))
                if act is None and d.name == "disclosure":
                    act = self._personal_data_act(d, unit, before)
                if act is None and vectors is not None and d.meaning:
                    col = column.get(d.name)
                    threshold = d.threshold if d.threshold is not None or col is None else float(self.classifier.thresholds[col])
                    for k in rows[id(unit)]:  # the whole unit first, then its clauses
                        act = self._meaning_act(d, unit, vectors[k], None if col is None else float(probs[k, col]),
                                                threshold, index)
                        if act is not None:
                            break
                if act is not None:
                    if features is None:
                        features = tuple(n for n in ACT_FEATURES if _has(n, unit, before))
                    act = replace(act, features=features)
                    if d.name == "identity_request":
                        act = _with_identifiers(act, unit)
                    acts.append(act)
        acts.sort(key=lambda a: (a.turn, a.start, a.name))
        return ActedConversation(analysed, tuple(acts), self.description)

    # -- recognisers ----------------------------------------------------------------------------

    def _gate(self, d: ActDefinition, unit: Unit, speaker_turns: list[int], channel: str,
              gate_position: bool = True, said_before: Before = NOTHING_BEFORE) -> bool:
        if d.mood == "question" and "?" not in unit.text:
            return False
        if d.mood == "statement" and "?" in unit.text:
            return False
        if d.needs and not all(_has(need, unit, said_before) for need in d.needs):
            return False
        return not gate_position or _in_position(d.position, unit, speaker_turns, channel)

    @staticmethod
    def _edge(unit: Unit, speaker_turns: list[int], channel: str) -> bool:
        """In the opening or closing part of the speaker's messages (see the position gates)."""
        return (_in_position("opening", unit, speaker_turns, channel)
                or _in_position("closing", unit, speaker_turns, channel))

    def _act(self, d: ActDefinition, unit: Unit, start: int, end: int, confidence: float, source: str,
             evidence: str) -> Act:
        turn = unit.turn
        return Act(d.name, turn.index, turn.to_source(start), turn.to_source(end), float(confidence), source,
                   evidence, (start, end))

    def _personal_data_act(self, d: ActDefinition, unit: Unit, before: Before) -> Act | None:
        """A disclosure by its structure: the sentence states a contact detail of a person (a
        mobile number, a personal email address, a postcode) that the customer has not given in
        this conversation ("We've got 07700 900118 for her"). However it is worded, it discloses."""
        found = personal_data(unit, before)
        if found is None:
            return None
        a, b = found
        return self._act(d, unit, a, b, 1.0, "structure",
                         f"states a person's contact detail the customer had not given: '{unit.turn.text[a:b]}'")

    def _pattern_act(self, d: ActDefinition, unit: Unit, hits: list[tuple[int, int]]) -> Act | None:
        if not hits:
            return None
        doc = unit.span.doc
        inside = [(s, e) for s, e in hits if unit.start <= doc[s].idx < unit.end]
        if not inside:
            return None
        if d.name == "sensitive_request":
            found = sensitive_request(unit.span, inside)
            if found is None:
                return None
            s, e = found
            act = self._act(d, unit, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), 1.0, "pattern",
                            f"asks for '{doc[s:e].text}' (a sensitive item, in a request)")
            return replace(act, items=(doc[s:e].text,))
        s, e = inside[0]
        return self._act(d, unit, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), 1.0, "pattern",
                         f"matches the token pattern for {d.name}")

    def _meaning_act(self, d: ActDefinition, unit: Unit, vector: Any, probability: float | None,
                     threshold: float | None, index: ExampleIndex | None) -> Act | None:
        example, sim, near = index.nearest(d.name, vector) if index else ("", 0.0, 0.0)
        if near >= CLOSE and near > sim:
            return None  # says the same as a near-miss
        if probability is not None and threshold is not None and probability >= threshold:
            evidence = f"classifier {probability:.2f}" + (f"; reads like the example '{example}' ({sim:.2f})" if example else "")
            return self._act(d, unit, unit.start, unit.end, probability, "meaning", evidence)
        if example and sim >= CLOSE and sim > near:
            return self._act(d, unit, unit.start, unit.end, sim, "example",
                             f"reads like the example '{example}' ({sim:.2f})")
        return None


_DATE_WORDS = frozenset("today tomorrow tonight yesterday".split()) | {w.lower() for w in WEEKDAYS + MONTHS if w != "May"}
_TIME_WORDS = _DATE_WORDS | frozenset("""morning afternoon evening midday noon midnight minute minutes hour hours day
days week weeks month months year years pm weekend fortnight reference ref""".split())
# what an agent asks for to find or verify a record (``lists/identifiers.txt``)
IDENTIFIERS = re.compile(r"(?<![\w])" + alternation(phrases("identifiers"), r"[\s-]+") + r"(?![\w])", re.IGNORECASE)


def _has(need: str, unit: Unit, said_before: Before = NOTHING_BEFORE) -> bool:
    """Does the unit have the structure an act needs?

    - ``verb``: a verb, so something is done (a signature line naming a team refers nobody);
    - ``when_or_reference``: a time, date, duration or reference (a placeholder such as [Date] or
      XX/XX is none);
    - ``new_data``: it brings something the customer has not said: a unit whose every number,
      name and date repeats the customer's own words is a read-back or an acknowledgement
      ("A double charge of £62.10 isn't right"), not a disclosure; one with no such datum at all
      ("I can see both payments") still may be. A unit of time ("in two days") is no datum;
    - ``old_data``: it brings nothing new: every number, name and date in it was said earlier
      in the conversation, by either side. A read-back restates what was said or agreed; "Her
      contract runs until 18 June" or "it'll be back on your card in 5-7 days" said for the first
      time informs. Passes when there is no conversation to look back on;
    - ``beyond_thanks``: it says more than thanks: a goodbye, a wish, a sign-off, anything after
      a thanks and what it is for ("Thanks for contacting Harbour Parcels." has nothing more; "Thank you
      for contacting us, have a lovely evening" has; a name alone after it, "Thanks, Sarah", is
      nothing more);
    - ``identifier``: it names something that finds or verifies a record (``lists/identifiers.txt``:
      a postcode, a date of birth, an account number, characters of a memorable word…); a name
      alone is not one ("What's your name?" asks how to address the customer).
    """
    if need == "identifier":
        return IDENTIFIERS.search(unit.text) is not None
    if need == "personal_data":
        return personal_data(unit, said_before) is not None
    if need == "beyond_thanks":
        return _beyond_thanks(unit)
    tokens = [t for t in unit.span if unit.start <= t.idx < unit.end]
    if need == "verb":
        return any(t.pos_ in ("VERB", "AUX") for t in tokens)
    if need in ("new_data", "old_data"):
        data = [t.lower_ for t in tokens
                if any(c.isdigit() for c in t.text) or t.pos_ == "PROPN" or t.lower_ in _DATE_WORDS]
        if need == "old_data":
            return not said_before.known or all(d in said_before.everyone for d in data)
        return not data or any(d not in said_before.customer for d in data)
    for t in tokens:
        if t.lower_ in _TIME_WORDS:
            return True
        if any(c.isdigit() for c in t.text) and not t.text.startswith(("[", "{", "<")):
            return True
    return False


# a thanks and what it is for, at the start of a sentence: "Many thanks again for your patience today"
THANKS_CLAUSE = re.compile(
    r"^\W*(?:(?:many|huge|big|massive)\s+)?(?:thank\s+you|thanks|thank\s+u|thx|ty|cheers|ta)\b"
    r"(?:\s+(?:so|very)\s+much)?(?:\s+(?:again|once\s+again|as\s+always))?(?:\s+(?:for|with)\b[^,;:.!?\n]*)?",
    re.IGNORECASE)


def _beyond_thanks(unit: Unit) -> bool:
    m = THANKS_CLAUSE.match(unit.text)
    if m is None:
        return True
    cut = unit.start + m.end()
    return any(t.is_alpha and t.pos_ not in ("PROPN", "CCONJ") and not t.is_punct
               for t in unit.span if cut <= t.idx < unit.end)


# a person's contact details, by shape: a UK mobile number, an email address, a postcode
PERSONAL_DATA = re.compile(
    r"(?<![\w+])(?:(?:\+44\s?|0)7\d{3}[\s-]?\d{3}[\s-]?\d{3})(?!\w)"
    r"|(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"
)
# an organisation's own address is not a person's ("email complaints@…", "help@…")
ROLE_MAILBOX = re.compile(
    r"^(?:help|support|info|enquir(?:y|ies)|customer\w*|service\w*|complaints?|contact|hello|team|bookings?|sales|"
    r"accounts?|billing|claims?|care|admin|office|noreply|no-reply|reply|returns|orders?|feedback|press|lettings|"
    r"repairs|reception|appointments|hr|jobs|careers|privacy|dpo|data\w*|security|fraud|web|online|digital)\b",
    re.IGNORECASE,
)


# where the detail is how to reach the organisation: "email us at …", "text me on …", "contact the team at …"
ORG_CONTACT = re.compile(
    r"\b(?:e-?mail|text|call|ring|phone|write\s+to|contact|message|reach|whatsapp|dm)\s+(?:us|me|the\s+\w+(?:\s+\w+)?\s+(?:team|office|department))\b"
    r"|\b(?:us|me)\s+(?:at|on)\b"
    r"|\b(?:e-?mail|contact|write\s+to|message|reach|copy\s+in|cc)\s+[A-Za-z0-9._%+-]+@",  # "please email claims@…"
    re.IGNORECASE,
)


def personal_data(unit: Unit, said_before: Before = NOTHING_BEFORE) -> tuple[int, int] | None:
    """(start, end) in the turn of the first contact detail of a person in the unit that the
    customer has not said before, or None. Only within a conversation (``said_before.known``);
    never in an email's header lines ("To: Jo Bell <jo@…>") or where the detail is how to reach
    the organisation ("email us at …")."""
    if not said_before.known or EMAIL_HEADER.match(unit.text) or ORG_CONTACT.search(unit.text):
        return None
    for m in PERSONAL_DATA.finditer(unit.text):
        value = m.group(0)
        if "@" in value and (ROLE_MAILBOX.match(value) or _customer_sends_to(unit, unit.start + m.start())):
            continue
        words = [w for w in re.split(r"[\s-]+", value.lower()) if w]
        digits = _digits(value)
        if all(w in said_before.customer for w in words) or ("@" not in value and digits in said_before.customer_digits):
            continue  # the customer's own words read back
        return unit.start + m.start(), unit.start + m.end()
    return None


# "… email photographs of the badge to" / "you can send it to": something is to be sent to the address
_SENT_TO = re.compile(r"\b(?:e-?mail|send|forward|post|write|submit|return|reply|upload)\b[^.?!]{0,80}?\bto\s+$", re.IGNORECASE)
# … by the agent or the organisation ("I'll send it to the email we've got, x@…"), not the customer
_WE_SEND = re.compile(r"\b(?:i|we)(?:'ll|’ll|'ve|’ve|'m|’m|\s+will|\s+can|\s+have|\s+shall|\s+am|\s+are)?(?:\s+\w+){0,2}\s+$",
                      re.IGNORECASE)


def _customer_sends_to(unit: Unit, at: int) -> bool:
    """Is the address where the customer is told to send something ("Please email photographs of
    the badge to x@…", "you can send it to x@…"), not where the agent sends it?"""
    before = unit.turn.text[unit.start:at]
    m = _SENT_TO.search(before)
    return m is not None and not _WE_SEND.search(before[:m.start()])


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# a name tied to the record it is held on: "the surname on the booking", "the name it's under",
# "the full name on the policy". Held on the record, it is checked against it (a name asked for
# alone is not; "a name for the booking" names a new one). An email on the account is already an
# identifier ("email address")
_RECORDS = r"(?:account|booking|policy|order|reservation|card|ticket|claim|membership|contract|plan|file|record)s?\b"
ON_RECORD = re.compile(
    r"\b(?:full\s+|sur|last\s+|family\s+|first\s+and\s+last\s+)?name\b(?:\s+(?:that\s+)?(?:is|was|we\s+have|you\s+gave|you\s+used))?"
    r"(?:\s+(?:on|under|in|registered\s+(?:to|on|with|against)|linked\s+(?:to|with)|held\s+(?:on|against)|attached\s+to)"
    r"\s+(?:the|your|this|that)\s+(?:\w+\s+)?" + _RECORDS + r"|\s+(?:it's|it\s+is|it\s+was|it'll\s+be|the\s+\w+\s+(?:is|was))\s+(?:under|in)\b)",
    re.IGNORECASE)


def identifiers_in(text: str) -> list[str]:
    """The identifiers a sentence names, as ``lists/identifiers.txt`` spells them, and a name
    asked for as the record holds it ("name on the record")."""
    found = [re.sub(r"[\s-]+", " ", m.group(0).lower()) for m in IDENTIFIERS.finditer(text)]
    if ON_RECORD.search(text):
        found.append("name on the record")
    return list(dict.fromkeys(found))


def _with_identifiers(act: Act, unit: Unit) -> Act:
    """The identity request with the identifiers it asks for named ("asks for postcode, date of birth")."""
    found = identifiers_in(unit.text)
    if not found:
        return act
    return replace(act, items=tuple(found), evidence=f"{act.evidence}; asks for {', '.join(found)}")


def _in_position(position: str, unit: Unit, speaker_turns: list[int], channel: str) -> bool:
    """``opening``: the speaker's first two chat messages (an email's first two units);
    ``closing``: the last two (an email's last four units); ``any``: anywhere."""
    if position == "any":
        return True
    if channel == "email":
        if position == "opening":
            return unit.position < EMAIL_OPENING_UNITS
        return unit.position >= unit.closing_from
    where = speaker_turns.index(unit.turn.index)
    if position == "opening":
        return where < OPENING_TURNS
    return where >= len(speaker_turns) - CLOSING_TURNS


def recognise_acts(analysed: AnalysedConversation, recogniser: ActRecogniser,
                   added: Mapping[str, ActExamples] | None = None) -> ActedConversation:
    return recogniser.recognise(analysed, examples=recogniser.examples_for(added))
