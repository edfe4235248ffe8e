"""Reporting rounds (issue 14): the coordination space asks for progress by a deadline.

A round covers a plan or chosen commitments; each commitment in it has an entry whose
status says whether its institution reported (on time or late) and what civil society
made of it. Closing the round writes the frozen rows (`Frozen*`), which the database
refuses to change afterwards (triggers in migration 0005).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commitments.models import in_reader_language


class RoundScope(models.TextChoices):
    PLAN = "plan", _("Un plan de acción")
    COMMITMENTS = "commitments", _("Compromisos elegidos")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Abierta")
    CLOSED = "closed", _("Cerrada")


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    SUBMITTED = "submitted", _("Entregado")
    LATE = "late", _("Entregado con retraso")


class ReviewOutcome(models.TextChoices):
    # Blank while nothing was submitted.
    AWAITING = "awaiting", _("En espera de validación")
    VALIDATED = "validated", _("Validado")
    DISPUTED = "disputed", _("Cuestionado")
    NOT_REVIEWED = "not_reviewed", _("Sin revisión")


class ReviewVerdict(models.TextChoices):
    VALIDATE = "validate", _("Valida el avance")
    DISPUTE = "dispute", _("Cuestiona el avance")


class ReportingRound(models.Model):
    """A call for progress reports with a deadline and a civil-society validation window."""

    Scope = RoundScope
    Status = RoundStatus

    name = models.CharField(_("nombre"), max_length=200)
    scope = models.CharField(_("alcance"), max_length=12, choices=RoundScope.choices)
    action_plan = models.ForeignKey(
        "commitments.ActionPlan",
        verbose_name=_("plan de acción"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reporting_rounds",
    )
    opens_on = models.DateField(_("apertura"))
    deadline = models.DateField(
        _("fecha límite"), help_text=_("Un informe hasta las 23:59 (hora del centro) es a tiempo.")
    )
    validation_ends_on = models.DateField(_("fin de la validación por la sociedad civil"))
    remind_days_before = models.PositiveSmallIntegerField(
        _("días de aviso antes de la fecha límite"), default=7
    )
    status = models.CharField(
        _("estado"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    closed_at = models.DateTimeField(_("cerrada el"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("creada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ronda de informes")
        verbose_name_plural = _("rondas de informes")
        ordering = ["-deadline", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="round_has_name"),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("opens_on")), name="round_deadline_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(validation_ends_on__gte=F("deadline")),
                name="round_validation_after_deadline",
            ),
            models.CheckConstraint(
                condition=Q(scope=RoundScope.PLAN, action_plan__isnull=False)
                | Q(scope=RoundScope.COMMITMENTS, action_plan__isnull=True),
                name="round_plan_matches_scope",
            ),
            models.CheckConstraint(
                condition=Q(status=RoundStatus.OPEN, closed_at__isnull=True)
                | Q(status=RoundStatus.CLOSED, closed_at__isnull=False),
                name="round_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(remind_days_before__lte=60), name="round_reminder_within_60_days"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("coordination:round_board", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def cutoff(self) -> datetime.datetime:
        """The first instant after the deadline, in America/Mexico_City (the portal's zone)."""
        day_after = self.deadline + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))


