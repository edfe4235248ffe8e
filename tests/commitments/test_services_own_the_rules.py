"""The progress services refuse what the pages and the API refuse, whoever calls them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from commitments import services
from commitments.models import Milestone, ProgressReport
from ogp_portal.service_errors import InvalidInput, NotAllowed, VersionConflict
from tests.commitments.worlds import PLAN_END, PLAN_START, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def progress(milestone, user, *, version=None):
    return services.update_milestone_progress(
        milestone_id=milestone.pk,
        user=user,
        version=version or milestone.version,
        status="in_progress",
        percent_complete=20,
        weight=1,
    )


def test_an_editor_of_another_commitment_may_not_record_its_progress(world):
    milestone = world.national_commitment.milestones.order_by("position").first()

    with pytest.raises(NotAllowed):
        progress(milestone, world.users["other_editor"])
    with pytest.raises(NotAllowed):
        services.add_progress_report(
            commitment=world.national_commitment,
            user=world.users["other_editor"],
            date=PLAN_START,
            summary="No es mío.",
        )

    milestone.refresh_from_db()
    assert (milestone.version, milestone.percent_complete) == (1, 0)  # the claim rolled back
    assert not ProgressReport.objects.exists()


def test_a_reviewer_may_not_add_or_move_milestones(world):
    commitment = world.national_commitment
    first = commitment.milestones.order_by("position").first()

    with pytest.raises(NotAllowed):
        services.add_milestone(commitment=commitment, user=world.users["reviewer"], title="Otro")
    with pytest.raises(NotAllowed):
        services.move_milestone(
            milestone_id=first.pk, user=world.users["reviewer"], version=1, direction="down"
        )

    assert commitment.milestones.count() == 2


def test_a_stale_version_is_a_version_conflict_for_any_channel(world):
    milestone = world.national_commitment.milestones.order_by("position").first()
    progress(milestone, world.users["lead_editor"])

    with pytest.raises(VersionConflict) as refused:
        progress(milestone, world.users["support_editor"], version=1)

    assert refused.value.started_version == 1
    assert Milestone.objects.get(pk=milestone.pk).version == 2


def test_a_date_outside_the_plan_is_invalid_input_naming_the_field(world):
    commitment = world.national_commitment

    with pytest.raises(InvalidInput) as refused:
        services.add_progress_report(
            commitment=commitment,
            user=world.users["lead_editor"],
            date=PLAN_END + datetime.timedelta(days=1),
            summary="Después del plan.",
        )

    assert refused.value.error_dict["date"][0].code == "outside_plan"
    assert not ProgressReport.objects.exists()


def test_what_the_model_refuses_is_invalid_input_with_the_models_field_errors(world):
    """`full_clean`'s refusal reaches every channel as InvalidInput, its fields kept."""
    milestone = world.national_commitment.milestones.order_by("position").first()

    with pytest.raises(InvalidInput) as refused:
        services.update_milestone_progress(
            milestone_id=milestone.pk,
            user=world.users["lead_editor"],
            version=milestone.version,
            status="in_progress",
            percent_complete=20,
            weight=0,
        )

    milestone.weight = 0
    with pytest.raises(ValidationError) as django_refused:
        milestone.full_clean()
    assert refused.value.message_dict == django_refused.value.message_dict
    milestone.refresh_from_db()
    assert (milestone.version, milestone.status) == (1, "not_started")  # rolled back
