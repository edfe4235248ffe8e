from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.rules import (  # noqa: F401  (read from here by the indicators' callers)
    STALE_AFTER_DAYS,
    days_since,
    is_stale,
    local_midnight,
    stale_before,
)


class RecomputeRequest(models.Model):
    """Outbox mark: this commitment's indicators must be recomputed.

    Written in the same transaction as the edit, so a lost Celery message is
    healed by the sweep; one row per commitment collapses bursts of edits.
    """

    commitment = models.OneToOneField(
        "commitments.Commitment",
        verbose_name=_("compromiso"),
        on_delete=models.CASCADE,
        related_name="recompute_request",
    )
    requested_at = models.DateTimeField(_("solicitado"), db_index=True)

    class Meta:
        verbose_name = _("recálculo pendiente")
        verbose_name_plural = _("recálculos pendientes")

    def __str__(self):
        return f"{self.commitment_id} @ {self.requested_at:%Y-%m-%d %H:%M:%S}"


class CompletionLevel(models.TextChoices):
    """The OGP Independent Reporting Mechanism's completion levels (thresholds in services).

    ``no_information`` is not a level of progress but its absence (the IRM's "no evidence
    available"): nothing about the commitment's progress was recorded in the portal.
    """

    NO_INFORMATION = "no_information", _("Sin información registrada")
    NOT_STARTED = "not_started", _("Sin iniciar")
    LIMITED = "limited", _("Limitado")
    SUBSTANTIAL = "substantial", _("Sustancial")
    COMPLETE = "complete", _("Completo")
    WITHDRAWN = "withdrawn", _("Retirado")


class CommitmentIndicatorQuerySet(models.QuerySet):
    def stale(self, today):
        """Commitments nothing changed about for more than STALE_AFTER_DAYS days on ``today``."""
        return self.filter(last_update_at__lt=stale_before(today))


