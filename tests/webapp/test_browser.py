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
                      el.querySelectorAll('a.ref, a.gap').forEach(a => a.remove());
                      return el.textContent; }""", selector)


def test_paste_a_sample_and_see_the_checklist_and_highlights(page, live_server):
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    check(page, live_server.url, sample("chat_weak.txt"))
    assert page.title().startswith("Not yet competent")
    page.get_by_role("heading", name="Not yet competent").wait_for()
    # the checklist, one entry per criterion, each with a visible status
    checklist = page.locator("ol.checklist > li")
    assert checklist.count() == 14
    greeting = page.locator("#criterion-greeting")
    assert "Not yet met" in greeting.inner_text()
    assert "Greets the customer courteously" in greeting.inner_text()
    # a highlight on the learner's own words, explaining itself and offering better wording
    mark = page.locator("li.role-agent mark.hl", has_text="definately")
    assert mark.is_visible()
    title = mark.get_attribute("title")
    assert "definitely" in title and "Try:" in title
    # its note is one keyboard step away
    ref = page.locator("li.role-agent a.ref").first
    ref.focus()
    page.keyboard.press("Enter")
    assert re.search(r"#note-\d+$", page.url)
    note = page.locator(page.url[page.url.index("#"):])
    assert note.is_visible() and "Try:" in note.inner_text()
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
    assert "your messages are the ones from Priya" in page.locator("ul.facts").inner_text()
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


def test_an_oversized_paste_gets_the_413_page(page, live_server):
    page.goto(live_server.url + "/")
    box = page.get_by_label("Your transcript")
    box.fill("Agent: " + "Hello there, how can I help? " * 11000)  # about 320 KB
    warning = page.locator("#text-size")
    assert "over the 256 KB limit" in warning.inner_text()  # told before sending
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Check").click()
    assert navigation.value.status == 413
    page.get_by_role("heading", name="Your transcript is too large").wait_for()
    assert "the limit is 256 KB" in page.locator("main").inner_text()
    assert "Back button" in page.locator("main").inner_text()


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
  const selectors = ["body", "h1", ".hint", "a", ".badge", "mark.hl", "a.ref", "a.gap", ".level", ".who",
                     ".facts", ".why", "button", "label", ".note-no", ".decision h2", ".tag", "header.site a"];
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
        assert page.locator("mark.hl, a.gap").count() > 0
    finally:
        page.close()
