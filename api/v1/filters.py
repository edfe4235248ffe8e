"""FilterSets for every public list.

django-filter validates every value through a form, so an invalid value is
a 400 naming the parameter, never a silent no-op. Ordering uses an explicit
allow-list (an unknown field is a 400 too) and always ends with the primary
key so that pages are stable.
"""

import datetime

import django_filters as filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    Institution,
    InstitutionKind,
    IrmAssessment,
    IrmCompletion,
    IrmEarlyResults,
    IrmReport,
    IrmReportKind,
    Milestone,
    MilestoneStatus,
    PlanScope,
    PlanStatus,
    PolicyArea,
    ProgressReport,
    SdgTarget,
    Source,
)
from coordination.models import OPEN_AGREEMENT_STATUSES, Agreement, CoordinationSpace, Meeting
from indicators.models import (
    CommitmentIndicator,
    CompletionLevel,
    IndicatorSnapshot,
    ScopeIndicator,
    ScopeKind,
    stale_before,
)
from reviews.models import Assessment, Comment, Verdict
from search import selectors as search_selectors
from states.models import (
    MetricaEdition,
    MetricaScore,
    ParticipationProgram,
    ParticipationStatus,
    State,
    StateParticipation,
)


class BoundedDateTimeField(forms.DateTimeField):
    """An ISO 8601 date-time that the database can store (years 1900-9000)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows.
        try:
            value = value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            value = None
        if value is None or not 1900 <= value.year <= 9000:
            raise forms.ValidationError(_("Fecha fuera del intervalo admitido."))
        return value


class UpdatedSinceFilter(filters.IsoDateTimeFilter):
    field_class = BoundedDateTimeField


class StrictBooleanField(forms.NullBooleanField):
    """`true` or `false` (also 1/0); anything else is an error, not a silent no-op."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}
    widget = forms.TextInput  # NullBooleanSelect would read an unknown value as "unknown"

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise forms.ValidationError(_("Debe ser true o false.")) from None

    def validate(self, value):
        pass


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class StableOrderingFilter(filters.OrderingFilter):
    """Orders by the given fields, then by pk so that pages never overlap.

    A field may map to a descending model field (``("-last_update_at", "days_since_update")``):
    ordering by that parameter follows the reverse of the model field. Rows without a value
    (a commitment without information has no percent) come last either way, on PostgreSQL
    as on SQLite: no data never heads a list.
    """

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param).removeprefix("--")
        if value.startswith("-"):
            return F(value[1:]).desc(nulls_last=True)
        return F(value).asc(nulls_last=True)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs


def ordering(*fields):
    return StableOrderingFilter(
        fields=fields,
        help_text=_(
            "Orden de los resultados: uno o más campos separados por comas; "
            "un guion delante invierte el orden."
        ),
    )


def state_filter(field_name):
    return filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=State.objects.all(),
        to_field_name="inegi_code",
        help_text=_("Clave INEGI de dos dígitos de la entidad federativa (p. ej. 09)."),
    )


def cycle_year_filter(field_name):
    return IntegerFilter(
        field_name=field_name,
        min_value=2011,
        max_value=2100,
        help_text=_("Año de inicio del ciclo del plan de acción (p. ej. 2019)."),
    )


def action_plan_filter(field_name):
    return filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=ActionPlan.objects.all(),
        help_text=_("Identificador del plan de acción."),
    )


def scope_filter(field_name):
    return filters.ChoiceFilter(
        field_name=field_name,
        choices=PlanScope.choices,
        help_text=_("Ámbito del plan: nacional (national) o estatal (state)."),
    )


def completion_level_filter(field_name):
    """The level stored by the indicators recompute (commitments not yet computed match none)."""
    return filters.ChoiceFilter(
        field_name=field_name,
        choices=CompletionLevel.choices,
        help_text=_(
            "Nivel de cumplimiento guardado por el cálculo de indicadores: no_information "
            "(nadie registró hitos ni avance), not_started (0 %), limited (más de 0 y menos "
            "de 50 %), substantial (50 % a menos de 100 %), complete (100 %) o withdrawn "
            "(todos sus hitos retirados)."
        ),
    )


def commitments_through(through, field, value, commitment_pk):
    """Rows whose commitment is linked to `value` through an M2M table (no duplicates)."""
    ids = through.objects.filter(**{field: value}).values("commitment_id")
    return Q(**{f"{commitment_pk}__in": ids})


