"""Writes on reporting rounds: one function per use case, each one transaction.

Pages call these after checking `ogp_portal.permissions`. Every action leaves a history
row (django-simple-history on rounds, entries and reviews) in the same transaction.
Bad input raises a ValidationError and changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from commitments import services as commitment_services
from commitments.models import (
    ActionPlan,
    Commitment,
    Institution,
    Milestone,
    ProgressReport,
)
from ogp_portal.outbox import data_changed
from states.models import State

from .round_models import (
    EntryStatus,
    FrozenCommitment,
    FrozenMilestone,
    FrozenReview,
    ReminderOptOut,
    ReportingRound,
    ReviewOutcome,
    ReviewVerdict,
    RoundEntry,
    RoundReminder,
    RoundReview,
    RoundScope,
    RoundStatus,
)


def _local_today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def open_round(
    *,
    user: User,
    name: str,
    scope: str,
    opens_on: datetime.date,
    deadline: datetime.date,
    validation_ends_on: datetime.date,
    action_plan: ActionPlan | None = None,
    commitments: Iterable[Commitment | int] = (),
    remind_days_before: int = 7,
) -> ReportingRound:
    """Open a round over a plan's commitments or chosen ones; none may be in another open round."""
    errors: dict[str, ValidationError] = {}
    if not (name or "").strip():
        errors["name"] = ValidationError(_("Escriba el nombre de la ronda."), code="required")
    if opens_on and deadline and deadline < opens_on:
        errors["deadline"] = ValidationError(
            _("La fecha límite no puede ser anterior a la apertura."),
            code="deadline_before_opening",
        )
    if deadline and validation_ends_on and validation_ends_on < deadline:
        errors["validation_ends_on"] = ValidationError(
            _("La validación no puede terminar antes de la fecha límite."),
            code="validation_before_deadline",
        )
    if scope == RoundScope.PLAN:
        if action_plan is None:
            errors["action_plan"] = ValidationError(
                _("Elija el plan de acción de la ronda."), code="required"
            )
            ids = []
        else:
            ids = list(action_plan.commitments.values_list("pk", flat=True))
    elif scope == RoundScope.COMMITMENTS:
        action_plan = None
        ids = sorted({c.pk if isinstance(c, Commitment) else c for c in commitments})
    else:
        raise ValidationError({"scope": _("Alcance no válido.")}, code="invalid")
    if not ids and "action_plan" not in errors:
        errors["commitments" if scope == RoundScope.COMMITMENTS else "action_plan"] = (
            ValidationError(_("La ronda no abarca ningún compromiso."), code="empty_scope")
        )
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        data_changed()
        busy = list(
            RoundEntry.objects.filter(commitment_id__in=ids, is_open=True)
            .values_list("commitment__code", flat=True)
            .order_by("commitment__code")
        )
        if busy:
            raise ValidationError(
                {
                    "commitments": ValidationError(
                        _("Ya están en otra ronda abierta: %(codes)s."),
                        code="already_in_open_round",
                        params={"codes": ", ".join(busy[:20])},
                    )
                }
            )
        round_ = ReportingRound(
            name=name.strip(),
            scope=scope,
            action_plan=action_plan,
            opens_on=opens_on,
            deadline=deadline,
            validation_ends_on=validation_ends_on,
            remind_days_before=remind_days_before,
            created_by=user,
        )
        round_.full_clean()
        round_._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
        round_.save()
        responsible = _first_lead_institutions(ids)
        try:
            with transaction.atomic():
                bulk_create_with_history(
                    [
                        RoundEntry(
                            round=round_, commitment_id=pk, institution_id=responsible.get(pk)
                        )
                        for pk in ids
                    ],
                    RoundEntry,
                    default_user=user,
                    batch_size=1000,
                )
        except IntegrityError as error:
            # Another round took one of them between the check and the insert.
            raise ValidationError(
                {"commitments": _("Uno de los compromisos ya está en otra ronda abierta.")},
                code="already_in_open_round",
            ) from error
    return round_


def _first_lead_institutions(commitment_ids: Iterable[int]) -> dict[int, int]:
    """{commitment id: its first lead institution by name}, in one query."""
    leads = (
        Commitment.lead_institutions.through.objects.filter(commitment_id__in=commitment_ids)
        .order_by("commitment_id", "institution__name", "institution_id")
        .values_list("commitment_id", "institution_id")
    )
    first: dict[int, int] = {}
    for commitment_id, institution_id in leads:
        first.setdefault(commitment_id, institution_id)
    return first


def _locked_entry(entry_id: int) -> RoundEntry:
    return (
        RoundEntry.objects.select_for_update(of=("self",))
        .select_related("round", "commitment__action_plan")
        .get(pk=entry_id)
    )


