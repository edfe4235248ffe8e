"""Two editors save the same milestone: the second is refused, shown what changed, and keeps
their input. Nothing is silently overwritten."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from commitments import services
from commitments.models import Milestone
from tests.commitments.worlds import build_world, progress_data


def update_url(milestone):
    return reverse("commitments:milestone_update", args=[milestone.commitment.code, milestone.pk])


@pytest.mark.django_db
def test_the_second_save_gets_a_conflict_page_with_both_versions_and_its_own_input():
    world = build_world()
    milestone = world.national_commitment.milestones.order_by("position").first()
    ana, beto = Client(), Client()
    ana.force_login(world.users["lead_editor"])
    beto.force_login(world.users["support_editor"])

    # Both open the form at version 1.
    assert 'value="1"' in ana.get(update_url(milestone)).content.decode()
    assert 'value="1"' in beto.get(update_url(milestone)).content.decode()
    # Beto saves first.
    first = beto.post(
        update_url(milestone), progress_data(milestone, percent_complete=30, narrative="De Beto")
    )
    assert first.status_code == 302

    # Ana saves from the version she opened.
    response = ana.post(
        update_url(milestone), progress_data(milestone, percent_complete=80, narrative="De Ana")
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "Otra persona guardó este hito antes que tú" in html
    assert world.users["support_editor"].first_name in html  # who changed it
    conflict = {row["name"]: row for row in response.context["conflict"]["fields"]}
    assert (conflict["percent_complete"]["started"], conflict["percent_complete"]["current"]) == (
        0,
        30,
    )
    assert conflict["percent_complete"]["changed"] and conflict["narrative"]["changed"]
    assert not conflict["weight"]["changed"]
    assert conflict["percent_complete"]["mine"] == "80"
    # The form keeps Ana's input, now based on the version Beto saved.
    form = response.context["form"]
    assert form["narrative"].value() == "De Ana"
    assert form["percent_complete"].value() == "80"
    assert form["version"].value() == 2
    assert f'name="hito-{milestone.pk}-version" value="2"' in html
    milestone.refresh_from_db()
    assert (milestone.percent_complete, milestone.narrative, milestone.version) == (
        30,
        "De Beto",
        2,
    )

    # Ana re-submits what the conflict page gives her: it saves, on top of Beto's change.
    again = ana.post(
        update_url(milestone),
        progress_data(milestone, percent_complete=80, narrative="De Ana", version=2),
    )

    assert again.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.percent_complete, milestone.narrative, milestone.version) == (
        80,
        "De Ana",
        3,
    )
    authors = [
        r.history_user for r in milestone.history.filter(history_type="~").order_by("history_id")
    ]
    assert authors == [world.users["support_editor"], world.users["lead_editor"]]


@pytest.mark.django_db
def test_a_stale_reorder_is_refused_with_a_conflict():
    world = build_world()
    commitment = world.national_commitment
    top, bottom = commitment.milestones.order_by("position")
    client = Client()
    client.force_login(world.users["lead_editor"])
    move = reverse("commitments:milestone_move", args=[commitment.code, bottom.pk])
    client.post(update_url(bottom), progress_data(bottom, percent_complete=10))  # version 2

    response = client.post(move, {"version": 1, "direction": "up"})

    assert response.status_code == 409
    assert "Otra persona modificó el hito" in response.content.decode()
    top.refresh_from_db()
    assert top.position == 1


def save_progress(milestone, user, *, percent, version=1):
    return services.update_milestone_progress(
        milestone_id=milestone.pk,
        user=user,
        version=version,
        status="in_progress",
        percent_complete=percent,
        narrative=f"{percent} %",
        weight=1,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_connections_saving_the_same_version_on_postgresql():
    """Editor A's transaction holds the row; B, on its own connection, waits and is refused."""
    world = build_world()
    milestone = world.national_commitment.milestones.order_by("position").first()
    a_user, b_user = world.users["lead_editor"], world.users["support_editor"]
    a_has_claimed, release_a = threading.Event(), threading.Event()
    outcome = {}

    def editor_a():
        try:
            with transaction.atomic():
                save_progress(milestone, a_user, percent=40)
                a_has_claimed.set()
                release_a.wait(10)  # keep the transaction (and the row lock) open
            outcome["a"] = "saved"
        except Exception as error:  # pragma: no cover - reported by the assertion
            outcome["a"] = error
        finally:
            connections.close_all()

    def editor_b():
        a_has_claimed.wait(10)
        try:
            save_progress(milestone, b_user, percent=90)
            outcome["b"] = "saved"
        except services.EditConflict as conflict:
            outcome["b"] = conflict
        finally:
            connections.close_all()

    threads = [threading.Thread(target=editor_a), threading.Thread(target=editor_b)]
    for thread in threads:
        thread.start()
    assert a_has_claimed.wait(10)
    # B is now blocked on A's row lock, on a different PostgreSQL backend.
    deadline, b_waited = time.monotonic() + 5, False
    while not b_waited and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
            b_waited = cursor.fetchone()[0] > 0
        time.sleep(0.05)
    release_a.set()
    for thread in threads:
        thread.join(15)

    assert b_waited, "B should have been blocked by A's row lock"
    assert outcome["a"] == "saved"
    assert isinstance(outcome["b"], services.EditConflict)
    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.percent_complete, saved.version) == (40, 2)
    assert saved.history.filter(history_type="~").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_connections_racing_without_coordination_never_both_win():
    """Many editors start from version 1 at once: exactly one save wins."""
    world = build_world()
    milestone = world.national_commitment.milestones.order_by("position").first()
    user = world.users["staff_role"]
    start = threading.Barrier(4)
    results = []

    def editor(percent):
        start.wait(10)
        try:
            save_progress(milestone, user, percent=percent)
            results.append("saved")
        except services.EditConflict:
            results.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=editor, args=(p,)) for p in (10, 20, 30, 40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert sorted(results) == ["conflict", "conflict", "conflict", "saved"]
    assert Milestone.objects.get(pk=milestone.pk).version == 2
