"""Grammar checks built on spaCy's tags, parse and morphology, over one agent message's Doc.

Each check is a function ``check(doc, words) -> Iterator[RawIssue]`` registered under a rule id
(``grammar.<name>``); the default rule set has one rule per check (``spelling_grammar/*.yml``),
so a tutor can switch a check off or change its level. ``words`` is the British dictionary (or
None when it is not installed). Checks look for the patterns of a whole class of slip (a modal
followed by "of", a plural subject with a singular verb), never for particular sentences, and
stay quiet when the parse is unsure: precision matters more than coverage.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterator

from ..vocabulary import MONTHS, SHORT_DAYS_MONTHS, WEEKDAYS
from . import RawIssue

CHECKS: dict[str, Callable[..., Iterator[RawIssue]]] = {}


def check(name: str):
    def wrap(fn):
        CHECKS[f"grammar.{name}"] = fn
        return fn
    return wrap


def _issue(rule: str, tokens, suggestion: str, message: str, category: str = "grammar") -> RawIssue:
    first, last = tokens[0], tokens[-1]
    start, end = first.idx, last.idx + len(last.text)
    return RawIssue(start, end, first.doc.text[start:end], message, category, rule, (suggestion,))


def _case(model: str, word: str) -> str:
    if model[:1].isupper() and not word[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _nxt(tok, k: int = 1):
    i = tok.i + k
    return tok.doc[i] if 0 <= i < len(tok.doc) else None


def _is_end(tok) -> bool:
    return tok is None or tok.is_punct or tok.is_space


FINITE = {"VBZ", "VBP", "VBD", "MD"}
NOUN_TAGS = {"NN", "NNS"}

# ---------------------------------------------------------------- contractions without apostrophes

CONTRACTIONS = ("don't can't won't isn't aren't wasn't weren't didn't doesn't haven't hasn't hadn't couldn't "
                "shouldn't wouldn't mustn't needn't I'm I've I'll I'd you're you've you'll you'd they're they've "
                "they'll they'd we've we'll that's what's there's here's where's who's who've it'll that'll "
                "there'll let's he's she's").split()
# without the apostrophe these are words of their own; only context tells (or nothing does)
_AMBIGUOUS = {"ill", "id", "were", "well", "wed", "hell", "shell", "its", "lets", "whos", "hes", "shes", "wont", "cant"}
_BARE = {c.replace("'", "").lower(): c for c in CONTRACTIONS}


@check("contractions")
def contractions(doc, words) -> Iterator[RawIssue]:
    """'dont', 'Im', 'theyre': a contraction written without its apostrophe."""
    for tok in doc:
        low = tok.lower_
        # spaCy splits "dont" into "do" + "nt": rejoin
        if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in ("nt", "t", "m", "ve", "ll", "re", "s", "d") \
                and tok.idx + len(tok.text) == doc[tok.i + 1].idx:
            low = low + doc[tok.i + 1].lower_
            span = [tok, doc[tok.i + 1]]
        else:
            span = [tok]
        if low not in _BARE:
            continue
        if tok.i > 0 and doc[tok.i - 1].text in ("'", "’"):
            continue
        right = _BARE[low]
        if low in _AMBIGUOUS:
            nxt = _nxt(span[-1])
            if low in ("wont", "cant"):
                if nxt is None or not (nxt.tag_ in ("VB", "RB") or nxt.lower_ in ("be", "have")):
                    continue
            elif low == "ill":
                prev = _nxt(tok, -1)
                clause_start = prev is None or prev.is_punct or prev.lower_ in ("and", "but", "so", "then", "now", "ok", "okay")
                if nxt is None or not nxt.is_alpha or nxt.tag_ == "NNS" or (nxt.tag_ not in ("VB", "RB", "VBP") and not clause_start) \
                        or (prev is not None and prev.lower_ in (
                        "be", "is", "was", "am", "are", "been", "very", "feel", "felt", "too", "seriously", "an", "the", "fall", "fell", "become", "became")):
                    continue
                right = "I'll"
            else:
                continue
        text = doc.text[span[0].idx: span[-1].idx + len(span[-1].text)]
        fixed = right if right.startswith("I'") else _case(text, right)
        yield _issue("grammar.contractions", span, fixed, "This shortened form needs an apostrophe.")


# ---------------------------------------------------------------- capital letters

# "March" and "May" are words too: only with a number or a preposition of time beside them
_AMBIG_MONTHS = {"march": "March", "may": "May"}
_DAYS_MONTHS = {w.lower(): w for w in WEEKDAYS + MONTHS if w.lower() not in _AMBIG_MONTHS}


@check("capitals")
def capitals(doc, words) -> Iterator[RawIssue]:
    """'i', 'monday', 'glasgow' need a capital; 'Refund' in mid-sentence does not."""
    sent_starts = {s.start for s in doc.sents}
    for tok in doc:
        text = tok.text
        low = tok.lower_
        if not text.isalpha() and not re.fullmatch(r"i'(?:m|ll|ve|d)", low):
            continue
        if text == "i" or re.fullmatch(r"i'(?:m|ll|ve|d)", text):
            yield _issue("grammar.capitals", [tok], "I" + text[1:], "Write 'I' with a capital letter.")
            continue
        if text.islower():
            if low in _DAYS_MONTHS:
                yield _issue("grammar.capitals", [tok], _DAYS_MONTHS[low], "Days and months start with a capital letter.")
            elif low in _AMBIG_MONTHS and low == "march" and (
                    _near_number(tok) or (tok.i > 0 and doc[tok.i - 1].lower_ in ("in", "on", "of", "since", "until", "by"))
                    and tok.tag_ != "VB"):
                yield _issue("grammar.capitals", [tok], _AMBIG_MONTHS[low], "Days and months start with a capital letter.")
            elif words is not None and len(text) > 2 and not words.known(text) \
                    and words.known_as_written(text.capitalize()) and words.us_to_uk(text) is None:
                yield _issue("grammar.capitals", [tok], text.capitalize(),
                             "Names of places, people and languages start with a capital letter.")
            continue
        # a capital in mid-sentence on an ordinary word
        if words is None or tok.i in sent_starts or not text[:1].isupper() or text.isupper() or len(text) < 3:
            continue
        prev = doc[tok.i - 1] if tok.i > 0 else None
        if prev is not None and (prev.text in (":", '"', "“", "'", "‘", "-", "–", "(", "•", "*", ".", "!", "?", "/", "|",
                                               ">", "›", "→", "»")
                                 or (len(prev.text) > 1 and prev.text.endswith("."))  # "on 3 Dec. Please…": a full stop the parser kept
                                 or "\n" in prev.text or prev.is_space):
            continue  # after ">" the next screen of a path: "Settings > System > Power"
        if _in_title_run(tok):
            continue
        if text.lower() in _DAYS_MONTHS or text.lower() in _AMBIG_MONTHS or text.lower() in SHORT_DAYS_MONTHS:
            continue
        if _opens_after_an_address(tok):
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.text in ("'", "’", "'s", "’s") and tok.i + 2 < len(doc) \
                and doc[tok.i + 2].lower_ in UNIT_NOUNS:
            continue  # "the Members' Team", "the Editor's Desk": a unit's name
        if nxt is not None and nxt.text in (">", "›", "→", "»"):
            continue  # the first screen of a path: "Go to Settings > System"
        if nxt is not None and nxt.text in ("-", "‑") and tok.i + 2 < len(doc) and doc[tok.i + 2].text[:1].isupper() \
                and doc[tok.i + 2].text[1:2].islower():
            continue  # both halves of a hyphened compound capitalised: a name ("an Off-Peak Return")
        if nxt is not None and nxt.lower_ in _PRODUCT_NOUNS and not (prev is not None and prev.lower_ in _YOURS):
            continue  # "the Flex plan", "the Orders page"; but "your Gym membership" is the customer's own
        if nxt is not None and (nxt.lower_ in UNIT_NOUNS or nxt.like_num or re.fullmatch(r"[A-Z]\.?", nxt.text)):
            continue  # the name of a team ("our Lettings team") or a label with its number ("Apartment 4", "Block D")
        if words.known_as_written(text) or not words.known(text.lower()):
            continue  # a name the dictionary knows ("Aberdeen"), or a word it does not
        if tok.ent_type_ in ("PERSON", "ORG", "GPE", "PRODUCT", "FAC", "WORK_OF_ART", "EVENT", "LOC", "NORP"):
            # a person's name whatever the tagger calls it ("you and Reg", "Reg" read as a verb)
            if (tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON") and not common_noun_capitalised(tok):
                continue
        yield _issue("grammar.capitals", [tok], text.lower(),
                     "Ordinary words take a small letter in the middle of a sentence.")


# what an organisation's units, products and screens are called: the word before is their name,
# capitalised by custom ("our Lettings team"; "the Flex plan", "the Orders page", not "your Gym membership")
UNIT_NOUNS = {"team", "teams", "department", "dept", "service", "services", "unit", "desk", "office", "centre",
               "center", "hub", "panel", "section", "division", "helpline", "line"}
_PRODUCT_NOUNS = {"plan", "plans", "tariff", "tier", "package", "bundle", "scheme", "membership", "page", "tab",
                  "screen", "menu", "button", "portal", "option", "folder"}
_YOURS = {"your", "my", "his", "her", "their"}
_SALUTATIONS = {"hi", "hello", "hey", "hiya", "dear", "morning", "afternoon", "evening", "good"}


def _opens_after_an_address(tok) -> bool:
    """The first word after what addresses the message, which the parser leaves in one sentence
    with it: @handles ("@chloe_ardern You must…"), a salutation and its comma ("Hi [Customer Name],
    Thank you…"), or a postscript's "P.S."."""
    doc = tok.doc
    before = [t for t in doc[tok.sent.start: tok.i] if not t.is_space]
    if not before:
        return False
    if all(t.text.startswith("@") or t.is_punct for t in before):
        return True
    if re.search(r"(?:^|\s)p\.?\s?s\.?[:,-]?\s*$", doc.text[tok.sent.start_char: tok.idx], re.IGNORECASE):
        return True
    if before[-1].text == "," and before[0].lower_ in _SALUTATIONS and len(before) <= 7:
        return True
    return False


def _near_number(tok) -> bool:
    doc = tok.doc
    return any(0 <= j < len(doc) and doc[j].like_num for j in (tok.i - 1, tok.i + 1))


def _is_title(tok) -> bool:
    return tok.text[:1].isupper() and not tok.is_sent_start and tok.text.isalpha()


def _in_title_run(tok) -> bool:
    """Part of two or more capitalised words in a row ("Fix & Save", "Driving Licence"): a name."""
    doc = tok.doc
    prev = doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and prev.lower_ in ("under", "tap", "select", "click", "press", "choose", "called", "named", "dear"):
        return True  # a label on a screen or a salutation
    if any(t.lower_ in ("tap", "click", "select", "press", "menu", "under") for t in doc[tok.sent.start: tok.i]):
        return True  # "Tap Plan, then Add-ons, then Roaming": the names of buttons
    for j, far in ((tok.i - 1, tok.i - 2), (tok.i + 1, tok.i + 2)):
        if 0 <= j < len(doc):
            other = doc[j]
            if other.text == "&":
                return True
            if other.lower_ in ("and", "of", "or") and 0 <= far < len(doc) and doc[far].text[:1].isupper() and doc[far].text != "I":
                return True  # "Click and Collect"
            if other.text[:1].isupper() and other.text.isalnum() and other.text != "I" \
                    and not (j < tok.i and other.is_sent_start):
                return True
    return False


def common_noun_capitalised(tok) -> bool:
    """spaCy calls "Invoice" in "your Invoice" a proper noun: after a possessive or article it is not."""
    return tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("your", "our", "my", "the", "a", "an", "his", "her", "their", "this", "that")


# ---------------------------------------------------------------- confusable words

def _conf(tok, right: str, message: str) -> RawIssue:
    return _issue("grammar.confusables", [tok], _case(tok.text, right), message)


_PREDICATES = {"welcome", "home", "today", "tomorrow", "right", "back", "late", "early", "next", "first", "fine", "ok", "okay",
               "sure", "correct", "due", "able", "all", "booked", "entitled", "eligible", "covered", "free", "through", "done"}
_MODALS = {"could", "should", "would", "must", "might", "may", "will", "can", "shall"}
_SUBJECT_PRONOUNS = {"i", "we", "you", "they", "he", "she"}


# verbs whose object can be a whole clause ("I think you're right"): after them "your right" is the
# clause "you're right"; after any other verb or a preposition it is a thing held ("keep your right
# to cancel", "explain your right of appeal")
_CLAUSE_VERBS = {"think", "believe", "know", "guess", "suppose", "hope", "say", "feel", "reckon", "agree", "bet",
                 "expect", "understand", "imagine", "realise", "realize", "sure", "assume", "thought", "said"}


def _object_of_a_doing_word(prev) -> bool:
    return prev is not None and prev.pos_ in ("VERB", "ADP") and prev.lemma_.lower() not in _CLAUSE_VERBS \
        and prev.lower_ not in _CLAUSE_VERBS


@check("confusables")
def confusables(doc, words) -> Iterator[RawIssue]:
    """Words that sound alike but mean different things, told apart by the words around them."""
    for tok in doc:
        low = tok.lower_
        nxt, prev = _nxt(tok), _nxt(tok, -1)
        nxt2 = _nxt(tok, 2)
        pl = prev.lower_ if prev is not None else ""
        nl = nxt.lower_ if nxt is not None else ""
        # should of / could of
        if low == "of" and pl in _MODALS and nxt is not None and nxt.tag_ in ("VBN", "VBD"):
            yield _conf(tok, "have", "After 'could', 'should' or 'would', write 'have', not 'of'.")
        # your / you're
        elif low == "your" and nxt is not None and (nxt.tag_ in ("VBG", "DT") or nl in ("welcome", "right", "correct", "very", "welcome.", "not", "all", "already", "now", "still", "due", "able", "booked", "eligible")) \
                and not (nxt.tag_ == "VBG" and (nxt.dep_ == "amod" or (nxt2 is not None and nxt2.tag_ in NOUN_TAGS | {"NNP", "CD", "JJ", "NNPS"}))) \
                and not (nl == "all" and nxt2 is not None and nxt2.tag_ in NOUN_TAGS) \
                and not (nl == "right" and _object_of_a_doing_word(prev)):
            yield _conf(tok, "you're", "'You're' means 'you are'; 'your' means belonging to you.")
        elif low in ("you're", "youre") or (low == "you" and nl in ("'re", "’re")):
            target = nxt if low == "you" else tok
            after = _nxt(target) if low == "you" else nxt
            then = _nxt(after) if after is not None else None
            nounish = after is not None and (after.tag_ in NOUN_TAGS or (after.tag_ == "VBG" and not after.lower_.endswith("ing")))
            # a noun after "you're" read as its complement ("attr") is still the subject of the verb
            # right after it ("you're address has been changed")
            finite_after = then is not None and then.tag_ in ("MD", "VBZ", "VBD")
            if nounish and after.lower_ not in _PREDICATES and (after.dep_ not in ("attr", "npadvmod") or finite_after) \
                    and (then is None or then.is_punct or then.tag_ in ("MD", "VBZ", "VBP", "VBD", "CC", "IN", "NN", "NNS")):
                span = [tok, nxt] if low == "you" else [tok]
                yield _issue("grammar.confusables", span, _case(tok.text, "your"),
                             "'Your' means belonging to you; 'you're' means 'you are'.")
        # there / their / they're
        elif low == "there" and nxt is not None and (nxt.tag_ in NOUN_TAGS or (nxt.tag_ == "JJ" and nxt2 is not None and nxt2.tag_ in NOUN_TAGS)) \
                and (tok.dep_ not in ("expl", "advmod") or (nxt.pos_ == "NOUN" and nxt.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj", "compound", "npadvmod")
                                                             and prev is not None and prev.pos_ == "VERB")) \
                and not (nxt.lower_ in ("today", "tomorrow", "yesterday", "tonight", "now", "yet")):
            yield _conf(tok, "their", "'Their' means belonging to them; 'there' is a place.")
        elif low == "there" and nxt is not None and nxt.tag_ == "VBG" and nl not in ("being",):
            yield _conf(tok, "they're", "'They're' means 'they are'.")
        elif low == "their" and nxt is not None and nl in ("is", "are", "was", "were", "'s", "will", "has", "have", "should", "might", "may", "seems"):
            yield _conf(tok, "there", "'There is' and 'there are' use 'there'; 'their' means belonging to them.")
        elif low == "their" and nxt is not None and (nxt.tag_ in ("VBG", "VBN") and nxt2 is not None and not nxt2.tag_.startswith("NN")):
            yield _conf(tok, "they're", "'They're' means 'they are'; 'their' means belonging to them.")
        # its / it's
        elif low == "its" and nxt is not None and (nxt.tag_ in ("DT", "VBN", "VBG", "IN", "RB", "TO") or nl in ("not", "been", "a", "an", "the", "now", "ready", "due", "still", "just", "only", "really", "going", "on")) \
                and pl not in ("on", "in", "of", "to", "by", "with", "at", "from", "for"):
            yield _conf(tok, "it's", "'It's' means 'it is' or 'it has'; 'its' means belonging to it.")
        elif low == "it" and nl in ("'s", "’s") and nxt2 is not None and nxt2.tag_ in NOUN_TAGS and nxt2.lower_ not in (
                "time", "fine", "okay", "ok", "alright", "nothing", "something", "everything", "worth", "today", "tomorrow") \
                and nxt2.dep_ not in ("attr",) and not (nxt2.i + 1 < len(doc) and doc[nxt2.i + 1].tag_ in ("NN", "NNS")):
            yield _issue("grammar.confusables", [tok, nxt], _case(tok.text, "its"),
                         "'Its' means belonging to it; 'it's' means 'it is'.")
        # to / too
        elif low == "to" and nxt is not None and (
                (nl in ("late", "early", "long", "much", "many", "soon", "high", "low", "big", "small", "expensive", "busy")
                 and (nxt2 is None or nxt2.is_punct or nxt2.lower_ in ("for", "to", "and", "but", "so", "now", "today")) and pl not in ("up", "down"))
                or (_is_end(nxt) and nxt is not None and nxt.text in (".", "!", "?") and prev is not None and prev.pos_ in ("NOUN", "PROPN", "PRON", "ADJ", "ADV")
                    and not any(t.tag_ in ("WDT", "WP", "WRB") for t in doc[tok.sent.start: tok.i]) and pl not in ("up", "back", "next", "close", "due", "talk", "speak", "go", "come", "used", "want", "like", "need", "have", "able", "going", "according", "listen", "reply", "respond", "sent", "send", "get", "got", "return", "returned", "refer", "forward", "forwarded"))
                or (nl in ("if",) and pl not in ("up",))):
            yield _conf(tok, "too", "'Too' means 'also' or 'more than enough'; 'to' goes before a place or a verb.")
        # then / than after a comparison
        elif low == "then" and any(t.tag_ in ("JJR", "RBR") or t.lower_ in ("more", "less", "rather", "other", "fewer") for t in doc[max(0, tok.i - 3): tok.i]):
            yield _conf(tok, "than", "Use 'than' to compare; 'then' is about time.")
        # who's / whose
        elif low == "who" and nl in ("'s", "’s") and nxt2 is not None and (nxt2.tag_ in NOUN_TAGS or nxt2.tag_ == "JJ" and _nxt(nxt2) is not None and _nxt(nxt2).tag_ in NOUN_TAGS):
            yield _issue("grammar.confusables", [tok, nxt], _case(tok.text, "whose"),
                         "'Whose' asks who something belongs to; 'who's' means 'who is'.")
        elif low == "whose" and nxt is not None and nxt.tag_ in ("VBG", "DT", "RB") :
            yield _conf(tok, "who's", "'Who's' means 'who is'; 'whose' asks who something belongs to.")
        # were / where / we're
        elif low == "were" and tok.i == tok.sent.start and nxt is not None and (nxt.tag_ in ("VBG", "RB", "JJ") and nl not in ("you", "they", "we")):
            yield _conf(tok, "we're", "'We're' means 'we are'.")
        elif low == "were" and prev is not None and (prev.lower_ in ("know", "see", "sure", "check", "ask", "find", "out", "confirm", "unsure", "tell", "show", "is", "from", "exactly")
                                                     ) and nxt is not None and nxt.tag_ in ("DT", "PRP", "PRP$", "NN", "NNS", "NNP") \
                and not any(c.dep_ in ("nsubj", "nsubjpass") and c.i < tok.i for c in tok.children):
            yield _conf(tok, "where", "'Where' asks about a place; 'were' is a form of 'be'.")
        # lose / loose
        elif low == "loose" and prev is not None and (pl in _MODALS or pl in ("to", "not", "n't", "never", "dont", "don't")):
            yield _conf(tok, "lose", "'Lose' means to stop having something; 'loose' means not tight.")
        # advice / advise, practice / practise, licence / license (British: noun -ce, verb -se)
        elif low in ("advice", "practice", "licence", "device") and prev is not None and (pl in _MODALS or pl in ("to", "i", "we", "would", "please", "strongly")):
            fixes = {"advice": "advise", "practice": "practise", "licence": "license", "device": "devise"}
            yield _conf(tok, fixes[low], f"'{fixes[low]}' is the verb; '{low}' is the noun.")
        elif low in ("advise", "practise") and prev is not None and (pl in ("the", "some", "any", "your", "our", "my", "this", "that", "of", "for", "good", "medical", "legal", "financial", "dental", "gp", "further", "general") or prev.tag_ in ("JJ", "PRP$")):
            fixes = {"advise": "advice", "practise": "practice"}
            yield _conf(tok, fixes[low], f"'{fixes[low]}' is the noun; '{low}' is the verb.")
        # affect / effect
        elif low == "effect" and prev is not None and (pl in _MODALS or pl in ("to", "not", "n't", "won't", "may", "might", "it", "this", "that") and tok.tag_.startswith("VB")) \
                or (low == "effect" and prev is not None and pl in _MODALS | {"to", "not", "n't"}):
            yield _conf(tok, "affect", "'Affect' is the verb (to change); 'effect' is the noun (a result).")
        elif low == "affect" and prev is not None and pl in ("an", "the", "any", "no", "some", "little", "big", "an", "knock-on", "same", "side"):
            yield _conf(tok, "effect", "'Effect' is the noun (a result); 'affect' is the verb.")
        # accept / except
        elif low == "except" and prev is not None and (pl in _MODALS or pl in ("to", "not", "n't", "we", "i", "please", "you", "they") or pl.endswith("n't")):
            yield _conf(tok, "accept", "'Accept' means to agree or receive; 'except' means 'apart from'.")
        # weather / whether
        elif low == "weather" and nxt is not None and (nl in ("or", "you", "it", "we", "they", "the", "your", "this", "that", "to", "i", "he", "she")) and pl not in ("the", "bad", "good", "cold", "hot", "wet", "this", "severe", "poor"):
            yield _conf(tok, "whether", "'Whether' introduces a choice; 'weather' is rain and sun.")
        # quiet / quite
        elif low == "quite" and (nxt is None or nxt.is_punct or nxt.tag_ in NOUN_TAGS) and pl in ("be", "is", "was", "very", "keep", "a", "nice", "really", "and", "are", "more", "it"):
            yield _conf(tok, "quiet", "'Quiet' means not loud; 'quite' means 'fairly'.")
        # passed / past
        elif low == "passed" and (pl in ("the", "in", "half", "just", "gone", "well", "quarter", "ten", "five", "twenty") and not (pl == "just" and nxt is not None and nxt.tag_ in ("DT", "PRP", "PRP$"))):
            yield _conf(tok, "past", "'Past' is about time gone by; 'passed' is the verb.")
        # bear with me
        elif low == "bare" and nl == "with":
            yield _conf(tok, "bear", "'Bear with me' means 'be patient with me'.")
        # know / no
        elif low == "no" and prev is not None and (pl in ("i", "we", "they", "to", "me", "you", "don't", "dont", "didn't", "let") or pl in _MODALS) \
                and nxt is not None and nxt.tag_ not in NOUN_TAGS | {"JJ", "JJR", "RBR", "CD"} and nl not in ("longer", "more", "one", "need", "problem", "worries", "charge", "cost", "further", "other", "fee", "later", "sooner", "less", "way", "record"):
            yield _conf(tok, "know", "'Know' is the verb (to be aware); 'no' is the opposite of yes.")
        # led / lead (past tense)
        elif low == "lead" and pl in ("has", "have", "had", "was", "were", "been", "which", "that") and nl in ("to", "us", "them", "him", "her", "you") and pl != "to":
            if pl in ("which", "that") and not any(t.tag_ == "VBD" for t in doc):
                continue
            yield _conf(tok, "led", "The past of 'lead' is 'led'.")
        # hear / here
        elif low == "here" and pl in ("to", "glad", "can", "could", "cannot", "can't", "didn't", "couldn't") and (nl in ("that", "about", "from", "back", "this", "you", "what") or pl != "to"):
            yield _conf(tok, "hear", "'Hear' is what you do with your ears; 'here' is this place.")
        elif low == "hear" and pl in ("over", "in", "right", "from", "near", "click", "up") :
            yield _conf(tok, "here", "'Here' is this place; 'hear' is what you do with your ears.")


# ---------------------------------------------------------------- agreement

_PLURAL_PRON = {"we", "you", "they", "these", "those", "both", "many", "several"}
_SINGULAR_PRON = {"he", "she", "it", "this", "that", "one", "each", "everyone", "everybody", "someone", "somebody",
                  "nobody", "anyone", "anybody", "everything", "something", "nothing", "anything", "either", "neither"}
# British English lets these take either ("the team are", "the team is")
_COLLECTIVE = {"team", "staff", "police", "family", "government", "council", "company", "department", "management",
               "committee", "crew", "board", "public", "group", "firm", "bank", "business", "service", "trust", "school", "couple", "majority", "number", "range", "series", "pair", "lot", "rest", "half", "none", "all", "most", "some", "any", "data", "media"}
_PAIRS = {"was": "were", "is": "are", "has": "have", "does": "do", "doesn't": "don't", "isn't": "aren't",
          "wasn't": "weren't", "hasn't": "haven't"}
_SING_FORMS = set(_PAIRS)
_PLUR_FORMS = set(_PAIRS.values())
_TO_PLURAL = dict(_PAIRS)
_TO_SINGULAR = {v: k for k, v in _PAIRS.items()}


def _subject_number(subj) -> str | None:
    """'sg', 'pl', 'I' or None when unsure."""
    low = subj.lower_
    if any(c.dep_ == "conj" for c in subj.children) and any(c.lower_ == "and" for c in subj.children):
        if any(t.tag_ in FINITE for t in subj.doc[subj.sent.start: subj.left_edge.i]):
            return None  # "we checked the data and the spike was…": the parse is unsure
        return "pl"
    if subj.tag_ == "PRP" or subj.tag_ in ("DT",):
        if low == "i":
            return "I"
        if low in _PLURAL_PRON:
            return "pl"
        if low in _SINGULAR_PRON:
            return "sg"
        return None
    if low in ("one", "each", "none", "either", "neither") and any(c.lower_ == "of" for c in subj.children):
        return "sg" if low != "none" else None
    if low in _COLLECTIVE or subj.lemma_.lower() in _COLLECTIVE:
        return None
    if subj.tag_ == "NNS" and low.endswith("s") and not low.endswith("ss"):
        if any(c.lower_ in ("each", "every") for c in subj.children):
            return "sg"
        return "pl"
    if subj.tag_ == "NN" and not low.endswith("s"):
        if any(c.dep_ == "nummod" and c.lower_ not in ("one", "1") for c in subj.children):
            return None
        return "sg"
    return None


def _verb_forms(verb) -> tuple[str | None, str | None]:
    """(number the verb form shows, the form for the other number)."""
    text = verb.lower_
    joined = text
    nxt = _nxt(verb)
    if nxt is not None and nxt.lower_ in ("n't",) and nxt.idx == verb.idx + len(verb.text):
        joined = text + "n't"
    if joined in _SING_FORMS:
        return "sg", _TO_PLURAL[joined]
    if joined in _PLUR_FORMS:
        return "pl", _TO_SINGULAR[joined]
    if verb.tag_ == "VBZ" and text.endswith("s") and verb.pos_ in ("VERB",):
        return "sg", verb.lemma_.lower() if verb.lemma_ else None
    if verb.tag_ == "VBP" and verb.pos_ == "VERB" and text == verb.lemma_.lower() and text not in ("am",):
        return "pl", _third_person(text)
    return None, None


def _third_person(verb: str) -> str:
    if re.search(r"(s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


# nouns for a group of people that British English lets take a plural verb ("the council have
# written to you"): one vocabulary, used only to stop that counting as an agreement error
_COLLECTIVE = frozenset("""team staff crew council committee board government management department office depot
warehouse branch store shop company firm business bank society family police club group couple public union
service surgery practice school college university hospital airline landlord agency partnership""".split())


def _clause_of_two(det) -> bool:
    """"Thanks, that matches.": a pronoun and a verb the parser read as a determiner and a noun,
    alone between punctuation."""
    noun = det.head
    before = det.doc[det.i - 1] if det.i > 0 else None
    after = _nxt(noun)
    return noun.i == det.i + 1 and (before is None or before.is_punct) and (after is None or after.is_punct)


def _clause_after_comma(det) -> bool:
    """"Thank you, those match.": after a comma, "those" and one last word before the full stop
    are a clause of their own (a pronoun and its verb), which the parser took for an object."""
    doc, noun = det.doc, det.head
    end = noun.i + 1
    return (det.i > 0 and doc[det.i - 1].text == "," and noun.dep_ == "dobj"
            and (end == len(doc) or doc[end].is_punct and doc[end].text in ".!?"))


@check("agreement")
def agreement(doc, words) -> Iterator[RawIssue]:
    """'we was', 'the engineer are', 'this items': the verb or determiner must match its subject."""
    for tok in doc:
        if tok.lower_ in ("this", "that") and tok.dep_ == "det" and tok.head.tag_ == "NNS" and tok.head.lower_.endswith("s") \
                and all(t.tag_ in ("JJ", "NN") for t in doc[tok.i + 1: tok.head.i]) and tok.head.i > tok.i \
                and tok.head.lower_ not in ("news", "series", "means", "species", "lots", "thanks", "savings", "premises", "sales", "customs", "goods") \
                and not _clause_of_two(tok):
            yield _issue("grammar.agreement", [tok], _case(tok.text, "these" if tok.lower_ == "this" else "those"),
                         "With a plural noun, use 'these' or 'those'.")
            continue
        if tok.lower_ in ("these", "those") and tok.dep_ == "det" and tok.head.tag_ == "NN" and not tok.head.lower_.endswith("s") \
                and tok.head.i == tok.i + 1 and tok.head.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "attr") \
                and not (tok.i > 0 and doc[tok.i - 1].lower_ == "of") and tok.head.lower_ not in ("either", "neither", "one", "each", "any", "all", "both", "none", "kind", "sort", "type") \
                and not _clause_after_comma(tok):
            yield _issue("grammar.agreement", [tok], _case(tok.text, "this" if tok.lower_ == "these" else "that"),
                         "With a singular noun, use 'this' or 'that'.")
            continue
        if tok.tag_ not in ("VBZ", "VBP", "VBD"):
            continue
        number, other = _verb_forms(tok)
        if number is None or other is None:
            continue
        if tok.lower_ in ("was", "were") and tok.tag_ != "VBD":
            continue
        host = tok.head if tok.dep_ in ("aux", "auxpass") else tok
        if tok is host and any(c.tag_ == "MD" for c in host.children):
            continue  # "Should any part of it require…": a modal's verb takes its bare form
        subjects = [c for c in host.children if c.dep_ in ("nsubj", "nsubjpass")]
        if len(subjects) != 1:
            continue
        subj = subjects[0]
        if subj.i > tok.i and not (tok.i == tok.sent.start or (tok.i > 0 and doc[tok.i - 1].tag_ in ("WRB", "WP"))):
            continue  # inverted only in questions
        if subj.lower_ in ("who", "that", "which", "what") or subj.tag_ in ("WDT", "WP"):
            continue
        if tok.lower_ == "were" and any(t.lower_ in ("if", "wish", "as") for t in doc[max(0, subj.i - 3): subj.i]):
            continue  # "if I were you"
        want = _subject_number(subj)
        if want is None:
            continue
        if want == "sg" and number == "pl" and subj.lemma_.lower() in _COLLECTIVE:
            continue  # British English: "the depot have confirmed", "the team are looking into it"
        if want == "pl" and number == "sg" and any(c.dep_ == "nummod" for c in subj.children) and host.lemma_ == "be":
            continue  # an amount as one thing: "three trips to the locker is maddening", "five days is too long"
        if subj.pos_ == "PROPN" or subj.left_edge.tag_ == "VBG" or (doc[tok.sent.start].tag_ == "VBG" and doc[tok.sent.start].i < subj.i) or any(t.is_punct or t.tag_ == "CC" for t in doc[subj.i + 1: tok.i]):
            continue  # a name ("Leeds is"), or the subject is in another clause
        if tok.lower_ == "thank" or (words is not None and subj.text[:1].isupper() and words.known_as_written(subj.text)
                                     and not words.known(subj.lower_)):
            continue  # "Leeds is…": a place name, not a plural
        if subj.tag_ == "NNS" and subj.i == tok.i - 1 and tok.tag_ == "VBZ" and tok.lower_ not in _SING_FORMS:
            continue  # "the doctors notes": a noun read as a verb
        if want == "I":
            if tok.lower_ in ("is", "are", "has", "does", "doesn't", "isn't", "hasn't", "were", "weren't") or (tok.tag_ == "VBZ" and number == "sg"):
                fix = {"is": "am", "are": "am", "has": "have", "does": "do", "doesn't": "don't", "isn't": "am not",
                       "hasn't": "haven't", "were": "was", "weren't": "wasn't"}.get(tok.lower_, other)
                span = [tok] if tok.lower_ not in ("doesn't",) else [tok]
                yield _issue("grammar.agreement", span, _case(tok.text, fix), "After 'I', the verb needs its 'I' form.")
            continue
        if want != number:
            span = [tok]
            fix = other
            if _nxt(tok) is not None and _nxt(tok).lower_ == "n't" and tok.lower_ + "n't" in _PAIRS | {v: k for k, v in _PAIRS.items()}:
                span = [tok, _nxt(tok)]
            yield _issue("grammar.agreement", span, _case(tok.text, fix),
                         "The verb does not agree with its subject: " + ("one thing takes a singular verb." if want == "sg" else "more than one takes a plural verb."))


# ---------------------------------------------------------------- sentences run together

_CLAUSE_TAKERS = {"think", "hope", "know", "believe", "say", "said", "tell", "told", "sure", "see", "mean", "guess", "suppose",
                  "feel", "expect", "understand", "realise", "afraid", "glad", "sorry", "wish", "confirm", "appreciate",
                  "notice", "noticed", "checked", "check", "found", "find", "aware", "worried", "pleased", "happy", "assume",
                  "promise", "reckon", "imagine", "seems", "seem", "looks", "look", "means", "shows", "show", "advise", "ensure", "make",
                  "rather"}  # "would you rather we drop it off", "I'd rather you kept it"
# verbs of perceiving and knowing, whose clause may follow a phrase saying where from ("I can see
# from your account you're on…"); not "I've checked with the depot your parcel is…", a run-on
_PERCEIVING = {"see", "notice", "know", "understand", "hear", "read", "appreciate", "realise", "realize"}
# verbs that take an object and then a clause: "I told you it was sent", "let me know you're happy"
_OBJECT_AND_CLAUSE = {"tell", "show", "remind", "assure", "promise", "inform", "let", "ask", "warn", "bet", "say"}
# of those, the verbs whose object is whom they tell, then what: "without warning you it wouldn't work"
_TELLING = {"tell", "show", "remind", "assure", "promise", "inform", "warn"}


# subordinators of more than one word: the clause after them depends on the next one
_SUBORDINATORS = (("in", "case"), ("in", "the", "event"), ("in", "the", "event", "that"), ("so", "that"),
                  ("now", "that"), ("given", "that"), ("provided", "that"), ("providing", "that"), ("as", "long", "as"),
                  ("as", "soon", "as"), ("even", "though"), ("even", "if"), ("in", "order", "that"), ("every", "time"),
                  ("the", "moment"), ("the", "minute"), ("by", "the", "time"))


def _after_subordinator(doc, start: int) -> bool:
    """Do the words before ``start`` end with a subordinator, or does the stretch before it (from
    the last comma or "and") open with one ("…, and in the event that further time is required to
    complete our investigation | you will…")?"""
    words = [t.lower_ for t in doc[max(doc[start].sent.start, start - 4): start]]
    if any(tuple(words[-len(s):]) == s for s in _SUBORDINATORS if len(words) >= len(s)) \
            and (words[-1] != "that" or doc[start - 1].dep_ == "mark"):
        return True
    sent = doc[start].sent
    opening = sent.start  # where the stretch before the subject opens: after the last comma or "and"
    for t in doc[sent.start: start]:
        if t.is_punct or t.tag_ == "CC":
            opening = t.i + 1
    head = doc[opening: min(start, opening + 4)]
    words = [t.lower_ for t in head]
    return any(tuple(words[:len(s)]) == s and (s[-1] != "that" or head[len(s) - 1].dep_ == "mark")
               for s in _SUBORDINATORS if len(words) >= len(s))  # not "so that's all sorted"


def _adjunct_of(token, verb) -> bool:
    """Is ``token`` inside a prepositional or adverbial phrase that hangs from ``verb``?"""
    node = token
    for _ in range(6):
        if node.head.i == verb.i:
            return node.dep_ in ("prep", "advmod", "npadvmod", "advcl")
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _no_gap(verb, strict: bool = False) -> bool:
    """Does the clause of ``verb`` have its object (so it cannot be a relative clause without
    'that', which leaves one out: "the parcel you ordered", "the team I spoke to")? ``strict``
    (the parser already read a relative clause) counts only a plain object or complement."""
    kids = list(verb.children)
    if any(t.dep_ == "prep" and not any(g.dep_ in ("pobj", "pcomp") for g in t.children) for t in verb.subtree):
        return False  # a stranded preposition: "the team I spoke to", "the address you'd like it sent to"
    clauses = [c for c in kids if c.dep_ in ("ccomp", "xcomp")]
    if clauses:
        return all(_no_gap(c, strict) for c in clauses)  # "the service we want you to get": the gap is inside
    if any(_real_object(c) for c in kids):
        return True
    if strict:
        return False
    return any(c.dep_ == "nsubjpass" for c in kids) or verb.lemma_ == "be"


def _real_object(tok) -> bool:
    if tok.dep_ in ("attr", "acomp", "oprd"):
        return True
    return tok.dep_ == "dobj" and tok.pos_ in ("NOUN", "PRON") and tok.ent_type_ not in ("DATE", "TIME", "CARDINAL") \
        and not (tok.tag_ == "PRP" and (tok.lower_ in ("you", "me", "us", "him", "her", "them") or tok.lower_.endswith(("self", "selves"))))
    # a reflexive fills no gap: "something I can do myself", "the email I sent myself"


_SUBJECT_CONJUNCTS = ("ADJ", "NOUN", "PROPN", "NUM", "PRON")  # words a subject's "and" may join
_OPENERS = {"sorry", "thanks", "thank", "hi", "hello", "ok", "okay", "great", "lovely", "perfect", "apologies", "no"}


def _in_fronted_subordinate(tok, verb) -> bool:
    """Is ``tok`` inside a subordinate clause (one opened by "as soon as", "if", "when", "once",
    "because"…) that depends on ``verb``'s clause? Following the heads up from ``tok`` to ``verb``."""
    node, steps = tok, 0
    while node.i != verb.i and node.head.i != node.i and steps < 12:
        if node.dep_ == "advcl" and any(c.dep_ == "mark" for c in node.children):
            return True
        node, steps = node.head, steps + 1
    return False


@check("run_on")
def run_on(doc, words) -> Iterator[RawIssue]:
    """Two sentences run together with no full stop: 'sorry for the delay the parcel was held'."""
    seen: set[int] = set()
    for verb in doc:
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        finite = verb.tag_ in FINITE or any(c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE for c in verb.children)
        if verb.tag_ == "VB" and verb.lower_ == "please":
            continue
        if not subjects or not finite or verb.dep_ in ("acl", "csubj", "pcomp", "pobj"):
            continue
        if verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children):
            continue  # "…because we were…"
        if verb.dep_ == "relcl" and (any(c.tag_ in ("WDT", "WP", "WP$") or c.lower_ == "that" for c in verb.subtree)
                                     or not _no_gap(verb, strict=True)):
            continue  # a relative clause ("the parcel you ordered") leaves a gap for the noun before it
        subj = subjects[0]
        left = subj.left_edge
        if any(c.dep_ in ("aux", "auxpass") and c.i < left.i for c in verb.children):
            continue  # its auxiliary before its subject: one question ("has anyone next door lost theirs?")
        if left.i == 0 or left.i in seen or subj.lower_ in ("that", "which", "who", "whom", "whose"):
            continue  # "it's only the app that's locked": a relative pronoun, not a new sentence
        prev = doc[left.i - 1]
        if prev.lemma_.lower() in ("day", "time", "moment", "week", "month", "year", "way", "reason", "place", "date", "night", "morning", "evening"):
            continue  # "on days you use it", "the way it works": a relative clause needs no gap after these
        # "…is approved it will…", "…has been set up the first…": a passive clause ends, another starts
        participle_end = (prev.tag_ == "VBN" and prev.i == verb.head.i and any(c.dep_ == "auxpass" for c in prev.children)) or \
            (prev.tag_ == "RP" and prev.head.i == verb.head.i and any(c.dep_ == "auxpass" for c in prev.head.children))
        if prev.is_punct or prev.is_space or prev.tag_ in ("CC", "IN", "WDT", "WP", "WRB", "TO", "DT", "PRP$", "MD") \
                or (prev.pos_ in ("VERB", "AUX", "ADP", "SCONJ", "CCONJ", "PART") and not (participle_end and verb.dep_ == "ccomp")) \
                or prev.lower_ in ("that", "so", "because", "if", "when", "and", "but", "or", "as", "then", "sure", "think"):
            continue
        if prev.pos_ not in ("NOUN", "PROPN", "NUM", "PRON", "ADV", "ADJ", "INTJ", "VERB", "PART", "ADP"):
            continue
        if any(t.tag_ in ("WDT", "WP", "WP$", "WRB") or t.lower_ in ("who's", "whose") for t in doc[max(verb.sent.start, left.i - 4): left.i]):
            continue  # "how busy it gets", "whose parcel this is"
        if prev.lower_ in _CLAUSE_TAKERS:
            continue  # "I'm sorry the payment…", "I think we…"
        if _after_subordinator(doc, left.i):
            continue  # "in case you need it", "in the event that more time is needed you will…"
        if prev.dep_ in ("dobj", "dative", "iobj") and prev.head.lemma_.lower() in _TELLING:
            continue  # "without warning you it wouldn't work": whom, then what, however it is parsed
        if verb.dep_ != "relcl" and prev.pos_ == "NOUN" and not _no_gap(verb):
            continue  # "the email I'll send you": a relative clause without "that", parsed otherwise
        phrase = prev
        while phrase.head.i != phrase.i and phrase.head.i < left.i and phrase.head.i != verb.i:
            phrase = phrase.head
        if phrase.head.i == verb.i and phrase.left_edge.i > 0 and phrase.left_edge.tag_ == "IN" \
                and (doc[phrase.left_edge.i - 1].is_punct or doc[phrase.left_edge.i - 1].tag_ == "CC"):
            continue  # "…, and within the hour you'll get": a phrase that opens the second clause
        head = verb.head if verb.dep_ in ("ccomp", "conj", "parataxis") else None
        if head is not None and verb.dep_ == "ccomp" and head.lemma_.lower() in _CLAUSE_TAKERS | {"be"} and head.i == prev.i:
            continue
        if head is not None and verb.dep_ == "ccomp" and head.lemma_.lower() in _PERCEIVING and _adjunct_of(prev, head):
            continue  # "I can see from your account you're on…": where it is seen, then what is seen
        if head is not None and verb.dep_ == "ccomp" and head.lemma_.lower() in _OBJECT_AND_CLAUSE \
                and (prev.dep_ in ("dobj", "iobj", "dative") or prev.head.i == head.i):
            continue  # "I told you it was sent"
        before = doc[verb.sent.start: left.i]
        has_clause = any(t.tag_ in FINITE for t in before) or (len(before) > 0 and before[0].lower_ in _OPENERS)
        if not has_clause or len(before) < 2:
            continue
        if prev.lower_ in ("today", "now", "tomorrow", "yesterday") and len(before) < 3:
            continue
        if any(t.tag_ == "CC" and t.head.pos_ not in _SUBJECT_CONJUNCTS for t in doc[left.i: subj.i]):
            continue  # "…went out twice and three callbacks never came": the parse drew "twice and" into the subject
            # ("…the delay the red and blue parcels were held" joins two of the subject's own words: still a run-on)
        if _in_fronted_subordinate(prev, verb):
            continue  # "As soon as it's back I'll send it": a comma may be left out after an opening clause
        seen.add(left.i)
        fixed_first = "I" + left.text[1:] if left.lower_.startswith("i'") or left.lower_ == "i" else left.text[:1].upper() + left.text[1:]
        yield RawIssue(prev.idx, left.idx + len(left.text), doc.text[prev.idx: left.idx + len(left.text)],
                       "Two sentences run together here: end the first with a full stop.", "grammar", "grammar.run_on",
                       (f"{prev.text}. {fixed_first}",))
    # "... by 5 please send it": an order starting mid-sentence
    for tok in doc:
        if tok.lower_ == "please" and tok.i > 2 and not doc[tok.i - 1].is_punct and doc[tok.i - 1].pos_ in ("NOUN", "NUM", "PROPN", "ADV") \
                and doc[tok.i - 1].lower_ not in ("so", "then", "now", "also", "just", "and", "but", "therefore") \
                and _nxt(tok) is not None and _nxt(tok).tag_ == "VB" and any(t.tag_ in FINITE for t in doc[tok.sent.start: tok.i]) \
                and tok.i not in seen:
            prev = doc[tok.i - 1]
            yield RawIssue(prev.idx, tok.idx + len(tok.text), doc.text[prev.idx: tok.idx + len(tok.text)],
                           "Two sentences run together here: end the first with a full stop.", "grammar", "grammar.run_on",
                           (f"{prev.text}. Please",))


