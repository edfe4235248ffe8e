"""Staff in the admin and an editor on the progress page save the same records.

Whoever saves second from an older page is refused (a form error in the admin, the
conflict page for the editor); nothing either of them was told is saved is undone.
Admin saves go through the services: history with the staff member as author, the
recompute request in the outbox, the notification of a progress change.
"""

import threading

import pytest
from django.db import connection, connections
from django.forms import CheckboxInput, FileField, ModelMultipleChoiceField
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments import services
from commitments.models import Evidence, Milestone
from indicators.models import RecomputeRequest
from reviews.models import Event
from tests.commitments.worlds import build_world, progress_data
from tests.factories import MilestoneFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db

CONFLICT = "Otra persona cambió este registro después de que lo abriste"


def page_url(milestone):
    return reverse("commitments:milestone_update", args=[milestone.commitment.code, milestone.pk])


def change_url(record):
    return reverse(f"admin:commitments_{record._meta.model_name}_change", args=[record.pk])


def _form_data(form, data):
    for bound in form:
        if isinstance(bound.field, FileField):
            continue  # a stored file is not sent again
        value = bound.value()
        if isinstance(bound.field.widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        if value is None and isinstance(bound.field, ModelMultipleChoiceField):
            continue  # an empty list sends nothing
        if value is None:
            value = ""
        elif isinstance(value, list | tuple):
            value = [str(item) for item in value]
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        data[bound.html_name] = value


def opened_form(response):
    """What the browser would send back for a change page opened now, untouched."""
    assert response.status_code == 200
    data = {}
    _form_data(response.context["adminform"].form, data)
    inlines = response.context.get("inline_admin_formsets", [])
    for inline in inlines:
        formset = inline.formset
        for bound in formset.management_form:
            data[bound.html_name] = bound.value()
        for row in formset.forms:
            _form_data(row, data)
    return data


def milestone_row(data, milestone):
    """The inline prefix ("milestones-0-") of `milestone` in a commitment's change form."""
    for key, value in data.items():
        if (
            key.startswith("milestones-")
            and key.endswith("-id")
            and str(value) == str(milestone.pk)
        ):
            return key[: -len("id")]
    raise AssertionError(f"no inline row for milestone {milestone.pk}")


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def milestone(world):
    return world.national_commitment.milestones.order_by("position").first()


@pytest.fixture
def editor(world):
    client = Client()
    client.force_login(world.users["lead_editor"])
    return client


def test_staff_saving_a_milestone_from_before_the_editors_save_is_refused(
    admin_client, editor, milestone
):
    opened = opened_form(admin_client.get(change_url(milestone)))
    saved = editor.post(page_url(milestone), progress_data(milestone, narrative="Mesa instalada"))
    assert saved.status_code == 302

    response = admin_client.post(change_url(milestone), {**opened, "title": "Título de staff"})

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    milestone.refresh_from_db()
    assert (milestone.narrative, milestone.title, milestone.version) == (
        "Mesa instalada",
        milestone.title,
        2,
    )
    assert milestone.title != "Título de staff"


def test_an_editor_saving_from_before_a_staff_admin_save_gets_the_conflict_page(
    admin_client, editor, milestone
):
    assert editor.get(page_url(milestone)).status_code == 200  # the form at version 1
    opened = opened_form(admin_client.get(change_url(milestone)))
    staff_save = admin_client.post(
        change_url(milestone), {**opened, "title": "Título corregido", "status": "withdrawn"}
    )
    assert staff_save.status_code == 302

    response = editor.post(page_url(milestone), progress_data(milestone, version=1))

    assert response.status_code == 409
    milestone.refresh_from_db()
    assert (milestone.title, milestone.status, milestone.version) == (
        "Título corregido",
        "withdrawn",
        2,
    )


def test_an_inline_row_opened_before_an_editor_withdrew_the_milestone_is_refused(
    admin_client, editor, world, milestone
):
    commitment = world.national_commitment
    opened = opened_form(admin_client.get(change_url(commitment)))
    withdrawn = editor.post(
        page_url(milestone), progress_data(milestone, status="withdrawn", percent_complete=0)
    )
    assert withdrawn.status_code == 302
    row = milestone_row(opened, milestone)

    response = admin_client.post(
        change_url(commitment),
        {**opened, row + "title": "Otro título", "description": "Descripción de staff"},
    )

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    milestone.refresh_from_db()
    commitment.refresh_from_db()
    assert (milestone.status, milestone.title) == ("withdrawn", milestone.title)
    assert milestone.title != "Otro título"
    assert commitment.description != "Descripción de staff"  # one save, all or nothing


def test_a_staff_save_of_another_field_leaves_the_editors_milestone_as_saved(
    admin_client, editor, world, milestone
):
    commitment = world.national_commitment
    opened = opened_form(admin_client.get(change_url(commitment)))
    editor.post(
        page_url(milestone),
        progress_data(milestone, status="withdrawn", percent_complete=0, narrative="Se retiró"),
    )

    response = admin_client.post(change_url(commitment), {**opened, "description": "Nueva"})

    assert response.status_code == 302
    milestone.refresh_from_db()
    commitment.refresh_from_db()
    assert (milestone.status, milestone.narrative, milestone.version) == (
        "withdrawn",
        "Se retiró",
        2,
    )
    assert commitment.description == "Nueva"


def test_an_editor_saving_from_before_a_staff_inline_save_gets_the_conflict_page(
    admin_client, editor, world, milestone
):
    commitment = world.national_commitment
    assert editor.get(page_url(milestone)).status_code == 200
    opened = opened_form(admin_client.get(change_url(commitment)))
    row = milestone_row(opened, milestone)
    staff_save = admin_client.post(change_url(commitment), {**opened, row + "weight": 5})
    assert staff_save.status_code == 302

    response = editor.post(page_url(milestone), progress_data(milestone, version=1, weight=1))

    assert response.status_code == 409
    milestone.refresh_from_db()
    assert (milestone.weight, milestone.version) == (5, 2)


def test_two_staff_members_on_one_commitment_the_second_is_refused(admin_client, world):
    commitment = world.national_commitment
    colleague = Client()
    colleague.force_login(_second_superuser())
    mine = opened_form(admin_client.get(change_url(commitment)))
    theirs = opened_form(colleague.get(change_url(commitment)))
    assert (
        colleague.post(change_url(commitment), {**theirs, "problem": "Su texto"}).status_code == 302
    )

    response = admin_client.post(change_url(commitment), {**mine, "objectives": "Mi texto"})

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    commitment.refresh_from_db()
    assert (commitment.problem, commitment.objectives, commitment.version) == ("Su texto", "", 2)


def _second_superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("colega", "colega@example.org", "x")


def test_a_staff_milestone_save_records_its_author_requests_the_recompute_and_notifies(
    admin_client, world, milestone
):
    RecomputeRequest.objects.all().delete()
    opened = opened_form(admin_client.get(change_url(milestone)))

    response = admin_client.post(
        change_url(milestone), {**opened, "status": "in_progress", "percent_complete": 30}
    )

    assert response.status_code == 302
    row = milestone.history.latest("history_id")
    assert row.history_user.username == "admin"
    assert row.changes == {"status": ["not_started", "in_progress"], "percent_complete": [0, 30]}
    assert RecomputeRequest.objects.filter(commitment=world.national_commitment).exists()
    event = Event.objects.get(kind=Event.Kind.MILESTONE_UPDATE)
    assert event.actor.username == "admin"


def test_a_staff_commitment_save_with_an_inline_row_records_history_and_the_recompute(
    admin_client, world, milestone
):
    commitment = world.national_commitment
    RecomputeRequest.objects.all().delete()
    opened = opened_form(admin_client.get(change_url(commitment)))
    row = milestone_row(opened, milestone)

    response = admin_client.post(
        change_url(commitment), {**opened, "description": "Revisada", row + "weight": 3}
    )

    assert response.status_code == 302
    commitment_row = commitment.history.latest("history_id")
    milestone_row_ = milestone.history.latest("history_id")
    assert commitment_row.history_user.username == "admin"
    assert commitment_row.changes["description"][1] == "Revisada"
    assert (milestone_row_.history_user.username, milestone_row_.changes) == (
        "admin",
        {"weight": [1, 3]},
    )
    assert list(RecomputeRequest.objects.values_list("commitment_id", flat=True)) == [commitment.pk]
    untouched = commitment.milestones.exclude(pk=milestone.pk).get()
    assert untouched.version == 1  # a row left alone is not saved


def test_a_milestone_added_or_deleted_in_the_inline_requests_the_recompute(
    admin_client, world, milestone
):
    commitment = world.national_commitment
    opened = opened_form(admin_client.get(change_url(commitment)))
    row = milestone_row(opened, milestone)
    total = int(opened["milestones-TOTAL_FORMS"])
    new = f"milestones-{total}-"
    RecomputeRequest.objects.all().delete()

    response = admin_client.post(
        change_url(commitment),
        {
            **opened,
            "milestones-TOTAL_FORMS": total + 1,
            row + "DELETE": "on",
            new + "position": 9,
            new + "title": "Hito nuevo de staff",
            new + "weight": 1,
            new + "status": "not_started",
        },
    )

    assert response.status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    added = commitment.milestones.get(title="Hito nuevo de staff")
    assert added.history.get().history_user.username == "admin"
    assert RecomputeRequest.objects.filter(commitment=commitment).exists()


def test_a_stale_inline_deletion_is_refused(admin_client, editor, world, milestone):
    commitment = world.national_commitment
    opened = opened_form(admin_client.get(change_url(commitment)))
    editor.post(page_url(milestone), progress_data(milestone))

    response = admin_client.post(
        change_url(commitment),
        {**opened, milestone_row(opened, milestone) + "DELETE": "on"},
        follow=True,
    )

    # The formset does not validate a row being deleted: the claim refuses it instead.
    assert CONFLICT in response.content.decode()
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_conflict_that_races_past_the_form_check_rolls_the_whole_save_back(
    admin_client, world, milestone, monkeypatch
):
    """The editor saves between the form's check and the admin's write: the claim refuses.

    (In one test connection the editor's save is rolled back with the admin's; on a real
    server it is its own committed transaction.)"""
    commitment = world.national_commitment
    opened = opened_form(admin_client.get(change_url(commitment)))
    row = milestone_row(opened, milestone)
    real_edit = services._edit_milestone  # the admin save, just before it claims the row

    def editor_saves_first(**kwargs):
        services.update_milestone_progress(
            milestone_id=milestone.pk,
            user=world.users["lead_editor"],
            version=1,
            status="withdrawn",
            percent_complete=0,
            weight=1,
        )
        return real_edit(**kwargs)

    monkeypatch.setattr(services, "_edit_milestone", editor_saves_first)

    response = admin_client.post(
        change_url(commitment), {**opened, "description": "Nueva", row + "weight": 4}, follow=True
    )

    assert CONFLICT in response.content.decode()
    milestone.refresh_from_db()
    commitment.refresh_from_db()
    assert milestone.weight == 1
    assert commitment.description != "Nueva"


def test_staff_edit_evidence_title_only_and_never_move_or_swap_it(admin_client, world, milestone):
    other = world.other_commitment.milestones.first()
    evidence = Evidence.objects.create(
        milestone=milestone, kind=Evidence.Kind.LINK, title="Acta", url="https://example.org/a"
    )
    opened = opened_form(admin_client.get(change_url(evidence)))
    RecomputeRequest.objects.all().delete()

    response = admin_client.post(
        change_url(evidence),
        {**opened, "title": "Acta firmada", "milestone": other.pk, "kind": "file"},
    )

    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.title, evidence.milestone, evidence.kind) == (
        "Acta firmada",
        milestone,
        Evidence.Kind.LINK,
    )
    assert RecomputeRequest.objects.filter(commitment=world.national_commitment).exists()


