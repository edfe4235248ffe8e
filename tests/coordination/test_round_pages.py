"""The reporting-round pages: staff open and close, editors submit, reviewers dispute, and
anyone reads the board (counts, groups, filters, CSV, API), the frozen summary, the
release zip and the comparison of two rounds."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from commitments.models import Milestone
from coordination import round_services as services
from coordination.models import ReminderOptOut, ReportingRound, RoundEntry
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MembershipFactory,
    MilestoneFactory,
    ReviewerFactory,
    StateActionPlanFactory,
    StateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def people():
    editor = MembershipFactory(role=Role.GOVERNMENT_EDITOR).user
    return {
        "staff": UserFactory(is_staff=True),
        "editor": editor,
        "reviewer": ReviewerFactory().user,
        "analyst": MembershipFactory(role=Role.ANALYST).user,
    }


def backdate(milestones, day):
    """Make the milestones (and their history) as if written at noon of that day."""
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Milestone.objects.filter(pk__in=milestones).update(created_at=when)
    Milestone.history.filter(id__in=milestones).update(history_date=when)


def make_round(
    people, *, commitments=2, past_deadline=False, days_ago=1, name="Primer informe 2025"
):
    plan = ActionPlanFactory(cycle_year=2025 + ReportingRound.objects.count())
    institution = people["editor"].membership.institution
    for number in range(commitments):
        commitment = CommitmentFactory(action_plan=plan)
        commitment.lead_institutions.add(institution if number == 0 else InstitutionFactory())
        MilestoneFactory(commitment=commitment, percent_complete=40, status="in_progress")
    today = timezone.localdate()
    deadline = today - days_ago * DAY if past_deadline else today + 5 * DAY
    if past_deadline:
        backdate(Milestone.objects.filter(commitment__action_plan=plan).values("pk"), deadline)
    return services.open_round(
        user=people["staff"],
        name=name,
        scope=ReportingRound.Scope.PLAN,
        action_plan=plan,
        opens_on=deadline - 30 * DAY,
        deadline=deadline,
        validation_ends_on=deadline + 10 * DAY,
    )


def report_data(entry):
    return {
        "informe-date": entry.commitment.action_plan.start_date.isoformat(),
        "informe-summary": "Avance del semestre.",
    }


# --- Who may do what ------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "editor", "reviewer", "analyst"])
def test_only_staff_open_rounds(client, people, who):
    if who:
        client.force_login(people[who])
    response = client.get(reverse("coordination:round_open"))
    assert response.status_code in (302, 403)
    assert response.status_code == (302 if who is None else 403)


def test_staff_open_a_round_from_the_form_and_see_clear_errors(client, people):
    plan = ActionPlanFactory(cycle_year=2030)
    CommitmentFactory(action_plan=plan, code="MX0900")
    client.force_login(people["staff"])
    data = {
        "name": "Segundo informe de avance 2030",
        "scope": "plan",
        "action_plan": plan.pk,
        "opens_on": "2030-05-01",
        "deadline": "2030-04-01",
        "validation_ends_on": "2030-06-01",
        "remind_days_before": 7,
    }
    response = client.post(reverse("coordination:round_open"), data)
    assert response.status_code == 400
    assert "La fecha límite no puede ser anterior a la apertura." in response.content.decode()
    assert ReportingRound.objects.count() == 0
    response = client.post(reverse("coordination:round_open"), {**data, "deadline": "2030-05-20"})
    round_ = ReportingRound.objects.get()
    assert response.status_code == 302
    assert response.url == round_.get_absolute_url()
    assert list(round_.entries.values_list("commitment__code", flat=True)) == ["MX0900"]


def test_unknown_codes_are_named_in_the_error(client, people):
    client.force_login(people["staff"])
    response = client.post(
        reverse("coordination:round_open"),
        {
            "name": "Elegidos",
            "scope": "commitments",
            "commitments": "MX9999, MX9998",
            "opens_on": "2030-05-01",
            "deadline": "2030-05-20",
            "validation_ends_on": "2030-06-01",
            "remind_days_before": 7,
        },
    )
    assert response.status_code == 400
    assert "MX9999, MX9998" in response.content.decode()


def test_an_editor_submits_only_for_commitments_they_may_edit(client, people):
    round_ = make_round(people)
    mine, other = round_.entries.order_by("pk")
    client.force_login(people["editor"])
    url = reverse("coordination:round_submit", args=[round_.pk, other.commitment.code])
    assert client.post(url, report_data(other)).status_code == 403
    url = reverse("coordination:round_submit", args=[round_.pk, mine.commitment.code])
    response = client.post(url, report_data(mine))
    assert response.status_code == 302
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.status == RoundEntry.Status.SUBMITTED
    assert other.status == RoundEntry.Status.PENDING


def test_a_reviewer_disputes_with_reasons_and_others_may_not(client, people):
    round_ = make_round(people)
    entry = round_.entries.order_by("pk").first()
    services.submit_report(
        entry=entry,
        user=people["editor"],
        date=entry.commitment.action_plan.start_date,
        summary="Hecho.",
    )
    url = reverse("coordination:round_review", args=[round_.pk, entry.commitment.code])
    client.force_login(people["editor"])
    assert client.post(url, {"verdict": "validate"}).status_code == 403
    client.force_login(people["reviewer"])
    response = client.post(url, {"verdict": "dispute", "reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"verdict": "dispute", "reason": "El portal no existe."})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.review == RoundEntry.Review.DISPUTED


@pytest.mark.parametrize("who", ["editor", "reviewer", "analyst"])
def test_only_staff_close_a_round(client, people, who):
    round_ = make_round(people, past_deadline=True)
    client.force_login(people[who])
    assert client.post(reverse("coordination:round_close", args=[round_.pk])).status_code == 403
    round_.refresh_from_db()
    assert round_.is_open


def test_staff_close_a_round_and_land_on_its_frozen_summary(client, people):
    round_ = make_round(people, past_deadline=True)
    client.force_login(people["staff"])
    response = client.post(reverse("coordination:round_close", args=[round_.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("coordination:round_summary", args=[round_.pk])
    page = response.content.decode()
    assert "Registro congelado" in page
    assert "2 de 2 con información" in page


def test_closing_before_the_deadline_shows_the_reason_and_keeps_it_open(client, people):
    round_ = make_round(people)
    client.force_login(people["staff"])
    response = client.post(reverse("coordination:round_close", args=[round_.pk]), follow=True)
    assert "después de su fecha límite" in response.content.decode()
    round_.refresh_from_db()
    assert round_.is_open


# --- The public board ----------------------------------------------------------------


def test_the_board_shows_counts_and_each_commitment_status(client, people):
    round_ = make_round(people, commitments=3)
    entry = round_.entries.order_by("pk").first()
    services.submit_report(
        entry=entry,
        user=people["editor"],
        date=entry.commitment.action_plan.start_date,
        summary="Hecho.",
    )
    response = client.get(round_.get_absolute_url())
    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts["total"], counts["submitted"], counts["pending"], counts["awaiting"]) == (
        3,
        1,
        2,
        1,
    )
    assert "Entregado" in response.content.decode()


def test_the_board_filters_and_groups_by_state(client, people):
    jalisco = StateFactory(short_name="Jalisco")
    plan = StateActionPlanFactory(state=jalisco, cycle_year=2025)
    local = CommitmentFactory(action_plan=plan, code="JAL-1")
    national = CommitmentFactory(action_plan=ActionPlanFactory(cycle_year=2026), code="MX0500")
    today = timezone.localdate()
    round_ = services.open_round(
        user=people["staff"],
        name="Mixta",
        scope="commitments",
        commitments=[local, national],
        opens_on=today,
        deadline=today + DAY,
        validation_ends_on=today + 2 * DAY,
    )
    response = client.get(round_.get_absolute_url(), {"agrupar": "entidad"})
    codes = [entry.commitment.code for entry in response.context["entries"]]
    assert codes == ["MX0500", "JAL-1"]  # "" (national) sorts before "Jalisco"
    response = client.get(round_.get_absolute_url(), {"entidad": jalisco.pk})
    assert [e.commitment.code for e in response.context["entries"]] == ["JAL-1"]
    response = client.get(round_.get_absolute_url(), {"estado": "late"})
    assert list(response.context["entries"]) == []
    # A bad filter value is ignored, the others still apply.
    response = client.get(round_.get_absolute_url(), {"estado": "nonsense", "entidad": jalisco.pk})
    assert [e.commitment.code for e in response.context["entries"]] == ["JAL-1"]


@pytest.mark.parametrize("size", [3, 30])
def test_the_board_costs_the_same_queries_whatever_the_number_of_commitments(
    client, people, django_assert_max_num_queries, size
):
    round_ = make_round(people, commitments=size)
    for entry in round_.entries.all()[:2]:
        services.submit_report(
            entry=entry,
            user=people["staff"],
            date=entry.commitment.action_plan.start_date,
            summary="Hecho.",
        )
        services.review_entry(entry=entry, user=people["reviewer"], verdict="validate")
    client.force_login(people["editor"])
    with django_assert_max_num_queries(14):
        response = client.get(round_.get_absolute_url(), {"agrupar": "institucion"})
    assert len(response.context["entries"]) == size


def test_the_board_csv_lists_every_commitment_with_reasons(client, people):
    round_ = make_round(people)
    entry = round_.entries.order_by("pk").first()
    services.submit_report(
        entry=entry,
        user=people["editor"],
        date=entry.commitment.action_plan.start_date,
        summary="Hecho.",
    )
    services.review_entry(
        entry=entry, user=people["reviewer"], verdict="dispute", reason="=HYPERLINK(1)"
    )
    response = client.get(round_.get_absolute_url(), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 2
    disputed = next(row for row in rows if row["commitment"] == entry.commitment.code)
    assert disputed["status"] == "submitted"
    assert disputed["review"] == "disputed"
    assert "=HYPERLINK(1)" in disputed["reviews"]
    assert not disputed["reviews"].startswith("=")


def test_formula_like_text_is_escaped_once_in_the_board_csv(client, people):
    round_ = make_round(people)
    entry = round_.entries.order_by("pk").first()
    entry.commitment.title_es = "=SUM(A1:A9)"
    entry.commitment.save(update_fields=["title_es"])
    response = client.get(round_.get_absolute_url(), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    row = next(row for row in rows if row["commitment"] == entry.commitment.code)
    # One apostrophe, as every export writes it, so the import's undo gives the title back.
    assert row["title"] == "'=SUM(A1:A9)"


def test_the_api_lists_rounds_and_their_entries(client, people):
    round_ = make_round(people)
    response = client.get("/api/v1/reporting-rounds/")
    assert response.status_code == 200
    body = response.json()
    assert body["results"][0]["name"] == round_.name
    assert body["results"][0]["commitment_count"] == 2
    response = client.get("/api/v1/reporting-round-entries/", {"round": round_.pk})
    results = response.json()["results"]
    assert {row["status"] for row in results} == {"pending"}
    assert len(results) == 2
    response = client.get("/api/v1/reporting-round-entries/", {"status": "bogus"})
    assert response.status_code == 400


# --- The frozen record --------------------------------------------------------------


def test_an_open_round_has_no_release_yet(client, people):
    round_ = make_round(people)
    assert client.get(reverse("coordination:round_release", args=[round_.pk])).status_code == 404
    assert client.get(reverse("coordination:round_summary", args=[round_.pk])).status_code == 404


def test_the_release_is_a_dated_zip_with_a_datapackage_and_the_same_bytes_each_time(client, people):
    round_ = make_round(people, past_deadline=True)
    services.close_round(round=round_, user=people["staff"])
    round_.refresh_from_db()
    url = reverse("coordination:round_release", args=[round_.pk])
    first = b"".join(client.get(url).streaming_content)
    second = client.get(url)
    assert b"".join(second.streaming_content) == first
    date = timezone.localdate(round_.closed_at).isoformat()
    assert f"ronda-{round_.pk}-{date}.zip" in second["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert set(archive.namelist()) == {
        "datapackage.json",
        "round_commitments.csv",
        "round_milestones.csv",
        "round_reviews.csv",
    }
    package = json.loads(archive.read("datapackage.json"))
    assert package["created"] == round_.closed_at.isoformat()
    assert [r["path"] for r in package["resources"]] == [
        "round_commitments.csv",
        "round_milestones.csv",
        "round_reviews.csv",
    ]
    rows = list(csv.DictReader(io.StringIO(archive.read("round_milestones.csv").decode())))
    assert {row["percent_complete"] for row in rows} == {"40"}


def test_the_comparison_shows_each_commitments_change_between_two_rounds(client, people):
    first = make_round(people, past_deadline=True, days_ago=5)
    services.close_round(round=first, user=people["staff"])
    today = timezone.localdate()
    second = services.open_round(
        user=people["staff"],
        name="Segundo",
        scope="plan",
        action_plan=first.action_plan,
        opens_on=today - 4 * DAY,
        deadline=today - DAY,
        validation_ends_on=today,
    )
    commitment = first.action_plan.commitments.order_by("pk").first()
    milestone = commitment.milestones.get()
    milestone.percent_complete, milestone.status = 100, "complete"
    milestone.save()
    Milestone.history.filter(id=milestone.pk, percent_complete=100).update(
        history_date=timezone.make_aware(
            datetime.datetime.combine(today - 2 * DAY, datetime.time(12))
        )
    )
    services.close_round(round=second, user=people["staff"])
    response = client.get(
        reverse("coordination:round_compare"), {"antes": first.pk, "despues": second.pk}
    )
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.code == commitment.code)
    assert (float(row.before_completion), float(row.completion_percent)) == (40.0, 100.0)
    same = client.get(
        reverse("coordination:round_compare"), {"antes": first.pk, "despues": first.pk}
    )
    assert same.status_code == 400


# --- Reminders opt-out -------------------------------------------------------------


def test_a_person_turns_reminders_off_and_on(client, people):
    client.force_login(people["editor"])
    url = reverse("coordination:reminder_settings")
    client.post(url, {"recibir": "0"})
    assert ReminderOptOut.objects.filter(user=people["editor"]).exists()
    client.post(url, {"recibir": "1"})
    assert not ReminderOptOut.objects.filter(user=people["editor"]).exists()


def test_the_public_pages_load(client, people):
    make_round(people)
    assert client.get(reverse("coordination:round_list")).status_code == 200
    assert client.get(reverse("coordination:round_compare")).status_code == 200


# --- Every round URL is in this matrix --------------------------------------------------

ROUND_URLS = {
    "coordination:round_list": "public",
    "coordination:round_board": "public",
    "coordination:round_compare": "public",
    "coordination:round_summary": "public",
    "coordination:round_release": "public",
    "coordination:round_open": "staff",
    "coordination:round_close": "staff",
    "coordination:round_submit": "responsible editor or staff",
    "coordination:round_review": "civil-society reviewer",
    "coordination:reminder_settings": "logged in",
}


def test_every_round_url_is_classified():
    from tests.commitments.test_permission_matrix import url_names_in

    found = {
        name
        for name in url_names_in({"coordination.urls"})
        if name.startswith(("coordination:round", "coordination:reminder"))
    }
    assert found == set(ROUND_URLS), "new round URL: classify it in ROUND_URLS and test it"


@pytest.mark.parametrize(
    "url_name",
    [name for name, who in ROUND_URLS.items() if who != "public"],
)
def test_anonymous_writes_are_sent_to_log_in_and_change_nothing(client, people, url_name):
    round_ = make_round(people, past_deadline=True)
    code = round_.entries.order_by("pk").first().commitment.code
    args = {
        "coordination:round_open": [],
        "coordination:reminder_settings": [],
        "coordination:round_close": [round_.pk],
        "coordination:round_submit": [round_.pk, code],
        "coordination:round_review": [round_.pk, code],
    }[url_name]
    response = client.post(reverse(url_name, args=args), {"verdict": "validate"})
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    round_.refresh_from_db()
    assert round_.is_open
    assert not round_.entries.exclude(status="pending").exists()
