"""Centre rule sets: one small YAML file that ``extends`` another rule set and changes what a
centre needs, so tutors copy nothing.

::

    extends: default                 # a bundled name, or a centre file / rule-set folder (path)
    name: northfield_college
    version: "1.0"
    description: Northfield College contact-centre apprenticeship
    pass_score: 75
    criteria:                        # change a criterion: weight, critical, partly_limit, default, title…
      personalisation: {critical: true}
    disable: [tone.exclamations]     # drop rules by id
    rules:                           # change inherited rules by id
      tone.jargon:
        add_phrases: [FPS, F28]
        level: error
    new_rules:                       # whole new rules, exactly like a rule file
      - id: tone.company_policy
        type: phrase
        …
    accepted_words: [Brightwave, Fitzone]      # brand and product names both proofreaders accept
    accepted_words_from: brand_words.txt
    rejected_words: {"no problem at all": "you're very welcome"}   # → rule tone.rejected_words
    canned_responses: canned_responses.yml     # or an inline list of {id, text}
    replace_canned_responses: false            # true: drop the inherited canned responses
    acts:                                      # sentences added to a dialogue act (checker/acts/defs)
      escalation:
        examples: ["I've passed this to our Fleet desk, who will ring you by Friday."]
        near_misses: ["Our Fleet desk is open until six."]

Paths are relative to the centre file. ``extends`` chains may be as long as needed; a cycle is
an error. Everything is checked as strictly as rule files are: an unknown key, a wrong type, an
unknown criterion or rule id is an error naming the file, the line and the key, and every
error of a load is reported at once (``RuleSetError``).

Changing a rule (``rules: <id>: …``): any field of the rule's type except ``id``, ``type`` and
``criterion`` replaces the inherited value; for list fields (``phrases``, ``patterns``,
``exceptions``, ``when``, ``then``, ``then_partial``, ``first``, ``channels``… see
``override_keys``) ``add_<field>`` / ``remove_<field>`` (and ``add_<field>_from`` /
``<field>_from`` with list files) add to or take from the list; for mappings (a substitution
rule's ``swap``) ``add_swap`` / ``remove_swap``; ``add_examples: {bad: […], good: […]}`` adds
examples. The changed rule is rebuilt and validated exactly like a rule file.

``rejected_words`` becomes (or, when a parent centre already made one, extends) the
substitution rule ``tone.rejected_words`` (criterion ``tone``: the centre's house style), with a
generated bad and good example per word, so ``rules check`` proves each entry matches and that
the replacement is clean. Change its level, weight or message under ``rules:`` like any other.

``acts`` adds example sentences and near-misses to dialogue acts (an act's own are in
``checker/acts/defs/<act>.yml``): a sentence very close in meaning to an added example is
recognised as the act (unless it is closer to a near-miss), and ``rules check`` runs every act's
examples, its own and the added ones, as tests. They add to what a parent centre added.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import MISSING, replace
from pathlib import Path
from typing import Any

import yaml

from .. import safe_yaml
from ..acts.definitions import (MAX_ADDED_PER_LIST, MAX_ADDED_TOTAL, MAX_SENTENCE_CHARS, ActExamples,
                                load_definitions)
from ..errors import RuleError
from ..model import STATUSES
from .base import Rule, field_default, rule_fields
from .loader import (MAX_NUMBER, MAX_WEIGHT, BUNDLED, CRITERION_KEYS, CannedResponse, Criterion, RuleSet, RuleSetError, build_rule,
                     load_canned, load_ruleset_dir, read_yaml)

# key → what it is for (the tutor guide lists every one; a test keeps the two in step)
CENTRE_KEYS: dict[str, str] = {
    "extends": "the rule set this one builds on: a bundled name (default), or the path of a centre file or rule-set folder",
    "name": "a short name for reports (default: the file name)",
    "version": "your own version label, shown in reports",
    "description": "one or two sentences on who this rule set is for",
    "pass_score": "the weighted score (0-100) needed for 'Competent'",
    "criteria": "changes to criteria, by criterion id: weight, critical, partly_limit, default, title…",
    "disable": "rule ids to leave out",
    "rules": "changes to inherited rules, by rule id",
    "new_rules": "a list of whole new rules, written exactly like rule files",
    "accepted_words": "words both proofreaders accept (brand and product names)",
    "accepted_words_from": "a word-list file (or list of files), one word a line, # for comments",
    "rejected_words": "words or phrases your house style avoids, each with the replacement to suggest",
    "canned_responses": "your pre-written responses: a YAML file (responses: [{id, text}]) or an inline list",
    "replace_canned_responses": "true: use only your canned responses, not the inherited ones",
    "acts": "example sentences and near-misses added to dialogue acts, by act name",
}
ACT_KEYS = {"examples": "sentences that must be recognised as the act",
            "near_misses": "sentences that look like it and must not be"}

CRITERION_KINDS: dict[str, Any] = {
    "title": str, "description": str, "why": str, "met_message": str, "suggestion": str,
    "weight": float, "partly_limit": "optional_float", "critical": bool, "behavioural": bool, "default": "status",
}
assert set(CRITERION_KINDS) == CRITERION_KEYS, "keep CRITERION_KINDS in step with loader.Criterion"

FIXED_RULE_KEYS = ("id", "type", "criterion")
REJECTED_RULE_ID = "tone.rejected_words"
RULE_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$")


# ---------------------------------------------------------------- reading, with every key's line


def _key_lines(path: Path) -> tuple[dict[tuple, int], list[tuple[tuple, int, int]]]:
    """(key, key, index…) path → line, for every mapping key and list item in the file; and the
    keys written twice in one mapping (YAML would silently keep only the last)."""
    node = safe_yaml.compose(path.read_text(encoding="utf-8"))
    out: dict[tuple, int] = {}
    twice: list[tuple[tuple, int, int]] = []
    seen: set[int] = set()

    def walk(n: Any, at: tuple) -> None:
        if id(n) in seen:  # an alias (*name) points at a node already walked: never walk it twice
            return
        seen.add(id(n))
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                key = (at + (k.value,))
                if key in out:
                    twice.append((key, out[key], k.start_mark.line + 1))
                out[key] = k.start_mark.line + 1
                walk(v, key)
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                out[at + (i,)] = v.start_mark.line + 1
                walk(v, at + (i,))

    walk(node, ())
    return out, twice


def show_path(path: str | Path) -> str:
    """A path as a tutor would type it: relative to the working folder when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


