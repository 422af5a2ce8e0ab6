"""Strict loading of rule sets.

A rule set is a folder::

    ruleset.yml            name, version, description, pass_score
    criteria.yml           the rubric: id → title, weight, critical, partly_limit, default…
    canned_responses.yml   the centre's pre-written responses (optional)
    lists/*.txt            shared phrase lists (``phrases_from: lists/x.txt``) and accepted_words.txt
    <criterion>/<rule>.yml one rule a file; id = "<criterion>.<rule>"

or a single YAML file that ``extends`` another rule set (see ``checker.rules.centre``).

YAML is read with ``yaml.SafeLoader`` only. Any unknown key, wrong type, unknown criterion,
bad choice or bad pattern is an error naming the file, the line and the key; all errors of a
load are collected and reported together (``RuleSetError``).
"""
from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from .. import safe_yaml
from ..acts.definitions import ActExamples
from ..errors import RuleError
from ..model import STATUSES
from .base import RULE_TYPES, Rule, is_act_field, rule_fields
from . import types as _rule_types  # noqa: F401  (registers the rule types)
from .matching import compile_regex

RULES_DIR = Path(__file__).parent
BUNDLED = {"default": RULES_DIR / "default"}


class RuleSetError(RuleError):
    """One or more problems in rule files; ``errors`` lists each as a RuleError."""

    def __init__(self, errors: list[RuleError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors) if errors else "rule set error")

    def __str__(self) -> str:
        if len(self.errors) == 1:
            return str(self.errors[0])
        return f"{len(self.errors)} problems in the rule files:\n" + "\n".join(f"  {e}" for e in self.errors)


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    weight: float = 1.0
    critical: bool = False
    partly_limit: float | None = None  # weights of 'partly' findings above this → not met
    default: str = "met"  # status when no rule found anything
    description: str = ""
    why: str = ""
    met_message: str = ""
    suggestion: str = ""
    behavioural: bool = True


@dataclass(frozen=True)
class CannedResponse:
    id: str
    text: str


@dataclass
class RuleSet:
    name: str
    version: str
    description: str
    path: str
    criteria: dict[str, Criterion]
    rules: list[Rule]
    canned_responses: tuple[CannedResponse, ...] = ()
    accepted_words: frozenset[str] = frozenset()
    pass_score: float = 70.0
    extends: str | None = None
    # provenance, filled by centre files (``checker.rules.centre``): rule id, or "criterion:<id>",
    # → where it was defined and changed; disabled rule id → where it was disabled
    origins: dict[str, str] = field(default_factory=dict, repr=False)
    disabled: dict[str, str] = field(default_factory=dict, repr=False)
    # act name → examples and near-misses a centre file adds to the act (``acts:``); the
    # recogniser embeds them once per rule set (``Checker.ruleset``)
    act_examples: dict[str, ActExamples] = field(default_factory=dict)
    _compiled_for: Any = field(default=None, repr=False)

    def compile(self, nlp: Any) -> "RuleSet":
        """Build every rule's matchers against ``nlp``'s vocabulary (once per model)."""
        if self._compiled_for is not nlp:
            errors = []
            for rule in self.rules:
                try:
                    rule.compile(nlp)
                except RuleError as exc:
                    errors.append(exc)
            if errors:
                raise RuleSetError(errors)
            self._compiled_for = nlp
        return self

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


# ---------------------------------------------------------------- YAML with line numbers


