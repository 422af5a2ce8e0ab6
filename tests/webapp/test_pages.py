"""HTML pages: the form, the results, errors that keep the learner's text, CSRF, masking,
download, "how it works", and that nothing the learner pastes is logged."""
from __future__ import annotations

import base64
import html as htmllib
import io
import json
import logging
import re
import time

import pytest

from webapp import create_app

from .conftest import LABELLED, NAMES_ONLY_CHAT, XSS_CHAT, csrf_token, sample


def page_text(response) -> str:
    return response.get_data(as_text=True)


def textarea_value(html: str, name: str = "text") -> str:
    match = re.search(rf'<textarea id="{name}" name="{name}"[^>]*>\n(.*?)</textarea>', html, re.S)
    assert match, "no text box on the page"
    return htmllib.unescape(match.group(1))


def marks(html: str) -> list[tuple[str, str, str]]:
    """(level, explanation, text) of every highlight in the transcript: the explanation is the
    text of the notes the highlight opens."""
    out = []
    for lv, numbers, x in re.findall(r'<a class="hl hl-(\w+)(?: hl-cue)?" id="ref-[\d-]+" href="#note-\d+" '
                                     r'data-notes="([\d ]+)"[^>]*>(.*?)</a>', html, re.S):
        explanation = " ".join(note_text(html, int(n)) for n in numbers.split())
        out.append((lv, explanation, htmllib.unescape(x)))
    return out


def note_text(html: str, number: int) -> str:
    """The text of note ``number`` (its message, suggestion and why), tags stripped."""
    start = html.index(f'id="note-{number}"')
    end = html.index("</li>", start)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", html[start:end]))


def note_message(html: str, number: int) -> str:
    start = html.index(f'id="note-{number}"')
    return htmllib.unescape(re.search(r'<p class="note-message">(.*?)</p>', html[start:], re.S).group(1))


def shown_part(html: str) -> str:
    """The page without the edit box and the download form (which hold the text as typed)."""
    html = re.sub(r'<section aria-labelledby="again-heading".*?</form>', "", html, flags=re.S)
    return re.sub(r'<form class="download".*?</form>', "", html, flags=re.S)


def section(html: str, start_id: str, end_id: str | None = None) -> str:
    start = html.index(f'id="{start_id}"')
    end = html.index(f'id="{end_id}"') if end_id else len(html)
    return html[start:end]


# ------------------------------------------------------------------ the form


def test_start_page_has_a_labelled_form_with_a_csrf_token(client):
    html = page_text(client.get("/"))
    assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]{20,}">', html)
    # every visible control has a label pointing at it
    for control_id in re.findall(r'<(?:textarea|select|input)(?![^>]*type="(?:hidden|radio|checkbox)")[^>]*\sid="([^"]+)"', html):
        assert f'<label for="{control_id}"' in html, control_id
    for value in ("auto", "chat", "email"):
        assert f'name="channel" value="{value}"' in html
    assert 'name="file"' in html and 'accept=".txt,.eml,.json,.csv,.tsv' in html
    assert '<option value="default" selected>' in html
    assert 'name="mask"' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<html lang="en-GB">' in html and 'name="viewport"' in html


@pytest.mark.parametrize("example", ["chat", "email"])
def test_example_links_fill_the_box_and_check(form_client, example):
    html = page_text(form_client.get(f"/?example={example}"))
    text = textarea_value(html)
    assert len(text) > 200
    response = form_client.post("/check", data={"text": text})
    assert response.status_code == 200
    assert "Fix these first" in page_text(response) and "Full checklist" in page_text(response)


def test_unknown_example_is_not_found(client):
    assert client.get("/?example=../../etc/passwd").status_code == 404


def test_get_on_check_goes_back_to_the_form(client):
    response = client.get("/check")
    assert response.status_code == 302 and response.headers["Location"].endswith("/")


# ------------------------------------------------------------------ results


