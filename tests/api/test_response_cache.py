"""The API's response cache: a write through any channel shows on the next request.

No model signal keeps it fresh: every write path calls `ogp_portal.outbox.data_changed()`,
which bumps the cache's generation after commit (pages, API, admin, imports, commands, the
indicators recompute). Each story runs on local memory (the embedded portal) and on a real
Redis.
"""

import io
import weakref
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.v1 import response_cache
from commitments.models import Commitment, Milestone
from coordination.services import record_agreement
from indicators.services import recompute_commitments
from ogp_portal import outbox
from reviews.services import post_comment
from states.services import record_metrica_score
from tests.commitments.worlds import build_world, progress_data
from tests.factories import (
    CommitmentFactory,
    InstitutionFactory,
    MeetingFactory,
    MetricaEditionFactory,
    SourceFactory,
    StateFactory,
)
from tests.imports.helpers import MILESTONE_HEADER, csv_bytes, run

pytestmark = pytest.mark.django_db

# The portal's own apps: none of them may keep data fresh through model signals.
PROJECT_APPS = (
    "accounts",
    "api",
    "commitments",
    "coordination",
    "demo",
    "imports",
    "indicators",
    "ogp_data",
    "ogp_portal",
    "reviews",
    "search",
    "states",
)


@pytest.fixture
def world():
    return build_world()


def titles(response):
    return [row["title_es"] for row in response.json()["results"]]


def milestone_titles(api):
    return {row["title"] for row in api.get("/api/v1/milestones/").json()["results"]}


def percent_of(api, milestone):
    rows = api.get("/api/v1/milestones/", {"page_size": 100}).json()["results"]
    return next(row["percent_complete"] for row in rows if row["id"] == milestone.pk)


def institution_names(api):
    rows = api.get("/api/v1/institutions/", {"page_size": 100}).json()["results"]
    return {row["name"] for row in rows}


def test_repeated_list_is_served_from_cache(api, cache_on, django_assert_max_num_queries):
    CommitmentFactory(title_es="Uno")
    first = api.get("/api/v1/commitments/")
    with django_assert_max_num_queries(0):
        again = api.get("/api/v1/commitments/")
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert api.get("/api/v1/commitments/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_save_that_skips_every_write_path_waits_for_the_cache_to_expire(
    api, cache_on, django_capture_on_commit_callbacks
):
    """No signal: a bare save() is not seen until the cached answer's time runs out, which
    API_RESPONSE_CACHE_SECONDS bounds; data_changed() is what makes it visible at once."""
    commitment = CommitmentFactory(title_es="Antes")
    assert titles(api.get("/api/v1/commitments/")) == ["Antes"]
    with django_capture_on_commit_callbacks(execute=True):
        commitment.title_es = "Después"
        commitment.save()
    assert titles(api.get("/api/v1/commitments/")) == ["Antes"]
    with django_capture_on_commit_callbacks(execute=True):
        outbox.data_changed()
    assert titles(api.get("/api/v1/commitments/")) == ["Después"]