def _read_text(path: Path) -> str:
    """A rule set file's text, or a RuleError naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RuleError("not UTF-8 text", source=str(path)) from None
    except OSError as exc:
        raise RuleError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None


def read_yaml(path: Path) -> tuple[Any, dict[str, int]]:
    """Parse ``path`` safely (numbers bounded, see ``checker.safe_yaml``); return the data and
    the line of each top-level key."""
    text = _read_text(path)
    try:
        node = safe_yaml.compose(text)
    except safe_yaml.YamlProblem as exc:
        raise RuleError(f"not valid YAML: {exc.problem}", source=str(path), line=exc.line) from None
    if node is None:
        return None, {}
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            lines[str(key_node.value)] = key_node.start_mark.line + 1
            if isinstance(value_node, yaml.MappingNode):
                for sub_key, _ in value_node.value:
                    lines[f"{key_node.value}.{sub_key.value}"] = sub_key.start_mark.line + 1
    try:  # e.g. a tag such as !!python/object, which the safe loader refuses, or a number too large
        data = safe_yaml.construct(text, node)
    except safe_yaml.YamlProblem as exc:
        raise RuleError(f"not valid YAML: {exc.problem}", source=str(path), line=exc.line) from None
    return data, lines


# ---------------------------------------------------------------- rules


def _check_value(kind: Any, value: Any) -> str | None:
    """None when ``value`` fits ``kind``, else what was expected."""
    if kind is str:
        return None if isinstance(value, str) else "text"
    if kind is bool:
        return None if isinstance(value, bool) else "true or false"
    if kind is int:
        return None if isinstance(value, int) and not isinstance(value, bool) else "a whole number"
    if kind is float:
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else "a number"
    if kind is dict:
        return None if isinstance(value, dict) else "a mapping"
    if kind == "str_list":
        return None if isinstance(value, list) and all(isinstance(v, str) for v in value) else "a list of text items"
    if kind == "swap_map":
        ok = isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
        return None if ok else "a mapping of text to text"
    if kind == "pattern_map":
        ok = isinstance(value, dict) and all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in value.values())
        return None if ok else "a mapping of names to lists of regular expressions"
    if kind == "token_patterns":
        ok = isinstance(value, list) and all(isinstance(p, list) and all(isinstance(t, dict) for t in p) for p in value)
        return None if ok else "a list of token patterns (each a list of mappings)"
    return None


REGEX_FIELDS_SUFFIX = ("patterns", "placeholders")
# Bounds on the numbers in rule files: every count and limit a rule has is far below these, and
# a weight above MAX_WEIGHT would drown every other rule (and a huge one overflows the score).
MAX_COUNT = 1_000_000
MAX_NUMBER = 1_000_000
MAX_WEIGHT = 100


def _range_problem(key: str, kind: Any, value: Any) -> str | None:
    """Numbers of the right type but no usable size (the YAML reader already refused non-finite ones)."""
    if kind is int and not 0 <= value <= MAX_COUNT:
        return f"key '{key}' must be a whole number from 0 to {MAX_COUNT:,}, not {value!r}"
    if kind is float and not (math.isfinite(value) and -MAX_NUMBER <= value <= MAX_NUMBER):
        return f"key '{key}' must be a number from {-MAX_NUMBER:,} to {MAX_NUMBER:,}, not {value!r}"
    if key.endswith("_confidence") and not 0 <= value <= 1:
        return f"key '{key}' must be a number from 0 to 1, not {value!r}"
    if key == "weight" and not 0 <= value <= MAX_WEIGHT:
        return f"key 'weight' must be a number from 0 to {MAX_WEIGHT}, not {value!r}"
    return None


def build_rule(data: Any, path: Path, lines: dict[str, int], criteria: dict[str, Criterion],
               lists_dir: Path, expected_id: str | None) -> Rule:
    src = str(path)
    errors: list[RuleError] = []
    if not isinstance(data, dict):
        raise RuleSetError([RuleError("a rule file must be a mapping of keys to values", source=src, line=1)])
    type_name = data.get("type")
    if type_name is None:
        raise RuleSetError([RuleError(f"missing key 'type' (one of: {', '.join(sorted(RULE_TYPES))})", source=src, line=1)])
    if not isinstance(type_name, str) or type_name not in RULE_TYPES:
        shown = repr(type_name)[:60] if isinstance(type_name, str) else f"(a {type(type_name).__name__}, not a name)"
        raise RuleSetError([RuleError(f"unknown rule type {shown} (expected one of: {', '.join(sorted(RULE_TYPES))})",
                                      source=src, line=lines.get("type"))])
    cls = RULE_TYPES[type_name]
    known = rule_fields(cls)
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        line = lines.get(str(key))
        if key == "type":
            continue
        if isinstance(key, str) and key.endswith("_from") and key[:-5] in known and known[key[:-5]].metadata.get("kind") == "str_list":
            files = [value] if isinstance(value, str) else value
            if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
                errors.append(RuleError(f"key '{key}' must be a file name or a list of file names", source=src, line=line))
                continue
            is_regex = any(key[:-5].endswith(s) for s in REGEX_FIELDS_SUFFIX)
            for name in files:
                list_path = (lists_dir.parent / name) if name.startswith("lists/") else lists_dir / name
                if not list_path.is_file():
                    errors.append(RuleError(f"key '{key}': no list file {name!r} (looked in {lists_dir})", source=src, line=line))
                    continue
                try:
                    entries = read_list(list_path)
                except RuleError as exc:
                    errors.append(exc)
                    continue
                if is_regex:
                    entries = [(number, expand_list_references(entry, lists_dir)) for number, entry in entries]
                for number, entry in entries if is_regex else ():
                    # a list of patterns is checked like patterns written in the rule, naming its own line
                    if isinstance(entry, RuleError):
                        errors.append(RuleError(f"{entry.message} (used by {src}, key '{key}')", source=str(list_path), line=number))
                        continue
                    problem = regex_problem(entry)
                    if problem:
                        errors.append(RuleError(f"bad regular expression {entry!r} (used by {src}, key '{key}'): {problem}",
                                                source=str(list_path), line=number))
                kwargs.setdefault(f"__extra_{key[:-5]}", []).extend(entry for _, entry in entries)
            continue
        if key not in known:
            close = [k for k in known if k.replace("_", "") == str(key).replace("_", "") or k.rstrip("s") == str(key).rstrip("s")]
            close = close or difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.75)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            errors.append(RuleError(f"unknown key '{key}' for a {type_name} rule{hint} (allowed: {', '.join(sorted(known))})",
                                    source=src, line=line))
            continue
        meta = known[key].metadata
        expected = _check_value(meta.get("kind"), value)
        if expected:
            errors.append(RuleError(f"key '{key}' must be {expected}, not {type(value).__name__}", source=src, line=line))
            continue
        out_of_range = _range_problem(str(key), meta.get("kind"), value)
        if out_of_range:
            errors.append(RuleError(out_of_range, source=src, line=line))
            continue
        choices = meta.get("choices")
        if choices and meta.get("kind") == "str_list":
            bad = [v for v in value if v not in choices]
            if bad:
                errors.append(RuleError(f"key '{key}': {bad[0]!r} is not one of {', '.join(c for c in choices if c)}", source=src, line=line))
                continue
        elif choices and value not in choices:
            errors.append(RuleError(f"key '{key}': {value!r} is not one of {', '.join(c for c in choices if c)}", source=src, line=line))
            continue
        if any(str(key).endswith(s) for s in REGEX_FIELDS_SUFFIX) and meta.get("kind") == "str_list":
            expanded = [expand_list_references(pattern, lists_dir) for pattern in value]
            for pattern, done in zip(value, expanded):
                problem = done.message if isinstance(done, RuleError) else regex_problem(done)
                if problem:
                    errors.append(RuleError(f"key '{key}': bad regular expression {pattern!r}: {problem}", source=src, line=line))
            value = [p for p in expanded if not isinstance(p, RuleError)]
        if is_act_field(str(key)) and meta.get("kind") == "str_list":
            from ..acts.definitions import act_names

            vocabulary = act_names()
            unknown_acts = [v for v in value if v not in vocabulary]
            if unknown_acts:
                close = difflib.get_close_matches(unknown_acts[0], vocabulary, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                errors.append(RuleError(f"key '{key}': unknown act {unknown_acts[0]!r}{hint} (acts are defined in checker/acts/defs)",
                                        source=src, line=line))
                continue
            speaker = meta.get("speaker")
            if speaker:
                from ..acts.definitions import act_speakers

                speakers = act_speakers()
                other = [v for v in value if speakers.get(v, speaker) != speaker]
                if other:
                    errors.append(RuleError(f"key '{key}': {other[0]!r} is an {speakers[other[0]]} act; this key takes "
                                            f"{speaker} acts only", source=src, line=line))
                    continue
        if meta.get("kind") == "pattern_map":
            value = {name: [expand_list_references(p, lists_dir) for p in pats] for name, pats in value.items()}
            for pats in value.values():
                for pattern in pats:
                    problem = pattern.message if isinstance(pattern, RuleError) else regex_problem(pattern)
                    if problem:
                        errors.append(RuleError(f"key '{key}': bad regular expression {pattern!r}: {problem}", source=src, line=line))
        kwargs[key] = tuple(value) if meta.get("kind") == "str_list" else (float(value) if meta.get("kind") is float else value)
    for name, f in known.items():
        if f.metadata.get("required") and name not in kwargs and f"__extra_{name}" not in kwargs:
            errors.append(RuleError(f"missing key '{name}' ({f.metadata.get('doc')})", source=src, line=1))
    for key in [k for k in kwargs if k.startswith("__extra_")]:
        target = key[len("__extra_"):]
        kwargs[target] = tuple(kwargs.get(target, ())) + tuple(kwargs.pop(key))
    for key in [k for k in kwargs if k in known]:
        needs = known[key].metadata.get("needs")
        if needs and not any(kwargs.get(k) for k in needs):
            wanted = " or ".join(filter(None, [", ".join(f"'{k}'" for k in needs[:-1]), f"'{needs[-1]}'"]))
            errors.append(RuleError(f"key '{key}' needs {wanted}: without it, it does nothing",
                                    source=src, line=lines.get(key)))
    rule_id = kwargs.get("id")
    if expected_id and rule_id and rule_id != expected_id:
        errors.append(RuleError(f"id {rule_id!r} does not match the file path (expected {expected_id!r})", source=src, line=lines.get("id")))
    criterion = kwargs.get("criterion")
    if criterion and criteria and criterion not in criteria:
        errors.append(RuleError(f"unknown criterion {criterion!r} (known: {', '.join(criteria)})", source=src, line=lines.get("criterion")))
    examples = kwargs.get("examples", {})
    if examples:
        for k, v in examples.items():
            if k not in ("bad", "good"):
                errors.append(RuleError(f"examples: unknown key '{k}' (allowed: bad, good)", source=src, line=lines.get(f"examples.{k}")))
            elif not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                errors.append(RuleError(f"examples: '{k}' must be a list of text items", source=src, line=lines.get(f"examples.{k}")))
    if errors:
        raise RuleSetError(errors)
    kwargs["path"] = src
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise RuleSetError([RuleError(str(exc), source=src, line=1)]) from None


LIST_REFERENCE = re.compile(r"\(\?list:([^)]*)\)")


def expand_list_references(pattern: str, lists_dir: Path) -> str | RuleError:
    """``pattern`` with each ``(?list:NAME)`` replaced by a group matching any entry of the list
    ``NAME`` (``lists/NAME.txt`` of the rule set, else the default rule set's shared lists, such as
    ``salutations`` and ``sign_offs``: see ``checker.vocabulary``); a RuleError saying what is
    wrong when a list is unknown or empty."""
    from ..vocabulary import LISTS_DIR, alternation

    problems: list[str] = []

    def group(m: re.Match) -> str:
        name = m.group(1).strip()
        for folder in (lists_dir, LISTS_DIR):
            path = folder / f"{name}.txt"
            if re.fullmatch(r"[a-z0-9_]+", name) and path.is_file():
                entries = [entry for _, entry in read_list(path)]
                if entries:
                    return alternation(entries)
                problems.append(f"the list {name!r} ({path}) is empty")
                return m.group(0)
        known = sorted({p.stem for folder in (lists_dir, LISTS_DIR) if folder.is_dir() for p in folder.glob("*.txt")})
        close = difflib.get_close_matches(name, known, n=1)
        problems.append(f"(?list:{name}) names no list" + (f"; did you mean '{close[0]}'?" if close else "")
                        + f" (lists: {', '.join(known)})")
        return m.group(0)

    expanded = LIST_REFERENCE.sub(group, pattern)
    return RuleError(problems[0]) if problems else expanded


def read_list(path: Path) -> list[tuple[int, str]]:
    """(line number, entry) for each entry of a ``lists/*.txt`` file: one a line, ``#`` for comments."""
    text = _read_text(path)
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        entry = raw.strip()
        if entry and not entry.startswith("#"):
            out.append((number, entry))
    return out


def regex_problem(pattern: str) -> str | None:
    """Why a tutor's regular expression is unsafe or broken, or None."""
    from .safety import regex_danger

    try:
        compile_regex(pattern)
    except Exception as exc:
        return str(exc)
    return regex_danger(pattern)


# ---------------------------------------------------------------- criteria, canned, rule sets


CRITERION_KEYS = {f.name for f in fields(Criterion)} - {"id"}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def criterion_number_problem(spec_: dict[str, Any]) -> str | None:
    """Why a criterion's weight or partly_limit is unusable, or None."""
    if "weight" in spec_ and not (_number(spec_["weight"]) and 0 <= spec_["weight"] <= MAX_WEIGHT):
        return f"key 'weight' must be a number from 0 to {MAX_WEIGHT}, not {spec_['weight']!r}"
    limit = spec_.get("partly_limit")
    if limit is not None and not (_number(limit) and 0 <= limit <= MAX_NUMBER):
        return f"key 'partly_limit' must be a number from 0 to {MAX_NUMBER:,} (or null), not {limit!r}"
    return None


def pass_score_problem(value: Any) -> str | None:
    if not (_number(value) and 0 <= value <= 100):
        return f"key 'pass_score' must be a number from 0 to 100, not {str(value)[:30]!r}"
    return None


def load_criteria(path: Path) -> dict[str, Criterion]:
    data, lines = read_yaml(path)
    src = str(path)
    if not isinstance(data, dict) or not isinstance(data.get("criteria"), dict):
        raise RuleSetError([RuleError("criteria.yml must have a 'criteria' mapping", source=src, line=1)])
    out: dict[str, Criterion] = {}
    errors: list[RuleError] = []
    for cid, spec_ in data["criteria"].items():
        line = lines.get(f"criteria.{cid}")
        if not isinstance(spec_, dict):
            errors.append(RuleError(f"criterion '{cid}' must be a mapping", source=src, line=line))
            continue
        unknown = set(spec_) - CRITERION_KEYS
        if unknown:
            errors.append(RuleError(f"criterion '{cid}': unknown key '{sorted(unknown)[0]}' (allowed: {', '.join(sorted(CRITERION_KEYS))})",
                                    source=src, line=line))
            continue
        if spec_.get("default", "met") not in STATUSES:
            errors.append(RuleError(f"criterion '{cid}': default must be one of {', '.join(STATUSES)}", source=src, line=line))
            continue
        if "title" not in spec_:
            errors.append(RuleError(f"criterion '{cid}': missing key 'title'", source=src, line=line))
            continue
        bad_number = criterion_number_problem(spec_)
        if bad_number:
            errors.append(RuleError(f"criterion '{cid}': {bad_number}", source=src, line=line))
            continue
        try:
            out[cid] = Criterion(id=cid, **spec_)
        except TypeError as exc:
            errors.append(RuleError(f"criterion '{cid}': {exc}", source=src, line=line))
    if errors:
        raise RuleSetError(errors)
    return out


def load_canned(path: Path) -> tuple[CannedResponse, ...]:
    if not path.is_file():
        return ()
    data, lines = read_yaml(path)
    src = str(path)
    if data is None:
        return ()
    if not isinstance(data, dict) or not isinstance(data.get("responses"), list):
        raise RuleSetError([RuleError("a canned responses file needs a 'responses' list of {id, text}", source=src, line=1)])
    out = []
    for k, item in enumerate(data["responses"], start=1):
        if not isinstance(item, dict) or set(item) != {"id", "text"} or not all(isinstance(v, str) for v in item.values()):
            raise RuleSetError([RuleError(f"response {k} must have exactly 'id' and 'text' (text values)", source=src, line=lines.get("responses"))])
        out.append(CannedResponse(item["id"], item["text"]))
    return tuple(out)


# (a folder rule set stands alone; inheritance is a centre file's "extends:", checker/rules/centre.py)
RULESET_KEYS = {"name", "version", "description", "pass_score"}


def load_ruleset_dir(folder: Path) -> RuleSet:
    folder = Path(folder)
    meta_path = folder / "ruleset.yml"
    meta: dict[str, Any] = {}
    if meta_path.is_file():
        meta, lines = read_yaml(meta_path)
        meta = meta or {}
        if not isinstance(meta, dict):
            raise RuleSetError([RuleError("ruleset.yml must be a mapping of keys to values", source=str(meta_path), line=1)])
        unknown = set(meta) - RULESET_KEYS
        if unknown:
            key = sorted(unknown)[0]
            raise RuleSetError([RuleError(f"unknown key '{key}' (allowed: {', '.join(sorted(RULESET_KEYS))})",
                                          source=str(meta_path), line=lines.get(key))])
        if "pass_score" in meta and pass_score_problem(meta["pass_score"]):
            raise RuleSetError([RuleError(pass_score_problem(meta["pass_score"]), source=str(meta_path),
                                          line=lines.get("pass_score"))])
    criteria = load_criteria(folder / "criteria.yml")
    errors: list[RuleError] = []
    rules: list[Rule] = []
    lists_dir = folder / "lists"
    for path in sorted(folder.glob("*/*.yml")):
        if path.parent.name == "lists":
            continue
        expected = f"{path.parent.name}.{path.stem}"
        try:
            data, lines = read_yaml(path)
            rules.append(build_rule(data, path, lines, criteria, lists_dir, expected))
        except RuleSetError as exc:
            errors.extend(exc.errors)
        except RuleError as exc:
            errors.append(exc)
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            errors.append(RuleError(f"duplicate rule id {rule.id!r} (also in {seen[rule.id]})", source=rule.path))
        seen[rule.id] = rule.path
    if errors:
        raise RuleSetError(errors)
    accepted = set()
    if (lists_dir / "accepted_words.txt").is_file():
        try:
            accepted = {w.lower() for _, w in read_list(lists_dir / "accepted_words.txt")}
        except RuleError as exc:
            raise RuleSetError([exc]) from None
    return RuleSet(
        name=str(meta.get("name", folder.name)), version=str(meta.get("version", "0")),
        description=str(meta.get("description", "")), path=str(folder), criteria=criteria, rules=rules,
        canned_responses=load_canned(folder / "canned_responses.yml"), accepted_words=frozenset(accepted),
        pass_score=float(meta.get("pass_score", 70)),
    )