@pytest.mark.parametrize("name", ["chat_weak.txt", "chat_good.txt", "email_weak.txt", "email_good.txt"])
def test_results_page_shows_decision_checklist_feedback_transcript_and_the_form_again(form_client, checker, name):
    text = sample(name)
    expected = checker.check(text).to_dict()
    response = form_client.post("/check", data={"text": text, "channel": "auto", "rules": "default"})
    assert response.status_code == 200
    html = page_text(response)
    decision = {"competent": "Competent", "not_yet_competent": "Not yet competent"}[expected["decision"]]
    assert f'<h2 id="decision-heading">{decision}</h2>' in html
    assert f'<span class="score-number">{round(expected["score"])}</span>' in html
    # one checklist entry per criterion, with its status
    for criterion in expected["criteria"]:
        entry = re.search(rf'<li class="criterion status-(\w+)" id="criterion-{criterion["id"]}">', html)
        assert entry and entry.group(1) == criterion["status"], criterion["id"]
        assert criterion["title"] in htmllib.unescape(html)
    for item in expected["feedback"]["went_well"]:
        assert item in htmllib.unescape(html)
    # the first three priorities lead the page, in order, each with its suggestion
    fixes = htmllib.unescape(section(html, "fixes-heading", "transcript-heading"))
    positions = [fixes.index(p["message"]) for p in expected["priorities"][:3]]
    assert positions == sorted(positions)
    for p in expected["priorities"][:3]:
        if p["suggestion"]:
            assert p["suggestion"] in fixes
    # the transcript: every message, the learner's marked "You"
    assert html.count('<li class="turn role-') == len(expected["turns"])
    assert html.count("<strong>You</strong>") == sum(t["role"] == "agent" for t in expected["turns"])
    # every problem finding is listed once outside the transcript (fixes or "also to work on"),
    # and has a note that a highlight in the text opens
    problems = [f for f in expected["findings"] if not f["positive"]]
    listed = htmllib.unescape(section(html, "fixes-heading", "transcript-heading")
                              + (section(html, "more-heading", "checklist") if problems[3:] else ""))
    shared = [[note_message(html, int(n)) for n in group.split()]
              for group in re.findall(r'<a class="gap [^"]*" id="[^"]+" href="#note-\d+" data-notes="(\d+(?: \d+)+)"', html)]
    for f in problems:  # findings sharing one marker (one missing part) are listed once between them
        group = next((g for g in shared if f["message"] in g), [f["message"]])
        assert sum(listed.count(m) for m in set(group)) >= 1, f["message"]
    assert len(re.findall(r'<div class="note note-\w+" id="note-\d+"', html)) == len(problems)
    opened = {int(n) for group in re.findall(r'class="(?:hl|gap) [^"]*" id="ref-[\d-]+" href="#note-\d+" data-notes="([\d ]+)"', html)
              for n in group.split()}
    assert opened == set(range(1, len(problems) + 1))
    # the form again, holding the same text
    assert textarea_value(html) == text.replace("\r\n", "\n")


def test_results_highlight_a_finding_where_it_is_and_offer_the_better_wording(form_client):
    html = page_text(form_client.post("/check", data={"text": sample("chat_weak.txt")}))
    found = {text: (level, explanation) for level, explanation, text in marks(html)}
    assert "definately" in found
    level, explanation = found["definately"]
    assert level == "warning" and "definitely" in explanation and "Why it matters:" in explanation
    assert found["Calm down"][0] == "error" and "Try:" in found["Calm down"][1]
    # "Apply" puts the proofreader's word in place of the learner's
    assert re.search(r'<button type="button" class="apply" hidden\s+data-start="\d+" data-end="\d+" data-find="definately"'
                     r'\s+data-before="[^"]*" data-text="definitely">', html)
    # a missing greeting is a labelled marker at the start of the first reply
    assert re.search(r'id="turn-1">.*?<p class="msg"><a class="gap gap-warning"[^>]*>.*?Add a greeting here</a>', html, re.S)


