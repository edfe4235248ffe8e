import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def in_reader_language(spanish, english):
    """Pick the text in the active language, falling back to the other one."""
    language = (get_language() or "es").lower()
    first, second = (english, spanish) if language.startswith("en") else (spanish, english)
    return first or second


class ChangeSummary(models.Model):
    """Added to history rows: the fields this change touched, as {field: [before, after]}.

    Filled when the row is written (see commitments.history), so the public timeline
    reads it without comparing rows.
    """

    changes = models.JSONField(_("cambios"), default=dict, blank=True)

    class Meta:
        abstract = True


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        abstract = True


class InstitutionKind(models.TextChoices):
    GOVERNMENT = "government", _("Gobierno")
    OVERSIGHT = "oversight", _("Organismo garante")
    CIVIL_SOCIETY = "civil_society", _("Sociedad civil")
    ACADEMIA = "academia", _("Academia")
    INTERNATIONAL = "international", _("Organismo internacional")


class Institution(TimeStamped):
    Kind = InstitutionKind

    name = models.CharField(_("nombre"), max_length=300, unique=True)
    acronym = models.CharField(_("siglas"), max_length=40, blank=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=InstitutionKind.choices)
    state = models.ForeignKey(
        "states.State",
        verbose_name=_("entidad federativa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        help_text=_("Vacío para instituciones federales o nacionales."),
    )

    class Meta:
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InstitutionKind.values), name="institution_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class PolicyArea(TimeStamped):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_en = models.CharField(_("nombre en inglés"), max_length=100, unique=True)
    name_es = models.CharField(_("nombre en español"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("área de política")
        verbose_name_plural = _("áreas de política")
        ordering = ["name_es", "name_en"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_reader_language(self.name_es, self.name_en)


class SdgTarget(TimeStamped):
    """A target of the 2030 Agenda's Sustainable Development Goals, e.g. 16.10."""

    code = models.CharField(_("meta"), max_length=6, unique=True)
    goal = models.PositiveSmallIntegerField(_("objetivo"))
    description_es = models.TextField(_("descripción en español"), blank=True)
    description_en = models.TextField(_("descripción en inglés"), blank=True)

    class Meta:
        verbose_name = _("meta ODS")
        verbose_name_plural = _("metas ODS")
        ordering = ["goal", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__gte=1, goal__lte=17), name="sdg_target_goal_1_to_17"
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^([1-9]|1[0-7])\.([0-9]{1,2}|[a-z])$"),
                name="sdg_target_code_format",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def description(self):
        return in_reader_language(self.description_es, self.description_en)


class PlanScope(models.TextChoices):
    NATIONAL = "national", _("Nacional")
    STATE = "state", _("Estatal")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("En cocreación")
    ACTIVE = "active", _("En implementación")
    CLOSED = "closed", _("Concluido")


class ActionPlan(TimeStamped):
    Scope = PlanScope
    Status = PlanStatus

    country = models.CharField(_("país"), max_length=2, default="MX")
    scope = models.CharField(_("ámbito"), max_length=10, choices=PlanScope.choices)
    state = models.ForeignKey(
        "states.State",
        verbose_name=_("entidad federativa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_plans",
    )
    cycle_year = models.PositiveSmallIntegerField(_("ciclo"))
    title = models.CharField(_("título"), max_length=200)
    start_date = models.DateField(_("inicio"))
    end_date = models.DateField(_("fin"))
    status = models.CharField(_("estado"), max_length=10, choices=PlanStatus.choices)

    class Meta:
        verbose_name = _("plan de acción")
        verbose_name_plural = _("planes de acción")
        ordering = ["-cycle_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope=PlanScope.NATIONAL, state__isnull=True)
                | Q(scope=PlanScope.STATE, state__isnull=False),
                name="action_plan_state_matches_scope",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="action_plan_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(cycle_year__gte=2011, cycle_year__lte=2100),
                name="action_plan_cycle_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values),
                name="action_plan_status_valid",
            ),
            models.UniqueConstraint(
                fields=["country", "cycle_year"],
                condition=Q(scope="national"),
                name="one_national_plan_per_cycle",
            ),
            models.UniqueConstraint(
                fields=["state", "cycle_year"],
                condition=Q(scope="state"),
                name="one_state_plan_per_cycle",
            ),
        ]
        indexes = [models.Index(fields=["scope", "cycle_year"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("commitments:action_plan_detail", args=[self.pk])


class Commitment(TimeStamped):
    code = models.CharField(_("clave"), max_length=20, unique=True)
    action_plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("plan de acción"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    title_es = models.CharField(_("título en español"), max_length=500, blank=True)
    title_en = models.CharField(_("título en inglés"), max_length=500, blank=True)
    description = models.TextField(_("descripción"), blank=True)
    problem = models.TextField(_("problemática que atiende"), blank=True)
    objectives = models.TextField(_("objetivos"), blank=True)
    ogp_relevance = models.TextField(_("relevancia para los valores de AGA"), blank=True)
    gender_perspective = models.TextField(_("perspectiva de igualdad de género"), blank=True)
    development_plan_axis = models.CharField(
        _("eje del Plan Nacional de Desarrollo"), max_length=300, blank=True
    )
    additional_information = models.TextField(_("información adicional"), blank=True)
    lead_institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("instituciones responsables"),
        related_name="led_commitments",
        blank=True,
    )
    support_institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("instituciones de apoyo"),
        related_name="supported_commitments",
        blank=True,
    )
    policy_areas = models.ManyToManyField(
        PolicyArea, verbose_name=_("áreas de política"), related_name="commitments", blank=True
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, verbose_name=_("metas ODS"), related_name="commitments", blank=True
    )
    start_date = models.DateField(_("inicio"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    aligned_with = models.ManyToManyField(
        "self",
        verbose_name=_("compromisos nacionales con los que se alinea"),
        through="Alignment",
        symmetrical=False,
        related_name="aligned_local_commitments",
        blank=True,
    )
    # Cached by the indicators recompute; pages read it, never compute it on GET.
    completion_percent = models.DecimalField(
        _("avance (%)"), max_digits=5, decimal_places=2, default=0
    )
    # Bumped on every save through the services so stale edits can be refused.
    version = models.PositiveIntegerField(_("versión"), default=1)

    history = HistoricalRecords(
        bases=[ChangeSummary], excluded_fields=["completion_percent"], cascade_delete_history=True
    )

    class Meta:
        verbose_name = _("compromiso")
        verbose_name_plural = _("compromisos")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_es="") | ~Q(title_en=""), name="commitment_has_a_title"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="commitment_dates_in_order",
            ),
            models.CheckConstraint(condition=~Q(code=""), name="commitment_code_not_blank"),
            models.CheckConstraint(
                condition=Q(completion_percent__gte=0, completion_percent__lte=100),
                name="commitment_completion_0_to_100",
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.title}"

    def get_absolute_url(self):
        return reverse("commitments:commitment_detail", args=[self.code])

    @property
    def title(self):
        return in_reader_language(self.title_es, self.title_en)


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Sin iniciar")
    IN_PROGRESS = "in_progress", _("En proceso")
    COMPLETE = "complete", _("Completado")
    WITHDRAWN = "withdrawn", _("Retirado")


class Milestone(TimeStamped):
    Status = MilestoneStatus

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("compromiso"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    position = models.PositiveSmallIntegerField(_("orden"), default=1)
    title = models.CharField(_("título"), max_length=500)
    start_date = models.DateField(_("inicio"), null=True, blank=True)
    due_date = models.DateField(_("fecha compromiso"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(_("peso"), default=1)
    status = models.CharField(
        _("estado"),
        max_length=12,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.NOT_STARTED,
    )
    percent_complete = models.PositiveSmallIntegerField(_("avance (%)"), default=0)
    actual_start_date = models.DateField(_("inicio real"), null=True, blank=True)
    actual_end_date = models.DateField(_("conclusión real"), null=True, blank=True)
    narrative = models.TextField(_("descripción del avance"), blank=True)
    version = models.PositiveIntegerField(_("versión"), default=1)

    history = HistoricalRecords(bases=[ChangeSummary], cascade_delete_history=True)

    class Meta:
        verbose_name = _("hito")
        verbose_name_plural = _("hitos")
        ordering = ["commitment", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="milestone_weight_positive"),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(due_date__gte=F("start_date")),
                name="milestone_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MilestoneStatus.values), name="milestone_status_valid"
            ),
            models.UniqueConstraint(
                fields=["commitment", "position"], name="milestone_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="milestone_percent_0_to_100"
            ),
            models.CheckConstraint(
                condition=~Q(status=MilestoneStatus.COMPLETE) | Q(percent_complete=100),
                name="milestone_complete_means_100_percent",
            ),
            models.CheckConstraint(
                condition=Q(actual_end_date__isnull=True)
                | Q(actual_start_date__isnull=True)
                | Q(actual_end_date__gte=F("actual_start_date")),
                name="milestone_actual_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return self.title


class Alignment(TimeStamped):
    """A local commitment replicates or complements a national one (MX0087)."""

    class Kind(models.TextChoices):
        REPLICATES = "replicates", _("Replica")
        COMPLEMENTS = "complements", _("Complementa")

    local_commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("compromiso local"),
        on_delete=models.CASCADE,
        related_name="alignments",
    )
    national_commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("compromiso nacional"),
        on_delete=models.CASCADE,
        related_name="local_alignments",
    )
    kind = models.CharField(_("tipo de alineación"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("alineación")
        verbose_name_plural = _("alineaciones")
        constraints = [
            models.UniqueConstraint(
                fields=["local_commitment", "national_commitment"], name="alignment_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(local_commitment=F("national_commitment")),
                name="alignment_not_with_itself",
            ),
        ]

    def __str__(self):
        return f"{self.local_commitment.code} → {self.national_commitment.code}"


class ProgressReport(TimeStamped):
    """A dated account of a commitment's progress, written by a responsible editor."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("compromiso"),
        on_delete=models.CASCADE,
        related_name="progress_reports",
    )
    date = models.DateField(_("fecha"))
    summary = models.TextField(_("resumen"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="progress_reports",
    )

    class Meta:
        verbose_name = _("informe de avance")
        verbose_name_plural = _("informes de avance")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(summary=""), name="progress_report_has_summary"),
        ]
        indexes = [models.Index(fields=["commitment", "-date"])]

    def __str__(self):
        return f"{self.commitment.code} · {self.date:%Y-%m-%d}"


def evidence_upload_to(evidence, filename):
    """A sanitised name behind a random prefix, so names never collide or guess each other."""
    try:
        safe = get_valid_filename(filename)
    except Exception:
        safe = "archivo"
    return f"evidencias/{secrets.token_hex(8)}-{safe[-80:]}"


class Evidence(models.Model):
    """A link or an uploaded file that backs a milestone's progress or a progress report."""

    class Kind(models.TextChoices):
        LINK = "link", _("Enlace")
        FILE = "file", _("Archivo")

    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("hito"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    progress_report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("informe de avance"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    kind = models.CharField(_("tipo"), max_length=4, choices=Kind.choices)
    title = models.CharField(_("título"), max_length=200, blank=True)
    url = models.URLField(_("enlace"), max_length=500, blank=True)
    file = models.FileField(_("archivo"), upload_to=evidence_upload_to, max_length=200, blank=True)
    original_name = models.CharField(_("nombre original"), max_length=200, blank=True)
    content_type = models.CharField(_("tipo de contenido"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("tamaño (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("subido por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidencia")
        verbose_name_plural = _("evidencias")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(milestone__isnull=False, progress_report__isnull=True)
                | Q(milestone__isnull=True, progress_report__isnull=False),
                name="evidence_belongs_to_one_record",
            ),
            models.CheckConstraint(
                condition=Q(kind="link", file="") & ~Q(url="")
                | Q(kind="file", url="") & ~Q(file=""),
                name="evidence_link_or_file",
            ),
        ]

    def __str__(self):
        return self.title or self.original_name or self.url

    @property
    def label(self):
        return self.title or self.original_name or self.url
