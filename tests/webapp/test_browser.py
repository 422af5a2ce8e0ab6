"""The page in a real browser: Debian's chromium, driven by Playwright, against ``replycheck serve``.

Nothing here is skipped when chromium is missing: ``make test`` installs it (``make browser``),
and a missing browser should fail loudly.
"""
from __future__ import annotations

import json
import re

import pytest

from .conftest import ARTIFACTS, NAMES_ONLY_CHAT, XSS_CHAT, sample

pytestmark = pytest.mark.browser


def check(page, url: str, text: str, **options) -> None:
    """Open the form, paste ``text``, set options, press Check and wait for the next page."""
    page.goto(url + "/")
    page.get_by_label("Your transcript").fill(text)
    if "channel" in options:
        page.get_by_label(options["channel"], exact=True).check()
    if options.get("mask"):
        page.get_by_label("Hide personal data", exact=False).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()


def message_text(page, selector: str) -> str:
    """A message's text as the learner reads it, without the note numbers beside highlights."""
    return page.evaluate(
        """(sel) => { const el = document.querySelector(sel).cloneNode(true);
                      el.querySelectorAll('a.gap, .vh').forEach(a => a.remove());
                      return el.textContent; }""", selector)


def test_paste_a_sample_and_see_the_fixes_checklist_and_highlights(page, live_server):
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    check(page, live_server.url, sample("chat_weak.txt"))
    assert page.title().startswith("Not yet competent")
    page.get_by_role("heading", name="Not yet competent").wait_for()
    assert page.locator("ol.fix-list > li").count() == 3
    # the checklist opens on demand, one entry per criterion, each with a visible status
    checklist = page.locator("ol.checklist > li")
    assert checklist.count() == 14 and not checklist.first.is_visible()
    page.get_by_text("Full checklist").click()
    greeting = page.locator("#criterion-greeting")
    assert "Not yet met" in greeting.inner_text()
    assert "Greets the customer courteously" in greeting.inner_text()
    # a highlight on the learner's own words opens its explanation and better wording
    mark = page.locator("li.role-agent a.hl", has_text="definately")
    assert mark.is_visible()
    note = page.locator("#" + mark.get_attribute("href")[1:])
    assert not note.is_visible()
    mark.click()
    assert note.is_visible() and "Try 'definitely'" in note.inner_text() and "Why it matters" in note.inner_text()
    assert mark.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert not note.is_visible()
    # the form again, with the same text, ready to fix and re-check
    assert page.get_by_label("Your transcript").input_value() == sample("chat_weak.txt")
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "results.png"), full_page=True)
    assert not console_errors, console_errors  # e.g. nothing refused by the Content-Security-Policy


def test_choose_which_speaker_you_are_when_asked(page, live_server):
    check(page, live_server.url, NAMES_ONLY_CHAT)
    page.get_by_role("heading", name="Which speaker are you?").wait_for()
    select = page.get_by_label("Your name in the transcript")
    assert select.locator("option").all_inner_texts() == ["Choose a speaker", "Sam", "Priya"]
    assert page.get_by_label("Your transcript").input_value() == NAMES_ONLY_CHAT
    select.select_option("Priya")
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    page.get_by_role("heading", name="Your feedback").wait_for()
    assert "You are Priya in this chat" in page.locator(".read-as").inner_text()
    assert page.locator("li.role-agent").count() == 3


def test_a_hostile_transcript_is_shown_as_text_and_nothing_runs(page, live_server):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    check(page, live_server.url, XSS_CHAT)
    page.get_by_role("heading", name="Your feedback").wait_for()
    assert dialogs == []
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("#turn-0 .msg").is_visible()
    assert "<script>window.__xss = 1; alert('xss')</script>" in message_text(page, "#turn-0 .msg")
    assert "<img src=x onerror=\"window.__xss = 2; alert('img')\">" in message_text(page, "#turn-1 .msg")
    assert page.get_by_text("window.__xss = 2", exact=False).first.is_visible()
    assert page.locator("main img, main svg, main b").count() == 0
    assert page.get_by_label("Your transcript").input_value() == XSS_CHAT


def test_an_oversized_paste_is_stopped_before_it_is_sent(page, live_server):
    page.goto(live_server.url + "/")
    box = page.get_by_label("Your transcript")
    box.fill("Agent: " + "Hello there, how can I help? " * 11000)  # about 320 KB
    warning = page.locator("#text-size")
    assert "over the 256 KB limit" in warning.inner_text()  # told before sending
    requests = []
    page.on("request", lambda request: requests.append(request.url) if request.method == "POST" else None)
    page.get_by_role("button", name="Check").click()
    page.wait_for_timeout(300)  # a submit would have started by now
    assert requests == [] and page.url.rstrip("/") == live_server.url
    assert page.evaluate("document.activeElement.id") == "text"
    assert box.get_attribute("aria-invalid") == "true"
    assert "cannot be checked" in warning.inner_text()