def test_a_progress_form_on_the_pages_shows_in_the_next_list(
    api, cache_on, world, django_capture_on_commit_callbacks
):
    milestone = world.national_commitment.milestones.order_by("position").first()
    assert percent_of(api, milestone) == 0
    editor = Client()
    editor.force_login(world.users["lead_editor"])
    url = reverse("commitments:milestone_update", args=[milestone.commitment.code, milestone.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(url, progress_data(milestone, percent_complete=60))

    assert response.status_code == 302
    assert percent_of(api, milestone) == 60


def test_a_write_through_the_api_shows_in_the_next_list(
    api, cache_on, world, django_capture_on_commit_callbacks
):
    milestone = world.national_commitment.milestones.order_by("position").first()
    assert percent_of(api, milestone) == 0
    writer = APIClient()
    token = Token.objects.create(user=world.users["lead_editor"])
    writer.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    with django_capture_on_commit_callbacks(execute=True):
        response = writer.patch(
            f"/api/v1/milestones/{milestone.pk}/",
            {"percent_complete": 70},
            format="json",
            HTTP_IF_MATCH='"1"',
        )

    assert response.status_code == 200, response.content
    assert percent_of(api, milestone) == 70


def test_an_admin_change_form_shows_in_the_next_list(
    api, cache_on, admin_client, django_capture_on_commit_callbacks
):
    institution = InstitutionFactory(name="Secretaría Antigua", kind="government")
    assert "Secretaría Antigua" in institution_names(api)
    url = reverse("admin:commitments_institution_change", args=[institution.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"name": "Secretaría Renombrada", "acronym": "", "kind": "government"}
        )

    assert response.status_code == 302, response.content
    names = institution_names(api)
    assert "Secretaría Renombrada" in names
    assert "Secretaría Antigua" not in names


def test_an_admin_delete_and_a_bulk_delete_show_in_the_next_list(
    api, cache_on, admin_client, django_capture_on_commit_callbacks
):
    one = InstitutionFactory(name="Institución Uno")
    two = InstitutionFactory(name="Institución Dos")
    assert {"Institución Uno", "Institución Dos"} <= institution_names(api)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:commitments_institution_delete", args=[one.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert "Institución Uno" not in institution_names(api)
    assert "Institución Dos" in institution_names(api)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:commitments_institution_changelist"),
            {"action": "delete_selected", "_selected_action": [two.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert "Institución Dos" not in institution_names(api)


def test_an_applied_import_shows_in_the_next_list(
    api, cache_on, world, django_capture_on_commit_callbacks
):
    title = "Publicar los datos abiertos del plan"
    assert title not in milestone_titles(api)
    rows = [MILESTONE_HEADER, ["JAL9001", "3", title, "", "2030-12-31", "", "", "", ""]]

    with django_capture_on_commit_callbacks(execute=True):
        outcome = run("milestones", csv_bytes(rows), user=world.users["state_editor"], apply=True)

    assert outcome.applied, outcome.errors
    assert title in milestone_titles(api)


def test_a_dry_run_import_does_not_move_the_generation(
    cache_on, world, django_capture_on_commit_callbacks
):
    rows = [MILESTONE_HEADER, ["JAL9001", "3", "Solo revisar", "", "2030-12-31", "", "", "", ""]]
    before = response_cache.generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run("milestones", csv_bytes(rows), user=world.users["state_editor"])
    assert callbacks == []
    assert response_cache.generation() == before


def test_a_management_command_load_shows_in_the_next_list(
    api, cache_on, django_capture_on_commit_callbacks
):
    assert api.get("/api/v1/commitments/").json()["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_mexico_ogp", stdout=io.StringIO())

    assert api.get("/api/v1/commitments/").json()["count"] == Commitment.objects.count() > 0


def test_a_recompute_alone_shows_in_the_next_indicators_list(
    api, cache_on, world, django_capture_on_commit_callbacks
):
    commitment = world.national_commitment
    url = "/api/v1/indicators/commitments/?commitment=" + commitment.code
    recompute_commitments(commitment_ids=[commitment.pk])
    assert api.get(url).json()["results"][0]["completion_level"] == "not_started"
    # A set-based write that announces nothing itself: only the recompute's call is left.
    commitment.milestones.update(percent_complete=100, status="complete")
    assert api.get(url).json()["results"][0]["completion_level"] == "not_started"

    with django_capture_on_commit_callbacks(execute=True):
        recompute_commitments(commitment_ids=[commitment.pk])

    assert api.get(url).json()["results"][0]["completion_level"] == "complete"


def _comment(world):
    post_comment(
        user=world.users["reviewer"], body="Buen avance.", commitment=world.national_commitment
    )


def _agreement(world):
    record_agreement(
        meeting=MeetingFactory(),
        text="Publicar la minuta",
        responsible=InstitutionFactory(),
        due_date=Milestone.objects.first().commitment.action_plan.end_date,
    )


def _metrica(world):
    record_metrica_score(
        state=StateFactory(inegi_code="05"),
        edition=MetricaEditionFactory(),
        score=Decimal("0.5"),
        source=SourceFactory(),
    )


@pytest.mark.parametrize("write", [_comment, _agreement, _metrica], ids=lambda w: w.__name__)
def test_each_apps_write_service_moves_the_generation_after_commit(
    cache_on, world, write, django_capture_on_commit_callbacks
):
    before = response_cache.generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        write(world)
    # Nothing moves before the commit; then the bump is one of the commit's hooks.
    assert response_cache.generation() == before
    for callback in callbacks:
        callback()
    assert response_cache.generation() != before


class Refused(Exception):
    pass


def test_a_rolled_back_write_does_not_move_the_generation(
    api, cache_on, world, django_capture_on_commit_callbacks
):
    before = response_cache.generation()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused),
        transaction.atomic(),
    ):
        _agreement(world)
        raise Refused
    assert response_cache.generation() == before


def test_no_app_of_the_portal_listens_to_model_signals():
    """Side effects are explicit calls; a receiver here would bring signals back silently."""
    for signal in (post_save, post_delete, m2m_changed):
        modules = set()
        for _key, receiver, *_rest in signal.receivers:
            function = receiver() if isinstance(receiver, weakref.ReferenceType) else receiver
            modules.add(getattr(function, "__module__", None) or "")
        ours = sorted(m for m in modules if m.split(".")[0] in PROJECT_APPS)
        assert ours == [], signal


def test_different_queries_are_cached_apart(api, cache_on):
    CommitmentFactory(code="A1")
    CommitmentFactory(code="B1")
    assert api.get("/api/v1/commitments/", {"search": "A1"}).json()["count"] == 1
    assert api.get("/api/v1/commitments/").json()["count"] == 2


# The apps whose records the API publishes; their admin pages write without a service.
PUBLISHED_APPS = {"commitments", "states", "coordination", "reviews", "indicators"}


def test_every_admin_page_of_published_data_makes_cached_lists_stale():
    from django.contrib import admin

    from ogp_portal.admin import PublishesData

    published = {
        model._meta.label: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PUBLISHED_APPS
    }
    assert "commitments.Institution" in published  # the registry was read
    silent = sorted(
        label
        for label, model_admin in published.items()
        if not isinstance(model_admin, PublishesData)
    )
    assert silent == [], f"admin pages that would leave the API cache stale: {silent}"
