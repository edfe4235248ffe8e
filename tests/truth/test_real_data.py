"""What the portal says on the real data of `make run`: no data is never shown as a value.

The data is loaded and the indicators computed once for this module, as `make run` does;
every test then reads pages and the API as a journalist or an analyst would.
"""

import csv
import io
import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from commitments.models import ActionPlan, Commitment, IrmAssessment, Source
from indicators.models import CommitmentIndicator, CompletionLevel, ScopeIndicator, ScopeKind
from states.models import MetricaEdition, State, StateParticipation

pytestmark = pytest.mark.django_db

# What the portal must never say about something it has no data on.
FALSE_ABSENCE = [
    "Sin iniciar",
    "Nunca ha participado",
    "never took part",
    "Never taken part",
]


@pytest.fixture(scope="module", autouse=True)
def real_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_mexico_ogp", stdout=StringIO())
        call_command("recompute_indicators", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_api_cache():
    cache.clear()


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def visible_text(html):
    """The page without its markup, attributes and scripts: what a reader sees."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_commitments_without_milestones_have_no_information_not_not_started():
    national = CommitmentIndicator.objects.filter(
        commitment__action_plan__scope=ActionPlan.Scope.NATIONAL
    )

    assert national.count() == 87
    # Only MX0087 has milestones in the shipped data, listed without their progress.
    assert national.filter(completion_level=CompletionLevel.NO_INFORMATION).count() == 87
    assert CommitmentIndicator.objects.get(commitment__code="MX0087").milestones_total == 3
    assert not national.filter(
        completion_level=CompletionLevel.NO_INFORMATION, completion_percent__isnull=False
    ).exists()
    assert not national.filter(
        completion_level=CompletionLevel.NO_INFORMATION, is_on_time__isnull=False
    ).exists()


def test_no_national_plan_is_reported_on_time_without_information():
    for plan in ActionPlan.objects.filter(scope=ActionPlan.Scope.NATIONAL):
        figures = ScopeIndicator.objects.get(scope_kind=ScopeKind.PLAN, scope_id=plan.pk)
        assert figures.commitments_with_information == 0
        assert figures.share_on_time is None
        assert figures.mean_completion is None


def test_the_nation_averages_over_the_commitments_with_information_and_says_how_many():
    nation = ScopeIndicator.objects.get(scope_kind=ScopeKind.NATION)
    with_information = CommitmentIndicator.objects.exclude(
        completion_level=CompletionLevel.NO_INFORMATION
    ).count()

    assert nation.commitments_with_information == with_information
    assert nation.commitments_no_information == nation.commitments_total - with_information
    if not with_information:
        assert nation.share_on_time is None and nation.mean_completion is None


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("diagnostic"),
        reverse("states:state_list"),
        reverse("commitments:commitment_list"),
        reverse("commitments:commitment_detail", args=["MX0001"]),
        reverse("commitments:commitment_detail", args=["MX0087"]),
        reverse("states:state_detail", args=["yucatan"]),
        reverse("states:state_detail", args=["jalisco"]),
    ],
)
def test_no_page_states_an_absence_as_a_fact(client, url):
    text = visible_text(page(client, url))

    for phrase in FALSE_ABSENCE:
        assert phrase not in text, (url, phrase)


def test_the_dashboard_counts_the_old_plans_as_without_information(client):
    html = page(client, reverse("dashboard"))

    table = html[html.index('id="grafica-ciclos-tabla"') :]
    row = re.search(r'<th scope="row">2011</th>(.*?)</tr>', table, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    # no information, not started, limited, substantial, complete, withdrawn, total
    assert cells == ["37", "0", "0", "0", "0", "0", "37"]


def test_the_dashboard_shows_the_coverage_beside_its_figures(client):
    nation = ScopeIndicator.objects.get(scope_kind=ScopeKind.NATION)

    text = visible_text(page(client, reverse("dashboard")))

    coverage = (
        f"información de {nation.commitments_with_information} "
        f"de {nation.commitments_total} compromisos"
    )
    assert text.count(coverage) >= 3  # beside the mean, the complete and the on-time figures
    assert "Sin información registrada" in text


def test_a_commitment_without_data_says_so_in_each_of_the_three_views(client):
    text = visible_text(page(client, reverse("commitments:commitment_detail", args=["MX0001"])))

    assert "Lo que reporta el gobierno Sin información registrada" in text
    assert "Lo que valora la sociedad civil Sin valoraciones" in text
    assert "Lo que encontró el IRM Sin información" in text
    assert " 0 %" not in text


def test_a_commitment_page_shows_the_irm_rating_beside_its_source(client):
    html = page(client, reverse("commitments:commitment_detail", args=["MX0084"]))
    assessment = IrmAssessment.objects.select_related("source").filter(commitment__code="MX0084")[0]

    text = visible_text(html)
    assert "Resultados tempranos Sobresalientes" in text
    assert "Ambición Alta" in text
    assert escape(assessment.source.url) in html
    assert "Fuente:" in text


def test_a_translated_title_says_it_is_not_official(client):
    translated = Commitment.objects.filter(
        title_es_origin=Commitment.TitleOrigin.TRANSLATION
    ).first()
    official = Commitment.objects.select_related("title_es_source").get(code="MX0087")

    translated_text = visible_text(page(client, translated.get_absolute_url()))
    official_html = page(client, official.get_absolute_url())

    assert translated.title_es in translated_text
    assert "traducción hecha para el portal, no una redacción oficial" in translated_text
    assert "Título oficial en español." in visible_text(official_html)
    assert escape(official.title_es_source.url) in official_html


def test_a_state_page_shows_each_participation_with_its_source(client):
    html = page(client, reverse("states:state_detail", args=["jalisco"]))

    text = visible_text(html)
    assert "Participa" in text
    assert "OGP Local (Alianza para el Gobierno Abierto): participa desde 2016" in text
    for record in StateParticipation.objects.filter(state__slug="jalisco").select_related("source"):
        assert escape(record.source.url) in html
    assert "Compromisos según la fuente 7" in text  # Jalisco's first plan: 7, 6 listed


def test_the_api_says_no_information_and_null_not_not_started_and_zero(client):
    row = client.get("/api/v1/commitments/MX0001/").json()

    assert row["completion_level"] == "no_information"
    assert row["completion_percent"] is None
    assert row["title_es"] and row["title_es_origin"] == "translation"
    assert row["irm_assessments"] == []

    mx0084 = client.get("/api/v1/commitments/MX0084/").json()
    assert mx0084["irm_assessments"][0]["early_results"] == "outstanding"
    assert mx0084["irm_assessments"][0]["source"]["url"].startswith("https://")


def test_the_indicator_csv_has_no_not_started_row_for_missing_data(client):
    response = client.get("/api/v1/indicators/commitments/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    national = [row for row in rows if row["state"] == ""]
    assert len(national) == 87
    # No national commitment has reported progress in the shipped data (MX0087's key
    # actions are listed without it).
    assert {row["completion_level"] for row in national} == {"no_information"}
    assert {row["completion_percent"] for row in national} == {""}
    assert {row["is_on_time"] for row in national} == {""}


def test_the_api_gives_each_state_its_standing_and_sources(client):
    states = {row["slug"]: row for row in client.get("/api/v1/states/").json()["results"]}

    assert len(states) == 32
    assert states["jalisco"]["standing"] == "participates"
    assert states["puebla"]["standing"] == "conflicting"
    assert all(record["source"]["url"] for record in states["jalisco"]["participations"])


def test_the_loaded_facts_each_carry_a_source():
    assert (
        Commitment.objects.filter(action_plan__scope=ActionPlan.Scope.NATIONAL, title_es="").count()
        == 0
    )
    official = Commitment.objects.filter(title_es_origin=Commitment.TitleOrigin.OFFICIAL)
    assert official.filter(action_plan__scope="national", title_es_source__isnull=True).count() == 0
    assert IrmAssessment.objects.count() >= 13
    assert StateParticipation.objects.values("state").distinct().count() == State.objects.count()
    assert set(MetricaEdition.objects.values_list("year", flat=True)) == {2017, 2019, 2021, 2023}
    # Every source the data file names is a publication with an address.
    assert not Source.objects.filter(url="").exists()
