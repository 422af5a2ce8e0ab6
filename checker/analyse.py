"""Analyse stage: the only place that touches NLP.

One spaCy pipeline (loaded once per process, passed in) runs with ``nlp.pipe`` over all turns;
the proofreader runs over the agent's turns only; readability is measured on the whole agent
text, never on single chat lines, which are too short for the formulas to mean anything.
"""
from __future__ import annotations

import re
from concurrent.futures import Executor
from typing import Any, Callable

from textstat.textstat import textstatistics

from .budget import check_time
from .errors import LimitError
from .model import AnalysedConversation, Conversation, ProofIssue, Proofreading, Readability, Sentence, own_ranges
from .parse.email_thread import signature_start
from .proofing import ProofOutput, Proofreader
from .proofing.grammar import UNIT_NOUNS, common_noun_capitalised
from .proofing.layers import LAYERS

LONG_SENTENCE_WORDS = 25

# What the NLP is given at most, checked before spaCy sees any text. A learner's message is a few
# hundred characters and a conversation a few thousand; these leave room for long emails and
# long chats and keep one check to seconds (spaCy itself refuses a text over 1,000,000
# characters, after a minute's work).
MAX_MESSAGE_CHARS = 20_000
MAX_TURNS = 1_000
MAX_TEXT_CHARS = 200_000
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_limits(conversation: Conversation) -> None:
    """Refuse, with one line saying what to do, a conversation larger than ReplyCheck judges or
    holding text no NLP library can encode (a lone UTF-16 surrogate)."""
    turns = conversation.turns
    if len(turns) > MAX_TURNS:
        raise LimitError(f"the transcript has {len(turns):,} messages; ReplyCheck judges conversations of up to "
                         f"{MAX_TURNS:,} messages: check one conversation at a time", source=conversation.id or None)
    total = 0
    for turn in turns:
        if len(turn.text) > MAX_MESSAGE_CHARS:
            raise LimitError(f"message {turn.index + 1} is {len(turn.text):,} characters long; ReplyCheck judges messages of "
                             f"up to {MAX_MESSAGE_CHARS:,} characters: check whether the transcript's speaker lines were "
                             "lost, or split the message", source=conversation.id or None)
        if _SURROGATE.search(turn.text):
            raise LimitError(f"message {turn.index + 1} holds an invalid character (a lone UTF-16 surrogate, e.g. half "
                             "an emoji): save the transcript again as UTF-8", source=conversation.id or None)
        total += len(turn.text)
    if total > MAX_TEXT_CHARS:
        raise LimitError(f"the messages hold {total:,} characters; ReplyCheck judges conversations of up to "
                         f"{MAX_TEXT_CHARS:,} characters: check one conversation at a time", source=conversation.id or None)