@pytest.mark.parametrize("name", ["chat_weak.txt", "email_weak.txt"])
def test_each_problem_is_told_once_on_the_page_as_shown(form_client, checker, name):
    """Outside the notes (hidden until a highlight opens one) and the sections that open on
    demand, each finding's message appears exactly once; findings that mark the same missing
    part at the same place share one marker and are told once between them."""
    text = sample(name)
    expected = checker.check(text).to_dict()
    html = page_text(form_client.post("/check", data={"text": text}))
    visible = re.sub(r'<div class="note note-\w+".*?</li>', "</li>", html, flags=re.S)
    visible = re.sub(r"<details.*?</details>", "", visible, flags=re.S)
    visible = htmllib.unescape(re.sub(r"<[^>]+>", "", visible))
    shared = [[note_message(html, int(n)) for n in group.split()]
              for group in re.findall(r'<a class="gap [^"]*" id="[^"]+" href="#note-\d+" data-notes="(\d+(?: \d+)+)"', html)]
    merged = {m for group in shared for m in group}
    for group in shared:
        assert sum(visible.count(m) for m in set(group)) == 1, group
    for f in expected["findings"]:
        if f["message"] not in merged:
            assert visible.count(f["message"]) == 1, f["message"]


def test_a_second_check_says_what_is_fixed_with_nothing_stored(form_client):
    text = sample("chat_weak.txt")
    first = page_text(form_client.post("/check", data={"text": text}))
    previous = htmllib.unescape(re.search(r'name="previous" value="([^"]*)"', first).group(1))
    assert json.loads(previous)["problems"]
    fixed = text.replace("definately", "definitely").replace("Calm down, please. ", "")
    second = page_text(form_client.post("/check", data={"text": fixed, "previous": previous}))
    progress = htmllib.unescape(section(second, "progress-heading", "fixes-heading"))
    assert "Fixed: 2." in progress
    assert "'definately': This word is not in the British English dictionary" in progress and "'Calm down' tells the customer" in progress
    assert "Still to fix:" in progress
    # a tampered or broken field is ignored, not an error
    for bad in ("not json", '{"score": "x", "problems": []}', '[1, 2]', '{"score": 1, "problems": [[1, 2, 3]]}'):
        response = form_client.post("/check", data={"text": fixed, "previous": bad})
        assert response.status_code == 200
        page = page_text(response)
        assert 'id="progress-heading"' not in page or "Fixed:" not in section(page, "progress-heading", "fixes-heading")


@pytest.mark.parametrize("text, fragment", [
    ("hello i cant log in to my account can you help me please", "one email written by you, with no customer messages"),
    (NAMES_ONLY_CHAT.replace("Priya: hello", "Priya: Thanks for contacting us, how can I help?"), None),
])
def test_a_reading_that_is_a_guess_is_said_plainly(form_client, text, fragment):
    html = htmllib.unescape(page_text(form_client.post("/check", data={"text": text})))
    reading = html[html.index('aria-label="How your text was read"'):html.index('id="fixes-heading"')]
    if fragment:
        assert fragment in reading
    else:
        assert "We guessed that you are" in reading
        assert '<details class="form-options" open>' in html


def test_lines_not_read_as_messages_are_listed_when_the_report_has_them(app_no_csrf):
    """The parser may report ``unread_lines``; the page lists them in a disclosure."""
    from webapp import pages

    with app_no_csrf.test_request_context("/check", method="POST", data={"text": "x"}):
        report = app_no_csrf.extensions["checker"].check(sample("chat_weak.txt"))

        class WithUnread:
            conversation = report.conversation

            def to_dict(self):
                data = report.to_dict()
                data["unread_lines"] = [{"start": 0, "end": 9, "text": "<b>stray</b> line"}]
                return data

        html, _status = pages.render_results(pages.FormState(text=sample("chat_weak.txt")), WithUnread()), 200
    assert "1 line not read as messages" in html
    assert "&lt;b&gt;stray&lt;/b&gt; line" in html