class ApiFilterSet(filters.FilterSet):
    updated_since = UpdatedSinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Solo registros actualizados en o después de esta fecha y hora ISO 8601."),
    )
    search = filters.CharFilter(
        method="filter_search",
        max_length=200,
        help_text=_(
            "Texto a buscar (sin distinguir mayúsculas) en claves y títulos; en compromisos, "
            "hitos, planes, sesiones, acuerdos e instituciones también en sus textos, sin "
            "importar acentos ni plurales (el buscador del portal). Sin `ordering`, del "
            "resultado más pertinente al menos; si el texto no se encuentra, una o dos "
            "palabras se buscan también con erratas en nombres y claves."
        ),
    )
    search_fields = ()
    # The portal search's kind for this resource (search.models.EntryKind), if indexed.
    search_kind = None

    def filter_search(self, queryset, name, value):
        """Rows whose search fields contain the text or that the portal search finds; for
        an indexed resource without `ordering`, best match first (then the usual order)."""
        if not self.search_kind:
            query = Q()
            for field in self.search_fields:
                query |= Q(**{f"{field}__icontains": value})
            return queryset.filter(query)
        return search_selectors.ranked_by_search(
            queryset,
            value,
            self.search_kind,
            own_lookups=self.search_fields,
            reorder=not self.form.cleaned_data.get("ordering"),
        )


class CommitmentLinkFilters(ApiFilterSet):
    """Filters on a commitment's classification, for commitments and their children."""

    commitment_prefix = ""

    @property
    def commitment_pk(self):
        """The lookup of the commitment's primary key on the filtered rows."""
        return f"{self.commitment_prefix}pk"

    institution = filters.ModelChoiceFilter(
        queryset=Institution.objects.all(),
        method="filter_institution",
        help_text=_("Identificador de una institución responsable o de apoyo."),
    )
    policy_area = filters.ModelChoiceFilter(
        queryset=PolicyArea.objects.all(),
        to_field_name="slug",
        method="filter_policy_area",
        help_text=_("Slug del área de política."),
    )
    sdg_target = filters.ModelChoiceFilter(
        queryset=SdgTarget.objects.all(),
        to_field_name="code",
        method="filter_sdg_target",
        help_text=_("Clave de la meta ODS (p. ej. 16.10)."),
    )

    def filter_institution(self, queryset, name, value: int):  # hint = query type
        pk = self.commitment_pk
        return queryset.filter(
            commitments_through(Commitment.lead_institutions.through, "institution", value, pk)
            | commitments_through(Commitment.support_institutions.through, "institution", value, pk)
        )

    def filter_policy_area(self, queryset, name, value: str):  # hint = query type
        through = Commitment.policy_areas.through
        return queryset.filter(
            commitments_through(through, "policyarea", value, self.commitment_pk)
        )

    def filter_sdg_target(self, queryset, name, value: str):  # hint = query type
        through = Commitment.sdg_targets.through
        return queryset.filter(commitments_through(through, "sdgtarget", value, self.commitment_pk))


class ActionPlanFilter(ApiFilterSet):
    cycle_year = cycle_year_filter("cycle_year")
    scope = scope_filter("scope")
    state = state_filter("state")
    status = filters.ChoiceFilter(
        choices=PlanStatus.choices, help_text=_("Estado del plan: draft, active o closed.")
    )
    ordering = ordering("cycle_year", "title", "start_date", "updated_at", "commitment_count")
    search_fields = ("title",)
    search_kind = "action_plan"

    class Meta:
        model = ActionPlan
        fields = ["cycle_year", "scope", "state", "status"]


class CommitmentFilter(CommitmentLinkFilters):
    cycle_year = cycle_year_filter("action_plan__cycle_year")
    action_plan = action_plan_filter("action_plan")
    scope = scope_filter("action_plan__scope")
    state = state_filter("action_plan__state")
    status = filters.ChoiceFilter(
        field_name="action_plan__status",
        choices=PlanStatus.choices,
        help_text=_("Estado del plan de acción del compromiso: draft, active o closed."),
    )
    completion_level = completion_level_filter("indicator__completion_level")
    ordering = ordering(
        "code", "title_es", "title_en", "completion_percent", "start_date", "end_date", "updated_at"
    )
    search_fields = ("code", "title_es", "title_en")
    search_kind = "commitment"

    class Meta:
        model = Commitment
        fields = []


