"""Issue 15, item 7: the OpenAPI schema states what the server enforces, and the server
refuses what the schema refuses (empty values, out-of-range years and ids, two targets)."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.commitments.worlds import build_world
from tests.factories import CommitmentFactory, MeetingFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    response = api.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def parameters(schema, location):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == location:
                    yield f"{method.upper()} {path}", parameter


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/milestones/", "status"),
        ("/api/v1/commitments/", "ordering"),
        ("/api/v1/commitments/", "format"),
        ("/api/v1/meetings/", "updated_since"),
        ("/api/v1/indicators/snapshots/", "date_to"),
        ("/api/v1/commitments/", "search"),
    ],
)
def test_an_empty_query_value_is_a_400_naming_it(api, url, name):
    response = api.get(f"{url}?{name}=")

    assert response.status_code == 400
    assert name in response.json()


def test_every_query_value_must_be_non_empty_in_the_schema_too(schema):
    loose = [
        (where, parameter["name"])
        for where, parameter in parameters(schema, "query")
        if parameter["schema"].get("type") == "string"
        and "enum" not in parameter["schema"]
        and parameter["schema"].get("minLength", 0) < 1
    ]
    assert loose == []


def test_years_and_ids_carry_the_bounds_the_server_applies(schema, api):
    bounds = {
        (parameter["name"], parameter["schema"].get("minimum"), parameter["schema"].get("maximum"))
        for _where, parameter in parameters(schema, "query")
        if parameter["name"] in {"cycle_year", "edition", "goal", "institution", "action_plan"}
    }
    assert bounds == {
        ("cycle_year", 2011, 2100),
        ("edition", 2017, 2100),
        ("goal", 1, 17),
        ("institution", 1, None),
        ("action_plan", 1, None),
    }
    assert all(
        parameter["schema"]["minimum"] == 1
        for _where, parameter in parameters(schema, "path")
        if parameter["schema"].get("type") == "integer"
    )
    for query in ("cycle_year=0", "cycle_year=2101", "institution=0", "goal=0", "edition=2016"):
        url = "/api/v1/sdg-targets/" if "goal" in query else "/api/v1/commitments/"
        url = "/api/v1/metrica/" if "edition" in query else url
        assert api.get(f"{url}?{query}").status_code == 400, query


def test_a_comment_names_exactly_one_target_in_the_schema_and_on_the_server(schema):
    assert schema["components"]["schemas"]["CommentInput"]["oneOf"] == [
        {"required": ["commitment"]},
        {"required": ["milestone"]},
        {"required": ["meeting"]},
    ]
    assert schema["components"]["schemas"]["AssessmentInput"]["oneOf"] == [
        {"required": ["progress_report"]},
        {"required": ["milestone"]},
    ]
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=ReviewerFactory().user)}"
    )
    both = {"commitment": CommitmentFactory().code, "meeting": MeetingFactory().pk, "body": "Hola"}

    assert client.post("/api/v1/comments/", both, format="json").status_code == 400
    assert client.post("/api/v1/comments/", {"body": "Hola"}, format="json").status_code == 400


@pytest.mark.parametrize("tag", ['"٣"', '"1_0"', '"1000000000"', '""', "W/ x"])
def test_an_if_match_the_schema_refuses_is_refused(tag, schema):
    world = build_world()
    milestone = world.national_commitment.milestones.first()
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.users['lead_editor'])}"
    )

    response = client.patch(
        f"/api/v1/milestones/{milestone.pk}/",
        {"percent_complete": 10},
        format="json",
        HTTP_IF_MATCH=tag,
    )

    assert response.status_code == 400
    assert "If-Match" in response.json()


@pytest.mark.parametrize(
    "query",
    ["page=1&page=2", "ordering=code&ordering=-code", "ordering=,", "ordering=code,,title_es"],
)
def test_a_parameter_given_twice_or_an_empty_ordering_item_is_a_400(api, query):
    response = api.get(f"/api/v1/commitments/?{query}")

    assert response.status_code == 400
    assert set(response.json()) == {query.split("=")[0]}


def test_the_progress_history_filters_by_action_plan(api):
    """Found by schemathesis: `?action_plan=1` compared an ActionPlan row to a key (a 500)."""
    commitment = CommitmentFactory()

    response = api.get(f"/api/v1/progress-history/?action_plan={commitment.action_plan_id}")

    assert response.status_code == 200


def test_trace_is_a_405_even_when_a_csv_is_asked_for(api):
    response = api.generic("TRACE", "/api/v1/commitments/?format=csv")

    assert response.status_code == 405
