"""Bad input is a 400 that names the parameter: never a 500, never silently ignored."""

import base64

import pytest

from tests.factories import CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


def cursor(text):
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/commitments/", {"cycle_year": "dos mil"}, "cycle_year"),
        ("/api/v1/commitments/", {"cycle_year": "1999"}, "cycle_year"),
        ("/api/v1/commitments/", {"state": "99"}, "state"),
        ("/api/v1/commitments/", {"institution": "abc"}, "institution"),
        ("/api/v1/commitments/", {"institution": "999999"}, "institution"),
        ("/api/v1/commitments/", {"policy_area": "no-such-area"}, "policy_area"),
        ("/api/v1/commitments/", {"sdg_target": "99.99"}, "sdg_target"),
        ("/api/v1/commitments/", {"completion_level": "half"}, "completion_level"),
        ("/api/v1/commitments/", {"scope": "municipal"}, "scope"),
        ("/api/v1/commitments/", {"action_plan": "x"}, "action_plan"),
        ("/api/v1/commitments/", {"updated_since": "yesterday"}, "updated_since"),
        ("/api/v1/commitments/", {"updated_since": "99999-01-01"}, "updated_since"),
        ("/api/v1/commitments/", {"updated_since": "0001-01-01T00:00:00+05:00"}, "updated_since"),
        ("/api/v1/commitments/", {"ordering": "password"}, "ordering"),
        ("/api/v1/commitments/", {"ordering": "code,-nope"}, "ordering"),
        ("/api/v1/commitments/", {"expand": "everything"}, "expand"),
        ("/api/v1/commitments/", {"page": "abc"}, "page"),
        ("/api/v1/commitments/", {"page": "0"}, "page"),
        ("/api/v1/commitments/", {"page": "-3"}, "page"),
        ("/api/v1/commitments/", {"page": "7"}, "page"),
        ("/api/v1/commitments/", {"page_size": "101"}, "page_size"),
        ("/api/v1/commitments/", {"page_size": "0"}, "page_size"),
        ("/api/v1/commitments/", {"page_size": "lots"}, "page_size"),
        ("/api/v1/commitments/", {"format": "xml"}, "format"),
        ("/api/v1/milestones/", {"status": "finished"}, "status"),
        ("/api/v1/milestones/", {"commitment": "NOPE"}, "commitment"),
        ("/api/v1/milestones/", {"ordering": "narrative"}, "ordering"),
        ("/api/v1/progress-history/", {"cursor": "not-base64!"}, "cursor"),
        ("/api/v1/progress-history/", {"cursor": cursor("d=yesterday&k=milestone&i=1")}, "cursor"),
        ("/api/v1/progress-history/", {"cursor": cursor("r=x")}, "cursor"),
        ("/api/v1/progress-history/", {"cursor": cursor("d=2020-01-01&k=plan&i=1")}, "cursor"),
        ("/api/v1/progress-history/", {"cursor": cursor("d=2020-01-01&k=milestone&i=0")}, "cursor"),
        (
            "/api/v1/progress-history/",
            {"cursor": cursor("d=9999-12-31T23:59:59-23:00&k=milestone&i=1")},
            "cursor",
        ),
        ("/api/v1/progress-history/", {"page_size": "1000"}, "page_size"),
        ("/api/v1/progress-history/", {"ordering": "updated_at"}, "ordering"),
        ("/api/v1/sdg-targets/", {"goal": "18"}, "goal"),
        ("/api/v1/meetings/", {"date_from": "not a date"}, "date_from"),
        ("/api/v1/institutions/", {"kind": "company"}, "kind"),
        # A download is not paged, but its page parameters are held to the same bounds.
        ("/api/v1/comments/", {"format": "xlsx", "page_size": "null"}, "page_size"),
        ("/api/v1/commitments/", {"format": "csv", "page_size": "0"}, "page_size"),
        ("/api/v1/commitments/", {"format": "csv", "page": "abc"}, "page"),
        ("/api/v1/progress-history/", {"format": "csv", "page_size": "1000"}, "page_size"),
    ],
)
def test_bad_parameter_is_a_400_naming_it(api, url, params, field):
    MilestoneFactory(commitment=CommitmentFactory())
    response = api.get(url, params)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert field in response.json()


def test_bad_filter_on_a_csv_request_answers_in_json(api):
    response = api.get("/api/v1/commitments/", {"format": "csv", "cycle_year": "x"})
    assert response.status_code == 400
    assert "cycle_year" in response.json()


def test_unknown_detail_is_a_json_404(api):
    response = api.get("/api/v1/commitments/NOPE/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_out_of_range_id_is_a_404_not_a_500(api):
    response = api.get("/api/v1/milestones/99999999999999999999999/")
    assert response.status_code == 404


def test_page_size_at_the_cap_is_accepted(api):
    MilestoneFactory()
    response = api.get("/api/v1/milestones/", {"page_size": 100})
    assert response.status_code == 200


def test_far_offsets_are_accepted_in_utc(api):
    """ISO 8601 allows offsets that PostgreSQL does not; they are converted, not a 500."""
    MilestoneFactory()
    response = api.get("/api/v1/milestones/", {"updated_since": "2000-01-23T18:44:10-19:58"})
    assert response.status_code == 200
    response = api.get(
        "/api/v1/progress-history/",
        {"cursor": cursor("d=2000-01-01T00:00:00-19:58&k=milestone&i=1")},
    )
    assert response.status_code == 200