def test_without_javascript_an_oversized_paste_gets_the_413_page(no_js_context, live_server):
    page = no_js_context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.get_by_label("Your transcript").fill("Agent: " + "Hello there, how can I help? " * 11000)
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Check").click()
        assert navigation.value.status == 413
        page.get_by_role("heading", name="Your transcript is too large").wait_for()
        assert "the limit is 256 KB" in page.locator("main").inner_text()
        assert "Back button" in page.locator("main").inner_text()
    finally:
        page.close()


def test_keyboard_only_from_the_text_box_to_the_results(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the main content"
    page.get_by_label("Your transcript").focus()
    page.keyboard.insert_text(sample("chat_good.txt"))
    for _ in range(25):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Check":
            break
    else:
        pytest.fail("the Check button cannot be reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("heading", name="Your feedback").wait_for()


def test_download_the_report_as_json(page, live_server):
    check(page, live_server.url, sample("chat_weak.txt"), mask=True)
    page.get_by_text("Keep a copy").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download this report (JSON)").click()
    download = download_info.value
    assert download.suggested_filename == "replycheck-report.json"
    report = json.loads(download.path().read_text(encoding="utf-8"))
    assert report["decision"] == "not_yet_competent"
    assert "07700 900418" not in json.dumps(report)  # masked, as ticked


CONTRAST = """
() => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const parse = (s) => s.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const selectors = ["body", "h1", ".hint", "a", ".badge", "mark.hl", "a.hl", "a.gap", ".level", ".who",
                     ".read-as", ".why", "button", "label", ".fix", ".more-list", ".decision h2", ".tag", "header.site a"];
  const out = [];
  for (const sel of selectors) {
    for (const el of document.querySelectorAll(sel)) {
      if (!el.offsetParent && sel !== "body") continue;
      const fg = parse(getComputedStyle(el).color).slice(0, 3);
      const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
      out.push({sel, cls: el.className, ratio: (a + 0.05) / (b + 0.05)});
    }
  }
  return out;
}
"""


def test_text_has_enough_contrast_and_the_page_fits_a_phone(page, live_server):
    page.set_viewport_size({"width": 375, "height": 812})
    check(page, live_server.url, sample("email_weak.txt"))
    page.get_by_role("heading", name="Your feedback").wait_for()
    results = page.evaluate(CONTRAST)
    assert len(results) > 50
    low = [r for r in results if r["ratio"] < 4.5]
    assert not low, low[:5]
    # nothing wider than the screen: no sideways scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "results-mobile.png"), full_page=False)


def test_the_core_flow_works_without_javascript(no_js_context, live_server):
    page = no_js_context.new_page()
    try:
        check(page, live_server.url, NAMES_ONLY_CHAT)
        page.get_by_label("Your name in the transcript").select_option("Sam")
        with page.expect_navigation():
            page.get_by_role("button", name="Check").click()
        page.get_by_role("heading", name="Your feedback").wait_for()
        assert page.locator("ol.checklist > li").count() == 14
        assert page.locator("a.hl, a.gap").count() > 0
        # highlights are links, explanations their anchors: following one shows the note
        check(page, live_server.url, sample("chat_weak.txt"))
        mark = page.locator("li.role-agent a.hl", has_text="definately")
        note = page.locator("#" + mark.get_attribute("href")[1:])
        assert not note.is_visible()
        mark.click()
        assert page.url.endswith(mark.get_attribute("href"))
        assert note.is_visible() and "definitely" in note.inner_text()
        assert page.locator("button.apply").count() > 0 and not page.locator("button.apply").first.is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "nojs-note.png"))
    finally:
        page.close()


# ------------------------------------------------------------------ one screen first (issue 13)

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=["desktop", "phone"])
def sized_page(request, browser_context, phone_context):
    """A page at 1366×900 (mouse) or 390×844 (touch)."""
    if request.param == "desktop":
        browser_context.clear_cookies()
        pg = browser_context.new_page()
        pg.set_viewport_size(SIZES["desktop"])
    else:
        phone_context.clear_cookies()
        pg = phone_context.new_page()
    pg.set_default_timeout(15_000)
    pg.size_name = request.param
    yield pg
    pg.close()


def report_json(page, url: str, text: str) -> dict:
    response = page.request.post(url + "/api/check", data={"text": text})
    assert response.ok
    return response.json()


def in_first_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def starts_in_first_viewport(page, locator) -> bool:
    """Its first line is on the first screen (a highlight can be a whole sentence that wraps)."""
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 22) <= height