# ---------------------------------------------------------------- missing words

# nouns English treats as uncountable (no article needed: "send you information"); with the
# endings below, they cover most of what a customer-service message leaves bare
_UNCOUNTABLE = set("""information advice access help support time money water gas electricity power data credit feedback
evidence proof permission insurance equipment furniture luggage baggage damage stock post mail cash work travel research
progress traffic weather news fun space stuff software hardware broadband internet wifi signal coverage cover leave
parking training food heating hot rubbish recycling waste council tax vat interest debt income rent mortgage
contact touch hold place care charge notice attention priority advance writing person home bed school office hospital
church town university work lunch breakfast dinner tea coffee staff nobody somebody anybody everybody everyone someone
anyone nothing something anything everything""".split())
_UNCOUNTABLE_ENDINGS = ("tion", "sion", "ment", "ness", "ance", "ence", "ity", "ing", "age", "ism", "ery", "ship", "ics")
# verbs that make idioms with a bare noun: make sense, take place, take care, have fun, keep track, pay attention
_LIGHT_VERBS = {"make", "take", "have", "do", "give", "keep", "pay", "catch", "lose", "play", "find", "gain", "set", "lend", "shake"}
_ORDINALS = {"first", "second", "third", "last", "next", "fourth", "fifth", "final"}
_TIME_UNITS = {"hour", "minute", "day", "week", "month", "year", "fortnight", "second", "moment"}


