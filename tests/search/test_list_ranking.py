"""Lists searched with `q` (pages) or `search` (API) show the best match first and forgive a
typo, as /buscar/ does; an explicit `ordering` still wins, and the query count stays fixed.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_api_response_cache(settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0


@pytest.fixture
def plan():
    plan = ActionPlanFactory(cycle_year=2041, title="Cuarto Plan de Acción Nacional")
    # By code, the commitment that only mentions budgets in passing comes first; by
    # relevance, the one about budgets does.
    CommitmentFactory(
        code="MX0301",
        action_plan=plan,
        title_es="Transparencia en contrataciones",
        title_en="Transparency in procurement",
        description="Los contratos se publican junto con su presupuesto.",
    )
    CommitmentFactory(
        code="MX0302",
        action_plan=plan,
        title_es="Presupuesto participativo",
        title_en="Participatory budgeting",
        description="La ciudadanía decide una parte del presupuesto de cada presupuesto anual.",
    )
    CommitmentFactory(
        code="MX0303",
        action_plan=plan,
        title_es="Justicia abierta",
        title_en="Open justice",
        description="Sentencias públicas en versión pública.",
    )
    return plan


def page_codes(client, **params):
    html = client.get(reverse("commitments:commitment_list"), params).content.decode()
    return list(dict.fromkeys(re.findall(r"MX03\d\d", html)))


def api_codes(client, path="/api/v1/commitments/", **params):
    response = client.get(path, params)
    assert response.status_code == 200
    return [row["code"] for row in response.json()["results"]]


def test_the_page_lists_the_best_match_first(plan, client):
    assert page_codes(client, q="presupuestos") == ["MX0302", "MX0301"]
    # Without a search the list keeps its order by code.
    assert page_codes(client) == ["MX0301", "MX0302", "MX0303"]


def test_the_api_search_lists_the_best_match_first(plan, client):
    assert api_codes(client, search="presupuestos") == ["MX0302", "MX0301"]
    assert api_codes(client) == ["MX0301", "MX0302", "MX0303"]


def test_an_explicit_ordering_keeps_its_order(plan, client):
    assert api_codes(client, search="presupuestos", ordering="code") == ["MX0301", "MX0302"]
    assert api_codes(client, search="presupuestos", ordering="-code") == ["MX0302", "MX0301"]


def test_a_typo_in_one_or_two_words_still_finds_the_commitment(plan, client):
    assert page_codes(client, q="Presupuestp") == ["MX0302"]
    assert api_codes(client, search="justisia abierta") == ["MX0303"]
    # A phrase or an exclusion means exactly: no typo fallback.
    assert api_codes(client, search='"justisia abierta"') == []
    assert api_codes(client, search="justisia -contratos") == []


def test_no_typo_fallback_when_full_text_finds_something(plan, client):
    # "Justicia" finds MX0303 by its words; MX0301's similar-looking title does not tag along.
    assert api_codes(client, search="justicia") == ["MX0303"]


def test_codes_and_title_fragments_still_match_as_before(plan, client):
    assert api_codes(client, search="mx030") == ["MX0301", "MX0302", "MX0303"]
    assert page_codes(client, q="contrata") == ["MX0301"]


def test_other_indexed_resources_rank_too(plan, client):
    budget = MilestoneFactory(
        commitment=plan.commitments.get(code="MX0301"),
        title="Presupuesto de las contrataciones",
        narrative="Presupuesto desglosado y presupuesto ejercido.",
    )
    passing = MilestoneFactory(
        commitment=plan.commitments.get(code="MX0301"),
        position=0,
        title="Publicar los contratos",
        narrative="Con el presupuesto asignado.",
    )
    response = client.get("/api/v1/milestones/", {"search": "presupuesto"})
    assert [row["id"] for row in response.json()["results"]] == [budget.pk, passing.pk]


@pytest.mark.parametrize("query", ["presupuestos", "Presupuestp"])
def test_the_query_count_does_not_grow_with_the_matches(
    plan, client, query, django_assert_max_num_queries
):
    def queries(path, params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path, params).status_code == 200
        return len(captured)

    page = (reverse("commitments:commitment_list"), {"q": query})
    api = ("/api/v1/commitments/", {"search": query})
    before = {"page": queries(*page), "api": queries(*api)}
    for n in range(25):
        CommitmentFactory(code=f"MX04{n:02}", action_plan=plan, title_es=f"Presupuesto abierto {n}")
    with django_assert_max_num_queries(before["page"]):
        client.get(*page)
    with django_assert_max_num_queries(before["api"]):
        client.get(*api)
