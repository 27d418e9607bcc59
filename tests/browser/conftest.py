"""Fixtures for the browser tests; the machinery lives in ``kit_browser``."""

from __future__ import annotations

import os

import pytest
from hostile_data import make_hostile_copy
from kit_build import shared_build

from .kit_browser import LAUNCH_ARGS, find_chromium, no_browser, open_watched


@pytest.fixture(scope="session")
def chromium():
    """A launched headless Chromium, shared by the tests of one worker process."""
    executable = find_chromium()
    if executable is None:
        where = os.environ.get("KIT_CHROMIUM")
        no_browser(
            f"KIT_CHROMIUM={where} does not exist"
            if where
            else "no Chromium found on PATH (chromium, chromium-browser, google-chrome)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - locked in requirements.lock
        no_browser(f"Playwright for Python is not installed ({exc})")
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(
                executable_path=executable, args=LAUNCH_ARGS, timeout=60_000
            )
        except Exception as exc:
            no_browser(f"{executable} did not start: {exc}")
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def kit_build(tmp_path_factory, chromium):
    """The reports built from the kit's data (never into reports/), once per worker process."""
    # Asks for the browser first, so a machine without one skips before building.
    build = shared_build("kit", tmp_path_factory)
    assert build.returncode == 0, build.describe()
    return build


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory, chromium):
    """The reports built from the hostile copy of the data, once per worker process."""
    build = shared_build("hostile", tmp_path_factory, make_hostile_copy)
    assert build.returncode == 0, "the hostile dataset broke the build: " + build.describe()
    return build


@pytest.fixture
def watched_page(chromium, request):
    """A fresh offline page; a screenshot is saved if the test fails."""
    watched = open_watched(chromium, viewport={"width": 1280, "height": 900})
    yield watched
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print(f"screenshot: {watched.screenshot(request.node.name)}")
    watched.page.context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Lets fixtures see whether the test failed (for screenshots on failure).
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep
