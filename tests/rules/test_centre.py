"""Centre rule sets: one YAML file that extends another rule set and changes what a centre needs."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from checker.rules.centre import REJECTED_RULE_ID, list_fields, load_centre_file, override_keys
from checker.rules.loader import BUNDLED, RuleSetError, load_ruleset, try_load

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "corpora" / "centres" / "example_centre.yml"


@pytest.fixture(scope="module")
def default():
    return load_ruleset("default")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def ids(ruleset) -> list[str]:
    return [r.id for r in ruleset.rules]


# ---------------------------------------------------------------- inheritance


def test_centre_extends_default_inherits_everything(tmp_path, default):
    rs = load_ruleset(write(tmp_path, "plain.yml", "extends: default\n"))
    assert ids(rs) == ids(default)
    assert rs.criteria == default.criteria
    assert rs.canned_responses == default.canned_responses
    assert rs.accepted_words == default.accepted_words
    assert rs.pass_score == default.pass_score
    assert (rs.name, rs.extends, rs.path) == ("plain", "default", str(tmp_path / "plain.yml"))
    assert rs.origins["tone.jargon"] == "defined in checker/rules/default/tone/jargon.yml" or \
        rs.origins["tone.jargon"].endswith("checker/rules/default/tone/jargon.yml")


@pytest.mark.parametrize("header, expected", [
    ('name: northfield\nversion: "2.1"\ndescription: Our centre\npass_score: 75\n', ("northfield", "2.1", "Our centre", 75.0)),
    ("version: 3\n", ("plain", "3", "", 70.0)),
])
def test_centre_header_fields(tmp_path, header, expected):
    rs = load_ruleset(write(tmp_path, "plain.yml", "extends: default\n" + header))
    assert (rs.name, rs.version, rs.description, rs.pass_score) == expected


def test_centre_chain_applies_parent_then_child(tmp_path, default):
    write(tmp_path, "parent.yml", """
        extends: default
        pass_score: 75
        criteria:
          tone: {weight: 3}
        disable: [tone.exclamations]
        rules:
          tone.jargon: {add_phrases: [FPS]}
        rejected_words: {no worries: "you're welcome"}
        accepted_words: [Fitzone]
        """)
    sub = tmp_path / "sub"
    sub.mkdir()
    child = write(sub, "child.yml", """
        extends: ../parent.yml
        criteria:
          tone: {critical: true}
        rules:
          tone.jargon: {add_phrases: [F28], remove_phrases: [BACS recall]}
        rejected_words: {cheers: thank you}
        accepted_words: [Brightwave]
        """)
    rs = load_ruleset(child)
    assert rs.pass_score == 75  # inherited from the parent
    assert rs.criteria["tone"].weight == 3 and rs.criteria["tone"].critical is True
    assert "tone.exclamations" not in ids(rs) and "tone.exclamations" in rs.disabled
    jargon = rs.rule("tone.jargon")
    assert {"FPS", "F28"} <= set(jargon.phrases) and "BACS recall" not in jargon.phrases
    assert rs.rule(REJECTED_RULE_ID).swap == {"no worries": "you're welcome", "cheers": "thank you"}
    assert ids(rs).count(REJECTED_RULE_ID) == 1
    assert {"fitzone", "brightwave"} <= rs.accepted_words
    assert rs.extends == "../parent.yml"
    origin = rs.origins["tone.jargon"]
    assert origin.startswith("defined in") and "parent.yml" in origin and "child.yml" in origin


def test_centre_extends_a_folder_and_a_name_without_suffix(tmp_path, default):
    write(tmp_path, "base.yml", "extends: " + str(BUNDLED["default"]) + "\npass_score: 80\n")
    rs = load_ruleset(write(tmp_path, "top.yml", "extends: base\n"))
    assert rs.pass_score == 80 and ids(rs) == ids(default)


@pytest.mark.parametrize("files, start, expected", [
    ({"a.yml": "extends: b.yml\n", "b.yml": "extends: a.yml\n"}, "a.yml", "a.yml → b.yml → a.yml"),
    ({"self.yml": "extends: self.yml\n"}, "self.yml", "self.yml → self.yml"),
    ({"a.yml": "extends: b.yml\n", "b.yml": "extends: c.yml\n", "c.yml": "extends: a.yml\n"}, "a.yml", "a.yml → b.yml → c.yml → a.yml"),
])
def test_centre_extends_cycle_is_an_error(tmp_path, monkeypatch, files, start, expected):
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        write(tmp_path, name, text)
    with pytest.raises(RuleSetError) as info:
        load_ruleset(tmp_path / start)
    assert f"extends goes round in a circle: {expected}" in str(info.value)


# ---------------------------------------------------------------- criteria and disable


def test_centre_criteria_overrides(tmp_path, default):
    rs = load_ruleset(write(tmp_path, "c.yml", """
        extends: default
        criteria:
          personalisation: {critical: true, weight: 2}
          tone: {partly_limit: null, title: House tone}
          record_keeping: {default: not_met}
        """))
    p = rs.criteria["personalisation"]
    assert (p.critical, p.weight, p.title) == (True, 2.0, default.criteria["personalisation"].title)
    assert rs.criteria["tone"].partly_limit is None and rs.criteria["tone"].title == "House tone"
    assert rs.criteria["record_keeping"].default == "not_met"
    assert rs.criteria["greeting"] == default.criteria["greeting"]
    assert "critical, weight" in rs.origins["criterion:personalisation"]


def test_centre_disable_removes_rules(tmp_path, default):
    rs = load_ruleset(write(tmp_path, "c.yml", "extends: default\ndisable: [tone.exclamations, readability.dense_writing]\n"))
    assert set(ids(default)) - set(ids(rs)) == {"tone.exclamations", "readability.dense_writing"}
    assert rs.disabled["tone.exclamations"].endswith("c.yml:2")


def test_centre_disable_then_replace_with_own_rule(tmp_path):
    rs = load_ruleset(write(tmp_path, "c.yml", """
        extends: default
        disable: [tone.jargon]
        new_rules:
          - id: tone.jargon
            type: phrase
            criterion: tone
            message: "'{match}' is jargon."
            source: House style
            phrases: [FPS]
            examples: {bad: ["By [[FPS]]."], good: ["By bank transfer."]}
        """))
    assert rs.rule("tone.jargon").phrases == ("FPS",)
    assert ids(rs).count("tone.jargon") == 1


# ---------------------------------------------------------------- changing rules


def test_centre_add_and_remove_phrases(tmp_path, default):
    rs = load_ruleset(write(tmp_path, "c.yml", """
        extends: default
        rules:
          tone.jargon:
            add_phrases: [FPS, F28, MPAN]
            remove_phrases: [bacs recall, CHAPS]
            add_exceptions: [FPS (Faster Payments)]
        """))
    before, after = default.rule("tone.jargon"), rs.rule("tone.jargon")
    assert after.phrases[-2:] == ("FPS", "F28")  # MPAN was already there: not added twice
    assert after.phrases.count("MPAN") == 1
    assert "BACS recall" not in after.phrases and "CHAPS" not in after.phrases  # removal ignores case
    assert len(after.phrases) == len(before.phrases) + 2 - 2
    assert after.exceptions == before.exceptions + ("FPS (Faster Payments)",)
    assert after.message == before.message and after.path == before.path


def test_centre_replace_header_fields(tmp_path, default):
    rs = load_ruleset(write(tmp_path, "c.yml", """
        extends: default
        rules:
          tone.blame: {level: warning, weight: 1, status: partly, message: "'{match}' can sound like blame.", state: draft}
          readability.long_sentences: {suggestion: Split it in two.}
        """))
    blame = rs.rule("tone.blame")
    assert (blame.level, blame.weight, blame.status, blame.message, blame.state) == \
        ("warning", 1.0, "partly", "'{match}' can sound like blame.", "draft")
    assert blame.phrases == default.rule("tone.blame").phrases
    assert rs.rule("readability.long_sentences").suggestion == "Split it in two."


def test_centre_list_fields_of_other_types(tmp_path, default):
    (tmp_path / "triggers.txt").write_text("# more triggers\ngutted\nat my wits' end\n", encoding="utf-8")
    rs = load_ruleset(write(tmp_path, "c.yml", """
        extends: default
        rules:
          empathy.acknowledge_feelings:
            add_when_from: triggers.txt
            add_then_partial: [sorry for the hassle]
            remove_then_partial: [sorry about that]
          spelling_grammar.common_confusions:
            add_swap: {"definately": "definitely"}
            remove_swap: [alot]
          greeting.chat_greeting:
            add_examples:
              good: ["Agent: Morning, you're through to Sam.\\nCustomer: Hi"]
        """))
    empathy = rs.rule("empathy.acknowledge_feelings")
    assert empathy.when[-2:] == ("gutted", "at my wits' end")
    assert "sorry for the hassle" in empathy.then_partial and "sorry about that" not in empathy.then_partial
    swap = rs.rule("spelling_grammar.common_confusions").swap
    assert swap["definately"] == "definitely" and "alot" not in swap
    good = rs.rule("greeting.chat_greeting").examples["good"]
    assert len(good) == len(default.rule("greeting.chat_greeting").examples["good"]) + 1


def test_centre_replace_a_list_from_a_file(tmp_path):
    (tmp_path / "jargon.txt").write_text("# our jargon only\nFPS\nF28\n", encoding="utf-8")
    rs = load_ruleset(write(tmp_path, "c.yml", """
        extends: default
        rules:
          tone.jargon:
            phrases_from: jargon.txt
            examples: {bad: ["By [[FPS]]."], good: ["By bank transfer."]}
        """))
    assert rs.rule("tone.jargon").phrases == ("FPS", "F28")
    assert rs.rule("tone.jargon").examples == {"bad": ["By [[FPS]]."], "good": ["By bank transfer."]}


@pytest.mark.parametrize("type_name, expected", [
    ("phrase", {"phrases", "patterns", "exceptions", "exception_patterns", "channels"}),
    ("conditional", {"when", "then", "then_partial", "also", "when_patterns", "channels"}),
    ("order", {"first", "then", "first_partial", "channels"}),
    ("substitution", {"channels"}),
])
def test_centre_override_keys_cover_list_fields(type_name, expected):
    from checker.rules.base import RULE_TYPES

    assert expected <= set(list_fields(RULE_TYPES[type_name]))
    keys = override_keys(RULE_TYPES[type_name])
    assert "id" not in keys and "criterion" not in keys and "type" not in keys
    if type_name == "substitution":
        assert {"add_swap", "remove_swap"} <= set(keys)


def test_centre_new_rule_is_validated_and_runs(tmp_path, checker):
    path = write(tmp_path, "c.yml", """
        extends: default
        new_rules:
          - id: tone.hiding_behind_policy
            type: phrase
            criterion: tone
            message: "'{match}' hides behind a rule."
            source: House style
            phrases: [company policy]
            examples: {bad: ["That is [[company policy]]."], good: ["Here is why."]}
        """)
    rs = load_ruleset(path)
    rule = rs.rule("tone.hiding_behind_policy")
    assert rule.path == str(path) and rs.origins[rule.id].startswith("new in")
    report = checker.check("Agent: Sorry, that is company policy.\nCustomer: Oh.", rules=str(path))
    assert [f.quote for f in report.findings if f.rule_id == rule.id] == ["company policy"]


def test_centre_new_rule_list_file_is_relative_to_the_centre(tmp_path):
    sub = tmp_path / "lists"
    sub.mkdir()
    (sub / "policy.txt").write_text("company policy\nrules are rules\n", encoding="utf-8")
    rs = load_ruleset(write(tmp_path, "c.yml", """
        extends: default
        new_rules:
          - id: tone.policy
            type: phrase
            criterion: tone
            message: m
            source: s
            phrases_from: lists/policy.txt
        """))
    assert rs.rule("tone.policy").phrases == ("company policy", "rules are rules")


# ---------------------------------------------------------------- word lists


def test_centre_accepted_words_reach_the_proofreading(tmp_path, checker):
    (tmp_path / "brands.txt").write_text("# brands\nKestrel\nFitzone Gold\nfitzoneplus\n", encoding="utf-8")
    path = write(tmp_path, "c.yml", "extends: default\naccepted_words: [Brightwave, add-ons]\naccepted_words_from: brands.txt\n")
    rs = load_ruleset(path)
    assert {"brightwave", "kestrel", "fitzone gold", "fitzone", "gold", "add-ons", "ons"} <= rs.accepted_words
    # a capitalised unknown word is taken for a name anyway; a brand written in small letters is not
    text = ("Agent: Hello Priya, I can see the fitzoneplus payment went out twice this month. Does that make sense?\n"
            "Customer: yes thanks\nAgent: Thank you for contacting us, have a lovely day.")
    flagged = lambda rules: [f.quote for f in checker.check(text, rules=rules).findings  # noqa: E731
                             if f.rule_id == "spelling_grammar.proofreading"]
    assert flagged("default") == ["fitzoneplus"]
    assert flagged(str(path)) == []


def test_centre_rejected_words_become_a_substitution_rule(tmp_path, checker):
    path = write(tmp_path, "c.yml", """
        extends: default
        rejected_words:
          no problem at all: "you're very welcome"
          no worries: "you're welcome"
        rules:
          tone.rejected_words: {level: error}
        """)
    rs = load_ruleset(path)
    rule = rs.rule(REJECTED_RULE_ID)
    assert (rule.type_name, rule.criterion, rule.level) == ("substitution", "tone", "error")
    assert rule.examples == {"bad": ["[[no problem at all]]", "[[no worries]]"], "good": ["you're very welcome", "you're welcome"]}
    report = checker.check("Agent: No problem at all, it's sorted.\nCustomer: Thanks", rules=str(path))
    found = [f for f in report.findings if f.rule_id == REJECTED_RULE_ID]
    assert [(f.quote, f.suggestion) for f in found] == [("No problem at all", "Write 'you're very welcome' instead.")]
    assert rs.origins[REJECTED_RULE_ID].startswith("made from rejected_words")


# ---------------------------------------------------------------- canned responses


def test_centre_canned_responses_file_and_inline(tmp_path, default):
    write(tmp_path, "canned.yml", """
        responses:
          - id: holding
            text: "Thanks for waiting, I am nearly done."
          - id: brightwave_payment_link
            text: "For your security we never take card details over chat. I have sent a secure payment link to your email."
        """)
    from_file = load_ruleset(write(tmp_path, "f.yml", "extends: default\ncanned_responses: canned.yml\n"))
    by_id = {c.id: c.text for c in from_file.canned_responses}
    assert by_id["holding"] == "Thanks for waiting, I am nearly done."  # same id: the centre's replaces the default's
    assert "brightwave_payment_link" in by_id and "refund_processed" in by_id
    assert len(from_file.canned_responses) == len(default.canned_responses) + 1
    inline = load_ruleset(write(tmp_path, "i.yml", """
        extends: default
        replace_canned_responses: true
        canned_responses:
          - {id: only_one, text: "Hello, how can I help?"}
        """))
    assert [c.id for c in inline.canned_responses] == ["only_one"]


def test_centre_canned_response_is_used_by_personalisation(checker):
    text = ("Agent: Hello Priya, how can I help?\nCustomer: When will my new bill come?\n"
            "Agent: Thank you for sending your meter reading. Your bill will be recalculated using your actual usage "
            "and you will receive the new bill within five working days.\nCustomer: ok\n"
            "Agent: Thank you for contacting us, have a lovely day.")
    status = lambda rules: next(c.status for c in checker.check(text, rules=rules).criteria  # noqa: E731
                                if c.id == "personalisation")
    assert status("default") == "met"
    assert status(str(EXAMPLE)) == "partly"


# ---------------------------------------------------------------- the worked example and the API


def test_centre_acts_add_examples_through_a_chain(tmp_path, default):
    assert default.act_examples == {}
    write(tmp_path, "parent.yml", """
        extends: default
        acts:
          escalation:
            examples: ["I've passed this to our Fleet desk, who will ring you by Friday."]
        """)
    child = load_ruleset(write(tmp_path, "child.yml", """
        extends: parent.yml
        acts:
          escalation:
            examples: ["The Fleet desk will pick this up for you."]
            near_misses: ["The Fleet desk is open until six."]
          farewell:
            examples: ["Cheerio, mind how you go."]
        """))
    assert child.act_examples["escalation"].examples == ("I've passed this to our Fleet desk, who will ring you by Friday.",
                                                         "The Fleet desk will pick this up for you.")
    assert child.act_examples["escalation"].near_misses == ("The Fleet desk is open until six.",)
    assert child.act_examples["farewell"].examples == ("Cheerio, mind how you go.",)
    assert "parent.yml:3" in child.act_examples["escalation"].where and "child.yml:3" in child.act_examples["escalation"].where
    assert child.origins["act:farewell"].startswith("examples added in ")


def test_example_centre_loads_and_changes_what_it_says(default):
    rs = load_centre_file(EXAMPLE)
    assert rs.name == "northfield_college" and rs.criteria["personalisation"].critical
    assert "tone.over_casual" in rs.disabled and "tone.hiding_behind_policy" in ids(rs)
    assert {"fitzone", "thornbury"} <= rs.accepted_words
    assert len(rs.canned_responses) == len(default.canned_responses) + 4


def test_try_load_never_raises(tmp_path):
    good, problem = try_load(str(EXAMPLE))
    assert good is not None and problem is None
    broken = write(tmp_path, "broken.yml", "extends: default\nrules:\n  tone.jargon: {level: loud}\n")
    none, message = try_load(str(broken))
    assert none is None and "broken.yml:3" in message and "'loud' is not one of" in message
    none, message = try_load(str(tmp_path / "missing.yml"))
    assert none is None and "no rule set called" in message
    empty_folder = tmp_path / "folder"
    empty_folder.mkdir()
    none, message = try_load(str(empty_folder))
    assert none is None and "criteria.yml" in message


def test_try_load_compiles_when_given_a_model(tmp_path, checker):
    bad = write(tmp_path, "bad_pattern.yml", """
        extends: default
        new_rules:
          - id: tone.odd
            type: pattern
            criterion: tone
            message: m
            source: s
            patterns: [[{"LOWERR": "x"}]]
        """)
    assert try_load(str(bad))[0] is not None  # token patterns are checked when compiled
    ruleset, message = try_load(str(bad), nlp=checker.nlp)
    assert ruleset is None and "bad token pattern" in message and "bad_pattern.yml" in message


def test_checker_uses_a_named_centre_file(checker, monkeypatch):
    monkeypatch.setitem(checker.rules_paths, "northfield", str(EXAMPLE))
    report = checker.check("Agent: The money went by FPS this morning.\nCustomer: What?", rules="northfield")
    assert report.rules_name == "northfield_college"
    assert "tone.jargon" in {f.rule_id for f in report.findings}


def test_centre_new_rule_names_a_shared_list(tmp_path, checker):
    """(?list:sign_offs) in a centre's own rule is the default rule set's one list of sign-offs."""
    from checker.vocabulary import alternation, phrases

    path = write(tmp_path, "centre.yml", r"""
        extends: default
        new_rules:
          - id: closing.no_chat_sign_off
            type: phrase
            criterion: closing
            channels: [chat]
            message: "'{match}' is a letter's sign-off."
            source: house style
            patterns: ['(?m)^\s*(?list:sign_offs)\s*,\s*$']
            examples:
              bad: ["Your refund is done.\n[[Kind regards,]]"]
              good: ["Your refund is done. Thanks for chatting with us today."]
        """)
    rule = load_ruleset(path).rule("closing.no_chat_sign_off")
    assert alternation(phrases("sign_offs")) in rule.patterns[0]


def test_centre_reads_a_shared_list_by_its_lists_path(tmp_path):
    from checker.vocabulary import phrases

    rs = load_ruleset(write(tmp_path, "centre.yml", """
        extends: default
        rules:
          confirm_understanding.check_in_email:
            then_from: lists/sign_offs.txt
        """))
    assert rs.rule("confirm_understanding.check_in_email").then == phrases("sign_offs")