def test_evidence_added_in_the_admin_names_the_staff_uploader(admin_client, world, milestone):
    response = admin_client.post(
        reverse("admin:commitments_evidence_add"),
        {"milestone": milestone.pk, "kind": "link", "title": "Sitio", "url": "https://ej.mx/"},
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.uploaded_by.username == "admin"
    assert RecomputeRequest.objects.filter(commitment=world.national_commitment).exists()


def test_the_admin_stays_closed_to_editors(world):
    client = Client()
    client.force_login(world.users["lead_editor"])

    response = client.get(change_url(world.national_commitment.milestones.first()))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_admin_stays_closed_to_staff_without_the_permission(world):
    client = Client()
    client.force_login(world.users["django_staff"])

    response = client.get(change_url(world.national_commitment.milestones.first()))

    assert response.status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_editor_committing_between_check_and_write_keeps_their_save(
    admin_client, monkeypatch
):
    """The editor's save commits on its own connection after the admin form was checked;
    the admin's claim then finds the version moved on and rolls the whole save back."""
    world = build_world()
    commitment = world.national_commitment
    milestone = commitment.milestones.order_by("position").first()
    opened = opened_form(admin_client.get(change_url(commitment)))
    row = milestone_row(opened, milestone)
    real_edit = services._edit_milestone  # the admin save, just before it claims the row

    def editor_saves_on_another_connection():
        try:
            services.update_milestone_progress(
                milestone_id=milestone.pk,
                user=world.users["lead_editor"],
                version=1,
                status="withdrawn",
                percent_complete=0,
                narrative="Se retiró",
                weight=1,
            )
        finally:
            connections.close_all()

    def editor_saves_first(**kwargs):
        thread = threading.Thread(target=editor_saves_on_another_connection)
        thread.start()
        thread.join(10)
        return real_edit(**kwargs)

    monkeypatch.setattr(services, "_edit_milestone", editor_saves_first)

    response = admin_client.post(
        change_url(commitment), {**opened, "description": "Nueva", row + "weight": 4}, follow=True
    )

    assert CONFLICT in response.content.decode()
    milestone.refresh_from_db()
    commitment.refresh_from_db()
    assert (milestone.status, milestone.narrative, milestone.weight, milestone.version) == (
        "withdrawn",
        "Se retiró",
        1,
        2,
    )
    assert commitment.description != "Nueva"
    assert commitment.version == 1


def test_a_commitment_revert_in_the_admin_goes_through_the_version_claim(admin_client, world):
    commitment = world.national_commitment
    original = commitment.history.earliest()
    services.edit_commitment_as_staff(
        commitment_id=commitment.pk,
        user=world.users["django_staff"],
        version=1,
        values={"description": "Cambiada"},
    )
    revert_url = reverse(
        "admin:commitments_commitment_simple_history", args=[commitment.pk, original.history_id]
    )
    opened = opened_form(admin_client.get(revert_url))
    assert opened["version"] == 2  # the live version, not the old row's

    response = admin_client.post(revert_url, opened)

    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.description, commitment.version) == (original.description, 3)
    assert commitment.history.latest("history_id").history_user.username == "admin"
    assert list(commitment.lead_institutions.all())  # the lists survive a revert


