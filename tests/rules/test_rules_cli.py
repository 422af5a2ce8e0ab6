"""``replycheck rules check|show|eval|types`` and ``python -m checker.rules``: output and exit codes.

In-process runs share the session's Checker (``obj={"checker": …}``); a few subprocess runs check
the real entry points, with no pytest and no traceback."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from checker.rules.cli import rules
from checker.rules.loader import load_ruleset

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "corpora" / "centres" / "example_centre.yml"
LABELLED = ROOT / "corpora" / "labelled"
SMALL = ["chat/c01_retail_store_hours_paint_stock.txt", "chat/c04_retail_tent_delivery_placeholder.txt",
         "chat/c06_retail_leaking_coffee_machine_holding.txt", "chat/c37_banking_missing_transfer_no_check.txt",
         "email/e06_banking_duplicate_direct_debit.txt"]


@pytest.fixture
def invoke(checker):
    def run(*args: str):
        return CliRunner().invoke(rules, [str(a) for a in args], obj={"checker": checker})

    return run


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """Five transcripts of the labelled corpus with their labels."""
    root = tmp_path_factory.mktemp("corpus")
    labels = yaml.safe_load((LABELLED / "labels.yml").read_text(encoding="utf-8"))
    for name in SMALL:
        (root / name).parent.mkdir(exist_ok=True)
        shutil.copy(LABELLED / name, root / name)
    (root / "labels.yml").write_text(yaml.safe_dump({n: labels[n] for n in SMALL}), encoding="utf-8")
    return root


def centre(tmp_path: Path, text: str, name: str = "centre.yml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


SUMMARY = re.compile(r"^(\d+) rules, (\d+) examples: (\d+) passed, (\d+) failed", re.M)


# ---------------------------------------------------------------- check


@pytest.mark.parametrize("path", ["default", str(EXAMPLE)])
def test_rules_check_passes(invoke, path):
    result = invoke("check", path) if path != "default" else invoke("check")
    assert result.exit_code == 0, result.output
    ruleset = load_ruleset(path)
    examples = sum(len(v) for r in ruleset.rules for v in r.examples.values())
    m = SUMMARY.search(result.output)
    assert m and m.groups() == (str(len(ruleset.rules)), str(examples), str(examples), "0")
    assert result.output.startswith(f"Checking {ruleset.name} {ruleset.version}")


def test_rules_check_failing_examples_explained(invoke, tmp_path):
    path = centre(tmp_path, """
        extends: default
        rules:
          tone.jargon:
            add_examples:
              bad: ["Everything is sorted now."]
              good: ["We sent it by BACS today."]
        """)
    result = invoke("check", path)
    assert result.exit_code == 1
    out = result.output
    jargon = load_ruleset("default").rule("tone.jargon")
    bad_i, good_i = len(jargon.examples["bad"]), len(jargon.examples["good"])  # the added ones come after the rule's own
    assert f"tone.jargon-bad-{bad_i}: FAILED" in out and f"tone.jargon-good-{good_i}: FAILED" in out
    assert "expected: at least one finding" in out and "the rule did not fire on a bad example" in out
    assert "expected: no finding" in out and "the rule fired on a good example" in out
    assert "found: partly 'BACS'" in out
    assert "tokens (text/lemma/POS): Everything/everything/PRON is/be/AUX sorted/sort/VERB" in out
    assert re.search(r"^\d+ rules, \d+ examples: \d+ passed, 2 failed$", out, re.M)


ACT_SUMMARY = re.compile(r"^(\d+) acts, (\d+) act examples and near-misses \((\d+) added by this rule set\): (\d+) passed, (\d+) failed$", re.M)


def test_rules_check_runs_act_examples(invoke, tmp_path):
    path = centre(tmp_path, """
        extends: default
        acts:
          understanding_check:
            examples: ["Are we both on the same page?"]
          clarifying_question:
            examples: ["Tell me which branch you visited."]
        """)
    result = invoke("check", path)
    assert result.exit_code == 1, result.output
    failures = [ln for ln in result.output.splitlines() if ln.startswith("act:")]
    assert len(failures) == 1, result.output
    assert failures[0].startswith("act:clarifying_question-example-")
    assert f"FAILED: example 'Tell me which branch you visited.' ({path}:5): not recognised as clarifying_question" in failures[0]
    m = ACT_SUMMARY.search(result.output)
    assert m and m.group(3) == "2" and m.group(5) == "1"
    assert SUMMARY.search(result.output).group(4) == "0"  # the rules' examples all passed


def test_rules_check_act_examples_pass_for_default(invoke):
    result = invoke("check")
    m = ACT_SUMMARY.search(result.output)
    assert result.exit_code == 0 and m and m.group(3) == "0" and m.group(5) == "0", result.output


def test_rules_check_marked_span_must_match(invoke, tmp_path):
    path = centre(tmp_path, """
        extends: default
        rules:
          tone.jargon:
            add_examples:
              bad: ["We sent it by [[BACS today]]."]
        """)
    result = invoke("check", path, "--rule", "tone.jargon")
    assert result.exit_code == 1
    assert "the finding should cover exactly 'BACS today', but covered 'BACS'" in result.output
    assert re.search(r"^1 rules, \d+ examples: \d+ passed, 1 failed$", result.output, re.M)


def test_rules_check_missing_examples_fail(invoke, tmp_path):
    path = centre(tmp_path, """
        extends: default
        new_rules:
          - id: tone.house_style
            type: phrase
            criterion: tone
            message: m
            source: s
            phrases: [cheerio]
            examples: {bad: ["[[Cheerio]]!"]}
        """)
    result = invoke("check", path, "--rule", "tone")
    assert result.exit_code == 1
    assert "tone.house_style: no 'good' example (add one under examples: good:): FAILED" in result.output
    assert "0 failed; 1 missing examples" in result.output


def test_rules_check_notes_a_criterion_left_without_rules(invoke, tmp_path):
    path = centre(tmp_path, "extends: default\ndisable: [record_keeping.notes_complete]\n")
    result = invoke("check", path, "--rule", "tone.blame")
    assert result.exit_code == 0, result.output
    assert "note: criterion record_keeping has no active rules, so it will always be 'not_assessable'" in result.output


@pytest.mark.parametrize("text, fragments", [
    ("extends: default\nrules:\n  tone.jargon: {level: loud}\n", ["centre.yml:3: rules → tone.jargon: key 'level': 'loud'"]),
    ("extends: default\nrules:\n  tone.jargon: {level: error\n", ["centre.yml:", "not valid YAML"]),
    ("extends: default\ncolour: red\npass_score: high\n", ["2 problems", "centre.yml:2: unknown key 'colour'", "centre.yml:3: key 'pass_score'"]),
])
def test_rules_check_invalid_rule_set(invoke, tmp_path, text, fragments):
    result = invoke("check", centre(tmp_path, text))
    assert result.exit_code == 1
    assert "is not valid" in result.output
    for fragment in fragments:
        assert fragment in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_rules_check_bad_token_pattern_is_a_validation_problem(invoke, tmp_path):
    path = centre(tmp_path, """
        extends: default
        new_rules:
          - id: tone.odd
            type: pattern
            criterion: tone
            message: m
            source: s
            patterns: [[{"LOWERR": "x"}]]
            examples: {bad: ["x"], good: ["y"]}
        """)
    result = invoke("check", path)
    assert result.exit_code == 1
    assert "bad token pattern" in result.output


def test_rules_check_unknown_rule_filter_is_a_usage_error(invoke):
    result = invoke("check", "--rule", "tone.nothing")
    assert result.exit_code == 2
    assert "no rule matches tone.nothing" in result.output


# ---------------------------------------------------------------- show


def test_rules_show_text(invoke):
    result = invoke("show", EXAMPLE)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Rule set northfield_college 2026.1 (")
    assert re.search(r"^  personalisation\s+2\s+YES\s+—\s+met\s+Personalises pre-written responses$", out, re.M)
    assert "changed in corpora/centres/example_centre.yml:" in out
    assert re.search(r"^  tone\.jargon  \[phrase\]  level warning, weight 1, argues partly, chat/email$", out, re.M)
    assert "from:    defined in checker/rules/default/tone/jargon.yml; changed in corpora/centres/example_centre.yml:" in out
    assert "Disabled:\n  tone.over_casual  (at corpora/centres/example_centre.yml:" in out
    assert "fitzone" in out and "brightwave_payment_link:" in out


def test_rules_show_json(invoke):
    result = invoke("show", EXAMPLE, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["name"] == "northfield_college" and data["extends"] == "default"
    crit = {c["id"]: c for c in data["criteria"]}
    assert crit["personalisation"]["critical"] is True and crit["personalisation"]["weight"] == 2
    rules_ = {r["id"]: r for r in data["rules"]}
    assert set(rules_["tone.jargon"]) >= {"type", "criterion", "level", "weight", "state", "message", "source", "origin"}
    assert rules_["tone.rejected_words"]["origin"].startswith("made from rejected_words")
    assert data["disabled"][0]["id"] == "tone.over_casual"


def test_rules_show_one_rule(invoke):
    result = invoke("show", EXAMPLE, "--rule", "tone.jargon")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.output)
    assert data["id"] == "tone.jargon" and data["level"] == "warning"
    assert {"FPS", "F28"} <= set(data["phrases"])
    assert result.output.startswith("# defined in checker/rules/default/tone/jargon.yml; changed in")
    missing = invoke("show", EXAMPLE, "--rule", "tone.jargn")
    assert missing.exit_code == 2 and "did you mean 'tone.jargon'?" in missing.output


def test_rules_show_invalid_path(invoke, tmp_path):
    result = invoke("show", tmp_path / "nothere.yml")
    assert result.exit_code == 1
    assert "no rule set called" in result.output


# ---------------------------------------------------------------- eval and compare


def test_rules_eval_text(invoke, small_corpus):
    result = invoke("eval", "default", "--corpus", small_corpus)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "transcripts judged: 5" in out and "Flagging a shortfall" in out
    assert re.search(r"^  tone\.jargon\s+\d+\s+\d+\s+", out, re.M)
    assert "Per rule: fired" in out and "precision  recall" in out


def test_rules_eval_json(invoke, small_corpus):
    result = invoke("eval", EXAMPLE, "--corpus", small_corpus, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["transcripts"] == 5 and data["rule_set"]["name"] == "northfield_college"
    jargon = next(r for r in data["rules_detail"] if r["rule"] == "tone.jargon")
    assert jargon["fired"] == 1 and jargon["correct"] == 1  # FPS in c37, labelled a tone shortfall
    assert jargon["shortfalls"] >= 1 and jargon["recall"] == round(1 / jargon["shortfalls"], 3)


def test_rules_eval_compare_text(invoke, small_corpus):
    result = invoke("eval", EXAMPLE, "--corpus", small_corpus, "--compare", "default")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "before: default" in out and "after:  northfield_college 2026.1" in out
    assert "  - criterion personalisation: weight 1.5 → 2; critical no → yes" in out
    assert "  - rule tone.over_casual: not in northfield_college (disabled at " in out
    n = sum(len(v) for v in load_ruleset("default").rule("tone.jargon").examples.values())
    assert f"  - rule tone.jargon: examples {n} → {n + 2}; phrases +3 ('FPS', 'F28', 'CHAPS payment')" in out
    assert re.search(r"^  \* tone\s", out, re.M) and re.search(r"^    greeting\s", out, re.M)
    c37 = out[out.index("chat/c37_banking_missing_transfer_no_check.txt"):]
    assert "tone: met → partly   (label partly, ✓ now agrees)" in c37
    assert "because tone.jargon: silent → flags 'FPS' (partly)" in c37
    c06 = out[out.index("chat/c06_retail_leaking_coffee_machine_holding.txt"):]
    assert "tone: met → partly   (label met, ✗ no longer agrees)" in c06
    assert "because tone.rejected_words: not in the rule set → flags 'No problem at all' (partly)" in c06
    # the default proofreader leaves the brand 'Fitzone' alone too, so e06 no longer changes
    assert "email/e06_banking_duplicate_direct_debit.txt  (" not in out
    c04 = out[out.index("chat/c04_retail_tent_delivery_placeholder.txt"):]
    assert "decision: competent → not_yet_competent   (personalisation is not met and is critical in northfield_college only)" in c04
    assert "Judgements that changed in 3 transcripts: 2 criterion statuses (1 now agree with the labels, 1 no longer agree" in out


def test_rules_eval_compare_json(invoke, small_corpus):
    result = invoke("eval", EXAMPLE, "--corpus", small_corpus, "--compare", "default", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["before"]["rule_set"]["name"] == "default" and data["after"]["rule_set"]["name"] == "northfield_college"
    assert data["verdicts"] == {"now agrees": 1, "no longer agrees": 1, "still disagrees": 0, "unlabelled": 0}
    assert data["decisions_changed"] == 1
    by_file = {t["file"]: t for t in data["changed_transcripts"]}
    c37 = by_file["chat/c37_banking_missing_transfer_no_check.txt"]
    assert c37["criteria"] == [{"criterion": "tone", "gold": "partly", "before": "met", "after": "partly", "verdict": "now agrees"}]
    assert c37["reasons"] == [{"rule": "tone.jargon", "criterion": "tone", "before": "silent", "after": "flags 'FPS' (partly)"}]
    assert by_file["chat/c04_retail_tent_delivery_placeholder.txt"]["decision"] == {"before": "competent", "after": "not_yet_competent"}


def test_rules_eval_compare_identical_sets_changes_nothing(invoke, small_corpus, tmp_path):
    same = centre(tmp_path, "extends: default\n")
    result = invoke("eval", same, "--corpus", small_corpus, "--compare", "default")
    assert result.exit_code == 0, result.output
    assert "(nothing: the two rule sets are the same)" in result.output
    assert "Judgements that changed in 0 transcripts" in result.output, result.output


def test_rules_eval_invalid_rule_set(invoke, small_corpus, tmp_path):
    result = invoke("eval", centre(tmp_path, "extends: default\ncolour: red\n"), "--corpus", small_corpus, "--compare", "default")
    assert result.exit_code == 1
    assert "unknown key 'colour'" in result.output


def test_rules_eval_needs_a_corpus(invoke, tmp_path):
    assert invoke("eval", "default").exit_code == 2
    assert invoke("eval", "default", "--corpus", tmp_path / "nothere").exit_code == 2


# ---------------------------------------------------------------- types


def test_rules_types(invoke):
    result = invoke("types", "phrase")
    assert result.exit_code == 0
    assert result.output.startswith("type: phrase\n") and "phrases_from: file.txt" in result.output
    assert invoke("types", "phrases").exit_code == 2


# ---------------------------------------------------------------- the real entry points


def test_replycheck_rules_routes_to_the_group(checker):
    from checker.cli import cli

    result = CliRunner().invoke(cli, ["rules", "show", str(EXAMPLE), "--format", "json"], obj={"checker": checker})
    assert result.exit_code == 0 and json.loads(result.output)["name"] == "northfield_college"


def test_replycheck_check_accepts_a_centre_file(checker, monkeypatch, tmp_path):
    import checker.cli as cli_module

    monkeypatch.setattr(cli_module, "build_checker", lambda *a, **k: checker)
    transcript = tmp_path / "chat.txt"
    transcript.write_text("Agent: Hello Priya. The money went by FPS this morning.\nCustomer: Thanks\n"
                          "Agent: No problem at all. Have a lovely day.\n", encoding="utf-8")
    result = CliRunner().invoke(cli_module.cli, ["check", str(transcript), "--rules", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rules"]["name"] == "northfield_college"
    assert {"tone.jargon", "tone.rejected_words"} <= {f["rule"] for f in data["findings"]}


def run_module(*args: str):
    return subprocess.run([sys.executable, "-m", "checker.rules", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_python_m_checker_rules_invalid_file_no_traceback(tmp_path):
    path = centre(tmp_path, "extends: default\nrules:\n  tone.jargon:\n    add_patterns: ['(\\w+)*x']\n")
    result = run_module("check", str(path))
    assert result.returncode == 1
    assert f"{path}:4: rules → tone.jargon: key 'patterns': bad regular expression" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_python_m_checker_rules_check_example_centre():
    result = run_module("check", "corpora/centres/example_centre.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert SUMMARY.search(result.stdout).group(4) == "0"


def test_python_m_checker_rules_usage_error():
    result = run_module("eval", "default")
    assert result.returncode == 2
    assert "Missing option '--corpus'" in result.stderr and "Traceback" not in result.stderr