def test_results_link_each_criterion_to_its_explanation(form_client):
    html = page_text(form_client.post("/check", data={"text": sample("chat_weak.txt")}))
    assert 'href="/about?rules=default#about-greeting"' in html
    about = page_text(form_client.get("/about?rules=default"))
    assert 'id="about-greeting"' in about


@pytest.mark.parametrize("path", sorted(LABELLED.glob("*/*.*")), ids=lambda p: p.stem[:3])
def test_every_corpus_transcript_renders(form_client, path):
    """Whole corpus through the page: pasted text, or uploaded when it is a .json/.eml file."""
    if path.suffix in (".json", ".eml"):
        data = {"file": (io.BytesIO(path.read_bytes()), path.name), "text": ""}
    else:
        data = {"text": path.read_text(encoding="utf-8")}
    response = form_client.post("/check", data=data, content_type="multipart/form-data")
    assert response.status_code == 200, page_text(response)[:500]
    html = page_text(response)
    ids = re.findall(r'\sid="([^"]+)"', html)
    duplicates = {i for i in ids if ids.count(i) > 1} - {"agent", "text", "file", "rules"}
    assert not duplicates


# ------------------------------------------------------------------ uploads


@pytest.mark.parametrize("filename, channel", [
    ("email/e19_telecoms_upgrade_battery.eml", "email"),
    ("chat/c39_utilities_house_move_final_reading.json", "auto"),
    ("chat/c01_retail_store_hours_paint_stock.txt", "auto"),
])
def test_an_uploaded_file_is_checked_and_its_text_put_in_the_box(form_client, filename, channel):
    path = LABELLED / filename
    response = form_client.post("/check", data={"file": (io.BytesIO(path.read_bytes()), path.name), "text": ""},
                                content_type="multipart/form-data")
    assert response.status_code == 200
    html = page_text(response)
    assert f"The text of {path.name} is in the box below" in html
    text = textarea_value(html)
    assert text.strip()
    assert f'name="channel" value="{channel}" checked' in html
    # checking the box's text again gives the same report
    again = form_client.post("/check", data={"text": text, "channel": channel})
    first = re.search(r'score-number">(\d+)<', html).group(1)
    assert re.search(r'score-number">(\d+)<', page_text(again)).group(1) == first


CSV_CHAT = (b"role,text\ncustomer,\"Hi, my parcel hasn't arrived\"\n"
            b"agent,\"Hello, I'm Mo. I'm sorry it's late. Could I take your order number, please?\"\n")


def test_an_uploaded_csv_of_one_conversation_is_checked(form_client):
    response = form_client.post("/check", data={"file": (io.BytesIO(CSV_CHAT), "chat.csv"), "text": ""},
                                content_type="multipart/form-data")
    assert response.status_code == 200
    html = page_text(response)
    assert "The text of chat.csv is in the box below" in html
    assert re.search(r'score-number">\d+<', html)  # checked, not refused


def test_an_uploaded_csv_of_several_conversations_points_to_batch(form_client):
    table = b"conversation_id,role,text\n1,customer,Hello\n1,agent,Hi there\n2,customer,Hello\n2,agent,Hi\n"
    response = form_client.post("/check", data={"file": (io.BytesIO(table), "cohort.csv"), "text": ""},
                                content_type="multipart/form-data")
    assert response.status_code == 400
    assert "replycheck batch" in htmllib.unescape(page_text(response))


TYPED = "Agent: the text I typed before choosing the wrong file"


