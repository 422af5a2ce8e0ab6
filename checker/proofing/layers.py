"""Putting the layers together over one agent message: the backend's issues (harper or
LanguageTool), the British dictionary and the grammar checks, as one list with one issue a span.

``review(doc, backend_issues)`` is called by the analyse stage with the message's spaCy Doc.
When layers flag the same or overlapping words, the most specific layer's issue is kept (a
grammar check, then the dictionary, then the backend) and its suggestions are ranked by the
dictionary, so "untill" is offered "until" and never "distill".
"""
from __future__ import annotations

import re
import threading
from typing import Any, Iterator

from spacy.lang.en.stop_words import STOP_WORDS

from . import RawIssue
from .dictionary import BritishDictionary, DictionaryMissing, british
from .grammar import run_checks

_PRIORITY = {"grammar": 0, "dictionary": 1}
_PRONOUNS = {"you", "your", "i", "we", "they", "it", "he", "she", "me", "us", "them"}
_NAME_ENTS = {"PERSON", "ORG", "GPE", "PRODUCT", "FAC", "NORP", "LOC", "WORK_OF_ART", "EVENT"}

# American words whose British spelling depends on what they mean here
_CONTEXT_US = {
    "program": ("programme", lambda t: t.pos_ == "NOUN" and not _near(t, {"computer", "software", "app", "install", "installed", "code"})),
    "programs": ("programmes", lambda t: t.pos_ == "NOUN" and not _near(t, {"computer", "software", "app", "install", "installed", "code"})),
    "check": ("cheque", lambda t: t.pos_ == "NOUN" and _near(t, {"pay", "paid", "payment", "sent", "send", "post", "posted", "bank", "cash", "refund", "£", "for", "by", "cashed", "written"})
              and not _near(t, {"quick", "security", "credit", "health", "safety", "spot", "background", "do", "run", "ran", "another"})
              and not _hyphenated(t)),
    "checks": ("cheques", lambda t: t.pos_ == "NOUN" and _near(t, {"pay", "paid", "payment", "bank", "cash", "accept", "post"})
               and not _near(t, {"security", "credit", "safety", "background"}) and not _hyphenated(t)),
    "license": ("licence", lambda t: t.pos_ in ("NOUN", "PROPN") or t.tag_ == "NN"),
    "licenses": ("licences", lambda t: t.tag_ == "NNS"),
    "tire": ("tyre", lambda t: t.pos_ == "NOUN"),
    "tires": ("tyres", lambda t: t.tag_ == "NNS" or t.pos_ == "NOUN"),
    "practice": ("practise", lambda t: t.tag_ in ("VB", "VBP") and t.i > 0 and t.doc[t.i - 1].tag_ in ("MD", "TO", "PRP")),
}


_HYPHENS = ("-", "\u2010", "\u2011")  # hyphen-minus, hyphen, non-breaking hyphen


def _hyphenated(tok) -> bool:
    """The word is one part of a hyphenated compound ("check-up", "check-in", "re-check"): British
    English spells those 'check' too, whatever payment words stand near."""
    doc = tok.doc
    after = tok.i + 1 < len(doc) and not tok.whitespace_ and doc[tok.i + 1].text in _HYPHENS
    before = tok.i > 0 and doc[tok.i - 1].text in _HYPHENS and not doc[tok.i - 1].whitespace_
    return after or before


def _near(tok, words: set[str], width: int = 4) -> bool:
    doc = tok.doc
    return any(t.lower_ in words for t in doc[max(0, tok.i - width): tok.i + width + 1] if t.i != tok.i)


