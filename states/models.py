from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commitments.models import ActionPlan, Commitment, LocalProgram, PlanScope, Source

ZERO = Decimal("0")
ONE = Decimal("1")


class State(models.Model):
    """One of Mexico's 32 federal entities, keyed by its INEGI code."""

    inegi_code = models.CharField(
        _("clave INEGI"),
        max_length=2,
        unique=True,
        help_text=_("Clave geoestadística de dos dígitos (01 a 32)."),
    )
    official_name = models.CharField(_("nombre oficial"), max_length=100, unique=True)
    short_name = models.CharField(_("nombre corto"), max_length=60, unique=True)
    abbreviation = models.CharField(_("abreviatura"), max_length=5, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("entidad federativa")
        verbose_name_plural = _("entidades federativas")
        ordering = ["inegi_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inegi_code__regex=r"^(0[1-9]|[12][0-9]|3[0-2])$"),
                name="state_inegi_code_01_to_32",
            ),
        ]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("states:state_detail", args=[self.slug])


def _between_0_and_1(field):
    return Q(**{f"{field}__gte": ZERO, f"{field}__lte": ONE})


def _null_or_between_0_and_1(field):
    return Q(**{f"{field}__isnull": True}) | _between_0_and_1(field)


def _score(label):
    """A nullable 0-to-1 figure of the Métrica: NULL when the source does not give it."""
    return models.DecimalField(label, max_digits=4, decimal_places=3, null=True, blank=True)


class MetricaEdition(models.Model):
    """An edition of the Métrica de Gobierno Abierto (INAI and CIDE) with its national average."""

    year = models.PositiveSmallIntegerField(_("año de la edición"), unique=True)
    national_average = models.DecimalField(
        _("promedio nacional"),
        max_digits=4,
        decimal_places=3,
        help_text=_("En una escala de 0 a 1."),
    )
    transparency = _score(_("subíndice de transparencia"))
    participation = _score(_("subíndice de participación"))
    transparency_government = _score(_("transparencia desde el gobierno"))
    transparency_citizen = _score(_("transparencia desde la ciudadanía"))
    participation_government = _score(_("participación desde el gobierno"))
    participation_citizen = _score(_("participación desde la ciudadanía"))
    bodies_assessed = models.PositiveIntegerField(
        _("sujetos obligados evaluados"), null=True, blank=True
    )
    note = models.CharField(_("nota"), max_length=600, blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("fuente"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("edición de la Métrica de Gobierno Abierto")
        verbose_name_plural = _("ediciones de la Métrica de Gobierno Abierto")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=_between_0_and_1("national_average"),
                name="metrica_edition_average_0_to_1",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2017, year__lte=2100), name="metrica_edition_year_plausible"
            ),
            models.CheckConstraint(
                condition=_null_or_between_0_and_1("transparency")
                & _null_or_between_0_and_1("participation")
                & _null_or_between_0_and_1("transparency_government")
                & _null_or_between_0_and_1("transparency_citizen")
                & _null_or_between_0_and_1("participation_government")
                & _null_or_between_0_and_1("participation_citizen"),
                name="metrica_edition_sub_scores_0_to_1",
            ),
        ]

    def __str__(self):
        return _("Métrica de Gobierno Abierto %(year)s") % {"year": self.year}

    @property
    def source_url(self):
        return self.source.url