class MilestoneLinkFilters(CommitmentLinkFilters):
    """Filters of milestones by their commitment's classification."""

    commitment_prefix = "commitment__"

    commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        help_text=_("Clave del compromiso."),
    )
    cycle_year = cycle_year_filter("commitment__action_plan__cycle_year")
    action_plan = action_plan_filter("commitment__action_plan")
    scope = scope_filter("commitment__action_plan__scope")
    state = state_filter("commitment__action_plan__state")
    status = filters.ChoiceFilter(
        choices=MilestoneStatus.choices,
        help_text=_("Estado del hito: not_started, in_progress, complete o withdrawn."),
    )
    search_fields = ("title", "commitment__code")
    search_kind = "milestone"

    class Meta:
        model = Milestone
        fields = []


class MilestoneFilter(MilestoneLinkFilters):
    ordering = ordering(
        "position", "due_date", "start_date", "percent_complete", "updated_at", "commitment__code"
    )

    class Meta:
        model = Milestone
        fields = []


class StateFilter(ApiFilterSet):
    ordering = ordering("inegi_code", "short_name", "official_name", "updated_at")
    search_fields = ("inegi_code", "official_name", "short_name", "abbreviation")

    class Meta:
        model = State
        fields = []


class InstitutionFilter(ApiFilterSet):
    kind = filters.ChoiceFilter(
        choices=InstitutionKind.choices, help_text=_("Tipo de institución.")
    )
    state = state_filter("state")
    ordering = ordering("name", "acronym", "updated_at")
    search_fields = ("name", "acronym")
    search_kind = "institution"

    class Meta:
        model = Institution
        fields = []


class PolicyAreaFilter(ApiFilterSet):
    ordering = ordering("slug", "name_es", "name_en", "updated_at")
    search_fields = ("slug", "name_es", "name_en")

    class Meta:
        model = PolicyArea
        fields = []


class SdgTargetFilter(ApiFilterSet):
    goal = IntegerFilter(
        min_value=1, max_value=17, help_text=_("Objetivo de Desarrollo Sostenible (1 a 17).")
    )
    ordering = ordering("goal", "code", "updated_at")
    search_fields = ("code", "description_es", "description_en")

    class Meta:
        model = SdgTarget
        fields = []


class MeetingFilter(ApiFilterSet):
    space = filters.ModelChoiceFilter(
        queryset=CoordinationSpace.objects.all(),
        to_field_name="slug",
        help_text=_("Slug del espacio de coordinación."),
    )
    date_from = UpdatedSinceFilter(
        field_name="date", lookup_expr="gte", help_text=_("Sesiones en o después de esta fecha.")
    )
    date_to = UpdatedSinceFilter(
        field_name="date", lookup_expr="lte", help_text=_("Sesiones en o antes de esta fecha.")
    )
    ordering = ordering("date", "title", "updated_at")
    search_fields = ("title", "place")
    search_kind = "meeting"

    class Meta:
        model = Meeting
        fields = []


class AlignmentFilter(ApiFilterSet):
    kind = filters.ChoiceFilter(
        choices=Alignment.Kind.choices, help_text=_("Tipo: replicates o complements.")
    )
    local_commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        help_text=_("Clave del compromiso local."),
    )
    national_commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        help_text=_("Clave del compromiso nacional."),
    )
    state = state_filter("local_commitment__action_plan__state")
    cycle_year = cycle_year_filter("local_commitment__action_plan__cycle_year")
    ordering = ordering("updated_at", "local_commitment__code", "national_commitment__code")
    search_fields = ("local_commitment__code", "national_commitment__code")

    class Meta:
        model = Alignment
        fields = []


# --- Progress history feed ---------------------------------------------------