def submit_report(
    *,
    entry: RoundEntry,
    user: User,
    date: datetime.date,
    summary: str,
    evidence_title: str = "",
    evidence_url: str = "",
    evidence_file: UploadedFile[bytes] | None = None,
    now: datetime.datetime | None = None,
) -> RoundEntry:
    """Submit a commitment's progress report to the round through the progress-report service.

    On time up to 23:59:59 of the deadline in America/Mexico_City, late after; a closed
    round or one not yet open refuses it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        data_changed()
        entry = _locked_entry(entry.pk)
        round_ = entry.round
        if not round_.is_open:
            raise ValidationError(
                _("La ronda «%(round)s» está cerrada: ya no recibe informes."),
                code="round_closed",
                params={"round": round_.name},
            )
        if _local_today(now) < round_.opens_on:
            raise ValidationError(
                _("La ronda abre el %(date)s."),
                code="round_not_open_yet",
                params={"date": round_.opens_on.isoformat()},
            )
        report = commitment_services.add_progress_report(
            commitment=entry.commitment,
            user=user,
            date=date,
            summary=summary,
            evidence_title=evidence_title,
            evidence_url=evidence_url,
            evidence_file=evidence_file,
        )
        entry.progress_report = report
        entry.submitted_at = now
        entry.submitted_by = user
        # A report that replaces one made on time keeps the entry on time.
        if entry.status != EntryStatus.SUBMITTED:
            entry.status = EntryStatus.LATE if now >= round_.cutoff else EntryStatus.SUBMITTED
        if not entry.review:
            entry.review = ReviewOutcome.AWAITING
        entry._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
        entry.save()
    return entry


def review_entry(
    *,
    entry: RoundEntry,
    user: User,
    verdict: str,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> RoundReview:
    """Record the reviewer's organisation validating or disputing a submitted report.

    One review per organisation (a new one replaces it); a dispute needs its reasons. The
    entry is disputed when any organisation disputes it, validated otherwise.
    """
    today = _local_today(now)
    reason = (reason or "").strip()
    institution_id = user.membership.institution_id
    if institution_id is None:
        # can_review_round_entry() admits only reviewers of an institution.
        raise PermissionDenied
    organisation = Institution.objects.get(pk=institution_id)
    with transaction.atomic():
        data_changed()
        entry = _locked_entry(entry.pk)
        round_ = entry.round
        if not round_.is_open:
            raise ValidationError(_("La ronda está cerrada."), code="round_closed")
        if entry.status == EntryStatus.PENDING:
            raise ValidationError(
                _("Todavía no hay informe que validar."), code="nothing_submitted"
            )
        if today > round_.validation_ends_on:
            raise ValidationError(
                _("El periodo de validación terminó el %(date)s."),
                code="validation_window_over",
                params={"date": round_.validation_ends_on.isoformat()},
            )
        if verdict == ReviewVerdict.DISPUTE and not reason:
            raise ValidationError(
                {"reason": _("Explique por qué su organización cuestiona el avance.")},
                code="reason_required",
            )
        review = RoundReview.objects.filter(entry=entry, organisation=organisation).first()
        review = review or RoundReview(entry=entry, organisation=organisation)
        review.reviewer = user
        review.verdict = verdict
        review.reason = reason
        review.full_clean()
        review._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
        review.save()
        disputed = entry.reviews.filter(verdict=ReviewVerdict.DISPUTE).exists()
        entry.review = ReviewOutcome.DISPUTED if disputed else ReviewOutcome.VALIDATED
        entry._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
        entry.save(update_fields=["review", "updated_at"])
    return review


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def close_round(
    *, round: ReportingRound, user: User, now: datetime.datetime | None = None
) -> ReportingRound:
    """Close the round and freeze it: set-based, a fixed number of statements whatever its size.

    Milestones are copied as they stood at the deadline (their last history row before
    it); a commitment's figures are worked out from those copies. Reports still awaiting
    validation become "not reviewed".
    """
    now = now or timezone.now()
    with transaction.atomic():
        round_ = ReportingRound.objects.select_for_update().get(pk=round.pk)
        if not round_.is_open:
            raise ValidationError(
                _("La ronda ya está cerrada y congelada: no se puede reabrir ni volver a cerrar."),
                code="round_frozen",
            )
        if now < round_.cutoff:
            raise ValidationError(
                _("La ronda se cierra después de su fecha límite (%(date)s)."),
                code="before_deadline",
                params={"date": round_.deadline.isoformat()},
            )
        RoundEntry.objects.filter(round=round_, review=ReviewOutcome.AWAITING).update(
            review=ReviewOutcome.NOT_REVIEWED
        )
        _freeze(round_)
        RoundEntry.objects.filter(round=round_).update(is_open=False)
        round_.status = RoundStatus.CLOSED
        round_.closed_at = now
        round_._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
        round_.save()
        data_changed()
    return round_


def _freeze(round_: ReportingRound) -> None:
    """Three INSERT … SELECT statements: milestones, commitments, reviews."""
    cutoff = round_.cutoff
    history = Milestone.history.model
    values = {
        "frozen_m": _table(FrozenMilestone),
        "frozen_c": _table(FrozenCommitment),
        "frozen_r": _table(FrozenReview),
        "milestone": _table(Milestone),
        "history": _table(history),
        "entry": _table(RoundEntry),
        "commitment": _table(Commitment),
        "plan": _table(ActionPlan),
        "state": _table(State),
        "report": _table(ProgressReport),
        "institution": _table(Institution),
        "review": _table(RoundReview),
    }
    with connection.cursor() as cursor:
        # A milestone's state at the deadline is its last history row before the cutoff
        # (one pass over the round's history rows, numbered newest first per milestone);
        # one without any (loaded in bulk) is taken as it is now.
        cursor.execute(
            """
            INSERT INTO {frozen_m} (round_id, commitment_id, milestone_id, position, title,
                status, percent_complete, weight, progress_reported, due_date, actual_end_date)
            SELECT e.round_id, m.commitment_id, m.id,
                COALESCE(h.position, m.position), COALESCE(h.title, m.title),
                COALESCE(h.status, m.status),
                COALESCE(h.percent_complete, m.percent_complete),
                COALESCE(h.weight, m.weight),
                COALESCE(h.progress_reported, m.progress_reported),
                CASE WHEN h.history_id IS NULL THEN m.due_date ELSE h.due_date END,
                CASE WHEN h.history_id IS NULL THEN m.actual_end_date ELSE h.actual_end_date END
            FROM {entry} e
            JOIN {milestone} m ON m.commitment_id = e.commitment_id
            LEFT JOIN (
                SELECT ranked.* FROM (
                    SELECT h2.*, ROW_NUMBER() OVER (
                        PARTITION BY h2.id ORDER BY h2.history_date DESC, h2.history_id DESC
                    ) AS newest
                    FROM {history} h2
                    WHERE h2.history_date < %s AND h2.commitment_id IN (
                        SELECT commitment_id FROM {entry} WHERE round_id = %s)
                ) ranked WHERE ranked.newest = 1
            ) h ON h.id = m.id
            WHERE e.round_id = %s AND m.created_at < %s
            """.format(**values),  # noqa: S608 (table names from the models; values are parameters)
            [cutoff, round_.pk, round_.pk, cutoff],
        )
        cursor.execute(
            """
            INSERT INTO {frozen_c} (round_id, commitment_id, code, title_es, title_en,
                institution, state, status, review, submitted_at, report_date,
                report_summary, milestones_total, milestones_complete, completion_percent)
            SELECT e.round_id, c.id, c.code, c.title_es, c.title_en,
                COALESCE(i.name, ''),
                COALESCE(s.short_name, ''),
                e.status, e.review, e.submitted_at, r.date, COALESCE(r.summary, ''),
                COALESCE(f.total, 0), COALESCE(f.complete, 0), f.completion
            FROM {entry} e
            JOIN {commitment} c ON c.id = e.commitment_id
            JOIN {plan} p ON p.id = c.action_plan_id
            LEFT JOIN {state} s ON s.id = p.state_id
            LEFT JOIN {institution} i ON i.id = e.institution_id
            LEFT JOIN {report} r ON r.id = e.progress_report_id
            LEFT JOIN (
                SELECT commitment_id, COUNT(*) AS total,
                    SUM(CASE WHEN status = 'complete' THEN 1 ELSE 0 END) AS complete,
                    CAST(SUM(CASE WHEN progress_reported AND status <> 'withdrawn'
                                  THEN weight * percent_complete ELSE 0 END) * 1.0
                         / NULLIF(SUM(CASE WHEN progress_reported AND status <> 'withdrawn'
                                           THEN weight ELSE 0 END), 0)
                         AS NUMERIC(5, 2)) AS completion
                FROM {frozen_m} WHERE round_id = %s GROUP BY commitment_id
            ) f ON f.commitment_id = c.id
            WHERE e.round_id = %s
            """.format(**values),  # noqa: S608 (table names from the models; values are parameters)
            [round_.pk, round_.pk],
        )
        cursor.execute(
            """
            INSERT INTO {frozen_r} (round_id, commitment_id, organisation, verdict, reason)
            SELECT e.round_id, e.commitment_id, i.name, v.verdict, v.reason
            FROM {review} v
            JOIN {entry} e ON e.id = v.entry_id
            JOIN {institution} i ON i.id = v.organisation_id
            WHERE e.round_id = %s
            """.format(**values),  # noqa: S608 (table names from the models; values are parameters)
            [round_.pk],
        )


def reopen_round(*, round: ReportingRound, user: User) -> ReportingRound:
    """A closed round is a frozen, dated record: it is never reopened."""
    round_ = ReportingRound.objects.get(pk=round.pk)
    if not round_.is_open:
        raise ValidationError(
            _("La ronda ya está cerrada y congelada: no se puede reabrir ni volver a cerrar."),
            code="round_frozen",
        )
    return round_


def set_reminder_opt_out(*, user: User, opted_out: bool) -> None:
    """Stop (or resume) reporting-round reminders for this person; unsent ones are dropped."""
    with transaction.atomic():
        if opted_out:
            ReminderOptOut.objects.get_or_create(user=user)
            RoundReminder.objects.filter(recipient=user, sent_at__isnull=True).delete()
        else:
            ReminderOptOut.objects.filter(user=user).delete()