class Layers:
    """The dictionary and grammar layers, shared by threads (lookups are cached)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._words: BritishDictionary | None = None
        self.note: str | None = None
        self._loaded = False

    def words(self) -> BritishDictionary | None:
        with self._lock:
            if not self._loaded:
                try:
                    self._words = british()
                except DictionaryMissing as exc:
                    self.note = str(exc)
                self._loaded = True
            return self._words

    def misspelt_name(self, text: str) -> bool:
        """A capitalised word one small slip from a name the dictionary knows ("Wednsday", "Febuary")."""
        words = self.words()
        if words is None or len(text) < 4 or not text.isalpha() or not text[:1].isupper() or words.known(text):
            return False
        best = words.rank(text)
        # a dropped letter only: "Kamal" is a name of its own, not a slip for "Kamil"
        return bool(best) and best[0][:1].isupper() and words.known_as_written(best[0]) and len(best[0]) == len(text) + 1 \
            and _cost_of(text, best[0]) <= 1.0

    def review(self, doc: Any, backend: list[RawIssue]) -> list[RawIssue]:
        words = self.words()
        mine = list(run_checks(doc, words))
        if words is not None:
            mine.extend(dictionary_issues(doc, words, backend))
        return merge(backend, mine, words, doc.text)


def dictionary_issues(doc: Any, words: BritishDictionary, backend: list[RawIssue]) -> Iterator[RawIssue]:
    """American spellings, and words the dictionary does not know that are one slip from one it does."""
    flagged = [(i.start, i.end) for i in backend]
    for tok in doc:
        text = tok.text
        if not text.isalpha() or len(text) < 3 or text.isupper() or tok.pos_ == "INTJ" or re.fullmatch(r"(\w{1,3})\1+", text.lower()):
            continue  # "haha", "hehe": laughter, not a misspelling
        low = text.lower()
        if low in _CONTEXT_US:
            uk, applies = _CONTEXT_US[low]
            if applies(tok):
                yield RawIssue(tok.idx, tok.idx + len(text), text, f"In British English this is spelt '{uk}'.",
                               "spelling", "dictionary.us_spelling", (_same_case(text, uk),))
            continue
        uk = words.us_to_uk(text)
        if uk is not None and not (text[:1].isupper() and tok.ent_type_ in _NAME_ENTS and not tok.is_sent_start):
            yield RawIssue(tok.idx, tok.idx + len(text), text, f"In British English this is spelt '{uk}'.",
                           "spelling", "dictionary.us_spelling", (uk,))
            continue
        if words.known(text) or any(s < tok.idx + len(text) and tok.idx < e for s, e in flagged):
            continue
        # unknown to the dictionary and not flagged by the backend: only a plain slip is reported
        if text[:1].isupper():
            continue  # a capitalised word harper accepts is a name (harper reports misspelt ones)
        candidates = [c for c in words.rank(text) if _close(text, c)]
        if candidates:
            yield RawIssue(tok.idx, tok.idx + len(text), text, "This word is not in the British English dictionary.",
                           "spelling", "dictionary.spelling", tuple(candidates[:3]))


def _cost_of(word: str, candidate: str) -> float:
    from .dictionary import _cost

    return _cost(word.lower(), candidate.lower())


def _close(word: str, candidate: str) -> bool:
    from .dictionary import _cost

    return _cost(word.lower(), candidate.lower()) <= 1.0


def _same_case(model: str, word: str) -> str:
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _layer(issue: RawIssue) -> int:
    return _PRIORITY.get(issue.rule.split(".", 1)[0], 2)


DEEP_SUGGESTIONS = 10  # unknown words a message that get hunspell's own (slow) suggestions


def merge(backend: list[RawIssue], mine: list[RawIssue], words: BritishDictionary | None,
          doc_text: str | None = None) -> list[RawIssue]:
    """One issue a span: overlapping issues are grouped and the most specific layer's is kept."""
    tidy, deep = [], 0
    for issue in backend:
        # hunspell's own suggestions take up to a second a word (spylls): the first few unknown
        # words of a message get them, the rest the dictionary's one-slip candidates only, so a
        # pasted wall of nonsense cannot hold a check for minutes
        tidy.append(_tidy(issue, words, deep=deep < DEEP_SUGGESTIONS))
        deep += issue.category == "spelling"
    issues = sorted([i for i in tidy if not _backend_false_alarm(i, words, doc_text)] + mine, key=lambda i: (i.start, i.end))
    groups: list[list[RawIssue]] = []
    for issue in issues:
        if groups and any(_overlap(issue, other) for other in groups[-1]):
            groups[-1].append(issue)
        else:
            groups.append([issue])
    out = []
    for group in groups:
        # a run-on's span takes in the words either side: any other issue there says more
        best = min(group, key=lambda i: (i.rule == "grammar.run_on", _layer(i), -(i.end - i.start)))
        if not best.suggestions:
            extra = next((i.suggestions for i in group if i.suggestions and (i.start, i.end) == (best.start, best.end)), ())
            best = RawIssue(best.start, best.end, best.text, best.message, best.category, best.rule, extra)
        out.append(best)
    return out