def test_deleting_milestones_from_the_admin_list_requests_the_recompute(admin_client, world):
    commitment = world.national_commitment
    RecomputeRequest.objects.all().delete()
    ids = list(commitment.milestones.values_list("pk", flat=True))

    response = admin_client.post(
        reverse("admin:commitments_milestone_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )

    assert response.status_code == 302
    assert not commitment.milestones.exists()
    assert RecomputeRequest.objects.filter(commitment=commitment).exists()


def test_the_commitment_change_page_costs_the_same_with_2_or_12_milestones(admin_client, world):
    commitment = world.national_commitment

    def queries_of_the_change_page():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(change_url(commitment)).status_code == 200
        return len(queries)

    with_two = queries_of_the_change_page()
    for position in range(3, 13):
        MilestoneFactory(commitment=commitment, position=position)

    assert queries_of_the_change_page() == with_two


def test_staff_moving_a_milestone_to_another_commitment_recomputes_both(
    admin_client, world, milestone
):
    other = world.other_commitment
    RecomputeRequest.objects.all().delete()
    opened = opened_form(admin_client.get(change_url(milestone)))

    response = admin_client.post(
        change_url(milestone), {**opened, "commitment": other.pk, "position": 7}
    )

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.commitment == other
    assert milestone.history.latest("history_id").changes["commitment_id"] == [
        world.national_commitment.pk,
        other.pk,
    ]
    assert set(RecomputeRequest.objects.values_list("commitment_id", flat=True)) == {
        world.national_commitment.pk,
        other.pk,
    }


def test_a_progress_reports_evidence_rows_in_the_admin_go_through_the_services(admin_client, world):
    report = ProgressReportFactory(commitment=world.national_commitment)
    stored = Evidence.objects.create(
        progress_report=report, kind=Evidence.Kind.LINK, title="Minuta", url="https://ej.mx/m"
    )
    opened = opened_form(admin_client.get(change_url(report)))
    total = int(opened["evidence-TOTAL_FORMS"])
    RecomputeRequest.objects.all().delete()

    response = admin_client.post(
        change_url(report),
        {
            **opened,
            "evidence-TOTAL_FORMS": total + 1,
            "evidence-0-title": "Minuta firmada",
            "evidence-0-kind": "file",  # fixed once stored: ignored
            f"evidence-{total}-kind": "link",
            f"evidence-{total}-title": "Video de la sesión",
            f"evidence-{total}-url": "https://ej.mx/video",
        },
    )

    assert response.status_code == 302
    stored.refresh_from_db()
    assert (stored.title, stored.kind) == ("Minuta firmada", Evidence.Kind.LINK)
    added = report.evidence.get(title="Video de la sesión")
    assert added.uploaded_by.username == "admin"
    assert RecomputeRequest.objects.filter(commitment=world.national_commitment).exists()


def test_a_commitment_added_in_the_admin_with_a_milestone_is_recorded_and_recomputed(
    admin_client, world
):
    add_url = reverse("admin:commitments_commitment_add")
    opened = opened_form(admin_client.get(add_url))
    RecomputeRequest.objects.all().delete()

    response = admin_client.post(
        add_url,
        {
            **opened,
            "code": "MX9099",
            "action_plan": world.national_commitment.action_plan_id,
            "title_es": "Compromiso agregado por el equipo",
            "title_es_origin": "official",
            "milestones-TOTAL_FORMS": 1,
            "milestones-0-position": 1,
            "milestones-0-title": "Primer hito",
            "milestones-0-weight": 1,
            "milestones-0-status": "not_started",
        },
    )

    assert response.status_code == 302
    added = world.national_commitment.__class__.objects.get(code="MX9099")
    milestone = added.milestones.get()
    assert (added.version, milestone.version) == (1, 1)
    assert added.history.get().history_user.username == "admin"
    assert milestone.history.get().history_user.username == "admin"
    assert RecomputeRequest.objects.filter(commitment=added).exists()