class HistoryFilterBase(CommitmentLinkFilters):
    """Filters of the history feed, applied alike to commitment and milestone history rows.

    `plan_path` leads from a history row to the action plan; `commitment_pk` to the
    commitment's id. The feed keeps its keyset order, so there is no `ordering`.
    """

    plan_path = ""
    kind = None
    search = None  # history rows have no search

    updated_since = UpdatedSinceFilter(
        field_name="history_date",
        lookup_expr="gte",
        help_text=_("Solo cambios hechos en o después de esta fecha y hora ISO 8601."),
    )
    commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        method="filter_commitment",
        help_text=_("Clave del compromiso."),
    )
    cycle_year = IntegerFilter(
        min_value=2011,
        max_value=2100,
        method="filter_plan",
        help_text=_("Año de inicio del ciclo del plan de acción (p. ej. 2019)."),
    )
    action_plan = filters.ModelChoiceFilter(
        queryset=ActionPlan.objects.all(),
        method="filter_action_plan",
        help_text=_("Identificador del plan de acción."),
    )
    scope = filters.ChoiceFilter(
        choices=PlanScope.choices,
        method="filter_plan",
        help_text=_("Ámbito del plan: nacional (national) o estatal (state)."),
    )
    state = filters.ModelChoiceFilter(
        queryset=State.objects.all(),
        to_field_name="inegi_code",
        method="filter_state",
        help_text=_("Clave INEGI de dos dígitos de la entidad federativa (p. ej. 09)."),
    )
    type = filters.ChoiceFilter(
        choices=[("commitment", _("Compromiso")), ("milestone", _("Hito"))],
        method="filter_type",
        help_text=_("Solo cambios de compromisos (commitment) o de hitos (milestone)."),
    )
    PLAN_LOOKUPS = {
        "cycle_year": "cycle_year",
        "action_plan": "pk",
        "scope": "scope",
        "state": "state",
    }

    def filter_commitment(self, queryset, name, value):
        return queryset.filter(**{self.commitment_pk: value.pk})

    def filter_plan(self, queryset, name, value):
        # The history tables' plan is a plain key: compare ids, not ActionPlan/State rows
        # (`?action_plan=1` on the progress history was a 500).
        value = getattr(value, "pk", value)
        return queryset.filter(**{f"{self.plan_path}__{self.PLAN_LOOKUPS[name]}": value})

    def filter_action_plan(self, queryset, name, value: int):  # hint = query type
        return self.filter_plan(queryset, name, value)

    def filter_state(self, queryset, name, value: str):  # hint = query type
        return self.filter_plan(queryset, name, value)

    def filter_type(self, queryset, name, value):
        return queryset if value == self.kind else queryset.none()


class CommitmentHistoryFilter(HistoryFilterBase):
    plan_path = "action_plan"
    kind = "commitment"
    commitment_pk = "id"

    class Meta:
        model = Commitment.history.model
        fields = []


class MilestoneHistoryFilter(HistoryFilterBase):
    plan_path = "commitment__action_plan"
    kind = "milestone"
    commitment_pk = "commitment_id"

    class Meta:
        model = Milestone.history.model
        fields = []


# --- Indicators -------------------------------------------------------------


def boolean_filter(field_name, help_text):
    return StrictBooleanFilter(field_name=field_name, help_text=help_text)


class CommitmentIndicatorFilter(filters.FilterSet):
    commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        help_text=_("Clave del compromiso."),
    )
    cycle_year = cycle_year_filter("commitment__action_plan__cycle_year")
    action_plan = action_plan_filter("commitment__action_plan")
    scope = scope_filter("commitment__action_plan__scope")
    state = state_filter("commitment__action_plan__state")
    completion_level = completion_level_filter("completion_level")
    is_stale = StrictBooleanFilter(
        method="filter_stale",
        help_text=_("true: solo compromisos sin actualizar desde hace más de 90 días."),
    )
    is_on_time = boolean_filter("is_on_time", _("true: solo compromisos sin hitos vencidos."))
    updated_since = UpdatedSinceFilter(
        field_name="computed_at",
        lookup_expr="gte",
        help_text=_("Solo indicadores calculados en o después de esta fecha y hora ISO 8601."),
    )
    ordering = ordering(
        "commitment__code",
        "completion_percent",
        # More days since the update is an older update.
        ("-last_update_at", "days_since_update"),
        "milestones_overdue",
        "computed_at",
    )

    class Meta:
        model = CommitmentIndicator
        fields = []

    def filter_stale(self, queryset, name, value):
        before = stale_before(timezone.localdate())
        if value:
            return queryset.filter(last_update_at__lt=before)
        return queryset.filter(last_update_at__gte=before)


def scope_kind_filter():
    return filters.ChoiceFilter(
        field_name="scope_kind",
        choices=ScopeKind.choices,
        help_text=_("Tipo de ámbito: plan, state o nation."),
    )


class ScopeIndicatorFilter(filters.FilterSet):
    scope_kind = scope_kind_filter()
    scope_id = IntegerFilter(
        field_name="scope_id",
        min_value=0,
        max_value=2**62,
        help_text=_("Identificador del plan o de la entidad (0 para el país)."),
    )
    updated_since = UpdatedSinceFilter(
        field_name="computed_at",
        lookup_expr="gte",
        help_text=_("Solo indicadores calculados en o después de esta fecha y hora ISO 8601."),
    )
    ordering = ordering("scope_kind", "scope_id", "mean_completion", "commitments_total")

    class Meta:
        model = ScopeIndicator
        fields = []