def _bare_count_noun(tok, words) -> bool:
    """A singular, countable, common noun with nothing in front of it that a determiner needs."""
    low = tok.lower_
    if tok.tag_ != "NN" or not tok.is_lower or not tok.is_alpha or len(low) < 3:
        return False
    if low in _UNCOUNTABLE or low.endswith(_UNCOUNTABLE_ENDINGS) or tok.ent_type_ or low in _ORDINALS:
        return False
    nxt = _nxt(tok)
    if nxt is not None and (any(ch.isdigit() for ch in nxt.text) or (nxt.text[:1].isupper() and nxt.pos_ == "PROPN")):
        return False  # "order LK-209117", "platform 4": a noun named by what follows
    if words is not None and not (words.known(low) and words.known(_plural(low))):
        return False  # no plural: not countable (or not a word we are sure of)
    if words is not None and _action_noun(low, words):
        return False  # "need approval", "on arrival": the act of a verb, used without an article like "confirmation"
    for c in tok.children:
        if c.dep_ in ("det", "poss", "nummod", "quantmod", "predet", "conj", "cc", "appos") or c.tag_ in ("CD", "PRP$", "DT", "POS"):
            return False
        if c.dep_ in ("compound", "amod") and any(g.dep_ in ("det", "poss") or g.tag_ in ("DT", "PRP$", "CD") for g in c.children):
            return False
    if any(t.pos_ == "PROPN" or t.tag_ in ("NNS", "POS") or t.lower_ in _ORDINALS for t in tok.lefts):
        return False  # "Mr Khans account", "todays date": a name or possessive in front
    first = tok.left_edge
    if first.tag_ in ("DT", "PRP$", "CD", "POS", "WP$", "PDT") or any(t.tag_ in ("PRP$", "DT", "POS") for t in tok.doc[first.i: tok.i]):
        return False
    if tok.dep_ == "dobj" and tok.head.lemma_ in _LIGHT_VERBS:
        return False  # "make sense", "take place", "have fun": verb and noun make one idiom
    before = tok.doc[first.i - 1] if first.i > 0 else None
    if before is not None and before.lower_.endswith("s") and words is not None and words.known(before.lower_[:-1]) \
            and before.lower_[:-1] not in ("i", "wa", "ha", "doe", "thi", "u", "hi"):
        return False  # "todays date": a possessive without its apostrophe stands for the article
    if first.i > 0 and (tok.doc[first.i - 1].tag_ in ("DT", "PRP$", "CD", "POS", "NNS", "NNP", "NN", "PRP")
                        and not (tok.doc[first.i - 1].tag_ == "PRP" and tok.doc[first.i - 1].dep_ in ("dative", "dobj"))):
        return False
    if low == "part" and nxt is not None and nxt.lower_ == "of":
        return False  # "part of the payment", like "most of": a share, with no article
    return True