def _close(word: str, options: Any) -> str:
    found = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f"; did you mean '{found[0]}'?" if found else ""


def _brief(value: Any) -> str:
    """A value for an error message: short, and never the repr of a (possibly huge) structure."""
    if isinstance(value, (list, dict)):
        return _type_name(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _type_name(value: Any) -> str:
    if isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
        return "a list holding something other than text"
    return {str: "text", bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a mapping",
            type(None): "nothing"}.get(type(value), type(value).__name__)


class _Errors:
    def __init__(self, path: Path, lines: dict[tuple, int]):
        self.src = str(path)
        self.lines = lines
        self.items: list[RuleError] = []

    def line(self, at: tuple) -> int | None:
        while at:
            if at in self.lines:
                return self.lines[at]
            at = at[:-1]
        return None

    def add(self, message: str, at: tuple = ()) -> None:
        self.items.append(RuleError(message, source=self.src, line=self.line(at)))

    def extend(self, errors: list[RuleError], prefix: str = "") -> None:
        for e in errors:
            self.items.append(RuleError(prefix + e.message, source=e.source, line=e.line) if prefix else e)


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _files(value: Any, centre: Path, key: str, at: tuple, errors: _Errors) -> list[Path]:
    """A file name or list of names, relative to the centre file (``lists/NAME.txt`` not found
    there is the default rule set's shared list, e.g. ``lists/sign_offs.txt``); missing files are
    errors."""
    from ..vocabulary import LISTS_DIR

    names = [value] if isinstance(value, str) else value
    if not _str_list(names) or not names:
        errors.add(f"key '{key}' must be a file name or a list of file names, not {_type_name(value)}", at)
        return []
    out = []
    for name in names:
        p = Path(name) if Path(name).is_absolute() else centre.parent / name
        if not p.is_file() and name.startswith("lists/") and (LISTS_DIR / name[len("lists/"):]).is_file():
            p = LISTS_DIR / name[len("lists/"):]
        if not p.is_file():
            errors.add(f"key '{key}': no file {name!r} (looked for {p})", at)
            continue
        out.append(p.resolve())
    return out


def _read_list(path: Path, errors: _Errors, at: tuple) -> list[str]:
    from ..proofing import load_word_list

    try:
        return load_word_list(path)
    except (OSError, UnicodeDecodeError) as exc:
        errors.add(f"cannot read {path}: {exc}", at)
        return []


# ---------------------------------------------------------------- rule overrides


def override_keys(cls: type[Rule]) -> dict[str, tuple[str, str]]:
    """Keys allowed when changing a rule of type ``cls``: key → (action, field)."""
    keys: dict[str, tuple[str, str]] = {}
    for name, f in rule_fields(cls).items():
        if name in FIXED_RULE_KEYS:
            continue
        kind = f.metadata.get("kind")
        keys[name] = ("replace", name)
        if kind == "str_list":
            keys[f"{name}_from"] = ("replace_from", name)
            keys[f"add_{name}"] = ("add", name)
            keys[f"add_{name}_from"] = ("add_from", name)
            keys[f"remove_{name}"] = ("remove", name)
        elif kind == "swap_map":
            keys[f"add_{name}"] = ("add_map", name)
            keys[f"remove_{name}"] = ("remove_map", name)
        elif name == "examples":
            keys["add_examples"] = ("add_examples", name)
    return keys


def list_fields(cls: type[Rule]) -> list[str]:
    """The list fields of a rule type that ``add_<field>`` / ``remove_<field>`` work on."""
    return [name for action, name in override_keys(cls).values() if action == "add"]


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def rule_data(rule: Rule, full: bool = False) -> dict[str, Any]:
    """The rule as the mapping a rule file would hold (fields left at their default omitted,
    unless ``full``)."""
    data: dict[str, Any] = {"id": rule.id, "type": rule.type_name}
    for name, f in rule_fields(type(rule)).items():
        value = getattr(rule, name)
        default = field_default(f)
        if name != "id" and (full or default is MISSING or value != default):
            data[name] = _plain(value)
    return data


_ORDER = {"replace": 0, "replace_from": 0, "add": 1, "add_from": 1, "remove": 2, "add_map": 1, "remove_map": 2, "add_examples": 1}


def _override(rule: Rule, changes: Any, centre: Path, at: tuple, errors: _Errors,
              criteria: dict[str, Criterion]) -> Rule | None:
    rid = rule.id
    if not isinstance(changes, dict) or not changes:
        errors.add(f"rules → {rid}: give a mapping of the fields to change, e.g. level: error", at)
        return None
    cls = type(rule)
    allowed = override_keys(cls)
    data = rule_data(rule)
    lines: dict[str, int] = {}
    before = len(errors.items)
    for key in sorted(changes, key=lambda k: _ORDER.get(allowed.get(k, ("replace", ""))[0], 0)):
        value = changes[key]
        here = at + (key,)
        if key in FIXED_RULE_KEYS:
            errors.add(f"rules → {rid}: '{key}' cannot be changed; to replace the rule, put its id under "
                       f"disable: and add your own rule under new_rules:", here)
            continue
        if key not in allowed:
            lists = ", ".join(list_fields(cls)) or "none"
            errors.add(f"rules → {rid}: unknown key '{key}' for a {rule.type_name} rule{_close(key, allowed)} "
                       f"(allowed: any field of the rule except id, type and criterion; add_/remove_ for its lists: {lists})", here)
            continue
        action, name = allowed[key]
        lines[name] = errors.line(here) or 0
        current = data.get(name, _plain(field_default(rule_fields(cls)[name])))
        if action == "replace":
            data[name] = value
        elif action in ("replace_from", "add_from"):
            words = [w for p in _files(value, centre, key, here, errors) for w in _read_list(p, errors, here)]
            data[name] = words if action == "replace_from" else current + [w for w in words if w not in current]
        elif action == "add":
            if not _str_list(value):
                errors.add(f"rules → {rid}: key '{key}' must be a list of text items, not {_type_name(value)}", here)
                continue
            data[name] = list(current) + [v for v in value if v not in current]
        elif action == "remove":
            if not _str_list(value):
                errors.add(f"rules → {rid}: key '{key}' must be a list of text items, not {_type_name(value)}", here)
                continue
            have = {c.lower() for c in current}
            missing = [v for v in value if v.lower() not in have]
            for v in missing:
                errors.add(f"rules → {rid}: {key}: {v!r} is not one of the rule's {name}{_close(v, current)}", here)
            drop = {v.lower() for v in value}
            data[name] = [c for c in current if c.lower() not in drop]
        elif action == "add_map":
            if not (isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())):
                errors.add(f"rules → {rid}: key '{key}' must be a mapping of text to text, not {_type_name(value)}", here)
                continue
            data[name] = {**current, **value}
        elif action == "remove_map":
            if not _str_list(value):
                errors.add(f"rules → {rid}: key '{key}' must be a list of the entries to remove, not {_type_name(value)}", here)
                continue
            keys_lower = {k.lower(): k for k in current}
            for v in value:
                if v.lower() not in keys_lower:
                    errors.add(f"rules → {rid}: {key}: {v!r} is not one of the rule's {name}{_close(v, current)}", here)
            drop = {v.lower() for v in value}
            data[name] = {k: v for k, v in current.items() if k.lower() not in drop}
        elif action == "add_examples":
            if not isinstance(value, dict) or not set(value) <= {"bad", "good"} or not all(_str_list(v) for v in value.values()):
                errors.add(f"rules → {rid}: add_examples must be a mapping with 'bad' and/or 'good' lists of examples", here)
                continue
            merged = {k: list(v) for k, v in current.items()}
            for kind, items in value.items():
                merged[kind] = merged.get(kind, []) + list(items)
            data[name] = merged
    if len(errors.items) > before:
        return None
    try:
        built = build_rule(data, centre, lines, criteria, centre.parent, expected_id=None)
    except RuleSetError as exc:
        errors.extend(exc.errors, prefix=f"rules → {rid}: ")
        return None
    # keep pointing at the inherited file, unless the token patterns (checked only when compiled) are the centre's
    return replace(built, path=str(centre) if rule.type_name == "pattern" and "patterns" in lines else rule.path)


