"""Writes on commitments: one function per use case, each one transaction.

Pages, the API, the admin and the reporting rounds call these. An editor's use case
checks `permissions` itself (NotAllowed; the admin's are gated by Django's staff
permissions); every save claims the version it started from (EditConflict), records who
changed what in the history, requests the indicator recompute and announces progress,
all inside the same transaction as the change.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext_lazy as _

from ogp_portal import announcements
from ogp_portal.outbox import request_recompute
from ogp_portal.service_errors import NotAllowed, VersionConflict

from . import permissions
from .evidence_files import stored_name, validate_evidence_file
from .history import plain
from .models import Commitment, Evidence, Milestone, ProgressReport
from .rules import MILESTONE_PROGRESS_FIELDS

# A change of these is progress people hear about; a new weight or position is not.
ANNOUNCED_FIELDS = set(MILESTONE_PROGRESS_FIELDS) - {"weight"}


MAY_NOT_RECORD_PROGRESS = _("No puede registrar avance en este compromiso.")


def _allowed(allowed):
    if not allowed:
        raise NotAllowed(MAY_NOT_RECORD_PROGRESS)


class EditConflict(VersionConflict):
    """The milestone or commitment changed since the user loaded it (its version moved on)."""

    def __init__(self, *, milestone_id=None, started_version, commitment_id=None):
        record = f"Milestone {milestone_id}" if milestone_id else f"Commitment {commitment_id}"
        super().__init__(
            f"{record} is no longer at version {started_version}",
            started_version=started_version,
        )
        self.milestone_id = milestone_id
        self.commitment_id = commitment_id


def check_dates_in_plan_period(*, plan, **dates):
    """Raise a ValidationError naming each date that falls outside the action plan's period."""
    errors = {}
    # A bound the plan's source does not give checks nothing on that side.
    start = plan.start_date or datetime.date.min
    end = plan.end_date or datetime.date.max
    for name, value in dates.items():
        if value and not (start <= value <= end):
            errors[name] = ValidationError(
                _(
                    "La fecha debe estar dentro del periodo del plan de acción "
                    "(%(start)s a %(end)s)."
                ),
                code="outside_plan",
                params={
                    "start": plan.start_date.isoformat() if plan.start_date else "…",
                    "end": plan.end_date.isoformat() if plan.end_date else "…",
                },
            )
    if errors:
        raise ValidationError(errors)


def _set_fields(instance, values):
    """Assign `values` and remember {field: [before, after]} for the history row."""
    changes = {}
    for name, value in values.items():
        before = getattr(instance, name)
        if before != value:
            changes[name] = [plain(before), plain(value)]
        setattr(instance, name, value)
    instance._history_changes = changes
    return changes


def _announce_milestone_progress(milestone, *, user, changes):
    """Tell followers and editors about a progress change, in the write's transaction."""
    if ANNOUNCED_FIELDS & set(changes):
        announcements.announce(
            announcements.MILESTONE_UPDATED, milestone=milestone, actor=user, changes=changes
        )