def _action_noun(low: str, words) -> bool:
    """A noun made from a verb with -al (approval, arrival, removal, renewal, referral, refusal):
    like the -tion and -ment nouns, it names the act and reads well without an article."""
    if not low.endswith("al") or len(low) < 6:
        return False
    stem = low[:-2]
    verbs = (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else None)  # approve, renew, refer
    # a verb: its past tense is a word too ("approved", "renewed", "referred"; not "animed", "origined")
    return any(words.known(v) and (words.known(v + "d") if v.endswith("e") else words.known(v + "ed") or words.known(v + v[-1] + "ed"))
               for v in verbs if v)


def _article_place(tok):
    """Where the article goes: before the noun phrase, but after "attached" in "find attached copy"."""
    first = tok.left_edge
    if first.tag_ == "VBN" and first.dep_ == "amod" and first.i + 1 <= tok.i:
        return tok.doc[first.i + 1]
    return first


def _plural(noun: str) -> str:
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    if re.search(r"(s|sh|ch|x|z)$", noun):
        return noun + "es"
    return noun + "s"


def _article(tok) -> str:
    """'the' for a noun its sentence pins down (a relative clause or 'for'/'of' after it), else 'a'/'an'."""
    nxt = _nxt(tok)
    if any(c.dep_ in ("relcl", "acl") for c in tok.children) or (nxt is not None and nxt.lower_ in ("for", "i", "you", "we")):
        return "the"
    first = _article_place(tok).lower_
    return "an" if first[:1] in "aeio" or first.startswith("hour") else "a"