# ---------------------------------------------------------------- new rules


def _new_rule(item: Any, centre: Path, at: tuple, errors: _Errors, criteria: dict[str, Criterion]) -> Rule | None:
    if not isinstance(item, dict):
        errors.add(f"new_rules: item {at[-1] + 1} must be a mapping (a whole rule, as in a rule file), not {_type_name(item)}", at)
        return None
    rid = item.get("id")
    label = f"new_rules → {rid}" if isinstance(rid, str) else f"new_rules: item {at[-1] + 1}"
    before = len(errors.items)
    data = dict(item)
    if "id" in item and not isinstance(rid, str):
        errors.add(f"{label}: key 'id' must be text (criterion.rule_name, e.g. tone.house_style)", at + ("id",))
    elif not isinstance(rid, str):
        errors.add(f"{label}: missing key 'id' (criterion.rule_name, e.g. tone.house_style)", at)
    elif not RULE_ID.match(rid):
        errors.add(f"{label}: id must be <criterion>.<rule_name> in lower case with underscores, e.g. tone.house_style", at + ("id",))
    elif isinstance(item.get("criterion"), str) and item["criterion"] in criteria and rid.split(".")[0] != item["criterion"]:
        errors.add(f"{label}: the id must start with its criterion: '{item['criterion']}.{rid.split('.', 1)[1]}'", at + ("id",))
    for key, value in item.items():
        if isinstance(key, str) and key.endswith("_from"):
            paths = _files(value, centre, key, at + (key,), errors)
            data[key] = [str(p) for p in paths]
    if len(errors.items) > before:
        return None
    lines = {str(k[len(at)]) if len(k) == len(at) + 1 else f"{k[len(at)]}.{k[len(at) + 1]}": v
             for k, v in errors.lines.items() if k[:len(at)] == at and len(k) in (len(at) + 1, len(at) + 2)}
    try:
        return build_rule(data, centre, lines, criteria, centre.parent, expected_id=None)
    except RuleSetError as exc:
        errors.extend(exc.errors, prefix=f"{label}: ")
        return None


