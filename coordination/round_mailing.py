"""Reporting-round reminders: planned as outbox rows, mailed as one digest per person a day.

`plan_reminders` writes the day's items (unique per entry, person, kind and day, so a
second run adds nothing): to the responsible editors N days before the deadline, on the
day and every seventh day while late; to the reviewers of civil-society and academic
organisations once for each report awaiting validation. `send_digests` claims unsent rows
(SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL), writes the person's one `ReminderDigest`
of the day (unique: a second e-mail that day is impossible), mails it and marks the rows
sent, all in one transaction. People who opted out get nothing.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from commitments.models import ActionPlan, Commitment
from ogp_portal.outbox import claim, portal_url
from ogp_portal.permissions import ASSESSING_INSTITUTION_KINDS

from .round_models import (
    EntryStatus,
    ReminderDigest,
    ReminderKind,
    ReminderOptOut,
    ReportingRound,
    ReviewOutcome,
    RoundEntry,
    RoundReminder,
    RoundReview,
)

EDITOR_KINDS = {ReminderKind.BEFORE, ReminderKind.DUE_TODAY, ReminderKind.LATE}
BATCH_SIZE = 5000


def editor_kind_on(round_, today):
    """Which editors' reminder this round sends today, or None."""
    if today == round_.deadline:
        return ReminderKind.DUE_TODAY
    if round_.remind_days_before and today == round_.deadline - datetime.timedelta(
        days=round_.remind_days_before
    ):
        return ReminderKind.BEFORE
    if today > round_.deadline and (today - round_.deadline).days % 7 == 0:
        return ReminderKind.LATE
    return None


def _people(role):
    """(user id, institution id, state id) of active members with an e-mail who did not opt out."""
    return (
        Membership.objects.filter(role=role, user__is_active=True)
        .exclude(user__email="")
        .exclude(user__in=ReminderOptOut.objects.values("user"))
    )


def plan_reminders(*, today=None):
    """Write today's reminder rows for every open round; returns how many were new."""
    today = today or timezone.localdate()
    rounds = {
        round_.pk: round_
        for round_ in ReportingRound.objects.filter(
            status=ReportingRound.Status.OPEN, opens_on__lte=today
        )
    }
    kinds = {pk: editor_kind_on(round_, today) for pk, round_ in rounds.items()}
    rows = []

    # Editors of the institutions that lead or support a pending commitment, and of the
    # state for a local plan's commitments.
    pending = list(
        RoundEntry.objects.filter(
            round_id__in=[pk for pk, kind in kinds.items() if kind],
            status=EntryStatus.PENDING,
        ).values_list(
            "pk",
            "round_id",
            "commitment_id",
            "commitment__action_plan__scope",
            "commitment__action_plan__state_id",
        )
    )
    if pending:
        commitment_ids = {row[2] for row in pending}
        institutions = defaultdict(set)
        for through in (
            Commitment.lead_institutions.through,
            Commitment.support_institutions.through,
        ):
            for commitment_id, institution_id in through.objects.filter(
                commitment_id__in=commitment_ids
            ).values_list("commitment_id", "institution_id"):
                institutions[commitment_id].add(institution_id)
        by_institution, by_state = defaultdict(set), defaultdict(set)
        for user_id, institution_id, state_id in _people(Role.GOVERNMENT_EDITOR).values_list(
            "user_id", "institution_id", "state_id"
        ):
            if institution_id:
                by_institution[institution_id].add(user_id)
            if state_id:
                by_state[state_id].add(user_id)
        for entry_id, round_id, commitment_id, scope, state_id in pending:
            people = set()
            for institution_id in institutions[commitment_id]:
                people |= by_institution[institution_id]
            if scope == ActionPlan.Scope.STATE and state_id:
                people |= by_state[state_id]
            rows += [
                RoundReminder(
                    entry_id=entry_id, recipient_id=user_id, kind=kinds[round_id], due_on=today
                )
                for user_id in people
            ]

    # Reviewers: once per report awaiting validation, unless their organisation reviewed it.
    awaiting = list(
        RoundEntry.objects.filter(
            round_id__in=[pk for pk, r in rounds.items() if today <= r.validation_ends_on],
            review=ReviewOutcome.AWAITING,
        ).values_list("pk", "submitted_at")
    )
    if awaiting:
        reviewed = set(
            RoundReview.objects.filter(entry_id__in=[pk for pk, _at in awaiting]).values_list(
                "entry_id", "organisation_id"
            )
        )
        reviewers = list(
            _people(Role.REVIEWER)
            .filter(institution__kind__in=ASSESSING_INSTITUTION_KINDS)
            .values_list("user_id", "institution_id")
        )
        for entry_id, submitted_at in awaiting:
            rows += [
                RoundReminder(
                    entry_id=entry_id,
                    recipient_id=user_id,
                    kind=ReminderKind.AWAITING_VALIDATION,
                    due_on=timezone.localdate(submitted_at),
                )
                for user_id, organisation_id in reviewers
                if (entry_id, organisation_id) not in reviewed
            ]
    before = RoundReminder.objects.count()
    RoundReminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return RoundReminder.objects.count() - before


def _still_relevant(row):
    entry = row.entry
    if not entry.round.is_open:
        return False
    if row.kind in EDITOR_KINDS:
        return entry.status == EntryStatus.PENDING
    return entry.review == ReviewOutcome.AWAITING


def send_digests(*, now=None, batch_size=BATCH_SIZE):
    """Mail each person at most one digest today with all their unsent items (e-mails sent)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        rows = list(
            claim(
                RoundReminder.objects.filter(sent_at__isnull=True, due_on__lte=today)
                .select_related("entry__round", "entry__commitment", "recipient")
                .order_by("recipient_id", "pk")
            )[:batch_size]
        )
        recipients = {row.recipient_id for row in rows}
        opted_out = set(
            ReminderOptOut.objects.filter(user_id__in=recipients).values_list("user_id", flat=True)
        )
        mailed_today = set(
            ReminderDigest.objects.filter(day=today, recipient_id__in=recipients).values_list(
                "recipient_id", flat=True
            )
        )
        done, by_recipient = [], defaultdict(list)
        for row in rows:
            if row.recipient_id in opted_out or not _still_relevant(row):
                done.append(row.pk)  # dropped: nothing to say any more
            elif row.recipient_id not in mailed_today:  # else: tomorrow's digest
                by_recipient[row.recipient].append(row)
        for recipient, items in by_recipient.items():
            try:
                with transaction.atomic():
                    ReminderDigest.objects.create(recipient=recipient, day=today, items=len(items))
            except IntegrityError:
                continue  # another worker mailed this person today
            body = render_to_string(
                "coordination/email/round_reminders.txt",
                {
                    "recipient": recipient,
                    "items": [
                        (item, portal_url(item.entry.round.get_absolute_url())) for item in items
                    ],
                    "settings_url": portal_url(reverse("coordination:reminder_settings")),
                },
            )
            send_mail(
                subject=_("[Estado Abierto] Rondas de informes: %(count)d recordatorios")
                % {"count": len(items)},
                message=body,
                from_email=None,
                recipient_list=[recipient.email],
            )
            sent += 1
            done += [item.pk for item in items]
        RoundReminder.objects.filter(pk__in=done).update(sent_at=now)
    return sent


def send_round_reminders(*, now=None):
    """Plan today's items and mail the digests; running it again sends nothing twice."""
    now = now or timezone.now()
    plan_reminders(today=timezone.localdate(now))
    return send_digests(now=now)