@check("missing_words")
def missing_words(doc, words) -> Iterator[RawIssue]:
    """A word left out: 'a few', 'back to', 'due to', 'in a week', 'for your patience', 'sorry for
    the delay', 'access to', 'up to', and an article before a singular countable noun that a verb
    takes as its object ("send you email"). Only there: as a subject or after a preposition a bare
    noun was mostly a mass noun or a sense without an article ("treated with insulin", "bleach
    doesn't…", "from purchase"), and on transcripts nobody tuned on about one flag in seven was right."""
    for tok in doc:
        low = tok.lower_
        nxt, prev = _nxt(tok), _nxt(tok, -1)
        pl = prev.lower_ if prev is not None else ""
        if low == "few" and pl in ("in", "within", "for", "after", "about") and nxt is not None and nxt.tag_ == "NNS":
            yield _issue("grammar.missing_words", [prev, tok], f"{prev.text} a few", "Write 'a few' here.")
        elif low == "back" and nxt is not None and nxt.lower_ in ("you", "me", "us", "them", "him", "her") and pl in ("get", "come", "write", "reply", "report", "go"):
            yield _issue("grammar.missing_words", [tok, nxt], f"back to {nxt.text}", "Write 'back to' here.")
        elif low == "due" and nxt is not None and nxt.tag_ in ("NN", "NNS", "JJ") and nxt.lower_ not in ("date", "today", "tomorrow", "soon", "now", "back", "on", "in") \
                and prev is not None and prev.tag_ in ("VBN", "VBD", "NN", "NNS"):
            yield _issue("grammar.missing_words", [tok], "due to", "Write 'due to' here.")
        elif low in _TIME_UNITS and tok.tag_ == "NN" and pl in ("within", "in", "for", "after", "about", "under", "over") \
                and not any(c.dep_ in ("det", "poss", "nummod", "amod") for c in tok.children):
            art = "an" if low.startswith("hour") else "a"
            yield _issue("grammar.missing_words", [prev, tok], f"{prev.text} {art} {tok.text}", f"Put '{art}' before '{tok.text}'.")
        elif tok.tag_ == "VB" and prev is not None and prev.tag_ == "PRP" and prev.lower_ in ("me", "us", "him", "her", "them") \
                and tok.i >= 2 and doc[tok.i - 2].lemma_ in ("want", "need", "ask", "expect", "like", "allow", "remind", "tell", "advise", "require"):
            yield _issue("grammar.missing_words", [prev, tok], f"{prev.text} to {tok.text}", "Put 'to' before the verb here.")
        elif pl == "for" and tok.tag_ == "NN" and low in ("patience", "understanding", "help", "time", "cooperation", "co-operation", "custom", "feedback", "email", "call", "message") \
                and tok.i >= 2 and doc[tok.i - 2].lower_ in ("you", "thanks", "thank") and not any(c.dep_ in ("det", "poss") for c in tok.children):
            yield _issue("grammar.missing_words", [prev, tok], f"for your {tok.text}", "Write 'your' here: thank people for their patience, their help.")
        elif pl == "for" and tok.tag_ == "NN" and low in ("inconvenience", "delay", "confusion", "trouble", "error", "mistake", "wait", "disruption") \
                and tok.i >= 2 and any(t.lower_ in ("sorry", "apologise", "apologies", "apologize", "apology") for t in doc[max(0, tok.i - 4): tok.i]) \
                and not any(c.dep_ in ("det", "poss") for c in tok.children):
            yield _issue("grammar.missing_words", [prev, tok], f"for the {tok.text}", "Write 'the' here: sorry for the delay, the inconvenience.")
        elif low == "access" and tok.tag_ == "NN" and nxt is not None and nxt.tag_ in ("DT", "PRP$"):
            yield _issue("grammar.missing_words", [tok], "access to", "Write 'access to' here.")
        elif low == "up" and nxt is not None and nxt.like_num and prev is not None and prev.lemma_ in ("allow", "take", "wait", "last", "cost", "be", "for"):
            yield _issue("grammar.missing_words", [tok], "up to", "Write 'up to' before a number.")
        elif tok.dep_ == "dobj" and tok.head.pos_ == "VERB" and _bare_count_noun(tok, words) \
                and not any(c.dep_ == "amod" for c in tok.children):
            first = _article_place(tok)
            art = _article(tok)
            text = doc.text[first.idx: tok.idx + len(tok.text)]
            yield _issue("grammar.missing_words", [first], f"{art} {first.text}" if first.i != tok.i else f"{art} {text}",
                         f"Put '{art}' before '{text}'.")


