"""Writes on commitments: one function per use case, each one transaction.

Pages, the API, the admin and the reporting rounds call these. An editor's use case
checks `permissions` itself (NotAllowed; the admin's are gated by Django's staff
permissions); every save claims the version it started from (EditConflict), records who
changed what in the history, requests the indicator recompute and announces progress,
all inside the same transaction as the change. Bad input (a date outside the plan, what
`full_clean` refuses) is InvalidInput, which is also Django's ValidationError.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, Model
from django.utils.translation import gettext_lazy as _

from ogp_portal import announcements, permissions
from ogp_portal.outbox import data_changed, request_recompute
from ogp_portal.service_errors import InvalidInput, NotAllowed, VersionConflict, full_clean

from .evidence_files import stored_name, validate_evidence_file
from .history import plain
from .models import ActionPlan, Commitment, Evidence, Milestone, ProgressReport
from .rules import MILESTONE_PROGRESS_FIELDS

# A change of these is progress people hear about; a new weight or position is not.
ANNOUNCED_FIELDS = set(MILESTONE_PROGRESS_FIELDS) - {"weight"}


MAY_NOT_RECORD_PROGRESS = _("No puede registrar avance en este compromiso.")


def _allowed(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed(MAY_NOT_RECORD_PROGRESS)


class EditConflict(VersionConflict):
    """The milestone or commitment changed since the user loaded it (its version moved on)."""

    def __init__(
        self,
        *,
        milestone_id: int | None = None,
        started_version: int,
        commitment_id: int | None = None,
    ) -> None:
        record = f"Milestone {milestone_id}" if milestone_id else f"Commitment {commitment_id}"
        super().__init__(
            f"{record} is no longer at version {started_version}",
            started_version=started_version,
        )
        self.milestone_id = milestone_id
        self.commitment_id = commitment_id


def check_dates_in_plan_period(*, plan: ActionPlan, **dates: datetime.date | None) -> None:
    """Raise InvalidInput naming each date that falls outside the action plan's period."""
    errors: dict[str, ValidationError] = {}
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
        raise InvalidInput(errors)


# What a save changed, for its history row: {field: [before, after]}, JSON-friendly.
type Changes = dict[str, list[object]]


def _set_fields(instance: Model, values: Mapping[str, object]) -> Changes:
    """Assign `values` and remember {field: [before, after]} for the history row."""
    changes: Changes = {}
    for name, value in values.items():
        before = getattr(instance, name)
        if before != value:
            changes[name] = [plain(before), plain(value)]
        setattr(instance, name, value)
    instance._history_changes = changes  # type: ignore[attr-defined]  # read by commitments.history
    return changes


def _authored_by(instance: Model, user: User) -> None:
    """Name `user` as the author of the history row the next save or delete writes."""
    instance._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history


def _announce_milestone_progress(milestone: Milestone, *, user: User, changes: Changes) -> None:
    """Tell followers and editors about a progress change, in the write's transaction."""
    if ANNOUNCED_FIELDS & set(changes):
        announcements.announce(
            announcements.MILESTONE_UPDATED, milestone=milestone, actor=user, changes=changes
        )


