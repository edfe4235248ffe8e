"""The national dashboard reads stored indicators: levels per cycle, trends, map, cards."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import NATION_SCOPE_ID, IndicatorSnapshot, ScopeIndicator, ScopeKind
from indicators.services import recompute_all
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    StateActionPlanFactory,
    StateFactory,
)

from .helpers import Status, complete, milestone, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def states():
    return [StateFactory(inegi_code=f"{code:02d}", slug=f"e-{code:02d}") for code in range(1, 33)]


@pytest.fixture
def world(states):
    """A national plan with one complete and one limited commitment; Jalisco (14) with a
    local plan at 60 %; Chiapas (07) with a draft plan at 10 %; the rest with no plan."""
    national = ActionPlanFactory(cycle_year=2045)
    complete(CommitmentFactory(action_plan=national))
    milestone(CommitmentFactory(action_plan=national), status=Status.IN_PROGRESS, percent=20)
    jalisco = StateActionPlanFactory(state=states[13], cycle_year=2046)
    milestone(CommitmentFactory(action_plan=jalisco), status=Status.IN_PROGRESS, percent=60)
    chiapas = StateActionPlanFactory(state=states[6], cycle_year=2046, status="draft")
    milestone(CommitmentFactory(action_plan=chiapas), status=Status.IN_PROGRESS, percent=10)
    recompute_all()
    return {"national": national, "jalisco": jalisco, "chiapas": chiapas}


def page(client, **params):
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    return response.content.decode()


def state_path(html, code):
    """The <a>…</a> of one state in the map."""
    match = re.search(
        rf'<a href="[^"]+" class="mexico-map__state" data-inegi="{code}">.*?</a>', html, re.S
    )
    assert match, f"state {code} missing from the map"
    return match.group(0)


def test_the_navigation_links_to_the_dashboard(client, world):
    html = client.get(reverse("home")).content.decode()

    assert f'<a href="{reverse("dashboard")}">Tablero</a>' in html


def test_levels_per_cycle_come_from_the_stored_plan_indicators(client, world):
    html = page(client)

    table = html[html.index('id="grafica-ciclos-tabla"') :]
    row = re.search(r'<th scope="row">2045</th>(.*?)</tr>', table, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    # no information, not started, limited, substantial, complete, withdrawn, total
    assert cells == ["0", "0", "1", "0", "1", "0", "2"]
    assert 'id="grafica-ciclos-datos" type="application/json"' in html


def test_the_page_never_recomputes_on_get(client, world):
    with CaptureQueriesContext(connection) as queries:
        page(client)

    writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"])]
    assert writes == []


def test_the_trend_lists_the_nation_snapshots_by_default(client, world):
    IndicatorSnapshot.objects.create(
        scope_kind=ScopeKind.NATION,
        scope_id=NATION_SCOPE_ID,
        date=today() - datetime.timedelta(days=3),
        commitments_total=4,
        mean_completion=Decimal("12.50"),
        share_on_time=Decimal("0.5"),
    )

    html = page(client)

    assert "Tendencia: Nacional" in html
    trend = html[html.index('id="grafica-tendencia-tabla"') :]
    assert "12.5 %" in trend
    assert "50.0 %" in trend


def test_a_reader_picks_a_state_for_the_trend(client, world):
    html = page(client, ambito="entidad-14")

    assert "Tendencia: Entidad 14" in html
    assert '<option value="entidad-14" selected>' in html


def test_an_unknown_scope_falls_back_to_the_nation(client, world):
    html = page(client, ambito="entidad-99", mapa="nada")

    assert "Tendencia: Nacional" in html
    assert "map-fill--avance-3" in html


def test_the_map_has_a_linked_titled_path_for_each_of_the_32_states(client, world):
    html = page(client)

    assert html.count('class="mexico-map__state"') == 32
    jalisco = state_path(html, "14")
    assert 'href="/estados/e-14/"' in jalisco
    assert "<title>Entidad 14: Avance promedio de 50 % a menos de 75 % (60.0 %)</title>" in jalisco


def test_the_map_colours_by_mean_completion_with_a_pattern_and_a_legend(client, world):
    html = page(client)

    assert 'class="map-fill map-fill--avance-3"' in state_path(html, "14")
    assert 'class="map-fill map-fill--avance-1"' in state_path(html, "07")
    assert 'class="map-fill map-fill--sin-plan"' in state_path(html, "01")
    assert '<pattern id="patron-sin-plan"' in html
    legend = html[html.index('class="map-legend"') :]
    assert "Sin plan de acción local registrado: 30 entidades" in legend
    assert "Avance promedio de 50 % a menos de 75 %: 1 entidad" in legend


def test_the_map_can_colour_by_the_latest_local_plan_status(client, world):
    html = page(client, mapa="estado")

    assert 'class="map-fill map-fill--estado-active"' in state_path(html, "14")
    assert 'class="map-fill map-fill--estado-draft"' in state_path(html, "07")
    assert "En cocreación: 1 entidad" in html


def test_each_state_has_a_card_with_its_figures_in_text(client, world):
    html = page(client)

    card = re.search(
        r'<article class="state-card" aria-labelledby="entidad-14">.*?</article>', html, re.S
    )
    text = re.sub(r"\s+", " ", card.group(0))
    assert 'href="/estados/e-14/"' in text
    assert "Avance promedio de 50 % a menos de 75 %" in text
    assert "En implementación" in text
    assert 'value="60.0"' in text


def test_charts_load_vendored_chartjs_with_the_csp_nonce_and_no_inline_style(client, world):
    response = client.get(reverse("dashboard"))
    html = response.content.decode()

    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'src="/static/vendor/chartjs-4.6.1/chart.umd.min.js" nonce="{nonce}"' in html
    assert f'src="/static/js/charts.js" nonce="{nonce}"' in html
    assert " style=" not in html
    assert "<script>" not in html


def test_the_dashboard_is_translated(client, world):
    html = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "National dashboard" in html
    assert "No local action plan on record: 30 states" in html
    assert "Tablero nacional" not in html


@pytest.mark.parametrize("local_plans", [1, 6])
def test_the_dashboard_query_count_does_not_grow_with_plans(
    client, states, django_assert_max_num_queries, local_plans
):
    for index in range(local_plans):
        plan = StateActionPlanFactory(state=states[index], cycle_year=2046)
        complete(CommitmentFactory(action_plan=plan))
        ActionPlanFactory(cycle_year=2050 + index)
    recompute_all()

    with django_assert_max_num_queries(9):
        page(client)


@pytest.mark.parametrize(("language", "date_format"), [("es-mx", "%d/%m/%Y"), ("en", "%m/%d/%Y")])
def test_numbers_and_dates_are_localised(client, states, language, date_format):
    ScopeIndicator.objects.create(
        scope_kind=ScopeKind.NATION,
        scope_id=NATION_SCOPE_ID,
        commitments_total=12345,
        mean_completion=Decimal("41.24"),
        computed_at=timezone.now(),
    )
    day = today() - datetime.timedelta(days=10)
    IndicatorSnapshot.objects.create(
        scope_kind=ScopeKind.NATION,
        scope_id=NATION_SCOPE_ID,
        date=day,
        commitments_total=12345,
        mean_completion=Decimal("41.24"),
    )

    html = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert "<dd>12,345</dd>" in html  # Mexico and English both group with commas
    assert "41.2 %" in html  # and both use a decimal point
    assert f'<th scope="row">{day.strftime(date_format)}</th>' in html
