"""End to end in a real browser: the chat page and the source view in headless Chromium (Playwright, sync API),
against a real uvicorn server over the seed corpus plus one document full of hostile markup.

Needs Debian's Chromium at /usr/bin/chromium (``make test`` installs it); without it these tests fail."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, SEED_CORPUS, running_server, write

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
MISSING_CHROMIUM = (
    f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
    "(`make test` installs it; or run `apt-get install chromium`)"
)
ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT_MS = 20_000

OWNER_QUESTION = "Which company owns Oppo, Vivo and OnePlus?"
HOSTILE_QUESTION = "When was the Quokka Lighthouse Society founded?"
SCRIPT_MARKUP = "<script>window.__pwned=1;alert('x')</script>"
IMG_MARKUP = '<img src=x onerror="window.__pwned=2">'
HOSTILE_TEXT = f"""Hostile markup test page

The Quokka Lighthouse Society was founded in 1987 by {SCRIPT_MARKUP} a keeper of lamps.
Its emblem is stored as {IMG_MARKUP} in the society archive.
"""
# Collects CSP violations on every page, whether or not Chromium also logs them to the console.
CSP_RECORDER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, embedder):
    """Settings and an assistant over the seed corpus plus ``evil.txt``."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    base = tmp_path_factory.mktemp("browser")
    corpus = base / "corpus"
    shutil.copytree(SEED_CORPUS, corpus)
    write(corpus / "evil.txt", HOSTILE_TEXT)
    settings = Settings(corpus=corpus, index_dir=base / "index")
    return settings, Assistant.open(settings, embedder, build=True)


@pytest.fixture(scope="module")
def server(seeded):
    """A real uvicorn server in a thread over ``seeded``; yields its base URL."""
    with running_server(*seeded) as base_url:
        yield base_url


API_KEY = "team-key-for-browser-tests"


@pytest.fixture(scope="module")
def keyed_server(seeded):
    """The same assistant served with ``ASSISTANT_API_KEY`` set."""
    from pydantic import SecretStr

    settings, assistant = seeded
    with running_server(settings.model_copy(update={"api_key": SecretStr(API_KEY)}), assistant) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Session:
    """One browser context on the chat page, with what went wrong on any of its pages."""

    page: object
    base: str
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    shown: object = None  # the page the screenshot is taken of (the chat page unless a test says otherwise)

    def ask(self, question: str, *, keyboard: bool = True):
        """Type a question, press Enter, and wait for the answer; returns the answer box of that turn."""
        page = self.page
        turns = page.locator("#log .turn")
        before = turns.count()
        box = page.locator("#question")
        box.click()
        box.fill(question)
        box.press("Enter")
        turn = turns.nth(before)
        turn.locator(".question").wait_for(timeout=TIMEOUT_MS)
        assert turn.locator(".question").inner_text() == question
        answer = turn.locator(".answer")
        answer.wait_for(timeout=TIMEOUT_MS)
        assert turn.locator(".error").count() == 0
        return answer

    def assert_clean(self) -> None:
        """No console errors, page errors, CSP violations or dialogs on any page of this session."""
        for page in self.page.context.pages:
            if not page.is_closed():
                violations = page.evaluate("window.__csp || []")
                self.errors.extend(f"CSP violation on {page.url}: {v}" for v in violations)
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        assert self.errors == [], "errors in the browser:\n" + "\n".join(self.errors)


def _watch(session: Session, page) -> None:
    def on_console(msg):
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if url.endswith("/favicon.ico") or "favicon.ico" in msg.text:
            return
        session.errors.append(f"console error on {page.url}: {msg.text} ({url})")

    def on_dialog(dialog):
        session.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: session.errors.append(f"page error on {page.url}: {exc}"))
    page.on("dialog", on_dialog)


def _open_chat(browser, server, request, **context_options) -> Session:
    context = browser.new_context(**context_options)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(CSP_RECORDER)
    page = context.new_page()
    session = Session(page=page, base=server)
    _watch(session, page)
    context.on("page", lambda p: _watch(session, p))
    request.addfinalizer(lambda: _close(session, request.node.name))
    page.goto(server + "/")
    page.locator("#question").wait_for()
    return session