def _claim(milestone_id: int, version: int) -> Milestone:
    """Bump the version only if it is still the one the user started from; 0 rows = conflict."""
    claimed = Milestone.objects.filter(pk=milestone_id, version=version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise EditConflict(milestone_id=milestone_id, started_version=version)
    return Milestone.objects.select_related("commitment__action_plan").get(pk=milestone_id)


def _claim_commitment(commitment_id: int, version: int) -> Commitment:
    """The commitment's version claim: the same rule as a milestone's."""
    claimed = Commitment.objects.filter(pk=commitment_id, version=version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise EditConflict(commitment_id=commitment_id, started_version=version)
    return Commitment.objects.select_related("action_plan").get(pk=commitment_id)


def _attach_evidence(
    *,
    user: User,
    milestone: Milestone | None = None,
    report: ProgressReport | None = None,
    title: str = "",
    url: str = "",
    upload: UploadedFile[bytes] | None = None,
) -> list[Evidence]:
    """Store a link and/or an uploaded file as evidence of a milestone or a report."""
    created: list[Evidence] = []
    owner = {"milestone": milestone, "progress_report": report}
    if url:
        created.append(
            Evidence.objects.create(
                **owner, kind=Evidence.Kind.LINK, title=title, url=url, uploaded_by=user
            )
        )
    if upload is not None:
        kind = validate_evidence_file(upload)
        # An upload from a request always knows its size (the check above compared it).
        assert upload.size is not None
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
    milestone_id: int,
    user: User,
    version: int,
    status: str,
    percent_complete: int,
    actual_start_date: datetime.date | None = None,
    actual_end_date: datetime.date | None = None,
    narrative: str = "",
    weight: int,
    evidence_title: str = "",
    evidence_url: str = "",
    evidence_file: UploadedFile[bytes] | None = None,
) -> Milestone:
    """Record a milestone's progress unless someone saved it since `version` (EditConflict)."""
    with transaction.atomic():
        data_changed()
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
        full_clean(milestone)
        _authored_by(milestone, user)
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
    *,
    commitment: Commitment,
    user: User,
    date: datetime.date,
    summary: str,
    evidence_title: str = "",
    evidence_url: str = "",
    evidence_file: UploadedFile[bytes] | None = None,
) -> ProgressReport:
    """Add a dated progress report, with optional evidence, to a commitment."""
    _allowed(permissions.can_add_progress_report(user, commitment))
    with transaction.atomic():
        data_changed()
        check_dates_in_plan_period(plan=commitment.action_plan, date=date)
        report = ProgressReport(commitment=commitment, date=date, summary=summary, author=user)
        full_clean(report)
        report.save()
        announcements.announce(announcements.PROGRESS_REPORTED, report=report)
        _attach_evidence(
            user=user, report=report, title=evidence_title, url=evidence_url, upload=evidence_file
        )
        request_recompute(commitment_id=commitment.pk)
    return report


def add_milestone(
    *,
    commitment: Commitment,
    user: User,
    title: str,
    start_date: datetime.date | None = None,
    due_date: datetime.date | None = None,
    weight: int = 1,
) -> Milestone:
    """Append a milestone at the end of the commitment's list."""
    _allowed(permissions.can_manage_milestones(user, commitment))
    with transaction.atomic():
        data_changed()
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
        full_clean(milestone)
        _authored_by(milestone, user)
        milestone.save()
        request_recompute(commitment_id=commitment.pk)
    return milestone


def move_milestone(
    *, milestone_id: int, user: User, version: int, direction: Literal["up", "down"]
) -> Milestone:
    """Swap a milestone with its neighbour above ("up") or below ("down")."""
    with transaction.atomic():
        data_changed()
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
            _authored_by(record, user)
            record.save()
        request_recompute(commitment_id=commitment_id)
    return milestone


# Staff edits from the admin. The admin is one more channel onto the same rules: a
# version claim (so an older form is refused, never merged), the history row with the
# staff member as its author, the recompute request, and the same notifications as an
# editor's save of the same fields. The claim locks the row and reloads it, so applying the form's
# values can only change what the staff member saw at `version`.


def _edit_milestone(
    *, milestone_id: int, user: User, version: int, values: Mapping[str, object]
) -> tuple[Milestone, int]:
    milestone = _claim(milestone_id, version)
    moved_from = milestone.commitment_id
    changes = _set_fields(milestone, values)
    full_clean(milestone)
    _authored_by(milestone, user)
    milestone.save()
    _announce_milestone_progress(milestone, user=user, changes=changes)
    return milestone, moved_from


def _add_milestone(*, milestone: Milestone, user: User) -> Milestone:
    full_clean(milestone)
    _authored_by(milestone, user)
    milestone.save()
    return milestone


def _delete_milestone(*, milestone_id: int, user: User, version: int) -> Milestone:
    milestone = _claim(milestone_id, version)
    _authored_by(milestone, user)
    milestone.delete()
    return milestone


def edit_milestone_as_staff(
    *, milestone_id: int, user: User, version: int, values: Mapping[str, object]
) -> Milestone:
    """Apply a staff member's admin form to a milestone unless it moved past `version`."""
    with transaction.atomic():
        data_changed()
        milestone, moved_from = _edit_milestone(
            milestone_id=milestone_id, user=user, version=version, values=values
        )
        request_recompute(commitment_id=milestone.commitment_id)
        if moved_from != milestone.commitment_id:
            request_recompute(commitment_id=moved_from)
    return milestone


def add_milestone_as_staff(*, milestone: Milestone, user: User) -> Milestone:
    """Store a milestone a staff member added in the admin, at the position they chose."""
    with transaction.atomic():
        data_changed()
        _add_milestone(milestone=milestone, user=user)
        request_recompute(commitment_id=milestone.commitment_id)
    return milestone