def _backend_false_alarm(issue: RawIssue, words: BritishDictionary | None, doc_text: str | None = None) -> bool:
    """What harper gets wrong on correct British text: a dictionary word called a misspelling or
    split in two ("overpayment" -> "over payment"), two words joined ("bank card" -> "bankcard"),
    acronyms expanded, hints on pronouns, and unknown capitalised names with no word near them."""
    text = issue.text.strip()
    if len(text) >= 2 and text.replace("-", "").isupper():
        return True
    if issue.category != "spelling" and (not issue.suggestions or issue.rule == "harper.Agreement"):
        return True  # a hint with no fix helps no one; agreement is the grammar layer's, which reads the parse
    if text.lower() in _PRONOUNS and issue.category != "spelling":
        return True
    if words is None:
        return False
    if issue.suggestions and all(s != text and s.replace(" ", "").replace("-", "").lower() == text.replace(" ", "").replace("-", "").lower()
                                 and s.lower() != text.lower() for s in issue.suggestions[:1]) \
            and all(words.known(p) for p in re.split(r"[\s-]+", text) if p):
        return True  # only joins or splits correct words
    if issue.category == "spelling" and _closed_compound(text, words):
        return True  # "smartcard", "webchat": two content words written as one, a spelling in use
    if doc_text is not None and text.lower() in ("a", "an") and "article" in issue.message \
            and _article_for_initialism(doc_text[issue.end:]) == text.lower():
        return True  # "an NtO", "an MOT", "an SMS": the letters are read by name, so the article was right
    if issue.category == "spelling" and len(text) <= 3 and issue.start > 0 and doc_text is not None \
            and (doc_text[issue.start - 1] == "-" or doc_text[issue.start - 1].isdigit()):
        return True  # "Add-ons", "size 10s", "3GB": the end of a longer word, not a word of its own
    if issue.category == "spelling" and re.fullmatch(r"[A-Za-z]+(?:['’]s)?", text):
        word = re.sub(r"['’]s$", "", text)
        if words.known(word) and words.us_to_uk(word) is None and (len(word) > 1 or word in ("a", "I")):
            return True  # a British word ("take a look" is as British as "have a look")
        if word[:1].isupper() and not any(_close(word, c) for c in words.rank(word, issue.suggestions)):
            return True  # an unknown name, not a slip
    return False


def _closed_compound(text: str, words: BritishDictionary) -> bool:
    """An unknown word made of two dictionary words of three letters or more, neither a little
    word such as "every", "each", "in", "as" or "you" ("everytime", "infact", "thankyou" stay errors),
    and no slip from a word the dictionary knows ("appologies" is "app" + "ologies" but a slip)."""
    low = text.lower()
    if not low.isalpha() or len(low) < 7 or words.known(low) or words.candidates(low):
        return False
    return any(words.known(low[:k]) and words.known(low[k:]) and low[:k] not in STOP_WORDS and low[k:] not in STOP_WORDS
               for k in range(3, len(low) - 2))


_LETTER_NAMED_WITH_A_VOWEL = set("AEFHILMNORSX")  # "an F", "an M", "an S"; "a U", "a B"


def _article_for_initialism(after: str) -> str | None:
    """'a' or 'an' before the word that follows, when it is an initialism read letter by letter
    (two capitals or more: "NtO", "MOT", "SMS"); None for anything else."""
    m = re.match(r"\s+([A-Za-z]{2,6})\b", after)
    if not m or sum(ch.isupper() for ch in m.group(1)) < 2 or not m.group(1)[0].isupper():
        return None
    return "an" if m.group(1)[0] in _LETTER_NAMED_WITH_A_VOWEL else "a"


def _overlap(a: RawIssue, b: RawIssue) -> bool:
    return a.start < b.end and b.start < a.end


def _tidy(issue: RawIssue, words: BritishDictionary | None, deep: bool = True) -> RawIssue:
    """A backend's issue in plain British English, with dictionary-ranked spelling suggestions."""
    message = _plain(issue.message, words)
    suggestions = issue.suggestions
    if issue.category == "spelling" and words is not None and re.fullmatch(r"[A-Za-z]+", issue.text):
        uk = words.us_to_uk(issue.text)
        if uk is not None:
            suggestions = (uk,)
            message = f"In British English this is spelt '{uk}'."
        elif not words.known(issue.text):
            suggestions = words.rank(issue.text, issue.suggestions, deep=deep)
            message = "This word is not in the British English dictionary."
    return RawIssue(issue.start, issue.end, issue.text, message, issue.category, issue.rule, tuple(suggestions))


def _plain(message: str, words: BritishDictionary | None) -> str:
    """No markup characters, and British spellings in the backend's own words."""
    text = message.replace("`", "'").replace("**", "").replace("*", "")
    if words is None:
        return text

    def fix(m: re.Match) -> str:
        uk = words.us_to_uk(m.group(0))
        return uk or m.group(0)

    return re.sub(r"[A-Za-z]{4,}", fix, text)


LAYERS = Layers()
