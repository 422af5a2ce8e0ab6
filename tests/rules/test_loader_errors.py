"""Every validation error a tutor can meet names the file, the line and the key, and says what was
expected. Centre files and rule-set folders are both checked."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from checker.errors import RuleError
from checker.rules.loader import BUNDLED, RuleSetError, load_ruleset


def problems(path: Path) -> list[str]:
    with pytest.raises(RuleError) as info:
        load_ruleset(path)
    exc = info.value
    return [str(e) for e in (exc.errors if isinstance(exc, RuleSetError) else [exc])]


def centre(tmp_path: Path, text: str, name: str = "centre.yml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


NEW_RULE = """
    extends: default
    new_rules:
      - id: tone.house_style
        type: phrase
        criterion: tone
        message: m
        source: s
        phrases: [x]
"""

# (case id, centre file, line of the problem, fragments the message must contain)
CENTRE_CASES = [
    ("unknown-key", "extends: default\ncolour: red\n", 2,
     ["unknown key 'colour'", "allowed: extends, name"]),
    ("unknown-key-typo", "extends: default\ndisabel: [tone.jargon]\n", 2,
     ["unknown key 'disabel'", "did you mean 'disable'?"]),
    ("unknown-key-in-rule-change", "extends: default\nrules:\n  tone.jargon:\n    levle: error\n", 4,
     ["rules → tone.jargon: unknown key 'levle' for a phrase rule", "did you mean 'level'?", "add_/remove_ for its lists: channels, skip_formats, phrases"]),
    ("unknown-key-in-criterion", "extends: default\ncriteria:\n  tone:\n    wieght: 2\n", 4,
     ["criteria → tone: unknown key 'wieght'", "did you mean 'weight'?"]),
    ("unknown-key-in-new-rule", NEW_RULE + "        colour: red\n", 9,
     ["new_rules → tone.house_style: unknown key 'colour' for a phrase rule", "allowed: acts, addressed, channels"]),
    ("wrong-type-pass-score", "extends: default\npass_score: high\n", 2,
     ["key 'pass_score' must be a number from 0 to 100, not 'high'"]),
    ("wrong-type-pass-score-range", "extends: default\npass_score: 120\n", 2,
     ["key 'pass_score' must be a number from 0 to 100, not 120"]),
    ("wrong-type-add-phrases", "extends: default\nrules:\n  tone.jargon:\n    add_phrases: FPS\n", 4,
     ["key 'add_phrases' must be a list of text items, not text"]),
    ("wrong-type-critical", "extends: default\ncriteria:\n  tone:\n    critical: yes please\n", 4,
     ["criteria → tone: key 'critical' must be true or false, not 'yes please'"]),
    ("wrong-type-weight", "extends: default\nrules:\n  tone.jargon:\n    weight: heavy\n", 4,
     ["rules → tone.jargon: key 'weight' must be a number, not str"]),
    ("wrong-type-criteria", "extends: default\ncriteria: [tone]\n", 2,
     ["key 'criteria' must be a mapping of criterion ids to changes, not a list"]),
    ("wrong-type-accepted-words", "extends: default\naccepted_words: Fitzone\n", 2,
     ["key 'accepted_words' must be a list of words, not text"]),
    ("wrong-type-rejected-words", "extends: default\nrejected_words: [mate]\n", 2,
     ["key 'rejected_words' must be a mapping of each word or phrase to its replacement"]),
    ("wrong-type-canned", "extends: default\ncanned_responses:\n  - Hello there\n", 3,
     ["canned_responses: response 1 must have exactly 'id' and 'text'"]),
    ("bad-choice-level", "extends: default\nrules:\n  tone.jargon:\n    level: loud\n", 4,
     ["rules → tone.jargon: key 'level': 'loud' is not one of suggestion, warning, error"]),
    ("bad-choice-skip-formats", "extends: default\nrules:\n  tone.jargon:\n    skip_formats: [tweet]\n", 4,
     ["rules → tone.jargon: key 'skip_formats': 'tweet' is not one of line chat, block chat, social thread, forum thread, review and reply"]),
    ("bad-choice-scope", NEW_RULE + "        scope: everywhere\n", 9,
     ["key 'scope': 'everywhere' is not one of agent_turns"]),
    ("bad-choice-criterion-default", "extends: default\ncriteria:\n  tone: {default: fine}\n", 3,
     ["criteria → tone: key 'default': 'fine' is not one of met, partly, not_met"]),
    ("unknown-criterion", "extends: default\ncriteria:\n  personalization: {critical: true}\n", 3,
     ["criteria: unknown criterion 'personalization'", "did you mean 'personalisation'?", "known: greeting"]),
    ("unknown-criterion-new-rule", NEW_RULE.replace("criterion: tone", "criterion: house_style"), 5,
     ["unknown criterion 'house_style'"]),
    ("unknown-rule-id", "extends: default\nrules:\n  tone.jargn: {level: error}\n", 3,
     ["rules: unknown rule id 'tone.jargn'", "did you mean 'tone.jargon'?", "put it under new_rules:"]),
    ("unknown-rule-id-disable", "extends: default\ndisable:\n  - tone.exclamation\n", 3,
     ["disable: unknown rule id 'tone.exclamation'", "did you mean 'tone.exclamations'?"]),
    ("remove-absent-phrase", "extends: default\nrules:\n  tone.jargon:\n    remove_phrases: [BACS recal]\n", 4,
     ["remove_phrases: 'BACS recal' is not one of the rule's phrases", "did you mean 'BACS recall'?"]),
    ("fixed-key", "extends: default\nrules:\n  tone.jargon:\n    criterion: empathy\n", 4,
     ["'criterion' cannot be changed", "disable:", "new_rules:"]),
    ("disabled-and-changed", "extends: default\ndisable: [tone.jargon]\nrules:\n  tone.jargon: {level: error}\n", 4,
     ["'tone.jargon' is also under disable:"]),
    ("bad-regex", "extends: default\nrules:\n  tone.jargon:\n    add_patterns: ['(unclosed']\n", 4,
     ["key 'patterns': bad regular expression '(unclosed'", "missing )"]),
    ("catastrophic-regex", "extends: default\nrules:\n  tone.jargon:\n    add_patterns: ['(\\w+)*x']\n", 4,
     ["bad regular expression '(\\\\w+)*x'", "can take forever"]),
    ("catastrophic-regex-new-rule", NEW_RULE + "        patterns: ['^(a|a)*$']\n", 9,
     ["bad regular expression", "catastrophic backtracking"]),
    ("missing-extends", "name: mine\n", None,
     ["missing key 'extends'", "extends: default"]),
    ("extends-not-found", "extends: nothere\n", 1,
     ["extends: no rule set called 'nothere'", "bundled name: default"]),
    ("missing-canned-file", "extends: default\ncanned_responses: canned.yml\n", 2,
     ["key 'canned_responses': no file 'canned.yml'"]),
    ("missing-words-file", "extends: default\naccepted_words_from: [brands.txt]\n", 2,
     ["key 'accepted_words_from': no file 'brands.txt'"]),
    ("missing-list-file", "extends: default\nrules:\n  tone.jargon:\n    add_phrases_from: more.txt\n", 4,
     ["key 'add_phrases_from': no file 'more.txt'"]),
    ("duplicate-id", NEW_RULE.replace("tone.house_style", "tone.jargon"), 3,
     ["new_rules → tone.jargon: a rule with this id already exists", "checker/rules/default/tone/jargon.yml", "change that rule under rules:"]),
    ("duplicate-key", "extends: default\nrules:\n  tone.jargon: {level: error}\nrules:\n  tone.blame: {level: warning}\n", 4,
     ["key 'rules' is written twice (lines 2 and 4)"]),
    ("id-criterion-mismatch", NEW_RULE.replace("id: tone.house_style", "id: empathy.house_style"), 3,
     ["the id must start with its criterion: 'tone.house_style'"]),
    ("id-format", NEW_RULE.replace("id: tone.house_style", "id: House Style"), 3,
     ["id must be <criterion>.<rule_name> in lower case"]),
    ("missing-required", "extends: default\nnew_rules:\n  - id: tone.house_style\n    type: phrase\n    criterion: tone\n", 1,
     ["missing key 'message'"]),
    ("unknown-type", "extends: default\nnew_rules:\n  - id: tone.house_style\n    type: phrasse\n", 4,
     ["unknown rule type 'phrasse'", "expected one of: acronym, conditional"]),
    ("not-a-mapping", "- extends: default\n", 1,
     ["a centre rule set must be a mapping of keys to values"]),
    ("malformed-yaml", "extends: default\nrules:\n  tone.jargon: {level: error\ndisable: []\n", 4,
     ["not valid YAML"]),
    ("tab-indent-yaml", "extends: default\nrules:\n\ttone.jargon: {level: error}\n", 3,
     ["not valid YAML"]),
    ("unsafe-yaml-tag", "extends: !!python/object/apply:os.system ['echo hacked']\n", 1,
     ["not valid YAML", "could not determine a constructor"]),
    ("type-not-text", "extends: default\nnew_rules:\n  - id: tone.x\n    type: [phrase]\n", 4,
     ["unknown rule type (a list, not a name)"]),
    ("list-of-non-text", "extends: default\ndisable: [[tone.jargon]]\n", 2,
     ["key 'disable' must be a list of rule ids, not a list holding something other than text"]),
    ("unknown-act", "extends: default\nacts:\n  escalaton:\n    examples: [I've passed this to our Fleet desk.]\n", 3,
     ["acts: unknown act 'escalaton'; did you mean 'escalation'?"]),
    ("act-key-typo", "extends: default\nacts:\n  escalation:\n    exemples: [I've passed this on.]\n", 4,
     ["acts → escalation: unknown key 'exemples'; did you mean 'examples'?"]),
    ("act-examples-not-a-list", "extends: default\nacts:\n  farewell:\n    examples: Cheerio\n", 4,
     ["acts → farewell: key 'examples' must be a list of sentences"]),
    ("act-example-too-long", "extends: default\nacts:\n  farewell:\n    examples: [" + "Bye " * 80 + "]\n", 4,
     ["acts → farewell: examples:", "an example is one sentence of at most 300"]),
    ("act-too-many-examples", "extends: default\nacts:\n  farewell:\n    examples: [" + ", ".join(f"Bye {i}" for i in range(101)) + "]\n", 4,
     ["acts → farewell: key 'examples' has 101 sentences; at most 100"]),
    ("act-patterns-only", "extends: default\nacts:\n  sensitive_request:\n    examples: [Pop your PIN in here.]\n", 3,
     ["acts → sensitive_request: this act is recognised by its token patterns only"]),
    ("act-example-and-near-miss", "extends: default\nacts:\n  farewell:\n    examples: [Cheerio]\n    near_misses: [cheerio]\n", 3,
     ["acts → farewell: 'cheerio' is both an example and a near-miss of farewell"]),
    ("acts-not-a-mapping", "extends: default\nacts: [farewell]\n", 2,
     ["key 'acts' must be a mapping of act names to examples and near_misses"]),
]


@pytest.mark.parametrize("text, line, fragments", [c[1:] for c in CENTRE_CASES], ids=[c[0] for c in CENTRE_CASES])
def test_loader_error_centre_file(tmp_path, text, line, fragments):
    path = centre(tmp_path, text)
    found = problems(path)
    where = f"{path}:{line}: " if line else f"{path}: "
    matching = [p for p in found if all(f in p for f in fragments)]
    assert matching, f"no problem mentions {fragments}: {found}"
    assert any(p.startswith(where) for p in matching), f"expected {where!r} at the start: {matching}"


def test_loader_error_all_problems_reported_at_once(tmp_path):
    path = centre(tmp_path, """
        extends: default
        colour: red
        pass_score: high
        rules:
          tone.jargon: {level: loud}
          tone.jargn: {level: error}
        disable: [tone.nothing]
        """)
    found = problems(path)
    assert len(found) == 5
    assert [int(p.split(":")[1]) for p in found] == [2, 3, 5, 6, 7]  # in file order


def test_loader_error_in_the_rule_set_extended_names_that_file(tmp_path):
    centre(tmp_path, "extends: default\npass_score: high\n", name="parent.yml")
    child = centre(tmp_path, "extends: parent.yml\n", name="child.yml")
    found = problems(child)
    assert found[0].startswith(f"{tmp_path / 'parent.yml'}:2: key 'pass_score'")
    assert found[-1] == f"{child}:1: extends: the rule set 'parent.yml' has the problems listed above"


def test_loader_error_missing_rule_set(tmp_path):
    found = problems(tmp_path / "nothere.yml")
    assert found == [f"no rule set called '{tmp_path / 'nothere.yml'}': give a bundled name (default), a rule set folder or a .yml file"]


# ---------------------------------------------------------------- rule-set folders


@pytest.fixture
def folder(tmp_path):
    """A small rule-set folder: the default criteria and two tone rules."""
    root = tmp_path / "mini"
    (root / "tone").mkdir(parents=True)
    (root / "lists").mkdir()
    shutil.copy(BUNDLED["default"] / "criteria.yml", root / "criteria.yml")
    shutil.copy(BUNDLED["default"] / "tone" / "blame.yml", root / "tone" / "blame.yml")
    shutil.copy(BUNDLED["default"] / "tone" / "shouting.yml", root / "tone" / "shouting.yml")
    return root


def rule_file(folder: Path, rel: str, text: str) -> Path:
    path = folder / rel
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


RULE = """
    id: {id}
    type: phrase
    criterion: tone
    message: m
    source: s
    phrases: [x]
