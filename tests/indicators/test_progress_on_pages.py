"""State and commitment pages show their own progress from the stored indicators."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import IndicatorSnapshot, ScopeKind
from indicators.services import recompute_all
from tests.factories import CommitmentFactory, StateActionPlanFactory, StateFactory

from .helpers import Status, complete, milestone, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def jalisco():
    state = StateFactory(inegi_code="14", slug="jalisco", short_name="Jalisco")
    first = StateActionPlanFactory(state=state, cycle_year=2044)
    complete(CommitmentFactory(action_plan=first))
    second = StateActionPlanFactory(state=state, cycle_year=2046)
    milestone(CommitmentFactory(action_plan=second), status=Status.IN_PROGRESS, percent=30)
    recompute_all()
    IndicatorSnapshot.objects.create(
        scope_kind=ScopeKind.STATE,
        scope_id=state.pk,
        date=today() - datetime.timedelta(days=7),
        commitments_total=2,
        mean_completion=Decimal("41.00"),
    )
    return state


def test_the_state_page_charts_each_plan_from_its_stored_indicator(client, jalisco):
    html = client.get(reverse("states:state_detail", args=["jalisco"])).content.decode()

    table = html[html.index('id="grafica-planes-tabla"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<th scope="row">(\d+)</th>\s*<td class="num">([^<]+)</td>', table)
    assert rows == [("2044", "100.0 %"), ("2046", "30.0 %")]
    assert 'id="grafica-planes-datos"' in html


def test_the_state_page_shows_the_trend_of_its_snapshots(client, jalisco):
    html = client.get(reverse("states:state_detail", args=["jalisco"])).content.decode()

    trend = html[html.index('id="grafica-tendencia-tabla"') :]
    assert "41.0 %" in trend  # a week ago
    assert "65.0 %" in trend  # today's snapshot, written by the recompute
    assert "/static/vendor/chartjs-4.6.1/chart.umd.min.js" in html


def test_a_state_without_plans_has_no_charts(client):
    StateFactory(inegi_code="01", slug="aguascalientes")

    html = client.get(reverse("states:state_detail", args=["aguascalientes"])).content.decode()

    assert "grafica-planes" not in html
    assert "chart.umd.min.js" not in html


def test_the_commitment_page_shows_its_indicator_and_a_bar_per_milestone(client):
    commitment = CommitmentFactory(code="MX9001")
    milestone(commitment, status=Status.IN_PROGRESS, percent=40)
    complete(commitment)
    milestone(commitment, status=Status.WITHDRAWN)
    recompute_all()

    html = client.get(commitment.get_absolute_url()).content.decode()

    section = html[html.index('id="titulo-avance"') :]
    assert '<progress max="100" value="70.00"' in section
    assert "Sustancial" in section
    bars = re.findall(
        r'<progress max="100" value="(\d+)" aria-labelledby="avance-hito-\d+">', section
    )
    assert bars == ["40", "100"]
    assert "Retirado" in section


def test_a_commitment_not_yet_computed_says_so(client):
    commitment = CommitmentFactory(code="MX9002")

    html = client.get(commitment.get_absolute_url()).content.decode()

    assert "El indicador de este compromiso aún no se ha calculado." in html
