"""Writes of civil society's review: one function per use case, each one transaction.

Each function owns its whole use case, whoever calls it (page, API, a command): who may
do it, which record it may be about, the per-person rate limit, one level of replies,
the edit window, one assessment per organisation; and it writes the notification outbox
in the same transaction. Refusals are `ogp_portal.service_errors`; channels translate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment, Milestone, ProgressReport
from coordination.models import CoordinationSpace, Meeting
from ogp_portal import permissions
from ogp_portal.outbox import data_changed, request_recompute
from ogp_portal.service_errors import InvalidInput, NotAllowed
from states.models import State

from . import events
from .models import Assessment, Comment, Delivery, Flag, Follow, NotificationPreference
from .rate_limits import check_and_count

OTHER_THREAD = _("No es un comentario de este mismo registro.")
MAY_NOT_COMMENT = _(
    "Su cuenta aún no puede comentar: las organizaciones comentan cuando el "
    "equipo del portal aprueba su registro."
)
MAY_NOT_ASSESS = _(
    "Solo las personas revisoras de organizaciones de la sociedad civil o "
    "académicas registran evaluaciones."
)


def _thread_root(
    *,
    parent: Comment | None,
    parent_id: int | None,
    target: dict[str, Commitment | Milestone | Meeting | None],
) -> Comment:
    """The root comment a reply hangs from; it must be a comment of the same record."""
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id).first()
    if parent is None:
        raise InvalidInput({"parent": OTHER_THREAD}, code="other_thread")
    given = {name: record for name, record in target.items() if record is not None}
    if given and any(getattr(parent, f"{name}_id") != record.pk for name, record in given.items()):
        raise InvalidInput({"parent": OTHER_THREAD}, code="other_thread")
    # One level of replies: a reply always hangs from a root comment of the same target.
    while parent.parent is not None:
        parent = parent.parent
    return parent


def post_comment(
    *,
    user: User,
    body: str,
    commitment: Commitment | None = None,
    milestone: Milestone | None = None,
    meeting: Meeting | None = None,
    parent: Comment | None = None,
    parent_id: int | None = None,
) -> Comment:
    """Publish a comment on one record, or a reply in its thread; a reply to a reply is
    attached to its root. Counts against the person's comment limit (RateLimited)."""
    if not permissions.can_comment(user):
        raise NotAllowed(MAY_NOT_COMMENT)
    if parent is not None or parent_id is not None:
        target = {"commitment": commitment, "milestone": milestone, "meeting": meeting}
        parent = _thread_root(parent=parent, parent_id=parent_id, target=target)
        commitment, milestone, meeting = parent.commitment, parent.milestone, parent.meeting
    check_and_count(user_id=user.pk, action="comment")
    membership = permissions.membership_of(user)
    with transaction.atomic():
        data_changed()
        comment = Comment(
            commitment=commitment,
            milestone=milestone,
            meeting=meeting,
            parent=parent,
            author=user,
            institution_id=membership.institution_id if membership else None,
        )
        comment.set_body(body)
        comment.full_clean()
        comment.save()
        events.comment_posted(comment)
    return comment


def edit_comment(
    *, comment_id: int, user: User, body: str, now: datetime.datetime | None = None
) -> Comment:
    """Change the text within the edit window; the comment shows it was edited."""
    with transaction.atomic():
        data_changed()
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        if not permissions.can_edit_comment(user, comment, now=now):
            raise NotAllowed
        comment.set_body(body)
        comment.edited_at = now or timezone.now()
        comment.full_clean()
        comment.save(update_fields=["body", "body_html", "edited_at", "updated_at"])
    return comment


def delete_comment(*, comment_id: int, user: User) -> Comment:
    """Soft delete: the record and its replies stay; the page says the comment was deleted."""
    with transaction.atomic():
        data_changed()
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        if not permissions.can_delete_comment(user, comment):
            raise NotAllowed
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["deleted_at", "updated_at"])
    return comment


