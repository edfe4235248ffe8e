"""WCAG 2.2 AA in a real browser: axe-core finds nothing on the main pages, keyboard-only
use works, and the charts draw under the strict Content Security Policy."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from commitments.models import Commitment, Milestone
from coordination.models import CoordinationSpace
from indicators.services import recompute_all
from states.models import State
from tests.factories import (
    AgendaItemFactory,
    AgreementFactory,
    CommitmentFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    StateActionPlanFactory,
    UserFactory,
)

from .conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal(mexico):
    """The real data plus what the pages show at their fullest: a local plan in Jalisco
    with progress, a meeting with agenda and agreements, and an editor of MX0087."""
    jalisco = State.objects.get(inegi_code="14")
    plan = StateActionPlanFactory(state=jalisco, cycle_year=2025)  # the data has 2016-2021
    for percent in (0, 40, 100):
        MilestoneFactory(
            commitment=CommitmentFactory(action_plan=plan),
            status=Milestone.Status.IN_PROGRESS if percent < 100 else Milestone.Status.COMPLETE,
            percent_complete=percent,
        )
    meeting = MeetingFactory(space=CoordinationSpace.objects.get())
    AgendaItemFactory(meeting=meeting)
    AgreementFactory(meeting=meeting)
    recompute_all()
    mx0087 = Commitment.objects.get(code="MX0087")
    MembershipFactory(
        user=UserFactory(username="servidora"),
        role=Role.GOVERNMENT_EDITOR,
        institution=mx0087.lead_institutions.order_by("pk").first(),
    )
    return {
        "home": "/",
        "dashboard": "/tablero/",
        "diagnostic": "/diagnostico/",
        "commitment": mx0087.get_absolute_url(),
        # Three views with an IRM assessment and its source.
        "commitment with irm": "/compromisos/MX0084/",
        "state": jalisco.get_absolute_url(),
        "meeting": meeting.get_absolute_url(),
        "milestone edit": f"/compromisos/MX0087/hitos/{mx0087.milestones.first().pk}/avance/",
        "search": "/buscar/?q=participacion",
    }


@pytest.mark.parametrize("language", ["es-MX", "en"])
def test_axe_finds_no_wcag_violation_on_the_main_pages(page, portal, language):
    log_in(page, "servidora")  # the edit page needs it; the others look the same signed in
    if language != "es-MX":
        # Through the language switcher, as a reader would.
        page.get_by_label("Idioma").select_option(value=language)
        page.get_by_role("button", name="Cambiar idioma").click()
    found = {}
    for name, url in portal.items():
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", language.lower())
        violations = axe_violations(page)
        if violations:
            found[name] = violations

    assert found == {}


def test_anonymous_pages_pass_axe_too(page, portal):
    found = {}
    for name in ("home", "dashboard", "commitment", "state", "meeting", "search"):
        page.goto(portal[name])
        if violations := axe_violations(page):
            found[name] = violations

    assert found == {}


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(page, portal):
    page.goto("/tablero/")
    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Saltar al contenido principal")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenido")).to_be_focused()


def test_a_keyboard_user_reaches_a_state_from_the_map(page, portal):
    page.goto("/tablero/")
    jalisco = page.locator('a.mexico-map__state[data-inegi="14"]')
    for _ in range(200):
        page.keyboard.press("Tab")
        if jalisco.evaluate("link => link === document.activeElement"):
            break
    else:
        pytest.fail("the map's Jalisco link was never reached with Tab")

    # Focus repaints the state itself (its border alone would hide under its neighbours').
    fill = jalisco.locator("path").evaluate("path => getComputedStyle(path).fill")
    assert fill == "rgb(255, 191, 71)"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/estados/jalisco/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jalisco")


def test_focus_is_visible_on_links_and_buttons(page, portal):
    page.goto("/tablero/")
    button = page.get_by_role("button", name="Ver tendencia")
    button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")

    outline = button.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"


def test_charts_are_drawn_from_their_data_and_the_tables_stay_available(page, portal):
    page.goto("/tablero/")

    for chart in ("grafica-ciclos", "grafica-tendencia"):
        figure = page.locator(f"figure#{chart}")
        expect(figure.locator("canvas[role='img']")).to_be_visible()
        expect(figure.locator("canvas")).to_have_attribute("aria-labelledby", f"{chart}-titulo")
        # The table is still there, folded away, for anyone who wants the figures.
        summary = figure.locator("details.chart__data > summary")
        expect(figure.locator("table")).to_be_hidden()
        summary.click()
        expect(figure.locator("table")).to_be_visible()


def test_without_javascript_the_tables_and_map_are_the_page(browser, live_server, portal):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/tablero/")

    expect(page.locator("figure#grafica-ciclos table")).to_be_visible()
    expect(page.locator("canvas")).to_have_count(0)
    expect(page.locator("a.mexico-map__state")).to_have_count(32)
    context.close()


def test_targets_are_at_least_24_by_24_pixels(page, portal):
    page.goto("/tablero/")
    small = page.evaluate(
        """() => [...document.querySelectorAll('main button, main select, main summary,'
                + ' header button, header select')]
            .map((el) => [el.outerHTML.slice(0, 60), el.getBoundingClientRect()])
            .filter(([, r]) => r.width < 24 || r.height < 24)
            .map(([html]) => html)"""
    )

    assert small == []


def test_the_demo_banner_is_a_named_region_and_passes_axe(page, portal, settings):
    settings.PORTAL_DEMO = True
    page.goto(portal["home"])

    banner = page.get_by_role("region", name="Sitio de demostración.")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("no son información oficial")
    assert axe_violations(page) == []