# ---------------------------------------------------------------- rejected words


def _rejected_rule(words: dict[str, str], centre: Path, at: tuple, errors: _Errors, criteria: dict[str, Criterion],
                   existing: Rule | None) -> Rule | None:
    if existing is not None:
        if existing.type_name != "substitution":
            errors.add(f"rejected_words: the inherited rule {existing.id} is a {existing.type_name} rule, not a substitution rule", at)
            return None
        return _override(existing, {"add_swap": words, "add_examples": _rejected_examples(words)}, centre, at, errors, criteria)
    data = {
        "id": REJECTED_RULE_ID, "type": "substitution", "criterion": "tone", "level": "warning",
        "message": "'{match}' is not in your centre's house style.",
        "why": "Your centre has chosen words that suit its customers and its brand.",
        "suggestion": "Write '{better}' instead.",
        "source": f"Centre house style ({centre.name}: rejected_words)",
        "swap": dict(words), "examples": _rejected_examples(words),
    }
    try:
        return build_rule(data, centre, {"swap": errors.line(at) or 0}, criteria, centre.parent, expected_id=None)
    except RuleSetError as exc:
        errors.extend(exc.errors, prefix="rejected_words: ")
        return None


def _rejected_examples(words: dict[str, str]) -> dict[str, list[str]]:
    """One bad example per word (the word itself, marked) and its replacement as a good one."""
    return {"bad": [f"[[{w}]]" for w in words], "good": [b for b in words.values() if b.strip()]}


# ---------------------------------------------------------------- the centre file


def load_centre_file(path: str | Path) -> RuleSet:
    """Load a centre rule set: its base (recursively), then its changes."""
    return _load(Path(path), ())


def _load(path: Path, chain: tuple[Path, ...]) -> RuleSet:
    data, _ = read_yaml(path)
    try:
        lines, twice = _key_lines(path)
    except (yaml.YAMLError, safe_yaml.YamlProblem):  # read_yaml already parsed it; belt and braces
        lines, twice = {}, []
    errors = _Errors(path, lines)
    for key, first, second in twice:
        errors.items.append(RuleError(f"key '{' → '.join(map(str, key))}' is written twice (lines {first} and {second}); "
                                      f"YAML keeps only the last, so merge the two", source=str(path), line=second))
    if not isinstance(data, dict):
        raise RuleSetError([RuleError("a centre rule set must be a mapping of keys to values, starting with 'extends: default'",
                                      source=str(path), line=1)])
    for key in data:
        if key not in CENTRE_KEYS:
            errors.add(f"unknown key '{key}'{_close(key, CENTRE_KEYS)} (allowed: {', '.join(CENTRE_KEYS)})", (key,))

    base = _base(data, path, chain, errors)
    if base is None:
        raise RuleSetError(errors.items)
    centre_name = show_path(path)
    origins = dict(base.origins)
    for rule in base.rules:
        origins.setdefault(rule.id, f"defined in {show_path(rule.path)}")
    disabled = dict(base.disabled)

    # -- criteria
    criteria = dict(base.criteria)
    changes = data.get("criteria", {})
    if changes is None:
        changes = {}
    if not isinstance(changes, dict):
        errors.add(f"key 'criteria' must be a mapping of criterion ids to changes, not {_type_name(changes)}", ("criteria",))
        changes = {}
    for cid, change in changes.items():
        at = ("criteria", cid)
        if cid not in criteria:
            errors.add(f"criteria: unknown criterion '{cid}'{_close(cid, criteria)} (known: {', '.join(criteria)})", at)
            continue
        new = _criterion_change(criteria[cid], change, at, errors)
        if new is not None:
            criteria[cid] = new
            origins[f"criterion:{cid}"] = _joined(origins.get(f"criterion:{cid}"),
                                                  f"changed in {centre_name}:{errors.line(at)} ({', '.join(change)})")

    # -- disable
    rules = list(base.rules)
    ids = [r.id for r in rules]
    off = data.get("disable", [])
    if off is None:
        off = []
    if not _str_list(off):
        errors.add(f"key 'disable' must be a list of rule ids, not {_type_name(off)}", ("disable",))
        off = []
    for i, rid in enumerate(off):
        if rid not in ids:
            errors.add(f"disable: unknown rule id '{rid}'{_close(rid, ids)}", ("disable", i))
            continue
        disabled[rid] = f"{centre_name}:{errors.line(('disable', i))}"
    rules = [r for r in rules if r.id not in off]
    for rid in off:
        origins.pop(rid, None)

    # -- rejected words → tone.rejected_words
    rejected = data.get("rejected_words")
    if rejected is not None:
        at = ("rejected_words",)
        if not isinstance(rejected, dict) or not rejected or not all(
                isinstance(k, str) and k.strip() and isinstance(v, str) for k, v in rejected.items()):
            errors.add("key 'rejected_words' must be a mapping of each word or phrase to its replacement, "
                       "e.g. {\"no worries\": \"you're welcome\"}", at)
        elif "tone" not in criteria:
            errors.add("rejected_words needs the criterion 'tone', which this rule set does not have", at)
        else:
            existing = next((r for r in rules if r.id == REJECTED_RULE_ID), None)
            built = _rejected_rule(rejected, path, at, errors, criteria, existing)
            if built is not None:
                where = f"{centre_name}:{errors.line(at)}"
                if existing is None:
                    rules.append(built)
                    origins[built.id] = f"made from rejected_words in {where}"
                else:
                    rules[rules.index(existing)] = built
                    origins[built.id] = _joined(origins.get(built.id), f"rejected_words added in {where}")

    # -- changes to inherited rules
    changed = data.get("rules", {})
    if changed is None:
        changed = {}
    if not isinstance(changed, dict):
        errors.add(f"key 'rules' must be a mapping of rule ids to changes, not {_type_name(changed)}", ("rules",))
        changed = {}
    by_id = {r.id: r for r in rules}
    for rid, change in changed.items():
        at = ("rules", rid)
        if rid in off:
            errors.add(f"rules: '{rid}' is also under disable:; change it or disable it, not both", at)
            continue
        if rid not in by_id:
            hint = _close(rid, by_id)
            errors.add(f"rules: unknown rule id '{rid}'{hint} (to add a rule of your own, put it under new_rules:)", at)
            continue
        new = _override(by_id[rid], change, path, at, errors, criteria)
        if new is not None:
            rules[rules.index(by_id[rid])] = new
            by_id[rid] = new
            keys = ", ".join(change) if isinstance(change, dict) else ""
            origins[rid] = _joined(origins.get(rid), f"changed in {centre_name}:{errors.line(at)} ({keys})")

    # -- new rules
    new_rules = data.get("new_rules", [])
    if new_rules is None:
        new_rules = []
    if not isinstance(new_rules, list):
        errors.add(f"key 'new_rules' must be a list of rules (each starting '- id: …'), not {_type_name(new_rules)}", ("new_rules",))
        new_rules = []
    for i, item in enumerate(new_rules):
        at = ("new_rules", i)
        rule = _new_rule(item, path, at, errors, criteria)
        if rule is None:
            continue
        if rule.id in by_id:
            where = origins.get(rule.id, "the rule set it extends")
            errors.add(f"new_rules → {rule.id}: a rule with this id already exists ({where}); choose another id, "
                       f"or change that rule under rules:", at + ("id",))
            continue
        rules.append(rule)
        by_id[rule.id] = rule
        origins[rule.id] = f"new in {centre_name}:{errors.line(at)}"

    # -- word lists
    accepted = set(base.accepted_words)
    words: list[str] = []
    if "accepted_words" in data:
        value = data["accepted_words"]
        if not _str_list(value):
            errors.add(f"key 'accepted_words' must be a list of words, not {_type_name(value)}", ("accepted_words",))
        else:
            words += value
    if "accepted_words_from" in data:
        for p in _files(data["accepted_words_from"], path, "accepted_words_from", ("accepted_words_from",), errors):
            words += _read_list(p, errors, ("accepted_words_from",))
    for w in words:
        w = w.strip().lower()
        if w:
            accepted.add(w)
            # proofreaders check word by word: "Fitzone Gold" and "add-ons" also accept their parts
            accepted.update(part.strip(".,'’") for part in re.split(r"[\s\-‐–]+", w) if part.strip(".,'’"))

    # -- canned responses
    canned = _canned(data, path, base, errors)

    # -- act examples
    act_examples = _act_examples(data, path, base, errors)
    for name, extra in act_examples.items():
        if extra != base.act_examples.get(name):
            origins[f"act:{name}"] = _joined(origins.get(f"act:{name}"),
                                             f"examples added in {centre_name}:{errors.line(('acts', name))}")

    # -- header
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not name.strip():
        errors.add("key 'name' must be text", ("name",))
        name = path.stem
    version = data.get("version", "1")
    if not isinstance(version, (str, int, float)) or isinstance(version, bool):
        errors.add("key 'version' must be text, e.g. \"1.0\"", ("version",))
        version = "1"
    description = data.get("description", "")
    if not isinstance(description, str):
        errors.add("key 'description' must be text", ("description",))
        description = ""
    pass_score = data.get("pass_score", base.pass_score)
    if not isinstance(pass_score, (int, float)) or isinstance(pass_score, bool) or not 0 <= pass_score <= 100:
        errors.add(f"key 'pass_score' must be a number from 0 to 100, not {_brief(pass_score)}", ("pass_score",))
        pass_score = base.pass_score

    if errors.items:
        raise RuleSetError(_in_file_order(errors.items, path))
    return RuleSet(
        name=name.strip(), version=str(version), description=description.strip(), path=str(path), criteria=criteria,
        rules=rules, canned_responses=canned, accepted_words=frozenset(accepted), pass_score=float(pass_score),
        extends=str(data["extends"]), origins=origins, disabled=disabled, act_examples=act_examples,
    )