def load_ruleset(name_or_path: str | Path = "default") -> RuleSet:
    """A bundled rule set by name, a rule set folder, or a centre file that extends one."""
    key = str(name_or_path)
    if key in BUNDLED:
        return load_ruleset_dir(BUNDLED[key])
    path = Path(key)
    if path.is_dir():
        return load_ruleset_dir(path)
    if path.is_file():
        from .centre import load_centre_file

        return load_centre_file(path)
    known = ", ".join(sorted(BUNDLED))
    raise RuleError(f"no rule set called {key!r}: give a bundled name ({known}), a rule set folder or a .yml file")


def try_load(name_or_path: str | Path = "default", nlp: Any = None) -> tuple[RuleSet | None, str | None]:
    """Load (and, given ``nlp``, compile) a rule set without raising: ``(ruleset, None)`` or
    ``(None, message)``. For servers and batch workers, where one broken rule set must not take
    anything else down; the message names the rule set and lists every problem found."""
    try:
        ruleset = load_ruleset(name_or_path)
        if nlp is not None:
            ruleset.compile(nlp)
        return ruleset, None
    except RuleError as exc:
        return None, f"rule set {str(name_or_path)!r} could not be loaded: {exc}"
    except Exception as exc:  # a bug must not take the caller down either; say what it was
        return None, f"rule set {str(name_or_path)!r} could not be loaded: unexpected {type(exc).__name__}: {exc}"
