"""``create_app``: configuration, the checker built once, rule sets, headers, ``replycheck serve``."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import checker as checker_package
from checker.errors import SetupError
from webapp import create_app
from webapp.config import DEFAULTS, from_environment, parse_rules
from webapp.security import CONTENT_SECURITY_POLICY

from .conftest import ROOT, sample

DEFAULT_RULES_DIR = ROOT / "checker" / "rules" / "default"


def make_ruleset(tmp_path: Path, name: str, pass_score: int) -> Path:
    """A copy of the default rule set under another name and pass mark."""
    folder = tmp_path / name
    shutil.copytree(DEFAULT_RULES_DIR, folder)
    (folder / "ruleset.yml").write_text(f'name: {name}\nversion: "9.9"\ndescription: A stricter copy.\npass_score: {pass_score}\n',
                                        encoding="utf-8")
    return folder


@pytest.mark.parametrize("value, expected", [
    ("centre=/srv/centre.yml", {"centre": "/srv/centre.yml"}),
    ("a=/x, b=/y ,", {"a": "/x", "b": "/y"}),
    ("/srv/rules/Strict", {"strict": "/srv/rules/Strict"}),
    ("", {}),
])
def test_parse_rules_reads_name_path_pairs(value, expected):
    assert parse_rules(value) == expected


@pytest.mark.parametrize("value, fragment", [
    ("default=/x", "taken"),
    ("a=/x,a=/y", "twice"),
    ("bad name=/x", "not name=path"),
    ("a=", "not name=path"),
])
def test_parse_rules_rejects_bad_values(value, fragment):
    with pytest.raises(SetupError, match=fragment):
        parse_rules(value)


@pytest.mark.parametrize("env, expected", [
    ({"REPLYCHECK_MODEL": "blank:en"}, {"SPACY_MODEL": "blank:en"}),
    ({"REPLYCHECK_LANGUAGETOOL_URL": "http://lt:8010"}, {"LANGUAGETOOL_URL": "http://lt:8010"}),
    ({"REPLYCHECK_MAX_CONTENT_LENGTH": "4096"}, {"MAX_CONTENT_LENGTH": 4096}),
    ({"REPLYCHECK_CHECK_TIMEOUT": "2.5"}, {"CHECK_TIMEOUT": 2.5}),
    ({"REPLYCHECK_CHECK_WORKERS": "3"}, {"CHECK_WORKERS": 3}),
    ({"REPLYCHECK_SECRET_KEY": "s3cret"}, {"SECRET_KEY": "s3cret"}),
    ({"REPLYCHECK_SECURE_COOKIES": "1"}, {"SESSION_COOKIE_SECURE": True}),
    ({"REPLYCHECK_RULES": "centre=/c"}, {"RULES": {"centre": "/c"}}),
    ({"UNRELATED": "x"}, {}),
])
def test_from_environment_reads_replycheck_variables(env, expected):
    assert from_environment(env) == expected


@pytest.mark.parametrize("env, fragment", [
    ({"REPLYCHECK_MAX_CONTENT_LENGTH": "lots"}, "REPLYCHECK_MAX_CONTENT_LENGTH must be a number"),
    ({"REPLYCHECK_CHECK_TIMEOUT": "0"}, "REPLYCHECK_CHECK_TIMEOUT must be more than 0"),
    ({"REPLYCHECK_SECURE_COOKIES": "maybe"}, "REPLYCHECK_SECURE_COOKIES must be 1 or 0"),
])
def test_from_environment_names_the_bad_variable(env, fragment):
    with pytest.raises(SetupError, match=fragment):
        from_environment(env)


def test_create_app_builds_the_checker_once_and_shares_it(monkeypatch):
    built = []

    class CountingChecker(checker_package.Checker):
        def __init__(self, *args, **kwargs):
            built.append(kwargs)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(checker_package, "Checker", CountingChecker)
    for key in list(DEFAULTS):
        monkeypatch.delenv(f"REPLYCHECK_{key}", raising=False)
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
    try:
        client = app.test_client()
        for _ in range(3):
            assert client.post("/api/check", json={"text": sample("chat_good.txt")}).status_code == 200
        assert client.post("/check", data={"text": sample("chat_weak.txt")}).status_code == 200
        assert len(built) == 1
        assert isinstance(app.extensions["checker"], CountingChecker)
        assert built[0]["model"] == DEFAULTS["SPACY_MODEL"]
        assert app.extensions["checker"]._rulesets.keys() == {"default"}  # loaded at start, not per request
    finally:
        app.extensions["replycheck.runner"].shutdown()
        app.extensions["checker"].close()


def test_create_app_takes_settings_from_the_environment(monkeypatch, tmp_path):
    strict = make_ruleset(tmp_path, "strict", 90)
    monkeypatch.setenv("REPLYCHECK_RULES", f"strict={strict}")
    monkeypatch.setenv("REPLYCHECK_MAX_CONTENT_LENGTH", "50000")
    monkeypatch.setenv("REPLYCHECK_CHECK_TIMEOUT", "7")
    monkeypatch.setenv("REPLYCHECK_SECRET_KEY", "from-the-environment")
    app = create_app({"TESTING": True})
    try:
        assert app.config["MAX_CONTENT_LENGTH"] == 50000
        assert app.config["MAX_FORM_MEMORY_SIZE"] == 50000  # one limit for the whole form
        assert app.config["SECRET_KEY"] == "from-the-environment"
        assert app.extensions["replycheck.runner"].timeout == 7
        client = app.test_client()
        listed = client.get("/api/rulesets").get_json()
        assert [r["name"] for r in listed["rulesets"]] == ["default", "strict"]
        assert listed["rulesets"][1]["pass_score"] == 90
        # the extra rule set judges: same transcript, same score, a stricter pass mark
        text = sample("chat_good.txt")
        default = client.post("/api/check", json={"text": text}).get_json()
        stricter = client.post("/api/check", json={"text": text, "rules": "strict"}).get_json()
        assert stricter["rules"] == {"name": "strict", "version": "9.9"}
        assert default["rules"]["name"] == "default"
        assert stricter["score"] == default["score"]
        assert stricter["decision"] == ("competent" if default["score"] >= 90 else "not_yet_competent")
        assert 'value="strict"' in client.get("/").get_data(as_text=True)
        assert "A stricter copy." in client.get("/about?rules=strict").get_data(as_text=True)
    finally:
        app.extensions["replycheck.runner"].shutdown()
        app.extensions["checker"].close()


def test_a_centre_file_can_be_offered_as_a_rule_set(monkeypatch, tmp_path, checker):
    centre = tmp_path / "northfield.yml"
    centre.write_text('extends: default\nname: northfield\nversion: "2.0"\ndescription: Northfield College\n'
                      "pass_score: 85\ncriteria:\n  personalisation: {critical: true}\n", encoding="utf-8")
    monkeypatch.setenv("REPLYCHECK_RULES", str(centre))  # a bare path: named after the file
    app = create_app({"TESTING": True})
    try:
        client = app.test_client()
        listed = {r["name"]: r for r in client.get("/api/rulesets").get_json()["rulesets"]}
        assert set(listed) == {"default", "northfield"}
        assert listed["northfield"]["pass_score"] == 85
        assert {c["id"]: c["critical"] for c in listed["northfield"]["criteria"]}["personalisation"] is True
        report = client.post("/api/check", json={"text": sample("chat_weak.txt"), "rules": "northfield"}).get_json()
        assert report["rules"] == {"name": "northfield", "version": "2.0"}
    finally:
        app.extensions["replycheck.runner"].shutdown()
        app.extensions["checker"].close()


def test_create_app_without_a_secret_key_makes_a_random_one(checker, monkeypatch):
    monkeypatch.delenv("REPLYCHECK_SECRET_KEY", raising=False)
    keys = set()
    for _ in range(2):
        app = create_app({"TESTING": True, "CHECKER": checker})
        keys.add(app.config["SECRET_KEY"])
        assert len(app.config["SECRET_KEY"]) >= 32
        app.extensions["replycheck.runner"].shutdown()
    assert len(keys) == 2


@pytest.fixture
def app_with_broken_rules(tmp_path, monkeypatch):
    broken = make_ruleset(tmp_path, "broken", 70)
    rule = broken / "greeting" / "chat_greeting.yml"
    rule.write_text(rule.read_text(encoding="utf-8") + "\nnot_a_key: 1\n", encoding="utf-8")
    good = make_ruleset(tmp_path, "strict", 80)
    monkeypatch.setenv("REPLYCHECK_RULES", f"broken={broken},strict={good}")
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
    yield app
    app.extensions["replycheck.runner"].shutdown()


def test_a_broken_rule_set_never_takes_the_page_down(app_with_broken_rules):
    app = app_with_broken_rules
    assert set(app.extensions["replycheck.broken_rules"]) == {"broken"}
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    assert "could not be loaded" in page and "not_a_key" in page and "chat_greeting.yml" in page
    assert '<option value="broken"' not in page and '<option value="strict"' in page
    ok = client.post("/check", data={"text": "Agent: Hello, how can I help?\nCustomer: Hi", "rules": "strict"})
    assert ok.status_code == 200 and "Greets the customer" in ok.get_data(as_text=True)


def test_a_broken_rule_set_is_reported_by_the_api_and_health_check(app_with_broken_rules):
    client = app_with_broken_rules.test_client()
    rulesets = client.get("/api/rulesets").get_json()
    assert [r["name"] for r in rulesets["rulesets"]] == ["default", "strict"]
    assert rulesets["unavailable"][0]["name"] == "broken" and "not_a_key" in rulesets["unavailable"][0]["error"]
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["status"] == "degraded"
    assert "broken" in health.get_json()["unavailable_rulesets"]
    response = client.post("/api/check", json={"text": "Agent: Hello\nCustomer: Hi", "rules": "broken"})
    assert response.status_code == 503
    assert response.get_json()["error"] == "rules_unavailable" and "not_a_key" in response.get_json()["message"]
    assert client.post("/api/check", json={"text": "Agent: Hello\nCustomer: Hi", "rules": "strict"}).status_code == 200


def test_create_app_refuses_a_given_checker_that_lacks_a_configured_rule_set(checker):
    with pytest.raises(SetupError, match="centre"):
        create_app({"TESTING": True, "CHECKER": checker, "RULES": {"centre": "/nowhere"}})


@pytest.mark.parametrize("path", ["/", "/about", "/api/rulesets", "/healthz", "/no-such-page", "/api/nothing"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_are_served_and_may_be_cached(client):
    for name in ("style.css", "app.js", "favicon.svg"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200
        assert response.headers.get("Cache-Control") != "no-store"
        response.close()


def test_templates_never_switch_escaping_off():
    """Every piece of user text is escaped: no template may opt out."""
    templates = Path(__file__).resolve().parents[2] / "webapp" / "templates"
    for path in templates.glob("*.html"):
        source = path.read_text(encoding="utf-8")
        for banned in ("|safe", "| safe", "autoescape false", "Markup(", "<script>", "style=\"", " on"):
            if banned == " on":
                import re

                assert not re.search(r"<[^>]*\son[a-z]+=", source), f"{path.name} has an inline event handler"
            else:
                assert banned not in source, f"{path.name} contains {banned!r}"


def test_serve_command_is_wired_into_the_cli():
    exe = Path(sys.executable).with_name("replycheck")
    result = subprocess.run([str(exe), "serve", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for option in ("--host", "--port", "--threads", "--rules"):
        assert option in result.stdout
    assert "127.0.0.1" in result.stdout


def test_serve_command_rejects_a_bad_rules_option():
    exe = Path(sys.executable).with_name("replycheck")
    result = subprocess.run([str(exe), "serve", "--rules", "default=/x"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "--rules" in result.stderr and "taken" in result.stderr
    assert "Traceback" not in result.stderr