@pytest.mark.parametrize("filename, content, fragment, box", [
    ("photo.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "looks like a PNG image", TYPED),
    ("notes.docx", b"PK\x03\x04", "reads .txt, .eml, .json, .csv and .tsv files", TYPED),
    ("empty.txt", b"", "the file is empty", TYPED),
    # readable as text but not valid JSON: its text goes in the box, to be fixed there
    ("broken.json", b'{"messages": [', "broken.json:1: invalid JSON", '{"messages": ['),
], ids=["binary", "docx", "empty", "bad-json"])
def test_an_unreadable_file_gets_a_clear_message_and_keeps_the_text(form_client, filename, content, fragment, box):
    response = form_client.post("/check", data={"file": (io.BytesIO(content), filename), "text": TYPED},
                                content_type="multipart/form-data")
    assert response.status_code == 400
    html = page_text(response)
    assert 'role="alert"' in html
    assert fragment in htmllib.unescape(html)
    assert textarea_value(html) == box
    assert "Traceback" not in html


# ------------------------------------------------------------------ errors that keep the text


def test_empty_text_is_a_400_with_a_message_keeping_the_options(form_client):
    response = form_client.post("/check", data={"text": "  \n ", "channel": "email", "mask": "1"})
    assert response.status_code == 400
    html = page_text(response)
    assert "The transcript is empty" in html
    assert 'name="channel" value="email" checked' in html
    assert re.search(r'name="mask" value="1" checked', html)


def test_names_only_chat_asks_which_speaker_and_then_checks(form_client):
    response = form_client.post("/check", data={"text": NAMES_ONLY_CHAT})
    assert response.status_code == 422
    html = page_text(response)
    assert "Which speaker are you?" in html
    select = re.search(r'<select id="agent" name="agent" required[^>]*>(.*?)</select>', html, re.S)
    assert select, "no required speaker choice"
    assert re.findall(r'<option value="([^"]+)"', select.group(1)) == ["Sam", "Priya"]
    assert textarea_value(html) == NAMES_ONLY_CHAT
    # choose Priya: now she is judged as the adviser, and the choice stays selected
    response = form_client.post("/check", data={"text": NAMES_ONLY_CHAT, "agent": "Priya"})
    assert response.status_code == 200
    html = page_text(response)
    assert "You are <strong>Priya</strong> in this chat" in html
    assert '<option value="Priya" selected>' in html
    assert html.count('<strong>You</strong><span class="speaker-name"> (Priya)</span>') == 3


def test_a_speaker_who_is_not_there_is_asked_again(form_client):
    response = form_client.post("/check", data={"text": NAMES_ONLY_CHAT, "agent": "Bob"})
    assert response.status_code == 422
    assert "No speaker called &#39;Bob&#39;" in page_text(response)


@pytest.mark.parametrize("field, value, fragment", [
    ("channel", "fax", "Unknown channel"),
    ("rules", "../../etc", "Unknown rule set"),
    ("agent", "x" * 101, "too long"),
])
def test_bad_option_values_are_refused_with_the_text_kept(form_client, field, value, fragment):
    data = {"text": sample("chat_good.txt"), field: value}
    response = form_client.post("/check", data=data)
    assert response.status_code == 400
    assert fragment in page_text(response)
    assert textarea_value(page_text(response)) == sample("chat_good.txt")


def test_a_hostile_transcript_is_shown_as_text(form_client):
    html = page_text(form_client.post("/check", data={"text": XSS_CHAT}))
    assert "<script>window.__xss" not in html
    assert "<img src=x" not in html and "<svg onload" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;window.__xss = 1; alert(&#39;xss&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    # the closing tag in the text cannot end the text box early
    assert "&lt;/textarea&gt;&lt;svg onload=alert(3)&gt;" in html
    assert len(re.findall(r"<script\b", html)) == 1  # only the page's own script file
    assert re.search(r'<script src="/static/app.js" defer></script>', html)


def test_csrf_is_required_and_a_failed_check_keeps_the_text(client):
    text = sample("chat_good.txt")
    response = client.post("/check", data={"text": text, "channel": "chat"})
    assert response.status_code == 400
    html = page_text(response)
    assert "form had expired" in html
    assert textarea_value(html) == text
    assert 'name="channel" value="chat" checked' in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert client.post("/check", data={"text": text, "csrf_token": token}).status_code == 200
    assert client.post("/check", data={"text": text, "csrf_token": "forged"}).status_code == 400


def test_the_session_cookie_holds_no_transcript(client):
    token = csrf_token(client)
    client.post("/check", data={"text": sample("chat_weak.txt"), "csrf_token": token})
    cookie = client.get_cookie("session")
    assert cookie is not None
    payload = cookie.value.lstrip(".").split(".")[0]
    payload += "=" * (-len(payload) % 4)
    raw = base64.urlsafe_b64decode(payload)
    if cookie.value.startswith("."):
        import zlib

        raw = zlib.decompress(raw)
    assert set(json.loads(raw)) == {"csrf_token"}
    assert cookie.http_only and cookie.same_site == "Lax"


def test_too_large_a_paste_gets_the_413_page(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    big = "Agent: " + "Hello there. " * (limit // 12 + 100)
    response = client.post("/check", data={"text": big, "csrf_token": csrf_token(client)})
    assert response.status_code == 413
    html = page_text(response)
    assert response.mimetype == "text/html"
    assert f"the limit is {limit // 1024} KB" in html
    assert "Back button" in html


class SlowChecker:
    """The real checker, slowed down: stands in for a pathological input."""

    def __init__(self, real, delay):
        self.real, self.delay = real, delay
        self.rules_paths = real.rules_paths
        self.model_name = real.model_name
        self.proofreader = real.proofreader

    def ruleset(self, name="default"):
        return self.real.ruleset(name)

    def check(self, *args, **kwargs):
        time.sleep(self.delay)
        return self.real.check(*args, **kwargs)


@pytest.fixture()
def slow_app(checker):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "CHECKER": SlowChecker(checker, 1.5),
                      "CHECK_TIMEOUT": 0.3, "CHECK_WORKERS": 1})
    yield app
    app.extensions["replycheck.runner"].shutdown()


def test_a_check_over_the_time_limit_gets_a_503_page_quickly(slow_app):
    client = slow_app.test_client()
    started = time.monotonic()
    response = client.post("/check", data={"text": sample("chat_good.txt")})
    assert time.monotonic() - started < 1.2
    assert response.status_code == 503
    html = page_text(response)
    assert "longer than 0.3 seconds" in html and response.mimetype == "text/html"
    assert textarea_value(html) == sample("chat_good.txt")  # nothing lost


# ------------------------------------------------------------------ masking and download


SECRETS = ("07700 900418", "CT20 2QN")


def test_mask_hides_personal_data_in_the_report_but_not_in_the_box(form_client):
    text = sample("chat_weak.txt")
    for secret in SECRETS:
        assert secret in text
    html = page_text(form_client.post("/check", data={"text": text, "mask": "1"}))
    # what is shown: everything but the (hidden) download form and the edit box
    shown = shown_part(html)
    for secret in SECRETS:
        assert secret not in shown
    assert "•••••" in shown
    assert "hidden in this report" in shown
    # the box keeps the original (to check again), folded away
    again = html[html.index('id="again"'):]
    assert "<details>" in again and textarea_value(again) == text
    # highlights stay on the same words
    assert "definately" in [t for _, _, t in marks(html)]


def test_without_mask_the_report_shows_the_text_as_written(form_client):
    html = page_text(form_client.post("/check", data={"text": sample("chat_weak.txt")}))
    shown = shown_part(html)
    assert all(secret in shown for secret in SECRETS)


@pytest.mark.parametrize("mask", [False, True])
def test_download_gives_the_report_json_as_a_file(form_client, client, mask):
    text = sample("chat_weak.txt")
    page = page_text(form_client.post("/check", data={"text": text, **({"mask": "1"} if mask else {})}))
    form = page[page.index('action="/download"'):page.index("</form>", page.index('action="/download"'))]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    fields.pop("csrf_token")
    fields["text"] = htmllib.unescape(re.search(r'<textarea name="text" hidden[^>]*>\n(.*?)</textarea>', form, re.S).group(1))
    assert fields["text"] == text
    response = form_client.post("/download", data=fields)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="replycheck-report.json"'
    assert response.headers["Cache-Control"] == "no-store"
    report = json.loads(response.get_data(as_text=True))
    api = client.post("/api/check", json={"text": text, "mask": mask}).get_json()
    assert report == api
    body = response.get_data(as_text=True)
    assert all((secret in body) != mask for secret in SECRETS)


# ------------------------------------------------------------------ how it works


def test_how_it_works_explains_every_criterion_of_the_rule_set(client, checker):
    html = htmllib.unescape(page_text(client.get("/about")))
    ruleset = checker.ruleset("default")
    for criterion in ruleset.criteria.values():
        assert f'id="about-{criterion.id}"' in html
        for text in (criterion.title, criterion.description, criterion.why):
            assert " ".join(text.split()) in html
    assert f"pass mark\n    for this rule set is {round(ruleset.pass_score)}" in html


def test_how_it_works_for_an_unknown_rule_set_is_not_found(client):
    assert client.get("/about?rules=nope").status_code == 404


@pytest.mark.parametrize("method, path, status", [("get", "/nothing-here", 404), ("post", "/about", 405)])
def test_other_errors_are_html_pages_without_tracebacks(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status and response.mimetype == "text/html"
    assert f"Error {status}" in page_text(response)


# ------------------------------------------------------------------ privacy: nothing logged


MARKER = "Zebedee-4471-Quixotic"


def test_nothing_the_learner_sends_is_logged_even_when_something_breaks(checker, caplog, capfd):
    text = f"Agent: Hello {MARKER}, how can I help?\nCustomer: my order {MARKER} is late\n"
    app = create_app({"TESTING": False, "WTF_CSRF_ENABLED": False, "CHECKER": checker, "CHECK_WORKERS": 1})
    client = app.test_client()
    caplog.set_level(logging.DEBUG)
    try:
        assert client.post("/check", data={"text": text}).status_code == 200
        assert client.post("/api/check", json={"text": text}).status_code == 200
        assert client.post("/check", data={"text": f"{MARKER}: a\n{MARKER}x: b"}).status_code in (400, 422)

        def broken(*args, **kwargs):
            raise ValueError(f"bug while reading {args[0]!r}")  # a bug whose message quotes the input

        app.extensions["replycheck.runner"].checker = type("Broken", (), {"check": staticmethod(broken),
                                                                          "ruleset": checker.ruleset})()
        response = client.post("/check", data={"text": text})
        assert response.status_code == 500 and MARKER not in page_text(response)
        api = client.post("/api/check", json={"text": text})
        assert api.status_code == 500 and api.get_json()["error"] == "internal_error"
    finally:
        app.extensions["replycheck.runner"].shutdown()
    assert "unhandled ValueError on POST /check" in caplog.text  # the bug is still reported
    out, err = capfd.readouterr()
    for where in (caplog.text, out, err):
        assert MARKER not in where


def test_progress_keeps_a_problem_whose_long_quote_only_lost_a_typo():
    """Fixing a typo inside a sentence another rule quotes leaves that rule's problem in place
    (neither fixed nor new); a one-word quote that changes is the fix itself."""
    from webapp.pages import compare

    sentence = "I can definately switch on roaming barring so it doesn't happen again untill you travel."
    before = {"score": 47, "problems": [("empathy.acknowledge_feelings", sentence, "late"),
                                        ("spelling_grammar.proofreading", "definately", "typo")]}
    now = {"problems": [("empathy.acknowledge_feelings", sentence.replace("definately", "definitely"), "late")]}
    result = compare(before, now, {"score": 50})
    assert result["fixed"] == ["typo"] and result["remaining"] == 1 and result["new"] == 0
    other = {"problems": [("empathy.acknowledge_feelings", "Thanks for waiting, I have refunded the charge today.", "late")]}
    assert compare(before, other, {"score": 50})["new"] == 1