class BoundedDateField(forms.DateField):
    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not 1900 <= value.year <= 9000:
            raise forms.ValidationError(_("Fecha fuera del intervalo admitido."))
        return value


class BoundedDateFilter(filters.DateFilter):
    field_class = BoundedDateField


class IndicatorSnapshotFilter(ScopeIndicatorFilter):
    updated_since = None
    date_from = BoundedDateFilter(
        field_name="date", lookup_expr="gte", help_text=_("Instantáneas de esta fecha en adelante.")
    )
    date_to = BoundedDateFilter(
        field_name="date", lookup_expr="lte", help_text=_("Instantáneas hasta esta fecha.")
    )
    ordering = ordering("date", "scope_kind", "scope_id", "mean_completion")

    class Meta:
        model = IndicatorSnapshot
        fields = []


# --- Coordination and Métrica ------------------------------------------------


class AgreementFilter(ApiFilterSet):
    status = filters.ChoiceFilter(
        choices=Agreement.Status.choices,
        help_text=_("Estado: pending, in_progress, done o cancelled."),
    )
    overdue = StrictBooleanFilter(
        method="filter_overdue",
        help_text=_(
            "true: solo acuerdos abiertos con la fecha compromiso vencida; false: los demás."
        ),
    )
    responsible = filters.ModelChoiceFilter(
        queryset=Institution.objects.all(),
        help_text=_("Identificador de la institución responsable."),
    )
    meeting = filters.ModelChoiceFilter(
        queryset=Meeting.objects.all(), help_text=_("Identificador de la sesión.")
    )
    space = filters.ModelChoiceFilter(
        field_name="meeting__space",
        queryset=CoordinationSpace.objects.all(),
        to_field_name="slug",
        help_text=_("Slug del espacio de coordinación."),
    )
    commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        method="filter_commitment",
        help_text=_("Clave de un compromiso relacionado."),
    )
    due_from = BoundedDateFilter(
        field_name="due_date", lookup_expr="gte", help_text=_("Fecha compromiso desde.")
    )
    due_to = BoundedDateFilter(
        field_name="due_date", lookup_expr="lte", help_text=_("Fecha compromiso hasta.")
    )
    ordering = ordering("due_date", "status", "updated_at")
    search_fields = ("text",)
    search_kind = "agreement"

    class Meta:
        model = Agreement
        fields = []

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=OPEN_AGREEMENT_STATUSES, due_date__lt=timezone.localdate())
        return queryset.filter(overdue if value else ~overdue)

    def filter_commitment(self, queryset, name, value: str):  # hint = query type
        ids = Agreement.commitments.through.objects.filter(commitment=value).values("agreement_id")
        return queryset.filter(pk__in=ids)


class MetricaEditionFilter(ApiFilterSet):
    ordering = ordering("year", "national_average")

    class Meta:
        model = MetricaEdition
        fields = []


class MetricaScoreFilter(ApiFilterSet):
    state = state_filter("state")
    edition = IntegerFilter(
        field_name="edition__year",
        min_value=2017,
        max_value=2100,
        help_text=_("Año de la edición de la Métrica (p. ej. 2021)."),
    )
    ordering = ordering("edition__year", "state__inegi_code", "score")
    search_fields = ("state__short_name", "state__official_name")

    class Meta:
        model = MetricaScore
        fields = []


# --- Facts from outside, with their sources ----------------------------------


class SourceFilter(ApiFilterSet):
    is_mirror = boolean_filter("is_mirror", _("true: solo copias en sitios de terceros."))
    ordering = ordering("key", "publication", "published")
    search_fields = ("publication", "publisher", "url")

    class Meta:
        model = Source
        fields = []


class IrmAssessmentFilter(ApiFilterSet):
    commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        help_text=_("Clave del compromiso."),
    )
    cycle_year = cycle_year_filter("commitment__action_plan__cycle_year")
    report_kind = filters.ChoiceFilter(
        choices=IrmReportKind.choices, help_text=_("Informe del IRM de donde viene.")
    )
    early_results = filters.ChoiceFilter(
        choices=IrmEarlyResults.choices, help_text=_("Resultados tempranos según el IRM.")
    )
    completion = filters.ChoiceFilter(
        choices=IrmCompletion.choices, help_text=_("Cumplimiento según el IRM.")
    )
    ordering = ordering("commitment__code", "report_kind")
    search_fields = ("commitment__code", "note")

    class Meta:
        model = IrmAssessment
        fields = []


