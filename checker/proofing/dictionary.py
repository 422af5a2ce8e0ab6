"""The British dictionary layer: Debian's hunspell en-GB dictionary through spylls (pure Python).

- ``BritishDictionary.known(word)``: is the word British English? (cached lookups)
- ``us_to_uk(word)``: the British spelling of an American one ("color" -> "colour",
  "canceled" -> "cancelled", "organize" -> "organise"), found by spelling rules and kept only
  when the dictionary knows the result, so no list of words needs keeping.
- ``rank(word, offered)``: the suggestions for a misspelling in the order a learner needs them:
  the candidates other layers offered plus the dictionary words one edit away, ordered by a
  weighted edit distance in which the slips learners make (a doubled or dropped letter, a
  swapped vowel, a missing apostrophe, a silent letter) cost less than other edits, and
  splitting a word in two costs more.

The dictionary files come from Debian's ``hunspell-en-gb`` package (``make install`` installs it);
``REPLYCHECK_HUNSPELL_DIR`` points elsewhere.
"""
from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from pathlib import Path

HUNSPELL_DIRS = ("/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell")
INSTALL_HINT = "apt-get install hunspell-en-gb (make install does it)"

VOWELS = set("aeiouy")
_WORD = re.compile(r"^[A-Za-z][a-z]*$")


class DictionaryMissing(Exception):
    pass


def _find_files(language: str) -> Path:
    dirs = [os.environ["REPLYCHECK_HUNSPELL_DIR"]] if os.environ.get("REPLYCHECK_HUNSPELL_DIR") else list(HUNSPELL_DIRS)
    for folder in dirs:
        base = Path(folder) / language
        if base.with_suffix(".dic").is_file() and base.with_suffix(".aff").is_file():
            return base
    raise DictionaryMissing(f"the British dictionary ({language}.dic) is not installed; install it with: {INSTALL_HINT}")


class BritishDictionary:
    """One loaded en-GB dictionary (about 1.5 s to load, so once per process: ``british()``)."""

    def __init__(self, base: Path):
        import gc
        import warnings

        from spylls.hunspell import Dictionary

        # spylls leaves the .aff file for the garbage collector to close: close it here, quietly
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            self._dic = Dictionary.from_files(str(base))
            gc.collect()
        self.known = lru_cache(maxsize=65536)(self._known)
        self.known_as_written = lru_cache(maxsize=65536)(self._known_as_written)
        self.us_to_uk = lru_cache(maxsize=16384)(self._us_to_uk)
        self._suggest = lru_cache(maxsize=4096)(self._hunspell_suggest)
        self.rank = lru_cache(maxsize=16384)(self._rank)

    def _known(self, word: str) -> bool:
        """Known in any capitalisation the dictionary allows ("Invoice" at a sentence start)."""
        if word == "i":
            return False
        return self._dic.lookup(word)

    def _known_as_written(self, word: str) -> bool:
        """Known exactly as capitalised: "Aberdeen" yes, "Invoice" no (only "invoice" is)."""
        return self._dic.lookuper(word, capitalization=False)

    def _hunspell_suggest(self, word: str) -> tuple[str, ...]:
        out = []
        for s in self._dic.suggest(word):
            out.append(s)
            if len(out) >= 6:
                break
        return tuple(out)

    # -- American spellings ---------------------------------------------------------------

    def _us_to_uk(self, word: str) -> str | None:
        """The British form of an American spelling, or None. Tried only on words whose British
        form the dictionary knows; -ize words count too (Debian's en-GB accepts both, UK
        customer-service style uses -ise)."""
        lower = word.lower()
        if not _WORD.match(word) or len(lower) < 4:
            return None
        for uk in _uk_forms(lower):
            if uk != lower and self.known(uk) and (not self.known(lower) or _is_ize(lower, uk)):
                return _same_case(word, uk)
        return None

    # -- suggestions ----------------------------------------------------------------------

    def candidates(self, word: str) -> list[str]:
        """Dictionary words one learner's slip away from ``word``."""
        lower = word.lower()
        out = []
        for c in sorted(_edits(lower)):  # sorted: the same order in every process, whatever the hash seed
            if self.known(c):
                out.append(c)
            elif c[:1].isalpha() and self.known_as_written(c[:1].upper() + c[1:]):
                out.append(c[:1].upper() + c[1:])  # a name or a day: "Wednsday" -> "Wednesday"
        return out

    def _rank(self, word: str, offered: tuple[str, ...] = (), deep: bool = False) -> tuple[str, ...]:
        """Suggestions for the misspelt ``word``, best first (see the module docstring). With
        ``deep``, when nothing is one slip away, hunspell's own suggestions are asked for too
        (a fraction of a second a word, so only for words already reported)."""
        pool: dict[str, int] = {}
        for k, s in enumerate(offered):
            pool.setdefault(s, k)
        for s in self.candidates(word):
            pool.setdefault(s if s[:1].isupper() else _same_case(word, s), 100 + len(pool))
        best = min((_cost(word.lower(), s.lower()) for s in pool), default=9.0)
        if best > 1.0 and deep:
            for s in self._suggest(word):
                pool.setdefault(s, 200 + len(pool))
        def score(s: str) -> float:
            cost = _cost(word.lower(), s.lower()) + (0 if self.known(s) or " " in s else 2)
            if s[:1].isupper() and not word[:1].isupper() and s.lower() != word.lower():
                cost += 0.3  # a name offered for an ordinary word: "wich" is "which" before "Wych"
            return cost

        scored = sorted(pool, key=lambda s: (score(s), pool[s]))
        ranked = [s for s in scored if s.lower() != word.lower() or s != word]
        if not ranked:
            return ()
        top = _cost(word.lower(), ranked[0].lower())
        # only as good as the best: "definately" is offered "definitely", never also "defiantly"
        return tuple(s for s in ranked if _cost(word.lower(), s.lower()) <= top + 0.25)[:3]


_lock = threading.Lock()
_loaded: dict[str, BritishDictionary | DictionaryMissing] = {}


def british(language: str = "en_GB") -> BritishDictionary:
    """The process's dictionary, loaded on first use; raises ``DictionaryMissing`` with the fix."""
    with _lock:
        if language not in _loaded:
            try:
                _loaded[language] = BritishDictionary(_find_files(language))
            except DictionaryMissing as exc:
                _loaded[language] = exc
        found = _loaded[language]
    if isinstance(found, DictionaryMissing):
        raise found
    return found


# ---------------------------------------------------------------- spelling rules

_US_RULES = (
    # (pattern, replacement) on the lower-case word; each result is checked in the dictionary
    (r"yz(e|es|ed|ing|er|ers)$", r"ys\1"),                     # analyze -> analyse
    (r"iz(e|es|ed|ing|er|ers|ation|ations)$", r"is\1"),        # organize -> organise
    (r"([a-z])or(s|ed|ing|ite|ites|able|ful|less)?$", r"\1our\2"),  # color -> colour, favor -> favour
    (r"([^aeiou])er(s)?$", r"\1re\2"),                         # center -> centre, fiber -> fibre
    (r"og$", r"ogue"), (r"ogs$", r"ogues"),                   # catalog -> catalogue
    (r"([aeiou])l(ed|ing|er|ers)$", r"\1ll\2"),                 # canceled -> cancelled
    (r"ll(ment|ments)$", r"l\1"),                               # installment -> instalment
    (r"ill$", r"il"), (r"ills$", r"ils"),                       # fulfill -> fulfil
    (r"^pe", r"pae"), (r"^e(?=[sn])", r"ae"), (r"^ane", r"anae"),  # pediatric -> paediatric
    (r"elry$", r"ellery"),                                      # jewelry -> jewellery
    (r"ense$", r"ence"), (r"enses$", r"ences"),                 # defense -> defence (license: a verb too)
    (r"ment$", r"ement"),                                       # judgment -> judgement
    (r"old(s|y|ed|ing|er|ers)?$", r"ould\1"),                   # mold -> mould, smolder -> smoulder
)


def _uk_forms(lower: str) -> list[str]:
    out = []
    for pattern, repl in _US_RULES:
        if re.search(pattern, lower):
            out.append(re.sub(pattern, repl, lower, count=1))
    return out


def _is_ize(us: str, uk: str) -> bool:
    """An -ize/-yze word whose -ise/-yse form exists: both are in the dictionary, flag anyway."""
    # at least four letters before -ize: "organize" yes, "prize" and "seize" (other words) no
    return bool(re.search(r"^[a-z]{4,}[iy]z(e|es|ed|ing|er|ers|ation|ations)$", us)) and uk.replace("s", "z") == us.replace("s", "z")


def _same_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# ---------------------------------------------------------------- weighted edits

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edits(word: str) -> set[str]:
    """Every string one insertion, deletion, substitution or swap away (apostrophes included)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = set()
    for a, b in splits:
        if b:
            out.add(a + b[1:])
            for c in _LETTERS:
                out.add(a + c + b[1:])
        if len(b) > 1:
            out.add(a + b[1] + b[0] + b[2:])
        for c in _LETTERS + "'":
            out.add(a + c + b)
    out.discard(word)
    return out


def _sub_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if a in VOWELS and b in VOWELS:
        return 0.6
    if {a, b} == {"s", "z"}:
        return 0.6
    if {a, b} in ({"c", "s"}, {"c", "k"}):
        return 0.8
    return 1.0


def _indel_cost(word: str, i: int, ch: str) -> float:
    """Cost of inserting or deleting ``ch`` at position ``i`` of ``word`` (the longer string)."""
    if ch == "'":
        return 0.3
    if ch in " -":
        return 1.5
    if (i > 0 and word[i - 1] == ch) or (i + 1 < len(word) and word[i + 1] == ch):
        return 0.4  # a doubled or undoubled letter
    if ch == "h" and i > 0 and word[i - 1] in "wcgst":
        return 0.6  # a silent h: wich -> which
    if ch == "e":
        return 0.6  # a silent e: truely -> truly, noticable -> noticeable
    return 1.0


@lru_cache(maxsize=65536)
def _cost(a: str, b: str) -> float:
    """Weighted Damerau-Levenshtein distance from the written ``a`` to the candidate ``b``."""
    n, m = len(a), len(b)
    d = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        d[i][0] = d[i - 1][0] + _indel_cost(a, i - 1, a[i - 1])
    for j in range(1, m + 1):
        d[0][j] = d[0][j - 1] + _indel_cost(b, j - 1, b[j - 1])
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = min(
                d[i - 1][j] + _indel_cost(a, i - 1, a[i - 1]),
                d[i][j - 1] + _indel_cost(b, j - 1, b[j - 1]),
                d[i - 1][j - 1] + _sub_cost(a[i - 1], b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, d[i - 2][j - 2] + 0.6)
            d[i][j] = best
    return d[n][m]