def _in_file_order(errors: list[RuleError], path: Path) -> list[RuleError]:
    """Problems of the files this one extends first, then this file's, by line."""
    here = [e for e in errors if e.source == str(path)]
    return [e for e in errors if e.source != str(path)] + sorted(here, key=lambda e: e.line or 0)


def _joined(before: str | None, now: str) -> str:
    return f"{before}; {now}" if before else now


def _base(data: dict, path: Path, chain: tuple[Path, ...], errors: _Errors) -> RuleSet | None:
    here = path.resolve()
    if "extends" not in data:
        errors.add("missing key 'extends': the rule set this one builds on, e.g. 'extends: default'", ())
        return None
    value = data["extends"]
    if not isinstance(value, str) or not value.strip():
        errors.add(f"key 'extends' must be a rule set name ({', '.join(BUNDLED)}) or a path, not {_type_name(value)}", ("extends",))
        return None
    if value in BUNDLED:
        return load_ruleset_dir(BUNDLED[value])
    target = Path(value) if Path(value).is_absolute() else path.parent / value
    if not target.exists() and not target.suffix and target.with_suffix(".yml").is_file():
        target = target.with_suffix(".yml")
    if target.is_dir():
        return load_ruleset_dir(target)
    if not target.is_file():
        errors.add(f"extends: no rule set called {value!r} (give a bundled name: {', '.join(BUNDLED)}; or the path of a "
                   f"centre file or rule-set folder, relative to this file; looked for {target})", ("extends",))
        return None
    target = target.resolve()
    seen = chain + (here,)
    if target in seen:
        loop = " → ".join(show_path(p) for p in seen[seen.index(target):] + (target,))
        errors.add(f"extends goes round in a circle: {loop}", ("extends",))
        return None
    try:
        return _load(target, seen)
    except RuleSetError as exc:
        errors.extend(exc.errors)
    except RuleError as exc:
        errors.extend([exc])
    errors.add(f"extends: the rule set {value!r} has the problems listed above", ("extends",))
    return None


