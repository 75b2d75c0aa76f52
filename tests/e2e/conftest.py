"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# test itself (fixtures, assertions) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError(f"Chromium est introuvable ({CHROMIUM}) alors que CI l'exige.")
    skip = pytest.mark.skip(reason=f"Chromium absent ({CHROMIUM}) : tests navigateur ignorés")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    in_flight = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    yield page
    # Leaving a page sends what its scripts keep for that moment (the article form's autosave,
    # a reader's beacon): let those requests end before the test's database is emptied, or
    # the server's write and the flush deadlock.
    if not page.is_closed():  # a test may have closed its tab itself
        page.goto("about:blank")
        deadline = time.monotonic() + 3
        while in_flight and time.monotonic() < deadline:
            page.wait_for_timeout(50)  # lets Playwright deliver the "finished" events
    context.close()
    # A request the browser gave up on (navigation, closed tab) still runs in the live server,
    # which is a thread of this process: wait until its request threads are done.
    deadline = time.monotonic() + 5
    while _serving_requests() and time.monotonic() < deadline:
        time.sleep(0.02)


def _serving_requests() -> bool:
    return any(
        "process_request_thread" in thread.name and thread.is_alive()
        for thread in threading.enumerate()
    )


@pytest.fixture
def screenshot(page, request):
    def take(name):
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
