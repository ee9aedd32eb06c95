"""Headless Chromium (Debian's package) driven by Playwright, with axe-core on every page."""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; Django must allow its ORM here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTS = Path(settings.BASE_DIR) / "test-artifacts"
AXE_SOURCE = AXE.read_text() if AXE.exists() else ""
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


class Visit:
    """Look at a page as a user would: a screenshot, and axe-core's verdict."""

    def __init__(self, page, name):
        self.page, self.name, self.count = page, name, 0
        ARTEFACTS.mkdir(exist_ok=True)
        self.csp_violations = []
        page.on("console", self.note_csp_violation)

    def note_csp_violation(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def check(self, step):
        self.count += 1
        path = ARTEFACTS / f"{self.name}-{self.count:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        # Evaluated through the DevTools protocol: the page's CSP (no inline script) stays on.
        self.page.evaluate(AXE_SOURCE)
        results = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        violations = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in results["violations"]
        ]
        assert violations == [], f"{step}: {json.dumps(violations, indent=1)}"
        assert results["passes"], f"{step}: axe checked nothing"
        assert self.csp_violations == [], f"{step}: {self.csp_violations}"


@pytest.fixture(autouse=True)
def groups_for_every_browser_test(role_groups):
    """Every browser test is a transactional test (see tests/conftest.py)."""


@pytest.fixture
def visit(page, request):
    return Visit(page, request.node.name)


@pytest.fixture(autouse=True)
def guards_lifted_for_flush(history_guards_lifted_for_flush):
    """Every browser test is a transactional test (see tests/conftest.py)."""