# ---------------------------------------------------------------- word forms

# irregular verbs: past tense -> past participle, where they differ
_PARTICIPLE = {"went": "gone", "came": "come", "wrote": "written", "spoke": "spoken", "took": "taken", "gave": "given",
               "saw": "seen", "did": "done", "began": "begun", "broke": "broken", "chose": "chosen", "drove": "driven",
               "forgot": "forgotten", "froze": "frozen", "ate": "eaten", "fell": "fallen", "knew": "known", "rang": "rung",
               "ran": "run", "stole": "stolen", "threw": "thrown", "woke": "woken", "became": "become", "grew": "grown",
               "hid": "hidden", "rode": "ridden", "shook": "shaken", "showed": "shown", "swam": "swum", "tore": "torn",
               "wore": "worn", "drew": "drawn", "flew": "flown", "sang": "sung", "drank": "drunk", "mistook": "mistaken"}
_PAST_OF_PARTICIPLE = {"seen": "saw", "done": "did", "gone": "went", "begun": "began", "rung": "rang", "sung": "sang",
                       "drunk": "drank", "swum": "swam"}
_NEGATIVE_ANY = {"no": "any", "nothing": "anything", "nobody": "anybody", "nowhere": "anywhere", "none": "any"}
_STATIVE = {"agree", "disagree", "understand", "know", "need", "want", "believe", "think", "apologise", "appreciate", "suggest", "recommend"}


# spaCy splits "aren't" into "are" + "n't", so the negatives are these too
_PLURAL_VERBS = {"are", "were", "have", "do"}


def _plural_with_apostrophe(tok) -> bool:
    """"parcel's are", "the driver's were": a possessive 's on a common noun that is the subject of
    a plural verb is a plural written with an apostrophe ("parcels are")."""
    if tok.lower_ not in ("'s", "’s") or tok.tag_ != "POS" or tok.i == 0:
        return False
    nxt, noun = _nxt(tok), tok.doc[tok.i - 1]
    return (nxt is not None and nxt.lower_ in _PLURAL_VERBS and noun.is_lower and noun.tag_ in ("NN", "NNP")
            and noun.dep_ in ("nsubj", "nsubjpass") and noun.idx + len(noun.text) == tok.idx)


@check("word_forms")
def word_forms(doc, words) -> Iterator[RawIssue]:
    """The wrong form of a word: 'have went', 'more cheaper', 'less documents', 'look forward to hear',
    'I am agree', 'don't have no', "parcel's are"."""
    for tok in doc:
        if _plural_with_apostrophe(tok):
            noun = doc[tok.i - 1]
            yield _issue("grammar.word_forms", [noun, tok], noun.text + "s",
                         "A plural takes no apostrophe: the 's here does not show ownership")
            continue
        low = tok.lower_
        nxt, prev = _nxt(tok), _nxt(tok, -1)
        pl = prev.lower_ if prev is not None else ""
        if low in _PARTICIPLE and pl in ("have", "has", "had", "'ve", "'s", "'d", "having") and tok.tag_ in ("VBD", "VBN") \
                and not (pl in ("'s", "'d") and tok.tag_ == "VBD"):
            yield _issue("grammar.word_forms", [tok], _PARTICIPLE[low], f"After 'have', use '{_PARTICIPLE[low]}'.")
        elif low in _PAST_OF_PARTICIPLE and prev is not None and prev.tag_ == "PRP" and prev.dep_ == "nsubj" and tok.dep_ in ("ROOT", "conj", "ccomp") \
                and not any(c.dep_ in ("aux", "auxpass") for c in tok.children):
            yield _issue("grammar.word_forms", [tok], _PAST_OF_PARTICIPLE[low], f"Without 'have', use '{_PAST_OF_PARTICIPLE[low]}'.")
        elif low == "more" and nxt is not None and nxt.tag_ == "JJR" and nxt.lower_.endswith("er"):
            yield _issue("grammar.word_forms", [tok, nxt], nxt.text, f"'{nxt.text}' already compares: leave out 'more'.")
        elif low == "less" and nxt is not None and nxt.tag_ == "NNS" and nxt.lower_ not in ("than",):
            yield _issue("grammar.word_forms", [tok], _case(tok.text, "fewer"), "Use 'fewer' with things you can count.")
        elif low == "to" and nxt is not None and nxt.tag_ in ("VB", "VBP") and doc[max(0, tok.i - 2): tok.i].text.lower() in ("look forward", "looking forward", "forward"):
            ing = _ing(nxt.lower_)
            yield _issue("grammar.word_forms", [nxt], ing, f"After 'look forward to', use '{ing}'.")
        elif low == "to" and nxt is not None and nxt.tag_ == "VBG" and pl in ("you", "me", "us", "able", "going", "want", "need", "have", "trying") \
                and doc[max(0, tok.i - 3): tok.i].text.lower().split()[0:1] != ["forward"] and nxt.lemma_ and nxt.lemma_ != nxt.lower_:
            yield _issue("grammar.word_forms", [tok, nxt], f"to {nxt.lemma_}", "After 'to', use the plain form of the verb.")
        elif low in ("am", "is", "are") and nxt is not None and nxt.lower_ in _STATIVE and nxt.tag_ in ("VB", "VBP", "NN") \
                and not (_nxt(nxt) is not None and _nxt(nxt).tag_ in ("VBN",)):
            yield _issue("grammar.word_forms", [tok, nxt], nxt.text, f"'{nxt.text}' is already a verb: leave out '{tok.text}'.")
        elif low == "please" and nxt is not None and nxt.lower_ == "to" and _nxt(nxt) is not None and _nxt(nxt).tag_ == "VB":
            yield _issue("grammar.word_forms", [tok, nxt], tok.text, "Leave out 'to' after 'please'.")
        elif low in _NEGATIVE_ANY and tok.i > 0 and not _number_sign(tok) and any(t.lower_ in ("n't", "not", "never") for t in doc[max(tok.sent.start, tok.i - 5): tok.i]) \
                and not any(t.is_punct or t.tag_ in ("CC", "WDT", "WP") for t in doc[max(tok.sent.start, tok.i - 5): tok.i]):
            yield _issue("grammar.word_forms", [tok], _NEGATIVE_ANY[low], f"With 'not' already there, use '{_NEGATIVE_ANY[low]}'.")
        elif low == "to" and pl not in ("up",) and any(t.lower_ == "between" and not _between_plural(t)
                                                        for t in doc[max(tok.sent.start, tok.i - 4): tok.i]) \
                and not any(t.lower_ == "and" for t in doc[max(tok.sent.start, tok.i - 4): tok.i]):
            yield _issue("grammar.word_forms", [tok], "and", "Write 'between … and …'.")


def _between_plural(between) -> bool:
    """"between agreements", "between the two accounts": a plural object needs no "and", so a
    later "to" belongs to something else ("… has to be done")."""
    nxt = _nxt(between)
    while nxt is not None and nxt.tag_ in ("DT", "PRP$", "JJ") and nxt.i - between.i < 4:
        nxt = _nxt(nxt)
    return nxt is not None and nxt.tag_ in ("NNS", "NNPS")  # a number first is a range: "between 3 days to a week"


def _number_sign(tok) -> bool:
    """"no." or "No" before a number is the sign for 'number' ("at no. 22", "No 4"), not a negative."""
    doc = tok.doc
    k = tok.i + 1
    if k < len(doc) and doc[k].text == "." and not tok.whitespace_:
        k += 1
    return tok.lower_.rstrip(".") == "no" and k < len(doc) and doc[k].like_num


def _ing(verb: str) -> str:
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def run_checks(doc: Any, words: Any, enabled: tuple[str, ...] | None = None) -> list[RawIssue]:
    out = []
    for rule, fn in CHECKS.items():
        if enabled is None or rule in enabled:
            out.extend(fn(doc, words))
    return out