def flag_comment(*, comment_id: int, user: User, reason: str) -> Flag:
    """Ask staff to review a comment; a second flag by the same person is refused.
    Counts against the person's flag limit (RateLimited)."""
    comment = Comment.objects.get(pk=comment_id)
    if not permissions.can_flag_comment(user, comment):
        raise NotAllowed
    check_and_count(user_id=user.pk, action="flag")
    flag = Flag(comment=comment, user=user, reason=reason.strip())
    flag.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError as duplicate:
        raise InvalidInput(_("Ya reportaste este comentario."), code="duplicate") from duplicate
    return flag


def hide_comment(*, comment_id: int, staff_user: User, reason: str) -> Comment:
    """Hide a comment; the public reason is shown in its place. Its flags are dealt with."""
    if not permissions.can_moderate(staff_user):
        raise NotAllowed
    if not reason.strip():
        raise InvalidInput({"reason": _("Escribe el motivo que se mostrará en público.")})
    now = timezone.now()
    with transaction.atomic():
        data_changed()
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        comment.hidden_at = now
        comment.hidden_by = staff_user
        comment.moderation_reason = reason.strip()
        comment.save(update_fields=["hidden_at", "hidden_by", "moderation_reason", "updated_at"])
        comment.flags.filter(resolved_at__isnull=True).update(resolved_at=now)
    return comment


def restore_comment(*, comment_id: int, staff_user: User, reason: str = "") -> Comment:
    """Show a hidden (or flagged) comment again; the reason stays as a public note."""
    if not permissions.can_moderate(staff_user):
        raise NotAllowed
    now = timezone.now()
    with transaction.atomic():
        data_changed()
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        comment.hidden_at = None
        comment.hidden_by = staff_user
        comment.moderation_reason = reason.strip()
        comment.save(update_fields=["hidden_at", "hidden_by", "moderation_reason", "updated_at"])
        comment.flags.filter(resolved_at__isnull=True).update(resolved_at=now)
    return comment


@dataclass(frozen=True)
class AssessmentRecorded:
    """The organisation's assessment as stored, and whether it replaced an earlier one."""

    assessment: Assessment
    replaced: bool


def record_assessment(
    *,
    user: User,
    verdict: str,
    justification: str,
    progress_report: ProgressReport | None = None,
    milestone: Milestone | None = None,
) -> AssessmentRecorded:
    """Record the reviewer's organisation's view; it replaces that organisation's earlier one."""
    if not permissions.can_assess(user):
        raise NotAllowed(MAY_NOT_ASSESS)
    organisation = user.membership.institution
    target = {"progress_report": progress_report} if progress_report else {"milestone": milestone}
    assessed = progress_report or milestone
    if assessed is None:
        raise TypeError("record_assessment needs a progress report or a milestone")
    commitment_id = assessed.commitment_id
    with transaction.atomic():
        data_changed()
        # Decided under the row lock, so two saves at once cannot both say "created".
        earlier = (
            Assessment.objects.select_for_update()
            .filter(**target, organisation=organisation)
            .first()
        )
        assessment = earlier or Assessment(
            **target, organisation=organisation, commitment_id=commitment_id
        )
        assessment.reviewer = user
        assessment.verdict = verdict
        assessment.justification = justification.strip()
        if milestone is not None:
            assessment.milestone_version = milestone.version
        assessment.full_clean(validate_constraints=False)
        assessment._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
        assessment.save()
        request_recompute(commitment_id=commitment_id)
        events.assessment_recorded(assessment)
    return AssessmentRecorded(assessment=assessment, replaced=earlier is not None)


def toggle_follow(
    *,
    user: User,
    commitment: Commitment | None = None,
    state: State | None = None,
    space: CoordinationSpace | None = None,
) -> bool:
    """Follow the target, or stop following it; returns whether the user now follows it."""
    if not permissions.can_follow(user):
        raise NotAllowed
    with transaction.atomic():
        target = Follow.objects.filter(user=user, commitment=commitment, state=state, space=space)
        deleted, _rows = target.delete()
        if deleted:
            return False
        Follow.objects.get_or_create(user=user, commitment=commitment, state=state, space=space)
    return True


def set_delivery(*, user: User, delivery: str) -> None:
    """Each notice at once, or one digest a day."""
    if delivery not in Delivery.values:
        raise InvalidInput({"delivery": _("Elige una opción válida.")})
    NotificationPreference.objects.update_or_create(user=user, defaults={"delivery": delivery})