def delete_milestone_as_staff(*, milestone_id: int, user: User, version: int) -> None:
    """Delete a milestone unless someone saved it since `version`."""
    with transaction.atomic():
        data_changed()
        milestone = _delete_milestone(milestone_id=milestone_id, user=user, version=version)
        request_recompute(commitment_id=milestone.commitment_id)


def delete_milestones_as_staff(*, milestone_ids: Iterable[int], user: User) -> None:
    """The admin's bulk deletion: each row with its history author, then the recompute."""
    with transaction.atomic():
        data_changed()
        commitment_ids: set[int] = set()
        for milestone in Milestone.objects.filter(pk__in=milestone_ids).order_by("pk"):
            _authored_by(milestone, user)
            commitment_ids.add(milestone.commitment_id)
            milestone.delete()
        for commitment_id in sorted(commitment_ids):
            request_recompute(commitment_id=commitment_id)


@dataclass(frozen=True)
class MilestoneRowEdit:
    """One changed row of the commitment form's milestone list, with the version it showed."""

    milestone_id: int
    version: int
    values: dict[str, object]


def edit_commitment_as_staff(
    *,
    commitment_id: int,
    user: User,
    version: int,
    values: Mapping[str, object],
    lists: Mapping[str, Iterable[Model]] | None = None,
    milestone_edits: Iterable[MilestoneRowEdit] = (),
    new_milestones: Iterable[Milestone] = (),
    deleted_milestones: Iterable[MilestoneRowEdit] = (),
) -> Commitment:
    """Apply a staff member's commitment form, and its changed milestone rows, as one save.

    Every row is claimed at the version its form showed; one refusal rolls all of it back.
    The recompute request comes last, as in every other write, so two saves of the same
    commitment take their locks in the same order and cannot deadlock.
    """
    with transaction.atomic():
        data_changed()
        commitment = _claim_commitment(commitment_id, version)
        _set_fields(commitment, values)
        full_clean(commitment)
        _authored_by(commitment, user)
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


def add_commitment_as_staff(*, commitment: Commitment, user: User) -> Commitment:
    """Store a commitment a staff member added in the admin."""
    with transaction.atomic():
        data_changed()
        full_clean(commitment)
        _authored_by(commitment, user)
        commitment.save()
        request_recompute(commitment_id=commitment.pk)
    return commitment


def save_progress_report_as_staff(
    *, report: ProgressReport, user: User, created: bool
) -> ProgressReport:
    """Store a progress report a staff member added or changed in the admin.

    A new one is announced to followers and editors, as one added on the pages is.
    """
    with transaction.atomic():
        data_changed()
        full_clean(report)
        report.save()
        if created:
            announcements.announce(announcements.PROGRESS_REPORTED, report=report)
        request_recompute(commitment_id=report.commitment_id)
    return report


def _commitment_of_evidence(evidence: Evidence) -> int:
    if evidence.milestone_id:
        return Milestone.objects.values_list("commitment_id", flat=True).get(
            pk=evidence.milestone_id
        )
    # Evidence belongs to a milestone or to a report (a check constraint of the table).
    assert evidence.progress_report_id is not None
    return ProgressReport.objects.values_list("commitment_id", flat=True).get(
        pk=evidence.progress_report_id
    )


def add_evidence_as_staff(*, evidence: Evidence, user: User) -> Evidence:
    """Store evidence a staff member attached in the admin, with them as its uploader."""
    with transaction.atomic():
        data_changed()
        evidence.uploaded_by = user
        full_clean(evidence)
        evidence.save()
        request_recompute(commitment_id=_commitment_of_evidence(evidence))
    return evidence


def edit_evidence_as_staff(*, evidence_id: int, values: Mapping[str, object]) -> Evidence:
    """Change an evidence's title or link; only those columns are written.

    Evidence has no version: the pages only ever add it, so writing just the changed
    columns cannot undo anyone else's work.
    """
    with transaction.atomic():
        data_changed()
        evidence = Evidence.objects.select_for_update().get(pk=evidence_id)
        changed = [name for name, value in values.items() if getattr(evidence, name) != value]
        for name in changed:
            setattr(evidence, name, values[name])
        full_clean(evidence)
        if changed:
            evidence.save(update_fields=changed)
            request_recompute(commitment_id=_commitment_of_evidence(evidence))
    return evidence
