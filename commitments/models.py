import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import get_language, pgettext_lazy
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


class Source(TimeStamped):
    """A publication a fact from outside the portal comes from (an IRM report, an OGP page,
    an INAI publication), shown beside the fact as "Fuente: …".

    Every IRM rating, Métrica score and participation record points to one (a NOT NULL
    foreign key), so the portal cannot state such a fact without saying where it is from.
    """

    key = models.SlugField(
        _("clave"), max_length=80, unique=True, help_text=_("Identificador en el archivo de datos.")
    )
    publication = models.CharField(_("publicación"), max_length=500)
    publisher = models.CharField(_("quién la publica"), max_length=300, blank=True)
    url = models.URLField(_("dirección"), max_length=500)
    # As precise as the source itself is: "2019", "2019-12" or "2019-12-04"; empty when
    # the publication shows no date (never guessed).
    published = models.CharField(
        _("fecha de publicación"),
        max_length=10,
        blank=True,
        help_text=_("AAAA, AAAA-MM o AAAA-MM-DD; vacío si la publicación no muestra su fecha."),
    )
    is_mirror = models.BooleanField(
        _("copia de terceros"),
        default=False,
        help_text=_(
            "La dirección es una copia del documento en un sitio ajeno a quien lo publicó."
        ),
    )
    note = models.TextField(_("nota"), blank=True)

    class Meta:
        verbose_name = _("fuente")
        verbose_name_plural = _("fuentes")
        ordering = ["publication"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(publication="") & ~Q(url=""), name="source_has_publication_and_url"
            ),
            models.CheckConstraint(
                condition=Q(published="")
                | Q(published__regex=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"),
                name="source_published_is_a_partial_iso_date",
            ),
        ]

    def __str__(self):
        return self.publication


class PlanScope(models.TextChoices):
    NATIONAL = "national", _("Nacional")
    STATE = "state", _("Estatal")


class DatePrecision(models.TextChoices):
    """How much of a date the source gives: a plan "2016-2018" is stored as 1 January 2016
    to 31 December 2018 with year precision, and shown as "2016" and "2018"."""

    DAY = "day", _("Día")
    MONTH = "month", _("Mes")
    YEAR = "year", _("Año")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("En cocreación")
    ACTIVE = "active", _("En implementación")
    CLOSED = "closed", _("Concluido")
    # A plan found in a source that does not say when it ends.
    UNKNOWN = "unknown", _("Sin información")