def _criterion_change(criterion: Criterion, change: Any, at: tuple, errors: _Errors) -> Criterion | None:
    cid = criterion.id
    if not isinstance(change, dict) or not change:
        errors.add(f"criteria → {cid}: give a mapping of what to change, e.g. critical: true", at)
        return None
    values: dict[str, Any] = {}
    for key, value in change.items():
        here = at + (key,)
        kind = CRITERION_KINDS.get(key)
        if kind is None:
            errors.add(f"criteria → {cid}: unknown key '{key}'{_close(key, CRITERION_KINDS)} "
                       f"(allowed: {', '.join(sorted(CRITERION_KINDS))})", here)
            continue
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if kind is str and not isinstance(value, str):
            errors.add(f"criteria → {cid}: key '{key}' must be text, not {_type_name(value)}", here)
        elif kind is bool and not isinstance(value, bool):
            errors.add(f"criteria → {cid}: key '{key}' must be true or false, not {_brief(value)}", here)
        elif kind is float and not (number and 0 <= value <= MAX_WEIGHT):
            errors.add(f"criteria → {cid}: key '{key}' must be a number from 0 to {MAX_WEIGHT}, not {_brief(value)}", here)
        elif kind == "optional_float" and not (value is None or number and 0 <= value <= MAX_NUMBER):
            errors.add(f"criteria → {cid}: key '{key}' must be a number from 0 to {MAX_NUMBER:,}, or null for no limit, "
                       f"not {_brief(value)}", here)
        elif kind == "status" and value not in STATUSES:
            errors.add(f"criteria → {cid}: key '{key}': {_brief(value)} is not one of {', '.join(STATUSES)}", here)
        else:
            values[key] = float(value) if kind in (float, "optional_float") and value is not None else value
    if len(values) != len(change):
        return None
    return replace(criterion, **values)


