"""FilterSets for every public list.

django-filter validates every value through a form, so an invalid value is
a 400 naming the parameter, never a silent no-op. Ordering uses an explicit
allow-list (an unknown field is a 400 too) and always ends with the primary
key so that pages are stable.
"""

import datetime

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    Institution,
    InstitutionKind,
    Milestone,
    MilestoneStatus,
    PlanScope,
    PlanStatus,
    PolicyArea,
    SdgTarget,
)
from coordination.models import CoordinationSpace, Meeting
from indicators.completion_levels import CompletionLevel, completion_level_q
from states.models import State


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


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class StableOrderingFilter(filters.OrderingFilter):
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
    return filters.ChoiceFilter(
        choices=CompletionLevel.choices,
        method=lambda queryset, name, value: queryset.filter(
            completion_level_q(value, field=field_name)
        ),
        help_text=_(
            "Nivel de avance: not_started (0 %), limited (más de 0 y menos de 50 %), "
            "substantial (50 % a menos de 100 %) o complete (100 %)."
        ),
    )


def commitments_through(through, field, value, prefix):
    """Rows whose commitment is linked to `value` through an M2M table (no duplicates)."""
    ids = through.objects.filter(**{field: value}).values("commitment_id")
    return Q(**{f"{prefix}pk__in": ids})


class ApiFilterSet(filters.FilterSet):
    updated_since = UpdatedSinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Solo registros actualizados en o después de esta fecha y hora ISO 8601."),
    )
    search = filters.CharFilter(
        method="filter_search",
        max_length=200,
        help_text=_("Texto a buscar (sin distinguir mayúsculas) en claves y títulos."),
    )
    search_fields = ()

    def filter_search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)


class CommitmentLinkFilters(ApiFilterSet):
    """Filters on a commitment's classification, for commitments and their children."""

    commitment_prefix = ""

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
        prefix = self.commitment_prefix
        return queryset.filter(
            commitments_through(Commitment.lead_institutions.through, "institution", value, prefix)
            | commitments_through(
                Commitment.support_institutions.through, "institution", value, prefix
            )
        )

    def filter_policy_area(self, queryset, name, value: str):  # hint = query type
        through = Commitment.policy_areas.through
        prefix = self.commitment_prefix
        return queryset.filter(commitments_through(through, "policyarea", value, prefix))

    def filter_sdg_target(self, queryset, name, value: str):  # hint = query type
        through = Commitment.sdg_targets.through
        prefix = self.commitment_prefix
        return queryset.filter(commitments_through(through, "sdgtarget", value, prefix))


class ActionPlanFilter(ApiFilterSet):
    cycle_year = cycle_year_filter("cycle_year")
    scope = scope_filter("scope")
    state = state_filter("state")
    status = filters.ChoiceFilter(
        choices=PlanStatus.choices, help_text=_("Estado del plan: draft, active o closed.")
    )
    ordering = ordering("cycle_year", "title", "start_date", "updated_at", "commitment_count")
    search_fields = ("title",)

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
    completion_level = completion_level_filter("completion_percent")
    ordering = ordering(
        "code", "title_es", "title_en", "completion_percent", "start_date", "end_date", "updated_at"
    )
    search_fields = ("code", "title_es", "title_en")

    class Meta:
        model = Commitment
        fields = []


class ProgressEventFilter(CommitmentLinkFilters):
    """Milestone filters; the history feed keeps its keyset order, so no `ordering`."""

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
    completion_level = completion_level_filter("percent_complete")
    search_fields = ("title", "commitment__code")

    class Meta:
        model = Milestone
        fields = []


class MilestoneFilter(ProgressEventFilter):
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