class LocalProgram(models.TextChoices):
    """The local open-government exercises a state's plan was made in."""

    COCREACION_LOCAL = "cocreacion_local", _("Gobierno Abierto: Cocreación desde lo local (INAI)")
    OGP_LOCAL = "ogp_local", _("OGP Local (Alianza para el Gobierno Abierto)")


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
    # Empty when the source does not give them (local plans found in the press); never
    # guessed. An end date that has passed makes every open milestone overdue.
    start_date = models.DateField(_("inicio"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    start_precision = models.CharField(
        _("precisión del inicio"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    end_precision = models.CharField(
        _("precisión del fin"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    status = models.CharField(_("estado"), max_length=10, choices=PlanStatus.choices)
    source = models.ForeignKey(
        Source,
        verbose_name=_("fuente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_plans",
    )
    program = models.CharField(
        _("ejercicio local"), max_length=20, choices=LocalProgram.choices, blank=True
    )
    # How many commitments the source says the plan has; the portal may list fewer.
    declared_commitments = models.PositiveSmallIntegerField(
        _("compromisos según la fuente"), null=True, blank=True
    )
    note = models.TextField(_("nota"), blank=True)

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
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="action_plan_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(start_precision__in=DatePrecision.values)
                & Q(end_precision__in=DatePrecision.values),
                name="action_plan_date_precision_valid",
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


class TitleOrigin(models.TextChoices):
    OFFICIAL = "official", _("Título oficial")
    TRANSLATION = "translation", _("Traducción del portal")


class Commitment(TimeStamped):
    TitleOrigin = TitleOrigin

    # The commitment's long texts, in the order the page, the admin's "Contenido" section,
    # the API's detail and the data file carry them (one list for all of them).
    CONTENT_FIELDS = (
        "description",
        "problem",
        "objectives",
        "ogp_relevance",
        "gender_perspective",
        "development_plan_axis",
        "additional_information",
    )

    code = models.CharField(_("clave"), max_length=20, unique=True)
    action_plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("plan de acción"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    title_es = models.CharField(_("título en español"), max_length=500, blank=True)
    title_en = models.CharField(_("título en inglés"), max_length=500, blank=True)
    # Where no source gives a Spanish title, the portal writes a translation and says so
    # on the page and in the API; it is never passed off as the official wording.
    title_es_origin = models.CharField(
        _("origen del título en español"),
        max_length=12,
        choices=TitleOrigin.choices,
        default=TitleOrigin.OFFICIAL,
    )
    title_es_source = models.ForeignKey(
        Source,
        verbose_name=_("fuente del título en español"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Local commitments a source lists without an identifier get one from the portal
    # (state abbreviation, cycle, position), and the pages say so.
    code_assigned_by_portal = models.BooleanField(_("clave asignada por el portal"), default=False)
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
    # NULL while nothing about its progress is recorded (no data is not 0 %).
    completion_percent = models.DecimalField(
        _("avance (%)"), max_digits=5, decimal_places=2, null=True, blank=True
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
                condition=Q(title_es_origin__in=TitleOrigin.values),
                name="commitment_title_es_origin_valid",
            ),
            # A translation made for the portal cannot claim a source of its own.
            models.CheckConstraint(
                condition=~Q(title_es_origin=TitleOrigin.TRANSLATION)
                | Q(title_es_source__isnull=True),
                name="commitment_translated_title_has_no_source",
            ),
            models.CheckConstraint(
                condition=Q(completion_percent__isnull=True)
                | Q(completion_percent__gte=0, completion_percent__lte=100),
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


# Work still to do: neither complete nor withdrawn.
OPEN_MILESTONE_STATUSES = (MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS)


def overdue_milestone(
    today: datetime.date, *, milestone: str = "", plan: str = "commitment__action_plan__"
) -> Q:
    """The condition "this milestone is overdue on ``today``", as a Q for any join path.

    Open, and its due date or the end of its plan is before ``today``: an ended plan is never
    on time. ``milestone`` and ``plan`` are the lookup prefixes of the milestone and of its
    plan from the queried model (from a commitment: ``"milestones__"`` and
    ``"action_plan__"``), so aggregates filter with the very rule the lists use.
    """
    return Q(**{f"{milestone}status__in": OPEN_MILESTONE_STATUSES}) & (
        Q(**{f"{milestone}due_date__lt": today}) | Q(**{f"{plan}end_date__lt": today})
    )


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    def open(self) -> "MilestoneQuerySet":
        """Milestones with work still to do (not complete, not withdrawn)."""
        return self.filter(status__in=OPEN_MILESTONE_STATUSES)

    def overdue(self, today: datetime.date) -> "MilestoneQuerySet":
        """Open milestones whose due date, or whose plan's end, is before ``today``."""
        return self.filter(overdue_milestone(today))


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
    # False for a milestone nobody reported on: a data file lists MX0087's key actions
    # without their progress, so their status and percent are defaults, not a report, and
    # indicators and pages say "sin información". Adding a milestone and saving progress
    # through the services set it.
    progress_reported = models.BooleanField(_("avance reportado"), default=False)
    actual_start_date = models.DateField(_("inicio real"), null=True, blank=True)
    actual_end_date = models.DateField(_("conclusión real"), null=True, blank=True)
    narrative = models.TextField(_("descripción del avance"), blank=True)
    version = models.PositiveIntegerField(_("versión"), default=1)

    objects = MilestoneQuerySet.as_manager()
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


class TitleAlias(TimeStamped):
    """Another official wording of a commitment's title (the plan document's, when OGP's
    page says it differently), with its source."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("compromiso"),
        on_delete=models.CASCADE,
        related_name="title_aliases",
    )
    title = models.CharField(_("título"), max_length=500)
    source = models.ForeignKey(
        Source, verbose_name=_("fuente"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("otro título oficial")
        verbose_name_plural = _("otros títulos oficiales")
        ordering = ["commitment", "title"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "title"], name="title_alias_unique"),
            models.CheckConstraint(condition=~Q(title=""), name="title_alias_not_blank"),
        ]

    def __str__(self):
        return self.title


# --- What OGP's Independent Reporting Mechanism (IRM) found ----------------------------


class IrmReportKind(models.TextChoices):
    PROGRESS = "progress", _("Informe de avance")
    DESIGN = "design", _("Informe de diseño")
    MID_TERM = "mid_term", _("Informe de medio término")
    END_OF_TERM = "end_of_term", _("Informe de fin de término")
    RESULTS = "results", _("Informe de resultados")


class IrmCompletion(models.TextChoices):
    NO_EVIDENCE = "no_evidence", _("Sin evidencia disponible")
    NOT_STARTED = "not_started", _("No iniciado")
    LIMITED = "limited", _("Limitado")
    SUBSTANTIAL = "substantial", _("Sustancial")
    COMPLETE = "complete", _("Completo")


class IrmPotentialImpact(models.TextChoices):
    NONE = "none", _("Ninguno")
    MINOR = "minor", _("Menor")
    MODERATE = "moderate", _("Moderado")
    TRANSFORMATIVE = "transformative", _("Transformador")


class IrmAmbition(models.TextChoices):
    # A context of their own: "Baja" and "Alta" also name history actions.
    LOW = "low", pgettext_lazy("ambición del IRM", "Baja")
    MODERATE = "moderate", pgettext_lazy("ambición del IRM", "Moderada")
    HIGH = "high", pgettext_lazy("ambición del IRM", "Alta")


class IrmOpenGovernment(models.TextChoices):
    WORSENED = "worsened", _("Empeoró")
    DID_NOT_CHANGE = "did_not_change", _("No cambió")
    MARGINAL = "marginal", _("Marginalmente")
    MAJOR = "major", _("Significativamente")
    OUTSTANDING = "outstanding", _("Sobresaliente")


class IrmEarlyResults(models.TextChoices):
    NO_NOTABLE = "no_notable", _("Sin resultados notables")
    MARGINAL = "marginal", _("Marginales")
    SIGNIFICANT = "significant", _("Significativos")
    OUTSTANDING = "outstanding", _("Sobresalientes")


# The four OGP values a commitment may be relevant to, as (field, label).
IRM_VALUES = [
    ("relevant_access_to_information", _("Acceso a la información")),
    ("relevant_civic_participation", _("Participación cívica")),
    ("relevant_public_accountability", _("Rendición de cuentas")),
    ("relevant_technology_innovation", _("Tecnología e innovación")),
]


def _choice_or_blank(field, choices):
    return Q(**{field: ""}) | Q(**{f"{field}__in": choices.values})


class IrmAssessment(TimeStamped):
    """What one IRM report said of one commitment, with the report as its source.

    Every rating may be unknown (NULL or blank): the portal carries only what the report
    or OGP's page of the commitment shows, and says "sin información" for the rest.
    """

    Kind = IrmReportKind

    # What a report says of the commitment, in the order the data file, the API and the CSV
    # carry it (one list for the loader and the API).
    RATING_FIELDS = (
        "pending",
        "verifiable",
        "relevant_access_to_information",
        "relevant_civic_participation",
        "relevant_public_accountability",
        "relevant_technology_innovation",
        "potential_impact",
        "ambition",
        "completion",
        "did_it_open_government",
        "early_results",
        "starred",
        "note",
    )

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("compromiso"),
        on_delete=models.CASCADE,
        related_name="irm_assessments",
    )
    report_kind = models.CharField(
        _("informe"), max_length=12, choices=IrmReportKind.choices, blank=True
    )
    source = models.ForeignKey(
        Source, verbose_name=_("fuente"), on_delete=models.PROTECT, related_name="+"
    )
    pending = models.BooleanField(
        _("revisión del IRM pendiente"),
        default=False,
        help_text=_("La fuente dice que la valoración del IRM aún no se publica."),
    )
    verifiable = models.BooleanField(_("verificable"), null=True, blank=True)
    relevant_access_to_information = models.BooleanField(
        _("relevante: acceso a la información"), null=True, blank=True
    )
    relevant_civic_participation = models.BooleanField(
        _("relevante: participación cívica"), null=True, blank=True
    )
    relevant_public_accountability = models.BooleanField(
        _("relevante: rendición de cuentas"), null=True, blank=True
    )
    relevant_technology_innovation = models.BooleanField(
        _("relevante: tecnología e innovación"), null=True, blank=True
    )
    potential_impact = models.CharField(
        _("impacto potencial"), max_length=16, choices=IrmPotentialImpact.choices, blank=True
    )
    ambition = models.CharField(
        _("ambición"), max_length=10, choices=IrmAmbition.choices, blank=True
    )
    completion = models.CharField(
        _("nivel de cumplimiento según el IRM"),
        max_length=12,
        choices=IrmCompletion.choices,
        blank=True,
    )
    did_it_open_government = models.CharField(
        _("¿contribuyó a abrir el gobierno?"),
        max_length=16,
        choices=IrmOpenGovernment.choices,
        blank=True,
    )
    early_results = models.CharField(
        _("resultados tempranos"), max_length=12, choices=IrmEarlyResults.choices, blank=True
    )
    starred = models.BooleanField(_("compromiso estelar"), null=True, blank=True)
    note = models.TextField(_("nota"), blank=True)

    class Meta:
        verbose_name = _("valoración del IRM")
        verbose_name_plural = _("valoraciones del IRM")
        ordering = ["commitment", "report_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "report_kind", "source"], name="irm_assessment_unique"
            ),
            models.CheckConstraint(
                condition=_choice_or_blank("report_kind", IrmReportKind)
                & _choice_or_blank("potential_impact", IrmPotentialImpact)
                & _choice_or_blank("ambition", IrmAmbition)
                & _choice_or_blank("completion", IrmCompletion)
                & _choice_or_blank("did_it_open_government", IrmOpenGovernment)
                & _choice_or_blank("early_results", IrmEarlyResults),
                name="irm_assessment_choices_valid",
            ),
        ]

    def __str__(self):
        return f"{self.commitment_id} · {self.get_report_kind_display() or '—'}"

    @property
    def relevance(self):
        """(label, True/False/None) for each OGP value, in the IRM's order."""
        return [(label, getattr(self, field)) for field, label in IRM_VALUES]

    @property
    def relevance_given(self):
        return any(value is not None for _label, value in self.relevance)


class IrmReport(TimeStamped):
    """One IRM report on a national plan, with the plan-level figures it gives."""

    Kind = IrmReportKind

    action_plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("plan de acción"),
        on_delete=models.CASCADE,
        related_name="irm_reports",
    )
    kind = models.CharField(_("informe"), max_length=12, choices=IrmReportKind.choices)
    title = models.CharField(_("título"), max_length=300)
    source = models.ForeignKey(
        Source, verbose_name=_("fuente"), on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("notas"), blank=True)

    class Meta:
        verbose_name = _("informe del IRM")
        verbose_name_plural = _("informes del IRM")
        ordering = ["action_plan__cycle_year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["action_plan", "kind"], name="irm_report_one_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=IrmReportKind.values), name="irm_report_kind_valid"
            ),
        ]

    def __str__(self):
        return self.title


class IrmFigureMetric(models.TextChoices):
    COMMITMENTS_ASSESSED = "commitments_assessed", _("Compromisos valorados")
    VERIFIABLE = "verifiable", _("Verificables")
    RELEVANT = "relevant", _("Relevantes para los valores de OGP")
    TRANSFORMATIVE = "transformative", _("Con impacto potencial transformador")
    HIGH_AMBITION = "high_ambition", _("De ambición alta")
    POTENTIALLY_STARRED = "potentially_starred", _("Potencialmente estelares")
    STARRED = "starred", _("Estelares")
    SUBSTANTIAL_OR_COMPLETE = "substantial_or_complete", _("Sustanciales o completos")
    COMPLETE = "complete", _("Completos")
    LIMITED_OR_NOT_STARTED = "limited_or_not_started", _("Limitados o no iniciados")
    EARLY_RESULTS = "early_results", _("Con resultados tempranos")
    EARLY_RESULTS_MARGINAL = "early_results_marginal", _("Con resultados tempranos marginales")
    EARLY_RESULTS_SIGNIFICANT = (
        "early_results_significant",
        _("Con resultados tempranos significativos"),
    )
    EARLY_RESULTS_OUTSTANDING = (
        "early_results_outstanding",
        _("Con resultados tempranos sobresalientes"),
    )
    DID_OPEN_GOVERNMENT = (
        "did_open_government_major_or_outstanding",
        _("Abrieron el gobierno de forma significativa o sobresaliente"),
    )


class IrmReportFigure(models.Model):
    """A count an IRM report gives for the whole plan ("4 of 13 transformative")."""

    Metric = IrmFigureMetric

    report = models.ForeignKey(
        IrmReport, verbose_name=_("informe"), on_delete=models.CASCADE, related_name="figures"
    )
    metric = models.CharField(_("indicador"), max_length=48, choices=IrmFigureMetric.choices)
    value = models.PositiveSmallIntegerField(_("valor"))
    of_total = models.PositiveSmallIntegerField(_("de un total de"), null=True, blank=True)

    class Meta:
        verbose_name = _("cifra de un informe del IRM")
        verbose_name_plural = _("cifras de los informes del IRM")
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "metric"], name="irm_figure_one_per_metric"),
            models.CheckConstraint(
                condition=Q(of_total__isnull=True) | Q(value__lte=F("of_total")),
                name="irm_figure_value_within_total",
            ),
            models.CheckConstraint(
                condition=Q(metric__in=IrmFigureMetric.values), name="irm_figure_metric_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_metric_display()}: {self.value}"