class RoundEntry(models.Model):
    """One commitment in a round: whether its institution reported and what civil society said."""

    Status = EntryStatus
    Review = ReviewOutcome

    round = models.ForeignKey(
        ReportingRound, verbose_name=_("ronda"), on_delete=models.CASCADE, related_name="entries"
    )
    commitment = models.ForeignKey(
        "commitments.Commitment",
        verbose_name=_("compromiso"),
        on_delete=models.PROTECT,
        related_name="round_entries",
    )
    # The institution the round asks for the report (the first lead institution by name
    # when the round opened): the board groups by it without a subquery per row.
    institution = models.ForeignKey(
        "commitments.Institution",
        verbose_name=_("institución responsable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="round_entries",
    )
    # A copy of "the round is open", so the database itself allows one open round per
    # commitment (a partial unique index); closing sets it to False for all at once.
    is_open = models.BooleanField(_("ronda abierta"), default=True)
    status = models.CharField(
        _("estado"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.PENDING
    )
    review = models.CharField(
        _("validación"), max_length=12, choices=ReviewOutcome.choices, blank=True
    )
    progress_report = models.ForeignKey(
        "commitments.ProgressReport",
        verbose_name=_("informe de avance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="round_entries",
    )
    submitted_at = models.DateTimeField(_("entregado el"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entregado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compromiso en la ronda")
        verbose_name_plural = _("compromisos en la ronda")
        ordering = ["round", "commitment__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "commitment"], name="round_entry_unique"),
            models.UniqueConstraint(
                fields=["commitment"],
                condition=Q(is_open=True),
                name="round_entry_one_open_round_per_commitment",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EntryStatus.values), name="round_entry_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    status=EntryStatus.PENDING,
                    review="",
                    submitted_at__isnull=True,
                    progress_report__isnull=True,
                )
                | Q(
                    status__in=[EntryStatus.SUBMITTED, EntryStatus.LATE],
                    review__in=ReviewOutcome.values,
                    submitted_at__isnull=False,
                    progress_report__isnull=False,
                ),
                name="round_entry_submission_consistent",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "status"]),
            models.Index(fields=["round", "institution"]),
        ]

    def __str__(self):
        return f"{self.round} · {self.commitment_id}"


class RoundReview(models.Model):
    """A civil-society organisation validates or disputes one submitted report of a round."""

    Verdict = ReviewVerdict

    entry = models.ForeignKey(
        RoundEntry,
        verbose_name=_("compromiso en la ronda"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    organisation = models.ForeignKey(
        "commitments.Institution",
        verbose_name=_("organización"),
        on_delete=models.PROTECT,
        related_name="round_reviews",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona revisora"),
        on_delete=models.PROTECT,
        related_name="round_reviews",
    )
    verdict = models.CharField(_("valoración"), max_length=10, choices=ReviewVerdict.choices)
    reason = models.TextField(_("razones"), max_length=5000, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("validación de la sociedad civil")
        verbose_name_plural = _("validaciones de la sociedad civil")
        ordering = ["entry", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "organisation"], name="round_review_one_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=ReviewVerdict.values), name="round_review_verdict_valid"
            ),
            models.CheckConstraint(
                condition=~Q(verdict=ReviewVerdict.DISPUTE) | ~Q(reason=""),
                name="round_review_dispute_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.get_verdict_display()}"


# --- The frozen record: written once at close, never changed -------------------------


class FrozenCommitment(models.Model):
    """A commitment as it stood at the round's deadline, with its status in the round."""

    round = models.ForeignKey(
        ReportingRound, verbose_name=_("ronda"), on_delete=models.PROTECT, related_name="frozen"
    )
    commitment = models.ForeignKey(
        "commitments.Commitment",
        verbose_name=_("compromiso"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.CharField(_("clave"), max_length=20)
    title_es = models.CharField(_("título en español"), max_length=500, blank=True)
    title_en = models.CharField(_("título en inglés"), max_length=500, blank=True)
    institution = models.CharField(_("institución responsable"), max_length=300, blank=True)
    state = models.CharField(_("entidad federativa"), max_length=100, blank=True)
    status = models.CharField(_("estado"), max_length=10, choices=EntryStatus.choices)
    review = models.CharField(
        _("validación"), max_length=12, choices=ReviewOutcome.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("entregado el"), null=True, blank=True)
    report_date = models.DateField(_("fecha del informe"), null=True, blank=True)
    report_summary = models.TextField(_("resumen del informe"), blank=True)
    milestones_total = models.PositiveIntegerField(_("hitos"), default=0)
    milestones_complete = models.PositiveIntegerField(_("hitos completados"), default=0)
    # NULL when no milestone had reported progress by the deadline (no data is not 0 %).
    completion_percent = models.DecimalField(
        _("avance (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("compromiso congelado")
        verbose_name_plural = _("compromisos congelados")
        ordering = ["round", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "commitment"], name="frozen_commitment_unique"
            ),
            models.CheckConstraint(
                condition=Q(completion_percent__isnull=True)
                | Q(completion_percent__gte=0, completion_percent__lte=100),
                name="frozen_commitment_completion_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(milestones_complete__lte=F("milestones_total")),
                name="frozen_commitment_complete_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.code}"

    @property
    def title(self):
        return in_reader_language(self.title_es, self.title_en)


class FrozenMilestone(models.Model):
    """A milestone as it stood at the round's deadline."""

    round = models.ForeignKey(
        ReportingRound, verbose_name=_("ronda"), on_delete=models.PROTECT, related_name="+"
    )
    # No database constraint: the row is copied from the milestone's own, and its frozen
    # commitment row (FrozenCommitment, constrained) holds the same pair; a second check
    # per milestone doubled the work of closing a round of 100,000 milestones.
    commitment = models.ForeignKey(
        "commitments.Commitment",
        verbose_name=_("compromiso"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # A plain number: the milestone may be deleted later, its frozen record stays.
    milestone_id = models.PositiveIntegerField(_("hito"))
    position = models.PositiveSmallIntegerField(_("orden"))
    title = models.CharField(_("título"), max_length=500)
    status = models.CharField(_("estado"), max_length=12)
    percent_complete = models.PositiveSmallIntegerField(_("avance (%)"))
    weight = models.PositiveSmallIntegerField(_("peso"))
    progress_reported = models.BooleanField(_("avance reportado"))
    due_date = models.DateField(_("fecha compromiso"), null=True, blank=True)
    actual_end_date = models.DateField(_("conclusión real"), null=True, blank=True)

    class Meta:
        verbose_name = _("hito congelado")
        verbose_name_plural = _("hitos congelados")
        ordering = ["round", "commitment", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "milestone_id"], name="frozen_milestone_unique"
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="frozen_milestone_percent_0_to_100"
            ),
        ]
        indexes = [models.Index(fields=["round", "commitment"])]

    def __str__(self):
        return self.title


class FrozenReview(models.Model):
    """What an organisation said of a commitment's report in the round, as it stood at close."""

    round = models.ForeignKey(
        ReportingRound, verbose_name=_("ronda"), on_delete=models.PROTECT, related_name="+"
    )
    commitment = models.ForeignKey(
        "commitments.Commitment",
        verbose_name=_("compromiso"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.CharField(_("organización"), max_length=300)
    verdict = models.CharField(_("valoración"), max_length=10, choices=ReviewVerdict.choices)
    reason = models.TextField(_("razones"), blank=True)

    class Meta:
        verbose_name = _("validación congelada")
        verbose_name_plural = _("validaciones congeladas")
        ordering = ["round", "commitment", "organisation"]

    def __str__(self):
        return f"{self.organisation} · {self.verdict}"


FROZEN_MODELS = (FrozenCommitment, FrozenMilestone, FrozenReview)


# --- Reminders: an outbox of items, mailed as one digest per person and day ----------


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("La fecha límite se acerca")
    DUE_TODAY = "due_today", _("Hoy vence el plazo")
    LATE = "late", _("Informe atrasado")
    AWAITING_VALIDATION = "awaiting", _("Informe en espera de validación")


class RoundReminder(models.Model):
    """One item to tell one person (the outbox); unique, so planning it twice adds nothing."""

    Kind = ReminderKind

    entry = models.ForeignKey(
        RoundEntry,
        verbose_name=_("compromiso en la ronda"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinatario"),
        on_delete=models.CASCADE,
        related_name="round_reminders",
    )
    kind = models.CharField(_("tipo"), max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField(_("para el día"))
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    sent_at = models.DateTimeField(_("enviado"), null=True, blank=True)

    class Meta:
        verbose_name = _("recordatorio de ronda")
        verbose_name_plural = _("recordatorios de ronda")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "recipient", "kind", "due_on"], name="round_reminder_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="round_reminder_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["sent_at", "recipient"])]

    def __str__(self):
        return f"{self.recipient} · {self.get_kind_display()} · {self.due_on}"


class ReminderDigest(models.Model):
    """The one reminder e-mail a person gets on a day (unique: never a second one)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinatario"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("día"))
    items = models.PositiveIntegerField(_("recordatorios incluidos"))
    sent_at = models.DateTimeField(_("enviado"), auto_now_add=True)

    class Meta:
        verbose_name = _("resumen de recordatorios")
        verbose_name_plural = _("resúmenes de recordatorios")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="reminder_digest_once_a_day")
        ]

    def __str__(self):
        return f"{self.recipient} · {self.day}"


class ReminderOptOut(models.Model):
    """This person asked not to receive reporting-round reminders."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.CASCADE,
        related_name="round_reminder_opt_out",
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    class Meta:
        verbose_name = _("baja de recordatorios")
        verbose_name_plural = _("bajas de recordatorios")

    def __str__(self):
        return str(self.user)