@pytest.mark.parametrize("name", ["chat_weak", "email_weak"])
def test_one_screen_first_each_problem_once_highlights_open_and_apply(sized_page, live_server, name):
    page, size = sized_page, sized_page.size_name
    text = sample(f"{name}.txt")
    expected = report_json(page, live_server.url, text)
    check(page, live_server.url, text)
    page.evaluate("window.scrollTo(0, 0)")
    shots = ARTIFACTS / "screens"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}-{size}-1-first-screen.png"))

    # the verdict, the top three fixes and the first highlight in the first viewport
    assert in_first_viewport(page, page.locator(".decision h2"))
    fixes = page.locator("ol.fix-list > li")
    assert fixes.count() == 3
    for i in range(3):
        assert in_first_viewport(page, fixes.nth(i)), f"fix {i + 1} is below the first screen"
    assert [fixes.nth(i).locator(".fix-message").inner_text() for i in range(3)] == \
        [p["message"] for p in expected["priorities"][:3]]
    first_highlight = page.locator(".msg a.hl, .msg a.gap").first
    assert starts_in_first_viewport(page, first_highlight), "the first highlight is below the first screen"

    # each finding's message appears once on the page as shown (notes and closed sections hidden);
    # findings marking the same missing part at one place share a marker and are told once
    visible = page.evaluate("document.body.innerText")
    shared = [[page.locator(f"#note-{n} .note-message").text_content() for n in marker.get_attribute("data-notes").split()]
              for marker in page.locator(".msg a.gap[data-notes*=' ']").all()]
    merged = {m for group in shared for m in group}
    for group in shared:
        assert sum(visible.count(m) for m in set(group)) == 1, group
    for f in expected["findings"]:
        if f["message"] not in merged:
            assert visible.count(f["message"]) == 1, f["message"]

    # focusing a highlight shows its explanation (and screen readers get it as its description)
    first_highlight.focus()
    note_ids = first_highlight.get_attribute("data-notes").split()
    note = page.locator(f"#note-{note_ids[0]}")
    assert note.is_visible()
    assert f"note-{note_ids[0]}-text" in first_highlight.get_attribute("aria-describedby").split()
    assert page.locator(f"#note-{note_ids[0]}-text .note-message").inner_text() in \
        [f["message"] for f in expected["findings"]]
    page.screenshot(path=str(shots / f"{name}-{size}-2-focused.png"))
    page.keyboard.press("Escape")
    assert not note.is_visible()

    # tapping (phone) or clicking (desktop) a highlight with an "Apply" shows it, and Apply edits the box
    button = page.locator("button.apply", has_text="Apply:").first
    note_id = button.locator("xpath=ancestor::div[contains(@class, 'note')]").get_attribute("id")
    mark = page.locator(f".msg a[data-notes~='{note_id.split('-')[1]}']").first
    mark.scroll_into_view_if_needed()
    if size == "phone":
        mark.tap()
    else:
        mark.click()
    assert page.locator(f"#{note_id}").is_visible() and button.is_visible()
    page.screenshot(path=str(shots / f"{name}-{size}-3-tapped.png"))
    box = page.get_by_label("Your transcript")
    before = box.input_value()
    find, replacement = button.get_attribute("data-find"), button.get_attribute("data-text")
    button.click()
    after = box.input_value()
    assert after != before and find in before
    assert after == before.replace(find, replacement, 1) or after.count(replacement) > before.count(replacement)
    assert "Done" in page.locator(f"#{note_id} .apply-status").inner_text()
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"{name}-{size}-4-applied.png"))

    # check again: the page says what is now fixed, carried in the form
    with page.expect_navigation():
        page.get_by_role("button", name="Check again").click()
    progress = page.locator(".progress")
    assert progress.is_visible() and "Fixed: 1." in progress.inner_text()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / f"{name}-{size}-5-checked-again.png"))


def test_the_weak_chat_on_a_phone_is_under_three_screens_tall(phone_context, live_server):
    page = phone_context.new_page()
    try:
        check(page, live_server.url, sample("chat_weak.txt"))
        assert page.locator("details[open]").count() == 0  # nothing opened yet
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 3 * 844, f"{height}px is {height / 844:.2f} screens"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "screens" / "chat_weak-phone-full.png"), full_page=True)
    finally:
        page.close()


def test_edit_your_text_is_one_step_from_the_top(sized_page, live_server):
    page = sized_page
    check(page, live_server.url, sample("email_weak.txt"))
    page.get_by_role("link", name="Edit your text").click()
    box = page.get_by_label("Your transcript")
    assert in_first_viewport(page, box)