class MetricaScore(models.Model):
    """A state's score in one edition of the Métrica de Gobierno Abierto, entered by staff."""

    state = models.ForeignKey(
        State,
        verbose_name=_("entidad federativa"),
        on_delete=models.CASCADE,
        related_name="metrica_scores",
    )
    edition = models.ForeignKey(
        MetricaEdition,
        verbose_name=_("edición"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    # NULL where the source gives only a sub-index or a rank for the state.
    score = models.DecimalField(
        _("índice de gobierno abierto"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("En una escala de 0 a 1."),
    )
    transparency = _score(_("subíndice de transparencia"))
    participation = _score(_("subíndice de participación"))
    # The Métrica's four components: transparency and participation, each seen from
    # the government's side and from the citizen's side.
    transparency_government = models.DecimalField(
        _("transparencia desde el gobierno"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    transparency_citizen = models.DecimalField(
        _("transparencia desde la ciudadanía"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
    )
    participation_government = models.DecimalField(
        _("participación desde el gobierno"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    participation_citizen = models.DecimalField(
        _("participación desde la ciudadanía"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
    )
    rank = models.PositiveSmallIntegerField(_("lugar entre las entidades"), null=True, blank=True)
    note = models.CharField(_("nota"), max_length=600, blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("fuente"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    SUB_SCORES = (
        "transparency",
        "participation",
        "transparency_government",
        "transparency_citizen",
        "participation_government",
        "participation_citizen",
    )

    class Meta:
        verbose_name = _("calificación en la Métrica de Gobierno Abierto")
        verbose_name_plural = _("calificaciones en la Métrica de Gobierno Abierto")
        ordering = ["state", "edition__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["state", "edition"], name="metrica_score_one_per_state_and_edition"
            ),
            models.CheckConstraint(
                condition=_null_or_between_0_and_1("score"), name="metrica_score_0_to_1"
            ),
            # A row says something: the index, a sub-index or the state's place.
            models.CheckConstraint(
                condition=Q(score__isnull=False)
                | Q(transparency__isnull=False)
                | Q(participation__isnull=False)
                | Q(transparency_government__isnull=False)
                | Q(transparency_citizen__isnull=False)
                | Q(participation_government__isnull=False)
                | Q(participation_citizen__isnull=False)
                | Q(rank__isnull=False),
                name="metrica_score_has_a_figure",
            ),
            models.CheckConstraint(
                condition=_null_or_between_0_and_1("transparency")
                & _null_or_between_0_and_1("participation")
                & _null_or_between_0_and_1("transparency_government")
                & _null_or_between_0_and_1("transparency_citizen")
                & _null_or_between_0_and_1("participation_government")
                & _null_or_between_0_and_1("participation_citizen"),
                name="metrica_sub_scores_0_to_1",
            ),
        ]

    def __str__(self):
        return (
            f"{self.state} · {self.edition.year}: {self.score if self.score is not None else '—'}"
        )

    @property
    def source_url(self):
        return self.source.url


class SecretariatSector(models.TextChoices):
    GOVERNMENT = "government", _("Gobierno")
    OVERSIGHT = "oversight", _("Organismo garante")
    CIVIL_SOCIETY = "civil_society", _("Sociedad civil")


class SecretariatMember(models.Model):
    """An institution sitting on a local plan's co-creation body (the local technical
    secretariat), in one of its three sectors."""

    Sector = SecretariatSector

    action_plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("plan de acción local"),
        on_delete=models.CASCADE,
        related_name="secretariat_members",
    )
    institution = models.ForeignKey(
        "commitments.Institution",
        verbose_name=_("institución"),
        on_delete=models.PROTECT,
        related_name="secretariat_seats",
    )
    sector = models.CharField(_("sector"), max_length=20, choices=SecretariatSector.choices)
    representative = models.CharField(
        _("persona representante"), max_length=200, blank=True, help_text=_("Dato público.")
    )
    position = models.PositiveSmallIntegerField(_("orden"), default=1)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("integrante del secretariado técnico local")
        verbose_name_plural = _("integrantes del secretariado técnico local")
        ordering = ["action_plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_plan", "institution"], name="secretariat_member_unique"
            ),
            models.CheckConstraint(
                condition=Q(sector__in=SecretariatSector.values),
                name="secretariat_member_sector_valid",
            ),
        ]

    def __str__(self):
        return f"{self.institution} ({self.get_sector_display()})"

    def clean(self):
        # Across tables, so a check here rather than a database constraint.
        if self.action_plan_id and self.action_plan.scope != PlanScope.STATE:
            raise ValidationError(
                {"action_plan": _("Solo los planes de acción locales tienen secretariado técnico.")}
            )


class LocalActionPlan(ActionPlan):
    """Local (state) action plans, for the admin where staff enter them."""

    class Meta:
        proxy = True
        verbose_name = _("plan de acción local")
        verbose_name_plural = _("planes de acción locales")


class LocalCommitment(Commitment):
    """Commitments of local plans, for the admin where staff enter them and their alignment."""

    class Meta:
        proxy = True
        verbose_name = _("compromiso local")
        verbose_name_plural = _("compromisos locales")


ParticipationProgram = LocalProgram


class ParticipationStatus(models.TextChoices):
    PARTICIPATES = "participates", _("Participa")
    WITHDREW = "withdrew", _("Se retiró")
    # Only with a source that says so: the absence of a record is "sin información".
    DID_NOT_PARTICIPATE = "did_not_participate", _("No ha participado")


class StateParticipation(models.Model):
    """A state's part in a local open-government exercise, as a source states it."""

    Program = ParticipationProgram
    Status = ParticipationStatus

    state = models.ForeignKey(
        State,
        verbose_name=_("entidad federativa"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    program = models.CharField(_("ejercicio"), max_length=20, choices=ParticipationProgram.choices)
    status = models.CharField(_("situación"), max_length=20, choices=ParticipationStatus.choices)
    start_year = models.PositiveSmallIntegerField(_("desde"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("hasta"), null=True, blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("fuente"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("nota"), blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("participación en ejercicios locales")
        verbose_name_plural = _("participación en ejercicios locales")
        ordering = ["state", "program"]
        constraints = [
            # One per source: two sources may disagree, and the page shows both.
            models.UniqueConstraint(
                fields=["state", "program", "source"], name="state_participation_one_per_source"
            ),
            models.CheckConstraint(
                condition=Q(program__in=ParticipationProgram.values)
                & Q(status__in=ParticipationStatus.values),
                name="state_participation_choices_valid",
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(start_year__gte=2011, start_year__lte=2100),
                name="state_participation_start_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=F("start_year")),
                name="state_participation_years_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.state} · {self.get_program_display()}: {self.get_status_display()}"


class Standing(models.TextChoices):
    """What the portal can say of a state's participation, from its records and plans."""

    PARTICIPATES = "participates", _("Participa")
    WITHDREW = "withdrew", _("Participó y se retiró")
    CONFLICTING = "conflicting", _("Las fuentes discrepan")
    DID_NOT_PARTICIPATE = "did_not_participate", _("No ha participado")
    NO_INFORMATION = "no_information", _("Sin información")


def standing_of(*, statuses: Iterable[str], local_plans: int) -> Standing:
    """A state's standing from the statuses its sources give and its local plans on record.

    "No ha participado" needs a source saying so; no record at all is "sin información".
    A local plan on record is itself a fact of participation.
    """
    distinct = set(statuses)
    if local_plans:
        distinct.add(ParticipationStatus.PARTICIPATES)
    if not distinct:
        return Standing.NO_INFORMATION
    if ParticipationStatus.PARTICIPATES in distinct:
        if ParticipationStatus.DID_NOT_PARTICIPATE in distinct:
            return Standing.CONFLICTING
        return Standing.PARTICIPATES
    if ParticipationStatus.WITHDREW in distinct:
        return Standing.WITHDREW
    return Standing.DID_NOT_PARTICIPATE