def _close(session: Session, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shown = session.shown or session.page
    try:
        if not shown.is_closed():
            shown.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    finally:
        session.page.context.close()


@pytest.fixture
def chat(browser, server, request) -> Session:
    """The chat page in a fresh browser context (so no conversation is restored from localStorage)."""
    return _open_chat(browser, server, request, viewport={"width": 1280, "height": 800})


def _quote_of(figure) -> str:
    """The quote of a rendered citation: the blockquote's text without the trailing " [n]" marker."""
    text = figure.locator("blockquote").evaluate("b => b.textContent")
    return re.sub(r" \[\d+\]$", "", text)


def test_chromium_is_installed():
    assert CHROMIUM.exists(), MISSING_CHROMIUM


def test_question_gets_answer_with_citation(chat):
    answer = chat.ask(OWNER_QUESTION)
    assert "abstained" not in (answer.get_attribute("class") or "")
    marker = answer.locator("a.marker").first
    assert marker.inner_text() == "[1]"
    assert re.fullmatch(r"/documents/[^#]+#c=\d+-\d+", marker.get_attribute("href"))
    assert marker.get_attribute("target") == "_blank"
    assert "BBK Electronics" in answer.inner_text()
    assert answer.locator("figure.quote figcaption").first.inner_text().startswith("No, Shanghai")
    assert chat.page.locator("#send").is_enabled()
    chat.assert_clean()


def test_citation_opens_document_with_quote_highlighted_in_view(chat):
    answer = chat.ask(OWNER_QUESTION)
    figure = answer.locator("figure.quote").first
    quote = _quote_of(figure)
    href = figure.locator("a.marker").get_attribute("href")
    start, end = map(int, re.search(r"#c=(\d+)-(\d+)$", href).groups())
    with chat.page.context.expect_page() as opened:
        figure.locator("a.marker").click()
    doc = opened.value
    chat.shown = doc
    doc.wait_for_load_state()
    mark = doc.locator("pre#doc-text mark#cited")
    mark.wait_for()
    # The highlight is exactly the quote, which is exactly the document's text at the cited offsets.
    text = httpx.get(chat.base + href.split("#")[0], params={"format": "text"}).text
    assert text[start:end] == quote
    assert mark.evaluate("m => m.textContent") == quote
    assert doc.locator("pre#doc-text mark").count() == 1
    assert doc.evaluate("document.activeElement.id") == "cited"
    box = mark.bounding_box()
    view = doc.viewport_size
    assert box is not None and box["height"] > 0
    assert 0 <= box["y"] and box["y"] + box["height"] <= view["height"], (box, view)
    assert 0 <= box["x"] and box["x"] + box["width"] <= view["width"], (box, view)
    assert doc.evaluate("window.scrollY") > 0  # the quote is far down the article: the page scrolled to it
    assert doc.locator("#doc-title").inner_text().startswith("No, Shanghai")
    chat.assert_clean()


def test_a_quoted_list_shows_one_item_a_line(chat):
    answer = chat.ask("Which Beijing companies are compared to Uber?")
    quote = answer.locator("figure.quote blockquote").first
    lines = quote.inner_text().split("\n")
    # The lead sentence on its own line, then each item on one of its own, as in the source.
    assert lines[0].rstrip().endswith(":"), lines
    items = [line for line in lines[1:] if line.startswith("•")]
    assert len(items) == len(lines) - 1 >= 2, lines
    assert any(item.startswith("• Meituan and Didi") for item in items), lines
    chat.assert_clean()


def test_follow_up_shows_what_was_searched(chat):
    chat.ask(OWNER_QUESTION)
    follow_up = chat.ask("Where are they based?")
    assert "abstained" not in (follow_up.get_attribute("class") or "")
    text = follow_up.inner_text()
    assert "Dongguan" in text or "based in Shenzhen" in text
    searched = follow_up.locator("p.searched")
    assert searched.count() == 1
    hint = searched.inner_text()
    assert hint.startswith("Searched for: Where are they based?")
    assert re.search(r"Oppo|Vivo|OnePlus|BBK", hint), hint  # the follow-up was read in context
    # The first question was searched as asked, so it shows no hint.
    assert chat.page.locator("#log .turn").first.locator("p.searched").count() == 0
    chat.assert_clean()


def test_question_outside_the_documents_says_so(chat):
    from assistant.service import NOT_IN_DOCUMENTS

    answer = chat.ask("What is the capital of France?")
    assert "abstained" in answer.get_attribute("class")
    assert answer.locator("p.abstain").inner_text() == NOT_IN_DOCUMENTS
    assert "The passages below" not in answer.inner_text()
    if answer.locator("figure.quote").count():
        assert answer.locator("p.closest-label").inner_text() == "Closest passages, but not an answer:"
    chat.assert_clean()


def test_hostile_document_markup_is_shown_as_text(chat):
    answer = chat.ask(HOSTILE_QUESTION)
    figure = answer.locator("figure.quote").first
    assert figure.locator("figcaption").inner_text() == "Hostile markup test page"
    quote = _quote_of(figure)
    assert SCRIPT_MARKUP in quote and IMG_MARKUP in quote
    assert chat.page.locator("#log script, #log img, #log [onerror]").count() == 0
    with chat.page.context.expect_page() as opened:
        figure.locator("a.marker").click()
    doc = opened.value
    chat.shown = doc
    doc.wait_for_load_state()
    doc.locator("mark#cited").wait_for()
    shown = doc.locator("#doc-text").inner_text()
    assert SCRIPT_MARKUP in shown and IMG_MARKUP in shown
    assert SCRIPT_MARKUP in doc.locator("mark#cited").inner_text()
    assert doc.locator("#doc-text script, #doc-text img, #doc-text [onerror]").count() == 0
    for page in (chat.page, doc):
        assert page.evaluate("typeof window.__pwned") == "undefined"
    assert chat.dialogs == []
    chat.assert_clean()


def test_keyboard_only(chat):
    page = chat.page
    assert page.evaluate("document.activeElement.id") == "question"  # focused on load
    # Tab goes round the page: box, button, (out to the browser), the header's button, the box again.
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    assert [o for o in order if o != "BODY"] == ["send", "new-conversation", "question"], order
    # Type in the box, Tab to the button, Enter on it sends.
    page.keyboard.type(OWNER_QUESTION)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "send"
    page.keyboard.press("Enter")
    page.locator("#log .turn .answer").first.wait_for()
    # Focus comes back to the box; Enter there sends the next question, Shift+Enter is a new line.
    page.wait_for_function("document.activeElement.id === 'question'")
    page.keyboard.type("Where are they")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("based?")
    assert page.locator("#question").input_value() == "Where are they\nbased?"
    assert page.locator("#log .turn").count() == 1
    page.keyboard.press("Enter")
    page.locator("#log .turn").nth(1).locator(".answer").wait_for()
    assert page.locator("#question").input_value() == ""
    # The citation links are in the Tab order too, just before the question box.
    assert page.evaluate("document.activeElement.id") == "question"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.className") == "marker"
    assert page.evaluate("document.activeElement.getAttribute('href')").startswith("/documents/")
    chat.assert_clean()


def test_narrow_mobile_viewport_has_no_horizontal_scroll(browser, server, request):
    chat = _open_chat(browser, server, request, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = chat.page
    assert page.evaluate("window.innerWidth") == 375
    chat.ask(OWNER_QUESTION)
    chat.ask(HOSTILE_QUESTION)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    send = page.locator("#send").bounding_box()
    assert send["x"] + send["width"] <= 375
    chat.assert_clean()


def test_with_an_api_key_the_page_signs_in_once_and_never_keeps_the_key(browser, keyed_server, request):
    chat = _open_chat(browser, keyed_server, request, viewport={"width": 1000, "height": 700})
    page = chat.page
    page.locator("#question").fill(OWNER_QUESTION)
    page.locator("#question").press("Enter")
    form = page.locator("#sign-in")
    form.wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "api-key"
    page.locator("#api-key").fill("wrong key")
    page.locator("#api-key").press("Enter")
    page.locator("#sign-in-error").wait_for(state="visible")
    assert page.locator("#sign-in-error").inner_text() == "That is not the key."
    page.locator("#api-key").fill(API_KEY)
    page.locator("#api-key").press("Enter")
    answer = page.locator("#log .turn .answer").first
    answer.wait_for()  # the question is asked again once signed in
    assert form.is_hidden() and "BBK Electronics" in answer.inner_text()
    cookies = {c["name"]: c for c in page.context.cookies()}
    session_cookie = cookies["assistant_session"]
    assert session_cookie["httpOnly"] and session_cookie["sameSite"] == "Strict"
    assert API_KEY not in session_cookie["value"] and API_KEY not in page.url
    assert API_KEY not in page.evaluate("JSON.stringify(window.localStorage)")
    # The cookie opens the cited source too.
    with page.context.expect_page() as opened:
        answer.locator("a.marker").first.click()
    doc = opened.value
    chat.shown = page
    doc.locator("pre#doc-text mark#cited").wait_for()
    # The error a wrong key gets is expected; nothing else went wrong.
    chat.errors = [e for e in chat.errors if "401" not in e]
    chat.assert_clean()