_NAME_ENTS = {"PERSON", "ORG", "GPE", "PRODUCT", "FAC", "NORP", "LOC", "WORK_OF_ART", "EVENT"}
_INTRODUCED = re.compile(r"\b(?:I'm|I’m|I am|[Mm]y name is|[Mm]y name's|[Tt]his is|[Ii]t's|with|through to|[Rr]egards,?|[Tt]hanks,?|[Ww]ishes,?)\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_NOT_WORDS = re.compile(r"(?:https?://|www\.|@|\d)")

# "en-GB" (not "en"): textstat then counts syllables with pyphen's British dictionary, which ships
# in the wheel, instead of NLTK's cmudict, which it would try to download on first use.
_textstat = textstatistics()
_textstat.set_lang("en-GB")



def analyse(conversation: Conversation, nlp: Any, proofreader: Proofreader | None,
            accepted_words: frozenset[str] = frozenset(), model_name: str = "",
            executor: Executor | None = None,
            after_parse: Callable[[tuple[Any, ...]], None] | None = None) -> AnalysedConversation:
    """With an ``executor``, the proofreader (harper releases the GIL) runs on another core
    while spaCy parses; the result is the same either way. ``after_parse(docs)`` is called as soon
    as the messages are parsed, before named entities and proofreading: the engine starts the
    sentence encoder there, so that it runs beside the rest of the analysis."""
    check_limits(conversation)
    turns = conversation.turns
    agent_texts = [t.text for t in turns if t.role == "agent"]
    pending = None
    if proofreader is not None and agent_texts and executor is not None:
        pending = executor.submit(proofreader.check, agent_texts)
    # Named entities are read only on the agent's messages (proofreading: names, dates, "Ordinary
    # words take a small letter"), and the recogniser is nearly half of the small model's time, so
    # it runs on those alone. It is the pipeline's last component and has its own token vectors:
    # an agent message's entities are what the whole pipeline gives; a customer's message has none.
    entities_later = list(getattr(nlp, "pipe_names", ())[-1:]) == ["ner"]
    docs = []
    for doc in nlp.pipe([t.text for t in turns], disable=["ner"] if entities_later else []):
        docs.append(doc)
        check_time("analysing the messages")
    if after_parse is not None:
        after_parse(tuple(docs))
    if entities_later:
        for _ in nlp.get_pipe("ner").pipe([d for t, d in zip(turns, docs) if t.role == "agent"]):
            check_time("analysing the messages")
    docs = tuple(docs)
    agent = [(t, d) for t, d in zip(turns, docs) if t.role == "agent"]
    boilerplate = boilerplate_of(conversation)

    sentences = []
    for turn, doc in agent:
        for sent in doc.sents:
            for start, end in _lines_of(sent):
                if _inside(boilerplate, turn.index, start):
                    continue
                words = sum(1 for tok in sent if start <= tok.idx < end and not (tok.is_punct or tok.is_space))
                if words:
                    sentences.append(Sentence(turn.index, turn.to_source(start), turn.to_source(end), words))

    readability = _readability([_without(boilerplate, t) for t, _ in agent], sentences, [d for _, d in agent])
    if proofreader is None or not agent:
        raw = None
    else:
        raw = _wait(pending) if pending is not None else proofreader.check(agent_texts)
        check_time("proofreading")
    customer_names = _capitalised_by_customer(turns, docs)
    proofreading = _proofread(conversation, agent, proofreader, raw, accepted_words, customer_names, boilerplate,
                              _unknown_words_by_customer(turns, docs))
    return AnalysedConversation(conversation, docs, proofreading, readability, tuple(sentences),
                                model=model_name or getattr(nlp, "meta", {}).get("name", ""), boilerplate=boilerplate)


BOILERPLATE_WORDS = 25
_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")


def boilerplate_of(conversation: Conversation) -> tuple[tuple[int, int, int], ...]:
    """(turn, start, end) of each paragraph of more than ``BOILERPLATE_WORDS`` words below an agent
    email's sign-off: below "Kind regards, / Sam Patel" come the job title, contact lines and, in
    many organisations, a legal disclaimer or confidentiality notice that the learner did not
    write. Short signature lines are not boilerplate (a placeholder or a typo there is the learner's)."""
    if conversation.channel != "email":
        return ()
    found = []
    for turn in conversation.turns:
        if turn.role != "agent":
            continue
        start = signature_start(turn)
        for m in _PARAGRAPH.finditer(turn.text, min(start, len(turn.text))):
            if len(m.group(0).split()) > BOILERPLATE_WORDS:
                found.append((turn.index, m.start(), m.end()))
    return tuple(found)


def _inside(boilerplate, turn: int, offset: int) -> bool:
    return any(t == turn and s <= offset < e for t, s, e in boilerplate)


def _without(boilerplate, turn) -> str:
    """The turn's text with its boilerplate paragraphs left out."""
    return "".join(turn.text[a:b] for a, b in own_ranges(boilerplate, turn))


# a new line that starts with anything but a lower-case word starts a sentence of its own, however
# the parser joined the lines (readability counts it apart; order rules place it apart)
NEW_LINE_STARTS = re.compile(r"\n\s*(?=[^\sa-z])")


def _lines_of(sent: Any) -> list[tuple[int, int]]:
    """The sentence's pieces (character offsets in its doc) split where a new line starts with
    anything but a lower-case word: a list item, a signature's name, job title and address lines,
    a sign-off after a blank line are each a sentence of their own for readability, however the
    parser joined them; a line that carries on in lower case is the same sentence, wrapped."""
    text, base = sent.text, sent.start_char
    pieces, last = [], 0
    for m in NEW_LINE_STARTS.finditer(text):
        pieces.append((last, m.start()))
        last = m.end()
    pieces.append((last, len(text)))
    return [(base + a, base + a + len(text[a:b].rstrip())) for a, b in pieces if text[a:b].strip()]


def _wait(pending):
    """The proofreader's result, within what is left of the check's time budget."""
    from concurrent.futures import TimeoutError as FutureTimeout

    from . import budget

    current = budget.current()
    remaining = current.remaining() if current is not None else None
    try:
        return pending.result(timeout=None if remaining is None else max(0.0, remaining))
    except FutureTimeout:
        current.check("proofreading")
        raise


def _readability(texts: list[str], sentences: list[Sentence], docs: list[Any]) -> Readability:
    whole = "\n\n".join(texts)
    words = sum(s.words for s in sentences)
    count = len(sentences)
    message_words = [sum(1 for tok in d if not (tok.is_punct or tok.is_space)) for d in docs]
    enough = words >= 30  # the formulas mean little on a few words
    return Readability(
        words=words,
        sentences=count,
        avg_sentence_words=words / count if count else 0.0,
        longest_sentence_words=max((s.words for s in sentences), default=0),
        long_sentences=sum(1 for s in sentences if s.words > LONG_SENTENCE_WORDS),
        flesch_reading_ease=_textstat.flesch_reading_ease(whole) if enough else None,
        flesch_kincaid_grade=_textstat.flesch_kincaid_grade(whole) if enough else None,
        longest_message_words=max(message_words, default=0),
    )


def _proofread(conversation: Conversation, agent, proofreader: Proofreader | None, output: ProofOutput | None,
               accepted_words: frozenset[str], customer_names: frozenset[str] = frozenset(),
               boilerplate: tuple[tuple[int, int, int], ...] = (),
               customer_terms: dict[str, int] | None = None) -> Proofreading:
    if proofreader is None or output is None:
        return Proofreading(backend="none" if proofreader is None else proofreader.name, issues=())
    names = _conversation_names(conversation) | {w.lower() for w in accepted_words}
    customer_terms = customer_terms or {}
    # names the agent's text shows as names excuse a capital, never a spelling ("our Complants team");
    # read from the messages only when a capital is flagged
    shown_names: set[str] | None = None
    issues = []
    for (turn, doc), raw_issues in zip(agent, output.issues):
        # the British dictionary and the grammar checks join the backend's issues, one a span
        for raw in LAYERS.review(doc, raw_issues):
            if _is_false_alarm(raw, doc, names) or _inside(boilerplate, turn.index, raw.start):
                continue
            if raw.category == "spelling" and customer_terms.get(raw.text.strip().lower(), turn.index) < turn.index:
                continue  # the customer's own word for a thing ("the cava"), kept by the agent after them
            if raw.rule == "grammar.capitals":
                if shown_names is None:
                    shown_names = _names_in(d for _, d in agent)
                if raw.text in customer_names or raw.text.strip().lower() in shown_names:
                    continue  # the customer's own name for a thing ("an Apple Pencil"), kept by the agent; a name shown
            issues.append(ProofIssue(
                turn=turn.index, start=turn.to_source(raw.start), end=turn.to_source(raw.end), text=raw.text,
                message=raw.message, category=raw.category, rule=raw.rule, suggestions=raw.suggestions,
            ))
    notes = output.notes + ((LAYERS.note,) if LAYERS.note else ())
    return Proofreading(backend=output.backend, issues=tuple(issues), notes=notes)


def _unknown_words_by_customer(turns, docs) -> dict[str, int]:
    """Words of four letters or more that the customer writes and the British dictionary does not
    know, none of them an American spelling, each with the turn it first comes in: their names for
    things (a wine, a dish, a product, a place), which the agent may repeat as written after them
    (a slip the customer copies from the agent stays the agent's). Read only with the dictionary."""
    words = LAYERS.words()
    if words is None:
        return {}
    found: dict[str, int] = {}
    for turn, doc in zip(turns, docs):
        if turn.role != "customer":
            continue
        for tok in doc:
            text = tok.text
            if len(text) >= 4 and text.isalpha() and not words.known(text.lower()) and not words.known_as_written(text) \
                    and words.us_to_uk(text.lower()) is None:
                found.setdefault(tok.lower_, turn.index)
    return found


def _capitalised_by_customer(turns, docs) -> frozenset[str]:
    """Words the customer writes with a capital in mid-sentence: their names for things (a
    product, a place, a team), which the agent may write the same way."""
    found = set()
    for turn, doc in zip(turns, docs):
        if turn.role != "customer":
            continue
        for tok in doc:
            if tok.text[:1].isupper() and tok.text.isalpha() and not tok.is_sent_start and not tok.text.isupper():
                found.add(tok.text)
    return frozenset(found)


def _names_in(docs) -> set[str]:
    """Names the agent's own messages show as names, so that each is right wherever it recurs:
    a person's name the model found ("With Reg relying on…" makes "Reg" right in "you and Reg"),
    and the capitalised words that name a team or unit ("our Fraud Claims team" makes "Claims"
    right in "Fraud Claims will text you")."""
    found: set[str] = set()
    for doc in docs:
        for tok in doc:
            if tok.ent_type_ == "PERSON" and tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.text.isalpha() \
                    and not common_noun_capitalised(tok):  # "the Driver" is no one's name
                found.add(tok.lower_)
            if tok.lower_ in UNIT_NOUNS:
                j = tok.i - 1
                while j >= 0 and doc[j].text[:1].isupper() and doc[j].text.isalpha() and not doc[j].is_stop \
                        and tok.i - j <= 4:
                    found.add(doc[j].lower_)
                    j -= 1
    return found


def _conversation_names(conversation: Conversation) -> set[str]:
    """Speaker names and header names are right however a dictionary spells them."""
    names: set[str] = set()
    values = list(conversation.speakers) + [str(v) for v in conversation.meta.values() if isinstance(v, str)]
    for value in values:
        for word in re.findall(r"[^\W\d_][\w'’-]*", value):
            names.add(word.lower())
    # names people give in the conversation: "I'm Aled", "my name is Bethan", "you're chatting with Sian"
    for turn in conversation.turns:
        for match in _INTRODUCED.finditer(turn.text):
            names.add(match.group(1).lower())
    return names


def _in_address(text: str, start: int, end: int) -> bool:
    """Part of a web or email address ("www.pennine-water.example/help")?"""
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", end)
    chunk = text[left: right if right != -1 else len(text)]
    return bool(re.search(r"(?:https?://|www\.|@|\.\w{2,}/|\.(?:co\.uk|com|org|gov\.uk|example)\b)", chunk))


def _whole_word(text: str, start: int, end: int) -> str:
    """The hyphenated word a flagged piece belongs to ("Wi" -> "Wi-Fi")."""
    while start > 1 and text[start - 1] == "-" and text[start - 2].isalnum():
        start -= 2
        while start > 0 and text[start - 1].isalnum():
            start -= 1
    while end + 1 < len(text) and text[end] == "-" and text[end + 1].isalnum():
        end += 2
        while end < len(text) and text[end].isalnum():
            end += 1
    return text[start:end]


def _surname(doc, start: int, end: int) -> bool:
    """A capitalised word after a first name in a person's name the model found ("Mark Ellery"):
    a surname, not a slip for a place one letter longer."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) != 1 or not span[0].text[:1].isupper():
        return False
    tok = span[0]
    return tok.ent_type_ == "PERSON" and tok.ent_iob_ == "I" and tok.i > 0 and doc[tok.i - 1].ent_type_ == "PERSON" \
        and doc[tok.i - 1].text[:1].isupper()


def _is_false_alarm(raw, doc, names: set[str]) -> bool:
    text = raw.text.strip()
    if raw.rule == "grammar.capitals" and text[:1].isupper() and text.lower() in names:
        return True  # "Hi, I'm Jade": a speaker's or a given name, though "jade" is a word too
    if raw.category != "spelling":
        return False
    if text.lower() in names or _NOT_WORDS.search(text) or _in_address(doc.text, raw.start, raw.end):
        return True
    if _whole_word(doc.text, raw.start, raw.end).lower() in names:
        return True  # "Wi" and "Fi" of an accepted "Wi-Fi"
    if _surname(doc, raw.start, raw.end):
        return True
    if len(text) >= 2 and text.isupper():  # acronyms and reference codes ("WBC-448213"), not misspellings
        return True
    if text[:1].isupper() and any(c.isalpha() and ord(c) > 127 for c in text) and not LAYERS.misspelt_name(text):
        return True  # a capitalised word with an accent is a name ("Tomás", "Siân", "Zoë"), not an English misspelling
    if raw.rule == "dictionary.spelling" or LAYERS.misspelt_name(text):  # "Wednsday": a slip in a name
        return False
    span = doc.char_span(raw.start, raw.end, alignment_mode="expand")
    if span is None or not text[:1].isupper():
        return False
    # a capitalised word the model reads as a name (a person, a brand, a place) is not a misspelling
    # (a misspelling that opens a sentence is capitalised too, so there only an entity counts)
    return all(tok.ent_type_ in _NAME_ENTS or (tok.pos_ == "PROPN" and not tok.is_sent_start)
               for tok in span if not (tok.is_punct or tok.lower_ in ("'s", "’s")))
