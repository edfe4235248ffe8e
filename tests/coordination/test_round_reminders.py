"""Reporting-round reminders: before the deadline, on the day, weekly while late, and to
reviewers when a report awaits them; one digest per person a day, never twice, opt-out."""

import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from coordination import round_mailing
from coordination import round_services as services
from coordination.models import (
    ReminderDigest,
    ReminderOptOut,
    ReportingRound,
    RoundReminder,
)
from coordination.tasks import send_round_reminders
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MembershipFactory,
    ReviewerFactory,
    UserFactory,
)
from tests.indicators.test_celery_worker import wait_for

DAY = datetime.timedelta(days=1)


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def world(db):
    """Two rounds due on the same day, each with one commitment of Ana's institution; Luis
    reviews for a civil-society organisation."""
    ana = MembershipFactory(role=Role.GOVERNMENT_EDITOR, user__username="ana").user
    deadline = datetime.date(2030, 5, 20)
    rounds = []
    for year in (2029, 2030):
        commitment = CommitmentFactory(action_plan=ActionPlanFactory(cycle_year=year))
        commitment.lead_institutions.add(ana.membership.institution)
        rounds.append(
            services.open_round(
                user=UserFactory(is_staff=True),
                name=f"Informe {year}",
                scope=ReportingRound.Scope.PLAN,
                action_plan=commitment.action_plan,
                opens_on=deadline - 30 * DAY,
                deadline=deadline,
                validation_ends_on=deadline + 10 * DAY,
                remind_days_before=3,
            )
        )
    return {
        "ana": ana,
        "luis": ReviewerFactory(user__username="luis").user,
        "rounds": rounds,
        "deadline": deadline,
    }


@pytest.mark.parametrize(
    ("offset", "kind"),
    [(-3, "before"), (0, "due_today"), (7, "late"), (14, "late")],
)
def test_editors_are_reminded_before_on_the_day_and_weekly_while_late(world, offset, kind):
    day = world["deadline"] + offset * DAY
    round_mailing.send_round_reminders(now=at(day))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world["ana"].email]
    # One digest with both rounds' items.
    assert "Informe 2029" in message.body and "Informe 2030" in message.body
    assert set(RoundReminder.objects.values_list("kind", flat=True)) == {kind}


@pytest.mark.parametrize("offset", [-4, -2, 1, 6, 8])
def test_no_reminder_on_other_days(world, offset):
    round_mailing.send_round_reminders(now=at(world["deadline"] + offset * DAY))
    assert mail.outbox == []


def test_running_twice_the_same_day_sends_one_email(world):
    now = at(world["deadline"])
    round_mailing.send_round_reminders(now=now)
    round_mailing.send_round_reminders(now=now + datetime.timedelta(hours=5))
    assert len(mail.outbox) == 1
    assert ReminderDigest.objects.get().items == 2


def test_an_item_that_arrives_after_todays_digest_waits_for_tomorrow(world):
    deadline = world["deadline"]
    round_mailing.send_round_reminders(now=at(deadline))
    entry = world["rounds"][0].entries.get()
    services.submit_report(
        entry=entry,
        user=world["ana"],
        date=entry.commitment.action_plan.start_date,
        summary="Listo.",
        now=at(deadline, 10),
    )
    # Ana gets nothing more today; Luis hears about the report awaiting validation.
    round_mailing.send_round_reminders(now=at(deadline, 15))
    assert [m.to for m in mail.outbox] == [[world["ana"].email], [world["luis"].email]]
    assert "espera de validación" in mail.outbox[1].body


def test_a_submitted_report_stops_the_editors_reminders(world):
    for round_ in world["rounds"]:
        entry = round_.entries.get()
        services.submit_report(
            entry=entry,
            user=world["ana"],
            date=entry.commitment.action_plan.start_date,
            summary="Listo.",
            now=at(world["deadline"] - 5 * DAY),
        )
    round_mailing.send_round_reminders(now=at(world["deadline"]))
    assert world["ana"].email not in [address for m in mail.outbox for address in m.to]


def test_a_reviewer_whose_organisation_reviewed_is_not_reminded(world):
    entry = world["rounds"][0].entries.get()
    services.submit_report(
        entry=entry,
        user=world["ana"],
        date=entry.commitment.action_plan.start_date,
        summary="Listo.",
        now=at(world["deadline"] - 5 * DAY),
    )
    services.review_entry(
        entry=entry, user=world["luis"], verdict="validate", now=at(world["deadline"] - 4 * DAY)
    )
    round_mailing.send_round_reminders(now=at(world["deadline"]))
    assert world["luis"].email not in [address for m in mail.outbox for address in m.to]


def test_people_who_opted_out_get_nothing(world):
    ReminderOptOut.objects.create(user=world["ana"])
    round_mailing.send_round_reminders(now=at(world["deadline"]))
    assert mail.outbox == []


# --- With the real worker over Redis -------------------------------------------------


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_running_the_task_twice_sends_one_digest(celery_worker, world):
    """Beat (or a retry) delivering the task twice to a real worker mails one digest."""
    worker, log = celery_worker
    # The worker runs on today's date: make today the deadline of both rounds.
    today = timezone.localdate()
    ReportingRound.objects.update(
        opens_on=today - 30 * DAY, deadline=today, validation_ends_on=today + 10 * DAY
    )
    first = send_round_reminders.apply_async()
    second = send_round_reminders.apply_async()
    assert first.id != second.id
    wait_for(
        lambda: (
            ReminderDigest.objects.exists()
            and not RoundReminder.objects.filter(sent_at__isnull=True).exists()
        ),
        worker,
        log,
    )
    time.sleep(2)  # let the second delivery finish as well
    digest = ReminderDigest.objects.get()
    assert (digest.recipient, digest.items) == (world["ana"], 2)
    assert RoundReminder.objects.filter(recipient=world["ana"]).count() == 2