def _canned(data: dict, path: Path, base: RuleSet, errors: _Errors) -> tuple[CannedResponse, ...]:
    replace_all = data.get("replace_canned_responses", False)
    if not isinstance(replace_all, bool):
        errors.add(f"key 'replace_canned_responses' must be true or false, not {_brief(replace_all)}", ("replace_canned_responses",))
        replace_all = False
    value = data.get("canned_responses")
    mine: list[CannedResponse] = []
    at = ("canned_responses",)
    if value is None:
        if replace_all:
            errors.add("replace_canned_responses: true needs canned_responses: (a file or a list)", ("replace_canned_responses",))
    elif isinstance(value, str):
        for p in _files(value, path, "canned_responses", at, errors):
            try:
                mine = list(load_canned(p))
            except RuleSetError as exc:
                errors.extend(exc.errors)
            except RuleError as exc:
                errors.extend([exc])
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if not isinstance(item, dict) or set(item) != {"id", "text"} or not all(isinstance(v, str) and v.strip() for v in item.values()):
                errors.add(f"canned_responses: response {i + 1} must have exactly 'id' and 'text', both text", at + (i,))
                continue
            mine.append(CannedResponse(item["id"], item["text"]))
    else:
        errors.add(f"key 'canned_responses' must be a file name or a list of {{id, text}}, not {_type_name(value)}", at)
    seen: set[str] = set()
    for c in mine:
        if c.id in seen:
            errors.add(f"canned_responses: the id '{c.id}' is used twice", at)
        seen.add(c.id)
    inherited = [] if replace_all else [c for c in base.canned_responses if c.id not in seen]
    return tuple(inherited + mine)


# ---------------------------------------------------------------- act examples


def _act_examples(data: dict, path: Path, base: RuleSet, errors: _Errors) -> dict[str, ActExamples]:
    """The base's act examples plus this file's ``acts:`` (each act's examples and near-misses,
    validated: a known act that is recognised by meaning, lists of sentences, bounded)."""
    merged = dict(base.act_examples)
    value = data.get("acts")
    if value is None:
        return merged
    at = ("acts",)
    if not isinstance(value, dict) or not value:
        errors.add(f"key 'acts' must be a mapping of act names to examples and near_misses, e.g. "
                   f"'acts: {{escalation: {{examples: [...]}}}}', not {_type_name(value)}", at)
        return merged
    definitions = load_definitions()
    for name, change in value.items():
        here = at + (name,)
        if name not in definitions:
            hint = _close(name, definitions) or f" (the acts are the files in checker/acts/defs: {', '.join(sorted(definitions))})"
            errors.add(f"acts: unknown act '{name}'{hint}", here)
            continue
        d = definitions[name]
        if not d.meaning:
            errors.add(f"acts → {name}: this act is recognised by its token patterns only, so example sentences "
                       f"cannot extend it", here)
            continue
        if not isinstance(change, dict) or not change:
            errors.add(f"acts → {name}: give examples: and/or near_misses:, each a list of sentences", here)
            continue
        lists: dict[str, tuple[str, ...]] = {}
        for key, items in change.items():
            where = here + (key,)
            if key not in ACT_KEYS:
                errors.add(f"acts → {name}: unknown key '{key}'{_close(key, ACT_KEYS)} (allowed: {', '.join(ACT_KEYS)})", where)
                continue
            if not _str_list(items) or not items or not all(i.strip() for i in items):
                errors.add(f"acts → {name}: key '{key}' must be a list of sentences (text, not empty), not {_type_name(items)}", where)
                continue
            if len(items) > MAX_ADDED_PER_LIST:
                errors.add(f"acts → {name}: key '{key}' has {len(items)} sentences; at most {MAX_ADDED_PER_LIST}", where)
                continue
            long = [i for i in items if len(i) > MAX_SENTENCE_CHARS]
            if long:
                errors.add(f"acts → {name}: {key}: {_brief(long[0])} is {len(long[0])} characters; an example is one sentence "
                           f"of at most {MAX_SENTENCE_CHARS}", where)
                continue
            lists[key] = tuple(dict.fromkeys(" ".join(i.split()) for i in items))
        if len(lists) != len(change):
            continue
        before = merged.get(name, ActExamples())
        own = {" ".join(t.split()).lower() for t in d.examples + d.near_misses}
        examples = before.examples + tuple(t for t in lists.get("examples", ()) if t.lower() not in own and t not in before.examples)
        near = before.near_misses + tuple(t for t in lists.get("near_misses", ()) if t.lower() not in own and t not in before.near_misses)
        both = {t.lower() for t in examples + d.examples} & {t.lower() for t in near + d.near_misses}
        if both:
            errors.add(f"acts → {name}: {_brief(sorted(both)[0])} is both an example and a near-miss of {name}", here)
            continue
        where = f"{show_path(path)}:{errors.line(here)}"
        merged[name] = ActExamples(examples, near, _joined(before.where or None, where))
    total = sum(len(e.examples) + len(e.near_misses) for e in merged.values())
    if total > MAX_ADDED_TOTAL:
        errors.add(f"acts: {total} sentences added to acts in all; at most {MAX_ADDED_TOTAL}", at)
    return merged
