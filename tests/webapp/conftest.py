"""Fixtures for the web app: an app on the session's real Checker, a test client, a real
``replycheck serve`` on a free loopback port, and Debian's chromium driven by Playwright."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "corpora" / "samples"
LABELLED = ROOT / "corpora" / "labelled"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"

# A names-only chat: no role words, and nothing that says which speaker is the adviser.
# Genuinely balanced: neither speaker offers help, asks for details or states a problem, so the
# page must ask which one is the learner (a chat where one side asks for an order number is not).
NAMES_ONLY_CHAT = (
    "Sam: hiya\n"
    "Priya: hello\n"
    "Sam: is it still raining where you are\n"
    "Priya: a little bit\n"
    "Sam: ok see you\n"
    "Priya: bye for now\n"
)

XSS_CHAT = (
    "Agent: Hello, you're through to Sam. <script>window.__xss = 1; alert('xss')</script> How can I help?\n"
    "Customer: <img src=x onerror=\"window.__xss = 2; alert('img')\"> my order is late\n"
    "Agent: I'm sorry it is late. <b>bold</b> Is there anything else? </textarea><svg onload=alert(3)>\n"
    "Customer: no thanks\n"
    "Agent: Thank you for contacting us. Have a lovely day.\n"
)


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def app(checker):
    """The app on the session's Checker, CSRF on (as in production)."""
    from webapp import create_app

    application = create_app({"TESTING": True, "CHECKER": checker})
    yield application
    application.extensions["replycheck.runner"].shutdown()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def app_no_csrf(checker):
    """The same, without CSRF, for tests about what the form does rather than its protection."""
    from webapp import create_app

    application = create_app({"TESTING": True, "CHECKER": checker, "WTF_CSRF_ENABLED": False})
    yield application
    application.extensions["replycheck.runner"].shutdown()


@pytest.fixture()
def form_client(app_no_csrf):
    return app_no_csrf.test_client()


def csrf_token(client) -> str:
    html = client.get("/").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the form has no CSRF token"
    return match.group(1)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, url: str, proc: subprocess.Popen, output: list[str]):
        self.url = url
        self.proc = proc
        self.output = output  # every line the server printed (stdout and stderr)


@pytest.fixture(scope="session")
def live_server():
    """``replycheck serve`` as a user runs it, on a free port on 127.0.0.1."""
    port = free_port()
    exe = Path(sys.executable).with_name("replycheck")
    cmd = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", "4"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPLYCHECK_")}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise RuntimeError("replycheck serve exited:\n" + "".join(output))
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("replycheck serve did not start in 90 s:\n" + "".join(output))
        time.sleep(0.2)
    yield LiveServer(base, proc, output)
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    reader.join(timeout=10)
    proc.stdout.close()


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run 'make browser' (apt-get install chromium)"
    with sync_playwright() as pw:
        yield pw


def launch_chromium(playwright, profile: Path, **options):
    """Debian's chromium with a throw-away profile (Playwright passes the folder as --user-data-dir)."""
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, locale="en-GB", **options)


@pytest.fixture(scope="session")
def browser_context(playwright, tmp_path_factory):
    context = launch_chromium(playwright, tmp_path_factory.mktemp("chromium-profile"),
                              viewport={"width": 1100, "height": 900}, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture(scope="session")
def no_js_context(playwright, tmp_path_factory):
    """A second chromium with JavaScript off: the core flow must not need it."""
    context = launch_chromium(playwright, tmp_path_factory.mktemp("chromium-nojs"), java_script_enabled=False)
    yield context
    context.close()


@pytest.fixture(scope="session")
def phone_context(playwright, tmp_path_factory):
    """A phone-sized chromium with touch, for taps (390×844, as on a current phone)."""
    context = launch_chromium(playwright, tmp_path_factory.mktemp("chromium-phone"),
                              viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    yield context
    context.close()


@pytest.fixture()
def page(browser_context):
    browser_context.clear_cookies()
    pg = browser_context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    pg.close()