class IrmReportFilter(ApiFilterSet):
    cycle_year = cycle_year_filter("action_plan__cycle_year")
    kind = filters.ChoiceFilter(choices=IrmReportKind.choices, help_text=_("Tipo de informe."))
    ordering = ordering("action_plan__cycle_year", "kind")
    search_fields = ("title", "notes")

    class Meta:
        model = IrmReport
        fields = []


class StateParticipationFilter(ApiFilterSet):
    state = state_filter("state")
    program = filters.ChoiceFilter(
        choices=ParticipationProgram.choices, help_text=_("Ejercicio local.")
    )
    status = filters.ChoiceFilter(
        choices=ParticipationStatus.choices, help_text=_("Situación según la fuente.")
    )
    ordering = ordering("state__inegi_code", "program", "start_year")
    search_fields = ("state__short_name", "note")

    class Meta:
        model = StateParticipation
        fields = []


# --- Civil-society review ----------------------------------------------------


class CommentFilter(filters.FilterSet):
    """No text search: it would reveal words of deleted and hidden comments."""

    commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        method="filter_commitment",
        help_text=_(
            "Clave del compromiso: sus comentarios y los de sus hitos (combine con "
            "`target_kind` para separarlos)."
        ),
    )
    milestone = filters.ModelChoiceFilter(
        queryset=Milestone.objects.all(), help_text=_("Identificador del hito comentado.")
    )
    meeting = filters.ModelChoiceFilter(
        queryset=Meeting.objects.all(), help_text=_("Identificador de la sesión comentada.")
    )
    target_kind = filters.ChoiceFilter(
        choices=[
            ("commitment", _("Compromiso")),
            ("milestone", _("Hito")),
            ("meeting", _("Sesión")),
        ],
        method="filter_target_kind",
        help_text=_("Solo comentarios sobre compromisos, hitos o sesiones."),
    )
    parent = filters.ModelChoiceFilter(
        queryset=Comment.objects.all(),
        help_text=_("Identificador de un comentario: solo sus respuestas."),
    )
    is_reply = StrictBooleanFilter(
        field_name="parent",
        lookup_expr="isnull",
        exclude=True,
        help_text=_("true: solo respuestas; false: solo comentarios iniciales."),
    )
    updated_since = UpdatedSinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_(
            "Solo comentarios publicados o cambiados (editados, eliminados, moderados) en o "
            "después de esta fecha y hora ISO 8601."
        ),
    )
    ordering = ordering("created_at", "updated_at")

    class Meta:
        model = Comment
        fields = []

    def filter_commitment(self, queryset, name, value: str):  # hint = query type
        return queryset.filter(Q(commitment=value) | Q(milestone__commitment=value))

    def filter_target_kind(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})


class AssessmentFilter(filters.FilterSet):
    commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        help_text=_("Clave del compromiso del informe o del hito evaluado."),
    )
    verdict = filters.ChoiceFilter(
        choices=Verdict.choices, help_text=_("Valoración: agree, dispute o needs_evidence.")
    )
    organisation = filters.ModelChoiceFilter(
        queryset=Institution.objects.all(),
        help_text=_("Identificador de la organización que evalúa."),
    )
    target_kind = filters.ChoiceFilter(
        choices=[("progress_report", _("Informe de avance")), ("milestone", _("Hito"))],
        method="filter_target_kind",
        help_text=_("Solo evaluaciones de informes de avance o de hitos."),
    )
    progress_report = filters.ModelChoiceFilter(
        queryset=ProgressReport.objects.all(),
        help_text=_("Identificador del informe de avance evaluado."),
    )
    milestone = filters.ModelChoiceFilter(
        queryset=Milestone.objects.all(), help_text=_("Identificador del hito evaluado.")
    )
    cycle_year = cycle_year_filter("commitment__action_plan__cycle_year")
    state = state_filter("commitment__action_plan__state")
    updated_since = UpdatedSinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Solo evaluaciones registradas en o después de esta fecha y hora ISO 8601."),
    )
    ordering = ordering("updated_at", "created_at", "verdict", "organisation__name")

    class Meta:
        model = Assessment
        fields = []

    def filter_target_kind(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})
