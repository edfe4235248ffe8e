"""Real headless Chromium (Debian's, never downloaded) driven by Playwright against a live server.

Every test here is marked `browser` and skipped, with the reason, when /usr/bin/chromium
(or CHROMIUM_PATH) is missing; see tests/conftest.py.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from indicators.services import recompute_all
from tests.conftest import CHROMIUM

# The flags this machine needs: no sandbox as root, no GPU, and no background traffic
# to Google's hosts, which a closed network refuses.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORD = "contraseña-de-prueba-123"


@pytest.fixture(scope="package", autouse=True)
def _orm_inside_playwright():
    """Playwright's sync API keeps an event loop in this thread; the tests' own ORM calls
    are still synchronous, so Django's async-safety guard is lifted for this package only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def browser(_orm_inside_playwright):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, live_server, request):
    """A fresh Spanish-speaking browser context on the live server; fails the test on any
    console error or uncaught exception (a script refused by the CSP shows up here)."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="es-MX",
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = []

    def on_console(message):
        # Chromium asks for /favicon.ico on pages without an icon link (the API's JSON).
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.request.resource_type != "document"
            and not response.url.endswith("/favicon.ico")
            and problems.append(f"{response.status} {response.url}")
        ),
    )
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed and os.getenv("BROWSER_ARTIFACTS"):
        # CI or a developer asked for evidence: a full-page screenshot and the HTML.
        folder = Path(os.environ["BROWSER_ARTIFACTS"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{request.node.name}.png", full_page=True)
        (folder / f"{request.node.name}.html").write_text(page.content())
    context.close()
    assert problems == [], f"browser console errors: {problems}"


@pytest.fixture
def mexico(transactional_db):
    """Mexico's OGP data as `make run` loads it, with indicators computed."""
    call_command("load_mexico_ogp", verbosity=0)
    recompute_all()


def axe_violations(page):
    """Run axe-core (vendored from npm, test-only) on the page; the WCAG A and AA rules.

    Injected through the DevTools protocol rather than a <script> tag, which the
    portal's Content Security Policy (rightly) refuses.
    """
    page.evaluate(AXE.read_text())
    results = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return {
                passes: results.passes.map((rule) => rule.id),
                violations: results.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
                })),
            };
        }""",
        AXE_TAGS,
    )
    # A run that checked nothing would also find nothing.
    assert {"color-contrast", "document-title", "html-has-lang"} <= set(results["passes"])
    return results["violations"]


def log_in(page, username):
    page.goto("/")
    page.get_by_role("link", name="Iniciar sesión").click()
    page.get_by_label(re.compile("usuario", re.I)).fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.get_by_text(re.compile("Sesión de")).wait_for()
