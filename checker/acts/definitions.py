"""Act definitions: one YAML file per act in ``checker/acts/defs/``, the one vocabulary every
rule names instead of repeating phrases.

An act file::

    act: identity_request          # equals the file stem
    speaker: agent                 # agent | customer
    description: one line
    position: any                  # any | opening (first two messages of the speaker) | closing (last two)
    mood: any                      # any | question | statement
    threshold: 0.5                 # optional: classifier probability at which the act fires
    meaning: true                  # false: recognised by the token patterns only
    needs: []                      # what the sentence must contain: verb (something is done),
                                   # when_or_reference (a time, a date, a duration or a reference),
                                   # new_data (no number or name in it only repeats the customer's),
                                   # old_data (every number, name and date in it was said before),
                                   # identifier (it names a postcode, an account number… from
                                   # lists/identifiers.txt; a name alone is none)
    examples: [...]                # sentences that carry the act (matched by meaning; run as tests)
    near_misses: [...]             # sentences that look like it and are not (run as tests)
    patterns: [[{token dict}, ...]]  # optional spaCy Matcher patterns for what is exact

A centre file may add examples and near-misses to an act (``acts: {name: {examples: [...],
near_misses: [...]}}``, see ``checker.rules.centre``): they join the act's own in the example
index (``checker.acts.meaning.ExampleIndex``) beside the shipped classifier, and ``rules check``
runs them as tests (``checker.acts.examples``).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

DEFS_DIR = Path(__file__).parent / "defs"
SPEAKERS = ("agent", "customer")
POSITIONS = ("any", "opening", "closing")
MOODS = ("any", "question", "statement")
NEEDS = ("verb", "when_or_reference", "new_data", "old_data", "identifier")
_KEYS = {"act", "speaker", "description", "position", "mood", "threshold", "meaning", "needs", "examples", "near_misses",
         "patterns"}
_TOKEN_KEYS = {"ORTH", "TEXT", "LOWER", "LEMMA", "POS", "TAG", "DEP", "SHAPE", "IS_ALPHA", "IS_DIGIT", "IS_PUNCT",
               "LIKE_NUM", "OP", "LENGTH", "IS_TITLE", "IS_UPPER", "MORPH", "NORM", "IS_SENT_START"}


# what a centre file may add to one act (``acts:`` in a centre file): sentences, bounded like the
# rest of a rule file so no file can make loading slow (each sentence is embedded once at load)
MAX_ADDED_PER_LIST = 100  # examples, and near-misses, per act per file
MAX_ADDED_TOTAL = 1_000  # sentences added to all acts by a rule set and the files it extends
MAX_SENTENCE_CHARS = 300  # the encoder reads the first 64 word pieces; a longer "sentence" is a paragraph


@dataclass(frozen=True)
class ActExamples:
    """Sentences a rule set adds to one act: ``examples`` it must recognise as the act,
    ``near_misses`` it must not. ``where``: the file (and line) they were written in."""

    examples: tuple[str, ...] = ()
    near_misses: tuple[str, ...] = ()
    where: str = field(default="", compare=False)

    def __bool__(self) -> bool:
        return bool(self.examples or self.near_misses)


class ActDefinitionError(ValueError):
    """An act file that cannot be used: names the file and the problem."""


@dataclass(frozen=True)
class ActDefinition:
    name: str
    speaker: str
    description: str
    position: str = "any"
    mood: str = "any"
    threshold: float | None = None  # None: the classifier's own, tuned when it was trained
    meaning: bool = True  # False: only the token patterns recognise it (exact items such as PIN or CVV)
    needs: tuple[str, ...] = ()  # structure the sentence must have (NEEDS), whatever recognised it
    examples: tuple[str, ...] = ()
    near_misses: tuple[str, ...] = ()
    patterns: tuple[tuple[dict, ...], ...] = ()
    path: str = field(default="", compare=False)

    def extended(self, examples: tuple[str, ...] = (), near_misses: tuple[str, ...] = ()) -> "ActDefinition":
        return replace(self, examples=self.examples + tuple(examples), near_misses=self.near_misses + tuple(near_misses))


def _str_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ActDefinitionError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _patterns(value: Any, where: str) -> tuple[tuple[dict, ...], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ActDefinitionError(f"{where}: 'patterns' must be a list of token patterns")
    out = []
    for i, pattern in enumerate(value):
        if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
            raise ActDefinitionError(f"{where}: patterns[{i}] must be a non-empty list of token dicts")
        for token in pattern:
            unknown = set(token) - _TOKEN_KEYS
            if unknown:
                raise ActDefinitionError(f"{where}: patterns[{i}] has unknown token key(s) {', '.join(sorted(unknown))}")
        out.append(tuple(pattern))
    return tuple(out)


def parse_definition(data: Any, where: str, stem: str | None = None) -> ActDefinition:
    if not isinstance(data, dict):
        raise ActDefinitionError(f"{where}: an act file is a mapping with 'act', 'speaker', 'examples'…")
    unknown = set(data) - _KEYS
    if unknown:
        key = sorted(unknown)[0]
        close = difflib.get_close_matches(key, sorted(_KEYS), n=1)
        raise ActDefinitionError(f"{where}: unknown key '{key}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
    name = data.get("act")
    if not isinstance(name, str) or not name:
        raise ActDefinitionError(f"{where}: 'act' (the act's name) is required")
    if stem is not None and name != stem:
        raise ActDefinitionError(f"{where}: 'act' is {name!r} but the file is {stem}.yml")
    speaker = data.get("speaker")
    if speaker not in SPEAKERS:
        raise ActDefinitionError(f"{where}: 'speaker' must be one of {', '.join(SPEAKERS)}")
    position = data.get("position", "any")
    if position not in POSITIONS:
        raise ActDefinitionError(f"{where}: 'position' must be one of {', '.join(POSITIONS)}")
    mood = data.get("mood", "any")
    if mood not in MOODS:
        raise ActDefinitionError(f"{where}: 'mood' must be one of {', '.join(MOODS)}")
    threshold = data.get("threshold")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float))
                                  or not 0.0 < float(threshold) < 1.0):
        raise ActDefinitionError(f"{where}: 'threshold' must be a number between 0 and 1")
    meaning = data.get("meaning", True)
    if not isinstance(meaning, bool):
        raise ActDefinitionError(f"{where}: 'meaning' must be true or false")
    needs = _str_list(data.get("needs"), "needs", where)
    unknown = [n for n in needs if n not in NEEDS]
    if unknown:
        raise ActDefinitionError(f"{where}: 'needs' may hold only {', '.join(NEEDS)} (not {unknown[0]!r})")
    examples = _str_list(data.get("examples"), "examples", where)
    patterns = _patterns(data.get("patterns"), where)
    if not examples and not patterns:
        raise ActDefinitionError(f"{where}: an act needs 'examples' or 'patterns'")
    return ActDefinition(
        name=name, speaker=speaker, description=str(data.get("description", "")), position=position, mood=mood,
        threshold=None if threshold is None else float(threshold), meaning=meaning, needs=needs, examples=examples, near_misses=_str_list(data.get("near_misses"), "near_misses", where),
        patterns=patterns, path=where,
    )


def load_definitions(folder: Path = DEFS_DIR) -> dict[str, ActDefinition]:
    """Every act in ``folder``, by name."""
    acts: dict[str, ActDefinition] = {}
    for path in sorted(folder.glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ActDefinitionError(f"{path.name}: not valid YAML ({exc.__class__.__name__})") from None
        definition = parse_definition(data, path.name, path.stem)
        acts[definition.name] = definition
    return acts


def act_speakers(folder: Path = DEFS_DIR) -> dict[str, str]:
    """Each act's speaker (agent or customer), read without compiling anything (for the rule
    loader's validation); an act file that cannot be read gives no speaker here (loading the
    definitions reports it)."""
    speakers = {}
    for path in sorted(folder.glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and data.get("speaker") in SPEAKERS:
            speakers[path.stem] = data["speaker"]
    return speakers


def act_names(folder: Path = DEFS_DIR) -> tuple[str, ...]:
    """The act vocabulary, without compiling anything (for the rule loader's validation)."""
    return tuple(sorted(p.stem for p in folder.glob("*.yml")))