class CommitmentIndicator(models.Model):
    """Latest indicator values of one commitment, written only by the recompute.

    It stores facts that change only when the commitment's data changes; what moves with
    the calendar alone (days since the last update, stale) is derived from
    ``last_update_at`` when read. So the nightly pass rewrites only the commitments whose
    facts changed instead of every row every day. ``weighted_percent_sum`` and
    ``weight_sum`` are the exact integer inputs of ``completion_percent``: the nightly pass
    compares them, not the rounded percent, to tell which commitments changed.
    """

    commitment = models.OneToOneField(
        "commitments.Commitment",
        verbose_name=_("compromiso"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="indicator",
    )
    # The commitment's plan, kept here so that scope aggregates read this table and
    # the plans only (the nightly pass compares it with the commitment's).
    action_plan = models.ForeignKey(
        "commitments.ActionPlan",
        verbose_name=_("plan de acción"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # services.rules_fingerprint() when the row was written: rows written under other
    # rules are rewritten by the next pass.
    rules_fingerprint = models.PositiveBigIntegerField(_("reglas de cálculo"), default=0)
    weighted_percent_sum = models.PositiveBigIntegerField(_("suma de avance ponderado"), default=0)
    weight_sum = models.PositiveBigIntegerField(_("suma de pesos"), default=0)
    # NULL when nothing was recorded (no milestones): no data is not 0 %.
    completion_percent = models.DecimalField(
        _("avance (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    completion_level = models.CharField(
        _("nivel de cumplimiento"),
        max_length=20,
        choices=CompletionLevel.choices,
        default=CompletionLevel.NO_INFORMATION,
    )
    milestones_total = models.PositiveIntegerField(_("hitos"), default=0)
    # Milestones whose progress someone reported (Milestone.progress_reported); the figures
    # below are over these. None reported: the commitment has no information.
    milestones_reported = models.PositiveIntegerField(_("hitos con avance reportado"), default=0)
    milestones_withdrawn = models.PositiveIntegerField(_("hitos retirados"), default=0)
    milestones_on_time = models.PositiveIntegerField(_("hitos a tiempo"), default=0)
    milestones_overdue = models.PositiveIntegerField(_("hitos vencidos"), default=0)
    last_update_at = models.DateTimeField(_("última actualización"))
    # NULL without information: a commitment nobody reported on is neither on time nor late.
    is_on_time = models.BooleanField(_("a tiempo"), null=True, blank=True)
    # NULL until civil-society assessments exist (issue 4 fills them through
    # indicators.services.civil_society_shares).
    civil_society_agreement_share = models.DecimalField(
        _("proporción de acuerdo de la sociedad civil"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
    )
    civil_society_dispute_share = models.DecimalField(
        _("proporción de desacuerdo de la sociedad civil"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
    )
    is_disputed = models.BooleanField(_("en disputa"), null=True, blank=True)
    # Only for commitments of national plans: distinct states whose local
    # commitments replicate this one (Alignment kind "replicates").
    replicating_states = models.PositiveSmallIntegerField(
        _("entidades que lo replican"), null=True, blank=True
    )
    computed_at = models.DateTimeField(_("calculado"))

    objects = CommitmentIndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicador de compromiso")
        verbose_name_plural = _("indicadores de compromisos")
        constraints = [
            models.CheckConstraint(
                condition=Q(completion_percent__gte=0, completion_percent__lte=100),
                name="commitment_indicator_completion_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(completion_level__in=CompletionLevel.values),
                name="commitment_indicator_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(weighted_percent_sum__lte=models.F("weight_sum") * 100),
                name="commitment_indicator_weighted_sum_within_100_percent",
            ),
            # No figure is stored for a commitment without information, and one with
            # information always has its figure.
            models.CheckConstraint(
                condition=Q(
                    completion_level=CompletionLevel.NO_INFORMATION, completion_percent__isnull=True
                )
                | (
                    ~Q(completion_level=CompletionLevel.NO_INFORMATION)
                    & Q(completion_percent__isnull=False)
                ),
                name="commitment_indicator_no_information_has_no_percent",
            ),
        ]
        indexes = [models.Index(fields=["completion_level"])]

    def __str__(self):
        return f"{self.commitment_id}: {self.completion_percent} % ({self.completion_level})"

    @property
    def has_information(self):
        return self.completion_level != CompletionLevel.NO_INFORMATION

    @property
    def days_since_update(self):
        return days_since(self.last_update_at, today=timezone.localdate())

    @property
    def is_stale(self):
        return is_stale(self.last_update_at, today=timezone.localdate())


class ScopeKind(models.TextChoices):
    PLAN = "plan", _("Plan de acción")
    STATE = "state", _("Entidad federativa")
    NATION = "nation", _("Nacional")


# The nation has no row of its own; its scope id is this constant.
NATION_SCOPE_ID = 0


class ScopeFigures(models.Model):
    """Aggregates over the commitments of one scope (a plan, a state, or the nation)."""

    Kind = ScopeKind

    scope_kind = models.CharField(_("tipo de ámbito"), max_length=6, choices=ScopeKind.choices)
    # ActionPlan id, State id, or NATION_SCOPE_ID: no FK so that one table holds all three.
    scope_id = models.PositiveBigIntegerField(_("ámbito"))
    commitments_total = models.PositiveIntegerField(_("compromisos"), default=0)
    commitments_no_information = models.PositiveIntegerField(
        _("sin información registrada"), default=0
    )
    commitments_not_started = models.PositiveIntegerField(_("sin iniciar"), default=0)
    commitments_limited = models.PositiveIntegerField(_("limitados"), default=0)
    commitments_substantial = models.PositiveIntegerField(_("sustanciales"), default=0)
    commitments_complete = models.PositiveIntegerField(_("completos"), default=0)
    commitments_withdrawn = models.PositiveIntegerField(_("retirados"), default=0)
    # Over the commitments with information and not withdrawn; NULL when there are none.
    mean_completion = models.DecimalField(
        _("avance promedio (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    share_on_time = models.DecimalField(
        _("proporción a tiempo"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    share_stale = models.DecimalField(
        _("proporción sin actualizar"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    # Over the commitments with civil-society assessments; NULL until issue 4.
    share_disputed = models.DecimalField(
        _("proporción en disputa"), max_digits=5, decimal_places=4, null=True, blank=True
    )

    # The stored figures, in the order the API lists them (both SQL paths write these).
    FIGURES = (
        "commitments_total",
        "commitments_not_started",
        "commitments_limited",
        "commitments_substantial",
        "commitments_complete",
        "commitments_withdrawn",
        "mean_completion",
        "share_on_time",
        "share_stale",
        "share_disputed",
        "commitments_no_information",
    )

    class Meta:
        abstract = True

    @property
    def commitments_with_information(self):
        """The coverage shown beside every figure: "información de 13 de 87 compromisos"."""
        return self.commitments_total - self.commitments_no_information


class ScopeIndicator(ScopeFigures):
    """Latest aggregates per scope, read by pages and the API."""

    computed_at = models.DateTimeField(_("calculado"))

    class Meta:
        verbose_name = _("indicador de ámbito")
        verbose_name_plural = _("indicadores de ámbito")
        constraints = [
            models.UniqueConstraint(
                fields=["scope_kind", "scope_id"], name="scope_indicator_one_per_scope"
            ),
            models.CheckConstraint(
                condition=Q(scope_kind__in=ScopeKind.values), name="scope_indicator_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.scope_kind} {self.scope_id}: {self.mean_completion} %"


class IndicatorSnapshot(ScopeFigures):
    """The aggregates of a scope as of one day, for trend charts; one row per scope per day."""

    date = models.DateField(_("fecha"))

    class Meta:
        verbose_name = _("instantánea de indicadores")
        verbose_name_plural = _("instantáneas de indicadores")
        constraints = [
            models.UniqueConstraint(
                fields=["scope_kind", "scope_id", "date"], name="snapshot_one_per_scope_per_day"
            ),
            models.CheckConstraint(
                condition=Q(scope_kind__in=ScopeKind.values), name="snapshot_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.scope_kind} {self.scope_id} @ {self.date}"