def _claim(milestone_id, version):
    """Bump the version only if it is still the one the user started from; 0 rows = conflict."""
    claimed = Milestone.objects.filter(pk=milestone_id, version=version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise EditConflict(milestone_id=milestone_id, started_version=version)
    return Milestone.objects.select_related("commitment__action_plan").get(pk=milestone_id)


def _claim_commitment(commitment_id, version):
    """The commitment's version claim: the same rule as a milestone's."""
    claimed = Commitment.objects.filter(pk=commitment_id, version=version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise EditConflict(commitment_id=commitment_id, started_version=version)
    return Commitment.objects.select_related("action_plan").get(pk=commitment_id)


def _attach_evidence(*, user, milestone=None, report=None, title="", url="", upload=None):
    """Store a link and/or an uploaded file as evidence of a milestone or a report."""
    created = []
    owner = {"milestone": milestone, "progress_report": report}
    if url:
        created.append(
            Evidence.objects.create(
                **owner, kind=Evidence.Kind.LINK, title=title, url=url, uploaded_by=user
            )
        )
    if upload is not None:
        kind = validate_evidence_file(upload)
        name = stored_name(upload, kind)
        evidence = Evidence(
            **owner,
            kind=Evidence.Kind.FILE,
            title=title,
            original_name=name,
            content_type=kind.content_type,
            size=upload.size,
            uploaded_by=user,
        )
        # The stored name always ends in the extension of the detected type.
        evidence.file.save(name, upload, save=False)
        evidence.save()
        created.append(evidence)
    return created


def update_milestone_progress(
    *,
    milestone_id,
    user,
    version,
    status,
    percent_complete,
    actual_start_date=None,
    actual_end_date=None,
    narrative="",
    weight,
    evidence_title="",
    evidence_url="",
    evidence_file=None,
):
    """Record a milestone's progress unless someone saved it since `version` (EditConflict)."""
    with transaction.atomic():
        milestone = _claim(milestone_id, version)
        _allowed(permissions.can_edit_milestone(user, milestone))
        plan = milestone.commitment.action_plan
        check_dates_in_plan_period(
            plan=plan, actual_start_date=actual_start_date, actual_end_date=actual_end_date
        )
        changes = _set_fields(
            milestone,
            {
                "status": status,
                "percent_complete": percent_complete,
                "actual_start_date": actual_start_date,
                "actual_end_date": actual_end_date,
                "narrative": narrative,
                "weight": weight,
                "progress_reported": True,
            },
        )
        milestone.full_clean()
        milestone._history_user = user
        milestone.save()
        _announce_milestone_progress(milestone, user=user, changes=changes)
        _attach_evidence(
            user=user,
            milestone=milestone,
            title=evidence_title,
            url=evidence_url,
            upload=evidence_file,
        )
        request_recompute(commitment_id=milestone.commitment_id)
    return milestone


def add_progress_report(
    *, commitment, user, date, summary, evidence_title="", evidence_url="", evidence_file=None
):
    """Add a dated progress report, with optional evidence, to a commitment."""
    _allowed(permissions.can_add_progress_report(user, commitment))
    with transaction.atomic():
        check_dates_in_plan_period(plan=commitment.action_plan, date=date)
        report = ProgressReport(commitment=commitment, date=date, summary=summary, author=user)
        report.full_clean()
        report.save()
        announcements.announce(announcements.PROGRESS_REPORTED, report=report)
        _attach_evidence(
            user=user, report=report, title=evidence_title, url=evidence_url, upload=evidence_file
        )
        request_recompute(commitment_id=commitment.pk)
    return report


def add_milestone(*, commitment, user, title, start_date=None, due_date=None, weight=1):
    """Append a milestone at the end of the commitment's list."""
    _allowed(permissions.can_manage_milestones(user, commitment))
    with transaction.atomic():
        # Lock the commitment so two additions cannot take the same position.
        Commitment.objects.select_for_update().filter(pk=commitment.pk).first()
        check_dates_in_plan_period(
            plan=commitment.action_plan, start_date=start_date, due_date=due_date
        )
        last = commitment.milestones.aggregate(last=Max("position"))["last"] or 0
        milestone = Milestone(
            commitment=commitment,
            position=last + 1,
            title=title,
            start_date=start_date,
            due_date=due_date,
            weight=weight,
            # The responsible institution states a new milestone and that it has not
            # started: a report, unlike a milestone a data file lists without progress.
            progress_reported=True,
        )
        milestone.full_clean()
        milestone._history_user = user
        milestone.save()
        request_recompute(commitment_id=commitment.pk)
    return milestone


def move_milestone(*, milestone_id, user, version, direction):
    """Swap a milestone with its neighbour above ("up") or below ("down")."""
    with transaction.atomic():
        commitment_id = Milestone.objects.values_list("commitment_id", flat=True).get(
            pk=milestone_id
        )
        Commitment.objects.select_for_update().filter(pk=commitment_id).first()
        milestone = _claim(milestone_id, version)
        _allowed(permissions.can_manage_milestones(user, milestone.commitment))
        siblings = Milestone.objects.filter(commitment_id=commitment_id)
        if direction == "up":
            neighbour = (
                siblings.filter(position__lt=milestone.position).order_by("-position").first()
            )
        else:
            neighbour = (
                siblings.filter(position__gt=milestone.position).order_by("position").first()
            )
        if neighbour is None:
            return milestone
        mine, theirs = milestone.position, neighbour.position
        # The neighbour moves too: anyone editing it from an older version gets a conflict.
        Milestone.objects.filter(pk=neighbour.pk).update(version=F("version") + 1)
        neighbour.refresh_from_db(fields=["version"])
        # Positions are unique per commitment: park this one at 0 while the other moves.
        Milestone.objects.filter(pk=milestone.pk).update(position=0)
        for record, position in ((neighbour, mine), (milestone, theirs)):
            _set_fields(record, {"position": position})
            record._history_user = user
            record.save()
        request_recompute(commitment_id=commitment_id)
    return milestone


# Staff edits from the admin. The admin is one more channel onto the same rules: a
# version claim (so an older form is refused, never merged), the history row with the
# staff member as its author, the recompute request, and the same notifications as an
# editor's save of the same fields. The claim locks the row and reloads it, so applying the form's
# values can only change what the staff member saw at `version`.


def _edit_milestone(*, milestone_id, user, version, values):
    milestone = _claim(milestone_id, version)
    moved_from = milestone.commitment_id
    changes = _set_fields(milestone, values)
    milestone.full_clean()
    milestone._history_user = user
    milestone.save()
    _announce_milestone_progress(milestone, user=user, changes=changes)
    return milestone, moved_from


def _add_milestone(*, milestone, user):
    milestone.full_clean()
    milestone._history_user = user
    milestone.save()
    return milestone


def _delete_milestone(*, milestone_id, user, version):
    milestone = _claim(milestone_id, version)
    milestone._history_user = user
    milestone.delete()
    return milestone


def edit_milestone_as_staff(*, milestone_id, user, version, values):
    """Apply a staff member's admin form to a milestone unless it moved past `version`."""
    with transaction.atomic():
        milestone, moved_from = _edit_milestone(
            milestone_id=milestone_id, user=user, version=version, values=values
        )
        request_recompute(commitment_id=milestone.commitment_id)
        if moved_from != milestone.commitment_id:
            request_recompute(commitment_id=moved_from)
    return milestone


def add_milestone_as_staff(*, milestone, user):
    """Store a milestone a staff member added in the admin, at the position they chose."""
    with transaction.atomic():
        _add_milestone(milestone=milestone, user=user)
        request_recompute(commitment_id=milestone.commitment_id)
    return milestone


def delete_milestone_as_staff(*, milestone_id, user, version):
    """Delete a milestone unless someone saved it since `version`."""
    with transaction.atomic():
        milestone = _delete_milestone(milestone_id=milestone_id, user=user, version=version)
        request_recompute(commitment_id=milestone.commitment_id)


def delete_milestones_as_staff(*, milestone_ids, user):
    """The admin's bulk deletion: each row with its history author, then the recompute."""
    with transaction.atomic():
        commitment_ids = set()
        for milestone in Milestone.objects.filter(pk__in=milestone_ids).order_by("pk"):
            milestone._history_user = user
            commitment_ids.add(milestone.commitment_id)
            milestone.delete()
        for commitment_id in sorted(commitment_ids):
            request_recompute(commitment_id=commitment_id)


@dataclass(frozen=True)
class MilestoneRowEdit:
    """One changed row of the commitment form's milestone list, with the version it showed."""

    milestone_id: int
    version: int
    values: dict


def edit_commitment_as_staff(
    *,
    commitment_id,
    user,
    version,
    values,
    lists=None,
    milestone_edits=(),
    new_milestones=(),
    deleted_milestones=(),
):
    """Apply a staff member's commitment form, and its changed milestone rows, as one save.

    Every row is claimed at the version its form showed; one refusal rolls all of it back.
    The recompute request comes last, as in every other write, so two saves of the same
    commitment take their locks in the same order and cannot deadlock.
    """
    with transaction.atomic():
        commitment = _claim_commitment(commitment_id, version)
        _set_fields(commitment, values)
        commitment.full_clean()
        commitment._history_user = user
        commitment.save()
        for name, items in (lists or {}).items():
            getattr(commitment, name).set(items)
        for row in deleted_milestones:
            _delete_milestone(milestone_id=row.milestone_id, user=user, version=row.version)
        edited = [
            _edit_milestone(
                milestone_id=row.milestone_id, user=user, version=row.version, values=row.values
            )[0]
            for row in milestone_edits
        ]
        for milestone in new_milestones:
            milestone.commitment = commitment
            _add_milestone(milestone=milestone, user=user)
        touched = {commitment.pk} | {milestone.commitment_id for milestone in edited}
        for pk in sorted(touched):
            request_recompute(commitment_id=pk)
    return commitment


def add_commitment_as_staff(*, commitment, user):
    """Store a commitment a staff member added in the admin."""
    with transaction.atomic():
        commitment.full_clean()
        commitment._history_user = user
        commitment.save()
        request_recompute(commitment_id=commitment.pk)
    return commitment


def save_progress_report_as_staff(*, report, user, created):
    """Store a progress report a staff member added or changed in the admin.

    A new one is announced to followers and editors, as one added on the pages is.
    """
    with transaction.atomic():
        report.full_clean()
        report.save()
        if created:
            announcements.announce(announcements.PROGRESS_REPORTED, report=report)
        request_recompute(commitment_id=report.commitment_id)
    return report


def _commitment_of_evidence(evidence):
    if evidence.milestone_id:
        return Milestone.objects.values_list("commitment_id", flat=True).get(
            pk=evidence.milestone_id
        )
    return ProgressReport.objects.values_list("commitment_id", flat=True).get(
        pk=evidence.progress_report_id
    )


def add_evidence_as_staff(*, evidence, user):
    """Store evidence a staff member attached in the admin, with them as its uploader."""
    with transaction.atomic():
        evidence.uploaded_by = user
        evidence.full_clean()
        evidence.save()
        request_recompute(commitment_id=_commitment_of_evidence(evidence))
    return evidence


def edit_evidence_as_staff(*, evidence_id, values):
    """Change an evidence's title or link; only those columns are written.

    Evidence has no version: the pages only ever add it, so writing just the changed
    columns cannot undo anyone else's work.
    """
    with transaction.atomic():
        evidence = Evidence.objects.select_for_update().get(pk=evidence_id)
        changed = [name for name, value in values.items() if getattr(evidence, name) != value]
        for name in changed:
            setattr(evidence, name, values[name])
        evidence.full_clean()
        if changed:
            evidence.save(update_fields=changed)
            request_recompute(commitment_id=_commitment_of_evidence(evidence))
    return evidence
