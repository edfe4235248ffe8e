"""Notification events: who hears about a change, written in the change's own transaction.

Each event gets one `Notification` row per recipient (the outbox, unique per event and
recipient); after commit a task mails the immediate ones. Recipients: the followers of
the commitment, of its state (local plans) or of the coordination space (meetings), and
the government editors responsible for the commitment; never the author of the change.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.text import Truncator
from django.utils.translation import gettext

from accounts.models import Role
from commitments.models import ActionPlan
from ogp_portal.outbox import enqueue

from .models import Delivery, Event, EventKind, Notification
from .tasks import send_notifications


def _editors_of(commitment):
    """Editors of the institutions that lead or support it, and of its state for local plans."""
    institutions = Q(membership__institution__led_commitments=commitment) | Q(
        membership__institution__supported_commitments=commitment
    )
    plan = commitment.action_plan
    if plan.scope == ActionPlan.Scope.STATE and plan.state_id:
        institutions |= Q(membership__state_id=plan.state_id)
    return Q(membership__role=Role.GOVERNMENT_EDITOR) & institutions


def recipients(*, commitment=None, state_id=None, space_id=None, exclude_user_id=None):
    """(user id, delivery) of everyone who should hear about an event on these targets."""
    who = Q(pk__in=[])
    if commitment is not None:
        who |= Q(follows__commitment=commitment) | _editors_of(commitment)
    if state_id is not None:
        who |= Q(follows__state_id=state_id)
    if space_id is not None:
        who |= Q(follows__space_id=space_id)
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    ids = users.filter(who).values("pk")
    rows = (
        get_user_model()
        .objects.filter(pk__in=ids)
        .exclude(pk=exclude_user_id)
        .annotate(delivery=Coalesce("notification_preference__delivery", Value(Delivery.IMMEDIATE)))
        .values_list("pk", "delivery")
    )
    return list(rows)


def record_event(*, kind, actor, title, text, path, commitment=None, space=None):
    """Store the event and its outbox rows; after commit, ask the task to mail them."""
    state_id = None
    if commitment is not None and commitment.action_plan.scope == ActionPlan.Scope.STATE:
        state_id = commitment.action_plan.state_id
    event = Event.objects.create(
        kind=kind,
        actor=actor,
        commitment=commitment,
        state_id=state_id,
        space=space,
        title=Truncator(title).chars(500),
        text=text,
        path=path,
    )
    people = recipients(
        commitment=commitment,
        state_id=state_id,
        space_id=space.pk if space else None,
        exclude_user_id=actor.pk if actor else None,
    )
    Notification.objects.bulk_create(
        [Notification(event=event, recipient_id=pk, delivery=delivery) for pk, delivery in people],
        ignore_conflicts=True,
    )
    if any(delivery == Delivery.IMMEDIATE for _pk, delivery in people):
        transaction.on_commit(enqueue_sending, robust=True)
    return event


def enqueue_sending():
    """Ask a worker to mail the immediate notices; a broker failure is logged, never raised."""
    enqueue(send_notifications, description="the notification e-mails")


def _commitment_of(comment):
    if comment.commitment_id:
        return comment.commitment
    if comment.milestone_id:
        return comment.milestone.commitment
    return None


def comment_posted(comment):
    target = comment.target
    record_event(
        kind=EventKind.COMMENT,
        actor=comment.author,
        title=gettext("Comentario nuevo en «%(target)s»")
        % {"target": Truncator(target).chars(200)},
        text=Truncator(comment.body).chars(1000),
        path=comment.get_absolute_url(),
        commitment=_commitment_of(comment),
        space=comment.meeting.space if comment.meeting_id else None,
    )


def assessment_recorded(assessment):
    commitment = assessment.commitment
    record_event(
        kind=EventKind.ASSESSMENT,
        actor=assessment.reviewer,
        title=gettext("%(org)s evaluó el avance de %(code)s: %(verdict)s")
        % {
            "org": assessment.organisation,
            "code": commitment.code,
            "verdict": assessment.get_verdict_display(),
        },
        text=Truncator(assessment.justification).chars(1000),
        path=f"{commitment.get_absolute_url()}#titulo-informes",
        commitment=commitment,
    )


def progress_reported(*, report):
    commitment = report.commitment
    record_event(
        kind=EventKind.PROGRESS_REPORT,
        actor=report.author,
        title=gettext("Informe de avance nuevo de %(code)s") % {"code": commitment.code},
        text=Truncator(report.summary).chars(1000),
        path=f"{commitment.get_absolute_url()}#titulo-informes",
        commitment=commitment,
    )


def milestone_updated(*, milestone, actor, changes):
    commitment = milestone.commitment
    record_event(
        kind=EventKind.MILESTONE_UPDATE,
        actor=actor,
        title=gettext("Avance del hito «%(title)s» de %(code)s")
        % {"title": Truncator(milestone.title).chars(200), "code": commitment.code},
        text=gettext("Estado: %(status)s · Avance: %(percent)s %%")
        % {"status": milestone.get_status_display(), "percent": milestone.percent_complete},
        path=f"{commitment.get_absolute_url()}#titulo-hitos",
        commitment=commitment,
    )