"""


def test_loader_error_folder_loads_when_valid(folder):
    assert [r.id for r in load_ruleset(folder).rules] == ["tone.blame", "tone.shouting"]


@pytest.mark.parametrize("rel, text, line, fragments", [
    ("tone/odd.yml", RULE.format(id="tone.odd") + "    colour: red\n", 7, ["unknown key 'colour' for a phrase rule"]),
    ("tone/odd.yml", RULE.format(id="tone.odd") + "    weigth: 2\n", 7, ["unknown key 'weigth'", "did you mean 'weight'?"]),
    ("tone/odd.yml", RULE.format(id="tone.odd") + "    negation: sometimes\n", 7, ["key 'negation' must be true or false, not str"]),
    ("tone/odd.yml", RULE.format(id="tone.odd") + "    level: loud\n", 7, ["key 'level': 'loud' is not one of suggestion, warning, error"]),
    ("tone/odd.yml", RULE.format(id="tone.odd").replace("criterion: tone", "criterion: house"), 3, ["unknown criterion 'house'"]),
    ("tone/odd.yml", RULE.format(id="tone.odd") + "    patterns: ['[a-z']\n", 7, ["bad regular expression '[a-z'"]),
    ("tone/odd.yml", RULE.format(id="tone.odd") + "    patterns: ['(a*)*b']\n", 7, ["can take forever"]),
    ("tone/odd.yml", RULE.format(id="tone.other"), 1, ["id 'tone.other' does not match the file path (expected 'tone.odd')"]),
    ("tone/odd.yml", RULE.format(id="tone.odd") + "    phrases_from: missing.txt\n", 7, ["no list file 'missing.txt'"]),
    ("tone/odd.yml", RULE.format(id="tone.odd") + "    examples: {bad: [a], ugly: [b]}\n", 7, ["examples: unknown key 'ugly'"]),
    ("tone/odd.yml", "id: tone.odd\ntype: phrase\n  criterion: tone\n", 3, ["not valid YAML"]),
])
def test_loader_error_folder_rule_file(folder, rel, text, line, fragments):
    path = rule_file(folder, rel, text)
    found = problems(folder)
    matching = [p for p in found if all(f in p for f in fragments)]
    assert matching, f"no problem mentions {fragments}: {found}"
    assert any(p.startswith(f"{path}:{line}: ") for p in matching), matching


def test_loader_error_folder_duplicate_id(folder):
    """In a folder the id must equal the file path, so a copied rule is caught by its id."""
    path = rule_file(folder, "tone/copy.yml", RULE.format(id="tone.blame"))
    found = problems(folder)
    assert found == [f"{path}:1: id 'tone.blame' does not match the file path (expected 'tone.copy')"]


def test_loader_error_folder_missing_criteria(folder):
    (folder / "criteria.yml").unlink()
    found = problems(folder)
    assert found == [f"{folder / 'criteria.yml'}: cannot read: No such file or directory"]


def test_loader_error_alias_bomb_is_cheap(tmp_path):
    """YAML aliases can describe a huge structure in a few lines; loading and reporting stay cheap."""
    import time

    lines = ["extends: default", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefg", "bcdefgh"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    lines += ["pass_score: *h", "accepted_words: *h", "criteria:", "  tone: {weight: *h}"]
    path = centre(tmp_path, "\n".join(lines) + "\n")
    start = time.perf_counter()
    found = problems(path)
    assert time.perf_counter() - start < 5
    assert any("key 'pass_score' must be a number from 0 to 100, not a list" in p for p in found)
    assert any("key 'accepted_words' must be a list of words, not a list holding something other than text" in p for p in found)


@pytest.mark.parametrize("pattern, fragment", [
    ("(?list:salutation)", "(?list:salutation) names no list; did you mean 'salutations'?"),
    ("(?list:nothing_like_it)", "(?list:nothing_like_it) names no list"),
])
def test_loader_error_unknown_list_reference(tmp_path, pattern, fragment):
    text = NEW_RULE.replace("phrases: [x]", f"patterns: ['{pattern}']")
    assert text != NEW_RULE
    path = centre(tmp_path, text)
    found = problems(path)
    assert any(fragment in p for p in found), found
